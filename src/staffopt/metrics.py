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
    }


# -- objective terms (issue 10) --


def objective_terms(scenario: Scenario, assignments: pd.DataFrame) -> dict[str, float]:
    """Every named objective term's value in a plan (``plan.objective_terms``).

    The same definitions the model's terms optimise (:mod:`staffopt.model.objective`):
    ``score`` the sum of scores; ``slots`` the slots filled; ``critical_zone_iii``
    the slots filled in critical needs (criticality 3) of zone III communes;
    ``min_commune_coverage`` the smallest share of a commune's slots filled,
    over communes with needs (1.0 when there is none); ``communes_served``
    the communes with at least one slot filled; ``travel_km`` the total road
    km; ``officials_used`` the distinct people sent.
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
    return {
        "score": float(assignments["score"].to_numpy(np.float64).sum()),
        "slots": float(len(need_ids)),
        "critical_zone_iii": float(filled[critical_iii].sum()),
        "min_commune_coverage": float(min(shares)) if shares else 1.0,
        "communes_served": float(sum(1 for k in commune_filled.values() if k > 0)),
        "travel_km": float(assignments["distance_km"].to_numpy(np.float64).sum()),
        "officials_used": float(assignments["official_id"].nunique()),
    }
