"""The documented range of every number that reaches the model, and why it is safe.

CP-SAT and OR-Tools' min-cost flow count in 64-bit integers. A number too
large for them used to surface deep inside a solve (``OverflowError``,
"min-cost flow status BAD_COST_RANGE", "invalid CP-SAT model: possible
integer overflow"); the records, :class:`~staffopt.schema.Policy` and
:class:`~staffopt.schema.SolveOptions` now refuse it when the scenario is
read, in the same all-at-once :class:`~staffopt.errors.ScenarioError` as any
other bad cell. NaN and infinities are refused wherever a float enters.

The ranges are far beyond any real plan and chosen so that the worst case
fits with margin, for a national model of up to :data:`MODEL_ARCS` arcs and
:data:`MODEL_NODES` officials + needs + agencies:

* **Arc score.** ``score = base + zone + criticality + level + border +
  affinity + home - round(travel_points_per_km * km)``. Seven point terms of at most
  :data:`MAX_POINTS` each, and a travel term of at most
  :data:`MAX_TRAVEL_POINTS_PER_KM` times the longest distance: a given one
  (:data:`MAX_KM`) or a computed one (half the Earth's circumference times
  :data:`MAX_ROAD_FACTOR`, about 200,151 km). So
  ``|score| <= 7 * 10**6 + 1000 * 200,151 ≈ 2.07e8 < MAX_ARC_SCORE = 2**28``
  (:func:`worst_arc_score` computes it).
* **CP-SAT objective.** CP-SAT refuses a linear expression whose sum of
  ``|coefficient| * |bound|`` may exceed ``2**62``. The objective over every
  arc is at most ``MODEL_ARCS * MAX_ARC_SCORE ≈ 2.7e16``, 170 times below.
  (What-if's tie-breaking weights ``score * (K + 1) + preferred`` multiply
  this by the number K of preferred pairs plus one: the solver owns that
  factor.)
* **Min-cost flow.** OR-Tools scales every cost by ``nodes + 1`` and returns
  BAD_COST_RANGE when ``|cost| > 2**63 / (2 * (nodes + 1))``: with
  ``|cost| < 2**28`` that allows 1.7e10 nodes, 1,700 times
  :data:`MODEL_NODES`. The total cost, ``sum(cost * flow)`` with a flow of at
  most one on each official -> need arc, is bounded like CP-SAT's objective.
* **Ranked goals** (``Policy.goals``, :mod:`staffopt.solver.goals`). A
  CP-SAT stage's objective is one term at a time (``travel_km`` in metres:
  at most ``2.0e8`` per arc, inside the arc-score bound), and its optimum
  becomes a row of the next stage: no product of weights. The lexicographic
  min-cost flow multiplies them (``w_1 * M_1 + ...``), so its weights are
  checked against :data:`FLOW_COST_LIMIT` (and a plan's total against
  ``2**62``) before every use; when they do not fit, the stages go to
  CP-SAT instead. Nothing is assumed.
* **Rows.** Slots (:data:`MAX_SLOTS` per need), capacities and workloads
  (at most :data:`MAX_FTE` full-time equivalents, i.e. ``10**6`` thousandths,
  the unit the model counts in) and agency floors and ceilings
  (:data:`MAX_PEOPLE`) keep every row's sum at most ``10**14`` even with every
  official and every need in one row.
* **Thousandths.** Workloads and capacities are at least :data:`MIN_FTE`, one
  thousandth of a full-time equivalent (``indices.LOAD_SCALE``): a smaller
  positive value would round to zero and take no capacity at all.
* **Solve options.** CP-SAT's ``num_workers`` and ``random_seed`` are 32-bit
  integers (:data:`MAX_WORKERS`, :data:`MAX_SEED`); a time limit above
  :data:`MAX_TIME_LIMIT_S` (11.6 days) is no limit any run needs and keeps
  deadline arithmetic exact in a double.

* **Money.** Allowance rates are whole VND (:data:`Vnd`, at most
  :data:`MAX_VND` = 10**11 each, a hundred billion; :data:`MAX_VND_PER_KM`
  = 10**6 per km and month of travel); budgets (:data:`BudgetVnd`) at most
  :data:`MAX_BUDGET_VND` = 10**18. The model counts money in thousands of
  VND (:data:`COST_UNIT`): an arc's cost is rounded to whole thousands
  (:mod:`staffopt.allowance`), so the worst arc, ``MAX_VND +
  MAX_TERM_MONTHS * (3 * MAX_VND + MAX_VND_PER_KM * 200,151 km)``, is about
  1.8e13 VND = 1.8e10 thousands (:func:`worst_arc_cost`), and a budget row
  over :data:`MODEL_ARCS` arcs sums to at most 1.8e18, 2.5 times below
  CP-SAT's 2**62; its right-hand side is at most 10**15 thousands. A VND
  total is not a score: it never enters the objective, so the 2**28 score
  range is untouched.

``tests/test_limits.py`` checks this arithmetic, each bound (the largest value
accepted, the next one refused with a Problem naming the column) and, with
hypothesis, extreme values through every file form and ``solve``.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field

#: Largest national model the ranges are sized for: arcs, and nodes
#: (officials + needs + agencies) of a min-cost flow network.
MODEL_ARCS = 10**8
MODEL_NODES = 10**7

#: |points| of any score term given in points: base, zone, criticality, level,
#: border points and an affinity score.
MAX_POINTS = 1_000_000
#: Points lost per km of road distance.
MAX_TRAVEL_POINTS_PER_KM = 1_000
#: Road km per straight-line km.
MAX_ROAD_FACTOR = 10
#: A distance, given or as a limit (km); more than twice around the Earth.
MAX_KM = 100_000
#: People one need asks for.
MAX_SLOTS = 100_000
#: Full-time equivalents: the smallest unit the model counts (a thousandth)
#: and the largest workload or capacity.
MIN_FTE = 0.001
MAX_FTE = 1_000
#: A count of people: headcount, floors, ceilings, staff in post and quota
#: (more than a whole country's public workforce).
MAX_PEOPLE = 10_000_000
#: Solve options.
MAX_TIME_LIMIT_S = 1_000_000
MAX_WORKERS = 1024
MAX_SEED = 2**31 - 1

#: Point terms of an arc score (base, zone, criticality, level, border, affinity, home).
SCORE_POINT_TERMS = 7

#: Money: whole VND per rate or budget; VND per km and month of travel; the
#: longest term a cost is computed for (a secondment lasts at most 3 years).
MAX_VND = 10**11
MAX_BUDGET_VND = 10**18
MAX_VND_PER_KM = 10**6
MAX_TERM_MONTHS = 36
#: The term of a need that gives no ``months`` of its own (Điện Biên 2025: 6 months).
DEFAULT_TERM_MONTHS = 6
#: The model counts money in thousands of VND.
COST_UNIT = 1000

#: The bound every arc score stays below (see :func:`worst_arc_score`).
MAX_ARC_SCORE = 2**28
#: CP-SAT refuses a linear expression whose worst-case sum may exceed this.
CPSAT_SUM_LIMIT = 2**62
#: OR-Tools' min-cost flow refuses a cost above ``2**63 / (2 * (nodes + 1))``.
FLOW_COST_LIMIT = (2**63 - 1) // (2 * (MODEL_NODES + 1))

#: An integer number of points.
Points = Annotated[int, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
#: A count of people.
People = Annotated[int, Field(ge=0, le=MAX_PEOPLE)]
#: A distance in km (given, or a limit).
Km = Annotated[float, Field(ge=0, le=MAX_KM)]
#: An amount of money in whole VND (an allowance rate, a budget).
Vnd = Annotated[int, Field(ge=0, le=MAX_VND)]
#: A budget in whole VND (a province's or a whole scenario's).
BudgetVnd = Annotated[int, Field(ge=0, le=MAX_BUDGET_VND)]
#: Full-time equivalents (workload, capacity).
Fte = Annotated[float, Field(ge=MIN_FTE, le=MAX_FTE)]


def worst_arc_score() -> int:
    """The largest |score| an arc can have within the ranges (about 2.07e8)."""
    # Imported here: the schema (and so the independent checker) must not load geo.
    from staffopt.geo import EARTH_RADIUS_KM

    longest_computed_km = math.pi * EARTH_RADIUS_KM * MAX_ROAD_FACTOR
    travel = MAX_TRAVEL_POINTS_PER_KM * max(MAX_KM, longest_computed_km)
    return SCORE_POINT_TERMS * MAX_POINTS + math.ceil(travel)


def worst_arc_cost() -> int:
    """The largest cost an arc can have within the ranges, in :data:`COST_UNIT` (about 1.8e10).

    One-off allowance plus, per month of the longest term, the monthly,
    travel (fixed and per km, over the longest computed distance) and
    housing allowances.
    """
    from staffopt.geo import EARTH_RADIUS_KM

    longest_km = max(MAX_KM, math.pi * EARTH_RADIUS_KM * MAX_ROAD_FACTOR)
    per_month = 3 * MAX_VND + MAX_VND_PER_KM * math.ceil(longest_km)
    return math.ceil((MAX_VND + MAX_TERM_MONTHS * per_month) / COST_UNIT)
