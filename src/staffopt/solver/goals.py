"""Ranked goals (``Policy.goals``) and fairness floors: the staged, lexicographic solve.

Stage by stage, each goal's term becomes the objective; the stage's value,
less its tolerance, becomes a row of the next stage, and each stage starts
from the last stage's plan (a hint). Two engines:

* **Lexicographic min-cost flow** (:func:`lexicographic_weights`): when the
  model is a pure network (:func:`~staffopt.solver.engine.network_obstacles`
  is empty), every goal is a sum over arcs (``score``, ``slots``,
  ``critical_zone_iii``, ``travel_km``) and no goal but the last has a
  tolerance, one flow over weights ``w_1 * M_1 + w_2 * M_2 + ...`` answers
  every stage at once. Each ``M`` exceeds the largest difference the later
  goals can make, so no later goal can buy back a unit of an earlier one;
  the weights are used only when they stay within the flow's cost range
  (:data:`~staffopt.schema.limits.FLOW_COST_LIMIT`), else CP-SAT.
* **CP-SAT on one model** of the whole scenario. The default solve splits a
  model into independent parts (:mod:`.parts`) because the score is a sum
  over arcs; ``communes_served`` (a commune's needs may fall in different
  parts), ``min_commune_coverage`` (a min over every commune) and the
  floors (a zone's slots, a commune's slots) couple the parts, so the staged
  solve keeps them in one model and every stage's bound is the whole
  model's.

The default goals (``["score"]``, no floor) never come here: ``solve()``
keeps its part-by-part path for them, unchanged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.metrics import objective_terms
from staffopt.model import build_model
from staffopt.model.objective import (
    COVERAGE_SCALE,
    METRES_PER_KM,
    STAGE_TERM_BY_NAME,
    TERM_BY_NAME,
    critical_arcs,
    objective_as_row,
    objective_column,
)
from staffopt.results import (
    MINIMISED_TERMS,
    REQUIREMENT_OBSTACLES,
    ObjectiveTerm,
    SolverFacts,
    Stage,
    StageTerm,
    Status,
    StoppedBy,
    first_stop,
)
from staffopt.schema import Goal, Scenario, SolveOptions
from staffopt.schema.limits import FLOW_COST_LIMIT
from staffopt.solver.budget import Budget
from staffopt.solver.cpsat import cpsat_solver, run_outcome
from staffopt.solver.engine import network_obstacles
from staffopt.solver.flow import solve_flow
from staffopt.solver.search import DECODE_RESERVE
from staffopt.solver.starts import best_start
from staffopt.solver.stop import run_interruptibly

#: Terms that are a sum over the chosen arcs: a min-cost flow can weigh them.
ARC_TERMS: frozenset[StageTerm] = frozenset(
    {"score", "slots", "critical_zone_iii", "travel_km", "kept"}
)
#: Model units per unit of a term's value (metres per km, millionths of a share).
UNITS: dict[str, int] = {
    "travel_km": METRES_PER_KM,
    "min_commune_coverage": COVERAGE_SCALE,
}


@dataclass(frozen=True)
class StageGoal:
    """A stage the caller adds before the policy's goals (``kept`` for a re-plan)."""

    term: StageTerm
    tolerance: float = 0.0


#: A stage's goal: one of ``Policy.goals`` or a :class:`StageGoal`.
AnyGoal = Goal | StageGoal


@dataclass
class StagedResult:
    """The staged solve's plan (a mask over the arcs), its stages, status and score bound."""

    chosen: npt.NDArray[np.bool_]
    status: Status
    objective: float | None
    bound: float | None
    stages: list[Stage] = field(default_factory=list)
    stopped_by: StoppedBy = "optimal"


def term_values(
    scenario: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_]
) -> dict[str, float]:
    """Every term's value in the plan of the chosen arcs, as a stage reports it.

    :func:`staffopt.metrics.objective_terms`, except ``travel_km``: the sum of
    the arcs' whole metres (what the stage optimised) in km, so a stage's
    value is exactly the optimum it proved.
    """
    blocking = arcs if scenario.policy.counts_blocking else None
    values = objective_terms(scenario, arcs.loc[chosen], blocking)
    km = arcs["distance_km"].to_numpy(np.float64)[chosen]
    values["travel_km"] = float(np.rint(km * METRES_PER_KM).sum()) / METRES_PER_KM
    if "kept" in arcs.columns:
        values["kept"] = float(arcs["kept"].to_numpy(np.int64)[chosen].sum())
    return values


def bonus_points(arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_]) -> float:
    """The re-plan bonus of the chosen arcs (``keep`` points per previous pair kept), or 0.

    With a bonus the score stage maximises ``score + bonus`` (the ``weight``
    column): its proven optimum bounds the best score (the bonus is never
    negative), so it is the stage's bound, not the score alone.
    """
    if "bonus" not in arcs.columns:
        return 0.0
    return float(arcs["bonus"].to_numpy(np.int64)[chosen].sum())


def arc_weights(scenario: Scenario, arcs: pd.DataFrame, term: StageTerm) -> npt.NDArray[np.int64]:
    """Per arc, what choosing it adds to a sum-over-arcs term (minimised terms negated).

    ``score`` reads the arcs' objective column (``weight`` when solve() added
    one, like the CP-SAT term does).
    """
    if term == "score":
        w = arcs[objective_column(arcs)].to_numpy(np.int64)
    elif term == "kept":
        w = arcs["kept"].to_numpy(np.int64)
    elif term == "slots":
        w = np.ones(len(arcs), dtype=np.int64)
    elif term == "critical_zone_iii":
        from staffopt.model.arcmodel import ArcModel

        w = critical_arcs(ArcModel(scenario, arcs)).astype(np.int64)
    else:  # travel_km, in whole metres like the CP-SAT term
        km = arcs["distance_km"].to_numpy(np.float64)
        w = np.rint(km * METRES_PER_KM).astype(np.int64)
    return -w if term in MINIMISED_TERMS else w


def lexicographic_weights(
    scenario: Scenario, arcs: pd.DataFrame, goals: Sequence[AnyGoal]
) -> npt.NDArray[np.int64] | None:
    """One weight per arc whose maximum is the lexicographic optimum of ``goals``, or None.

    From the last goal up: ``W = w_k * M_k + L`` with ``L`` the later goals'
    combined weight and ``M_k = P * (max(L, 0) - min(L, 0)) + 1``, where ``P``
    (at most one arc per official, at most ``slots`` per need) bounds the
    arcs any plan takes: the later goals together change the total by less
    than ``M_k``, one unit of goal k. None when a weight or a plan's total
    would leave the flow's exact range (then CP-SAT solves stage by stage).
    """
    if not len(arcs):
        return np.zeros(0, dtype=np.int64)
    slots = sum(n.slots for n in scenario.needs)
    most_arcs = min(len(np.unique(arcs["o_idx"].to_numpy(np.int64))), slots)
    combined: list[int] = [0] * len(arcs)
    first = True
    for goal in reversed(goals):
        w = arc_weights(scenario, arcs, goal.term).tolist()
        if first:
            combined = [int(x) for x in w]
            first = False
            continue
        spread = max(max(combined), 0) - min(min(combined), 0)
        big_m = most_arcs * spread + 1
        combined = [int(x) * big_m + c for x, c in zip(w, combined, strict=True)]
        top = max(abs(max(combined)), abs(min(combined)))
        if top > FLOW_COST_LIMIT or top * most_arcs >= 2**62:
            return None
    return np.asarray(combined, dtype=np.int64)


def flow_applies(
    scenario: Scenario, arcs: pd.DataFrame, goals: Sequence[AnyGoal], options: SolveOptions
) -> bool:
    """Whether one lexicographic min-cost flow answers every stage exactly."""
    return (
        options.engine != "cpsat"
        and all(g.term in ARC_TERMS for g in goals)
        and all(g.tolerance == 0 for g in goals[:-1])
        and not network_obstacles(scenario, arcs)
    )


def limit_units(term: StageTerm, value: float) -> int:
    """A limit on a term in model units, rounded the way that keeps it (down for a
    minimised term's "at most", up for a maximised term's "at least")."""
    unit = UNITS.get(term, 1)
    if term in MINIMISED_TERMS:
        return math.floor(value * unit + 1e-9)
    return math.ceil(value * unit - 1e-9)


def solve_goals(
    scenario: Scenario,
    arcs: pd.DataFrame,
    options: SolveOptions,
    facts: SolverFacts,
    budget: Budget,
    term_limits: Mapping[ObjectiveTerm, float] | None = None,
    lead: StageTerm | None = None,
) -> StagedResult:
    """Solve ``scenario.policy.goals`` stage by stage (with the policy's floors).

    ``scenario`` carries the policy of the solve (``Scenario.with_policy``):
    the model's pieces read the floors from it. ``term_limits`` keeps terms
    at most (minimised terms) or at least (maximised ones) a value, in the
    term's units: the epsilon constraints of :func:`staffopt.pareto`.
    ``lead``: a term solved as a first stage before the policy's goals
    (``kept``: a re-plan keeping the most previous assignments first).
    """
    goals: list[AnyGoal] = [*scenario.policy.goal_list()]
    if lead is not None:
        goals.insert(0, StageGoal(lead))
    if term_limits:
        return _solve_cpsat_stages(scenario, arcs, goals, options, facts, budget, term_limits)
    if flow_applies(scenario, arcs, goals, options):
        weights = lexicographic_weights(scenario, arcs, goals)
        if weights is not None:
            return _solve_flow_lexicographic(scenario, arcs, goals, weights, facts)
    return _solve_cpsat_stages(scenario, arcs, goals, options, facts, budget)


def _solve_flow_lexicographic(
    scenario: Scenario,
    arcs: pd.DataFrame,
    goals: Sequence[AnyGoal],
    weights: npt.NDArray[np.int64],
    facts: SolverFacts,
) -> StagedResult:
    """Every stage by one min-cost flow over lexicographic weights (its time on stage 1)."""
    t = time.perf_counter()
    weighted = arcs.assign(weight=weights)
    chosen, *_ = solve_flow(scenario, weighted)
    seconds = time.perf_counter() - t
    facts.solve_s += seconds
    facts.engine = "flow"
    facts.engine_reason = "lexicographic goals on a pure network: one min-cost flow is exact"
    values = term_values(scenario, arcs, chosen)
    bonus = bonus_points(arcs, chosen)
    stages = [
        Stage(
            g.term,
            values[g.term],
            values[g.term] + (bonus if g.term == "score" else 0.0),
            "optimal",
            seconds if i == 0 else 0.0,
            g.tolerance,
        )
        for i, g in enumerate(goals)
    ]
    score = values["score"]
    return StagedResult(chosen, "optimal", score, _score_bound(stages, score), stages)


def _score_bound(stages: list[Stage], score: float) -> float | None:
    """The plan's score bound: the score stage's (over plans meeting the earlier goals), if any."""
    for st in stages:
        if st.term == "score":
            return st.bound
    return None


def _solve_cpsat_stages(
    scenario: Scenario,
    arcs: pd.DataFrame,
    goals: Sequence[AnyGoal],
    options: SolveOptions,
    facts: SolverFacts,
    budget: Budget,
    term_limits: Mapping[ObjectiveTerm, float] | None = None,
) -> StagedResult:
    """CP-SAT stage by stage on one model of the whole scenario."""
    t = time.perf_counter()
    m = build_model(scenario, arcs, objective=False)
    for term, limit in (term_limits or {}).items():
        TERM_BY_NAME[term](m)
        objective_as_row(m, limit_units(term, limit), 0)
    obstacles = set(network_obstacles(scenario, arcs))
    hint: npt.NDArray[np.bool_] | None = None
    if not obstacles & REQUIREMENT_OBSTACLES and not term_limits:
        hint = best_start(scenario, arcs)  # feasible: no floor, mandatory need or lock
    facts.build_s += time.perf_counter() - t
    facts.engine = "cpsat"
    facts.parts = 1
    chosen = np.zeros(len(arcs), dtype=bool)
    found = False
    stages: list[Stage] = []
    stops: list[StoppedBy] = []
    statuses: list[Status] = []
    for i, goal in enumerate(goals):
        if found and budget.user_stop:
            break  # Ctrl-C: the plan of the last stage stands (no later stage starts)
        t = time.perf_counter()
        STAGE_TERM_BY_NAME[goal.term](m)
        m.proto.clear_solution_hint()
        if hint is not None:
            m.add_hint(hint)
        seconds = max(0.1, budget.left(DECODE_RESERVE) / (len(goals) - i))
        solver = cpsat_solver(options, time_limit_s=seconds, wall_s=budget.wall_left())
        code = run_interruptibly(solver, m.model, budget)
        if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
            raise RuntimeError(f"internal error: invalid CP-SAT model: {m.model.validate()}")
        budget.charge_cpsat(float(solver.response_proto.deterministic_time), len(arcs))
        facts.solve_s += solver.wall_time
        status, why = run_outcome(solver, code, budget)
        stops.append(why)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append(
                Stage(goal.term, None, None, status, time.perf_counter() - t, goal.tolerance)
            )
            if not found:
                # The first stage decides feasibility: later ones only tighten.
                return StagedResult(chosen, status, None, None, stages, why)
            statuses.append("feasible")
            break
        found = True
        statuses.append(status)
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        chosen = values[: m.n_arcs] > 0
        hint = chosen
        value = round(solver.objective_value)
        elapsed = time.perf_counter() - t
        stages.append(_stage(scenario, arcs, chosen, goal, solver, status, elapsed))
        if i < len(goals) - 1:
            objective_as_row(m, value, math.floor(goal.tolerance * abs(value) + 1e-9))
    facts.variables += m.n_vars
    facts.constraints += len(m.proto.constraints)
    for p in m.pieces:
        facts.add_piece_rows(p.name, p.rows)
    # Optimal only when every goal had its stage and each stage was proven.
    proven = len(stages) == len(goals) and all(s == "optimal" for s in statuses)
    merged: Status = "optimal" if proven else "feasible"
    score = float(arcs["score"].to_numpy(np.int64)[chosen].sum())
    return StagedResult(
        chosen, merged, score, _score_bound(stages, score), stages, first_stop(stops)
    )


def _stage(
    scenario: Scenario,
    arcs: pd.DataFrame,
    chosen: npt.NDArray[np.bool_],
    goal: AnyGoal,
    solver: cp_model.CpSolver,
    status: Status,
    seconds: float,
) -> Stage:
    """A solved stage: the term's value in the plan and its bound in the term's units.

    A proven stage's bound is its value (the model's optimum, in metres or
    millionths for ``travel_km`` and ``min_commune_coverage``, read back in
    km and as a share: exact to those units); an unproven stage keeps CP-SAT's bound, rounded
    towards the plan so it stays valid. A score stage with a re-plan bonus
    maximised ``score + bonus``: its optimum is the bound (:func:`bonus_points`).
    """
    value = term_values(scenario, arcs, chosen)[goal.term]
    bound: float | None
    if status == "optimal":
        bound = value + (bonus_points(arcs, chosen) if goal.term == "score" else 0.0)
    else:
        raw = float(solver.best_objective_bound)
        unit = UNITS.get(goal.term, 1)
        if not math.isfinite(raw):
            bound = None
        elif goal.term in MINIMISED_TERMS:
            bound = min(value, math.floor(raw + 1e-9) / unit)
        else:
            bound = max(value, math.ceil(raw - 1e-9) / unit)
    return Stage(goal.term, value, bound, status, seconds, goal.tolerance)
