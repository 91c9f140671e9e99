"""Fields given by name: ``Công nghệ thông tin và chuyển đổi số`` in a need or a skill
is the field ``it``.

A person filling in a sheet writes what they read in the glossary, not its
code. Names come from the package glossary (``field.*`` in the catalogue) and
the scenario's own ``fields`` table (which renames a field for this scenario, or
adds one),
compared folded like headers (:func:`~staffopt.io.columns.fold`: case, accents,
spaces). A code always wins over a name; a value that is neither stays as it
is (a field of the province's own); a name of several fields is a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from staffopt.errors import Problem
from staffopt.io.columns import fold
from staffopt.schema import FieldEntry, Need, Official
from staffopt.texts import Phrase, glossary_fields


@dataclass(frozen=True)
class FieldNames:
    """Every field code a scenario may use, and which codes each folded name means."""

    codes: frozenset[str]
    by_name: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[FieldEntry]) -> FieldNames:
        """The package glossary's names and the scenario's ``fields`` rows: a renamed
        field still answers to its package names, as a person may have copied them."""
        glossary = glossary_fields()
        own = [(e.field, (e.name_en, e.name_vi)) for e in entries]
        by_name: dict[str, set[str]] = {}
        for code, (en, vi) in [*glossary.items(), *own]:
            for name in (en, vi):
                by_name.setdefault(fold(name), set()).add(code)
        codes = frozenset(glossary) | {code for code, _ in own}
        return cls(codes, {k: frozenset(v) for k, v in by_name.items()})

    def code(self, value: str) -> str | frozenset[str]:
        """The code ``value`` stands for, or every code a name shared by several fields means."""
        if value in self.codes:
            return value
        hits = self.by_name.get(fold(value))
        if hits is None:
            return value
        return next(iter(hits)) if len(hits) == 1 else hits


def _ambiguous(
    table: str, row: int, column: str, item: str, name: str, codes: frozenset[str]
) -> Problem:
    return Problem(
        table,
        Phrase("problem.ambiguous_field_name", name=name),
        row,
        column,
        item,
        Phrase("expected.one_field", codes=", ".join(sorted(codes))),
        f"'{name}'",
    )


def needs_with_codes(
    needs: Sequence[Need], rows: Sequence[int], names: FieldNames
) -> tuple[list[Need], list[Problem]]:
    """Needs whose field is given by name, with its code instead; ambiguous names as problems."""
    out: list[Need] = []
    problems: list[Problem] = []
    for n, row in zip(needs, rows, strict=True):
        code = names.code(n.field)
        if isinstance(code, frozenset):
            problems.append(_ambiguous("needs", row, "field", n.need_id, n.field, code))
            out.append(n)
        else:
            out.append(n if code == n.field else n.model_copy(update={"field": code}))
    return out, problems


def officials_with_codes(
    officials: Sequence[Official], rows: Sequence[int], names: FieldNames
) -> tuple[list[Official], list[Problem]]:
    """Officials whose skills name fields by name, with codes instead; a name of several
    fields, or two names of one field, as problems."""
    out: list[Official] = []
    problems: list[Problem] = []
    for o, row in zip(officials, rows, strict=True):
        skills: dict[str, int] = {}
        for value, level in o.skills.items():
            code = names.code(value)
            if isinstance(code, frozenset):
                problems.append(_ambiguous("officials", row, "skills", o.official_id, value, code))
                code = value
            if code in skills:
                problems.append(
                    Problem(
                        "officials",
                        Phrase("problem.skill_twice", name=code),
                        row,
                        "skills",
                        o.official_id,
                    )
                )
            skills[code] = level
        out.append(o if list(skills) == list(o.skills) else o.model_copy(update={"skills": skills}))
    return out, problems
