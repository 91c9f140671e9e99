"""Raw tables into a validated Scenario, or one ScenarioError that locates every problem.

Readers turn a file into :class:`~staffopt.io.cells.RawTable` objects and call
:func:`build_scenario`, which checks the headers, converts every cell to text
(empty = not given), validates each table in one pydantic call, runs the
cross-table checks of :class:`~staffopt.schema.Scenario` on the valid rows and
raises one :class:`~staffopt.errors.ScenarioError` listing every problem, each
with its file, spreadsheet row, column and id: problems about the whole scenario
first, then table by table and row by row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cache, partial
from typing import Any

from pydantic import TypeAdapter, ValidationError

from staffopt.errors import Problem, ScenarioError
from staffopt.io.cells import (
    RawTable,
    bool_fields,
    bool_word,
    cell_text,
    date_fields,
    date_text,
    decimal_text,
    number_fields,
)
from staffopt.io.columns import choice_columns, column_named, match_choice, match_column
from staffopt.io.fieldnames import FieldNames, needs_with_codes, officials_with_codes
from staffopt.io.problems import SCENARIO, describe_error, show_value, value_range
from staffopt.io.settings import OPTIONS, POLICY
from staffopt.schema import (
    ID_COLUMN,
    RECORD_TYPES,
    REQUIRED_TABLES,
    TABLES,
    Policy,
    Scenario,
    SolveOptions,
)
from staffopt.texts import Phrase

__all__ = ["build_scenario", "build_with_settings"]

#: (table, column) -> the table whose ids the column refers to.
REFERENCES: dict[tuple[str, str], str] = {
    ("officials", "agency_id"): "agencies",
    ("officials", "home_commune_id"): "communes",
    ("needs", "commune_id"): "communes",
    ("distances", "official_id"): "officials",
    ("distances", "commune_id"): "communes",
    ("locks", "official_id"): "officials",
    ("locks", "need_id"): "needs",
    ("affinity", "official_id"): "officials",
    ("affinity", "need_id"): "needs",
    ("wishes", "official_id"): "officials",
    ("wishes", "commune_id"): "communes",
}
#: Tables without an id column: a record is named by its pair.
PAIR_COLUMNS: dict[str, tuple[str, str]] = {
    "distances": ("official_id", "commune_id"),
    "locks": ("official_id", "need_id"),
    "affinity": ("official_id", "need_id"),
    "wishes": ("official_id", "commune_id"),
}


def _converters(table: str) -> dict[str, Callable[[Any], Any]]:
    """Column -> how a person's cell text becomes the text the validator takes: yes/no
    words, decimal commas, day-first dates, a choice's word in either language."""
    model = RECORD_TYPES[table]
    convert: dict[str, Callable[[Any], Any]] = {}
    convert |= dict.fromkeys(number_fields(model), decimal_text)
    convert |= dict.fromkeys(date_fields(model), date_text)
    convert |= dict.fromkeys(bool_fields(model), bool_word)
    for column in choice_columns(table):
        convert[column] = partial(match_choice, table, column)
    return convert


_CONVERTERS: dict[str, dict[str, Callable[[Any], Any]]] = {t: _converters(t) for t in TABLES}


@cache
def _adapter(table: str) -> TypeAdapter[list[Any]]:
    model: Any = RECORD_TYPES[table]
    return TypeAdapter(list[model])


def _record_id(table: str, record: Mapping[str, Any]) -> str | None:
    col = ID_COLUMN.get(table)
    if col is not None:
        value = record.get(col)
        return value if isinstance(value, str) else None
    cols = PAIR_COLUMNS.get(table)
    if cols is None:  # pragma: no cover - every table has an id or a pair
        return None
    parts = [record.get(c) for c in cols]
    if all(isinstance(p, str) for p in parts):
        return " / ".join(str(p) for p in parts)
    return None


def _names_row(cells: Any, positions: list[tuple[int, str]]) -> bool:
    """Whether a row holds, in every named column, that column's code (the template's row 2)."""
    if not positions:
        return False
    for j, name in positions:
        v = cells[j] if j < len(cells) else None
        if not isinstance(v, str) or v.strip().lower() != name:
            return False
    return True


class _Builder:
    """Collects valid records, their row numbers and every problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.records: dict[str, list[Any]] = {t: [] for t in TABLES}
        self.rows: dict[str, list[int]] = {t: [] for t in TABLES}
        self.sources: dict[str, str | None] = {}
        self.bad_ids: dict[str, set[str]] = {t: set() for t in TABLES}
        self.unknown_ids: set[str] = set()  # tables whose ids we could not read
        #: (row, cells) of records dropped for per-cell errors, by table.
        self.dropped: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def add(self, table: str, raw: RawTable) -> None:
        model = RECORD_TYPES[table]
        fields = model.model_fields
        source = raw.source
        self.sources[table] = source
        if not raw.synthetic_header and (raw.header_row is None or not raw.header):
            self.problems.append(
                Problem(
                    table,
                    Phrase("problem.empty_table"),
                    source=source,
                    expected=Phrase("expected.header", columns=", ".join(fields)),
                )
            )
            self.unknown_ids.add(table)
            return
        hrow = None if raw.synthetic_header else raw.header_row
        positions: list[tuple[int, str]] = []
        seen: set[str] = set()
        for j, cell in enumerate(raw.header):
            name = match_column(table, cell)
            if not name:
                if any(j < len(c) and cell_text(c[j]) is not None for _, c in raw.rows):
                    self.problems.append(
                        Problem(
                            table,
                            Phrase("problem.unnamed_column", number=j + 1),
                            hrow,
                            None,
                            None,
                            Phrase("expected.column_name"),
                            None,
                            source,
                        )
                    )
                continue
            if name in fields:
                if name in seen:
                    self.problems.append(
                        Problem(
                            table,
                            Phrase("problem.column_twice"),
                            hrow,
                            name,
                            None,
                            Phrase("expected.each_column_once"),
                            None,
                            source,
                        )
                    )
                else:
                    seen.add(name)
                    positions.append((j, name))
            else:
                self.problems.append(
                    Problem(
                        table,
                        Phrase("problem.unknown_column", name=cell_text(cell)),
                        hrow,
                        str(cell_text(cell)),
                        None,
                        Phrase("expected.one_of_list", items=", ".join(fields)),
                        None,
                        source,
                    )
                )
        missing = {f for f, info in fields.items() if info.is_required() and f not in seen}
        if raw.synthetic_header:
            missing = set()
        for f in fields:
            if f in missing:
                self.problems.append(
                    Problem(
                        table,
                        Phrase("problem.missing_column"),
                        hrow,
                        f,
                        None,
                        column_named(table, f),
                        None,
                        source,
                    )
                )
        id_col = ID_COLUMN.get(table)
        if id_col is not None and id_col not in seen and raw.rows:
            self.unknown_ids.add(table)

        convert = _CONVERTERS[table]
        plain = [(j, name) for j, name in positions if name not in convert]
        converted = [(j, name, convert[name]) for j, name in positions if name in convert]
        width = len(raw.header)
        padding: list[None] = [None] * width
        records: list[dict[str, Any]] = []
        numbers_: list[int] = []
        for position, (number, cells) in enumerate(raw.rows):
            if position == 0 and _names_row(cells, positions):
                continue  # the template's second header row: each column's code
            # Cells as stripped text, None when empty (fast path for CSV text).
            values = [(v.strip() or None) if type(v) is str else cell_text(v) for v in cells]
            n = len(values)
            if n < width:
                values += padding[: width - n]
            rec = {name: v for j, name in plain if (v := values[j]) is not None}
            for j, name, word in converted:
                v = values[j]
                if v is not None:
                    rec[name] = word(v)
            if n > width and any(v is not None for v in values[width:]):
                last = max(k for k, v in enumerate(values) if v is not None)
                self.problems.append(
                    Problem(
                        table,
                        Phrase("problem.extra_cells"),
                        number,
                        None,
                        _record_id(table, rec),
                        Phrase("expected.at_most_cells", count=width),
                        Phrase("found.cells", count=last + 1),
                        source,
                    )
                )
            if not rec and all(v is None for v in values):
                continue
            records.append(rec)
            numbers_.append(number)
        self._validate(table, records, numbers_, source, missing)

    def _validate(
        self,
        table: str,
        records: list[dict[str, Any]],
        numbers_: list[int],
        source: str | None,
        missing_columns: set[str],
    ) -> None:
        adapter = _adapter(table)
        try:
            self.records[table] = adapter.validate_python(records)
            self.rows[table] = numbers_
            return
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        bad: set[int] = set()
        for err in errors:
            loc = err["loc"]
            i = loc[0] if loc else None
            if not isinstance(i, int):  # pragma: no cover - the input is a list
                message = Phrase("problem.invalid_value", kind=err["type"])
                self.problems.append(Problem(table, message, source=source))
                continue
            bad.add(i)
            column = str(loc[1]) if len(loc) > 1 else None
            if err["type"] == "missing" and column in missing_columns:
                continue  # reported once as a missing column
            message, expected = describe_error(
                err, column, value_range(RECORD_TYPES[table], loc[1:])
            )
            if len(loc) > 2:
                message = Phrase("problem.at", message=message, where=", ".join(map(str, loc[2:])))
            found = None if err["type"] == "missing" or column is None else show_value(err["input"])
            rec = records[i]
            self.problems.append(
                Problem(
                    table,
                    message,
                    numbers_[i],
                    column,
                    _record_id(table, rec),
                    expected,
                    found,
                    source,
                )
            )
        self.dropped[table] = [(numbers_[i], records[i]) for i in sorted(bad)]
        id_col = ID_COLUMN.get(table)
        for i in bad:
            value = records[i].get(id_col) if id_col is not None else None
            if isinstance(value, str):
                self.bad_ids[table].add(value)
        keep = [i for i in range(len(records)) if i not in bad]
        try:
            self.records[table] = adapter.validate_python([records[i] for i in keep])
            self.rows[table] = [numbers_[i] for i in keep]
        except ValidationError:  # pragma: no cover - rows validate independently
            self.records[table], self.rows[table] = [], []
            self.unknown_ids.add(table)

    def _locate(self, p: Problem) -> Problem | None:
        """Map a cross-check problem to file rows; None if it is noise from dropped rows."""
        target = REFERENCES.get((p.table, p.column or ""))
        noise = target is not None and p.message.key.startswith("problem.unknown_")
        if noise and (target in self.unknown_ids or p.id in self.bad_ids.get(target or "", ())):
            return None
        row = p.row
        numbers_ = self.rows.get(p.table)
        if row is not None and numbers_ is not None and 0 <= row - 2 < len(numbers_):
            row = numbers_[row - 2]
        return replace(p, row=row, source=p.source or self.sources.get(p.table))

    def _dropped_checks(self, reported: list[Problem]) -> list[Problem]:
        """Duplicate ids and unknown references among dropped rows (cross_check skips them)."""
        extra: list[Problem] = []
        seen = {(p.table, p.row, p.column) for p in reported}
        for table, col in ID_COLUMN.items():
            dropped = self.dropped.get(table)
            if not dropped:
                continue
            entries = [
                (n, getattr(r, col))
                for n, r in zip(self.rows[table], self.records[table], strict=True)
            ]
            entries += [(n, rec[col]) for n, rec in dropped if isinstance(rec.get(col), str)]
            counts = Counter(i for _, i in entries)
            for n, i in sorted(entries):
                if counts[i] > 1 and (table, n, col) not in seen:
                    extra.append(
                        Problem(
                            table,
                            Phrase("problem.duplicate_id"),
                            n,
                            col,
                            i,
                            Phrase("expected.each_id_once"),
                            None,
                            self.sources.get(table),
                        )
                    )
        for (table, col), target in REFERENCES.items():
            dropped = self.dropped.get(table)
            if not dropped or target in self.unknown_ids:
                continue
            id_col = ID_COLUMN[target]
            known = {getattr(r, id_col) for r in self.records[target]} | self.bad_ids[target]
            for n, rec in dropped:
                value = rec.get(col)
                if isinstance(value, str) and value not in known:
                    extra.append(
                        Problem(
                            table,
                            Phrase(f"problem.unknown_{_SINGULAR[target]}"),
                            n,
                            col,
                            value,
                            Phrase("expected.id_from", table=target),
                            f"'{value}'",
                            self.sources.get(table),
                        )
                    )
        return extra

    def _fields_by_code(self) -> None:
        """Needs' and skills' fields given by name (the glossary's or the fields table's) as
        their codes, before the cross-table checks see them."""
        names = FieldNames.of(self.records["fields"])
        self.records["needs"], bad_needs = needs_with_codes(
            self.records["needs"], self.rows["needs"], names
        )
        self.records["officials"], bad_officials = officials_with_codes(
            self.records["officials"], self.rows["officials"], names
        )
        self.problems += [
            replace(p, source=self.sources.get(p.table)) for p in bad_needs + bad_officials
        ]

    def finish(self, name: str, policy: Policy | None, options: SolveOptions | None) -> Scenario:
        self._fields_by_code()
        data: dict[str, Any] = {t: tuple(self.records[t]) for t in TABLES}
        scenario: Scenario | None = None
        cross: list[Problem] = []
        try:
            scenario = Scenario.model_validate(
                {
                    "name": name,
                    "policy": policy or Policy(),
                    "options": options or SolveOptions(),
                    **data,
                }
            )
        except ScenarioError as exc:
            located = [self._locate(p) for p in exc.problems]
            cross = [p for p in located if p is not None]
        except ValidationError as exc:  # pragma: no cover - records are validated above
            cross = [
                Problem(SCENARIO, Phrase("problem.invalid_value", kind=e["type"]))
                for e in exc.errors(include_url=False)
            ]
        cross += self._dropped_checks(cross)
        problems = self.problems + cross
        if problems or scenario is None:
            problems.sort(key=_problem_order)
            raise ScenarioError(problems)
        return scenario


_SINGULAR = {"communes": "commune", "agencies": "agency", "officials": "official", "needs": "need"}
_TABLE_RANK = {t: k for k, t in enumerate((SCENARIO, POLICY, OPTIONS, *TABLES))}


def _problem_order(p: Problem) -> tuple[int, int]:
    """File-level problems first, then by table, then by row (stable within a row)."""
    return _TABLE_RANK.get(p.table, len(_TABLE_RANK)), -1 if p.row is None else p.row


def build_scenario(
    tables: Mapping[str, RawTable | None],
    *,
    name: str = "scenario",
    policy: Policy | None = None,
    options: SolveOptions | None = None,
    problems: Iterable[Problem] = (),
) -> Scenario:
    """Validate raw tables into a Scenario or raise one ScenarioError with every problem.

    ``tables`` maps table names to raw tables; ``None`` marks a table that
    could not be read (its problem is in ``problems``). A required table
    absent from ``tables`` is reported as missing. ``policy`` is the
    validated policy and ``options`` the default solve options (``None``:
    the default, or an invalid one whose problems are in ``problems``).
    """
    b = _Builder()
    b.problems.extend(problems)
    for table in TABLES:
        if table not in tables:
            if table in REQUIRED_TABLES:
                b.problems.append(
                    Problem(
                        table,
                        Phrase("problem.missing_table"),
                        expected=Phrase("expected.table", table=table),
                    )
                )
                b.unknown_ids.add(table)
            continue
        raw = tables[table]
        if raw is None:
            b.unknown_ids.add(table)
            continue
        b.add(table, raw)
    return b.finish(name, policy, options)


def build_with_settings(
    tables: Mapping[str, RawTable | None],
    settings: Mapping[str, Any],
    *,
    name: str,
    problems: Iterable[Problem],
) -> Scenario:
    """:func:`build_scenario` with the policy and options a reader collected by table name."""
    policy, options = settings.get(POLICY), settings.get(OPTIONS)
    return build_scenario(tables, name=name, policy=policy, options=options, problems=problems)
