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
  refuses as not finite (and a text column takes as written);
* a key given twice in one object (``{"communes": [...], "communes": [...]}``)
  raises :class:`JsonTextError` naming the key and its lines, instead of
  keeping the last value silently.
"""

from __future__ import annotations

import json
from typing import Any

from staffopt.texts import Phrase

__all__ = ["MAX_DEPTH", "JsonTextError", "duplicate_keys", "parse_json"]

#: Deepest nesting accepted: a scenario has four levels (document, table,
#: record, skills), a settings file three.
MAX_DEPTH = 32
#: Python converts integer text of at most this many digits (``sys.get_int_max_str_digits``).
_INT_DIGITS = 4300


class JsonTextError(Exception):
    """JSON text that cannot be read: what is wrong, what was found, the line if known.

    ``expected`` is set when the failure has its own expectation (a nesting
    limit); else the caller names what its file should hold. ``more`` holds
    further faults of the same text (every duplicated key, not only the first).
    """

    def __init__(
        self,
        message: Phrase,
        found: str,
        line: int | None = None,
        expected: Phrase | None = None,
        more: tuple[JsonTextError, ...] = (),
    ) -> None:
        super().__init__(f"{message}: {found}")
        self.message = message
        self.found = found
        self.line = line
        self.expected = expected
        self.more = more

    def faults(self) -> list[JsonTextError]:
        """This fault and every further one."""
        return [self, *self.more]


class _DuplicateKey(Exception):
    """Raised by the object hook: an object gives one key twice (located afterwards)."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict; a key given twice is an error, not "the last one wins"."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


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


def duplicate_keys(text: str) -> list[tuple[str, list[int]]]:
    """Each key some object of valid JSON ``text`` gives more than once, with the lines of
    its occurrences in that object, in order of the second occurrence.

    A scan of the text (strings, braces, brackets), run only when the parser
    has seen a duplicate: the parser's hook knows no positions.
    """
    found: list[tuple[str, list[int]]] = []
    stack: list[dict[str, list[int]] | None] = []  # keys seen per open object (None: a list)
    line, i, n = 1, 0, len(text)
    expect_key = False
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == '"':
            end = i + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            top = stack[-1] if stack else None
            if expect_key and top is not None:
                key = json.loads(text[i : end + 1])
                lines = top.setdefault(key, [])
                lines.append(line)
                if len(lines) == 2:
                    found.append((key, lines))
            line += text.count("\n", i, end)
            i = end
            expect_key = False
        elif ch == "{":
            stack.append({})
            expect_key = True
        elif ch == "[":
            stack.append(None)
        elif ch in "}]":
            stack.pop()
        elif ch == ",":
            expect_key = bool(stack) and stack[-1] is not None
        i += 1
    return found


def parse_json(text: str) -> Any:
    """Parse JSON text; raise :class:`JsonTextError` for bad syntax, too deep nesting or a
    key given twice in one object."""
    depth = JsonTextError(
        Phrase("problem.too_deep"),
        Phrase("found.depth", depth=MAX_DEPTH),
        expected=Phrase("expected.depth", depth=MAX_DEPTH, braces="{}"),
    )
    hooks: dict[str, Any] = {"parse_constant": _keep_text, "object_pairs_hook": _unique_pairs}
    try:
        try:
            value = json.loads(text, **hooks)
        except json.JSONDecodeError:
            raise
        except _DuplicateKey:
            raise
        except ValueError:  # an integer beyond Python's digit limit: parse again, keep it text
            value = json.loads(text, parse_int=_int_or_text, **hooks)
    except json.JSONDecodeError as exc:
        found = Phrase("found.json_error", error=exc.msg, line=exc.lineno, column=exc.colno)
        raise JsonTextError(Phrase("problem.not_json"), found, exc.lineno) from None
    except RecursionError:
        raise depth from None
    except _DuplicateKey:
        raise _duplicates_error(text) from None
    if isinstance(value, dict | list) and _too_deep(value, MAX_DEPTH):
        raise depth
    return value


def _duplicates_error(text: str) -> JsonTextError:
    """One fault per key given twice, each naming the key and the lines it is on."""
    faults = [
        JsonTextError(
            Phrase("problem.duplicate_key", key=key),
            Phrase("found.key_lines", lines=", ".join(map(str, lines))),
            lines[1],
            Phrase("expected.each_key_once"),
        )
        for key, lines in duplicate_keys(text)
    ]
    return JsonTextError(
        faults[0].message, faults[0].found, faults[0].line, faults[0].expected, tuple(faults[1:])
    )
