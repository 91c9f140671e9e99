"""What the search knows of a part before it starts: a start plan and valid bounds.

Pass 1 of a CP-SAT solve: per part, the better of the flow and greedy plans
(a hint and a fallback), the slot bound (always valid, loose), and under
``SolveOptions.lp_guide`` the LP relaxation (a valid bound, reduced costs, the
support of the first search stage) and the Lagrangian relaxation with exact
knapsacks (a tighter bound, more support, more fixing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.allowance import within_budgets
from staffopt.indices import indices
from staffopt.model import build_model
from staffopt.model.lagrangian import LagrangianResult, lagrangian
from staffopt.model.objective import objective_column
from staffopt.model.relaxation import reduced_costs, relaxation, solve_lp
from staffopt.policies import greedy_assign
from staffopt.results import Obstacle, SolverFacts, relative_gap
from staffopt.schema import Scenario
from staffopt.solver.budget import LAGRANGIAN_S_PER_ARC, LP_S_PER_ARC, Budget
from staffopt.solver.flow import solve_flow
from staffopt.solver.parts import Part

#: The LP relaxation runs while less than this share of the time limit is
#: spent, the Lagrangian while less than the second share: under a short
#: limit the search keeps time (nation with a 30 s limit: pass 1 alone
#: takes about 30 s). "Spent" is the budget's: work in reproducible mode.
LP_BEFORE = 0.6
LAGRANGIAN_BEFORE = 0.4
#: Parts with at least this many arcs are searched in two stages guided by
#: the LP and Lagrangian relaxations (:mod:`staffopt.solver.guided`);
#: smaller ones go to CP-SAT whole, which proves them at once. Measured on 2
#: cores: Điện Biên (2.5k arcs) 0.24 s guided vs 0.37 s whole; synthetic
#: provinces (3.6k arcs, 30 % part-time) 0.86/0.64 s vs 1.06/0.61 s.
GUIDED_MIN_ARCS = 1_000


def is_guided(n_arcs: int) -> bool:
    """Whether a part of ``n_arcs`` arcs (with an LP bound) gets the guided search."""
    return n_arcs >= GUIDED_MIN_ARCS


#: Subgradient effort per guided part (see :mod:`staffopt.model.lagrangian`):
#: 60 iterations take 0.4-2.2 s on national parts of 50k-100k arcs. The
#: seconds cap applies in fast mode only (reproducible: the iterations).
LAGRANGIAN_ITERATIONS = 60
LAGRANGIAN_SECONDS = 3.0


#: Pieces the LP relaxation leaves out: the shared-support rows relax so
#: badly (commune Booleans at 1/n) that they do not move the LP bound, and
#: at national scale they are most of the model. The large province, 30 %
#: part-time, max_communes 3, max_km_between 60 (111,230 arcs): LP bound
#: 112,454.3 with them, 112,454.7 without; build 2.8 s -> 0.3 s, LP 6.4 s ->
#: 0.7 s. Leaving rows out keeps the bound and the reduced-cost fixing valid
#: (every plan of the model is a plan of the relaxation).
LP_WITHOUT = ("max_communes", "max_km_between")


@dataclass
class PartStart:
    """What pass 1 learns about a part: a start plan and, if solved, the LP."""

    part: Part
    obstacles: list[Obstacle]
    hint: npt.NDArray[np.bool_]
    hint_feasible: bool
    hint_value: int  # objective units (weights)
    slot_bound: int  # objective units: each need's best `slots` arcs (always valid, loose)
    lp_bound: int | None = None  # objective units; valid for the part
    lp_x: npt.NDArray[np.float64] | None = None
    reduced: npt.NDArray[np.float64] | None = None  # reduced costs of the arcs
    dual_bound: float | None = None  # the float bound the reduced costs go with
    lp_infeasible: bool = False
    support: npt.NDArray[np.bool_] | None = None  # arcs for the first search stage
    lagrangian: LagrangianResult | None = None

    def known_bound(self) -> int:
        """The best valid bound known for the part (objective units)."""
        return self.slot_bound if self.lp_bound is None else min(self.lp_bound, self.slot_bound)

    def weight(self) -> float:
        """How much search time the part deserves: its arcs times its relative gap."""
        if self.lp_bound is None:
            return float(len(self.part.arcs))
        if self.lp_infeasible:
            return 0.0
        gap = relative_gap(self.hint_value, max(self.lp_bound, self.hint_value))
        return len(self.part.arcs) * (gap or 0.0)


def best_start(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The better of two fast plans, to hint CP-SAT with (and to fall back on).

    The flow optimum of the network relaxation (one post per official) and
    the greedy rule (which lets an official take several part-time posts).
    Both respect capacity, slots and ceilings; neither floors, mandatory
    needs nor locks. Greedy keeps within the allowance budgets as it goes;
    the flow plan, which cannot state them, is repaired
    (:func:`staffopt.allowance.within_budgets`), so both stay valid start
    plans under a budget. Measured on the synthetic nation with 30 %
    part-time needs, greedy beats the flow plan by 1.3 %.
    """
    flow = within_budgets(scenario, arcs, solve_flow(scenario, arcs)[0])
    greedy = greedy_assign(scenario, arcs)
    score = arcs["score"].to_numpy(np.int64)
    return greedy if score[greedy].sum() > score[flow].sum() else flow


def best_slots_bound(scenario: Scenario, sub: pd.DataFrame) -> int:
    """Sum over needs of their best ``slots`` positive arc weights: a valid, loose bound.

    Any plan fills at most ``slots`` of a need's arcs, each at most once.
    """
    if len(sub) == 0:
        return 0
    gains = sub[objective_column(sub)].to_numpy(np.int64)
    n_idx = sub["n_idx"].to_numpy(np.int64)
    slots = indices(scenario).slots
    order = np.lexsort((-gains, n_idx))
    g, n = gains[order], n_idx[order]
    rank = np.arange(len(n)) - np.searchsorted(n, n, side="left")
    return int(g[(rank < slots[n]) & (g > 0)].sum())


def add_lp(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: PartStart,
    budget: Budget,
    facts: SolverFacts,
) -> None:
    """Solve the part's LP relaxation; record its bound and reduced costs in ``start``.

    Whether the Lagrangian follows depends on the budget spent (work, in
    reproducible mode); the LP and the Lagrangian run to their end there,
    the wall clock stopping them only as the budget's safety net.
    """
    t = time.perf_counter()
    part = start.part
    m = build_model(
        scenario, sub, need_scope=part.needs, agency_scope=part.agencies, without=LP_WITHOUT
    )
    facts.build_s += time.perf_counter() - t
    rel = relaxation(m)
    lp_limit = budget.wall_left() if budget.deterministic else max(1.0, budget.left())
    lp = solve_lp(rel, time_limit_s=lp_limit)
    facts.lp_s += lp.wall_s
    budget.charge(LP_S_PER_ARC * len(sub))
    budget.cut_by_wall_clock(lp.wall_s, lp_limit)
    if lp.status == "infeasible":
        start.lp_infeasible = True  # so is the part: CP-SAT will say so at once
        return
    if lp.bound is None or not np.isfinite(lp.bound):
        return
    start.lp_bound = floor_bound(lp.bound)
    start.dual_bound = lp.bound
    start.lp_x = lp.x[: m.n_arcs]
    start.reduced = reduced_costs(rel, lp.duals)[: m.n_arcs]
    start.support = start.lp_x > 1e-6
    if not is_guided(len(sub)):
        return
    if budget.spent_share() >= LAGRANGIAN_BEFORE:
        start.support |= start.reduced >= -1e-6
        return
    t = time.perf_counter()
    lag_limit = budget.wall_left() if budget.deterministic else LAGRANGIAN_SECONDS
    lag = lagrangian(
        m,
        rel,
        lp.duals,
        incumbent=float(start.hint_value),
        iterations=LAGRANGIAN_ITERATIONS,
        time_limit_s=lag_limit,
    )
    facts.lagrangian_s += time.perf_counter() - t
    budget.charge(LAGRANGIAN_S_PER_ARC * len(sub))
    if lag is not None:
        budget.cut_by_wall_clock(lag.wall_s, lag_limit)
    if lag is not None:
        start.lp_bound = min(start.lp_bound, floor_bound(lag.bound))
        start.support |= lag.support
        start.lagrangian = lag
    else:
        # Knapsacks too wide for the exact programme: the LP's support
        # and the arcs it prices at no loss instead.
        start.support |= start.reduced >= -1e-6


def floor_bound(bound: float) -> int:
    """A float bound on an integer objective, rounded down with room for rounding error."""
    return int(np.floor(bound + 1e-9 * max(1.0, abs(bound))))
