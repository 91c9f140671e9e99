"""The allowance budget: what a secondment costs, and the budgets that limit the total.

An arc's ``cost`` is the allowance money (VND) its secondment pays over the
need's term (its ``months`` where the need gives them, else the policy's
``round_months``, as the rule ``term`` reads it)::

    cost = one_off_allowance[zone]
         + months * (monthly_allowance[zone]
                     + travel_allowance_per_month + housing_allowance_per_month
                     + travel_allowance_per_km * distance_km)

rounded to whole thousands of VND (:data:`~staffopt.schema.limits.COST_UNIT`,
the unit the model counts in), so the VND column and the model's integers
agree exactly. An official on the spot (0 km: already working in the
commune, like a teacher helping its office) costs nothing: they travel
nothing, keep their home and already draw the allowances of their post.
:func:`arc_costs` is the one place the formula lives (the checker re-derives
it with its own arithmetic on purpose).

A budget (the policy's ``budget`` for the whole scenario, or a row of the
``budgets`` table for one province) is a hard limit on the sum of the chosen
arcs' costs it covers. :func:`budget_groups` lists the budgets that can bind
on a set of arcs, with the arcs each one covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.results import Requirement
from staffopt.schema import Policy, Scenario, Zone
from staffopt.schema.limits import COST_UNIT

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The id of the policy's budget for the whole scenario (a Requirement's id).
SCENARIO_BUDGET = "scenario"


def term_months(scenario: Scenario, policy: Policy) -> IntArray:
    """Per need: the months of its term (its ``months``, else ``policy.round_months``)."""
    return np.array(
        [policy.round_months if n.months is None else n.months for n in scenario.needs],
        dtype=np.int64,
    )


#: The zones in code order: a zone code is a position here.
ZONES: tuple[Zone, ...] = tuple(Zone)


def zone_codes(zones: npt.ArrayLike) -> IntArray:
    """Zone values (``"I"``, ``Zone.III`` ...) as codes, positions in :data:`ZONES`."""
    position = {z.value: k for k, z in enumerate(ZONES)}
    return np.array(
        [position[str(Zone(z).value)] for z in np.asarray(zones, dtype=object)], dtype=np.int64
    )


def arc_costs(
    policy: Policy,
    zone_code: npt.ArrayLike,
    distance_km: npt.ArrayLike,
    months: npt.ArrayLike,
    serving: npt.ArrayLike | None = None,
) -> IntArray:
    """Per pair: the allowance cost in VND, a whole number of thousands (see the module).

    ``zone_code``: the commune's zone per pair as a code (:func:`zone_codes`),
    so national arcs are priced with integer lookups, not text comparisons.
    ``serving`` (per pair, optional): the official already serves in the
    commune (``Official.current_communes``), so the one-off allowance, paid on
    arrival, is not paid again.
    """
    code = np.asarray(zone_code, dtype=np.int64)
    km = np.asarray(distance_km, dtype=np.float64)
    m = np.asarray(months, dtype=np.float64)
    one_off = np.array([policy.one_off_allowance[z] for z in ZONES], dtype=np.float64)[code]
    if serving is not None:
        one_off = np.where(np.asarray(serving, dtype=bool), 0.0, one_off)
    monthly = np.array([policy.monthly_allowance[z] for z in ZONES], dtype=np.float64)[code]
    fixed = float(policy.travel_allowance_per_month + policy.housing_allowance_per_month)
    vnd = one_off + m * (monthly + fixed + policy.travel_allowance_per_km * km)
    vnd = np.where(km > 0, vnd, 0.0)  # on the spot: nothing new to pay
    return np.asarray(np.rint(vnd / COST_UNIT).astype(np.int64) * COST_UNIT, dtype=np.int64)


def serving_pairs(scenario: Scenario, o_idx: npt.ArrayLike, c_idx: npt.ArrayLike) -> BoolArray:
    """Per pair (official and commune positions): the official already serves in that
    commune (``Official.current_communes``), so no one-off allowance is due."""
    o = np.asarray(o_idx, dtype=np.int64)
    c = np.asarray(c_idx, dtype=np.int64)
    position = {cm.commune_id: k for k, cm in enumerate(scenario.communes)}
    n_c = max(len(position), 1)
    keys = [
        i * n_c + position[cid]
        for i, off in enumerate(scenario.officials)
        for cid in off.current_communes
    ]
    if not keys:
        return np.zeros(len(o), dtype=bool)
    return np.asarray(np.isin(o * n_c + c, np.array(keys, dtype=np.int64)), dtype=bool)


@dataclass(frozen=True)
class BudgetGroup:
    """One budget that can bind: the requirement, its limit in cost units, the arcs it covers."""

    requirement: Requirement
    limit_units: int
    arcs: IntArray  # positions in the arcs frame, only arcs of positive cost


def arc_provinces(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.object_]:
    """Per arc: the province of its need's commune."""
    province_of = {c.commune_id: c.province for c in scenario.communes}
    need_province = np.array([province_of[n.commune_id] for n in scenario.needs], dtype=object)
    return np.asarray(need_province[arcs["n_idx"].to_numpy(np.int64)], dtype=object)


def budgets(scenario: Scenario) -> list[tuple[Requirement, str | None]]:
    """Every budget of the scenario: its requirement and the province it covers (None: all)."""
    out: list[tuple[Requirement, str | None]] = []
    if scenario.policy.budget is not None:
        out.append((Requirement("budget", SCENARIO_BUDGET, scenario.policy.budget), None))
    out += [(Requirement("budget", b.province, b.budget), b.province) for b in scenario.budgets]
    return out


def budget_groups(scenario: Scenario, arcs: pd.DataFrame) -> list[BudgetGroup]:
    """The budgets that can bind on ``arcs``: those the arcs they cover could exceed.

    A budget whose covered arcs cost less in all than the budget cannot bind
    and is left out (no row, no coupling of independent parts).
    """
    if not len(arcs) or not (scenario.policy.budget is not None or scenario.budgets):
        return []
    cost = cost_units(arcs)
    positive = cost > 0
    province = arc_provinces(scenario, arcs) if scenario.budgets else None
    groups = []
    for req, prov in budgets(scenario):
        covered = positive if prov is None else positive & (province == prov)
        limit = int(req.limit or 0) // COST_UNIT
        if int(cost[covered].sum()) > limit:
            groups.append(BudgetGroup(req, limit, np.flatnonzero(covered).astype(np.int64)))
    return groups


def cost_units(arcs: pd.DataFrame) -> IntArray:
    """Per arc: the cost in the model's unit (thousands of VND)."""
    return np.asarray(arcs["cost"].to_numpy(np.int64) // COST_UNIT, dtype=np.int64)


def within_budgets(scenario: Scenario, arcs: pd.DataFrame, chosen: BoolArray) -> BoolArray:
    """``chosen`` with arcs dropped until every budget holds: a start plan's repair.

    Drops the chosen arcs of an exceeded budget with the least score per
    cost first. Dropping an arc never
    breaks capacity, slots or ceilings; floors, mandatory needs and locks
    are the caller's business, as for any start plan.
    """
    out = np.asarray(chosen, dtype=bool).copy()
    cost = cost_units(arcs)
    score = arcs["score"].to_numpy(np.float64)
    for g in budget_groups(scenario, arcs):
        picked = g.arcs[out[g.arcs]]
        excess = int(cost[picked].sum()) - g.limit_units
        if excess <= 0:
            continue
        worth = score[picked] / np.maximum(cost[picked], 1)
        for arc in picked[np.argsort(worth, kind="stable")].tolist():
            if excess <= 0:
                break
            out[arc] = False
            excess -= int(cost[arc])
    return out
