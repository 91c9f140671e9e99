"""The CP-SAT search over independent parts: two passes, time shared by difficulty.

Pass 1 (per part): a pure-network part goes to min-cost flow at once; every
other part gets its start plan and bounds (:mod:`.starts`). Pass 2 shares the
time left between the parts, easy ones first, and searches each one whole
(:func:`solve_part_whole`) or guided by its relaxations (:mod:`.guided`).
Time is the :class:`~staffopt.solver.budget.Budget`'s (work in reproducible
mode). A Ctrl-C stops the search (:mod:`.stop`): every part keeps the best
plan it has, parts not yet searched their start plan where it is feasible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.model.objective import objective_column
from staffopt.results import (
    REQUIREMENT_OBSTACLES,
    SOLVED,
    SolverFacts,
    Status,
    StoppedBy,
    first_stop,
)
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.budget import START_S_PER_ARC, Budget
from staffopt.solver.cpsat import cpsat_part_bound, cpsat_solver, run_cpsat, run_outcome, scaled
from staffopt.solver.engine import network_obstacles
from staffopt.solver.flow import solve_flow
from staffopt.solver.guided import solve_part_guided
from staffopt.solver.parts import Part, PartResult, independent_parts
from staffopt.solver.progress import CURRENT, Tracker
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
    stopped_by: StoppedBy = "optimal"


def solve_parts(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    facts: SolverFacts,
    scale: int = 1,
    *,
    budget: Budget | None = None,
    tracker: Tracker | None = None,
) -> SearchResult:
    """Solve each independent part with CP-SAT (flow where a part is a network); merge.

    Pass 1 finds each part's start plan (the better of flow and greedy) and,
    with ``options.lp_guide``, its LP relaxation: a valid bound for every part
    and the guide of the search. Pass 2 shares the time left between the
    parts by how far their start is from their bound (arcs x relative gap),
    smallest first so what a part leaves unused goes to the harder ones.
    The merged objective and bound are the sums over the parts, so the gap
    stays correct. The time limit counts from the budget's start (solve()'s,
    so candidate generation is inside it), else from now. What the search
    did is added to ``facts``.

    A Ctrl-C (``KeyboardInterrupt``) anywhere in either pass stops the
    search: the part being searched keeps its best plan, the others their
    start plan (flow parts their optimum); pass 1 then only finds start
    plans. The result says ``stopped_by="user"``.

    ``tracker`` hears of the parts, each part's start plan and bounds, and
    the search's progress (:mod:`.progress`).
    """
    if budget is None:
        budget = Budget(options.time_limit_s, options.deterministic)
    if tracker is None:
        tracker = Tracker(None, budget.started, options.time_limit_s)
    t_split = time.perf_counter()
    parts = independent_parts(scenario, arcs)
    facts.parts = len(parts)
    facts.split_s = time.perf_counter() - t_split
    tracker.start_parts(len(parts))
    gains = arcs[objective_column(arcs)].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    results: list[tuple[Part, PartResult]] = []
    starts: list[PartStart] = []
    number = {id(part): k for k, part in enumerate(parts)}
    for k, part in enumerate(parts):  # pass 1
        try:
            first = first_pass(scenario, arcs, part, options, budget, facts, gains)
        except KeyboardInterrupt:
            # Stopped in this part's LP or start plan: from here on, start plans only.
            budget.user_stop = True
            first = first_pass(scenario, arcs, part, options, budget, facts, gains)
        if isinstance(first, PartResult):
            results.append((part, first))
            _track_result(tracker, k, part, first, score, done=False)
        else:
            starts.append(first)
            if tracker.active:
                start_value = first.hint_value if first.hint_feasible else None
                tracker.set_part(k, scaled(start_value, scale), scaled(first.known_bound(), scale))
        # Stage "bound" counts the parts whose start plan and bounds are known...
        tracker.parts_done = k + 1
        tracker.emit("bound")
    # ... stage "search" the parts whose search is over.
    tracker.parts_done = len(results)
    starts.sort(key=PartStart.weight)
    failed: Part | None = None
    for k, start in enumerate(starts):  # pass 2
        # Decoding the plan comes after the search: leave it its time.
        left = budget.left(DECODE_RESERVE)
        pending = sum(st.weight() for st in starts[k:])
        share = start.weight() / pending if pending > 0 else 1.0 / (len(starts) - k)
        seconds = max(0.1, left * share)
        sub = arcs.iloc[start.part.arcs]
        k_part = number[id(start.part)]
        tracker.emit("search")
        if budget.user_stop or (left <= 0 and start.hint_feasible):
            # Stopped by the user, or out of time (a short limit on a large
            # scenario): the start plan stands, with the best bound known.
            result = start_plan(start, scale, facts, budget)
        else:
            # The CP-SAT runs of this part report to the tracker (progress).
            searching = CURRENT.set((tracker, k_part, scale))
            try:
                if start.lp_bound is not None and is_guided(len(sub)):
                    result = solve_part_guided(
                        scenario, sub, start, options, seconds, scale, facts, budget
                    )
                else:
                    result = solve_part_whole(
                        scenario, sub, start, options, seconds, scale, facts, budget
                    )
            except KeyboardInterrupt:
                budget.user_stop = True
                result = start_plan(start, scale, facts, budget)
            finally:
                CURRENT.reset(searching)
        results.append((start.part, result))
        _track_result(tracker, k_part, start.part, result, score)
        tracker.emit("search")
        if result.status not in SOLVED:
            facts.failed_part = {"arcs": len(start.part.arcs), "status": result.status}
            failed = start.part
            break
    params = cpsat_solver(options).parameters
    facts.workers = int(params.num_workers)
    facts.subsolvers = list(params.subsolvers)
    facts.seed = options.seed
    facts.time_limit_s = options.time_limit_s
    facts.relative_gap = options.relative_gap
    return merge(arcs, results, failed)


def _track_result(
    tracker: Tracker,
    k: int,
    part: Part,
    result: PartResult,
    score: npt.NDArray[np.int64],
    *,
    done: bool = True,
) -> None:
    """Tell the tracker a part's result: the score of its plan and its bound."""
    if not tracker.active:
        return
    value = float(score[part.arcs][result.picked].sum()) if result.status in SOLVED else None
    tracker.set_part(k, value, result.bound, done=done)


def first_pass(
    scenario: Scenario,
    arcs: pd.DataFrame,
    part: Part,
    options: SolveOptions,
    budget: Budget,
    facts: SolverFacts,
    gains: npt.NDArray[np.int64],
) -> PartStart | PartResult:
    """A network part's optimum by min-cost flow, else the part's start plan and bounds.

    The LP (and Lagrangian) relaxation only under ``options.lp_guide``, while
    less than :data:`LP_BEFORE` of the budget is spent and the user has not
    stopped the search.
    """
    sub = arcs.iloc[part.arcs]
    obstacles = network_obstacles(scenario, sub, part)
    if options.engine == "auto" and not obstacles:
        # This part alone is a pure network: exact by min-cost flow.
        t = time.perf_counter()
        picked, _, obj, _ = solve_flow(scenario, sub)
        facts.solve_s += time.perf_counter() - t
        budget.charge(START_S_PER_ARC * len(sub))
        facts.flow_parts += 1
        return PartResult(picked, "optimal", obj, "optimal")
    t = time.perf_counter()
    hint = best_start(scenario, sub)
    facts.hint_s += time.perf_counter() - t
    budget.charge(START_S_PER_ARC * len(sub))
    start = PartStart(
        part,
        obstacles,
        hint,
        hint_feasible=not (set(obstacles) & REQUIREMENT_OBSTACLES),
        hint_value=int(gains[part.arcs][hint].sum()),
        slot_bound=best_slots_bound(scenario, sub),
    )
    if options.lp_guide and not budget.user_stop and budget.spent_share() < LP_BEFORE:
        add_lp(scenario, sub, start, budget, facts)
    return start


def start_plan(start: PartStart, scale: int, facts: SolverFacts, budget: Budget) -> PartResult:
    """A part not searched (out of time, or stopped by the user): its start plan, if feasible.

    A start plan that may break a hard rule (floors, mandatory needs, locks)
    is no plan: the part has status ``unknown``.
    """
    why: StoppedBy = "user" if budget.user_stop else "time_limit"
    if not start.hint_feasible:
        return PartResult(np.zeros(len(start.part.arcs), dtype=bool), "unknown", None, why)
    facts.hint_fallback_parts += 1
    return PartResult(start.hint, "feasible", scaled(start.known_bound(), scale), why)


def merge(
    arcs: pd.DataFrame, results: list[tuple[Part, PartResult]], failed: Part | None
) -> SearchResult:
    """The parts' plans as one: objective recomputed from the scores, bounds summed."""
    score = arcs["score"].to_numpy(np.int64)
    chosen = np.zeros(len(arcs), dtype=bool)
    statuses = [r.status for _, r in results]
    stopped_by = first_stop(r.stopped_by for _, r in results)
    nothing = np.zeros(len(arcs), dtype=bool)
    if "infeasible" in statuses:
        return SearchResult(nothing, "infeasible", None, None, failed, "infeasible")
    if "unknown" in statuses:
        return SearchResult(nothing, "unknown", None, None, failed, stopped_by)
    objective = bound = 0.0
    bound_known = True
    for part, r in results:
        chosen[part.arcs] = r.picked
        # The objective is recomputed from the scores (weights may be scaled).
        objective += float(score[part.arcs][r.picked].sum())
        if r.bound is None:
            bound_known = False
        else:
            bound += r.bound
    merged: Status = "optimal" if all(st == "optimal" for st in statuses) else "feasible"
    return SearchResult(chosen, merged, objective, bound if bound_known else None, None, stopped_by)


def solve_part_whole(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: PartStart,
    options: SolveOptions,
    seconds: float,
    scale: int,
    facts: SolverFacts,
    budget: Budget,
) -> PartResult:
    """CP-SAT on all the part's arcs, hinted by the start plan, within ``seconds`` of the
    budget."""
    code, solver, picked = run_cpsat(
        scenario, sub, None, start.part, start.hint, options, seconds, facts, budget
    )
    status, why = run_outcome(solver, code, budget)
    if picked is None:
        if status == "unknown":
            # Out of time (or stopped) before CP-SAT's first solution: the
            # start plan stands if it is feasible for this part (no floors,
            # mandatory needs or locks).
            return start_plan(start, scale, facts, budget)
        return PartResult(np.zeros(len(sub), dtype=bool), status, None, why)
    has_obj = bool((sub[objective_column(sub)].to_numpy(np.int64) != 0).any())
    obj = float(sub["score"].to_numpy(np.int64)[picked].sum())
    part_bound = cpsat_part_bound(solver, code, obj, scale, has_obj)
    known = scaled(start.known_bound(), scale)
    if known is not None:
        part_bound = known if part_bound is None else min(part_bound, known)
    return PartResult(picked, status, part_bound, why)
