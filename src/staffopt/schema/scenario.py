"""The Scenario: every table and the policy, validated across tables and frozen.

Cross-table checks (unknown ids, duplicates, floors above ceilings ...) run when a
Scenario is built and raise one :class:`~staffopt.errors.ScenarioError` listing
every problem. Vectorised code reads the cached DataFrame views
(:meth:`Scenario.frame`), never loops over records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from staffopt.errors import Problem, ScenarioError
from staffopt.schema.options import SolveOptions
from staffopt.schema.policy import Policy
from staffopt.schema.records import (
    ID_COLUMN,
    RECORD_TYPES,
    Affinity,
    Agency,
    Commune,
    Distance,
    FieldEntry,
    Lock,
    Need,
    Official,
    ProvinceBudget,
    Wish,
)
from staffopt.texts import Phrase, field_text, glossary_fields

H = TypeVar("H", bound=Hashable)
T = TypeVar("T")

_PLURAL = {"agency": "agencies", "commune": "communes", "official": "officials", "need": "needs"}


def _duplicates(ids: Iterable[H]) -> list[H]:
    return [k for k, c in Counter(ids).items() if c > 1]


class Scenario(BaseModel):
    """One planning scenario: the tables, the policy and default solve options. Frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "scenario"
    communes: tuple[Commune, ...]
    agencies: tuple[Agency, ...]
    officials: tuple[Official, ...]
    needs: tuple[Need, ...]
    distances: tuple[Distance, ...] = ()
    locks: tuple[Lock, ...] = ()
    affinity: tuple[Affinity, ...] = ()
    #: Officials' ranked communes, read by the allocation mechanisms (optional).
    wishes: tuple[Wish, ...] = ()
    #: Province allowance budgets (hard limits), beside the policy's scenario ``budget``.
    budgets: tuple[ProvinceBudget, ...] = ()
    #: The scenario's own field names, over the package glossary (optional).
    fields: tuple[FieldEntry, ...] = ()
    policy: Policy = Field(default_factory=Policy)
    #: Default solve options of this scenario; ``solve(options=...)`` overrides them.
    options: SolveOptions = Field(default_factory=SolveOptions)

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
    def field_names(self) -> dict[str, tuple[str, str]]:
        """Field code -> (English, Vietnamese) name from the scenario's ``fields`` table."""
        return {f.field: (f.name_en, f.name_vi) for f in self.fields}

    def field_name(self, code: str, lang: str = "en") -> str:
        """A field's name in ``lang``: the scenario's ``fields`` table first, then the
        package glossary, else the code itself. Every output names fields through it."""
        return field_text(code, lang, self.field_names)

    def unnamed_fields(self) -> list[str]:
        """Fields needs or skills use that neither the ``fields`` table nor the package
        glossary names: outputs show their codes (``staffopt validate`` says so)."""
        used = {n.field for n in self.needs} | {f for o in self.officials for f in o.skills}
        known = set(glossary_fields()) | set(self.field_names)
        return sorted(used - known)

    @cached_property
    def _frames(self) -> dict[str, Any]:
        """Derived views (frames, indices) of this frozen scenario, built once."""
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
        frame: pd.DataFrame = self._frames[table]
        return frame

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Scenario:
        """A copy (see pydantic); derived views are rebuilt for it, never shared.

        pydantic copies the instance dict, cached views included: a copy with
        other needs would otherwise answer with the original's frames and indices.
        """
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_frames", None)
        copy.__dict__.pop("field_names", None)  # a copy with another fields table
        return copy

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """A value derived from this frozen scenario, built on first use and kept.

        Lower layers compute their indices once per scenario this way (see
        :func:`staffopt.indices.indices`) without the schema importing them.
        """
        cache = self._frames
        if key not in cache:
            cache[key] = build()
        return cache[key]  # type: ignore[no-any-return]

    def skills_frame(self) -> pd.DataFrame:
        """One row per (official_id, field, level)."""
        if "_skills" not in self._frames:
            rows = [(o.official_id, f, lvl) for o in self.officials for f, lvl in o.skills.items()]
            self._frames["_skills"] = pd.DataFrame(rows, columns=["official_id", "field", "level"])
        skills: pd.DataFrame = self._frames["_skills"]
        return skills

    def with_policy(self, policy: Policy | None = None, **changes: Any) -> Scenario:
        """A copy with another policy, or with some policy fields changed."""
        base = policy or self.policy
        if changes:
            base = Policy.model_validate({**base.model_dump(), **changes})
        return self.model_copy(update={"policy": base})

    def replace(self, **changes: Any) -> Scenario:
        """A validated copy with some fields replaced (tables, name, policy, options).

        Unlike ``model_copy(update=...)`` the result is checked like any new
        scenario: unknown ids in new locks raise a ScenarioError.
        """
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate({**fields, **changes})

    def with_options(self, options: SolveOptions | None = None, **changes: Any) -> Scenario:
        """A copy with other default solve options, or with some of them changed."""
        base = (options or self.options).with_changes(**changes)
        return self.model_copy(update={"options": base})

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


def _field_code_problems(s: Scenario) -> list[Problem]:
    """Rows of the ``fields`` table naming a field nothing knows: likely a typo."""
    glossary = glossary_fields()
    used = {n.field for n in s.needs} | {f for o in s.officials for f in o.skills}
    return [
        Problem(
            "fields",
            Phrase("problem.unknown_field_code"),
            row=i + 2,
            column="field",
            id=f.field,
            expected=Phrase("expected.field_code", known=", ".join(glossary)),
            found=f"'{f.field}'",
        )
        for i, f in enumerate(s.fields)
        if f.field not in glossary and f.field not in used
    ]


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
                        Phrase("problem.duplicate_id"),
                        row=row_of(i),
                        column=col,
                        id=getattr(r, col),
                        expected=Phrase("expected.each_id_once"),
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
                    Phrase(f"problem.unknown_{what}"),
                    row=row_of(i),
                    column=col,
                    id=value,
                    expected=Phrase("expected.id_from", table=_PLURAL[what]),
                    found=f"'{value}'",
                )
            )

    for i, a in enumerate(s.agencies):
        if a.min_release > a.ceiling:
            problems.append(
                Problem(
                    "agencies",
                    Phrase("problem.floor_above_ceiling"),
                    row=row_of(i),
                    column="min_release",
                    id=a.agency_id,
                    expected=Phrase("expected.min_release", limit=a.ceiling),
                    found=str(a.min_release),
                )
            )
        if a.max_release is not None and a.max_release > a.headcount:
            problems.append(
                Problem(
                    "agencies",
                    Phrase("problem.ceiling_above_headcount"),
                    row=row_of(i),
                    column="max_release",
                    id=a.agency_id,
                    expected=Phrase("expected.max_release", limit=a.headcount),
                    found=str(a.max_release),
                )
            )
    for i, o in enumerate(s.officials):
        ref("officials", i, "agency_id", o.agency_id, agencies, "agency")
        ref("officials", i, "home_commune_id", o.home_commune_id, communes, "commune")
        for cid in o.current_communes:
            ref("officials", i, "current_communes", cid, communes, "commune")
    for i, n in enumerate(s.needs):
        ref("needs", i, "commune_id", n.commune_id, communes, "commune")
    for i, d in enumerate(s.distances):
        ref("distances", i, "official_id", d.official_id, officials, "official")
        ref("distances", i, "commune_id", d.commune_id, communes, "commune")
    for table in ("locks", "affinity"):
        for i, r in enumerate(getattr(s, table)):
            ref(table, i, "official_id", r.official_id, officials, "official")
            ref(table, i, "need_id", r.need_id, needs, "need")
    for i, w in enumerate(s.wishes):
        ref("wishes", i, "official_id", w.official_id, officials, "official")
        ref("wishes", i, "commune_id", w.commune_id, communes, "commune")
    problems += _field_code_problems(s)
    provinces = {c.province for c in s.communes}
    seen_provinces: set[str] = set()
    for i, b in enumerate(s.budgets):
        # (message, expected, found) of a budget row's province, if wrong
        wrong: tuple[Phrase, Phrase, str | None] | None = None
        if b.province not in provinces:
            wrong = (
                Phrase("problem.unknown_province"),
                Phrase("expected.province_of_communes"),
                f"'{b.province}'",
            )
        elif b.province in seen_provinces:
            wrong = (Phrase("problem.province_twice"), Phrase("expected.each_province_once"), None)
        seen_provinces.add(b.province)
        if wrong is not None:
            message, expected, found = wrong
            problems.append(
                Problem(
                    "budgets",
                    message,
                    row=row_of(i),
                    column="province",
                    id=b.province,
                    expected=expected,
                    found=found,
                )
            )
    for table, cols in (
        ("distances", ("official_id", "commune_id")),
        ("locks", ("official_id", "need_id")),
        ("affinity", ("official_id", "need_id")),
        ("wishes", ("official_id", "commune_id")),
    ):
        keys = [tuple(getattr(r, c) for c in cols) for r in getattr(s, table)]
        dup_keys = set(_duplicates(keys))
        for i, k in enumerate(keys):
            if k in dup_keys:
                problems.append(
                    Problem(
                        table,
                        Phrase("problem.pair_twice"),
                        row=row_of(i),
                        column=cols[1],
                        id=" / ".join(k),
                        expected=Phrase("expected.each_pair_once"),
                    )
                )
    return problems
