"""The checks of one assignment: its ids exist (on each row), then, on each
pair whose official and need exist, the row agrees with the need (commune,
field, load), the pair keeps every eligibility rule (availability, locks,
protection, skill level, workload, province, distance limits), and the row's
distance and score are the ones the scenario gives.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta

from staffopt.checker.context import (
    MONEY_UNIT,
    CheckContext,
    Pair,
    Row,
    allowance_cost,
    close,
    exceeds,
    milli,
    num,
)
from staffopt.checker.violation import Violation
from staffopt.schema import Category, OfficialKind

# -- on each row --------------------------------------------------------------


def check_unknown_official(ctx: CheckContext, row: Row) -> Violation | None:
    return _unknown(row, "official", row.official_id, ctx.officials, f"need '{row.need_id}'")


def check_unknown_need(ctx: CheckContext, row: Row) -> Violation | None:
    return _unknown(row, "need", row.need_id, ctx.needs, f"official '{row.official_id}'")


def _unknown(
    row: Row, kind: str, id_: str | None, known: Mapping[str, object], other: str
) -> Violation | None:
    """``unknown_<kind>`` when the row's ``id_`` is not among the scenario's ``known`` ids."""
    if id_ is not None and id_ in known:
        return None
    return Violation(
        f"unknown_{kind}",
        f"assignment {row.pos}: {kind} '{id_}' is not in the scenario ({other})",
        official_id=row.official_id,
        need_id=row.need_id,
    )


# -- on each pair (official and need both known) --------------------------------


def check_commune_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    if p.row.commune_id == p.need.commune_id:
        return None
    return p.violation(
        "commune_mismatch",
        f"the row says commune '{p.row.commune_id}' but the need is in commune "
        f"'{p.need.commune_id}'",
    )


def check_field_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    """The row's field must be the need's, and the official must have a skill in it."""
    field = p.need.field
    if p.row.field is None or p.row.field.strip().lower() != field:
        return p.violation(
            "field_mismatch", f"the row says field '{p.row.field}' but the need wants '{field}'"
        )
    if field not in p.official.skills:
        skills = ";".join(f"{k}:{v}" for k, v in p.official.skills.items()) or "none"
        return p.violation(
            "field_mismatch",
            f"the official has no skill in field '{field}' (skills: {skills})",
        )
    return None


def check_unavailable(ctx: CheckContext, p: Pair) -> Violation | None:
    if p.official.available:
        return None
    return p.violation("unavailable", "the official is marked not available")


def check_forbidden(ctx: CheckContext, p: Pair) -> Violation | None:
    if (p.official.official_id, p.need.need_id) not in ctx.forbidden:
        return None
    return p.violation("forbidden", "a locks row forbids this pair")


def check_protected(ctx: CheckContext, p: Pair) -> Violation | None:
    o, pol = p.official, ctx.policy
    if not o.protected:
        return None
    if o.volunteer and pol.protected_may_volunteer:
        return None
    if o.category != Category.PUBLIC_EMPLOYEE and not pol.protect_civil_servants:
        return None
    return p.violation(
        "protected",
        f"the official is protected (pregnant or raising a child under 36 months; "
        f"category {o.category.value}, volunteer {o.volunteer}); policy "
        f"protected_may_volunteer={pol.protected_may_volunteer}, "
        f"protect_civil_servants={pol.protect_civil_servants}",
    )


def check_skill_level(ctx: CheckContext, p: Pair) -> Violation | None:
    level = p.official.skills.get(p.need.field)
    if level is None or level >= p.need.min_level:
        return None  # no skill at all is field_mismatch
    return p.violation(
        "skill_level",
        f"level {level} in '{p.need.field}' is below the need's min_level {p.need.min_level}",
    )


def check_workload(ctx: CheckContext, p: Pair) -> Violation | None:
    if milli(p.need.workload) <= milli(p.official.capacity):
        return None
    return p.violation(
        "workload",
        f"the need's workload {num(p.need.workload)} FTE exceeds the official's capacity "
        f"{num(p.official.capacity)} FTE",
    )


def check_other_province(ctx: CheckContext, p: Pair) -> Violation | None:
    province = p.agency.province
    if province is None or province == p.commune.province:
        return None
    return p.violation(
        "other_province",
        f"agency '{p.agency.agency_id}' sends only within province '{province}' but commune "
        f"'{p.commune.commune_id}' is in '{p.commune.province}'",
    )


def check_max_km(ctx: CheckContext, p: Pair) -> Violation | None:
    limit = ctx.policy.max_km
    if limit is None or not exceeds(p.km, limit):
        return None
    return p.violation(
        "max_km", f"distance {p.km:.3f} km exceeds the policy's max_km {num(limit)} km"
    )


def check_personal_max_km(ctx: CheckContext, p: Pair) -> Violation | None:
    limit = p.official.max_km
    if limit is None or not exceeds(p.km, limit):
        return None
    return p.violation(
        "personal_max_km",
        f"distance {p.km:.3f} km exceeds the official's own max_km {num(limit)} km",
    )


# -- rules of a real round: term, record, language, local_only, home ------------


def _month_later(start: date, months: int) -> date:
    """The same day ``months`` on, clipped to the month's end (own arithmetic: the
    checker counts months by stepping the calendar, not as the rules do)."""
    d = start
    for _ in range(months):
        nxt_month = d.month % 12 + 1
        year = d.year + (d.month == 12)
        day = min(start.day, 31)
        while True:
            try:
                d = date(year, nxt_month, day)
                break
            except ValueError:
                day -= 1
    return d


def check_term(ctx: CheckContext, p: Pair) -> Violation | None:
    o, n, pol = p.official, p.need, ctx.policy
    months = n.months if n.months is not None else pol.round_months
    total = o.months_seconded_before + months
    if total > pol.max_months_seconded:
        return p.violation(
            "term",
            f"{o.months_seconded_before} months seconded before + {months} new = {total} "
            f"months, over the limit of {pol.max_months_seconded}",
        )
    start = n.start if n.start is not None else pol.round_start
    if start is None:
        return None  # no date to compare with the person's availability
    last = _month_later(start, months) - timedelta(days=1)
    if o.available_from is not None and start < o.available_from:
        return p.violation(
            "term", f"the term starts {start} but the official is available from {o.available_from}"
        )
    if o.available_until is not None and last > o.available_until:
        return p.violation(
            "term",
            f"the term runs to {last} but the official is available until {o.available_until}",
        )
    return None


def check_record(ctx: CheckContext, p: Pair) -> Violation | None:
    need = ctx.policy.min_years_rated_well
    years = p.official.years_rated_well or 0
    if years >= need:
        return None
    return p.violation(
        "record",
        f"{years} years rated 'completed tasks well' (given: "
        f"{p.official.years_rated_well}); the policy's min_years_rated_well is {need}",
    )


def _plain_word(name: str) -> str:
    """Lower case without accents or the stroke of đ."""
    folded = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", name.casefold())
        if unicodedata.category(ch) != "Mn"
    )
    return folded.replace("đ", "d").strip()


def check_language(ctx: CheckContext, p: Pair) -> Violation | None:
    wanted = p.need.language
    if wanted is None:
        return None
    if _plain_word(wanted) in {_plain_word(x) for x in p.official.languages}:
        return None
    spoken = ";".join(p.official.languages) or "none"
    return p.violation(
        "language", f"the need wants language '{wanted}'; the official lists: {spoken}"
    )


def check_local_only(ctx: CheckContext, p: Pair) -> Violation | None:
    o = p.official
    if o.kind != OfficialKind.LOCAL or o.home_commune_id == p.commune.commune_id:
        return None
    return p.violation(
        "local_only",
        f"a local (on-the-spot) official of commune '{o.home_commune_id}' is assigned to "
        f"commune '{p.commune.commune_id}'",
    )


def _seconded_at_home(p: Pair) -> bool:
    """A seconded (not local) official sent to their own home commune."""
    o = p.official
    return o.kind != OfficialKind.LOCAL and o.home_commune_id == p.commune.commune_id


def check_home(ctx: CheckContext, p: Pair) -> Violation | None:
    if ctx.policy.home_commune != "forbid" or not _seconded_at_home(p):
        return None
    return p.violation(
        "home",
        f"commune '{p.commune.commune_id}' is the official's home commune and the policy's "
        "home_commune is forbid",
    )


def _home_points(ctx: CheckContext, p: Pair) -> int:
    pol = ctx.policy
    return pol.home_commune_points if pol.home_commune == "prefer" and _seconded_at_home(p) else 0


def check_distance_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    if close(p.row.distance_km, p.km):
        return None
    return p.violation(
        "distance_mismatch",
        f"distance_km {num(p.row.distance_km)} but the distance is {p.km:.6f} km "
        f"(from {p.km_source})",
    )


def score_terms(ctx: CheckContext, p: Pair) -> tuple[int, ...] | None:
    """The policy's score terms of the pair (see :class:`~staffopt.schema.Policy`).

    In order: base, zone, criticality, level, border, affinity, minus travel,
    home commune.
    None when the official has no skill in the need's field.
    """
    pol, o, n, c = ctx.policy, p.official, p.need, p.commune
    level = o.skills.get(n.field)
    if level is None:
        return None
    return (
        pol.base_points,
        pol.zone_points[c.zone],
        pol.criticality_points[n.criticality],
        pol.level_points[level],
        pol.border_points if c.border else 0,
        ctx.affinity.get((o.official_id, n.need_id), 0),
        -round(pol.travel_points_per_km * p.km),
        _home_points(ctx, p),
    )


def check_score_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    terms = score_terms(ctx, p)
    if terms is None:
        return None  # no skill in the field: reported as field_mismatch
    total = sum(terms)
    if close(p.row.score, total):
        return None
    o, n, c = p.official, p.need, p.commune
    names = (
        "base",
        f"zone {c.zone.value}",
        f"criticality {n.criticality}",
        f"level {o.skills[n.field]}",
        "border",
        "affinity",
        f"travel ({p.km:.3f} km)",
        "home commune",
    )
    spelled = " ".join(f"{v:+d} {name}" for name, v in zip(names, terms, strict=True))
    return p.violation(
        "score_mismatch",
        f"score {num(p.row.score)} but the policy gives {total} = {spelled.lstrip('+')}",
    )


def check_load_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    if close(p.row.load, p.need.workload):
        return None
    return p.violation(
        "load_mismatch",
        f"load {num(p.row.load)} but the need's workload is {num(p.need.workload)} FTE",
    )


def check_cost_mismatch(ctx: CheckContext, p: Pair) -> Violation | None:
    """The plan's cost column (when it has one) against the re-derived allowance cost."""
    if math.isnan(p.row.cost):
        return None
    cost = allowance_cost(ctx.policy, p.official, p.commune, p.need, p.km)
    # One thousand VND of room: two ways of computing a distance may round apart.
    if abs(p.row.cost - cost) <= MONEY_UNIT:
        return None
    return p.violation(
        "cost_mismatch",
        f"cost {num(p.row.cost)} VND but the allowances for the need's term give {cost:,} VND",
    )
