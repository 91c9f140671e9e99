"""Metrics of a plan: coverage overall, per zone and per criticality; km; officials used.

Read only the Scenario and the assignments table, so plans from any engine or
allocation mechanism (and the coming policy benchmarks) share one definition.
Never imports the model or the engines.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.eligibility import candidates
from staffopt.indices import indices
from staffopt.schema import Scenario
from staffopt.stability import stability_counts

if TYPE_CHECKING:
    from staffopt.checker import Violation
    from staffopt.plan import Plan


def compute_metrics(scenario: Scenario, assignments: pd.DataFrame) -> dict[str, Any]:
    """Coverage overall, per zone and per criticality; km; officials used per agency.

    Plain numpy over the scenario's records (no pandas grouping): a fixed cost
    of a few milliseconds matters when a province's flow solves in two.
    """
    s = scenario
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    ix = indices(s)
    need_pos, slots = ix.need_pos, ix.slots
    crit = np.array([n.criticality for n in s.needs], dtype=np.int64)
    zone = np.array([zone_of[n.commune_id] for n in s.needs], dtype=object)
    taken = [need_pos[n] for n in assignments["need_id"].tolist()]
    filled = np.bincount(np.asarray(taken, dtype=np.int64), minlength=len(s.needs))

    def coverage(mask: npt.NDArray[np.bool_]) -> dict[str, Any]:
        total_slots = int(slots[mask].sum())
        got = int(filled[mask].sum())
        return {
            "slots": total_slots,
            "filled": got,
            "coverage": got / total_slots if total_slots else 1.0,
        }

    by_zone = {z: coverage(zone == z) for z in ("I", "II", "III")}
    by_crit = {str(k): coverage(crit == k) for k in (1, 2, 3)}
    total = coverage(np.ones(len(s.needs), dtype=bool))
    agency_of = {o.official_id: o.agency_id for o in s.officials}
    used = set(assignments["official_id"].tolist())
    per_agency = Counter(agency_of[o] for o in used)
    km = assignments["distance_km"].to_numpy(np.float64)
    commune_cov = commune_coverage(scenario, filled)
    return {
        "slots_total": total["slots"],
        "slots_filled": total["filled"],
        "slots_unmet": total["slots"] - total["filled"],
        "coverage": total["coverage"],
        "coverage_by_zone": by_zone,
        "coverage_by_criticality": by_crit,
        "needs_total": len(s.needs),
        "needs_fully_met": int((filled >= slots).sum()),
        "officials_total": len(s.officials),
        "officials_used": len(used),
        "officials_used_by_agency": {
            a.agency_id: per_agency.get(a.agency_id, 0) for a in s.agencies
        },
        "km_total": float(km.sum()),
        "km_mean": float(km.mean()) if len(km) else 0.0,
        "km_max": float(km.max()) if len(km) else 0.0,
        # People, not assignments: a part-time helper on the spot twice is one person.
        "on_the_spot": int(assignments.loc[km == 0, "official_id"].nunique()),
        "score_total": int(assignments["score"].sum()),
        "communes_unserved": int((commune_cov == 0).sum()),
        "worst_commune_coverage": float(commune_cov.min()) if len(commune_cov) else 1.0,
        "coverage_gini": gini(commune_cov),
        "km_p90": float(np.percentile(km, 90)) if len(km) else 0.0,
        "largest_agency_share": max(
            (per_agency.get(a.agency_id, 0) / a.headcount for a in s.agencies if a.headcount),
            default=0.0,
        ),
        **cost_metrics(s, assignments),
    }


def cost_metrics(scenario: Scenario, assignments: pd.DataFrame) -> dict[str, Any]:
    """Allowance cost (VND) in total, per agency and per commune, and per budget what is
    spent and left (``budget_used``: id -> spent, limit, left). Empty for a plan without
    a cost column (written before costs existed)."""
    if "cost" not in assignments.columns:
        return {}
    s = scenario
    cost = assignments["cost"].to_numpy(np.int64)
    agency_of = {o.official_id: o.agency_id for o in s.officials}
    province_of = {c.commune_id: c.province for c in s.communes}
    per_agency: Counter[str] = Counter()
    per_commune: Counter[str] = Counter()
    per_province: Counter[str] = Counter()
    for oid, cid, c in zip(
        assignments["official_id"].tolist(),
        assignments["commune_id"].tolist(),
        cost.tolist(),
        strict=True,
    ):
        per_agency[agency_of[oid]] += c
        per_commune[cid] += c
        per_province[province_of[cid]] += c
    total = int(cost.sum())
    limits = [("scenario", total, s.policy.budget)] if s.policy.budget is not None else []
    limits += [(b.province, per_province[b.province], b.budget) for b in s.budgets]
    return {
        "cost_total": total,
        "cost_by_agency": {a: int(v) for a, v in sorted(per_agency.items())},
        "cost_by_commune": {c: int(v) for c, v in sorted(per_commune.items())},
        "budget_used": {
            bid: {"spent": int(spent), "limit": int(limit), "left": int(limit - spent)}
            for bid, spent, limit in limits
        },
    }


# -- objective terms (issue 10) --


def objective_terms(
    scenario: Scenario, assignments: pd.DataFrame, arcs: pd.DataFrame | None = None
) -> dict[str, float]:
    """Every named objective term's value in a plan (``plan.objective_terms``).

    The same definitions the model's terms optimise (:mod:`staffopt.model.objective`):
    ``score`` the sum of scores; ``slots`` the slots filled; ``critical_zone_iii``
    the slots filled in critical needs (criticality 3) of zone III communes;
    ``min_commune_coverage`` the smallest share of a commune's slots filled,
    over communes with needs (1.0 when there is none); ``communes_served``
    the communes with at least one slot filled; ``travel_km`` the total road
    km; ``officials_used`` the distinct people sent; with ``arcs`` (every
    pair that may be chosen), ``blocking_pairs``: the plan's blocking pairs
    by :mod:`staffopt.stability`'s definition (counted only when asked: it
    reads every arc).
    """
    s = scenario
    ix = indices(s)
    need_ids = assignments["need_id"].tolist()
    taken = np.asarray([ix.need_pos[n] for n in need_ids], dtype=np.int64)
    filled = np.bincount(taken, minlength=len(s.needs))
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    critical_iii = np.array(
        [n.criticality == 3 and zone_of[n.commune_id] == "III" for n in s.needs], dtype=bool
    )
    commune_slots: Counter[str] = Counter()
    commune_filled: Counter[str] = Counter()
    for n, k in zip(s.needs, filled.tolist(), strict=True):
        commune_slots[n.commune_id] += n.slots
        commune_filled[n.commune_id] += k
    shares = [commune_filled[c] / t for c, t in commune_slots.items() if t > 0]
    blocking = (
        {} if arcs is None else {"blocking_pairs": float(stability_counts(s, arcs, assignments)[0])}
    )
    return {
        "score": float(assignments["score"].to_numpy(np.float64).sum()),
        "slots": float(len(need_ids)),
        "critical_zone_iii": float(filled[critical_iii].sum()),
        "min_commune_coverage": float(min(shares)) if shares else 1.0,
        "communes_served": float(sum(1 for k in commune_filled.values() if k > 0)),
        "travel_km": float(assignments["distance_km"].to_numpy(np.float64).sum()),
        "officials_used": float(assignments["official_id"].nunique()),
        **blocking,
    }


def commune_coverage(scenario: Scenario, filled: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Per commune with at least one need (in scenario order): filled slots / slots.

    ``filled``: people assigned per need, in scenario order.
    """
    s = scenario
    pos = {c.commune_id: i for i, c in enumerate(s.communes)}
    of_need = np.array([pos[n.commune_id] for n in s.needs], dtype=np.int64)
    slots = np.bincount(of_need, weights=indices(s).slots, minlength=len(s.communes))
    got = np.bincount(of_need, weights=filled, minlength=len(s.communes))
    has = slots > 0
    return np.asarray(got[has] / slots[has], dtype=np.float64)


def gini(values: npt.NDArray[np.float64]) -> float:
    """Gini coefficient: mean absolute difference over all ordered pairs / (2 * mean).

    0 when every value is equal (or there is none, or all are 0); (n - 1) / n
    when one value holds everything.
    """
    n, mean = len(values), float(values.mean()) if len(values) else 0.0
    if n == 0 or mean == 0:
        return 0.0
    # Sorted x: sum over pairs |x_i - x_j| = 2 * sum_i (2i - n + 1) x_i (i from 0).
    x = np.sort(values)
    pair_sum = 2.0 * float(((2 * np.arange(n) - n + 1) * x).sum())
    return pair_sum / (2.0 * n * n * mean)


def evaluate(
    scenario: Scenario, plan: Plan, *, violations: list[Violation] | None = None
) -> dict[str, Any]:
    """The metrics of a plan for comparing mechanisms, flat (one value per key).

    Each key is documented in the README ("Metrics"). ``violations``: the
    checker's verdict on the plan when already known; else the checker runs
    here (imported on use: it sits above this module). ``violations`` in the
    result counts the broken hard rules the plan's mechanism claims to keep
    (must be 0); ``violations_ignored`` those of the requirements it ignores
    (``plan.ignores``).
    """
    if violations is None:
        from staffopt.checker import check

        violations = check(scenario, plan)
    m = compute_metrics(scenario, plan.assignments)
    arcs = plan.arcs
    if arcs is None or plan.scenario is not scenario:
        arcs, _ = candidates(scenario, plan.policy or scenario.policy)
    ignored = sum(v.rule in plan.ignores for v in violations)
    blocking, envy = stability_counts(scenario, arcs, plan.assignments)
    zone, crit = m["coverage_by_zone"], m["coverage_by_criticality"]["3"]
    return {
        "mechanism": plan.mechanism,
        "status": plan.status,
        "score": m["score_total"],
        "slots_total": m["slots_total"],
        "slots_filled": m["slots_filled"],
        "slots_filled_pct": 100.0 * m["coverage"],
        **{f"slots_filled_pct_{z}": 100.0 * zone[z]["coverage"] for z in ("I", "II", "III")},
        "critical_slots": crit["slots"],
        "critical_filled": crit["filled"],
        "communes_unserved": m["communes_unserved"],
        "worst_commune_coverage": m["worst_commune_coverage"],
        "coverage_gini": m["coverage_gini"],
        "km_total": m["km_total"],
        "km_mean": m["km_mean"],
        "km_p90": m["km_p90"],
        "officials_used": m["officials_used"],
        "largest_agency_share": m["largest_agency_share"],
        "blocking_pairs": blocking,
        "justified_envy": envy,
        "violations": len(violations) - ignored,
        "violations_ignored": ignored,
        "run_time_s": plan.wall_time_s,
    }


def evaluate_frame(
    scenario: Scenario, plan: Plan, *, violations: list[Violation] | None = None
) -> pd.DataFrame:
    """:func:`evaluate` as a one-row DataFrame (rows of many runs concatenate)."""
    return pd.DataFrame([evaluate(scenario, plan, violations=violations)])
