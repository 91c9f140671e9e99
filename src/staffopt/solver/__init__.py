"""solve(): candidates -> engine choice -> search -> decoded Plan.

Two engines share the same arcs and give the same optimum where both apply:

* ``flow`` (:mod:`.flow`): when the model is a pure network (every official
  takes at most one arc, no mandatory needs, no locks, no agency floors) it is
  a min-cost flow source -> agency -> official -> need -> sink, solved exactly
  by OR-Tools' network simplex in milliseconds.
* ``cpsat``: the general model (part-time loads, floors, mandatory needs,
  locks), one Boolean per arc, searched part by part (:mod:`.search`, with
  :mod:`.parts`, :mod:`.starts`, :mod:`.guided`, :mod:`.cpsat`); when it is
  infeasible, :mod:`.conflicts` names the requirements that clash.

``SolveOptions.engine="auto"`` (the default) picks flow when it applies
(:mod:`.engine`), else CP-SAT.

What a search may spend is a :class:`~.budget.Budget`: wall-clock seconds,
or deterministic work under ``SolveOptions.deterministic`` (the same plan
for the same input, seed and core count). Ctrl-C stops a CP-SAT search and
keeps its best plan (:mod:`.stop`); the plan says why its search stopped
(``Plan.stopped_by``).
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from staffopt.decode import decode
from staffopt.eligibility import candidates
from staffopt.plan import Plan
from staffopt.results import ObjectiveTerm, Requirement, SolverFacts, Stage, Status, StoppedBy
from staffopt.schema import Policy, Scenario, SolveOptions
from staffopt.schema.limits import CPSAT_SUM_LIMIT, FLOW_COST_LIMIT
from staffopt.solver.budget import CANDIDATES_S_PER_PAIR, Budget
from staffopt.solver.conflicts import find_conflicts
from staffopt.solver.engine import EngineChoice, choose_engine, network_obstacles
from staffopt.solver.flow import solve_flow
from staffopt.solver.goals import solve_goals
from staffopt.solver.parts import Part, independent_parts
from staffopt.solver.progress import Progress, ProgressFn, Tracker
from staffopt.solver.search import solve_parts
from staffopt.texts import conflict_message, stop_text

__all__ = [
    "EngineChoice",
    "Part",
    "Progress",
    "ProgressFn",
    "choose_engine",
    "find_conflicts",
    "independent_parts",
    "network_obstacles",
    "solve",
]


def solve(
    scenario: Scenario,
    policy: Policy | None = None,
    *,
    options: SolveOptions | None = None,
    time_limit_s: float | None = None,
    prefer: Iterable[tuple[str, str]] | None = None,
    progress: ProgressFn | None = None,
    term_limits: Mapping[ObjectiveTerm, float] | None = None,
    previous: Iterable[tuple[str, str]] | None = None,
    keep: Literal["first"] | int = "first",
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

    ``progress``: a callback that receives :class:`~.progress.Progress`
    events (stage, parts done of total, incumbent, bound, gap, elapsed and
    limit) in order, in the calling thread, ending with stage ``done`` and
    the plan's final objective and bound.

    ``previous``: the (official_id, need_id) pairs of a previous plan, for a
    re-plan (:func:`staffopt.replan`); each arc that is one of them is
    ``kept``. ``keep="first"`` adds a first stage keeping the most of them,
    then the policy's goals; ``keep=<points>`` (>= 0) adds that many points
    per pair kept to the score stage's objective, while ``plan.objective``
    stays the true score (the re-plan reports the bonus apart) and the score
    stage's bound is the proven best of score + bonus. Either way the solve
    is staged (:mod:`.goals`): one min-cost flow over lexicographic weights
    on a pure network, else CP-SAT on one model of the whole scenario.
    """
    policy = policy or scenario.policy
    if policy != scenario.policy:
        # Every layer below reads the policy it plans under from the scenario
        # (the model's budget rows, the checker's scores): one policy, one place.
        scenario = scenario.with_policy(policy)
    options = (options or scenario.options).with_changes(time_limit_s=time_limit_s)
    budget = Budget(options.time_limit_s, options.deterministic)
    start = budget.started
    tracker = Tracker(progress, start, options.time_limit_s)
    tracker.emit("candidates")
    arcs, exclusions = candidates(scenario, policy)
    budget.charge(CANDIDATES_S_PER_PAIR * (len(arcs) + len(exclusions)))
    scale = 1
    if prefer is not None:
        arcs, scale = _with_preference(arcs, prefer)
    lead: Literal["kept"] | None = None
    if previous is not None:
        arcs = _with_previous(arcs, previous, keep)
        lead = "kept" if keep == "first" else None
    t_candidates = time.perf_counter() - start
    choice = choose_engine(scenario, arcs, options)
    facts = SolverFacts(
        engine=choice.engine,
        engine_reason=choice.reason,
        ortools_version=importlib.metadata.version("ortools"),
        arcs=len(arcs),
        exclusions=len(exclusions),
        candidates_s=t_candidates,
    )
    conflicts: list[Requirement] = []
    message = ""
    objective: float | None
    bound: float | None
    stopped_by: StoppedBy = "optimal"
    stages: list[Stage] = []
    if not policy.default_goals or term_limits or previous is not None:
        # Ranked goals or fairness floors: stage by stage on one model
        # (solver/goals.py); the default path below stays as it was.
        staged_scenario = scenario.with_policy(policy)
        tracker.start_parts(1)
        staged = solve_goals(staged_scenario, arcs, options, facts, budget, term_limits, lead)
        chosen, status, objective, bound = (
            staged.chosen,
            staged.status,
            staged.objective,
            staged.bound,
        )
        stopped_by, stages = staged.stopped_by, staged.stages
        if status == "infeasible":
            conflicts = find_conflicts(staged_scenario, arcs, options, budget=budget)
            message = conflict_message(conflicts)
    elif choice.engine == "flow":
        # Exact in one short call (6 s on the nation): nothing to stop.
        tracker.start_parts(1)
        chosen, status, objective, bound = solve_flow(scenario, arcs)
    else:
        found = solve_parts(scenario, arcs, options, facts, scale, budget=budget, tracker=tracker)
        chosen, status, objective, bound = found.chosen, found.status, found.objective, found.bound
        stopped_by = found.stopped_by
        if facts.flow_parts:
            facts.engine_reason += (
                f"; {facts.flow_parts} of {facts.parts} independent parts "
                "are pure networks, solved by min-cost flow"
            )
        if status == "infeasible":
            conflicts = find_conflicts(scenario, arcs, options, part=found.failed, budget=budget)
            message = conflict_message(conflicts)
    budget.report(facts)
    if status != "infeasible":
        message = status_message(stopped_by, status, facts)
    if scale > 1:
        facts.preferred_kept = int(arcs["weight"].to_numpy()[chosen].sum() % scale)
        arcs = arcs.drop(columns="weight")
    # The re-plan's marks served the search only: the plan's arcs are the usual ones.
    arcs = arcs.drop(columns=[c for c in ("kept", "bonus", "weight") if c in arcs.columns])
    wall = time.perf_counter() - start
    facts.wall_time_s = wall
    facts.rounded()

    tracker.finish(objective, bound)

    def plan() -> Plan:
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
            stopped_by=stopped_by,
        )

    try:
        out = plan()
    except KeyboardInterrupt:
        # The search is over: a Ctrl-C while decoding does not lose its plan
        # (a second one does).
        out = plan()
    out.stages = stages
    return out


def _with_preference(
    arcs: pd.DataFrame, prefer: Iterable[tuple[str, str]]
) -> tuple[pd.DataFrame, int]:
    """Arcs with a lexicographic ``weight``: score first, then preferred pairs.

    ``weight = score * (P + 1) + preferred``, P the preferred pairs that are
    arcs (at most P can be kept, so the score always comes first). When those
    weights would not fit the engines' 64-bit arithmetic (min-cost flow's cost
    range per arc, CP-SAT's objective sum), the arcs come back unweighted
    (scale 1): the plan is as good, only ties are not broken toward ``prefer``.
    """
    pairs = set(prefer)
    key = list(zip(arcs["official_id"], arcs["need_id"], strict=True))
    preferred = np.fromiter((k in pairs for k in key), dtype=bool, count=len(key))
    scale = int(preferred.sum()) + 1
    score = arcs["score"].to_numpy(np.int64)
    size = np.abs(score).astype(object)  # Python ints: the test itself must not overflow
    if scale == 1 or (
        len(score)
        and (
            int(size.max()) * scale + 1 > FLOW_COST_LIMIT
            or int(size.sum()) * scale + scale > CPSAT_SUM_LIMIT
        )
    ):
        return arcs, 1
    out = arcs.copy()
    out["weight"] = score * scale + preferred
    return out, scale


def _with_previous(
    arcs: pd.DataFrame, previous: Iterable[tuple[str, str]], keep: Literal["first"] | int
) -> pd.DataFrame:
    """Arcs marked ``kept`` (a previous pair); with ``keep`` points, a ``bonus`` and ``weight``."""
    pairs = set(previous)
    key = zip(arcs["official_id"], arcs["need_id"], strict=True)
    kept = np.fromiter((k in pairs for k in key), dtype=bool, count=len(arcs))
    out = arcs.assign(kept=kept.astype(np.int64))
    if keep != "first":
        bonus = kept.astype(np.int64) * int(keep)
        out = out.assign(bonus=bonus, weight=arcs["score"].to_numpy(np.int64) + bonus)
    return out


def status_message(
    stopped_by: StoppedBy | None, status: Status, facts: SolverFacts, lang: str = "en"
) -> str:
    """Why the search stopped, for the user (from the catalogue), or "" when it needs no word.

    Driven by ``stopped_by`` (:func:`staffopt.texts.stop_text`): a gap stop
    says so (not "time limit reached"), a reproducible run names its work
    limit, and a run the wall-clock safety net cut short says it may not be
    reproducible.
    """
    return stop_text(stopped_by, status, facts, lang)
