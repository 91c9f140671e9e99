"""The validated, frozen data model: communes, agencies, officials, needs and policy.

Records are pydantic models with ``extra="forbid"`` and ``frozen=True``; a
:class:`Scenario` holds tuples of them plus a :class:`Policy`. Cross-table
checks (unknown ids, duplicates, floors above ceilings ...) run when a
Scenario is built and raise one :class:`~staffopt.errors.ScenarioError` listing
every problem. Vectorised code reads the cached DataFrame views
(:meth:`Scenario.frame`), never loops over records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from staffopt.errors import Problem, ScenarioError

H = TypeVar("H", bound=Hashable)

#: An identifier: a non-empty string without surrounding spaces.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: Non-empty display text (an empty cell in a file means "not given").
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: A skill field name (``it``, ``land`` ...), compared case-insensitively.
FieldName = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]

MIN_LEVEL, MAX_LEVEL = 1, 3
TABLES: tuple[str, ...] = (
    "communes",
    "agencies",
    "officials",
    "needs",
    "distances",
    "locks",
    "affinity",
)
REQUIRED_TABLES: tuple[str, ...] = ("communes", "agencies", "officials", "needs")


class Zone(StrEnum):
    """Remoteness class of a commune (2026-2030 classification); III is hardest."""

    I = "I"  # noqa: E741 - the official name of the zone
    II = "II"
    III = "III"


class Category(StrEnum):
    """Employment category: decides which law governs the protected-person rule."""

    CIVIL_SERVANT = "civil_servant"  # công chức (Decree 170/2025)
    PUBLIC_EMPLOYEE = "public_employee"  # viên chức (Law on Public Employees)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Commune(_Record):
    """A commune-level unit (xã, phường, special zone) that may receive officials."""

    commune_id: Id
    name: Text
    province: Text
    lat: float = Field(ge=-90, le=90, description="Latitude in degrees (WGS84).")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees (WGS84).")
    zone: Zone = Field(description="Remoteness zone I, II or III (III = extremely difficult).")
    border: bool = Field(False, description="On the national border.")
    staff_count: int | None = Field(None, ge=0, description="Staff in post now.")
    staff_quota: int | None = Field(None, ge=0, description="Approved staffing quota.")


class Agency(_Record):
    """A sending department (sở, ngành) with a floor and a ceiling on people released."""

    agency_id: Id
    name: Text
    headcount: int = Field(ge=0, description="Staff on the payroll.")
    min_release: int = Field(0, ge=0, description="Floor: release at least this many people.")
    max_release: int | None = Field(
        None, ge=0, description="Ceiling: release at most this many (default: headcount)."
    )

    province: str | None = Field(
        None,
        description="If given, the agency sends people only to communes of this province "
        "(provincial departments second within their province).",
    )

    @property
    def ceiling(self) -> int:
        return self.headcount if self.max_release is None else self.max_release


_SKILL_RE = re.compile(r"^\s*([^:;\s][^:;]*?)\s*:\s*(-?\d+)\s*$")


def parse_skills(value: Any) -> dict[str, int]:
    """Parse ``"it:3;land:2"`` (or a mapping) into ``{"it": 3, "land": 2}``.

    Raises ValueError with a readable message on malformed text, a repeated
    field or a level outside 1-3.
    """
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, str):
        items = []
        for part in value.split(";"):
            if not part.strip():
                continue
            m = _SKILL_RE.match(part)
            if m is None:
                raise ValueError(
                    f"malformed skill '{part.strip()}': expected field:level like it:3"
                )
            items.append((m.group(1), m.group(2)))
    else:
        raise ValueError(f"expected text like 'it:3;land:2', found {type(value).__name__}")
    skills: dict[str, int] = {}
    for field, level in items:
        name = field.strip().lower()
        try:
            lvl = int(level)
        except (TypeError, ValueError):
            raise ValueError(f"skill '{name}' level '{level}' is not a whole number") from None
        if not MIN_LEVEL <= lvl <= MAX_LEVEL:
            raise ValueError(f"skill '{name}' level {lvl} out of range {MIN_LEVEL}-{MAX_LEVEL}")
        if name in skills:
            raise ValueError(f"skill '{name}' given twice")
        skills[name] = lvl
    return skills


def format_skills(skills: dict[str, int]) -> str:
    """Inverse of :func:`parse_skills`."""
    return ";".join(f"{k}:{v}" for k, v in skills.items())


class Official(_Record):
    """A civil servant or public employee who may be seconded."""

    official_id: Id
    name: Text
    agency_id: Id
    skills: dict[FieldName, int] = Field(
        description="Field to level (1-3); in files written 'it:3;land:2'."
    )
    home_commune_id: Id | None = Field(
        None, description="Commune where the official lives or works now (0 km to it)."
    )
    home_lat: float | None = Field(None, ge=-90, le=90)
    home_lon: float | None = Field(None, ge=-180, le=180)
    gender: Text | None = None
    category: Category = Field(
        Category.PUBLIC_EMPLOYEE, description="civil_servant or public_employee."
    )
    protected: bool = Field(
        False, description="Pregnant or raising a child under 36 months (not seconded)."
    )
    volunteer: bool = Field(False, description="Volunteers despite being protected.")
    max_km: float | None = Field(None, ge=0, description="Personal limit on travel distance.")
    capacity: float = Field(1.0, gt=0, description="Full-time equivalents the official gives.")
    available: bool = True

    @field_validator("skills", mode="before")
    @classmethod
    def _parse_skills(cls, value: Any) -> dict[str, int]:
        return parse_skills(value)

    @model_validator(mode="after")
    def _has_home(self) -> Official:
        if (self.home_lat is None) != (self.home_lon is None):
            raise ValueError("home_lat and home_lon must be given together")
        if self.home_commune_id is None and self.home_lat is None:
            raise ValueError("needs home_commune_id or home_lat + home_lon")
        return self


class Need(_Record):
    """A staffing need: ``slots`` people of one field wanted in one commune."""

    need_id: Id
    commune_id: Id
    field: FieldName
    slots: int = Field(ge=1, description="People wanted.")
    min_level: int = Field(1, ge=MIN_LEVEL, le=MAX_LEVEL, description="Lowest skill level.")
    criticality: int = Field(2, ge=1, le=3, description="1 low, 2 normal, 3 critical.")
    workload: float = Field(1.0, gt=0, description="Full-time equivalents each slot takes.")
    mandatory: bool = Field(False, description="Every slot must be filled.")


class Distance(_Record):
    """A road distance that overrides the computed one."""

    official_id: Id
    commune_id: Id
    km: float = Field(ge=0)


class Lock(_Record):
    """A planner's decision: ``lock`` = must assign, ``forbid`` = never assign."""

    official_id: Id
    need_id: Id
    kind: Literal["lock", "forbid"]


class Affinity(_Record):
    """An integer added to one pair's score (interview, language, stated wish)."""

    official_id: Id
    need_id: Id
    score: int


#: Columns of a plan's assignments table (and the leading columns of arcs).
ASSIGNMENT_COLUMNS: tuple[str, ...] = (
    "official_id",
    "need_id",
    "commune_id",
    "field",
    "distance_km",
    "score",
    "load",
)

RECORD_TYPES: dict[str, type[_Record]] = {
    "communes": Commune,
    "agencies": Agency,
    "officials": Official,
    "needs": Need,
    "distances": Distance,
    "locks": Lock,
    "affinity": Affinity,
}
ID_COLUMN: dict[str, str] = {
    "communes": "commune_id",
    "agencies": "agency_id",
    "officials": "official_id",
    "needs": "need_id",
}


def _default_zone_points() -> dict[Zone, int]:
    return {Zone.I: 0, Zone.II: 20, Zone.III: 40}


def _default_criticality_points() -> dict[int, int]:
    return {1: 0, 2: 15, 3: 30}


def _default_level_points() -> dict[int, int]:
    return {1: 0, 2: 10, 3: 20}


class Policy(BaseModel):
    """Every weight and switch of a planning run, with documented defaults.

    The score of a pair (official o, need n in commune c) is an integer::

        score = base_points
              + zone_points[c.zone]
              + criticality_points[n.criticality]
              + level_points[level of o in n.field]
              + border_points        (if c.border)
              + affinity(o, n)       (0 unless given)
              - round(travel_points_per_km * distance_km)

    The objective maximises the sum of the chosen pairs' scores.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_points: int = Field(100, description="Points for filling any slot.")
    zone_points: dict[Zone, int] = Field(
        default_factory=_default_zone_points, description="Points by the commune's zone."
    )
    criticality_points: dict[int, int] = Field(
        default_factory=_default_criticality_points,
        description="Points by the need's criticality (1-3).",
    )
    level_points: dict[int, int] = Field(
        default_factory=_default_level_points,
        description="Points by the official's level (1-3) in the need's field.",
    )
    border_points: int = Field(10, description="Points for a commune on the border.")
    travel_points_per_km: float = Field(
        0.2, ge=0, description="Points lost per km of road distance (rounded per pair)."
    )
    road_factor: float = Field(
        1.5, ge=1, description="Road km per straight-line km when no distance is given."
    )
    max_km: float | None = Field(None, ge=0, description="Global limit on distance (none).")
    protected_may_volunteer: bool = Field(
        True, description="A protected official who volunteers may be seconded."
    )
    protect_civil_servants: bool = Field(
        True,
        description="Apply the protected-person rule to civil servants too "
        "(the law is explicit only for public employees).",
    )
    engine: Literal["auto", "cpsat", "flow"] = Field(
        "auto", description="auto: min-cost flow when the model is a pure network, else CP-SAT."
    )
    time_limit_s: float = Field(
        60.0,
        gt=0,
        description="Time limit in seconds for one solve, candidate generation included.",
    )
    relative_gap: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="Stop once the plan is within this fraction of the bound (0 = prove "
        "optimality or use the whole time limit).",
    )
    lp_guide: bool = Field(
        True,
        description="On large side-constrained parts, solve the LP relaxation first: a bound "
        "that is always known, a first search near the LP's support, then a proof over only "
        "the arcs that could still improve the plan (reduced-cost fixing).",
    )
    workers: int = Field(0, ge=0, description="CP-SAT workers; 0 = one per core.")
    seed: int = Field(0, ge=0, description="CP-SAT random seed.")
    subsolvers: tuple[str, ...] | None = Field(
        None,
        description="CP-SAT subsolvers; None = staffopt's choice (max_lp + quick_restart "
        "on 1-2 workers, CP-SAT's default portfolio above).",
    )
    log_search: bool = Field(False, description="Print CP-SAT's search log.")

    @model_validator(mode="after")
    def _complete_tables(self) -> Policy:
        missing = [z.value for z in Zone if z not in self.zone_points]
        if missing:
            raise ValueError(f"zone_points lacks zones {missing}")
        for name, table in (
            ("criticality_points", self.criticality_points),
            ("level_points", self.level_points),
        ):
            lacking = [k for k in (1, 2, 3) if k not in table]
            if lacking:
                raise ValueError(f"{name} lacks keys {lacking}")
        return self


_PLURAL = {"agency": "agencies", "commune": "communes", "official": "officials", "need": "needs"}


def _duplicates(ids: Iterable[H]) -> list[H]:
    return [k for k, c in Counter(ids).items() if c > 1]


class Scenario(BaseModel):
    """One planning scenario: the tables and the policy. Validated and frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "scenario"
    communes: tuple[Commune, ...]
    agencies: tuple[Agency, ...]
    officials: tuple[Official, ...]
    needs: tuple[Need, ...]
    distances: tuple[Distance, ...] = ()
    locks: tuple[Lock, ...] = ()
    affinity: tuple[Affinity, ...] = ()
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        problems = cross_check(self)
        if problems:
            raise ScenarioError(problems)
        return self

    # -- lookups -------------------------------------------------------------
    @cached_property
    def commune_by_id(self) -> dict[str, Commune]:
        return {c.commune_id: c for c in self.communes}

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.agency_id: a for a in self.agencies}

    @cached_property
    def official_by_id(self) -> dict[str, Official]:
        return {o.official_id: o for o in self.officials}

    @cached_property
    def need_by_id(self) -> dict[str, Need]:
        return {n.need_id: n for n in self.needs}

    @cached_property
    def _frames(self) -> dict[str, pd.DataFrame]:
        return {}

    def frame(self, table: str) -> pd.DataFrame:
        """The table as a DataFrame (cached; treat as read-only).

        ``officials`` has ``skills`` as a dict column; use
        :meth:`skills_frame` for one row per (official, field).
        """
        if table not in self._frames:
            rtype = RECORD_TYPES[table]
            rows = [r.model_dump() for r in getattr(self, table)]
            df = pd.DataFrame(rows, columns=list(rtype.model_fields))
            self._frames[table] = df
        return self._frames[table]

    def skills_frame(self) -> pd.DataFrame:
        """One row per (official_id, field, level)."""
        if "_skills" not in self._frames:
            rows = [(o.official_id, f, lvl) for o in self.officials for f, lvl in o.skills.items()]
            self._frames["_skills"] = pd.DataFrame(rows, columns=["official_id", "field", "level"])
        return self._frames["_skills"]

    def with_policy(self, policy: Policy | None = None, **changes: Any) -> Scenario:
        """A copy with another policy, or with some policy fields changed."""
        base = policy or self.policy
        if changes:
            base = Policy.model_validate({**base.model_dump(), **changes})
        return self.model_copy(update={"policy": base})

    def save(self, path: str | Path) -> Path:
        """Write the scenario as a CSV folder, an ``.xlsx`` workbook or a ``.json`` file."""
        from staffopt.io import save_scenario

        return save_scenario(self, path)

    def summary(self) -> str:
        slots = sum(n.slots for n in self.needs)
        zones = Counter(c.zone.value for c in self.communes)
        return (
            f"Scenario '{self.name}': {len(self.communes)} communes "
            f"(zone I {zones.get('I', 0)}, II {zones.get('II', 0)}, III {zones.get('III', 0)}), "
            f"{len(self.agencies)} agencies, {len(self.officials)} officials, "
            f"{len(self.needs)} needs with {slots} slots, "
            f"{len(self.locks)} locks/forbids, {len(self.affinity)} affinities"
        )


def cross_check(s: Scenario) -> list[Problem]:
    """Every cross-table problem of a scenario (rows are spreadsheet rows: first data row 2)."""
    problems: list[Problem] = []

    def row_of(i: int) -> int:
        return i + 2

    for table, col in ID_COLUMN.items():
        records = getattr(s, table)
        dup = set(_duplicates(getattr(r, col) for r in records))
        for i, r in enumerate(records):
            if getattr(r, col) in dup:
                problems.append(
                    Problem(
                        table,
                        "duplicate id",
                        row=row_of(i),
                        column=col,
                        id=getattr(r, col),
                        expected="each id once",
                    )
                )
    communes = {c.commune_id for c in s.communes}
    agencies = {a.agency_id for a in s.agencies}
    officials = {o.official_id for o in s.officials}
    needs = {n.need_id for n in s.needs}

    def ref(table: str, i: int, col: str, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            problems.append(
                Problem(
                    table,
                    f"unknown {what}",
                    row=row_of(i),
                    column=col,
                    id=value,
                    expected=f"an id from the {_PLURAL[what]} table",
                    found=f"'{value}'",
                )
            )

    for i, a in enumerate(s.agencies):
        if a.min_release > a.ceiling:
            problems.append(
                Problem(
                    "agencies",
                    "floor above ceiling",
                    row=row_of(i),
                    column="min_release",
                    id=a.agency_id,
                    expected=f"min_release <= {a.ceiling}",
                    found=str(a.min_release),
                )
            )
        if a.max_release is not None and a.max_release > a.headcount:
            problems.append(
                Problem(
                    "agencies",
                    "ceiling above headcount",
                    row=row_of(i),
                    column="max_release",
                    id=a.agency_id,
                    expected=f"max_release <= headcount {a.headcount}",
                    found=str(a.max_release),
                )
            )
    for i, o in enumerate(s.officials):
        ref("officials", i, "agency_id", o.agency_id, agencies, "agency")
        ref("officials", i, "home_commune_id", o.home_commune_id, communes, "commune")
    for i, n in enumerate(s.needs):
        ref("needs", i, "commune_id", n.commune_id, communes, "commune")
    for i, d in enumerate(s.distances):
        ref("distances", i, "official_id", d.official_id, officials, "official")
        ref("distances", i, "commune_id", d.commune_id, communes, "commune")
    for table in ("locks", "affinity"):
        for i, r in enumerate(getattr(s, table)):
            ref(table, i, "official_id", r.official_id, officials, "official")
            ref(table, i, "need_id", r.need_id, needs, "need")
    for table, cols in (
        ("distances", ("official_id", "commune_id")),
        ("locks", ("official_id", "need_id")),
        ("affinity", ("official_id", "need_id")),
    ):
        keys = [tuple(getattr(r, c) for c in cols) for r in getattr(s, table)]
        dup_keys = set(_duplicates(keys))
        for i, k in enumerate(keys):
            if k in dup_keys:
                problems.append(
                    Problem(
                        table,
                        "pair given twice",
                        row=row_of(i),
                        column=cols[1],
                        id=" / ".join(k),
                        expected="each pair once",
                    )
                )
    return problems
