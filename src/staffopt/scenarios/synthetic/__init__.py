"""Seeded synthetic scenarios at the scales people run: a province, a large province, the nation.

``synthetic("province")`` is one mountain province the size of Điện Biên,
``synthetic("large")`` a large mixed province the size of Phú Thọ and
``synthetic("nation")`` all 34 provinces and 3,321 commune-level units of the
post-July-2025 map. Everything is drawn with numpy from one seed, so the same
arguments always give an equal scenario; the nation generates in a few
seconds.

What is real and what is synthetic
----------------------------------
* Real: the 34 province names, their commune-level unit counts (summing to
  3,321), rough coordinates of each provincial capital, and which provinces
  touch a land border. Terrain classes (mountain, highland, mixed, delta,
  urban) are a judgement from public geography.
* Synthetic: every commune (named ``"<Province> commune 017"``, placed at a
  random spot around the capital, zone drawn from the province's terrain
  with remote = far from the capital), every department's headcount,
  every official (names drawn from common Vietnamese names), every need.

Shape (see ``DOMAIN.md``)
-------------------------
* Zones: mountain provinces are mostly zone III (Điện Biên: 2 / 5 / 38),
  delta and urban provinces mostly zones I and II. Within a province, zone I
  is the capital and the communes nearest to it, zone III the farthest.
* Fields and their frequencies: land, construction, IT and finance are the
  most requested; supply is short exactly there (:data:`NEED_FIELD_SHARE`,
  :data:`OFFICIAL_FIELD_SHARE`).
* Departments: the eleven post-2025 provincial departments of the Điện Biên
  example; an official's department follows from their main field. Each
  department lists some of its staff; its ceiling is 40-80 % of those listed,
  its payroll 8-25 times the list.
* Officials live mostly in the provincial capital (about 45 %) and the other
  zone I towns; few live in zone III communes, so remote communes are far
  from most candidates (and mountain provinces have fewer candidates per
  slot): supply is scarce where need is greatest.
* Needs: more slots in zone III communes and in mountain provinces,
  criticality higher in zone III. With ``part_time_share > 0`` that share of
  the needs becomes shared part-time support (workload 0.2-0.5 FTE, officials
  have capacity 1), so one official may cover several needs and the model is
  no longer a pure network (``solve`` picks CP-SAT).
* Agencies are provincial (``Agency.province``): pairs never cross provinces.
* Distances are straight line x ``policy.road_factor``: 1.8 for a single
  mountain province, 1.6 highland, 1.5 mixed, 1.3 delta/urban, and the
  default 1.5 for the nation (no ``distances`` table).
"""

from staffopt.scenarios.synthetic.generate import synthetic
from staffopt.scenarios.synthetic.reference import (
    DEPARTMENTS,
    FIELDS,
    NEED_FIELD_SHARE,
    OFFICIAL_FIELD_SHARE,
    PROVINCES,
    ProvinceInfo,
)
from staffopt.scenarios.synthetic.sampling import field_shares
from staffopt.scenarios.synthetic.scales import SCALES, SyntheticSpec

__all__ = [
    "DEPARTMENTS",
    "FIELDS",
    "NEED_FIELD_SHARE",
    "OFFICIAL_FIELD_SHARE",
    "PROVINCES",
    "SCALES",
    "ProvinceInfo",
    "SyntheticSpec",
    "field_shares",
    "synthetic",
]
