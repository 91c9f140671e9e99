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

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from staffopt.schema import Agency, Commune, Need, Official, Policy, Scenario, SolveOptions

__all__ = [
    "DEPARTMENTS",
    "FIELDS",
    "NEED_FIELD_SHARE",
    "OFFICIAL_FIELD_SHARE",
    "PROVINCES",
    "SCALES",
    "ProvinceInfo",
    "SyntheticSpec",
    "synthetic",
]

Scale = Literal["province", "large", "nation"]
Terrain = Literal["mountain", "highland", "mixed", "delta", "urban"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ProvinceInfo:
    """A province of the post-2025 map: real name, unit count, rough capital position."""

    name: str
    communes: int
    lat: float
    lon: float
    terrain: Terrain
    border: bool

    @property
    def slug(self) -> str:
        return _slug(self.name)


#: The 34 provinces and centrally-run cities after 1 July 2025 with their number of
#: commune-level units (sum 3,321) and the rough position of the capital.
PROVINCES: tuple[ProvinceInfo, ...] = (
    ProvinceInfo("Hà Nội", 126, 21.03, 105.85, "urban", False),
    ProvinceInfo("Huế", 40, 16.46, 107.59, "mixed", True),
    ProvinceInfo("Lai Châu", 38, 22.40, 103.46, "mountain", True),
    ProvinceInfo("Điện Biên", 45, 21.39, 103.02, "mountain", True),
    ProvinceInfo("Sơn La", 75, 21.33, 103.91, "mountain", True),
    ProvinceInfo("Lạng Sơn", 65, 21.85, 106.76, "mountain", True),
    ProvinceInfo("Quảng Ninh", 54, 20.95, 107.08, "mixed", True),
    ProvinceInfo("Thanh Hóa", 166, 19.81, 105.78, "mixed", True),
    ProvinceInfo("Nghệ An", 130, 18.68, 105.68, "mixed", True),
    ProvinceInfo("Hà Tĩnh", 69, 18.34, 105.90, "mixed", True),
    ProvinceInfo("Cao Bằng", 56, 22.67, 106.26, "mountain", True),
    ProvinceInfo("Tuyên Quang", 124, 21.82, 105.21, "mountain", True),
    ProvinceInfo("Lào Cai", 99, 21.72, 104.90, "mountain", True),
    ProvinceInfo("Thái Nguyên", 92, 21.59, 105.85, "mixed", False),
    ProvinceInfo("Phú Thọ", 148, 21.32, 105.40, "mixed", False),
    ProvinceInfo("Bắc Ninh", 99, 21.27, 106.19, "delta", False),
    ProvinceInfo("Hưng Yên", 104, 20.45, 106.34, "delta", False),
    ProvinceInfo("Hải Phòng", 114, 20.86, 106.68, "delta", False),
    ProvinceInfo("Ninh Bình", 129, 20.25, 105.97, "delta", False),
    ProvinceInfo("Quảng Trị", 78, 17.47, 106.60, "mixed", True),
    ProvinceInfo("Đà Nẵng", 94, 16.05, 108.20, "mixed", True),
    ProvinceInfo("Quảng Ngãi", 96, 15.12, 108.80, "mixed", True),
    ProvinceInfo("Gia Lai", 135, 13.78, 109.22, "highland", True),
    ProvinceInfo("Khánh Hòa", 65, 12.24, 109.19, "mixed", False),
    ProvinceInfo("Lâm Đồng", 124, 11.94, 108.44, "highland", True),
    ProvinceInfo("Đắk Lắk", 102, 12.67, 108.04, "highland", True),
    ProvinceInfo("Hồ Chí Minh City", 168, 10.78, 106.70, "urban", False),
    ProvinceInfo("Đồng Nai", 95, 10.95, 106.82, "mixed", True),
    ProvinceInfo("Tây Ninh", 96, 10.54, 106.41, "delta", True),
    ProvinceInfo("Cần Thơ", 103, 10.03, 105.78, "delta", False),
    ProvinceInfo("Vĩnh Long", 124, 10.25, 105.97, "delta", False),
    ProvinceInfo("Đồng Tháp", 102, 10.36, 106.36, "delta", True),
    ProvinceInfo("Cà Mau", 64, 9.18, 105.15, "delta", False),
    ProvinceInfo("An Giang", 102, 10.01, 105.08, "delta", True),
)

#: Skill fields short in communes (DOMAIN.md), in a fixed order.
FIELDS: tuple[str, ...] = (
    "it",
    "land",
    "construction",
    "transport",
    "irrigation",
    "justice",
    "agriculture",
    "environment",
    "finance",
    "trade",
    "culture",
    "health",
)
#: Share of need slots per field: land, construction, IT and finance dominate.
NEED_FIELD_SHARE: tuple[float, ...] = (
    0.11, 0.15, 0.12, 0.05, 0.05, 0.08, 0.09, 0.07, 0.11, 0.03, 0.05, 0.09
)  # fmt: skip
#: Share of officials per main field: short where needs are largest.
OFFICIAL_FIELD_SHARE: tuple[float, ...] = (
    0.08, 0.10, 0.09, 0.06, 0.05, 0.07, 0.12, 0.06, 0.10, 0.06, 0.12, 0.09
)  # fmt: skip
#: Related fields: an official's second skill is usually one of these.
_RELATED: dict[str, tuple[str, ...]] = {
    "it": ("finance", "trade", "culture"),
    "land": ("construction", "environment", "agriculture", "justice"),
    "construction": ("transport", "land", "irrigation"),
    "transport": ("construction", "irrigation"),
    "irrigation": ("agriculture", "construction", "environment"),
    "justice": ("land", "culture", "finance"),
    "agriculture": ("irrigation", "environment", "land"),
    "environment": ("land", "agriculture", "irrigation"),
    "finance": ("trade", "it", "land"),
    "trade": ("finance", "agriculture"),
    "culture": ("justice", "health", "it"),
    "health": ("culture", "environment"),
}

#: The provincial departments (post-2025 names) and the main fields of their staff.
DEPARTMENTS: dict[str, tuple[str, dict[str, float]]] = {
    "DOST": ("Department of Science and Technology", {"it": 0.85}),
    "DAE": (
        "Department of Agriculture and Environment",
        {"land": 1.0, "agriculture": 1.0, "irrigation": 1.0, "environment": 1.0},
    ),
    "DOC": ("Department of Construction", {"construction": 1.0, "transport": 1.0}),
    "DOJ": ("Department of Justice", {"justice": 0.8}),
    "DOF": ("Department of Finance", {"finance": 0.9}),
    "DOHA": ("Department of Home Affairs", {"justice": 0.2, "culture": 0.25, "finance": 0.1}),
    "DCST": ("Department of Culture, Sports and Tourism", {"culture": 0.45}),
    "DOIT": ("Department of Industry and Trade", {"trade": 1.0}),
    "DOET": ("Department of Education and Training", {"it": 0.15, "culture": 0.15}),
    "DERA": ("Department of Ethnic and Religious Affairs", {"culture": 0.15}),
    "DOH": ("Department of Health", {"health": 1.0}),
}
_DEPT_CODES: tuple[str, ...] = tuple(DEPARTMENTS)

# Per terrain: zone shares (I, II, III), km² per commune, slots and officials per commune
# (relative), and the road factor used for a single-province scenario.
_ZONE_SHARE: dict[str, tuple[float, float, float]] = {
    "mountain": (0.05, 0.13, 0.82),
    "highland": (0.12, 0.30, 0.58),
    "mixed": (0.22, 0.36, 0.42),
    "delta": (0.50, 0.38, 0.12),
    "urban": (0.75, 0.20, 0.05),
}
_KM2_PER_COMMUNE = {
    "mountain": 210.0,
    "highland": 230.0,
    "mixed": 130.0,
    "delta": 55.0,
    "urban": 35.0,
}
_DEMAND = {"mountain": 1.5, "highland": 1.3, "mixed": 1.0, "delta": 0.7, "urban": 0.5}
_SUPPLY = {"mountain": 0.85, "highland": 0.95, "mixed": 1.05, "delta": 1.15, "urban": 1.4}
_ROAD_FACTOR = {"mountain": 1.8, "highland": 1.6, "mixed": 1.5, "delta": 1.3, "urban": 1.3}
_TERRAINS: tuple[str, ...] = ("mountain", "highland", "mixed", "delta", "urban")
#: Field mix by terrain: multipliers of both the need and the official field shares
#: (mountain communes ask for land, agriculture, culture and health; cities for IT,
#: finance, construction and justice; mixed provinces keep the national mix).
_FIELD_TILT: dict[str, dict[str, float]] = {
    "mountain": {"land": 2, "agriculture": 2, "irrigation": 1.6, "culture": 2, "health": 2,
                 "finance": 0.6, "trade": 0.4, "transport": 0.8},
    "highland": {"land": 2, "agriculture": 2, "irrigation": 1.6, "environment": 1.6,
                 "culture": 1.6, "trade": 0.6, "justice": 0.8},
    "mixed": {},
    "delta": {"agriculture": 1.8, "irrigation": 1.8, "environment": 1.8, "trade": 1.6,
              "land": 1.4, "culture": 0.6, "health": 0.7},
    "urban": {"it": 2, "finance": 1.8, "construction": 1.8, "justice": 1.6, "trade": 1.6,
              "transport": 1.4, "agriculture": 0.3, "irrigation": 0.3, "culture": 0.7},
}  # fmt: skip

_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Lò", "Quàng", "Vàng", "Giàng", "Hà", "Lường",
)  # fmt: skip
_SURNAME_P = (
    0.30, 0.10, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03,
    0.03, 0.02, 0.02, 0.03, 0.03, 0.02, 0.03, 0.02, 0.02, 0.02,
)  # fmt: skip
_MIDDLE = {
    "male": ("Văn", "Minh", "Đức", "Hữu", "Thanh", "A"),
    "female": ("Thị", "Thu", "Ngọc", "Thanh", "Mai", "Thị"),
}
_GIVEN = {
    "male": ("Dũng", "Hùng", "Tuấn", "Nam", "Páo", "Sơn", "Thắng", "Long", "Quân", "Phong"),
    "female": ("Lan", "Hương", "Thảo", "Mai", "Hoa", "Linh", "Dung", "Hà", "Trang", "Yến"),
}


@dataclass(frozen=True)
class SyntheticSpec:
    """Sizes and shape knobs; every field can be overridden through ``synthetic(**overrides)``.

    ``province`` names the province of a single-province scale (ignored by
    the nation). ``communes`` defaults to that province's real unit count.
    """

    province: str = "Điện Biên"
    communes: int | None = None
    slots: int = 150
    officials: int = 300
    #: Probability that an official has a second skill, and a third.
    second_skill: float = 0.30
    third_skill: float = 0.04
    #: Share of officials living in the provincial capital commune, the other zone I
    #: communes, zone II and zone III (before normalisation).
    home_share: tuple[float, float, float, float] = (0.45, 0.27, 0.18, 0.10)
    #: Department ceiling as a share of its listed officials (uniform range).
    ceiling_share: tuple[float, float] = (0.4, 0.8)
    #: Department floor as a share of its listed officials (0 = no floors, a pure network).
    floor_share: float = 0.0
    #: Share of officials with a personal distance limit (40-150 km).
    personal_limit_share: float = 0.10
    protected_share: float = 0.04
    unavailable_share: float = 0.03
    #: Policy knobs (None = from the terrain for a province, 1.5 for the nation).
    road_factor: float | None = None
    time_limit_s: float | None = None


#: Default sizes per scale (see the module docstring).
SCALES: dict[str, SyntheticSpec] = {
    "province": SyntheticSpec(province="Điện Biên", slots=150, officials=300, time_limit_s=10.0),
    "large": SyntheticSpec(
        province="Phú Thọ", slots=700, officials=2500, second_skill=0.25, time_limit_s=60.0
    ),
    # The nation's lists are broader (more second and third skills): calibrated to the
    # issue's ~2.2 million field-matching pairs inside provinces.
    "nation": SyntheticSpec(
        province="",
        slots=15000,
        officials=40000,
        second_skill=0.55,
        third_skill=0.12,
        time_limit_s=120.0,
    ),
}
_SCALE_CODE = {"province": 1, "large": 2, "nation": 3}


def synthetic(
    scale: Scale = "province",
    *,
    seed: int = 0,
    part_time_share: float = 0.0,
    provinces: int | None = None,
    **overrides: Any,
) -> Scenario:
    """A seeded synthetic scenario with the shape of real secondment rounds.

    Parameters
    ----------
    scale:
        ``"province"``: one mountain province like Điện Biên: 45 communes,
        150 slots, 300 officials, about 5k candidate pairs.
        ``"large"``: one large mixed province like Phú Thọ: 148 communes,
        700 slots, 2,500 officials, 60k-125k pairs.
        ``"nation"``: 34 provinces, 3,321 communes, 15,000 slots, 40,000
        officials, about 2.2 million pairs (all within provinces).
    seed:
        Seed of every random draw: equal arguments give equal scenarios.
    part_time_share:
        Share (0-1) of the needs that are shared part-time support with a
        workload of 0.2-0.5 FTE; officials have capacity 1, so one official can
        cover several of them and the model needs CP-SAT instead of min-cost
        flow. 0 (the default) gives a pure network.
    provinces:
        Nation only: generate the first ``provinces`` provinces of
        :data:`PROVINCES` (slots and officials scale with their communes).
    overrides:
        Any field of :class:`SyntheticSpec`, e.g. ``province="Lào Cai"``,
        ``slots=300``, ``officials=600``, ``communes=60``, ``floor_share=0.05``,
        ``road_factor=2.0``, ``time_limit_s=30``.

    The result is a normal, validated :class:`~staffopt.schema.Scenario`
    named like ``synthetic-province-dien-bien-s0`` whose policy sets the
    road factor, the time limit and the CP-SAT seed.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale '{scale}'; choose province, large or nation")
    if not 0.0 <= part_time_share <= 1.0:
        raise ValueError(f"part_time_share must be between 0 and 1, got {part_time_share}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    known = {f.name for f in fields(SyntheticSpec)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown override(s) {unknown}; known: {sorted(known)}")
    spec = replace(SCALES[scale], **overrides)
    rng = np.random.default_rng(np.random.SeedSequence([seed, _SCALE_CODE[scale]]))

    if scale == "nation":
        chosen = list(PROVINCES)
        if provinces is not None:
            if not 1 <= provinces <= len(PROVINCES):
                raise ValueError(f"provinces must be 1-{len(PROVINCES)}, got {provinces}")
            chosen = chosen[:provinces]
        infos = chosen
        counts = np.array([p.communes for p in infos], dtype=np.int64)
        share = counts.sum() / sum(p.communes for p in PROVINCES)
        total_slots = max(len(infos), round(spec.slots * share))
        total_officials = max(len(infos), round(spec.officials * share))
        terrain = [p.terrain for p in infos]
        slots_p = _apportion(total_slots, counts * np.array([_DEMAND[t] for t in terrain]))
        officials_p = _apportion(total_officials, counts * np.array([_SUPPLY[t] for t in terrain]))
        road_factor = spec.road_factor or 1.5
        label = "nation" if provinces is None else f"nation{provinces}"
    else:
        if provinces is not None:
            raise ValueError("provinces= applies to scale='nation' only")
        info = _province(spec.province)
        if spec.communes is not None:
            if spec.communes < 1:
                raise ValueError(f"communes must be >= 1, got {spec.communes}")
            info = replace(info, communes=spec.communes)
        infos = [info]
        counts = np.array([info.communes], dtype=np.int64)
        slots_p = np.array([spec.slots], dtype=np.int64)
        officials_p = np.array([spec.officials], dtype=np.int64)
        road_factor = spec.road_factor or _ROAD_FACTOR[info.terrain]
        label = f"{scale}-{info.slug}"
    if (slots_p < 0).any() or (officials_p < 0).any():
        raise ValueError("slots and officials must be >= 0")

    communes = _communes(rng, infos, counts)
    agencies_fr, officials = _officials(rng, infos, communes, officials_p, spec)
    needs = _needs(rng, infos, communes, slots_p, part_time_share)
    agencies = _agencies(rng, infos, agencies_fr, spec)
    policy = Policy(road_factor=road_factor)
    options = SolveOptions(time_limit_s=spec.time_limit_s or 60.0, seed=seed % (2**31))
    name = f"synthetic-{label}-s{seed}" + (f"-pt{part_time_share:g}" if part_time_share else "")
    return Scenario(
        name=name,
        communes=communes["records"],
        agencies=agencies,
        officials=officials,
        needs=needs,
        policy=policy,
        options=options,
    )


# -- helpers -------------------------------------------------------------------


def _slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.lower().replace("city", "").split())


def _province(name: str) -> ProvinceInfo:
    key = _slug(name)
    for p in PROVINCES:
        if p.slug == key:
            return p
    known = ", ".join(p.name for p in PROVINCES)
    raise ValueError(f"unknown province '{name}'; known: {known}")


def _apportion(total: int, weights: npt.ArrayLike) -> IntArray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=np.float64)
    exact = total * w / w.sum()
    base: IntArray = np.floor(exact).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _group_rank(groups: IntArray, keys: FloatArray) -> IntArray:
    """Rank (0-based) of each key within its group, ascending."""
    order = np.lexsort((keys, groups))
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    rank = np.empty(len(g), dtype=np.int64)
    rank[order] = np.arange(len(g)) - first
    return rank


def _draw_within(
    rng: np.random.Generator, group_of_item: IntArray, weights: FloatArray, group_of_draw: IntArray
) -> IntArray:
    """For each draw, an item of the draw's group picked with probability ∝ weight.

    Items must be sorted by group. Vectorised: the items' cumulative weights are
    normalised to [g, g+1) per group, so one searchsorted serves every group.
    """
    n_groups = int(group_of_item.max()) + 1 if len(group_of_item) else 0
    totals = np.bincount(group_of_item, weights=weights, minlength=n_groups)
    cum = np.cumsum(weights)
    start = np.r_[0.0, np.cumsum(totals)[:-1]]
    norm = group_of_item + (cum - start[group_of_item]) / totals[group_of_item]
    u = group_of_draw + rng.random(len(group_of_draw)) * (1 - 1e-12)
    pos = np.searchsorted(norm, u, side="right")
    return np.asarray(np.minimum(pos, len(norm) - 1), dtype=np.int64)


def _communes(
    rng: np.random.Generator, infos: list[ProvinceInfo], counts: IntArray
) -> dict[str, Any]:
    """Commune arrays and records: the capital first, zones by distance from it."""
    n = int(counts.sum())
    prov = np.repeat(np.arange(len(infos)), counts)
    k = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 = capital
    terr = np.array([_TERRAINS.index(p.terrain) for p in infos])[prov]
    area = np.array([p.communes * _KM2_PER_COMMUNE[p.terrain] for p in infos])
    radius = np.sqrt(area / math.pi)[prov]
    # An ellipse of random orientation (provinces are elongated), the capital off-centre.
    angle_p = rng.uniform(0, math.pi, len(infos))[prov]
    r = radius * np.sqrt(rng.random(n)) * 1.05
    t = rng.uniform(0, 2 * math.pi, n)
    a, b = r * np.cos(t) * 1.4, r * np.sin(t) / 1.4
    dx = a * np.cos(angle_p) - b * np.sin(angle_p)  # km east
    dy = a * np.sin(angle_p) + b * np.cos(angle_p)  # km north
    dx[k == 0] = dy[k == 0] = 0.0
    lat0 = np.array([p.lat for p in infos])[prov]
    lon0 = np.array([p.lon for p in infos])[prov]
    lat = lat0 + dy / 111.0
    lon = lon0 + dx / (111.0 * np.cos(np.radians(lat0)))
    dist = np.hypot(dx, dy)
    # Zones: rank by noisy distance; the nearest are zone I, the farthest zone III.
    noisy = dist * rng.lognormal(0.0, 0.35, n)
    noisy[k == 0] = -1.0
    rank = _group_rank(prov, noisy) / np.maximum(counts[prov], 1)
    shares = np.array([_ZONE_SHARE[t] for t in _TERRAINS])[terr]
    zone = np.where(rank < shares[:, 0], 0, np.where(rank < shares[:, 0] + shares[:, 1], 1, 2))
    zone[k == 0] = 0
    border_prov = np.array([p.border for p in infos])[prov]
    border = border_prov & (rank > 0.6) & (rng.random(n) < 0.35)
    is_ward = zone == 0
    quota = np.where(
        is_ward, rng.integers(45, 71, n), np.minimum(50, rng.integers(24, 46, n) + 4 * (zone == 2))
    )
    staff = np.floor(quota * rng.uniform(0.68, 0.97, n)).astype(np.int64)
    slugs = [p.slug for p in infos]
    names = [p.name for p in infos]
    ids = [f"{slugs[p]}-{i + 1:03d}" for p, i in zip(prov.tolist(), k.tolist(), strict=True)]
    zones = ("I", "II", "III")
    records = [
        Commune(
            commune_id=ids[i],
            name=f"{names[p]} commune {kk + 1:03d}",
            province=names[p],
            lat=round(float(la), 5),
            lon=round(float(lo), 5),
            zone=zones[z],
            border=bool(bd),
            staff_count=int(sc),
            staff_quota=int(qu),
        )
        for i, (p, kk, la, lo, z, bd, sc, qu) in enumerate(
            zip(
                prov.tolist(),
                k.tolist(),
                lat.tolist(),
                lon.tolist(),
                zone.tolist(),
                border.tolist(),
                staff.tolist(),
                quota.tolist(),
                strict=True,
            )
        )
    ]
    return {"prov": prov, "zone": zone, "k": k, "ids": ids, "records": records}


def _officials(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    com: dict[str, Any],
    officials_p: IntArray,
    spec: SyntheticSpec,
) -> tuple[dict[str, IntArray], list[Official]]:
    """Officials clustered in the capital and towns; department from the main field."""
    n = int(officials_p.sum())
    prov = np.repeat(np.arange(len(infos)), officials_p)
    # Home commune: capital, other zone I, zone II, zone III weights spread over their communes.
    zone, k, c_prov = com["zone"], com["k"], com["prov"]
    cls = np.where(k == 0, 0, zone + 1)  # 0 capital, 1 zone I, 2 zone II, 3 zone III
    counts = np.zeros((len(infos), 4))
    np.add.at(counts, (c_prov, cls), 1.0)
    share = np.asarray(spec.home_share, dtype=np.float64)
    w = share[cls] / counts[c_prov, cls]
    home = _draw_within(rng, c_prov, w, prov)

    n_f = len(FIELDS)
    main = _draw_fields(rng, infos, OFFICIAL_FIELD_SHARE, prov)
    # Department: by the main field's owners.
    owner = np.zeros((n_f, len(_DEPT_CODES)))
    for d, code in enumerate(_DEPT_CODES):
        for f, wt in DEPARTMENTS[code][1].items():
            owner[FIELDS.index(f), d] = wt
    owner /= owner.sum(axis=1, keepdims=True)
    cum = np.cumsum(owner, axis=1)
    dept = (rng.random(n)[:, None] > cum[main]).sum(axis=1)
    dept = np.minimum(dept, len(_DEPT_CODES) - 1)
    level1 = rng.choice([1, 2, 3], size=n, p=[0.2, 0.45, 0.35])
    # Second and third skills: related fields mostly, any other field sometimes.
    related = np.full((n_f, 4), -1)
    for f, rel in _RELATED.items():
        related[FIELDS.index(f), : len(rel)] = [FIELDS.index(x) for x in rel]
    n_rel = (related >= 0).sum(axis=1)

    def other_field(exclude: list[IntArray]) -> IntArray:
        pick_rel = related[main, (rng.random(n) * n_rel[main]).astype(np.int64)]
        rand = (main + rng.integers(1, n_f, n)) % n_f
        f = np.where(rng.random(n) < 0.8, pick_rel, rand)
        clash = np.zeros(n, dtype=bool)
        for e in exclude:
            clash |= f == e
        # A clash falls back to the next field not yet held (at most 3 held).
        for _ in range(3):
            f = np.where(clash, (f + 1) % n_f, f)
            clash = np.zeros(n, dtype=bool)
            for e in exclude:
                clash |= f == e
        return f

    f2 = other_field([main])
    has2 = rng.random(n) < spec.second_skill
    f3 = other_field([main, f2])
    has3 = has2 & (rng.random(n) < spec.third_skill / max(spec.second_skill, 1e-9))
    level2 = rng.choice([1, 2, 3], size=n, p=[0.5, 0.38, 0.12])
    level3 = rng.choice([1, 2, 3], size=n, p=[0.6, 0.32, 0.08])

    female = rng.random(n) < 0.45
    civil = rng.random(n) < 0.45
    protected = female & (rng.random(n) < spec.protected_share / 0.45)
    volunteer = protected & (rng.random(n) < 0.25)
    has_limit = rng.random(n) < spec.personal_limit_share
    max_km = np.round(rng.uniform(40, 150, n), 0)
    available = rng.random(n) >= spec.unavailable_share
    surname = rng.choice(len(_SURNAMES), size=n, p=_normalise(_SURNAME_P))
    middle = rng.integers(0, 6, n)
    given = rng.integers(0, 10, n)

    slugs = [p.slug for p in infos]
    # Number officials within each (province, department).
    key = prov * len(_DEPT_CODES) + dept
    seq = _group_rank(key, np.arange(n, dtype=np.float64)) + 1
    c_ids = com["ids"]
    col = {
        name: arr.tolist()
        for name, arr in {
            "prov": prov, "dept": dept, "seq": seq, "home": home, "f1": main, "l1": level1,
            "f2": f2, "h2": has2, "l2": level2, "f3": f3, "h3": has3, "l3": level3,
            "female": female, "civil": civil, "protected": protected, "volunteer": volunteer,
            "has_limit": has_limit, "max_km": max_km, "available": available,
            "surname": surname, "middle": middle, "given": given,
        }.items()
    }  # fmt: skip
    records: list[Official] = []
    for i in range(n):
        skills = {FIELDS[col["f1"][i]]: col["l1"][i]}
        if col["h2"][i]:
            skills[FIELDS[col["f2"][i]]] = col["l2"][i]
            if col["h3"][i]:
                skills[FIELDS[col["f3"][i]]] = col["l3"][i]
        gender = "female" if col["female"][i] else "male"
        slug, code = slugs[col["prov"][i]], _DEPT_CODES[col["dept"][i]]
        records.append(
            Official(
                official_id=f"{slug}-{code}-{col['seq'][i]:04d}",
                name=(
                    f"{_SURNAMES[col['surname'][i]]} {_MIDDLE[gender][col['middle'][i]]} "
                    f"{_GIVEN[gender][col['given'][i]]}"
                ),
                agency_id=f"{slug}-{code}",
                skills=skills,
                home_commune_id=c_ids[col["home"][i]],
                gender=gender,
                category="civil_servant" if col["civil"][i] else "public_employee",
                protected=col["protected"][i],
                volunteer=col["volunteer"][i],
                max_km=col["max_km"][i] if col["has_limit"][i] else None,
                available=col["available"][i],
            )
        )
    listed = np.zeros((len(infos), len(_DEPT_CODES)), dtype=np.int64)
    np.add.at(listed, (prov, dept), 1)
    return {"listed": listed}, records


def _needs(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    com: dict[str, Any],
    slots_p: IntArray,
    part_time_share: float,
) -> list[Need]:
    """Slot units drawn over (commune, field) cells; a cell's units are one need's slots."""
    zone, c_prov = com["zone"], com["prov"]
    weight = np.array([0.6, 1.6, 2.6])[zone]
    unit_prov = np.repeat(np.arange(len(infos)), slots_p)
    commune = _draw_within(rng, c_prov, weight, unit_prov)
    field = _draw_fields(rng, infos, NEED_FIELD_SHARE, unit_prov)
    cell, slots = np.unique(commune * len(FIELDS) + field, return_counts=True)
    c, f = cell // len(FIELDS), cell % len(FIELDS)
    m = len(cell)
    z = zone[c]
    # Criticality: remote communes' needs are more critical.
    crit_p = np.array([[0.35, 0.5, 0.15], [0.2, 0.55, 0.25], [0.1, 0.45, 0.45]])
    crit = (rng.random(m)[:, None] > np.cumsum(crit_p[z], axis=1)).sum(axis=1) + 1
    min_level = rng.choice([1, 2, 3], size=m, p=[0.5, 0.36, 0.14])
    part = rng.random(m) < part_time_share
    workload = np.where(part, rng.choice([0.2, 0.25, 0.3, 0.4, 0.5], size=m), 1.0)
    c_ids = com["ids"]
    return [
        Need(
            need_id=f"{c_ids[ci]}-{FIELDS[fi]}",
            commune_id=c_ids[ci],
            field=FIELDS[fi],
            slots=int(sl),
            min_level=int(ml),
            criticality=int(cr),
            workload=float(wl),
        )
        for ci, fi, sl, ml, cr, wl in zip(
            c.tolist(),
            f.tolist(),
            slots.tolist(),
            min_level.tolist(),
            crit.tolist(),
            workload.tolist(),
            strict=True,
        )
    ]


def _agencies(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    fr: dict[str, IntArray],
    spec: SyntheticSpec,
) -> list[Agency]:
    """Eleven provincial departments per province, sized from the officials they list."""
    listed = fr["listed"].ravel()
    n = len(listed)
    payroll = np.ceil(listed * rng.uniform(8, 25, n))
    payroll = np.maximum(payroll, rng.integers(30, 90, n)).astype(np.int64)
    lo, hi = spec.ceiling_share
    ceiling = np.minimum(np.ceil(listed * rng.uniform(lo, hi, n)), payroll).astype(np.int64)
    floor = np.minimum(np.floor(listed * spec.floor_share), ceiling).astype(np.int64)
    out = []
    for i, (hc, fl, ce) in enumerate(
        zip(payroll.tolist(), floor.tolist(), ceiling.tolist(), strict=True)
    ):
        p, d = divmod(i, len(_DEPT_CODES))
        code = _DEPT_CODES[d]
        out.append(
            Agency(
                agency_id=f"{infos[p].slug}-{code}",
                name=f"{DEPARTMENTS[code][0]}, {infos[p].name}",
                headcount=hc,
                min_release=fl,
                max_release=ce,
                province=infos[p].name,
            )
        )
    return out


def field_shares(base: tuple[float, ...], terrain: str) -> FloatArray:
    """A field share vector tilted to a terrain's mix (sums to 1)."""
    tilt = _FIELD_TILT[terrain]
    w = np.array([base[i] * tilt.get(f, 1.0) for i, f in enumerate(FIELDS)])
    return np.asarray(w / w.sum(), dtype=np.float64)


def _draw_fields(
    rng: np.random.Generator, infos: list[ProvinceInfo], base: tuple[float, ...], prov: IntArray
) -> IntArray:
    """A field index per draw, from the draw's province's tilted field mix."""
    n_f = len(FIELDS)
    w = np.concatenate([field_shares(base, p.terrain) for p in infos])
    cell = _draw_within(rng, np.repeat(np.arange(len(infos)), n_f), w, prov)
    return cell % n_f


def _normalise(p: tuple[float, ...]) -> FloatArray:
    a = np.asarray(p, dtype=np.float64)
    return np.asarray(a / a.sum(), dtype=np.float64)
