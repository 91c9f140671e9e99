"""The checks of the whole plan: no pair twice, each official within capacity,
each need within its slots and each mandatory need full, each agency between
its floor and ceiling, every lock assigned, each person within max_communes
and max_km_between, and the plan's objective and unmet table agree with its
assignments.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from staffopt.checker.context import (
    FTE_SCALE,
    UNMET_COLUMNS,
    CheckContext,
    allowance_cost,
    as_float,
    as_id,
    close,
    exceeds,
    haversine_km,
    milli,
    num,
)
from staffopt.checker.violation import Violation


def check_duplicate_assignment(ctx: CheckContext) -> list[Violation]:
    counts = Counter(
        (r.official_id, r.need_id)
        for r in ctx.rows
        if r.official_id is not None and r.need_id is not None
    )
    return [
        Violation(
            "duplicate_assignment",
            f"official '{oid}' is assigned to need '{nid}' {k} times; expected once",
            official_id=oid,
            need_id=nid,
        )
        for (oid, nid), k in counts.items()
        if k > 1
    ]


def check_official_capacity(ctx: CheckContext) -> list[Violation]:
    load: defaultdict[str, int] = defaultdict(int)
    needs: defaultdict[str, list[str]] = defaultdict(list)
    for p in ctx.pairs:
        oid = p.official.official_id
        load[oid] += milli(p.need.workload)
        needs[oid].append(p.need.need_id)
    out = []
    for oid, total in load.items():
        o = ctx.officials[oid]
        if total > milli(o.capacity):
            out.append(
                Violation(
                    "official_capacity",
                    f"official '{oid}' carries {num(total / FTE_SCALE)} FTE of workload "
                    f"(needs {', '.join(needs[oid])}) but has capacity {num(o.capacity)} FTE",
                    official_id=oid,
                    agency_id=o.agency_id,
                )
            )
    return out


def check_need_slots(ctx: CheckContext) -> list[Violation]:
    out = []
    for nid, k in ctx.assigned.items():
        n = ctx.needs[nid]
        if k > n.slots:
            out.append(
                Violation(
                    "need_slots",
                    f"need '{nid}' has {k} assignments but only {n.slots} slot"
                    f"{'s' if n.slots != 1 else ''}",
                    need_id=nid,
                    commune_id=n.commune_id,
                )
            )
    return out


def check_mandatory_need(ctx: CheckContext) -> list[Violation]:
    return [
        Violation(
            "mandatory_need",
            f"mandatory need '{n.need_id}' has {ctx.assigned[n.need_id]} of {n.slots} slots filled",
            need_id=n.need_id,
            commune_id=n.commune_id,
        )
        for n in ctx.scenario.needs
        if n.mandatory and ctx.assigned[n.need_id] < n.slots
    ]


def _released(ctx: CheckContext) -> dict[str, set[str]]:
    """Distinct officials with at least one assignment, by agency."""
    released: dict[str, set[str]] = {a.agency_id: set() for a in ctx.scenario.agencies}
    for r in ctx.rows:
        o = ctx.officials.get(r.official_id) if r.official_id is not None else None
        if o is not None:
            released[o.agency_id].add(o.official_id)
    return released


def check_agency_floor(ctx: CheckContext) -> list[Violation]:
    out = []
    for aid, people in _released(ctx).items():
        a = ctx.agencies[aid]
        if len(people) < a.min_release:
            out.append(
                Violation(
                    "agency_floor",
                    f"agency '{aid}' releases {len(people)} official"
                    f"{'s' if len(people) != 1 else ''}, below its floor "
                    f"min_release {a.min_release}",
                    agency_id=aid,
                )
            )
    return out


def check_agency_ceiling(ctx: CheckContext) -> list[Violation]:
    out = []
    for aid, people in _released(ctx).items():
        a = ctx.agencies[aid]
        if len(people) > a.ceiling:
            which = "headcount" if a.max_release is None else "max_release"
            out.append(
                Violation(
                    "agency_ceiling",
                    f"agency '{aid}' releases {len(people)} officials "
                    f"({', '.join(sorted(people))}), above its ceiling {a.ceiling} ({which})",
                    agency_id=aid,
                )
            )
    return out


def check_lock(ctx: CheckContext) -> list[Violation]:
    assigned = {(r.official_id, r.need_id) for r in ctx.rows}
    out = []
    for oid, nid in ctx.locked:
        if (oid, nid) not in assigned:
            out.append(
                Violation(
                    "lock",
                    f"official '{oid}' is locked to need '{nid}' but not assigned to it",
                    official_id=oid,
                    need_id=nid,
                    agency_id=ctx.officials[oid].agency_id,
                    commune_id=ctx.needs[nid].commune_id,
                )
            )
    return out


def check_objective_mismatch(ctx: CheckContext) -> list[Violation]:
    if ctx.status not in ("optimal", "feasible") or ctx.objective is None:
        return []
    total = math.fsum(r.score for r in ctx.rows)
    if close(ctx.objective, total):
        return []
    return [
        Violation(
            "objective_mismatch",
            f"objective {num(ctx.objective)} but the {len(ctx.rows)} assignments' scores "
            f"sum to {num(total)}",
        )
    ]


def check_unmet_mismatch(ctx: CheckContext) -> list[Violation]:
    """Each need short of its slots has unmet rows for exactly the missing slots."""
    if ctx.unmet is None:
        return []
    out: list[Violation] = []
    claimed: defaultdict[str, float] = defaultdict(float)
    if len(ctx.unmet):
        columns = [ctx.unmet[c].tolist() for c in UNMET_COLUMNS]
        for pos, (raw_nid, raw_missing) in enumerate(zip(*columns, strict=True), start=1):
            nid = as_id(raw_nid)
            if nid is None or nid not in ctx.needs:
                out.append(
                    Violation(
                        "unknown_need",
                        f"unmet row {pos}: need '{nid}' is not in the scenario",
                        need_id=nid,
                    )
                )
                continue
            claimed[nid] += as_float(raw_missing)
    for n in ctx.scenario.needs:
        nid, k = n.need_id, ctx.assigned[n.need_id]
        missing = max(n.slots - k, 0)
        said = claimed.get(nid)
        if missing > 0 and (said is None or not close(said, missing)):
            found = "has no row" if said is None else f"says {num(said)}"
            text = f"need '{nid}' has {k} of {n.slots} slots filled, so {missing} missing, "
            out.append(
                Violation(
                    "unmet_mismatch",
                    text + f"but the unmet table {found}",
                    need_id=nid,
                    commune_id=n.commune_id,
                )
            )
        elif missing == 0 and said is not None and not close(said, 0.0):
            out.append(
                Violation(
                    "unmet_mismatch",
                    f"need '{nid}' is full ({k} of {n.slots} slots) but the unmet table "
                    f"claims {num(said)} missing",
                    need_id=nid,
                    commune_id=n.commune_id,
                )
            )
    return out


# -- shared support across communes -------------------------------------------------


def _communes_covered(ctx: CheckContext) -> dict[str, list[str]]:
    """Per official: the distinct communes of their assignments, in plan order."""
    covered: defaultdict[str, list[str]] = defaultdict(list)
    for p in ctx.pairs:
        communes = covered[p.official.official_id]
        if p.commune.commune_id not in communes:
            communes.append(p.commune.commune_id)
    return covered


def check_max_communes(ctx: CheckContext) -> list[Violation]:
    out = []
    for oid, communes in _communes_covered(ctx).items():
        o = ctx.officials[oid]
        limit = o.max_communes if o.max_communes is not None else ctx.policy.max_communes
        if limit is not None and len(communes) > limit:
            text = (
                f"official '{oid}' covers {len(communes)} communes ({', '.join(communes)}) "
                f"but may cover at most {limit}"
            )
            out.append(Violation("max_communes", text, official_id=oid, agency_id=o.agency_id))
    return out


def check_max_km_between(ctx: CheckContext) -> list[Violation]:
    """Great-circle km between the two communes times the road factor, as for every
    distance that no distances row gives."""
    out = []
    factor = ctx.policy.road_factor
    for oid, communes in _communes_covered(ctx).items():
        o = ctx.officials[oid]
        limit = o.max_km_between if o.max_km_between is not None else ctx.policy.max_km_between
        if limit is None:
            continue
        for i, a in enumerate(communes):
            for b in communes[i + 1 :]:
                ca, cb = ctx.communes[a], ctx.communes[b]
                km = haversine_km(ca.lat, ca.lon, cb.lat, cb.lon) * factor
                if not exceeds(km, limit):
                    continue
                text = (
                    f"official '{oid}' covers communes '{a}' and '{b}', {km:.3f} km apart, "
                    f"but at most {num(limit)} km apart are allowed"
                )
                where = {"official_id": oid, "agency_id": o.agency_id, "commune_id": b}
                out.append(Violation("max_km_between", text, **where))
    return out


def check_budget(ctx: CheckContext) -> list[Violation]:
    """Allowances of the assignments a budget covers, re-derived, stay within it."""
    spent: defaultdict[str, int] = defaultdict(int)
    total = 0
    for p in ctx.pairs:
        cost = allowance_cost(ctx.policy, p.official, p.commune, p.need, p.km)
        spent[p.commune.province] += cost
        total += cost
    limits: list[tuple[str, int, int]] = []
    if ctx.policy.budget is not None:
        limits.append(("the whole scenario", total, ctx.policy.budget))
    limits += [
        (f"province '{b.province}'", spent[b.province], b.budget) for b in ctx.scenario.budgets
    ]
    return [
        Violation(
            "budget",
            f"allowances for {what} cost {used:,} VND; the budget is {limit:,} VND",
        )
        for what, used, limit in limits
        if exceeds(used, limit)
    ]
