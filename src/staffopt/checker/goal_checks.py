"""The checks of goals and fairness: the plan's objective terms recomputed, and the
zone coverage and commune floors of the policy (issue 10).

Own arithmetic, like every check: the terms are counted from the plan's rows
and the scenario's records; the commune floor's clamp (the distinct
officials eligible for a commune) runs the checker's own eligibility checks
over every pair of matching field, never the planner's eligibility filter.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from staffopt.checker.context import CheckContext, Pair, Row, as_float, close, num
from staffopt.checker.pair_checks import (
    check_forbidden,
    check_home,
    check_language,
    check_local_only,
    check_max_km,
    check_other_province,
    check_personal_max_km,
    check_protected,
    check_record,
    check_skill_level,
    check_term,
    check_unavailable,
    check_workload,
)
from staffopt.checker.violation import Violation

#: The pair checks that decide whether a pair may be chosen at all (the rules).
ELIGIBILITY_CHECKS = (
    check_unavailable,
    check_forbidden,
    check_protected,
    check_skill_level,
    check_workload,
    check_other_province,
    check_max_km,
    check_personal_max_km,
    check_term,
    check_record,
    check_language,
    check_local_only,
    check_home,
)


def _known_rows(ctx: CheckContext) -> list[Row]:
    return [r for r in ctx.rows if r.need_id is not None and r.need_id in ctx.needs]


def recomputed_terms(ctx: CheckContext) -> dict[str, float]:
    """Every objective term from the plan's rows, with the checker's own counting."""
    rows = _known_rows(ctx)
    commune_slots: Counter[str] = Counter()
    for n in ctx.scenario.needs:
        commune_slots[n.commune_id] += n.slots
    commune_filled: Counter[str] = Counter()
    critical = 0
    for r in rows:
        assert r.need_id is not None
        need = ctx.needs[r.need_id]
        commune_filled[need.commune_id] += 1
        zone = ctx.communes[need.commune_id].zone.value
        critical += int(need.criticality == 3 and zone == "III")
    shares = [commune_filled[c] / t for c, t in commune_slots.items() if t > 0]
    return {
        "score": math.fsum(r.score for r in ctx.rows),
        "slots": float(len(ctx.rows)),
        "critical_zone_iii": float(critical),
        "min_commune_coverage": min(shares) if shares else 1.0,
        "communes_served": float(sum(1 for k in commune_filled.values() if k > 0)),
        "travel_km": math.fsum(r.distance_km for r in ctx.rows),
        "officials_used": float(len({r.official_id for r in ctx.rows})),
    }


def check_objective_terms_mismatch(ctx: CheckContext) -> list[Violation]:
    """Each term the plan reports equals its value recomputed from the rows."""
    if not ctx.objective_terms:
        return []
    out = []
    for term, value in recomputed_terms(ctx).items():
        if term not in ctx.objective_terms:
            out.append(
                Violation(
                    "objective_terms_mismatch",
                    f"the plan's objective_terms lack '{term}' (recomputed: {num(value)})",
                )
            )
            continue
        said = as_float(ctx.objective_terms[term])
        if not close(said, value):
            out.append(
                Violation(
                    "objective_terms_mismatch",
                    f"objective term '{term}' is {num(said)} in the plan but its "
                    f"{len(ctx.rows)} assignments give {num(value)}",
                )
            )
    return out


def check_zone_coverage_floor(ctx: CheckContext) -> list[Violation]:
    """Each zone with a floor has at least that share of its slots filled."""
    slots: Counter[str] = Counter()
    for n in ctx.scenario.needs:
        slots[ctx.communes[n.commune_id].zone.value] += n.slots
    filled: Counter[str] = Counter()
    for r in _known_rows(ctx):
        assert r.need_id is not None
        filled[ctx.communes[ctx.needs[r.need_id].commune_id].zone.value] += 1
    out = []
    for zone, share in ctx.policy.zone_coverage_floor.items():
        z = zone.value
        total = slots[z]
        if share <= 0 or total == 0:
            continue
        # The share of whole slots: a hair of float noise does not ask for one more.
        if filled[z] + 1e-9 < share * total:
            out.append(
                Violation(
                    "zone_coverage_floor",
                    f"zone {z} has {filled[z]} of its {total} slots filled "
                    f"({num(filled[z] / total)}); the policy asks for at least {num(share)}",
                )
            )
    return out


def eligible_officials(ctx: CheckContext, commune_id: str) -> set[str]:
    """Officials some need of the commune may take, by the checker's own rule checks."""
    out: set[str] = set()
    commune = ctx.communes[commune_id]
    for n in ctx.scenario.needs:
        if n.commune_id != commune_id:
            continue
        for o in ctx.scenario.officials:
            if o.official_id in out or n.field not in o.skills:
                continue
            km, source = ctx.road_km(o, commune)
            row = Row(0, o.official_id, n.need_id, commune_id, n.field, km, math.nan, n.workload)
            pair = Pair(row, o, n, commune, ctx.agencies[o.agency_id], km, source)
            if all(check(ctx, pair) is None for check in ELIGIBILITY_CHECKS):
                out.add(o.official_id)
    return out


def check_commune_floor(ctx: CheckContext) -> list[Violation]:
    """Each commune with needs has at least ``min(floor, its slots, its eligible officials)``
    slots filled."""
    k = ctx.policy.commune_floor
    if k <= 0:
        return []
    slots: defaultdict[str, int] = defaultdict(int)
    for n in ctx.scenario.needs:
        slots[n.commune_id] += n.slots
    filled: Counter[str] = Counter()
    for r in _known_rows(ctx):
        assert r.need_id is not None
        filled[ctx.needs[r.need_id].commune_id] += 1
    out = []
    for cid, total in slots.items():
        if filled[cid] >= min(k, total):
            continue  # met without the clamp: no need to count candidates
        needed = min(k, total, len(eligible_officials(ctx, cid)))
        if filled[cid] < needed:
            out.append(
                Violation(
                    "commune_floor",
                    f"commune '{cid}' has {filled[cid]} slots filled; the commune floor asks "
                    f"for {needed} (floor {k}, {total} slots, eligible officials counted)",
                    commune_id=cid,
                )
            )
    return out
