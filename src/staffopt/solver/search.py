"""The CP-SAT search over independent parts: two passes, time shared by difficulty.

Pass 1 (per part): a pure-network part goes to min-cost flow at once; every
other part gets its start plan and bounds (:mod:`.starts`). Pass 2 shares the
time left between the parts, easy ones first, and searches each one whole
(:func:`solve_part_whole`) or guided by its relaxations (:mod:`.guided`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.model.objective import objective_column
from staffopt.results import REQUIREMENT_OBSTACLES, SOLVED, SolverFacts, Status
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.cpsat import STATUS_OF, cpsat_part_bound, cpsat_solver, run_cpsat, scaled
from staffopt.solver.engine import network_obstacles
from staffopt.solver.flow import solve_flow
from staffopt.solver.guided import solve_part_guided
from staffopt.solver.parts import Part, PartResult, independent_parts
from staffopt.solver.starts import (
    LP_BEFORE,
    PartStart,
    add_lp,
    best_slots_bound,
    best_start,
    is_guided,
)

#: Share of the time limit left for decoding the plan (a national plan
#: decodes in 0.4 s; 1 % of 120 s is 1.2 s).
DECODE_RESERVE = 0.01


@dataclass
class SearchResult:
    """The merged outcome of every part: chosen arcs, status, objective and bound.

    ``failed`` is the part that proved infeasible (or found nothing), for the
    conflict finder; the objective and bound are sums over the parts.
    """

    chosen: npt.NDArray[np.bool_]
    status: Status
    objective: float | None
    bound: float | None
    failed: Part | None = None


def solve_parts(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    facts: SolverFacts,
    scale: int = 1,
    *,
    started: float | None = None,
) -> SearchResult:
    """Solve each independent part with CP-SAT (flow where a part is a network); merge.

    Pass 1 finds each part's start plan (the better of flow and greedy) and,
    with ``options.lp_guide``, its LP relaxation: a valid bound for every part
    and the guide of the search. Pass 2 shares the time left between the
    parts by how far their start is from their bound (arcs x relative gap),
    smallest first so what a part leaves unused goes to the harder ones.
    The merged objective and bound are the sums over the parts, so the gap
    stays correct. The time limit counts from ``started`` (solve()'s start,
    so candidate generation is inside it), else from now. What the search
    did is added to ``facts``.
    """
    t0 = time.perf_counter() if started is None else started
    t_split = time.perf_counter()
    parts = independent_parts(scenario, arcs)
    chosen = np.zeros(len(arcs), dtype=bool)
    facts.parts = len(parts)
    facts.split_s = time.perf_counter() - t_split
    score = arcs["score"].to_numpy(np.int64)
    gains = arcs[objective_column(arcs)].to_numpy(np.int64)
    statuses: list[Status] = []
    objective = bound = 0.0
    bound_known = True
    starts: list[PartStart] = []
    for part in parts:  # pass 1
        sub = arcs.iloc[part.arcs]
        obstacles = network_obstacles(scenario, sub, part)
        if options.engine == "auto" and not obstacles:
            # This part alone is a pure network: exact by min-cost flow.
            t = time.perf_counter()
            picked, _, obj, _ = solve_flow(scenario, sub)
            facts.solve_s += time.perf_counter() - t
            facts.flow_parts += 1
            chosen[part.arcs] = picked
            objective += obj
            bound += obj
            statuses.append("optimal")
            continue
        t = time.perf_counter()
        hint = best_start(scenario, sub)
        facts.hint_s += time.perf_counter() - t
        start = PartStart(
            part,
            obstacles,
            hint,
            hint_feasible=not (set(obstacles) & REQUIREMENT_OBSTACLES),
            hint_value=int(gains[part.arcs][hint].sum()),
            slot_bound=best_slots_bound(scenario, sub),
        )
        spent = (time.perf_counter() - t0) / options.time_limit_s
        if options.lp_guide and spent < LP_BEFORE:
            add_lp(scenario, sub, start, options, t0, facts)
        starts.append(start)
    failed: Part | None = None
    starts.sort(key=PartStart.weight)
    # Decoding the plan comes after the search: leave it its time.
    deadline = t0 + options.time_limit_s * (1 - DECODE_RESERVE)
    for k, start in enumerate(starts):  # pass 2
        left = deadline - time.perf_counter()
        pending = sum(st.weight() for st in starts[k:])
        share = start.weight() / pending if pending > 0 else 1.0 / (len(starts) - k)
        budget = max(0.1, left * share)
        sub = arcs.iloc[start.part.arcs]
        if left <= 0 and start.hint_feasible:
            # Out of time (a short limit on a large scenario): the start plan
            # stands, with the best bound known.
            facts.hint_fallback_parts += 1
            result = PartResult(start.hint, "feasible", scaled(start.known_bound(), scale))
        elif start.lp_bound is not None and is_guided(len(sub)):
            result = solve_part_guided(scenario, sub, start, options, budget, scale, facts)
        else:
            result = solve_part_whole(scenario, sub, start, options, budget, scale, facts)
        statuses.append(result.status)
        if result.status not in SOLVED:
            facts.failed_part = {"arcs": len(start.part.arcs), "status": result.status}
            failed = start.part
            break
        chosen[start.part.arcs] = result.picked
        # The objective is recomputed from the scores (weights may be scaled).
        objective += float(score[start.part.arcs][result.picked].sum())
        if result.bound is None:
            bound_known = False
        else:
            bound += result.bound
    params = cpsat_solver(options).parameters
    facts.workers = int(params.num_workers)
    facts.subsolvers = list(params.subsolvers)
    facts.seed = options.seed
    facts.time_limit_s = options.time_limit_s
    nothing = np.zeros(len(arcs), dtype=bool)
    if "infeasible" in statuses:
        return SearchResult(nothing, "infeasible", None, None, failed)
    if "unknown" in statuses:
        return SearchResult(nothing, "unknown", None, None, failed)
    merged: Status = "optimal" if all(st == "optimal" for st in statuses) else "feasible"
    return SearchResult(chosen, merged, objective, bound if bound_known else None)


def solve_part_whole(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: PartStart,
    options: SolveOptions,
    budget: float,
    scale: int,
    facts: SolverFacts,
) -> PartResult:
    """CP-SAT on all the part's arcs, hinted by the start plan."""
    code, solver, picked = run_cpsat(
        scenario, sub, None, start.part, start.hint, options, budget, facts
    )
    status = STATUS_OF[code]
    if picked is None:
        if status == "unknown" and start.hint_feasible:
            # Out of time before CP-SAT's first solution: the start plan is
            # feasible for this part (no floors, mandatory needs or locks).
            facts.hint_fallback_parts += 1
            return PartResult(start.hint, "feasible", scaled(start.known_bound(), scale))
        return PartResult(np.zeros(len(sub), dtype=bool), status, None)
    has_obj = bool((sub[objective_column(sub)].to_numpy(np.int64) != 0).any())
    obj = float(sub["score"].to_numpy(np.int64)[picked].sum())
    part_bound = cpsat_part_bound(solver, code, obj, scale, has_obj)
    known = scaled(start.known_bound(), scale)
    if known is not None:
        part_bound = known if part_bound is None else min(part_bound, known)
    return PartResult(picked, status, part_bound)
