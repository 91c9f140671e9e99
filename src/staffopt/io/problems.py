"""How a problem is put into words: pydantic errors as plain messages, found values as shown.

Shared by the record tables and the key/value settings tables, so a bad cell
reads the same wherever it is. A found value is shown cut to a readable
length (a 5,000-digit number or a megabyte of text names its size instead),
and a number outside its documented range (:mod:`staffopt.schema.limits`)
names the whole range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from staffopt.errors import InvalidValue, Problem
from staffopt.io.cells import BOOL_HINT
from staffopt.texts import Phrase

__all__ = [
    "SCENARIO",
    "describe_error",
    "kind_of",
    "not_utf8",
    "show_value",
    "unreadable",
    "value_range",
]

#: Table name used in problems about the scenario as a whole (path, file type).
SCENARIO = "scenario"
#: What a skills cell looks like, named when one is refused.
SKILLS_HINT = Phrase("expected.skills")
#: A found value longer than this many characters is shown cut, with its length.
SHOWN_CHARS = 60
#: Texts a float parser reads as NaN or an infinity.
_NOT_FINITE = ("nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity")


def _digits(value: int) -> int:
    """Decimal digits of an integer, without converting it to text (no digit limit)."""
    magnitude = abs(value)
    if magnitude == 0:
        return 1
    digits = math.floor(math.log10(magnitude)) + 1
    # log10 may be off by one at exact powers of ten; correct with integer arithmetic.
    if 10 ** (digits - 1) > magnitude:
        digits -= 1
    elif 10**digits <= magnitude:
        digits += 1
    return digits


def show_value(value: Any) -> str:
    """A found value as a problem shows it: text in quotes, anything else as its repr.

    Long values are cut to :data:`SHOWN_CHARS` characters with their length;
    a whole number too long for Python to print (over 4,300 digits) and a
    structure too deep to print are named by size or kind.
    """
    if isinstance(value, str):
        if len(value) > SHOWN_CHARS:
            return Phrase("found.long_text", head=value[:SHOWN_CHARS], count=len(value))
        return f"'{value}'"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return Phrase("found.digits", digits=_digits(value))
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return Phrase("found.too_large", kind=type(value).__name__)
    if len(text) > SHOWN_CHARS:
        return Phrase("found.long_value", head=text[:SHOWN_CHARS], count=len(text))
    return text


def _bounds(annotation: Any, metadata: Sequence[Any] = ()) -> list[Any]:
    """The annotated_types bounds (Ge, Gt, Le, Lt) of a field, looking through Optional."""
    found = [m for m in metadata if isinstance(m, at.Ge | at.Gt | at.Le | at.Lt)]
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        for item in extra:
            if isinstance(item, FieldInfo):
                found += _bounds(None, item.metadata)
            elif isinstance(item, at.Ge | at.Gt | at.Le | at.Lt):
                found.append(item)
        found += _bounds(base)
    elif origin in (Union, UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                found += _bounds(arg)
    return found


def value_range(model: type[BaseModel], loc: Sequence[int | str]) -> Phrase | None:
    """The documented range of the field at ``loc`` (``">= 1 and <= 100000"``), if it has one.

    ``loc`` is a pydantic error location within one record or settings
    object: a field name, or a field name and a mapping key (the value of a
    points table such as ``zone_points``).
    """
    if not loc or not isinstance(loc[0], str) or loc[0] not in model.model_fields:
        return None
    info = model.model_fields[loc[0]]
    if len(loc) == 1:
        bounds = _bounds(info.annotation, info.metadata)
    elif len(loc) == 2 and get_origin(info.annotation) is dict:
        bounds = _bounds(get_args(info.annotation)[1])
    else:
        return None
    parts: list[str] = []
    for kind, op, attr in (
        (at.Ge, ">=", "ge"),
        (at.Gt, ">", "gt"),
        (at.Le, "<=", "le"),
        (at.Lt, "<", "lt"),
    ):
        limit = next((getattr(b, attr) for b in bounds if isinstance(b, kind)), None)
        if limit is not None:
            parts.append(f"{op} {_number(limit)}")
    if len(parts) == 2:
        return Phrase("expected.range", low=parts[0], high=parts[1])
    return Phrase("expected.bound", bound=parts[0]) if parts else None


def _number(value: Any) -> str:
    """A bound as written in the docs: ``100000``, not ``100000.0``; ``0.001``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _huge_whole(value: Any) -> bool:
    """True when ``value`` is text of a whole number of at least 2**53 (``'1e+18'``)."""
    if not isinstance(value, str):
        return False
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and number.is_integer() and abs(number) >= 2**53


def _not_finite_text(value: Any) -> bool:
    """True when ``value`` is NaN or an infinity (a float or its text), not merely too large."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and value.strip().lower() in _NOT_FINITE


def unreadable(table: str, source: str, exc: OSError) -> Problem:
    """A file the OS would not let us read; its reason (the OS's words) is what was found."""
    return Problem(
        table,
        Phrase("problem.cannot_read_file"),
        source=source,
        expected=Phrase("expected.readable_file"),
        found=exc.strerror or str(exc),
    )


def not_utf8(
    table: str, source: str, data: bytes, exc: UnicodeDecodeError, expected: Phrase
) -> Problem:
    """A file that is not UTF-8 text: the line and the first byte that is not."""
    line = data.count(b"\n", 0, exc.start) + 1
    found = Phrase("found.byte", byte=data[exc.start], offset=exc.start)
    return Problem(table, Phrase("problem.not_utf8"), line, None, None, expected, found, source)


def kind_of(value: Any) -> Phrase:
    """The kind of a value (``list``, ``dict`` ...) as a found value names it."""
    return Phrase("found.kind", kind=type(value).__name__)


_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}


def describe_error(
    err: Any, column: str | None, value_range: Phrase | None = None
) -> tuple[Phrase, Phrase | None]:
    """Message and expected value, from the catalogue, for one pydantic error.

    ``value_range`` is the field's documented range (see :func:`value_range`),
    named as expected for a number out of range, too large or not finite.
    Pydantic's own words are never shown: each error type staffopt can meet
    has its key, our validators raise :class:`~staffopt.errors.InvalidValue`,
    and any other type is named by its code.
    """
    etype = err["type"]
    ctx = err.get("ctx") or {}
    too_large = Phrase("problem.number_too_large")
    whole, finite = Phrase("expected.whole"), Phrase("expected.finite")
    if etype == "missing":
        return Phrase("problem.missing_value"), Phrase("expected.a_value")
    if etype == "int_parsing_size":
        return too_large, value_range or whole
    if etype == "int_parsing" and _huge_whole(err.get("input")):
        # '1e+18': a whole number written as a float, beyond every integer range here.
        return Phrase("problem.out_of_range"), value_range or whole
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return Phrase("problem.not_whole"), whole
    if etype == "finite_number":
        if _not_finite_text(err.get("input")):
            return Phrase("problem.not_finite"), value_range or finite
        return too_large, value_range or finite
    if etype == "float_type" and isinstance(err.get("input"), int):
        return too_large, value_range or finite  # beyond a float
    if etype in ("float_parsing", "float_type"):
        return Phrase("problem.not_number"), Phrase("expected.number")
    if etype in ("bool_parsing", "bool_type"):
        return Phrase("problem.not_yes_no"), BOOL_HINT
    if etype in _BOUNDS:
        op, key = _BOUNDS[etype]
        bound = Phrase("expected.bound", bound=f"{op} {ctx.get(key)}")
        return Phrase("problem.out_of_range"), value_range or bound
    if etype in ("enum", "literal_error"):
        return Phrase("problem.not_allowed"), Phrase("expected.one_of", items=ctx.get("expected"))
    if etype == "string_type":
        return Phrase("problem.not_text"), Phrase("expected.text")
    if etype == "string_too_short":
        return Phrase("problem.empty_value"), Phrase("expected.non_empty")
    error = ctx.get("error")
    if etype == "value_error" and isinstance(error, InvalidValue):
        hint = SKILLS_HINT if column == "skills" else None
        return error.message, error.expected or hint
    return Phrase("problem.invalid_value", kind=etype), SKILLS_HINT if column == "skills" else None
