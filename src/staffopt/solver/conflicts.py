"""Conflicts: which planner requirements cannot all hold, when a model is infeasible.

Three finders, cheapest first: a requirement that fails on its own (by
counting), an LP-feasibility deletion filter over the requirement rows (large
models), and CP-SAT's sufficient assumptions on a guarded model, shrunk to a
minimal set.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.indices import indices
from staffopt.model import build_model
from staffopt.model.relaxation import lp_feasible, relaxation
from staffopt.results import Requirement
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.budget import Budget
from staffopt.solver.cpsat import cpsat_solver
from staffopt.solver.parts import Part
from staffopt.solver.stop import run_interruptibly


def find_conflicts(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    *,
    part: Part | None = None,
    minimise: bool = True,
    budget: Budget | None = None,
) -> list[Requirement]:
    """Requirements (mandatory needs, locks, agency floors/ceilings) that cannot all hold.

    Builds the model without objective, each requirement behind its own
    literal, solves under the assumption that all hold and reads CP-SAT's
    sufficient assumptions for infeasibility; then, if small, shrinks that set
    by deletion until every member is needed. A Ctrl-C (or a ``budget`` the
    user already stopped) ends the shrinking: the set found so far is kept.
    """
    budget = budget or Budget(options.time_limit_s, options.deterministic)
    alone = requirement_that_cannot_hold(scenario, arcs, part)
    if alone is not None:
        return [alone]
    scope = len(arcs) if part is None else len(part.arcs)
    if scope >= LP_CONFLICT_MIN_ARCS:
        by_lp = lp_conflict(scenario, arcs, part)
        if by_lp:
            return by_lp
    if part is None:
        m = build_model(scenario, arcs, guarded=True, objective=False)
    else:
        m = build_model(
            scenario,
            arcs.iloc[part.arcs],
            guarded=True,
            objective=False,
            need_scope=part.needs,
            agency_scope=part.agencies,
        )
    lits = list(m.guards)

    def infeasible(subset: list[int]) -> tuple[bool, list[int]]:
        m.proto.assumptions.clear()
        m.proto.assumptions.extend(subset)
        # Assumptions need a single worker (deterministic as it is: no interleaving).
        solver = cpsat_solver(
            options, time_limit_s=min(options.time_limit_s, 30.0), workers=1, wall_s=60.0
        )
        code = run_interruptibly(solver, m.model, budget)
        if code == cp_model.INFEASIBLE:
            return True, list(solver.sufficient_assumptions_for_infeasibility())
        return False, []

    if budget.user_stop:
        return []
    ok, core = infeasible(lits)
    if not ok:
        return []
    core = [c for c in core if c in m.guards] or lits
    if minimise and len(core) <= 30:
        i = 0
        while i < len(core) and not budget.user_stop:
            trial = core[:i] + core[i + 1 :]
            still, _ = infeasible(trial)
            if still:
                core = trial
            else:
                i += 1
    return [m.guards[c] for c in core]


#: Models at least this large look for conflicts with LP feasibility checks
#: first: one CP-SAT search with assumptions on a 100k-arc model may not prove
#: infeasibility within its time, an LP check takes about a second.
LP_CONFLICT_MIN_ARCS = 20_000


LP_CONFLICT_SECONDS = 60.0


def lp_conflict(scenario: Scenario, arcs: pd.DataFrame, part: Part | None) -> list[Requirement]:
    """Requirements whose rows alone make the LP relaxation infeasible, shrunk by deletion.

    An infeasible relaxation proves the requirements cannot all hold; the set
    is minimal for the relaxation (dropping any member makes the LP feasible),
    which on integer models is close to, but not always, minimal. Empty when
    the relaxation is feasible (the conflict is integral) or undecided in time.
    """
    t0 = time.perf_counter()
    sub = arcs if part is None else arcs.iloc[part.arcs]
    m = build_model(
        scenario,
        sub,
        objective=False,
        need_scope=None if part is None else part.needs,
        agency_scope=None if part is None else part.agencies,
    )
    rel = relaxation(m)
    reqs = m.requirement_rows
    # A requirement may state several rows (stability: one per arc): they go together.
    unique = list(dict.fromkeys(req for req, _ in reqs))

    def infeasible_with(members: list[int]) -> bool:
        lb, ub = rel.lb.copy(), rel.ub.copy()
        kept = {unique[k] for k in members}
        for req, row in reqs:
            if req in kept:
                continue
            if req.kind in ("agency_ceiling", "budget"):  # upper bounds
                ub[row] = np.inf
            else:  # floors, mandatory needs, locks: lower bounds
                lb[row] = -np.inf
        left = LP_CONFLICT_SECONDS - (time.perf_counter() - t0)
        return left > 0 and lp_feasible(replace(rel, lb=lb, ub=ub), time_limit_s=left) is False

    core = list(range(len(unique)))
    if not core or not infeasible_with(core):
        return []
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        if infeasible_with(trial):
            core = trial
        else:
            i += 1
    return [unique[k] for k in core]


def requirement_that_cannot_hold(
    scenario: Scenario, arcs: pd.DataFrame, part: Part | None
) -> Requirement | None:
    """A requirement that fails on its own, found by counting (no solver).

    An agency floor above the number of its officials with any candidate arc,
    a mandatory need with fewer candidate arcs than slots, or a lock on a pair
    that is not an arc: each alone is a minimal conflict. On national models
    this answers at once where the assumption search may run out of time.
    """
    s = scenario
    sub = arcs if part is None else arcs.iloc[part.arcs]
    need_in = np.ones(len(s.needs), dtype=bool) if part is None else part.needs
    agency_in = np.ones(len(s.agencies), dtype=bool) if part is None else part.agencies
    n_idx = sub["n_idx"].to_numpy(np.int64)
    ix = indices(s)
    per_need = np.bincount(n_idx, minlength=len(s.needs))
    for n, need in enumerate(s.needs):
        if need.mandatory and need_in[n] and per_need[n] < need.slots:
            return Requirement("mandatory_need", need.need_id, need.slots)
    offs = np.unique(sub["o_idx"].to_numpy(np.int64))
    reachable = np.bincount(ix.official_agency[offs], minlength=len(s.agencies))
    for a, agency in enumerate(s.agencies):
        if agency.min_release > 0 and agency_in[a] and reachable[a] < agency.min_release:
            return Requirement("agency_floor", agency.agency_id, agency.min_release)
    pairs = set(zip(sub["official_id"].tolist(), sub["need_id"].tolist(), strict=True))
    for lk in s.locks:
        live = lk.kind == "lock" and need_in[ix.need_pos[lk.need_id]]
        if live and (lk.official_id, lk.need_id) not in pairs:
            return Requirement("lock", f"{lk.official_id}->{lk.need_id}")
    return None
