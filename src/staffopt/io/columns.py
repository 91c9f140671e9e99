"""Column and sheet names in English and Vietnamese, and the one function that matches them.

The catalogue (:mod:`staffopt.texts`) holds one description per column:
``column.<table>.<column>`` (the header a person reads), ``column_help.<table>.<column>``
(what it means) and ``sheet.<table>`` (the sheet's name). The template writes
them, every reader matches headers and sheet names with :func:`match_column`
and :func:`match_table`, and the README quotes them: one table, so the three agree.

A header matches its column when it folds (:func:`fold`: case, accents, ``đ``,
spaces, underscores, hyphens and brackets ignored) to the fold of the column's
code, its English header or its Vietnamese header: ``Mã xã``, ``ma xa``,
``MA_XA``, ``Commune ID`` and ``commune_id`` all name ``commune_id``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from staffopt.io.cells import header_name
from staffopt.schema import RECORD_TYPES, TABLES, language_key
from staffopt.texts import CATALOGUE, LANGS, Phrase, text

__all__ = [
    "INSTRUCTIONS",
    "SETTINGS_TABLES",
    "choice_codes",
    "choice_columns",
    "choice_label",
    "column_help",
    "column_label",
    "column_named",
    "fold",
    "is_settings_header",
    "match_choice",
    "match_column",
    "match_table",
    "sheet_label",
    "sheet_named",
]

#: The key/value sheets (io/settings.py's POLICY and OPTIONS; named here to avoid a cycle).
SETTINGS_TABLES: tuple[str, ...] = ("policy", "options")
#: The template's instructions sheet: named in the catalogue, never read back.
INSTRUCTIONS = "instructions"
_SEPARATORS = re.compile(r"[\s_\-()\[\]./]+")


def fold(name: str) -> str:
    """``name`` without case, accents or separators: ``"Mã  xã"`` and ``"MA_XA"`` -> ``"ma_xa"``.

    Case and accents go the way language names are compared
    (:func:`staffopt.schema.language_key`): one folding for every name read.
    """
    return _SEPARATORS.sub("_", language_key(name)).strip("_")


def column_label(table: str, column: str, lang: str = "en") -> str:
    """The header a person reads for ``column`` of ``table`` in ``lang``."""
    return text(f"column.{table}.{column}", lang)


def column_help(table: str, column: str, lang: str = "en") -> str:
    """What ``column`` of ``table`` means, in ``lang``."""
    return text(f"column_help.{table}.{column}", lang)


def sheet_label(table: str, lang: str = "en") -> str:
    """The sheet name of ``table`` (or ``policy``, ``options``, ``instructions``) in ``lang``."""
    return text(f"sheet.{table}", lang)


def column_named(table: str, column: str) -> Phrase:
    """What a missing column should be called: its code or its header in the reader's
    language (``a column named 'slots' or 'Số người cần'``)."""
    label = Phrase(f"column.{table}.{column}")
    return Phrase(
        "expected.column_named", name=Phrase("template.either_name", code=column, label=label)
    )


def sheet_named(table: str) -> Phrase:
    """What a missing sheet should be called: its code or its name in the reader's language."""
    label = Phrase(f"sheet.{table}")
    return Phrase(
        "expected.sheet_named", name=Phrase("template.either_name", code=table, label=label)
    )


@cache
def _choices() -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) -> codes of the columns whose codes have words (``choice.*``)."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for key in CATALOGUE:
        kind, _, rest = key.partition(".")
        if kind == "choice":
            table, column, code = rest.split(".", 2)
            found[(table, column)] = (*found.get((table, column), ()), code)
    return found


def choice_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` whose codes have words (``category``: ``công chức`` ...)."""
    return tuple(column for t, column in _choices() if t == table)


def choice_codes(table: str, column: str) -> tuple[str, ...]:
    """The codes of a choice column, in the catalogue's order."""
    return _choices()[(table, column)]


def choice_label(table: str, column: str, code: str, lang: str = "en") -> str:
    """A choice's word in ``lang`` (``civil_servant`` -> ``công chức``)."""
    return text(f"choice.{table}.{column}.{code}", lang)


@cache
def _choice_words(table: str, column: str) -> dict[str, str]:
    """Folded code and words (both languages) of each choice -> its code."""
    words: dict[str, str] = {}
    for code in choice_codes(table, column):
        for word in (code, *(choice_label(table, column, code, lang) for lang in LANGS)):
            words[fold(word)] = code
    return words


def match_choice(table: str, column: str, value: Any) -> Any:
    """A choice's code from its code or its word in either language; else ``value``."""
    if not isinstance(value, str) or value in choice_codes(table, column):
        return value  # the code itself: the common case, without folding
    return _choice_words(table, column).get(fold(value), value)


@cache
def _column_names(table: str) -> dict[str, str]:
    """Folded code and headers (both languages) of each column of ``table`` -> the column."""
    names: dict[str, str] = {}
    for column in RECORD_TYPES[table].model_fields:
        names[fold(column)] = column
        for lang in LANGS:
            names.setdefault(fold(column_label(table, column, lang)), column)
    return names


@cache
def _table_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for table in (*TABLES, *SETTINGS_TABLES, INSTRUCTIONS):
        names[fold(table)] = table
        for lang in LANGS:
            names.setdefault(fold(sheet_label(table, lang)), table)
    return names


def match_column(table: str, cell: Any) -> str:
    """The column a header cell names: its code when the cell names one of ``table``'s
    columns in either language, else the cell as :func:`~staffopt.io.cells.header_name`
    gives it (an unknown column, reported with its own words); ``""`` when empty."""
    name = header_name(cell)
    if not name:
        return ""
    return _column_names(table).get(fold(name), name)


def match_table(sheet: str) -> str | None:
    """The table (or settings sheet, or ``instructions``) a sheet name names, else None."""
    return _table_names().get(fold(sheet))


def is_settings_header(key: str) -> bool:
    """Whether a key/value sheet's first key cell is its header (``key``, ``Khóa`` ...)."""
    folded = fold(key)
    return folded == "key" or any(
        folded == fold(text("column.settings.key", lang)) for lang in LANGS
    )
