"""JSON text to Python values; every failure a :class:`JsonTextError` the caller locates.

Python's ``json.loads`` fails in three ways besides a syntax error, none of
which names the file: a document nested deeper than the interpreter's
recursion limit raises ``RecursionError``, an integer of more than 4,300
digits raises ``ValueError`` ("Exceeds the limit ..."), and ``NaN`` /
``Infinity`` (not JSON, but accepted by Python) become floats that a reader
would take for "not given". Here:

* a syntax error and a document nested deeper than :data:`MAX_DEPTH` levels
  (a scenario needs four) raise :class:`JsonTextError`;
* an integer too long for Python to convert stays its digit text, which the
  validators then refuse as a number too large for its column;
* ``NaN``, ``Infinity`` and ``-Infinity`` stay text, which a number column
  refuses as not finite (and a text column takes as written).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JsonTextError", "parse_json"]

#: Deepest nesting accepted: a scenario has four levels (document, table,
#: record, skills), a settings file three.
MAX_DEPTH = 32
#: Python converts integer text of at most this many digits (``sys.get_int_max_str_digits``).
_INT_DIGITS = 4300


class JsonTextError(Exception):
    """JSON text that cannot be read: what is wrong, what was found, the line if known.

    ``expected`` is set when the failure has its own expectation (a nesting
    limit); else the caller names what its file should hold.
    """

    def __init__(
        self, message: str, found: str, line: int | None = None, expected: str | None = None
    ) -> None:
        super().__init__(f"{message}: {found}")
        self.message = message
        self.found = found
        self.line = line
        self.expected = expected


def _keep_text(name: str) -> str:
    """``NaN``, ``Infinity``, ``-Infinity`` as their text (refused by number columns)."""
    return name


def _int_or_text(digits: str) -> int | str:
    """An integer, or its digit text when Python would refuse to convert it."""
    if len(digits.lstrip("-")) > _INT_DIGITS:
        return digits
    return int(digits)


def _too_deep(value: Any, limit: int) -> bool:
    """True when ``value`` nests lists and objects more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def parse_json(text: str) -> Any:
    """Parse JSON text; raise :class:`JsonTextError` for bad syntax or too deep nesting."""
    too_deep = JsonTextError(
        "nested too deeply",
        f"more than {MAX_DEPTH} levels",
        expected=f"at most {MAX_DEPTH} levels of [] or {{}} (a scenario needs 4)",
    )
    try:
        try:
            value = json.loads(text, parse_constant=_keep_text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer beyond Python's digit limit: parse again, keep it text
            value = json.loads(text, parse_constant=_keep_text, parse_int=_int_or_text)
    except json.JSONDecodeError as exc:
        found = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise JsonTextError("not valid JSON", found, exc.lineno) from None
    except RecursionError:
        raise too_deep from None
    if isinstance(value, dict | list) and _too_deep(value, MAX_DEPTH):
        raise too_deep
    return value
