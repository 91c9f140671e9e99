"""The shared core of the scenario readers and writers.

Readers turn a file into :class:`RawTable` objects (a header and rows of raw
cells, each row with its spreadsheet row number) and call
:func:`build_scenario`, which checks the headers, converts every cell to text
(empty = not given), validates each table in one pydantic call, runs the
cross-table checks of :class:`~staffopt.schema.Scenario` on the valid rows and
raises one :class:`~staffopt.errors.ScenarioError` listing every problem.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from staffopt.errors import Problem, ScenarioError
from staffopt.schema import (
    ID_COLUMN,
    RECORD_TYPES,
    REQUIRED_TABLES,
    TABLES,
    Policy,
    Scenario,
    SolveOptions,
    format_skills,
)

__all__ = [
    "OPTIONS",
    "POLICY",
    "SCENARIO",
    "RawTable",
    "build_scenario",
    "cell_text",
    "raw_table",
    "scenario_from_frames",
    "settings_from_mapping",
    "settings_from_rows",
    "settings_items",
    "table_values",
]

#: Table name used in problems about the policy.
POLICY = "policy"
#: Table name used in problems about the default solve options.
OPTIONS = "options"
#: Table name used in problems about the scenario as a whole (path, file type).
SCENARIO = "scenario"

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
}
#: Tables without an id column: a record is named by its pair.
PAIR_COLUMNS: dict[str, tuple[str, str]] = {
    "distances": ("official_id", "commune_id"),
    "locks": ("official_id", "need_id"),
    "affinity": ("official_id", "need_id"),
}

_TRUE_WORDS = ("true", "yes", "y", "1", "có", "co")
_FALSE_WORDS = ("false", "no", "n", "0", "không", "khong")
_BOOL_WORDS: dict[str, bool] = {
    **{w: True for w in _TRUE_WORDS},
    **{w: False for w in _FALSE_WORDS},
}
BOOL_HINT = "true/false, yes/no, 1/0 or có/không"
SKILLS_HINT = "field:level pairs like it:3;land:2 with levels 1-3"
_EXACT_INT = 2**53


def _bool_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(n for n, f in model.model_fields.items() if f.annotation is bool)


_BOOL_FIELDS: dict[str, frozenset[str]] = {t: _bool_fields(m) for t, m in RECORD_TYPES.items()}


def _structured(annotation: Any) -> str | None:
    """'dict' or 'list' when a policy field holds a mapping or a sequence, else None."""
    origin = get_origin(annotation)
    if origin is dict:
        return "dict"
    if origin in (list, tuple, set, frozenset):
        return "list"
    if origin in (Union, UnionType):
        kinds = {_structured(a) for a in get_args(annotation) if a is not type(None)}
        kinds.discard(None)
        return kinds.pop() if len(kinds) == 1 else None
    return None


#: The key/value tables of a scenario and the model each validates into.
SETTINGS: dict[str, type[Policy] | type[SolveOptions]] = {POLICY: Policy, OPTIONS: SolveOptions}
_SETTING_BOOLS: dict[str, frozenset[str]] = {k: _bool_fields(m) for k, m in SETTINGS.items()}
#: Settings fields written as JSON text in a key/value sheet, with their kind.
_SETTING_STRUCTURED: dict[str, dict[str, str]] = {
    table: {n: kind for n, f in m.model_fields.items() if (kind := _structured(f.annotation))}
    for table, m in SETTINGS.items()
}


@cache
def _adapter(table: str) -> TypeAdapter[list[Any]]:
    model: Any = RECORD_TYPES[table]
    return TypeAdapter(list[model])


# -- cells -------------------------------------------------------------------
def cell_text(value: Any) -> Any:
    """A cell as stripped text, or ``None`` when empty.

    Numbers become their shortest exact text (``1.0`` -> ``"1"``, ``0.1`` ->
    ``"0.1"``), booleans ``"true"``/``"false"``, dates ISO text. Mappings and
    lists (skills given as a dict) pass through unchanged.
    """
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return value.strip() or None
    if kind is float:
        if value != value:  # NaN
            return None
        if value.is_integer() and abs(value) < _EXACT_INT:
            return str(int(value))
        return repr(value)
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f):
            return None
        if f.is_integer() and abs(f) < _EXACT_INT:
            return str(int(f))
        return repr(f)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, Mapping | list | tuple):
        return value
    return str(value).strip() or None


def _blank(cells: Sequence[Any]) -> bool:
    for v in cells:
        if v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                return False
        elif cell_text(v) is not None:
            return False
    return True


def _bool_word(value: Any) -> Any:
    if isinstance(value, str):
        word = _BOOL_WORDS.get(value)
        if word is None:
            word = _BOOL_WORDS.get(unicodedata.normalize("NFC", value).lower())
        return value if word is None else word
    return value


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return repr(value)


def _header_name(value: Any) -> str:
    text = cell_text(value)
    if not isinstance(text, str):
        return ""
    return text.lstrip("\ufeff").strip().lower()


@dataclass
class RawTable:
    """A table as read: header cells and ``(spreadsheet row, cells)`` per data row."""

    header: list[Any]
    rows: Sequence[tuple[int, Sequence[Any]]] = field(default_factory=list)
    source: str | None = None
    header_row: int | None = 1
    #: The header was made from record keys (JSON): no header row, and a key
    #: absent from every record is not a "missing column".
    synthetic_header: bool = False


def raw_table(rows: Iterable[Sequence[Any]], source: str | None = None) -> RawTable:
    """Make a :class:`RawTable` from rows numbered from 1; blank rows are skipped.

    The first non-blank row is the header. An empty input gives a table with
    no header (reported by :func:`build_scenario`).
    """
    header: list[Any] | None = None
    header_row: int | None = None
    data: list[tuple[int, Sequence[Any]]] = []
    for number, cells in enumerate(rows, start=1):
        if _blank(cells):
            continue
        if header is None:
            header, header_row = list(cells), number
        else:
            data.append((number, cells))
    return RawTable(header or [], data, source, header_row)


# -- pydantic errors -> problems ------------------------------------------------
def _describe(err: Any, column: str | None) -> tuple[str, str | None]:
    """Plain message and expected value for one pydantic error."""
    etype = err["type"]
    ctx = err.get("ctx") or {}
    if etype == "missing":
        return "missing value", "a value"
    if etype in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return "not a whole number", "a whole number"
    if etype in ("float_parsing", "float_type", "finite_number"):
        return "not a number", "a number"
    if etype in ("bool_parsing", "bool_type"):
        return "not a yes/no value", BOOL_HINT
    bounds = {
        "greater_than_equal": (">=", "ge"),
        "greater_than": (">", "gt"),
        "less_than_equal": ("<=", "le"),
        "less_than": ("<", "lt"),
    }
    if etype in bounds:
        op, key = bounds[etype]
        return "out of range", f"{op} {ctx.get(key)}"
    if etype in ("enum", "literal_error"):
        return "not an allowed value", f"one of {ctx.get('expected')}"
    if etype == "string_type":
        return "not text", "text"
    if etype == "string_too_short":
        return "empty value", "a non-empty value"
    if etype == "value_error":
        message = str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
        if column == "skills":
            return message.split(": expected")[0], SKILLS_HINT
        return message, None
    if column == "skills":
        return str(err["msg"]), SKILLS_HINT
    return str(err["msg"]), None


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


def settings_from_mapping(
    table: str,
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    rows: Mapping[str, int] | None = None,
) -> tuple[Any, list[Problem]]:
    """Validate the ``policy`` or ``options`` table given as a mapping; problems name the key.

    Returns a :class:`Policy` / :class:`SolveOptions` (or None) and the problems.
    """
    model = SETTINGS[table]
    try:
        return model.model_validate(dict(data)), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    fields = list(model.model_fields)
    problems: list[Problem] = []
    for err in errors:
        loc = err["loc"]
        key = str(loc[0]) if loc else None
        message, expected = _describe(err, None)
        found: str | None = None if err["type"] == "missing" else _show(err["input"])
        if err["type"] == "extra_forbidden":
            message, expected, found = "unknown key", "one of: " + ", ".join(fields), None
            if table == POLICY and key in SolveOptions.model_fields:
                # Solver settings left the policy: say where they live now.
                message = "a solve option, not a planning policy key"
                expected = (
                    f"'{key}' under options (options.json, an options sheet or an "
                    '"options" key), or the staffopt solve flag'
                )
        if key is None:  # a model-level check such as "zone_points lacks zones"
            key = next((f for f in fields if message.startswith(f)), None)
            found = _show(data[key]) if key is not None and key in data else None
        elif len(loc) > 1:
            message += f" (at {key}[{', '.join(map(str, loc[1:]))}])"
        row = rows.get(key) if rows is not None and key is not None else None
        problems.append(Problem(table, message, row, key, None, expected, found, source))
    return None, problems


def settings_from_rows(
    table: str, rows: Iterable[tuple[int, Sequence[Any]]], *, source: str | None = None
) -> tuple[Any, list[Problem]]:
    """Validate a key/value table (the ``policy`` or ``options`` sheet).

    The first column is the key, the second the value (empty = default);
    dict-valued keys such as ``zone_points`` hold JSON text, list-valued ones
    JSON text or ``a, b`` text. A first row ``key | value`` is a header and
    skipped.
    """
    data: dict[str, Any] = {}
    where: dict[str, int] = {}
    problems: list[Problem] = []
    first = True
    for number, cells in rows:
        key = cell_text(cells[0]) if len(cells) > 0 else None
        value = cell_text(cells[1]) if len(cells) > 1 else None
        if key is None and value is None:
            continue
        if first and isinstance(key, str) and key.lower() == "key":
            first = False
            continue
        first = False
        if not isinstance(key, str):
            problems.append(
                Problem(table, "value without a key", number, None, None, "a key", None, source)
            )
            continue
        key = key.lower()
        if key in where:
            problems.append(
                Problem(table, "key given twice", number, key, None, "each key once", None, source)
            )
            continue
        where[key] = number
        if value is None:
            continue
        kind = _SETTING_STRUCTURED[table].get(key)
        if kind == "list" and isinstance(value, str) and not value.startswith("["):
            value = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        elif kind is not None and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                example = '{"I": 0, "II": 20, "III": 40}' if kind == "dict" else '["a", "b"]'
                problems.append(
                    Problem(
                        table,
                        "not valid JSON",
                        number,
                        key,
                        None,
                        f"JSON text like {example}",
                        _show(value),
                        source,
                    )
                )
                continue
        elif key in _SETTING_BOOLS[table]:
            value = _bool_word(value)
        data[key] = value
    settings, more = settings_from_mapping(table, data, source=source, rows=where)
    return (None if problems else settings), problems + more


# -- the core ------------------------------------------------------------------
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
                    "empty table: no header row",
                    source=source,
                    expected="a header row with columns " + ", ".join(fields),
                )
            )
            self.unknown_ids.add(table)
            return
        hrow = None if raw.synthetic_header else raw.header_row
        positions: list[tuple[int, str]] = []
        seen: set[str] = set()
        for j, cell in enumerate(raw.header):
            name = _header_name(cell)
            if not name:
                if any(j < len(c) and cell_text(c[j]) is not None for _, c in raw.rows):
                    self.problems.append(
                        Problem(
                            table,
                            f"column {j + 1} has values but no name",
                            hrow,
                            None,
                            None,
                            "a column name in the header",
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
                            "column given twice",
                            hrow,
                            name,
                            None,
                            "each column once",
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
                        f"unknown column '{cell_text(cell)}'",
                        hrow,
                        str(cell_text(cell)),
                        None,
                        "one of: " + ", ".join(fields),
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
                        "missing column",
                        hrow,
                        f,
                        None,
                        f"a column named '{f}'",
                        None,
                        source,
                    )
                )
        id_col = ID_COLUMN.get(table)
        if id_col is not None and id_col not in seen and raw.rows:
            self.unknown_ids.add(table)

        bools = _BOOL_FIELDS[table]
        plain = [(j, name) for j, name in positions if name not in bools]
        yes_no = [(j, name) for j, name in positions if name in bools]
        width = len(raw.header)
        padding: list[None] = [None] * width
        records: list[dict[str, Any]] = []
        numbers_: list[int] = []
        for number, cells in raw.rows:
            # Cells as stripped text, None when empty (fast path for CSV text).
            values = [(v.strip() or None) if type(v) is str else cell_text(v) for v in cells]
            n = len(values)
            if n < width:
                values += padding[: width - n]
            rec = {name: v for j, name in plain if (v := values[j]) is not None}
            for j, name in yes_no:
                v = values[j]
                if v is not None:
                    rec[name] = _bool_word(v)
            if n > width and any(v is not None for v in values[width:]):
                last = max(k for k, v in enumerate(values) if v is not None)
                self.problems.append(
                    Problem(
                        table,
                        "more cells than the header has columns",
                        number,
                        None,
                        _record_id(table, rec),
                        f"at most {width} cells",
                        f"{last + 1} cells",
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
                self.problems.append(Problem(table, str(err["msg"]), source=source))
                continue
            bad.add(i)
            column = str(loc[1]) if len(loc) > 1 else None
            if err["type"] == "missing" and column in missing_columns:
                continue  # reported once as a missing column
            message, expected = _describe(err, column)
            if len(loc) > 2:
                message += f" (at {', '.join(map(str, loc[2:]))})"
            found = None if err["type"] == "missing" or column is None else _show(err["input"])
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
        noise = target is not None and p.message.startswith("unknown ")
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
                            "duplicate id",
                            n,
                            col,
                            i,
                            "each id once",
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
                            f"unknown {_SINGULAR[target]}",
                            n,
                            col,
                            value,
                            f"an id from the {target} table",
                            f"'{value}'",
                            self.sources.get(table),
                        )
                    )
        return extra

    def finish(self, name: str, policy: Policy | None, options: SolveOptions | None) -> Scenario:
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
            cross = [Problem(SCENARIO, str(e["msg"])) for e in exc.errors(include_url=False)]
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
                b.problems.append(Problem(table, "missing table", expected=f"a '{table}' table"))
                b.unknown_ids.add(table)
            continue
        raw = tables[table]
        if raw is None:
            b.unknown_ids.add(table)
            continue
        b.add(table, raw)
    return b.finish(name, policy, options)


def _raw_from_frame(frame: pd.DataFrame, table: str, source: str | None) -> RawTable:
    fields = RECORD_TYPES[table].model_fields
    names = [n for n in frame.index.names if n is not None]
    if names and all(str(n) in fields and n not in frame.columns for n in names):
        frame = frame.reset_index()
    values = frame.to_numpy(dtype=object).tolist()
    return RawTable(list(frame.columns), [(i + 2, row) for i, row in enumerate(values)], source, 1)


def scenario_from_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    name: str = "scenario",
    policy: Policy | Mapping[str, Any] | None = None,
    options: SolveOptions | Mapping[str, Any] | None = None,
    sources: Mapping[str, str] | None = None,
) -> Scenario:
    """Build a validated Scenario from DataFrames, one per table.

    ``frames`` maps table names (``communes``, ``agencies``, ``officials``,
    ``needs`` required; ``distances``, ``locks``, ``affinity`` optional) to
    DataFrames whose columns are the record fields. Cells of any type are
    converted to text first (empty/NaN = not given, so the field's default);
    row ``i`` of a frame is reported as spreadsheet row ``i + 2``. ``policy``
    is a :class:`Policy` or a mapping of policy fields, ``options`` a
    :class:`SolveOptions` or a mapping of its fields; ``policy`` and
    ``options`` frames with key/value columns are accepted too. ``sources``
    maps a table to the file or sheet it came from, named in problems.

    Raises ScenarioError listing every problem found.
    """
    sources = dict(sources or {})
    problems: list[Problem] = []
    tables: dict[str, RawTable | None] = {}
    given: dict[str, Any] = {POLICY: policy, OPTIONS: options}
    setting_frames: dict[str, pd.DataFrame] = {}
    for key, frame in frames.items():
        table = str(key).strip().lower()
        src = sources.get(table, sources.get(str(key)))
        if table not in TABLES and table not in SETTINGS:
            problems.append(
                Problem(
                    SCENARIO,
                    f"unknown table '{key}'",
                    expected="one of: " + ", ".join((*TABLES, *SETTINGS)),
                    source=src,
                )
            )
            continue
        if not isinstance(frame, pd.DataFrame):
            problems.append(
                Problem(
                    table,
                    "not a DataFrame",
                    expected="a pandas DataFrame",
                    found=type(frame).__name__,
                    source=src,
                )
            )
            tables[table] = None
            continue
        if table in SETTINGS:
            setting_frames[table] = frame
            continue
        tables[table] = _raw_from_frame(frame, table, src)
    settings: dict[str, Any] = {}
    for table, model in SETTINGS.items():
        value, rows_frame = given[table], setting_frames.get(table)
        if isinstance(value, model):
            settings[table] = value
        elif value is not None:
            if not isinstance(value, Mapping):
                problems.append(
                    Problem(
                        table,
                        f"not a {model.__name__}",
                        expected=f"a {model.__name__} or a mapping of its fields",
                        found=type(value).__name__,
                        source=sources.get(table),
                    )
                )
            else:
                settings[table], more = settings_from_mapping(
                    table, value, source=sources.get(table)
                )
                problems.extend(more)
        elif rows_frame is not None:
            values = rows_frame.to_numpy(dtype=object).tolist()
            header = [list(rows_frame.columns)]
            rows = [(i + 1, r) for i, r in enumerate(header + values)]
            settings[table], more = settings_from_rows(table, rows, source=sources.get(table))
            problems.extend(more)
    return build_scenario(
        tables,
        name=name,
        policy=settings.get(POLICY),
        options=settings.get(OPTIONS),
        problems=problems,
    )


# -- writing -------------------------------------------------------------------
def table_values(scenario: Scenario, table: str) -> tuple[list[str], list[list[Any]]]:
    """Column names (field order) and plain Python values of one table.

    Enums become their value and skills their ``it:3;land:2`` text; other
    values (str, int, float, bool, None) are returned as they are.
    """
    columns = list(RECORD_TYPES[table].model_fields)
    rows: list[list[Any]] = []
    for record in getattr(scenario, table):
        row: list[Any] = []
        for c in columns:
            v = getattr(record, c)
            if isinstance(v, Enum):
                v = v.value
            elif isinstance(v, dict):
                v = format_skills(v)
            row.append(v)
        rows.append(row)
    return columns, rows


def settings_items(settings: Policy | SolveOptions) -> list[tuple[str, Any]]:
    """``(key, value)`` pairs of a policy or options for a key/value sheet (dicts as JSON)."""
    dumped = settings.model_dump(mode="json")
    items: list[tuple[str, Any]] = []
    for key in type(settings).model_fields:
        value = dumped[key]
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        items.append((key, value))
    return items
