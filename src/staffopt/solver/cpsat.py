"""One CP-SAT run: the solver's parameters, a hinted run on a part's arcs, its bound.

Parameters come from :class:`~staffopt.schema.SolveOptions`, never from the
planning policy. The status map, why a run stopped (a stop on the gap
reports OPTIMAL: it is told apart here) and the bound rules (CP-SAT's bound
in weighted units, floored to the score) live here once. Runs go through
:func:`staffopt.solver.stop.run_interruptibly` and are charged to the
solve's :class:`~staffopt.solver.budget.Budget`.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.model import build_model
from staffopt.results import SolverFacts, Status, StoppedBy
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.budget import DTIME_PER_SECOND, Budget
from staffopt.solver.parts import Part
from staffopt.solver.progress import watch_for
from staffopt.solver.stop import run_interruptibly

STATUS_OF: dict[Any, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


#: Subsolvers for small machines. Measured on the Điện Biên example (2 cores):
#: CP-SAT's default 2-worker portfolio has no LP worker and stalls at a 3.5%
#: gap after 10 s; max_lp + quick_restart proves the optimum in 0.4 s on every
#: seed tried. With more workers the default portfolio includes max_lp.
SMALL_MACHINE_SUBSOLVERS: dict[int, tuple[str, ...]] = {
    1: ("max_lp",),
    2: ("max_lp", "quick_restart"),
}


#: Workers of a reproducible search when ``SolveOptions.workers`` is 0. Measured
#: on the large 30 % part-time province (2 cores): one max_lp worker proves the
#: guided support stage at 0.08 deterministic units where two interleaved
#: workers (max_lp + quick_restart) need 1.9 (0.5 s against 7.7 s), and in
#: the 60 s runs tried it ended higher (112,106 against 112,075); its plan
#: also depends on no core count. What the mode costs against the fast one:
#: benchmarks/README.md, session 6.
DETERMINISTIC_WORKERS = 1


def available_cores() -> int:
    """Cores this process may use (affinity mask, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def cpsat_solver(
    options: SolveOptions,
    time_limit_s: float | None = None,
    *,
    wall_s: float | None = None,
    workers: int | None = None,
) -> cp_model.CpSolver:
    """A CpSolver set from the options.

    ``time_limit_s`` overrides the options' limit: seconds of wall clock, or
    in reproducible mode (``options.deterministic``) seconds-equivalents of
    work, given to CP-SAT as ``max_deterministic_time`` (x
    :data:`~staffopt.solver.budget.DTIME_PER_SECOND`) with ``wall_s`` as the
    wall-clock safety net. Reproducible mode searches with one worker unless
    ``options.workers`` asks for more, which then take turns in fixed batches
    (``interleave_search``): the two ways OR-Tools documents for a search
    whose result does not depend on thread timing. ``workers`` overrides
    both. CP-SAT's own SIGINT handler is off (:mod:`staffopt.solver.stop`
    says why).
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    limit = time_limit_s or options.time_limit_s
    default_workers = DETERMINISTIC_WORKERS if options.deterministic else available_cores()
    workers = workers or options.workers or default_workers
    p.num_workers = workers
    if options.deterministic:
        p.max_deterministic_time = limit * DTIME_PER_SECOND
        p.max_time_in_seconds = math.inf if wall_s is None else max(0.01, wall_s)
        # One worker is deterministic as it is; several take turns in fixed batches.
        p.interleave_search = workers > 1
    else:
        p.max_time_in_seconds = limit
    p.catch_sigint_signal = False
    subsolvers = options.subsolvers
    if subsolvers is None:
        subsolvers = SMALL_MACHINE_SUBSOLVERS.get(workers, ())
    p.subsolvers.extend(subsolvers)
    # One presolve round, measured on the synthetic large province and a
    # national part (82k-111k arcs, 2 cores): the first solution comes after
    # 3-5 s instead of 8-14 s (probing repeats each round) and the 25 s
    # bound is as good or better; small models are unaffected.
    p.max_presolve_iterations = 1
    if options.relative_gap > 0:
        p.relative_gap_limit = options.relative_gap
    p.random_seed = options.seed
    p.log_search_progress = options.log_search
    return solver


def run_cpsat(
    scenario: Scenario,
    sub: pd.DataFrame,
    keep: npt.NDArray[np.bool_] | None,
    part: Part,
    hint: npt.NDArray[np.bool_],
    options: SolveOptions,
    seconds: float,
    facts: SolverFacts,
    budget: Budget,
) -> tuple[Any, cp_model.CpSolver, npt.NDArray[np.bool_] | None]:
    """CP-SAT on the part's arcs (or the ``keep`` subset), hinted; the arcs it picked.

    ``seconds`` is the run's share of the budget (wall clock, or work in
    reproducible mode); a Ctrl-C during the run stops it with its best
    solution and sets ``budget.user_stop``.
    """
    idx = np.arange(len(sub)) if keep is None else np.flatnonzero(keep)
    t = time.perf_counter()
    m = build_model(
        scenario,
        sub if keep is None else sub.iloc[idx],
        need_scope=part.needs,
        agency_scope=part.agencies,
    )
    m.add_hint(hint[idx])
    facts.build_s += time.perf_counter() - t
    wall = budget.wall_left()
    solver = cpsat_solver(options, time_limit_s=seconds, wall_s=wall)
    # Progress, if someone listens: CP-SAT's bound counts for the part only
    # when the run holds all its arcs.
    watch = watch_for(bound_valid=keep is None)
    if watch is not None:
        watch.attach(solver)
    code = run_interruptibly(solver, m.model, budget, watch)
    if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
        raise RuntimeError(f"internal error: invalid CP-SAT model: {m.model.validate()}")
    budget.charge_cpsat(float(solver.response_proto.deterministic_time), len(idx))
    if code in (cp_model.FEASIBLE, cp_model.UNKNOWN) and not budget.user_stop:
        budget.cut_by_wall_clock(float(solver.wall_time), wall)
    facts.solve_s += solver.wall_time
    facts.variables += m.n_vars
    facts.constraints += len(m.proto.constraints)
    for p in m.pieces:
        facts.add_piece_rows(p.name, p.rows)
    picked = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)[: m.n_arcs] > 0
        picked = np.zeros(len(sub), dtype=bool)
        picked[idx[values]] = True
    return code, solver, picked


def stopped_on_gap(solver: cp_model.CpSolver, code: Any) -> bool:
    """Whether a run that reports OPTIMAL stopped on ``relative_gap_limit`` short of a proof.

    CP-SAT reports OPTIMAL when the gap limit stops it; its bound (in
    weighted units, integer objective) then still lies above its plan.
    """
    if code != cp_model.OPTIMAL or solver.parameters.relative_gap_limit <= 0:
        return False
    bound = float(solver.best_objective_bound)
    return math.isfinite(bound) and math.floor(bound + 1e-9) > round(solver.objective_value)


def run_outcome(solver: cp_model.CpSolver, code: Any, budget: Budget) -> tuple[Status, StoppedBy]:
    """What one run proved and why it stopped (a gap stop is ``feasible``, not ``optimal``)."""
    if code == cp_model.OPTIMAL:
        if stopped_on_gap(solver, code):
            return "feasible", "gap"
        return "optimal", "optimal"
    if code == cp_model.INFEASIBLE:
        return "infeasible", "infeasible"
    return STATUS_OF[code], "user" if budget.user_stop else "time_limit"


def cpsat_part_bound(
    solver: cp_model.CpSolver, code: Any, objective: float, scale: int, has_obj: bool
) -> float | None:
    """A valid upper bound on one part's score sum, or None when none is known.

    CP-SAT's bound is in weighted units (see ``prefer``): floor(bound / scale)
    bounds the score sum. A run that found no solution (the flow hint stood
    in) may report no usable bound: one below the hint's score is not one.
    A run stopped on the gap reports OPTIMAL with its bound above its plan.
    """
    if (code == cp_model.OPTIMAL and not stopped_on_gap(solver, code)) or not has_obj:
        return objective
    raw = float(solver.best_objective_bound)
    if not np.isfinite(raw):
        return None
    value = float(np.floor(raw / scale))
    if code == cp_model.UNKNOWN and value < objective:
        return None
    return max(objective, value)


def scaled(value: int | None, scale: int) -> float | None:
    """A bound in objective (weight) units as a bound on the score sum."""
    return None if value is None else float(value // scale)
