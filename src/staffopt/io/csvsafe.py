"""Spreadsheet-safe CSV outputs: user text never becomes a formula when Excel opens a file.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is run as a formula by Excel and LibreOffice when a planner
double-clicks the CSV (OWASP "CSV injection"). Plan outputs write such text
with a leading apostrophe, which spreadsheets show as plain text; numbers are
never touched. Text that already starts with apostrophes before such a
character gets one more, so :func:`unprotect` restores every value exactly and
staffopt's own readers round trip.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["protect", "unprotect"]

#: Text a spreadsheet would evaluate, after any apostrophes already there.
_RISKY = re.compile(r"^'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"^'+[=+\-@\t\r]")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    # Text may sit in object columns or in pandas' string dtype.
    return [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)
    ]


def protect(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose risky text cells start with an apostrophe (numbers untouched)."""
    out = frame.copy()
    for c in _text_columns(out):
        out[c] = ["'" + v if isinstance(v, str) and _RISKY.match(v) else v for v in out[c].tolist()]
    return out


def unprotect(frame: pd.DataFrame) -> pd.DataFrame:
    """The values :func:`protect` was given: one apostrophe off each protected text cell."""
    out = frame.copy()
    for c in _text_columns(out):
        out[c] = [
            v[1:] if isinstance(v, str) and _PROTECTED.match(v) else v for v in out[c].tolist()
        ]
    return out
