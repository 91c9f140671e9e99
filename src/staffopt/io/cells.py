"""One cell of any source (CSV text, an Excel value, a JSON value) as the text the validators take.

Readers turn a file into :class:`RawTable` objects (a header and rows of raw
cells, each row with its spreadsheet row number); :func:`cell_text` makes a
cell stripped text (empty = not given), :func:`header_name` a header cell a
column name, :func:`bool_word` a yes/no word a boolean and :func:`date_text`
a date cell (ISO text, an Excel date) ISO date text.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel

from staffopt.texts import Phrase

__all__ = [
    "BOOL_HINT",
    "RawTable",
    "bool_fields",
    "bool_word",
    "cell_text",
    "date_fields",
    "date_text",
    "decimal_text",
    "field_types",
    "header_name",
    "number_fields",
    "raw_table",
]

# "x": a ticked box, as Vietnamese forms mark a yes.
_TRUE_WORDS = ("true", "yes", "y", "1", "có", "co", "x")
_FALSE_WORDS = ("false", "no", "n", "0", "không", "khong")
_BOOL_WORDS: dict[str, bool] = {
    **{w: True for w in _TRUE_WORDS},
    **{w: False for w in _FALSE_WORDS},
}
BOOL_HINT = Phrase("expected.yes_no")
#: Floats hold every whole number below this exactly.
_EXACT_INT = 2**53


def bool_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a yes/no value (their cells go through bool_word)."""
    return frozenset(n for n, f in model.model_fields.items() if f.annotation is bool)


def field_types(model: type[BaseModel], name: str) -> set[Any]:
    """The types a field allows, constraints unwrapped (``Km | None`` -> {float, NoneType})."""
    annotation = model.model_fields[name].annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    return {get_args(a)[0] if get_origin(a) is Annotated else a for a in args or (annotation,)}


def number_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a number (their cells go through decimal_text)."""
    return frozenset(n for n in model.model_fields if field_types(model, n) & {int, float})


def date_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a date (their cells go through date_text)."""
    return frozenset(n for n in model.model_fields if date in field_types(model, n))


#: A number written with a decimal comma (``1,5``), as Vietnamese spreadsheets write it.
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
#: A day-first date (``20/10/2025``, ``20-10-2025``, ``20.10.2025``).
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
#: An Excel date as cell_text writes it: midnight of a day.
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00(?::00)?$")


def decimal_text(value: Any) -> Any:
    """A number's text with a decimal comma (``"1,5"``) as ``"1.5"``; anything else unchanged.

    Only one comma between digits: ``"1,234,5"`` or ``"1.234,5"`` stay as
    given, and the validators refuse them naming the cell, rather than a
    guess turning a thousands separator into a decimal point.
    """
    if isinstance(value, str) and "," in value and _DECIMAL_COMMA.match(value):
        return value.replace(",", ".")
    return value


def date_text(value: Any) -> Any:
    """A date cell as ISO text ``"2025-10-20"``: a day-first date (``"20/10/2025"``), an
    Excel date (midnight) as text, a date, or a datetime / Timestamp at midnight.

    The one place dates are read, so ``2025-10-20`` reads the same from CSV,
    JSON, Excel and frames. Vietnamese files write dates day first; a
    day-first text that is no calendar date, and a time of day other than
    midnight, stay as given for the validators to refuse by cell.
    """
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return value
    if m := _MIDNIGHT.match(value):
        return m.group(1)
    if m := _DAY_FIRST.match(value):
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return value
    return value


def cell_text(value: Any) -> Any:
    """A cell as stripped text, or ``None`` when empty.

    Numbers become their shortest exact text (``1.0`` -> ``"1"``, ``0.1`` ->
    ``"0.1"``; an integer of more than 4,300 digits stays an int), booleans
    ``"true"``/``"false"``, dates ISO text. Mappings and lists (skills given
    as a dict) pass through unchanged.
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
        return _int_text(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return _int_text(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f):
            return None
        if f.is_integer() and abs(f) < _EXACT_INT:
            return str(int(f))
        return repr(f)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, datetime | date):
        return date_text(value)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, Mapping | list | tuple):
        return value
    return str(value).strip() or None


def _int_text(value: int) -> str | int:
    """An integer's text; the integer itself beyond Python's digit limit (the validators
    then refuse it as too large, and problems name its number of digits)."""
    try:
        return str(value)
    except ValueError:
        return value


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


def bool_word(value: Any) -> Any:
    """A yes/no word (those of :data:`BOOL_HINT`, any case) as a bool; anything else unchanged."""
    if isinstance(value, str):
        word = _BOOL_WORDS.get(value)
        if word is None:
            word = _BOOL_WORDS.get(unicodedata.normalize("NFC", value).lower())
        return value if word is None else word
    return value


def header_name(value: Any) -> str:
    """A header cell as a column name: lower case, without a byte-order mark; "" when empty."""
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
    no header (reported by :func:`~staffopt.io.records.build_scenario`).
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
