"""The bundled Điện Biên example in its three file forms, and edits of one cell in each form.

A test writes the forms once (:func:`write_forms`), copies one
(:func:`copy_form`) and edits the copy as a user would (several edits of a
workbook inside :func:`editing` read and save it once): :func:`set_cell`
types a value into a table cell, :func:`set_setting` into a policy or
options key. The value is the *text a user types*; each form stores it as
that form would:

* CSV: the text itself;
* JSON: a number literal stays a number (``1e308``, 5,000 digits), ``nan`` /
  ``inf`` become ``NaN`` / ``Infinity`` (what Python's json writes), anything
  else a JSON string;
* .xlsx: a number Excel can hold becomes a numeric cell with exactly that
  text, ``=...`` a formula (openpyxl writes no result for it), anything else
  a text cell.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import pickle
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from staffopt.io import save_scenario
from staffopt.io.csvdir import SETTING_FILES
from staffopt.scenarios import dien_bien
from staffopt.schema import Policy

FORMS = ("csv", "xlsx", "json")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
_MARK = "\u0000raw\u0000"


def write_forms(root: Path) -> dict[str, Path]:
    """The example saved as a CSV folder, a workbook and a JSON file under ``root``."""
    s = dien_bien()
    root.mkdir(parents=True, exist_ok=True)
    return {
        "csv": save_scenario(s, root / "dien_bien"),
        "xlsx": save_scenario(s, root / "dien_bien.xlsx"),
        "json": save_scenario(s, root / "dien_bien.json"),
    }


def form_of(path: Path) -> str:
    return "csv" if path.is_dir() else path.suffix.lstrip(".").lower()


def copy_form(src: Path, folder: Path) -> Path:
    """A copy of one form inside ``folder`` (created), same name."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copyfile(src, dst)
    return dst


def json_literal(text: str) -> str:
    """The JSON text a value typed as ``text`` is stored as."""
    if _NUMBER.match(text):
        return text
    word = text.strip().lower()
    if word in ("nan", "+nan", "-nan"):
        return "NaN"
    if word in ("inf", "+inf", "infinity", "+infinity"):
        return "Infinity"
    if word in ("-inf", "-infinity"):
        return "-Infinity"
    return json.dumps(text, ensure_ascii=False)


class _Digits(str):
    """An integer literal too long for Python's int(), kept as its digits."""


def _load(text: str) -> Any:
    """JSON text as values; integers of any length survive a later :func:`_dump_with`."""
    return json.loads(text, parse_int=lambda d: _Digits(d) if len(d) > 4000 else int(d))


def _dump_with(doc: Any, literal: str) -> str:
    """``doc`` as JSON text with the marker string replaced by a raw literal."""
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace(json.dumps(_MARK), literal)
    return _BIG.sub(lambda m: m.group(1), text)


#: A long digit string dumped in quotes: written back as the number it was.
_BIG = re.compile(r'"(-?\d{4001,})"')


def _excel_value(cell: Cell, text: str) -> None:
    """Type ``text`` into a workbook cell as Excel would store it (no control characters)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if _NUMBER.match(text) and math.isfinite(float(text)):
        cell.value = text
        cell.data_type = "n"  # the number exactly as typed
    else:
        cell.value = text  # "=..." becomes a formula, anything else text
        if not text.startswith("="):
            cell.data_type = "s"


# -- workbooks: loaded once per content, saved once per edit session -----------------

#: Pickled workbooks by the digest of their file: unpickling is 4x faster than loading,
#: and every edited copy of a form starts from the same file.
_LOADED: dict[str, bytes] = {}
#: Workbooks open in an :func:`editing` session, by path.
_OPEN: dict[Path, Workbook] = {}


def open_workbook(path: Path) -> Workbook:
    """The workbook at ``path`` (editable), from a cache of files already read."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest not in _LOADED:
        _LOADED[digest] = pickle.dumps(openpyxl.load_workbook(path))
    wb: Workbook = pickle.loads(_LOADED[digest])
    return wb


@contextmanager
def editing(path: Path) -> Iterator[None]:
    """Several edits of one file: a workbook is read once and saved once at the end."""
    if form_of(path) != "xlsx" or path in _OPEN:
        yield
        return
    _OPEN[path] = open_workbook(path)
    try:
        yield
    finally:
        _OPEN.pop(path).save(path)


@contextmanager
def _workbook(path: Path) -> Iterator[Workbook]:
    """The workbook to edit: the open session's, or one read now and saved after."""
    if path in _OPEN:
        yield _OPEN[path]
        return
    wb = open_workbook(path)
    yield wb
    wb.save(path)


# -- table cells ------------------------------------------------------------------


def set_cell(path: Path, table: str, row: int, column: str, text: str | None) -> None:
    """Type ``text`` into data row ``row`` (0-based) of ``column``; ``None`` empties the cell.

    A column the table lacks is added (an extra column).
    """
    form = form_of(path)
    if form == "csv":
        file = path / f"{table}.csv"
        rows = list(csv.reader(file.open(encoding="utf-8", newline="")))
        if column not in rows[0]:
            rows[0].append(column)
        j = rows[0].index(column)
        while len(rows[row + 1]) <= j:
            rows[row + 1].append("")
        rows[row + 1][j] = "" if text is None else text
        with file.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    elif form == "json":
        doc = _load(path.read_text(encoding="utf-8"))
        record = doc[table][row]
        if text is None:
            record.pop(column, None)
            path.write_text(_dump_with(doc, ""), encoding="utf-8")
        else:
            record[column] = _MARK
            path.write_text(_dump_with(doc, json_literal(text)), encoding="utf-8")
    else:
        with _workbook(path) as wb:
            ws = wb[table]
            header = [c.value for c in ws[1]]
            if column not in header:
                ws.cell(row=1, column=len(header) + 1, value=column)
                header.append(column)
            cell = ws.cell(row=row + 2, column=header.index(column) + 1)
            if text is None:
                cell.value = None
            else:
                _excel_value(cell, text)


def set_setting(path: Path, table: str, key: str, text: str | None) -> None:
    """Type ``text`` as the value of a policy/options ``key`` (``zone_points.I``: one entry)."""
    form = form_of(path)
    top, _, sub = key.partition(".")
    if form == "xlsx":
        with _workbook(path) as wb:
            if table not in wb.sheetnames:
                wb.create_sheet(table).append(["key", "value"])
            ws = wb[table]
            row = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == top), None)
            if row is None:
                row = ws.max_row + 1
                ws.cell(row, 1, top)
            cell = ws.cell(row, 2)
            if sub:
                inner = json.loads(str(cell.value))
                inner[sub] = _MARK
                literal = json_literal(text or '""')
                cell.value = json.dumps(inner).replace(json.dumps(_MARK), literal)
                cell.data_type = "s"
            elif text is None:
                cell.value = None
            else:
                _excel_value(cell, text)
        return
    if form == "csv":
        file = path / SETTING_FILES[table]
        doc: dict[str, Any] = _load(file.read_text("utf-8")) if file.exists() else {}
        holder = doc
    else:
        file = path
        doc = _load(path.read_text(encoding="utf-8"))
        holder = doc.setdefault(table, {})
    if sub:
        default = Policy().model_dump(mode="json")[top]
        holder.setdefault(top, default)[sub] = _MARK
    elif text is None:
        holder.pop(top, None)
    else:
        holder[top] = _MARK
    file.write_text(_dump_with(doc, json_literal(text or '""')), encoding="utf-8")
