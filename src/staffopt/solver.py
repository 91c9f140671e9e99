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

import importlib.metadata
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from staffopt.eligibility import candidates, official_agency_index
from staffopt.model import build_model
from staffopt.model.constraints import single_assignment_officials
from staffopt.model.lagrangian import LagrangianResult, lagrangian
from staffopt.model.objective import objective_column
from staffopt.model.relaxation import fixable_arcs, reduced_costs, relaxation, solve_lp
from staffopt.plan import Conflict, Plan, Status, decode
from staffopt.policies import greedy_assign
from staffopt.schema import Policy, Scenario, SolveOptions

_STATUS: dict[Any, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # "flow" or "cpsat"
    reason: str


def network_obstacles(
    scenario: Scenario, arcs: pd.DataFrame, part: Part | None = None
) -> list[str]:
    """Why the model (or one independent part of it) is not a pure network.

    An empty list means it is one: min-cost flow solves it exactly.
    """
    s = scenario
    need_in = np.ones(len(s.needs), dtype=bool) if part is None else part.needs
    agency_in = np.ones(len(s.agencies), dtype=bool) if part is None else part.agencies
    why = []
    if any(n.mandatory and need_in[i] for i, n in enumerate(s.needs)):
        why.append("mandatory needs")
    if any(lk.kind == "lock" for lk in s.locks):
        need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
        if any(lk.kind == "lock" and need_in[need_pos[lk.need_id]] for lk in s.locks):
            why.append("locks")
    if any(a.min_release > 0 and agency_in[i] for i, a in enumerate(s.agencies)):
        why.append("agency floors")
    if len(arcs):
        single = single_assignment_officials(s, arcs)
        o_idx = np.unique(arcs["o_idx"].to_numpy(np.int64))
        if not single[o_idx].all():
            why.append("officials who can take several part-time assignments")
    return why


def choose_engine(scenario: Scenario, arcs: pd.DataFrame, options: SolveOptions) -> EngineChoice:
    obstacles = network_obstacles(scenario, arcs)
    if options.engine == "flow":
        if obstacles:
            raise ValueError(
                "engine='flow' needs a pure network model, but the scenario has "
                + ", ".join(obstacles)
                + "; use engine='auto' or 'cpsat'"
            )
        return EngineChoice("flow", "requested; the model is a pure network")
    if options.engine == "cpsat":
        return EngineChoice("cpsat", "requested")
    if obstacles:
        return EngineChoice("cpsat", "side constraints: " + ", ".join(obstacles))
    return EngineChoice("flow", "pure network model: min-cost flow is exact")


def solve(
    scenario: Scenario,
    policy: Policy | None = None,
    *,
    options: SolveOptions | None = None,
    time_limit_s: float | None = None,
    prefer: Iterable[tuple[str, str]] | None = None,
) -> Plan:
    """Solve the scenario and return a decoded, explainable Plan.

    ``policy`` (what the planner decides) defaults to ``scenario.policy``;
    ``options`` (how the solver runs) to ``scenario.options``, and
    ``time_limit_s`` is a shorthand for ``options.time_limit_s``. Never raises
    for an infeasible scenario: the plan's status says ``infeasible`` and
    ``plan.conflicts`` names the requirements involved.

    ``prefer``: (official_id, need_id) pairs to keep where it costs nothing:
    among the plans of best total score, one with the most of these pairs
    (lexicographic, exact: weights ``score * (K + 1) + preferred``). Re-runs
    and what-if questions use it so that ties do not reshuffle the plan.
    """
    policy = policy or scenario.policy
    options = (options or scenario.options).with_changes(time_limit_s=time_limit_s)
    start = time.perf_counter()
    arcs, exclusions = candidates(scenario, policy)
    scale = 1
    if prefer is not None:
        arcs, scale = _with_preference(arcs, prefer)
    t_candidates = time.perf_counter() - start
    choice = choose_engine(scenario, arcs, options)
    facts: dict[str, Any] = {
        "engine": choice.engine,
        "engine_reason": choice.reason,
        "ortools_version": importlib.metadata.version("ortools"),
        "arcs": len(arcs),
        "exclusions": len(exclusions),
        "candidates_s": round(t_candidates, 4),
    }
    objective: float | None
    bound: float | None
    conflicts: list[Conflict] = []
    message = ""
    if choice.engine == "flow":
        chosen, status, objective, bound = _solve_flow(scenario, arcs)
    else:
        chosen, status, objective, bound, run_facts, failed = _solve_cpsat(
            scenario, arcs, options, scale, started=start
        )
        facts.update(run_facts)
        if run_facts.get("flow_parts"):
            facts["engine_reason"] += (
                f"; {run_facts['flow_parts']} of {run_facts['parts']} independent parts "
                "are pure networks, solved by min-cost flow"
            )
        message = _status_message(status, options)
        if status == "infeasible":
            conflicts = find_conflicts(scenario, arcs, options, part=failed)
            message = _conflict_message(conflicts)
    if scale > 1:
        facts["preferred_kept"] = int(arcs["weight"].to_numpy()[chosen].sum() % scale)
        arcs = arcs.drop(columns="weight")
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


#: Independent parts are grouped into batches of about this many arcs, so
#: thousands of tiny parts do not each pay a solver start-up.
BATCH_ARCS = 100_000


@dataclass(frozen=True)
class Part:
    """A batch of independent parts: its arc positions and the needs/agencies it covers."""

    arcs: npt.NDArray[np.int64]
    needs: npt.NDArray[np.bool_]
    agencies: npt.NDArray[np.bool_]


def binding_agencies(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Agencies whose floor or ceiling can bind: they couple their officials."""
    s = scenario
    off_agency = official_agency_index(s)
    offs = np.unique(arcs["o_idx"].to_numpy(np.int64))
    members = np.bincount(off_agency[offs], minlength=len(s.agencies))
    floor = np.array([a.min_release for a in s.agencies], dtype=np.int64)
    ceiling = np.array([a.ceiling for a in s.agencies], dtype=np.int64)
    return np.asarray((floor > 0) | (members > ceiling))


def independent_parts(scenario: Scenario, arcs: pd.DataFrame) -> list[Part]:
    """Split the model into independent parts, batched by size.

    Parts are the connected components of the graph whose nodes are
    officials, needs and agencies, with an edge per arc and an edge from each
    official to its agency when the agency's floor or ceiling can bind.
    Parts with nothing to decide (no arc and no requirement) are dropped.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    s = scenario
    n_off, n_need, n_ag = len(s.officials), len(s.needs), len(s.agencies)
    n_nodes = n_off + n_need + n_ag
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    off_agency = official_agency_index(s)
    binding = binding_agencies(s, arcs)
    linked = np.flatnonzero(binding[off_agency])
    rows = np.concatenate([o_idx, linked])
    cols = np.concatenate([n_off + n_idx, n_off + n_need + off_agency[linked]])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_nodes,) * 2)
    _, label = connected_components(graph, directed=False)
    need_label = label[n_off : n_off + n_need]
    agency_label = label[n_off + n_need :]
    arc_label = need_label[n_idx]
    # Which components carry anything to decide.
    active = np.zeros(label.max() + 1, dtype=bool)
    active[arc_label] = True
    mandatory = np.array([n.mandatory for n in s.needs], dtype=bool)
    active[need_label[mandatory]] = True
    active[agency_label[binding]] = True
    locked_needs = [lk.need_id for lk in s.locks if lk.kind == "lock"]
    if locked_needs:
        need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
        active[need_label[[need_pos[n] for n in locked_needs]]] = True
    comps = np.flatnonzero(active)
    sizes = np.bincount(arc_label, minlength=len(active))[comps]
    # Batch: walk components, cut a batch when it reaches BATCH_ARCS arcs.
    batch_of_comp = np.full(len(active), -1, dtype=np.int64)
    batch, filled = 0, 0
    for comp, size in zip(comps, sizes, strict=True):
        if filled and filled + size > BATCH_ARCS:
            batch, filled = batch + 1, 0
        batch_of_comp[comp] = batch
        filled += int(size)
    arc_batch = batch_of_comp[arc_label]
    order = np.argsort(arc_batch, kind="stable")
    cuts = np.searchsorted(arc_batch[order], np.arange(batch + 2))
    parts = []
    for b in range(batch + 1):
        parts.append(
            Part(
                arcs=order[cuts[b] : cuts[b + 1]].astype(np.int64),
                needs=batch_of_comp[need_label] == b,
                agencies=batch_of_comp[agency_label] == b,
            )
        )
    return parts


def _with_preference(
    arcs: pd.DataFrame, prefer: Iterable[tuple[str, str]]
) -> tuple[pd.DataFrame, int]:
    """Arcs with a lexicographic ``weight``: score first, then preferred pairs."""
    pairs = set(prefer)
    scale = len(pairs) + 1
    key = list(zip(arcs["official_id"], arcs["need_id"], strict=True))
    preferred = np.fromiter((k in pairs for k in key), dtype=bool, count=len(key))
    out = arcs.copy()
    out["weight"] = arcs["score"].to_numpy(np.int64) * scale + preferred
    return out, scale


#: Parts with at least this many arcs are searched in two stages guided by
#: the LP and Lagrangian relaxations (see :func:`_solve_part_guided`);
#: smaller ones go to CP-SAT whole, which proves them at once. Measured on 2
#: cores: Điện Biên (2.5k arcs) 0.24 s guided vs 0.37 s whole; synthetic
#: provinces (3.6k arcs, 30 % part-time) 0.86/0.64 s vs 1.06/0.61 s.
GUIDED_MIN_ARCS = 1_000
#: The LP relaxation runs while less than this share of the time limit is
#: spent, the Lagrangian while less than the second share: under a short
#: limit the search keeps time (nation with a 30 s limit: pass 1 alone
#: takes about 30 s).
LP_BEFORE = 0.6
LAGRANGIAN_BEFORE = 0.4
#: Share of the time limit left for decoding the plan (a national plan
#: decodes in 0.4 s; 1 % of 120 s is 1.2 s).
DECODE_RESERVE = 0.01
#: Share of a guided part's time for the first stage (the support); the
#: proof stage gets the rest, and all of it when the support is solved
#: sooner. Measured (nation, 30 % part-time, 120 s): 0.4 -> 0.61 % gap, 0.7 ->
#: 0.41 % (on the national parts the whole-model stage rarely finds a better
#: plan in its share); large province seed 1 is proven optimal in 38 s at 0.7.
SUPPORT_SHARE = 0.7
#: Subgradient effort per guided part (see :mod:`staffopt.model.lagrangian`):
#: 60 iterations take 0.4-2.2 s on national parts of 50k-100k arcs.
LAGRANGIAN_ITERATIONS = 60
LAGRANGIAN_SECONDS = 3.0


@dataclass
class _Start:
    """What pass 1 learns about a part: a start plan and, if solved, the LP."""

    part: Part
    obstacles: list[str]
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
        gap = max(0, self.lp_bound - self.hint_value) / max(1, abs(self.lp_bound))
        return len(self.part.arcs) * gap


@dataclass
class _PartResult:
    picked: npt.NDArray[np.bool_]
    status: Status
    bound: float | None  # score units


def _solve_cpsat(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    scale: int = 1,
    *,
    started: float | None = None,
) -> tuple[npt.NDArray[np.bool_], Status, float | None, float | None, dict[str, Any], Part | None]:
    """Solve each independent part with CP-SAT (flow where a part is a network); merge.

    Pass 1 finds each part's start plan (the better of flow and greedy) and,
    with ``options.lp_guide``, its LP relaxation: a valid bound for every part
    and the guide of the search. Pass 2 shares the time left between the
    parts by how far their start is from their bound (arcs x relative gap),
    smallest first so what a part leaves unused goes to the harder ones.
    The merged objective and bound are the sums over the parts, so the gap
    stays correct. The time limit counts from ``started`` (solve()'s start,
    so candidate generation is inside it), else from now.
    """
    t0 = time.perf_counter() if started is None else started
    t_split = time.perf_counter()
    parts = independent_parts(scenario, arcs)
    chosen = np.zeros(len(arcs), dtype=bool)
    facts: dict[str, Any] = {
        "parts": len(parts),
        "build_s": 0.0,
        "solve_s": 0.0,
        "hint_s": 0.0,
        "lp_s": 0.0,
        "variables": 0,
        "constraints": 0,
        "pieces": {},
        "flow_parts": 0,
        "guided_parts": 0,
    }
    facts["split_s"] = round(time.perf_counter() - t_split, 4)
    score = arcs["score"].to_numpy(np.int64)
    gains = arcs[objective_column(arcs)].to_numpy(np.int64)
    statuses: list[Status] = []
    objective = bound = 0.0
    bound_known = True
    starts: list[_Start] = []
    for part in parts:  # pass 1
        sub = arcs.iloc[part.arcs]
        obstacles = network_obstacles(scenario, sub, part)
        if options.engine == "auto" and not obstacles:
            # This part alone is a pure network: exact by min-cost flow.
            t = time.perf_counter()
            picked, _, obj, _ = _solve_flow(scenario, sub)
            facts["solve_s"] += time.perf_counter() - t
            facts["flow_parts"] += 1
            chosen[part.arcs] = picked
            objective += obj
            bound += obj
            statuses.append("optimal")
            continue
        t = time.perf_counter()
        hint = _best_start(scenario, sub)
        facts["hint_s"] += time.perf_counter() - t
        start = _Start(
            part,
            obstacles,
            hint,
            hint_feasible=not (set(obstacles) & {"mandatory needs", "locks", "agency floors"}),
            hint_value=int(gains[part.arcs][hint].sum()),
            slot_bound=_slot_bound(scenario, sub),
        )
        spent = (time.perf_counter() - t0) / options.time_limit_s
        if options.lp_guide and spent < LP_BEFORE:
            _add_lp(scenario, sub, start, options, t0, facts)
        starts.append(start)
    failed: Part | None = None
    starts.sort(key=_Start.weight)
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
            facts["hint_fallback_parts"] = facts.get("hint_fallback_parts", 0) + 1
            result = _PartResult(start.hint, "feasible", _scaled(start.known_bound(), scale))
        elif start.lp_bound is not None and len(sub) >= GUIDED_MIN_ARCS:
            result = _solve_part_guided(scenario, sub, start, options, budget, scale, facts)
        else:
            result = _solve_part_whole(scenario, sub, start, options, budget, scale, facts)
        statuses.append(result.status)
        if result.status not in ("optimal", "feasible"):
            facts["failed_part"] = {"arcs": len(start.part.arcs), "status": result.status}
            failed = start.part
            break
        chosen[start.part.arcs] = result.picked
        # The objective is recomputed from the scores (weights may be scaled).
        objective += float(score[start.part.arcs][result.picked].sum())
        if result.bound is None:
            bound_known = False
        else:
            bound += result.bound
    params = _solver(options).parameters
    facts.update(
        workers=int(params.num_workers),
        subsolvers=list(params.subsolvers),
        seed=options.seed,
        time_limit_s=options.time_limit_s,
    )
    for key in ("build_s", "solve_s", "hint_s", "lp_s", "lagrangian_s"):
        if key in facts:
            facts[key] = round(facts[key], 4)
    if "infeasible" in statuses:
        return np.zeros(len(arcs), dtype=bool), "infeasible", None, None, facts, failed
    if "unknown" in statuses:
        return np.zeros(len(arcs), dtype=bool), "unknown", None, None, facts, failed
    merged: Status = "optimal" if all(st == "optimal" for st in statuses) else "feasible"
    return chosen, merged, objective, bound if bound_known else None, facts, None


def _add_lp(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: _Start,
    options: SolveOptions,
    t0: float,
    facts: dict[str, Any],
) -> None:
    """Solve the part's LP relaxation; record its bound and reduced costs in ``start``."""
    t = time.perf_counter()
    part = start.part
    m = build_model(scenario, sub, need_scope=part.needs, agency_scope=part.agencies)
    facts["build_s"] += time.perf_counter() - t
    rel = relaxation(m)
    left = options.time_limit_s - (time.perf_counter() - t0)
    lp = solve_lp(rel, time_limit_s=max(1.0, left))
    facts["lp_s"] += lp.wall_s
    if lp.status == "infeasible":
        start.lp_infeasible = True  # so is the part: CP-SAT will say so at once
        return
    if lp.bound is None or not np.isfinite(lp.bound):
        return
    start.lp_bound = _floor(lp.bound)
    start.dual_bound = lp.bound
    start.lp_x = lp.x[: m.n_arcs]
    start.reduced = reduced_costs(rel, lp.duals)[: m.n_arcs]
    start.support = start.lp_x > 1e-6
    if len(sub) < GUIDED_MIN_ARCS:
        return
    if (time.perf_counter() - t0) / options.time_limit_s >= LAGRANGIAN_BEFORE:
        start.support |= start.reduced >= -1e-6
        return
    t = time.perf_counter()
    lag = lagrangian(
        m,
        rel,
        lp.duals,
        incumbent=float(start.hint_value),
        iterations=LAGRANGIAN_ITERATIONS,
        time_limit_s=LAGRANGIAN_SECONDS,
    )
    facts["lagrangian_s"] = facts.get("lagrangian_s", 0.0) + time.perf_counter() - t
    if lag is not None:
        start.lp_bound = min(start.lp_bound, _floor(lag.bound))
        start.support |= lag.support
        start.lagrangian = lag
    else:
        # Knapsacks too wide for the exact programme: the LP's support
        # and the arcs it prices at no loss instead.
        start.support |= start.reduced >= -1e-6


def _floor(bound: float) -> int:
    """A float bound on an integer objective, rounded down with room for rounding error."""
    return int(np.floor(bound + 1e-9 * max(1.0, abs(bound))))


def _run(
    scenario: Scenario,
    sub: pd.DataFrame,
    keep: npt.NDArray[np.bool_] | None,
    start: _Start,
    hint: npt.NDArray[np.bool_],
    options: SolveOptions,
    budget: float,
    facts: dict[str, Any],
) -> tuple[Any, cp_model.CpSolver, npt.NDArray[np.bool_] | None]:
    """CP-SAT on the part's arcs (or the ``keep`` subset), hinted; the arcs it picked."""
    part = start.part
    idx = np.arange(len(sub)) if keep is None else np.flatnonzero(keep)
    t = time.perf_counter()
    m = build_model(
        scenario,
        sub if keep is None else sub.iloc[idx],
        need_scope=part.needs,
        agency_scope=part.agencies,
    )
    m.add_hint(hint[idx])
    facts["build_s"] += time.perf_counter() - t
    solver = _solver(options, time_limit_s=budget)
    code = solver.solve(m.model)
    if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
        raise RuntimeError(f"internal error: invalid CP-SAT model: {m.model.validate()}")
    facts["solve_s"] += solver.wall_time
    facts["variables"] += m.n_vars
    facts["constraints"] += len(m.proto.constraints)
    for p in m.pieces:
        facts["pieces"][p.name] = facts["pieces"].get(p.name, 0) + p.rows
    picked = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)[: m.n_arcs] > 0
        picked = np.zeros(len(sub), dtype=bool)
        picked[idx[values]] = True
    return code, solver, picked


def _solve_part_whole(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: _Start,
    options: SolveOptions,
    budget: float,
    scale: int,
    facts: dict[str, Any],
) -> _PartResult:
    """CP-SAT on all the part's arcs, hinted by the start plan."""
    code, solver, picked = _run(scenario, sub, None, start, start.hint, options, budget, facts)
    status = _STATUS[code]
    if picked is None:
        if status == "unknown" and start.hint_feasible:
            # Out of time before CP-SAT's first solution: the start plan is
            # feasible for this part (no floors, mandatory needs or locks).
            facts["hint_fallback_parts"] = facts.get("hint_fallback_parts", 0) + 1
            return _PartResult(start.hint, "feasible", _scaled(start.known_bound(), scale))
        return _PartResult(np.zeros(len(sub), dtype=bool), status, None)
    has_obj = bool((sub[objective_column(sub)].to_numpy(np.int64) != 0).any())
    obj = float(sub["score"].to_numpy(np.int64)[picked].sum())
    part_bound = _part_bound(solver, code, obj, scale, has_obj)
    known = _scaled(start.known_bound(), scale)
    if known is not None:
        part_bound = known if part_bound is None else min(part_bound, known)
    return _PartResult(picked, status, part_bound)


def _solve_part_guided(
    scenario: Scenario,
    sub: pd.DataFrame,
    start: _Start,
    options: SolveOptions,
    budget: float,
    scale: int,
    facts: dict[str, Any],
) -> _PartResult:
    """Two CP-SAT stages steered by the part's LP relaxation.

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
    """
    assert start.lp_bound is not None and start.reduced is not None and start.lp_x is not None
    assert start.dual_bound is not None
    facts["guided_parts"] += 1
    trace: dict[str, Any] = {
        "arcs": len(sub),
        "lp_bound": start.lp_bound,
        "start": start.hint_value,
    }
    facts.setdefault("guided", []).append(trace)
    t_start = time.perf_counter()
    gains = sub[objective_column(sub)].to_numpy(np.int64)
    best = start.hint if start.hint_feasible else None
    best_value = start.hint_value if best is not None else None

    def proven(value: int | None) -> bool:
        if value is None or start.lp_bound is None:
            return False
        gap = (start.lp_bound - value) / max(1, abs(start.lp_bound))
        return value >= start.lp_bound or (options.relative_gap > 0 and gap <= options.relative_gap)

    if best is not None and best_value is not None and proven(best_value):
        return _PartResult(best, _proven_status(best_value, start), _scaled(start.lp_bound, scale))
    assert start.support is not None
    # Stage 1. Without a feasible start (floors, mandatory needs, locks) the
    # start plan still steers it; the restricted model may then have no plan.
    support = start.support | start.hint
    if support.sum() < len(sub):
        _, _, picked = _run(
            scenario, sub, support, start, start.hint, options, budget * SUPPORT_SHARE, facts
        )
        if picked is not None and (best_value is None or int(gains[picked].sum()) > best_value):
            best, best_value = picked, int(gains[picked].sum())
        trace.update(support_arcs=int(support.sum()), support_best=best_value)
    # Stage 2: reduced-cost fixing against the incumbent, then the proof.
    if best is not None and best_value is not None:
        if proven(best_value):
            status = _proven_status(best_value, start)
            return _PartResult(best, status, _scaled(start.lp_bound, scale))
        fixed = fixable_arcs(start.dual_bound, start.reduced, best_value)
        if start.lagrangian is not None:
            fixed |= start.lagrangian.fixable(best_value)
        keep = ~fixed | best
        trace["fixed_arcs"] = int((~keep).sum())
        hint = best
    else:
        keep, hint = np.ones(len(sub), dtype=bool), start.hint
    left = max(0.1, budget - (time.perf_counter() - t_start))
    code, solver, picked = _run(
        scenario, sub, None if keep.all() else keep, start, hint, options, left, facts
    )
    lp = _scaled(start.lp_bound, scale)
    if picked is None:
        if best is None:
            return _PartResult(np.zeros(len(sub), dtype=bool), _STATUS[code], None)
        # The proof stage found nothing in time: the incumbent stands.
        return _PartResult(best, "feasible", lp)
    value = int(gains[picked].sum())
    if best is not None and best_value is not None and value < best_value:
        picked, value = best, best_value
    trace["final"] = value
    if code == cp_model.OPTIMAL:
        # The best plan of a model that holds every plan better than the
        # incumbent (and the incumbent itself): optimal for the part.
        return _PartResult(picked, "optimal", _scaled(value, scale))
    raw = float(solver.best_objective_bound)
    part_bound = lp
    if np.isfinite(raw):
        cp_bound = max(int(np.floor(raw)), value)
        part_bound = _scaled(min(cp_bound, start.lp_bound), scale)
    return _PartResult(picked, "feasible", part_bound)


def _slot_bound(scenario: Scenario, sub: pd.DataFrame) -> int:
    """Sum over needs of their best ``slots`` positive arc weights: a valid, loose bound.

    Any plan fills at most ``slots`` of a need's arcs, each at most once.
    """
    if len(sub) == 0:
        return 0
    gains = sub[objective_column(sub)].to_numpy(np.int64)
    n_idx = sub["n_idx"].to_numpy(np.int64)
    slots = np.array([need.slots for need in scenario.needs], dtype=np.int64)
    order = np.lexsort((-gains, n_idx))
    g, n = gains[order], n_idx[order]
    rank = np.arange(len(n)) - np.searchsorted(n, n, side="left")
    return int(g[(rank < slots[n]) & (g > 0)].sum())


def _proven_status(value: int, start: _Start) -> Status:
    """Optimal when the plan reaches the part's bound, else feasible (a gap stop)."""
    return "optimal" if start.lp_bound is not None and value >= start.lp_bound else "feasible"


def _scaled(value: int | None, scale: int) -> float | None:
    """A bound in objective (weight) units as a bound on the score sum."""
    return None if value is None else float(value // scale)


def _best_start(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The better of two fast plans, to hint CP-SAT with (and to fall back on).

    The flow optimum of the network relaxation (one post per official) and
    the greedy rule (which lets an official take several part-time posts).
    Both respect capacity, slots and ceilings; neither floors, mandatory
    needs nor locks. Measured on the synthetic nation with 30 % part-time
    needs, greedy beats the flow plan by 1.3 %.
    """
    flow, *_ = _solve_flow(scenario, arcs)
    greedy = greedy_assign(scenario, arcs)
    score = arcs["score"].to_numpy(np.int64)
    return greedy if score[greedy].sum() > score[flow].sum() else flow


def _part_bound(
    solver: cp_model.CpSolver, code: Any, objective: float, scale: int, has_obj: bool
) -> float | None:
    """A valid upper bound on one part's score sum, or None when none is known.

    CP-SAT's bound is in weighted units (see ``prefer``): floor(bound / scale)
    bounds the score sum. A run that found no solution (the flow hint stood
    in) may report no usable bound: one below the hint's score is not one.
    """
    if code == cp_model.OPTIMAL or not has_obj:
        return objective
    raw = float(solver.best_objective_bound)
    if not np.isfinite(raw):
        return None
    value = float(np.floor(raw / scale))
    if code == cp_model.UNKNOWN and value < objective:
        return None
    return max(objective, value)


#: Subsolvers for small machines. Measured on the Điện Biên example (2 cores):
#: CP-SAT's default 2-worker portfolio has no LP worker and stalls at a 3.5%
#: gap after 10 s; max_lp + quick_restart proves the optimum in 0.4 s on every
#: seed tried. With more workers the default portfolio includes max_lp.
SMALL_MACHINE_SUBSOLVERS: dict[int, tuple[str, ...]] = {
    1: ("max_lp",),
    2: ("max_lp", "quick_restart"),
}


def available_cores() -> int:
    """Cores this process may use (affinity mask, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _solver(options: SolveOptions, time_limit_s: float | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = time_limit_s or options.time_limit_s
    workers = options.workers or available_cores()
    p.num_workers = workers
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
    score = arcs[objective_column(arcs)].to_numpy(np.int64)
    useful = np.flatnonzero(score > 0)
    o_idx = arcs["o_idx"].to_numpy(np.int64)[useful]
    n_idx = arcs["n_idx"].to_numpy(np.int64)[useful]
    off_agency = official_agency_index(s)
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
    objective = float(arcs["score"].to_numpy(np.int64)[chosen].sum())
    return chosen, "optimal", objective, objective


def _status_message(status: Status, options: SolveOptions) -> str:
    if status == "unknown":
        return (
            f"no plan found within the time limit of {options.time_limit_s:g} s; raise time_limit_s"
        )
    if status == "feasible":
        return f"time limit of {options.time_limit_s:g} s reached before optimality was proven"
    return ""


def find_conflicts(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    *,
    part: Part | None = None,
    minimise: bool = True,
) -> list[Conflict]:
    """Requirements (mandatory needs, locks, agency floors/ceilings) that cannot all hold.

    Builds the model without objective, each requirement behind its own
    literal, solves under the assumption that all hold and reads CP-SAT's
    sufficient assumptions for infeasibility; then, if small, shrinks that set
    by deletion until every member is needed.
    """
    alone = _requirement_that_cannot_hold(scenario, arcs, part)
    if alone is not None:
        return [alone]
    scope = len(arcs) if part is None else len(part.arcs)
    if scope >= LP_CONFLICT_MIN_ARCS:
        by_lp = _lp_conflict(scenario, arcs, part)
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
        solver = _solver(options, time_limit_s=min(options.time_limit_s, 30.0))
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


#: Models at least this large look for conflicts with LP feasibility checks
#: first: one CP-SAT search with assumptions on a 100k-arc model may not prove
#: infeasibility within its time, an LP check takes about a second.
LP_CONFLICT_MIN_ARCS = 20_000
LP_CONFLICT_SECONDS = 60.0


def _lp_conflict(scenario: Scenario, arcs: pd.DataFrame, part: Part | None) -> list[Conflict]:
    """Requirements whose rows alone make the LP relaxation infeasible, shrunk by deletion.

    An infeasible relaxation proves the requirements cannot all hold; the set
    is minimal for the relaxation (dropping any member makes the LP feasible),
    which on integer models is close to, but not always, minimal. Empty when
    the relaxation is feasible (the conflict is integral) or undecided in time.
    """
    from dataclasses import replace

    from staffopt.model.relaxation import lp_feasible

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

    def infeasible_with(members: list[int]) -> bool:
        lb, ub = rel.lb.copy(), rel.ub.copy()
        for k, (req, row) in enumerate(reqs):
            if k in members:
                continue
            if req.kind == "agency_ceiling":
                ub[row] = np.inf
            else:  # floors, mandatory needs, locks: lower bounds
                lb[row] = -np.inf
        left = LP_CONFLICT_SECONDS - (time.perf_counter() - t0)
        return left > 0 and lp_feasible(replace(rel, lb=lb, ub=ub), time_limit_s=left) is False

    core = list(range(len(reqs)))
    if not core or not infeasible_with(core):
        return []
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        if infeasible_with(trial):
            core = trial
        else:
            i += 1
    return [Conflict(r.kind, r.id, r.text_en, r.text_vi) for r, _ in (reqs[k] for k in core)]


def _requirement_that_cannot_hold(
    scenario: Scenario, arcs: pd.DataFrame, part: Part | None
) -> Conflict | None:
    """A requirement that fails on its own, found by counting (no solver).

    An agency floor above the number of its officials with any candidate arc,
    a mandatory need with fewer candidate arcs than slots, or a lock on a pair
    that is not an arc: each alone is a minimal conflict. On national models
    this answers at once where the assumption search may run out of time.
    """
    from staffopt.model.constraints import (
        floor_requirement,
        lock_requirement,
        mandatory_requirement,
    )

    s = scenario
    sub = arcs if part is None else arcs.iloc[part.arcs]
    need_in = np.ones(len(s.needs), dtype=bool) if part is None else part.needs
    agency_in = np.ones(len(s.agencies), dtype=bool) if part is None else part.agencies
    n_idx = sub["n_idx"].to_numpy(np.int64)
    per_need = np.bincount(n_idx, minlength=len(s.needs))
    for n, need in enumerate(s.needs):
        if need.mandatory and need_in[n] and per_need[n] < need.slots:
            r = mandatory_requirement(need.need_id, need.slots)
            return Conflict(r.kind, r.id, r.text_en, r.text_vi)
    off_agency = official_agency_index(s)
    offs = np.unique(sub["o_idx"].to_numpy(np.int64))
    reachable = np.bincount(off_agency[offs], minlength=len(s.agencies))
    for a, agency in enumerate(s.agencies):
        if agency.min_release > 0 and agency_in[a] and reachable[a] < agency.min_release:
            r = floor_requirement(agency.agency_id, agency.min_release)
            return Conflict(r.kind, r.id, r.text_en, r.text_vi)
    pairs = set(zip(sub["official_id"].tolist(), sub["need_id"].tolist(), strict=True))
    need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
    for lk in s.locks:
        live = lk.kind == "lock" and need_in[need_pos[lk.need_id]]
        if live and (lk.official_id, lk.need_id) not in pairs:
            r = lock_requirement(lk.official_id, lk.need_id)
            return Conflict(r.kind, r.id, r.text_en, r.text_vi)
    return None


def _conflict_message(conflicts: list[Conflict]) -> str:
    if not conflicts:
        return "infeasible: the hard rules cannot all hold"
    items = "; ".join(c.text_en for c in conflicts)
    return f"infeasible: these requirements cannot all hold together: {items}"
