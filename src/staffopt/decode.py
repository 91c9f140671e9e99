"""Decoding: the chosen arcs become a Plan with its unmet slots, their reasons, and metrics.

Also the blockers of every arc not chosen (the official's time is used, the
agency is at its ceiling, the score is not worth it), which the unmet reasons
and the explanations both read: a reason is decided here, once, and worded
by :mod:`staffopt.texts`. Imports the Plan record, never the engines.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.allowance import budget_groups, cost_units
from staffopt.indices import arc_loads, indices
from staffopt.metrics import compute_metrics, objective_terms
from staffopt.plan import UNMET_COLUMNS, Plan
from staffopt.results import (
    SOLVED,
    Requirement,
    RequirementKind,
    SolverFacts,
    Status,
    StoppedBy,
    UnmetReason,
)
from staffopt.schema import ASSIGNMENT_COLUMNS, COST_COLUMN, Policy, Scenario
from staffopt.schema.limits import COST_UNIT
from staffopt.sharing import spread

BoolArray = npt.NDArray[np.bool_]


def decode(
    scenario: Scenario,
    policy: Policy,
    arcs: pd.DataFrame,
    exclusions: pd.DataFrame,
    chosen: BoolArray,
    *,
    status: Status,
    objective: float | None,
    bound: float | None,
    wall_time_s: float,
    solver: SolverFacts,
    message: str = "",
    conflicts: list[Requirement] | None = None,
    stopped_by: StoppedBy | None = None,
    mechanism: str = "optimal",
    ignores: list[RequirementKind] | None = None,
) -> Plan:
    """Turn the chosen-arc mask into a Plan with unmet reasons and metrics.

    ``mechanism``: the allocation rule that chose the arcs when not the
    optimum (:func:`staffopt.allocate`); a slot it left open although a free
    candidate could take it is then ``mechanism_rule``, not ``solver_stopped``.
    ``ignores``: the requirements that rule does not enforce.
    """
    columns = [*ASSIGNMENT_COLUMNS, *([COST_COLUMN] if COST_COLUMN in arcs.columns else [])]
    assignments = arcs.loc[chosen, columns].reset_index(drop=True)
    unmet = unmet_slots(scenario, arcs, chosen, status, mechanism=mechanism)
    return Plan(
        status=status,
        objective=objective,
        bound=bound,
        wall_time_s=wall_time_s,
        assignments=assignments,
        unmet=unmet,
        metrics=compute_metrics(scenario, assignments),
        objective_terms=objective_terms(
            scenario, assignments, arcs if policy.counts_blocking else None
        ),
        solver=solver,
        message=message,
        stopped_by=stopped_by,
        conflicts=conflicts or [],
        mechanism=mechanism,
        ignores=ignores or [],
        scenario_name=scenario.name,
        policy=policy,
        scenario=scenario,
        arcs=arcs,
        exclusions=exclusions,
    )


def unmet_slots(
    scenario: Scenario,
    arcs: pd.DataFrame,
    chosen: BoolArray,
    status: Status,
    *,
    mechanism: str = "optimal",
) -> pd.DataFrame:
    """One row per need with empty slots, with the reason (a :data:`UnmetReason` code)."""
    s = scenario
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    slots = indices(s).slots
    filled = np.bincount(n_idx[chosen], minlength=len(s.needs))
    missing = slots - filled
    short = np.flatnonzero(missing > 0)
    if len(short) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UNMET_COLUMNS}).astype(
            {"missing_slots": np.int64}
        )
    if status not in SOLVED:
        reason: UnmetReason = "infeasible" if status == "infeasible" else "solver_stopped"
        reasons = np.full(len(short), reason, dtype=object)
    else:
        reasons = _unmet_reasons(s, arcs, chosen, short, status, mechanism)
    needs = s.frame("needs")
    return pd.DataFrame(
        {
            "need_id": needs["need_id"].to_numpy(object)[short],
            "commune_id": needs["commune_id"].to_numpy(object)[short],
            "field": needs["field"].to_numpy(object)[short],
            "missing_slots": missing[short],
            "reason": reasons,
        }
    )


def candidate_blockers(scenario: Scenario, arcs: pd.DataFrame, chosen: BoolArray) -> pd.DataFrame:
    """For every arc not chosen: is its official busy, its agency full, its score <= 0?

    ``busy``: the official's remaining capacity is below the arc's load.
    ``agency_full``: the official is unused and the agency is at its ceiling.
    ``not_worth``: the arc's score is <= 0.
    ``max_communes`` / ``max_km_between``: the arc's commune is new to the
    official, who already covers as many communes as allowed / a commune too
    far from it (see :mod:`staffopt.sharing`).
    ``over_budget``: the arc costs more than a budget covering it has left
    (``budget_left``, VND: the least any of its budgets has left; -1 when
    no budget covers it).
    """
    busy, agency_full, not_worth = _blockers(scenario, arcs, chosen)
    too_many, too_far = spread(scenario, arcs).blocked(chosen)
    over, left = budget_left(scenario, arcs, chosen)
    rest = ~chosen
    out = arcs.loc[rest, ["official_id", "need_id", "o_idx", "n_idx", "score"]].copy()
    out["busy"] = busy[rest]
    out["agency_full"] = agency_full[rest]
    out["not_worth"] = not_worth[rest]
    out["max_communes"] = too_many[rest]
    out["max_km_between"] = too_far[rest]
    out["over_budget"] = over[rest]
    out["budget_left"] = left[rest]
    return out


def budget_left(
    scenario: Scenario, arcs: pd.DataFrame, chosen: BoolArray
) -> tuple[BoolArray, npt.NDArray[np.int64]]:
    """Per arc: does it cost more than a budget covering it has left, and that least
    amount left (VND; -1 when no budget that can bind covers the arc)."""
    left = np.full(len(arcs), -1, dtype=np.int64)
    over = np.zeros(len(arcs), dtype=bool)
    if COST_COLUMN not in arcs.columns:
        return over, left
    cost = cost_units(arcs)
    for g in budget_groups(scenario, arcs):
        rest = g.limit_units - int(cost[g.arcs][chosen[g.arcs]].sum())
        here = left[g.arcs]
        left[g.arcs] = np.where((here < 0) | (here > rest * COST_UNIT), rest * COST_UNIT, here)
        over[g.arcs] |= cost[g.arcs] > rest
    return over, left


def _blockers(
    s: Scenario, arcs: pd.DataFrame, chosen: BoolArray
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Per arc (all of them): official busy, agency full, score <= 0 (see candidate_blockers)."""
    ix = indices(s)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    loads = arc_loads(arcs)
    used_load = np.bincount(o_idx[chosen], weights=loads[chosen], minlength=len(s.officials))
    used = used_load > 0
    off_agency = ix.official_agency
    released = np.bincount(off_agency[used], minlength=len(s.agencies))
    busy = (ix.capacity[o_idx] - used_load[o_idx]) < loads
    agency_full = ~used[o_idx] & (released[off_agency[o_idx]] >= ix.ceiling[off_agency[o_idx]])
    not_worth = arcs["score"].to_numpy() <= 0
    return np.asarray(busy), np.asarray(agency_full), np.asarray(not_worth)


def _unmet_reasons(
    s: Scenario,
    arcs: pd.DataFrame,
    chosen: BoolArray,
    short: npt.NDArray[np.int64],
    status: Status,
    mechanism: str = "optimal",
) -> npt.NDArray[np.object_]:
    busy, agency_full, not_worth = _blockers(s, arcs, chosen)
    too_many, too_far = spread(s, arcs).blocked(chosen)
    over, _ = budget_left(s, arcs, chosen)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    rest = ~chosen
    free = ~busy & ~agency_full & ~too_many & ~too_far

    def per_need(flag: BoolArray) -> BoolArray:
        """Per short need: does any of its unchosen arcs have ``flag``?"""
        hits = np.bincount(n_idx[rest & flag], minlength=len(s.needs))
        return np.asarray(hits[short] > 0)

    has_any = per_need(np.ones(len(arcs), dtype=bool))
    free_positive = per_need(free & ~not_worth & ~over)
    free_over_budget = per_need(free & ~not_worth & over)
    free_any = per_need(free)
    ceiling = per_need(~busy & agency_full)
    # Shared support: time left, agency willing, only the limits stand in the way.
    spread_out = per_need(~busy & ~agency_full & too_many)
    too_far_away = per_need(~busy & ~agency_full & ~too_many & too_far)
    stopped: UnmetReason = "solver_stopped" if status != "optimal" else "other_requirements"
    if mechanism != "optimal":
        stopped = "mechanism_rule"
    # No unchosen arc at all: no candidate, or every eligible one already fills a slot here.
    return np.select(
        [~has_any, free_positive, free_over_budget, free_any, ceiling, spread_out, too_far_away],
        [
            "no_eligible_candidate",
            stopped,
            "budget",
            "not_worth_it",
            "agency_ceiling",
            "max_communes",
            "max_km_between",
        ],
        default="candidates_taken",
    ).astype(object)
