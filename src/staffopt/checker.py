"""The independent plan checker: does a plan keep every hard rule of its scenario?

:func:`check` reads only the :class:`~staffopt.schema.Scenario` and the plan's
tables and returns one :class:`Violation` per broken rule; an empty list means
every hard rule holds. It never imports ortools, the model, the solver, the
eligibility filter, the rule catalogue or :mod:`staffopt.geo`: the few formulas
it needs (distance, score) are written again here, straightforwardly, so that a
bug there cannot hide itself by also being in the checker.

A plan is duck-typed: anything with ``.assignments`` (a DataFrame with columns
``official_id, need_id, commune_id, field, distance_km, score, load``) and
optionally ``.unmet`` (``need_id, commune_id, field, missing_slots, reason``),
``.status`` (``optimal``, ``feasible``, ``infeasible``, ``unknown``) and
``.objective``; or a bare DataFrame of assignments.

Every rule is one small function below, named ``check_<code>``; :data:`CHECKS`
lists them in catalogue order, each with its code and a one-line description
(:data:`CHECK_BY_CODE` finds one by code), and :func:`check` runs them from
there: adding a check is one function, one entry and one test. Workloads and
capacities count to 0.001 FTE (compared as ``round(x * 1000)`` integers);
distances, scores and the objective are compared with a tolerance of 1e-6
(relative and absolute), and a distance exceeds a ``max_km`` limit only beyond
that tolerance.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from staffopt.errors import PlanError
from staffopt.schema import (
    ASSIGNMENT_COLUMNS,
    Agency,
    Category,
    Commune,
    Need,
    Official,
    Scenario,
)

__all__ = ["CHECKS", "CHECK_BY_CODE", "Check", "Violation", "check", "format_violations"]

#: Mean Earth radius in km (IUGG), the same constant the planner uses.
EARTH_RADIUS_KM = 6371.0088
#: Relative and absolute tolerance for distances, scores and the objective.
TOLERANCE = 1e-6
#: FTE are counted in thousandths.
FTE_SCALE = 1000

UNMET_COLUMNS: tuple[str, ...] = ("need_id", "missing_slots")

@dataclass(frozen=True)
class Violation:
    """One broken hard rule: a short ``rule`` code and an English ``message``.

    The ids say where: the official, need, agency and commune concerned (those
    that apply). ``str(violation)`` is the message.
    """

    rule: str
    message: str
    official_id: str | None = None
    need_id: str | None = None
    agency_id: str | None = None
    commune_id: str | None = None

    def __str__(self) -> str:
        return self.message


def format_violations(violations: Sequence[Violation]) -> str:
    """A readable block: a head line, then one ``- [rule] message`` line each."""
    if not violations:
        return "plan check: every hard rule holds"
    n = len(violations)
    counts = Counter(v.rule for v in violations)
    by_rule = ", ".join(f"{rule} {k}" for rule, k in sorted(counts.items()))
    head = f"plan check: {n} violation{'s' if n != 1 else ''} ({by_rule})"
    return "\n".join([head, *(f"  - [{v.rule}] {v.message}" for v in violations)])


# -- small helpers ------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _as_id(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


def _as_float(value: Any) -> float:
    if _is_missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _num(x: float) -> str:
    """Numbers in messages: whole numbers without a decimal point."""
    if math.isfinite(x) and float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _exceeds(value: float, limit: float) -> bool:
    """``value > limit`` beyond the float noise of two ways of computing it."""
    return value > limit and not _close(value, limit)


def _milli(fte: float) -> int:
    return round(fte * FTE_SCALE)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2) - math.radians(lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


# -- the plan, read once ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """One assignment row as the plan wrote it (``pos`` counts from 1)."""

    pos: int
    official_id: str | None
    need_id: str | None
    commune_id: str | None
    field: str | None
    distance_km: float
    score: float
    load: float


@dataclass(frozen=True, slots=True)
class _Pair:
    """A row whose official and need both exist, with the scenario's records."""

    row: _Row
    official: Official
    need: Need
    commune: Commune
    agency: Agency
    km: float  # recomputed distance
    km_source: str

    def where(self) -> str:
        return f"official '{self.official.official_id}' on need '{self.need.need_id}'"

    def violation(self, rule: str, text: str) -> Violation:
        return Violation(
            rule,
            f"{self.where()}: {text}",
            official_id=self.official.official_id,
            need_id=self.need.need_id,
            agency_id=self.agency.agency_id,
            commune_id=self.commune.commune_id,
        )


class _Context:
    """The scenario's lookups and the plan's rows, built once per check."""

    def __init__(
        self,
        scenario: Scenario,
        rows: list[_Row],
        unmet: pd.DataFrame | None,
        status: str | None,
        objective: float | None,
    ) -> None:
        self.scenario = scenario
        self.policy = scenario.policy
        self.officials: dict[str, Official] = scenario.official_by_id
        self.needs: dict[str, Need] = scenario.need_by_id
        self.communes: dict[str, Commune] = scenario.commune_by_id
        self.agencies: dict[str, Agency] = scenario.agency_by_id
        self.given_km: dict[tuple[str, str], float] = {
            (d.official_id, d.commune_id): d.km for d in scenario.distances
        }
        self.forbidden: set[tuple[str, str]] = {
            (lk.official_id, lk.need_id) for lk in scenario.locks if lk.kind == "forbid"
        }
        self.locked: list[tuple[str, str]] = [
            (lk.official_id, lk.need_id) for lk in scenario.locks if lk.kind == "lock"
        ]
        self.affinity: dict[tuple[str, str], int] = {
            (af.official_id, af.need_id): af.score for af in scenario.affinity
        }
        self.rows = rows
        self.unmet = unmet
        self.status = status
        self.objective = objective
        self.pairs: list[_Pair] = []
        for row in rows:
            o = self.officials.get(row.official_id) if row.official_id is not None else None
            n = self.needs.get(row.need_id) if row.need_id is not None else None
            if o is None or n is None:
                continue
            c = self.communes[n.commune_id]
            km, source = self.road_km(o, c)
            self.pairs.append(_Pair(row, o, n, c, self.agencies[o.agency_id], km, source))
        # assignments per need, counting every row that names a known need
        self.assigned: Counter[str] = Counter(
            r.need_id for r in rows if r.need_id is not None and r.need_id in self.needs
        )

    def road_km(self, o: Official, c: Commune) -> tuple[float, str]:
        """The distance from the official's home to the commune, and where it came from."""
        given = self.given_km.get((o.official_id, c.commune_id))
        if given is not None:
            return given, "the distances table"
        if o.home_commune_id == c.commune_id:
            return 0.0, "home commune"
        if o.home_lat is not None and o.home_lon is not None:
            lat, lon = o.home_lat, o.home_lon
        else:
            assert o.home_commune_id is not None  # the schema guarantees a home
            home = self.communes[o.home_commune_id]
            lat, lon = home.lat, home.lon
        factor = self.policy.road_factor
        km = _haversine_km(lat, lon, c.lat, c.lon) * factor
        return km, f"great-circle km x road factor {_num(factor)}"


# -- rules on one row ---------------------------------------------------------


def check_unknown_official(ctx: _Context, row: _Row) -> Violation | None:
    if row.official_id is not None and row.official_id in ctx.officials:
        return None
    return Violation(
        "unknown_official",
        f"assignment {row.pos}: official '{row.official_id}' is not in the scenario "
        f"(need '{row.need_id}')",
        official_id=row.official_id,
        need_id=row.need_id,
    )


def check_unknown_need(ctx: _Context, row: _Row) -> Violation | None:
    if row.need_id is not None and row.need_id in ctx.needs:
        return None
    return Violation(
        "unknown_need",
        f"assignment {row.pos}: need '{row.need_id}' is not in the scenario "
        f"(official '{row.official_id}')",
        official_id=row.official_id,
        need_id=row.need_id,
    )


# -- rules on one pair (official and need both known) --------------------------


def check_commune_mismatch(ctx: _Context, p: _Pair) -> Violation | None:
    if p.row.commune_id == p.need.commune_id:
        return None
    return p.violation(
        "commune_mismatch",
        f"the row says commune '{p.row.commune_id}' but the need is in commune "
        f"'{p.need.commune_id}'",
    )


def check_field_mismatch(ctx: _Context, p: _Pair) -> Violation | None:
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


def check_unavailable(ctx: _Context, p: _Pair) -> Violation | None:
    if p.official.available:
        return None
    return p.violation("unavailable", "the official is marked not available")


def check_forbidden(ctx: _Context, p: _Pair) -> Violation | None:
    if (p.official.official_id, p.need.need_id) not in ctx.forbidden:
        return None
    return p.violation("forbidden", "a locks row forbids this pair")


def check_protected(ctx: _Context, p: _Pair) -> Violation | None:
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


def check_skill_level(ctx: _Context, p: _Pair) -> Violation | None:
    level = p.official.skills.get(p.need.field)
    if level is None or level >= p.need.min_level:
        return None  # no skill at all is field_mismatch
    return p.violation(
        "skill_level",
        f"level {level} in '{p.need.field}' is below the need's min_level {p.need.min_level}",
    )


def check_workload(ctx: _Context, p: _Pair) -> Violation | None:
    if _milli(p.need.workload) <= _milli(p.official.capacity):
        return None
    return p.violation(
        "workload",
        f"the need's workload {_num(p.need.workload)} FTE exceeds the official's capacity "
        f"{_num(p.official.capacity)} FTE",
    )


def check_other_province(ctx: _Context, p: _Pair) -> Violation | None:
    province = p.agency.province
    if province is None or province == p.commune.province:
        return None
    return p.violation(
        "other_province",
        f"agency '{p.agency.agency_id}' sends only within province '{province}' but commune "
        f"'{p.commune.commune_id}' is in '{p.commune.province}'",
    )


def check_max_km(ctx: _Context, p: _Pair) -> Violation | None:
    limit = ctx.policy.max_km
    if limit is None or not _exceeds(p.km, limit):
        return None
    return p.violation(
        "max_km", f"distance {p.km:.3f} km exceeds the policy's max_km {_num(limit)} km"
    )


def check_personal_max_km(ctx: _Context, p: _Pair) -> Violation | None:
    limit = p.official.max_km
    if limit is None or not _exceeds(p.km, limit):
        return None
    return p.violation(
        "personal_max_km",
        f"distance {p.km:.3f} km exceeds the official's own max_km {_num(limit)} km",
    )


def check_distance_mismatch(ctx: _Context, p: _Pair) -> Violation | None:
    if _close(p.row.distance_km, p.km):
        return None
    return p.violation(
        "distance_mismatch",
        f"distance_km {_num(p.row.distance_km)} but the distance is {p.km:.6f} km "
        f"(from {p.km_source})",
    )


def score_terms(ctx: _Context, p: _Pair) -> tuple[int, ...] | None:
    """The policy's score terms of the pair (see :class:`~staffopt.schema.Policy`).

    In order: base, zone, criticality, level, border, affinity, minus travel.
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
    )


def check_score_mismatch(ctx: _Context, p: _Pair) -> Violation | None:
    terms = score_terms(ctx, p)
    if terms is None:
        return None  # no skill in the field: reported as field_mismatch
    total = sum(terms)
    if _close(p.row.score, total):
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
    )
    spelled = " ".join(f"{v:+d} {name}" for name, v in zip(names, terms, strict=True))
    return p.violation(
        "score_mismatch",
        f"score {_num(p.row.score)} but the policy gives {total} = {spelled.lstrip('+')}",
    )


def check_load_mismatch(ctx: _Context, p: _Pair) -> Violation | None:
    if _close(p.row.load, p.need.workload):
        return None
    return p.violation(
        "load_mismatch",
        f"load {_num(p.row.load)} but the need's workload is {_num(p.need.workload)} FTE",
    )


# -- rules on the whole plan ----------------------------------------------------


def check_duplicate_assignment(ctx: _Context) -> list[Violation]:
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


def check_official_capacity(ctx: _Context) -> list[Violation]:
    load: defaultdict[str, int] = defaultdict(int)
    needs: defaultdict[str, list[str]] = defaultdict(list)
    for p in ctx.pairs:
        oid = p.official.official_id
        load[oid] += _milli(p.need.workload)
        needs[oid].append(p.need.need_id)
    out = []
    for oid, total in load.items():
        o = ctx.officials[oid]
        if total > _milli(o.capacity):
            out.append(
                Violation(
                    "official_capacity",
                    f"official '{oid}' carries {_num(total / FTE_SCALE)} FTE of workload "
                    f"(needs {', '.join(needs[oid])}) but has capacity {_num(o.capacity)} FTE",
                    official_id=oid,
                    agency_id=o.agency_id,
                )
            )
    return out


def check_need_slots(ctx: _Context) -> list[Violation]:
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


def check_mandatory_need(ctx: _Context) -> list[Violation]:
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


def _released(ctx: _Context) -> dict[str, set[str]]:
    """Distinct officials with at least one assignment, by agency."""
    released: dict[str, set[str]] = {a.agency_id: set() for a in ctx.scenario.agencies}
    for r in ctx.rows:
        o = ctx.officials.get(r.official_id) if r.official_id is not None else None
        if o is not None:
            released[o.agency_id].add(o.official_id)
    return released


def check_agency_floor(ctx: _Context) -> list[Violation]:
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


def check_agency_ceiling(ctx: _Context) -> list[Violation]:
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


def check_lock(ctx: _Context) -> list[Violation]:
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


def check_objective_mismatch(ctx: _Context) -> list[Violation]:
    if ctx.status not in ("optimal", "feasible") or ctx.objective is None:
        return []
    total = math.fsum(r.score for r in ctx.rows)
    if _close(ctx.objective, total):
        return []
    return [
        Violation(
            "objective_mismatch",
            f"objective {_num(ctx.objective)} but the {len(ctx.rows)} assignments' scores "
            f"sum to {_num(total)}",
        )
    ]


def check_unmet_mismatch(ctx: _Context) -> list[Violation]:
    """Each need short of its slots has unmet rows for exactly the missing slots."""
    if ctx.unmet is None:
        return []
    out: list[Violation] = []
    claimed: defaultdict[str, float] = defaultdict(float)
    if len(ctx.unmet):
        columns = [ctx.unmet[c].tolist() for c in UNMET_COLUMNS]
        for pos, (raw_nid, raw_missing) in enumerate(zip(*columns, strict=True), start=1):
            nid = _as_id(raw_nid)
            if nid is None or nid not in ctx.needs:
                out.append(
                    Violation(
                        "unknown_need",
                        f"unmet row {pos}: need '{nid}' is not in the scenario",
                        need_id=nid,
                    )
                )
                continue
            claimed[nid] += _as_float(raw_missing)
    for n in ctx.scenario.needs:
        nid, k = n.need_id, ctx.assigned[n.need_id]
        missing = max(n.slots - k, 0)
        said = claimed.get(nid)
        if missing > 0 and (said is None or not _close(said, missing)):
            found = "has no row" if said is None else f"says {_num(said)}"
            text = f"need '{nid}' has {k} of {n.slots} slots filled, so {missing} missing, "
            out.append(
                Violation(
                    "unmet_mismatch",
                    text + f"but the unmet table {found}",
                    need_id=nid,
                    commune_id=n.commune_id,
                )
            )
        elif missing == 0 and said is not None and not _close(said, 0.0):
            out.append(
                Violation(
                    "unmet_mismatch",
                    f"need '{nid}' is full ({k} of {n.slots} slots) but the unmet table "
                    f"claims {_num(said)} missing",
                    need_id=nid,
                    commune_id=n.commune_id,
                )
            )
    return out


# -- the catalogue ----------------------------------------------------------------

RowFunction = Callable[[_Context, _Row], Violation | None]
PairFunction = Callable[[_Context, _Pair], Violation | None]
PlanFunction = Callable[[_Context], list[Violation]]


@dataclass(frozen=True)
class Check:
    """One hard rule the checker verifies: its ``code`` (the ``rule`` of its
    violations), a one-line ``description`` and the ``function`` that looks,
    named ``check_<code>``.

    An entry of :data:`CHECKS` is a :class:`RowCheck`, :class:`PairCheck` or
    :class:`PlanCheck`, which says what the function is given.
    """

    code: str
    description: str
    function: Callable[..., Any]


@dataclass(frozen=True)
class RowCheck(Check):
    """Run on each assignment row, whether its ids are known or not."""

    function: RowFunction


@dataclass(frozen=True)
class PairCheck(Check):
    """Run on each row whose official and need both exist."""

    function: PairFunction


@dataclass(frozen=True)
class PlanCheck(Check):
    """Run once on the whole plan."""

    function: PlanFunction


#: Every check, in catalogue order. :func:`check` runs the row checks on each
#: row, then the pair checks on each pair, then the plan checks, each group in
#: this order.
CHECKS: tuple[Check, ...] = (
    RowCheck(
        "unknown_official",
        "an assignment names an official who is not in the scenario",
        check_unknown_official,
    ),
    RowCheck(
        "unknown_need",
        "an assignment (or unmet row) names a need that is not in the scenario",
        check_unknown_need,
    ),
    PlanCheck(
        "duplicate_assignment",
        "the same official is assigned to the same need more than once",
        check_duplicate_assignment,
    ),
    PairCheck(
        "commune_mismatch",
        "an assignment's commune_id differs from its need's commune",
        check_commune_mismatch,
    ),
    PairCheck(
        "field_mismatch",
        "an assignment's field differs from its need's field, "
        "or the official has no skill in that field",
        check_field_mismatch,
    ),
    PairCheck("unavailable", "the official is marked not available", check_unavailable),
    PairCheck("forbidden", "a locks row with kind 'forbid' rules the pair out", check_forbidden),
    PairCheck(
        "protected",
        "the official is protected (pregnant or raising a child under 36 months) "
        "and the policy does not let them be seconded",
        check_protected,
    ),
    PairCheck(
        "skill_level",
        "the official's level in the field is below the need's min_level",
        check_skill_level,
    ),
    PairCheck(
        "workload",
        "the need's workload exceeds the official's capacity",
        check_workload,
    ),
    PairCheck(
        "other_province",
        "the official's agency sends only within its province, and the commune is in another",
        check_other_province,
    ),
    PairCheck("max_km", "the distance exceeds the policy's max_km", check_max_km),
    PairCheck(
        "personal_max_km",
        "the distance exceeds the official's own max_km",
        check_personal_max_km,
    ),
    PairCheck(
        "distance_mismatch",
        "an assignment's distance_km differs from the recomputed distance",
        check_distance_mismatch,
    ),
    PairCheck(
        "score_mismatch",
        "an assignment's score differs from the policy score formula",
        check_score_mismatch,
    ),
    PairCheck(
        "load_mismatch",
        "an assignment's load differs from its need's workload",
        check_load_mismatch,
    ),
    PlanCheck(
        "official_capacity",
        "an official's total workload exceeds their capacity",
        check_official_capacity,
    ),
    PlanCheck("need_slots", "a need has more assignments than slots", check_need_slots),
    PlanCheck(
        "mandatory_need",
        "a mandatory need has fewer assignments than slots",
        check_mandatory_need,
    ),
    PlanCheck(
        "agency_floor",
        "an agency releases fewer distinct officials than its min_release",
        check_agency_floor,
    ),
    PlanCheck(
        "agency_ceiling",
        "an agency releases more distinct officials than its ceiling "
        "(max_release, else headcount)",
        check_agency_ceiling,
    ),
    PlanCheck(
        "lock",
        "a locks row with kind 'lock' is not among the assignments",
        check_lock,
    ),
    PlanCheck(
        "objective_mismatch",
        "the plan's objective differs from the sum of its scores",
        check_objective_mismatch,
    ),
    PlanCheck(
        "unmet_mismatch",
        "the unmet table disagrees with the slots left open",
        check_unmet_mismatch,
    ),
)
#: The entries of :data:`CHECKS` by code.
CHECK_BY_CODE: dict[str, Check] = {c.code: c for c in CHECKS}

# -- entry point ----------------------------------------------------------------


def _frame(value: Any, what: str, required: Iterable[str]) -> pd.DataFrame | None:
    if value is None:
        return None
    if not isinstance(value, pd.DataFrame):
        raise PlanError(f"plan {what} must be a pandas DataFrame, found {type(value).__name__}")
    missing = [c for c in required if c not in value.columns]
    if missing and len(value):
        raise PlanError(
            f"plan {what} lacks column{'s' if len(missing) != 1 else ''} "
            f"{', '.join(missing)}; found {', '.join(map(str, value.columns)) or 'none'}"
        )
    return value


def _rows(assignments: pd.DataFrame | None) -> list[_Row]:
    if assignments is None or not len(assignments):
        return []
    columns = [assignments[c].tolist() for c in ASSIGNMENT_COLUMNS]
    return [
        _Row(
            pos,
            _as_id(oid),
            _as_id(nid),
            _as_id(cid),
            _as_id(field),
            _as_float(km),
            _as_float(score),
            _as_float(load),
        )
        for pos, (oid, nid, cid, field, km, score, load) in enumerate(
            zip(*columns, strict=True), start=1
        )
    ]


def _status(plan: Any) -> str | None:
    status = getattr(plan, "status", None)
    if status is None:
        return None
    return str(getattr(status, "value", status)).strip().lower()


def check(scenario: Scenario, plan: Any) -> list[Violation]:
    """Every hard rule the plan breaks; ``[]`` when all hold.

    ``plan`` has ``.assignments`` (and optionally ``.unmet``, ``.status``,
    ``.objective``) or is a DataFrame of assignments. A plan whose status is
    ``infeasible`` or ``unknown`` and that has no assignments claims nothing
    and gives ``[]``. Raises :class:`~staffopt.errors.PlanError` when a table
    is not a DataFrame or lacks a column.
    """
    if isinstance(plan, pd.DataFrame):
        assignments, unmet_raw, status, objective = plan, None, None, None
    else:
        if not hasattr(plan, "assignments"):
            raise PlanError(
                f"expected a plan with .assignments or a DataFrame, found {type(plan).__name__}"
            )
        assignments = plan.assignments
        unmet_raw = getattr(plan, "unmet", None)
        status = _status(plan)
        objective = getattr(plan, "objective", None)
    frame = _frame(assignments, "assignments", ASSIGNMENT_COLUMNS)
    if status in ("infeasible", "unknown") and (frame is None or not len(frame)):
        return []
    unmet = _frame(unmet_raw, "unmet", UNMET_COLUMNS)
    obj = None if objective is None else _as_float(objective)
    ctx = _Context(scenario, _rows(frame), unmet, status, obj)

    row_checks = [c for c in CHECKS if isinstance(c, RowCheck)]
    pair_checks = [c for c in CHECKS if isinstance(c, PairCheck)]
    violations: list[Violation] = []
    for row in ctx.rows:
        violations += filter(None, (c.function(ctx, row) for c in row_checks))
    for pair in ctx.pairs:
        violations += filter(None, (c.function(ctx, pair) for c in pair_checks))
    for c in CHECKS:
        if isinstance(c, PlanCheck):
            violations += c.function(ctx)
    return violations
