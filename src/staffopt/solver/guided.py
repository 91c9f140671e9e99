"""The guided search of a large part: a first CP-SAT stage on the relaxations' support,
then a proof over only the arcs that can still improve the plan.

Used for side-constrained parts of at least
:data:`~staffopt.solver.starts.GUIDED_MIN_ARCS` arcs that have an LP bound.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from staffopt.model.objective import objective_column
from staffopt.model.relaxation import fixable_arcs
from staffopt.results import SolverFacts, Status, StoppedBy, relative_gap
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.budget import Budget
from staffopt.solver.cpsat import run_cpsat, run_outcome, scaled
from staffopt.solver.parts import PartResult
from staffopt.solver.starts import PartStart

#: Share of a guided part's time for the first stage (the support); the
#: proof stage gets the rest, and all of it when the support is solved
#: sooner. Measured (nation, 30 % part-time, 120 s): 0.4 -> 0.61 % gap, 0.7 ->
#: 0.41 % (on the national parts the whole-model stage rarely finds a better
#: plan in its share); large province seed 1 is proven optimal in 38 s at 0.7.
SUPPORT_SHARE = 0.7


def solve_part_guided(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: PartStart,
    options: SolveOptions,
    seconds: float,
    scale: int,
    facts: SolverFacts,
    budget: Budget,
) -> PartResult:
    """Two CP-SAT stages steered by the part's LP relaxation, within ``seconds`` of the budget.

    1. *Support*: CP-SAT on the arcs the LP uses, the arcs of every
       official's knapsack along the Lagrangian iterations, and the start
       plan's: a model a tenth of the size where good plans come fast
       (national part of 95k arcs, 8 s: 191,288 from 9.5k such arcs; 189,245
       from the LP's support alone; the whole model had not moved from
       179,433). Its bound says nothing about the part.
    2. *Proof*: drop every arc no plan better than the incumbent can use
       (reduced-cost fixing, :func:`staffopt.model.relaxation.fixable_arcs`)
       and run CP-SAT on the rest. Any better plan lies in this model, so its
       bound, raised to the incumbent, bounds the part, and its optimum is
       the part's.

    A Ctrl-C in either stage keeps the best plan so far with the LP bound.
    """
    assert start.lp_bound is not None and start.reduced is not None and start.lp_x is not None
    assert start.dual_bound is not None
    facts.guided_parts += 1
    trace: dict[str, Any] = {
        "arcs": len(sub),
        "lp_bound": start.lp_bound,
        "start": start.hint_value,
    }
    facts.guided.append(trace)
    spent_before = budget.spent()
    gains = sub[objective_column(sub)].to_numpy(np.int64)
    best = start.hint if start.hint_feasible else None
    best_value = start.hint_value if best is not None else None
    lp = scaled(start.lp_bound, scale)

    def proven(value: int | None) -> bool:
        if value is None or start.lp_bound is None:
            return False
        if value >= start.lp_bound:
            return True
        gap = relative_gap(value, start.lp_bound)
        return options.relative_gap > 0 and gap is not None and gap <= options.relative_gap

    def incumbent(why: StoppedBy) -> PartResult:
        """The best plan so far with the LP bound (optimal if it reaches it)."""
        if best is None or best_value is None:
            return PartResult(np.zeros(len(sub), dtype=bool), "unknown", None, why)
        status = proven_status(best_value, start)
        return PartResult(best, status, lp, "optimal" if status == "optimal" else why)

    if proven(best_value):
        return incumbent("gap")
    assert start.support is not None
    try:
        # Stage 1. Without a feasible start (floors, mandatory needs, locks) the
        # start plan still steers it; the restricted model may then have no plan.
        support = start.support | start.hint
        if support.sum() < len(sub):
            _, _, picked = run_cpsat(
                scenario,
                sub,
                support,
                start.part,
                start.hint,
                options,
                seconds * SUPPORT_SHARE,
                facts,
                budget,
            )
            if picked is not None and (best_value is None or int(gains[picked].sum()) > best_value):
                best, best_value = picked, int(gains[picked].sum())
            trace.update(support_arcs=int(support.sum()), support_best=best_value)
        if budget.user_stop:
            return incumbent("user")
        # Stage 2: reduced-cost fixing against the incumbent, then the proof.
        if best is not None and best_value is not None:
            if proven(best_value):
                return incumbent("gap")
            fixed = fixable_arcs(start.dual_bound, start.reduced, best_value)
            if start.lagrangian is not None:
                fixed |= start.lagrangian.fixable(best_value)
            keep = ~fixed | best
            trace["fixed_arcs"] = int((~keep).sum())
            hint = best
        else:
            keep, hint = np.ones(len(sub), dtype=bool), start.hint
        left = max(0.1, seconds - (budget.spent() - spent_before))
        code, solver, picked = run_cpsat(
            scenario,
            sub,
            None if keep.all() else keep,
            start.part,
            hint,
            options,
            left,
            facts,
            budget,
        )
    except KeyboardInterrupt:
        budget.user_stop = True
        return incumbent("user")
    status, why = run_outcome(solver, code, budget)
    if picked is None:
        if best is None:
            return PartResult(np.zeros(len(sub), dtype=bool), status, None, why)
        # The proof stage found nothing in time: the incumbent stands.
        return incumbent(why)
    value = int(gains[picked].sum())
    if best is not None and best_value is not None and value < best_value:
        picked, value = best, best_value
    trace["final"] = value
    if status == "optimal":
        # The best plan of a model that holds every plan better than the
        # incumbent (and the incumbent itself): optimal for the part.
        return PartResult(picked, "optimal", scaled(value, scale), "optimal")
    raw = float(solver.best_objective_bound)
    part_bound = lp
    if np.isfinite(raw):
        cp_bound = max(int(np.floor(raw)), value)
        part_bound = scaled(min(cp_bound, start.lp_bound), scale)
    return PartResult(picked, "feasible", part_bound, why)


def proven_status(value: int, start: PartStart) -> Status:
    """Optimal when the plan reaches the part's bound, else feasible (a gap stop)."""
    return "optimal" if start.lp_bound is not None and value >= start.lp_bound else "feasible"
