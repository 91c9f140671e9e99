"""The records of a scenario: communes, agencies, officials, needs and the pair tables.

Records are pydantic models with ``extra="forbid"`` and ``frozen=True``; field
descriptions become the JSON schema. Cross-table checks live with
:class:`~staffopt.schema.scenario.Scenario`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from staffopt.errors import InvalidValue
from staffopt.schema.limits import (
    MAX_SLOTS,
    MAX_TERM_MONTHS,
    BudgetVnd,
    Fte,
    Km,
    People,
    Points,
)
from staffopt.texts import Phrase

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
    "wishes",
    "budgets",
    "fields",
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


class OfficialKind(StrEnum):
    """How an official serves: sent from their agency, or on the spot where they work."""

    SECONDED = "seconded"  # biệt phái from a department
    LOCAL = "local"  # biệt phái tại chỗ: already works in the commune (teacher, health staff)


#: Most months a need's term or an official's past secondments may count.
MAX_MONTHS = 600
#: Most years a record of consecutive good ratings may count.
MAX_YEARS_RATED = 60


def language_key(name: str) -> str:
    """A language name as compared: lower case, without accents (``Thái`` -> ``thai``)."""
    decomposed = unicodedata.normalize("NFD", name.strip().lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _list_parts(value: Any, not_text: str) -> list[str]:
    """``"a;b"`` (or a list) as its stripped, non-empty parts; ``not_text`` words any other."""
    if isinstance(value, str):
        parts = value.split(";")
    elif isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        raise InvalidValue(Phrase(not_text, kind=type(value).__name__))
    return [p.strip() for p in parts if p.strip()]


def parse_languages(value: Any) -> tuple[str, ...]:
    """``"Thái;Hmông"`` (or a list) as a tuple of names; empty parts are skipped."""
    names = _list_parts(value, "problem.languages_not_text")
    keys = [language_key(n) for n in names]
    repeated = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
    if repeated:
        raise InvalidValue(Phrase("problem.language_twice", name=repeated[0]))
    return tuple(names)


def parse_id_list(value: Any) -> tuple[str, ...]:
    """``"c1;c2"`` (or a list) as a tuple of ids, in order, each once; empty parts skipped."""
    return tuple(dict.fromkeys(_list_parts(value, "problem.id_list_not_text")))


class _Record(BaseModel):
    # allow_inf_nan=False: NaN and infinities are refused in every float field.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class Commune(_Record):
    """A commune-level unit (xã, phường, special zone) that may receive officials."""

    commune_id: Id
    name: Text
    province: Text
    lat: float = Field(ge=-90, le=90, description="Latitude in degrees (WGS84).")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees (WGS84).")
    zone: Zone = Field(description="Remoteness zone I, II or III (III = extremely difficult).")
    border: bool = Field(False, description="On the national border.")
    staff_count: People | None = Field(None, description="Staff in post now.")
    staff_quota: People | None = Field(None, description="Approved staffing quota.")


class Agency(_Record):
    """A sending department (sở, ngành) with a floor and a ceiling on people released."""

    agency_id: Id
    name: Text
    headcount: People = Field(description="Staff on the payroll.")
    min_release: People = Field(0, description="Floor: release at least this many people.")
    max_release: People | None = Field(
        None, description="Ceiling: release at most this many (default: headcount)."
    )

    province: str | None = Field(
        None,
        description="If given, the agency sends people only to communes of this province "
        "(provincial departments second within their province).",
    )
    name_en: Text | None = Field(
        None, description="The agency's English name, shown in English output (default: name)."
    )

    @property
    def ceiling(self) -> int:
        return self.headcount if self.max_release is None else self.max_release

    def display_name(self, lang: str = "en") -> str:
        """The name shown in ``lang``: ``name_en`` in English output when given, else ``name``."""
        return self.name_en if lang == "en" and self.name_en else self.name


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
                raise InvalidValue(
                    Phrase("problem.malformed_skill", part=part.strip()),
                    Phrase("expected.skill_pair"),
                )
            items.append((m.group(1), m.group(2)))
    else:
        raise InvalidValue(Phrase("problem.skills_not_text", kind=type(value).__name__))
    skills: dict[str, int] = {}
    for field, level in items:
        name = field.strip().lower()
        try:
            if isinstance(level, bool) or (isinstance(level, float) and not level.is_integer()):
                raise ValueError
            lvl = int(level)
        except (TypeError, ValueError, OverflowError):
            raise InvalidValue(
                Phrase("problem.skill_level_not_whole", name=name, level=_short(level))
            ) from None
        if not MIN_LEVEL <= lvl <= MAX_LEVEL:
            raise InvalidValue(
                Phrase(
                    "problem.skill_level_range", name=name, level=lvl, low=MIN_LEVEL, high=MAX_LEVEL
                )
            )
        if name in skills:
            raise InvalidValue(Phrase("problem.skill_twice", name=name))
        skills[name] = lvl
    return skills


def _short(value: Any) -> str:
    """A skill level as a message quotes it: text cut to 30 characters, else its kind."""
    if isinstance(value, str):
        return f"'{value[:30]}…'" if len(value) > 30 else f"'{value}'"
    if isinstance(value, float) or (isinstance(value, int) and abs(value) < 10**30):
        return str(value)
    return f"a {type(value).__name__}"


def format_skills(skills: dict[str, int]) -> str:
    """Inverse of :func:`parse_skills`."""
    return ";".join(f"{k}:{v}" for k, v in skills.items())


class Official(_Record):
    """A civil servant or public employee who may be seconded."""

    official_id: Id
    name: Text
    agency_id: Id
    skills: dict[FieldName, int] = Field(
        description="Field to level (1-3), at least one; in files written 'it:3;land:2'."
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
    max_km: Km | None = Field(None, description="Personal limit on travel distance (km).")
    capacity: Fte = Field(1.0, description="Full-time equivalents the official gives.")
    available: bool = True
    kind: OfficialKind = Field(
        OfficialKind.SECONDED,
        description="seconded (from the agency) or local (on-the-spot: serves only the "
        "home commune).",
    )
    years_rated_well: int | None = Field(
        None,
        ge=0,
        le=MAX_YEARS_RATED,
        description="Consecutive years rated at least 'completed tasks well' (rule record).",
    )
    languages: tuple[Text, ...] = Field(
        (), description="Languages spoken, ';'-separated in files: 'Thái;Hmông' (rule language)."
    )
    available_from: date | None = Field(
        None, description="First day the official may start a secondment (rule term)."
    )
    available_until: date | None = Field(
        None, description="Last day the official may serve (rule term)."
    )
    months_seconded_before: int = Field(
        0, ge=0, le=MAX_MONTHS, description="Months already seconded (rule term: <= 36 in all)."
    )
    max_communes: int | None = Field(
        None,
        ge=1,
        le=MAX_SLOTS,
        description="Most communes this person covers (overrides the policy's max_communes).",
    )
    max_km_between: Km | None = Field(
        None,
        description="Largest road km between two communes this person covers (overrides "
        "the policy's max_km_between).",
    )

    current_communes: tuple[Id, ...] = Field(
        (),
        description="Communes the official already serves in under a secondment, "
        "';'-separated in files: a round that keeps them there pays no new one-off "
        "allowance (set by next_round from the previous plan).",
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _parse_languages(cls, value: Any) -> tuple[str, ...]:
        return parse_languages(value)

    @field_validator("current_communes", mode="before")
    @classmethod
    def _parse_current_communes(cls, value: Any) -> tuple[str, ...]:
        return parse_id_list(value)

    years_of_service: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Years in the civil service; orders the seniority mechanism (optional).",
    )

    @field_validator("skills", mode="before")
    @classmethod
    def _parse_skills(cls, value: Any) -> dict[str, int]:
        skills = parse_skills(value)
        if not skills:  # ";;;" or {}: an official with no skill can never be seconded
            raise InvalidValue(Phrase("problem.no_skill"), Phrase("expected.a_skill"))
        return skills

    @model_validator(mode="after")
    def _has_home(self) -> Official:
        if (self.home_lat is None) != (self.home_lon is None):
            raise InvalidValue(Phrase("problem.home_half"))
        if self.home_commune_id is None and self.home_lat is None:
            raise InvalidValue(Phrase("problem.no_home"))
        if self.kind == OfficialKind.LOCAL and self.home_commune_id is None:
            raise InvalidValue(Phrase("problem.local_no_home"))
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_until < self.available_from
        ):
            raise InvalidValue(
                Phrase(
                    "problem.available_until_before_from",
                    until=self.available_until.isoformat(),
                    start=self.available_from.isoformat(),
                )
            )
        return self


class Need(_Record):
    """A staffing need: ``slots`` people of one field wanted in one commune."""

    need_id: Id
    commune_id: Id
    field: FieldName
    slots: int = Field(ge=1, le=MAX_SLOTS, description="People wanted.")
    min_level: int = Field(1, ge=MIN_LEVEL, le=MAX_LEVEL, description="Lowest skill level.")
    criticality: int = Field(2, ge=1, le=3, description="1 low, 2 normal, 3 critical.")
    workload: Fte = Field(1.0, description="Full-time equivalents each slot takes.")
    mandatory: bool = Field(False, description="Every slot must be filled.")
    start: date | None = Field(
        None, description="First day of the secondment (default: the policy's round_start)."
    )
    months: int | None = Field(
        None,
        ge=1,
        le=MAX_TERM_MONTHS,
        description="Length in months, at most 36 (default: the policy's round_months).",
    )
    language: Text | None = Field(
        None, description="A language the post needs (Thái, Hmông ...): rule language."
    )


class Distance(_Record):
    """A road distance that overrides the computed one."""

    official_id: Id
    commune_id: Id
    km: Km = Field(description="Road distance in km.")


class Lock(_Record):
    """A planner's decision: ``lock`` = must assign, ``forbid`` = never assign."""

    official_id: Id
    need_id: Id
    kind: Literal["lock", "forbid"]


class Affinity(_Record):
    """An integer added to one pair's score (interview, language, stated wish)."""

    official_id: Id
    need_id: Id
    score: Points = Field(description="Points added to the pair's score.")


class Wish(_Record):
    """An official's stated wish: a commune and its rank (1 = first choice).

    The preferences of the allocation mechanisms and the stability audit
    read it (:mod:`staffopt.policies.preferences`); the optimal plan does not.
    """

    official_id: Id
    commune_id: Id
    rank: int = Field(ge=1, le=MAX_SLOTS, description="1 = first choice, 2 = second ...")


class ProvinceBudget(_Record):
    """A hard limit on the allowances paid for secondments to one province's communes."""

    province: Text = Field(description="A province named in the communes table.")
    budget: BudgetVnd = Field(description="VND the province's secondments may cost in all.")


class FieldEntry(_Record):
    """A field's names for one scenario: overrides or extends the package glossary.

    A province may name a field its own way, or add a field the package does
    not know; every output shows field names through :meth:`Scenario.field_name`.
    """

    field: FieldName = Field(description="The field's code, as needs and skills use it.")
    name_en: Text = Field(description="The field's name in English output.")
    name_vi: Text = Field(description="The field's name in Vietnamese output.")


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
#: Further columns of a plan's assignments (and of the arcs): what the pair costs
#: in allowances, VND for the need's term (:mod:`staffopt.allowance`). Plans
#: written before it have no such column; the checker re-derives it anyway.
COST_COLUMN = "cost"

RECORD_TYPES: dict[str, type[_Record]] = {
    "communes": Commune,
    "agencies": Agency,
    "officials": Official,
    "needs": Need,
    "distances": Distance,
    "locks": Lock,
    "affinity": Affinity,
    "wishes": Wish,
    "budgets": ProvinceBudget,
    "fields": FieldEntry,
}
ID_COLUMN: dict[str, str] = {
    "communes": "commune_id",
    "agencies": "agency_id",
    "officials": "official_id",
    "needs": "need_id",
    "fields": "field",
}
