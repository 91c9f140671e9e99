"""A scenario as one ``.xlsx`` workbook: one sheet per table plus a ``policy`` sheet."""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from staffopt.errors import Problem, ScenarioError
from staffopt.io.atomic import atomic_file
from staffopt.io.cells import RawTable, cell_text, raw_table
from staffopt.io.columns import match_column, match_table, sheet_named
from staffopt.io.frames import table_values
from staffopt.io.problems import SCENARIO, show_value
from staffopt.io.records import build_with_settings
from staffopt.io.settings import OPTIONS, POLICY, SETTINGS, settings_from_rows, settings_items
from staffopt.schema import ID_COLUMN, REQUIRED_TABLES, TABLES, Scenario, SolveOptions
from staffopt.texts import Phrase

__all__ = ["read_scenario_workbook", "write_scenario_workbook", "write_workbook"]

#: Text starting with one of these could be taken for a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@")
_EXACT_INT = 2**53


def read_scenario_workbook(path: Path) -> Scenario:
    """Load a scenario workbook; sheet names are matched case-insensitively.

    Formulas count with the result Excel stored for them; a formula without
    a stored result (a workbook written by a script and never opened in
    Excel) is a problem, never an empty cell.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise ScenarioError(
            Problem(
                SCENARIO,
                Phrase("problem.not_workbook"),
                source=str(path),
                expected=Phrase("expected.workbook"),
                found=f"{type(exc).__name__}: {exc}",
            )
        ) from None
    problems: list[Problem] = []
    tables: dict[str, RawTable | None] = {}
    settings: dict[str, Any] = {}
    read: dict[str, tuple[str, list[tuple[Any, ...]]]] = {}
    try:
        sheets: dict[str, list[str]] = {}
        for sheet in wb.sheetnames:
            # English or Vietnamese names, any case, accents or spaces (io/columns.py).
            sheets.setdefault(match_table(sheet) or sheet.strip().lower(), []).append(sheet)
        for table in (*TABLES, *SETTINGS):
            names = sheets.get(table, [])
            if len(names) != 1:
                if len(names) > 1:
                    problems.append(
                        Problem(
                            table,
                            Phrase("problem.several_sheets"),
                            source=str(path),
                            expected=Phrase("expected.one_sheet"),
                            found=", ".join(names),
                        )
                    )
                    tables[table] = None
                elif table in REQUIRED_TABLES:
                    problems.append(
                        Problem(
                            table,
                            Phrase("problem.missing_sheet"),
                            source=str(path),
                            expected=sheet_named(table),
                            found=Phrase("found.sheets", names=", ".join(wb.sheetnames)),
                        )
                    )
                    tables[table] = None
                continue
            rows, problem = _sheet_rows(wb, names[0], table, f"{path}[{names[0]}]")
            if problem is not None:
                problems.append(problem)
                if table not in SETTINGS:
                    tables[table] = None
                continue
            read[table] = (names[0], rows)
    finally:
        wb.close()
    formulas = _uncomputed_formulas(path, read) if read and _has_formulas(path) else []
    problems += formulas
    for table, (name, rows) in read.items():
        source = f"{path}[{name}]"
        if table in SETTINGS:
            settings[table], more = settings_from_rows(
                table, ((i, r) for i, r in enumerate(rows, start=1)), source=source
            )
            problems.extend(more)
        else:
            tables[table] = raw_table(rows, source)
    try:
        return build_with_settings(tables, settings, name=path.stem, problems=problems)
    except ScenarioError as exc:
        exc.problems[:] = [_with_cell(p, tables) for p in exc.problems]
        if not formulas:
            raise ScenarioError(exc.problems) from None
        # An uncomputed formula reads as empty: its "missing value" says it twice.
        cells = {(p.source, p.row, p.column) for p in formulas}
        kept = [
            p
            for p in exc.problems
            if p.message != "missing value" or (p.source, p.row, p.column) not in cells
        ]
        raise ScenarioError(kept) from None


def _with_cell(problem: Problem, tables: Mapping[str, RawTable | None]) -> Problem:
    """The problem with its spreadsheet cell (``G3``) when its row and column are known."""
    raw = tables.get(problem.table)
    if raw is None or problem.row is None or problem.column is None or problem.cell:
        return problem
    for j, header in enumerate(raw.header):
        if match_column(problem.table, header) == problem.column:
            return replace(problem, cell=f"{get_column_letter(j + 1)}{problem.row}")
    return problem


def _sheet_rows(
    wb: Any, name: str, table: str, source: str
) -> tuple[list[tuple[Any, ...]], Problem | None]:
    """Every row of a sheet as values, or the problem that stopped the reading."""
    rows: list[tuple[Any, ...]] = []
    try:
        ws = wb[name]
        ws.reset_dimensions()  # the stored dimension may be wrong
        rows.extend(ws.iter_rows(min_row=1, min_col=1, values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a malformed sheet
        found: str = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ValueError) and "digits" in str(exc):
            # Python refuses integer text of more than 4,300 digits.
            found = Phrase("found.many_digits")
        return rows, Problem(
            table,
            Phrase("problem.cannot_read_sheet"),
            len(rows) + 1,
            None,
            None,
            Phrase("expected.excel_cells"),
            found,
            source,
        )
    return rows, None


#: A formula element (``<f>``, ``<f t="shared" ...>``, ``<x:f>``) in a worksheet's XML.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CHUNK = 1 << 20


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (a byte scan, no parsing)."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.filename.startswith("xl/worksheets/"):
                    continue
                with z.open(info) as fh:
                    tail = b""
                    while chunk := fh.read(_CHUNK):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return True  # let the formula pass decide (and report what it can read)
    return False


def _uncomputed_formulas(
    path: Path, read: dict[str, tuple[str, list[tuple[Any, ...]]]]
) -> list[Problem]:
    """A problem per formula cell that has no stored result (its value read as empty)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # pragma: no cover - the same file opened a moment ago
        return []
    problems: list[Problem] = []
    try:
        for table, (name, values) in read.items():
            source = f"{path}[{name}]"
            ws = wb[name]
            ws.reset_dimensions()
            header: tuple[Any, ...] | None = None
            try:
                for i, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
                    row_values = values[i - 1] if i <= len(values) else ()
                    if header is None and any(v is not None for v in row_values):
                        header = row_values
                    for j, cell in enumerate(cells):
                        if getattr(cell, "data_type", None) != "f":
                            continue
                        if j < len(row_values) and row_values[j] is not None:
                            continue  # Excel stored its result: that is the value
                        problems.append(
                            Problem(
                                table,
                                Phrase("problem.formula_no_value"),
                                i,
                                _column_of(table, header, row_values, j),
                                None,
                                Phrase("expected.formula_value"),
                                show_value(str(cell.value)),
                                source,
                            )
                        )
            except Exception as exc:  # formulas openpyxl cannot parse: say so, never guess
                problems.append(
                    Problem(
                        table,
                        Phrase("problem.cannot_read_formulas"),
                        None,
                        None,
                        None,
                        Phrase("expected.excel_formulas"),
                        f"{type(exc).__name__}: {exc}",
                        source,
                    )
                )
    finally:
        wb.close()
    return problems


def _column_of(
    table: str, header: tuple[Any, ...] | None, row: tuple[Any, ...], j: int
) -> str | None:
    """The column a cell is in: the header's name, or the key of a settings row."""
    if table in SETTINGS:
        key = cell_text(row[0]) if row else None
        return key.lower() if isinstance(key, str) and j > 0 else None
    if header is None or j >= len(header) or header is row:
        return None
    return match_column(table, header[j]) or None


def _cell(ws: Any, value: Any) -> Any:
    """A value ready for a write-only sheet: text stays text, numbers stay exact."""
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True  # and Excel keeps it text when edited
            return cell
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < _EXACT_INT else _number(ws, str(value))
    if isinstance(value, datetime | date | time):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # Excel has no inf/nan: keep it as text
        # openpyxl writes numbers with 16 significant digits; write the exact
        # text of those that need 17 so they read back equal.
        return value if float(f"{value:.16g}") == value else _number(ws, repr(value))
    return str(value)


def _number(ws: Any, text: str) -> Any:
    """A numeric cell holding ``text`` verbatim (exact beyond openpyxl's 16 digits)."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "n"
    return cell


def _write_sheet(
    wb: Workbook,
    table: str,
    columns: list[str],
    rows: list[list[Any]],
    id_col: str | None,
    *,
    clean: bool = False,
) -> None:
    """Append a header and rows; text Excel cannot store raises, or is cleaned if ``clean``."""
    ws = wb.create_sheet(table)
    ws.freeze_panes = "A2"
    if clean:
        columns = [ILLEGAL_CHARACTERS_RE.sub("", c) for c in columns]
    ws.append(columns)
    for i, row in enumerate(rows):
        if clean:
            row = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        try:
            ws.append([_cell(ws, v) for v in row])
        except IllegalCharacterError:
            bad = next(
                (
                    c
                    for c, v in zip(columns, row, strict=True)
                    if isinstance(v, str) and _illegal(v)
                ),
                None,
            )
            rid = row[columns.index(id_col)] if id_col in columns else None
            raise ScenarioError(
                Problem(
                    table,
                    Phrase("problem.control_character"),
                    i + 2,
                    bad,
                    rid,
                    Phrase("expected.printable"),
                )
            ) from None


def _illegal(text: str) -> bool:
    return ILLEGAL_CHARACTERS_RE.search(text) is not None


def build_workbook(scenario: Scenario) -> Workbook:
    """The scenario as a write-only openpyxl Workbook (not yet saved)."""
    wb = Workbook(write_only=True)
    for table in TABLES:
        columns, rows = table_values(scenario, table)
        if rows or table in REQUIRED_TABLES:
            _write_sheet(wb, table, columns, rows, ID_COLUMN.get(table))
    for table, settings in ((POLICY, scenario.policy), (OPTIONS, scenario.options)):
        if table == POLICY or settings != SolveOptions():
            rows = [list(kv) for kv in settings_items(settings)]
            _write_sheet(wb, table, ["key", "value"], rows, None)
    return wb


def write_scenario_workbook(scenario: Scenario, path: Path) -> Path:
    """Write the scenario as one workbook, atomically."""
    with atomic_file(path) as tmp:
        build_workbook(scenario).save(tmp)
    return path


# -- any DataFrames -------------------------------------------------------------------
_BAD_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")


def _plain(value: Any) -> Any:
    """A DataFrame cell as a plain Python value openpyxl can store (None when missing)."""
    if value is None or isinstance(value, str | bool | int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, date | time):
        return value
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "Sheet"
    title = title[:31]
    base, k = title, 2
    while title.lower() in taken:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(title.lower())
    return title


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write DataFrames to one workbook, one sheet per entry, atomically.

    The spreadsheet-safe export used for plans and reports: text is always
    stored as text (a value like ``=1+2`` never becomes a formula), numbers
    keep every digit, missing values are empty cells, the header row is
    frozen. The index is not written. Sheet names are cut to Excel's 31
    characters and stripped of the characters Excel forbids; control
    characters Excel cannot store are dropped from text.
    """
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for name, frame in sheets.items():
        columns = [str(c) for c in frame.columns]
        rows = [[_plain(v) for v in row] for row in frame.to_numpy(dtype=object).tolist()]
        _write_sheet(wb, _sheet_title(name, taken), columns, rows, None, clean=True)
    if not taken:
        wb.create_sheet("Sheet")
    target = Path(path)
    with atomic_file(target) as tmp:
        wb.save(tmp)
    return target
