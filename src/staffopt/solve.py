"""solve(): candidates -> model -> solver run -> decoded Plan.

Two engines share the same arcs and give the same optimum where both apply:

* ``flow``: when the model is a pure network (every official takes at most
  one arc, no mandatory needs, no locks, no agency floors) it is a min-cost
  flow source -> agency -> official -> need -> sink, solved exactly by
  OR-Tools' network simplex in milliseconds.
* ``cpsat``: the general model (part-time loads, floors, mandatory needs,
  locks), one Boolean per arc.

``engine="auto"`` (the default) picks flow when it applies, else CP-SAT.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import ortools
import pandas as pd
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from staffopt.eligibility import candidates
from staffopt.model import build_model
from staffopt.model.constraints import single_assignment_officials
from staffopt.plan import Conflict, Plan, Status, decode
from staffopt.schema import Policy, Scenario

_STATUS: dict[int, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # "flow" or "cpsat"
    reason: str


def network_obstacles(scenario: Scenario, arcs: pd.DataFrame) -> list[str]:
    """Why the model is not a pure network (empty list = it is one)."""
    s = scenario
    why = []
    if any(n.mandatory for n in s.needs):
        why.append("mandatory needs")
    if any(lk.kind == "lock" for lk in s.locks):
        why.append("locks")
    if any(a.min_release > 0 for a in s.agencies):
        why.append("agency floors")
    if len(arcs):
        single = single_assignment_officials(s, arcs)
        o_idx = np.unique(arcs["o_idx"].to_numpy(np.int64))
        if not single[o_idx].all():
            why.append("officials who can take several part-time assignments")
    return why


def choose_engine(scenario: Scenario, arcs: pd.DataFrame, policy: Policy) -> EngineChoice:
    obstacles = network_obstacles(scenario, arcs)
    if policy.engine == "flow":
        if obstacles:
            raise ValueError(
                "engine='flow' needs a pure network model, but the scenario has "
                + ", ".join(obstacles)
                + "; use engine='auto' or 'cpsat'"
            )
        return EngineChoice("flow", "requested; the model is a pure network")
    if policy.engine == "cpsat":
        return EngineChoice("cpsat", "requested")
    if obstacles:
        return EngineChoice("cpsat", "side constraints: " + ", ".join(obstacles))
    return EngineChoice("flow", "pure network model: min-cost flow is exact")


def solve(
    scenario: Scenario,
    policy: Policy | None = None,
    *,
    time_limit_s: float | None = None,
) -> Plan:
    """Solve the scenario and return a decoded, explainable Plan.

    ``policy`` defaults to ``scenario.policy``; ``time_limit_s`` overrides the
    policy's limit. Never raises for an infeasible scenario: the plan's status
    says ``infeasible`` and ``plan.conflicts`` names the requirements involved.
    """
    policy = policy or scenario.policy
    if time_limit_s is not None:
        policy = policy.model_copy(update={"time_limit_s": float(time_limit_s)})
    start = time.perf_counter()
    arcs, exclusions = candidates(scenario, policy)
    t_candidates = time.perf_counter() - start
    choice = choose_engine(scenario, arcs, policy)
    facts: dict[str, Any] = {
        "engine": choice.engine,
        "engine_reason": choice.reason,
        "ortools_version": ortools.__version__,
        "arcs": len(arcs),
        "exclusions": len(exclusions),
        "candidates_s": round(t_candidates, 4),
    }
    if choice.engine == "flow":
        chosen, status, objective, bound = _solve_flow(scenario, arcs)
        message, conflicts = "", []
    else:
        chosen, status, objective, bound, run_facts = _solve_cpsat(scenario, arcs, policy)
        facts.update(run_facts)
        message, conflicts = _status_message(status, policy), []
        if status == "infeasible":
            conflicts = find_conflicts(scenario, arcs, policy)
            message = _conflict_message(conflicts)
    wall = time.perf_counter() - start
    facts["wall_time_s"] = round(wall, 4)
    return decode(
        scenario,
        policy,
        arcs,
        exclusions,
        chosen,
        status=status,
        objective=objective,
        bound=bound,
        wall_time_s=wall,
        solver=facts,
        message=message,
        conflicts=conflicts,
    )


def _solve_cpsat(
    scenario: Scenario, arcs: pd.DataFrame, policy: Policy
) -> tuple[npt.NDArray[np.bool_], Status, float | None, float | None, dict[str, Any]]:
    t0 = time.perf_counter()
    m = build_model(scenario, arcs)
    t_build = time.perf_counter() - t0
    solver = _solver(policy)
    code = solver.solve(m.model)
    if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
        raise RuntimeError(f"internal error: invalid CP-SAT model: {m.model.validate()}")
    status = _STATUS[code]
    facts = {
        "build_s": round(t_build, 4),
        "solve_s": round(solver.wall_time, 4),
        "workers": int(solver.parameters.num_workers),
        "subsolvers": list(solver.parameters.subsolvers),
        "seed": int(solver.parameters.random_seed),
        "time_limit_s": policy.time_limit_s,
        "variables": m.n_vars,
        "constraints": len(m.proto.constraints),
        "pieces": {p.name: p.rows for p in m.pieces},
    }
    if status in ("optimal", "feasible"):
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        chosen = values[: m.n_arcs] > 0
        has_obj = len(m.proto.objective.vars) > 0
        objective = float(solver.objective_value) if has_obj else 0.0
        bound = float(solver.best_objective_bound) if has_obj else 0.0
        if status == "optimal":
            bound = objective
        return chosen, status, objective, bound, facts
    return np.zeros(len(arcs), dtype=bool), status, None, None, facts


#: Subsolvers for small machines. Measured on the Điện Biên example (2 cores):
#: CP-SAT's default 2-worker portfolio has no LP worker and stalls at a 3.5%
#: gap after 10 s; max_lp + quick_restart proves the optimum in 0.4 s on every
#: seed tried. With more workers the default portfolio includes max_lp.
SMALL_MACHINE_SUBSOLVERS: dict[int, tuple[str, ...]] = {
    1: ("max_lp",),
    2: ("max_lp", "quick_restart"),
}


def _solver(policy: Policy, time_limit_s: float | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = time_limit_s or policy.time_limit_s
    workers = policy.workers or os.cpu_count() or 1
    p.num_workers = workers
    subsolvers = policy.subsolvers
    if subsolvers is None:
        subsolvers = SMALL_MACHINE_SUBSOLVERS.get(workers, ())
    p.subsolvers.extend(subsolvers)
    p.random_seed = policy.seed
    p.log_search_progress = policy.log_search
    return solver


def _solve_flow(
    scenario: Scenario, arcs: pd.DataFrame
) -> tuple[npt.NDArray[np.bool_], Status, float, float]:
    """Min-cost flow source -> agency -> official -> need -> sink (pure networks only).

    Arcs with score <= 0 are left out: they can only lower the objective.
    A bypass arc source -> sink at cost 0 lets flow stay home.
    """
    s = scenario
    n_ag, n_off, n_need = len(s.agencies), len(s.officials), len(s.needs)
    source, sink = 0, 1
    ag0, off0 = 2, 2 + n_ag
    need0 = off0 + n_off
    score = arcs["score"].to_numpy(np.int64)
    useful = np.flatnonzero(score > 0)
    o_idx = arcs["o_idx"].to_numpy(np.int64)[useful]
    n_idx = arcs["n_idx"].to_numpy(np.int64)[useful]
    agency_pos = {a.agency_id: i for i, a in enumerate(s.agencies)}
    off_agency = np.array([agency_pos[o.agency_id] for o in s.officials], dtype=np.int64)
    offs = np.unique(o_idx)
    needs_used = np.unique(n_idx)
    slots = np.array([n.slots for n in s.needs], dtype=np.int64)
    ceiling = np.array([a.ceiling for a in s.agencies], dtype=np.int64)
    supply = int(min(slots[needs_used].sum(), len(offs)))
    tails = np.concatenate(
        [
            np.full(n_ag, source),
            ag0 + off_agency[offs],
            off0 + o_idx,
            need0 + needs_used,
            [source],
        ]
    )
    heads = np.concatenate(
        [
            ag0 + np.arange(n_ag),
            off0 + offs,
            need0 + n_idx,
            np.full(len(needs_used), sink),
            [sink],
        ]
    )
    caps = np.concatenate(
        [
            np.minimum(ceiling, supply),
            np.ones(len(offs)),
            np.ones(len(useful)),
            slots[needs_used],
            [supply],
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(n_ag),
            np.zeros(len(offs)),
            -score[useful],
            np.zeros(len(needs_used)),
            [0],
        ]
    )
    mcf = min_cost_flow.SimpleMinCostFlow()
    first_pair = n_ag + len(offs)
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    supplies = np.zeros(need0 + n_need, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    code = mcf.solve()
    if code != mcf.OPTIMAL:  # cannot happen: the bypass arc makes it feasible
        raise RuntimeError(f"internal error: min-cost flow status {code}")
    flows = mcf.flows(np.arange(first_pair, first_pair + len(useful), dtype=np.int32))
    chosen = np.zeros(len(arcs), dtype=bool)
    chosen[useful[np.asarray(flows) > 0]] = True
    objective = float(-mcf.optimal_cost())
    return chosen, "optimal", objective, objective


def _status_message(status: Status, policy: Policy) -> str:
    if status == "unknown":
        return (
            f"no plan found within the time limit of {policy.time_limit_s:g} s; raise time_limit_s"
        )
    if status == "feasible":
        return f"time limit of {policy.time_limit_s:g} s reached before optimality was proven"
    return ""


def find_conflicts(
    scenario: Scenario, arcs: pd.DataFrame, policy: Policy, *, minimise: bool = True
) -> list[Conflict]:
    """Requirements (mandatory needs, locks, agency floors/ceilings) that cannot all hold.

    Builds the model without objective, each requirement behind its own
    literal, solves under the assumption that all hold and reads CP-SAT's
    sufficient assumptions for infeasibility; then, if small, shrinks that set
    by deletion until every member is needed.
    """
    m = build_model(scenario, arcs, guarded=True, objective=False)
    lits = list(m.guards)

    def infeasible(subset: list[int]) -> tuple[bool, list[int]]:
        m.proto.assumptions.clear()
        m.proto.assumptions.extend(subset)
        solver = _solver(policy, time_limit_s=min(policy.time_limit_s, 30.0))
        solver.parameters.num_workers = 1  # assumptions need a single worker
        code = solver.solve(m.model)
        if code == cp_model.INFEASIBLE:
            return True, list(solver.sufficient_assumptions_for_infeasibility())
        return False, []

    ok, core = infeasible(lits)
    if not ok:
        return []
    core = [c for c in core if c in m.guards] or lits
    if minimise and len(core) <= 30:
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + 1 :]
            still, _ = infeasible(trial)
            if still:
                core = trial
            else:
                i += 1
    reqs = [m.guards[c] for c in core]
    return [Conflict(r.kind, r.id, r.text_en, r.text_vi) for r in reqs]


def _conflict_message(conflicts: list[Conflict]) -> str:
    if not conflicts:
        return "infeasible: the hard rules cannot all hold"
    items = "; ".join(c.text_en for c in conflicts)
    return f"infeasible: these requirements cannot all hold together: {items}"
