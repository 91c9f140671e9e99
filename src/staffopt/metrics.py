"""Metrics of a plan: coverage overall, per zone and per criticality; km; officials used.

Read only the Scenario and the assignments table, so plans from any engine or
allocation mechanism (and the coming policy benchmarks) share one definition.
Never imports the model or the engines.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import indices
from staffopt.schema import Scenario


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
