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

from staffopt.io.cells import BOOL_HINT

__all__ = ["SCENARIO", "describe_error", "show_value", "value_range"]

#: Table name used in problems about the scenario as a whole (path, file type).
SCENARIO = "scenario"
#: What a skills cell looks like, named when one is refused.
SKILLS_HINT = "field:level pairs like it:3;land:2 with levels 1-3"
#: What an official without any skill lacks.
NO_SKILL_HINT = "at least one field:level pair, like it:3;land:2"
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
            return f"'{value[:SHOWN_CHARS]}…' ({len(value):,} characters)"
        return f"'{value}'"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a whole number of {_digits(value):,} digits"
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return f"a {type(value).__name__} too large to show"
    if len(text) > SHOWN_CHARS:
        return f"{text[:SHOWN_CHARS]}… ({len(text):,} characters)"
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


def value_range(model: type[BaseModel], loc: Sequence[int | str]) -> str | None:
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
    return " and ".join(parts) or None


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


def describe_error(
    err: Any, column: str | None, value_range: str | None = None
) -> tuple[str, str | None]:
    """Plain message and expected value for one pydantic error.

    ``value_range`` is the field's documented range (see :func:`value_range`),
    named as expected for a number out of range, too large or not finite.
    """
    etype = err["type"]
    ctx = err.get("ctx") or {}
    if etype == "missing":
        return "missing value", "a value"
    if etype == "int_parsing_size":
        return "number too large", value_range or "a whole number"
    if etype == "int_parsing" and _huge_whole(err.get("input")):
        # '1e+18': a whole number written as a float, beyond every integer range here.
        return "out of range", value_range or "a whole number"
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return "not a whole number", "a whole number"
    if etype == "finite_number":
        if _not_finite_text(err.get("input")):
            return "not a finite number", value_range or "a finite number"
        return "number too large", value_range or "a finite number"
    if etype == "float_type" and isinstance(err.get("input"), int):
        return "number too large", value_range or "a finite number"  # beyond a float
    if etype in ("float_parsing", "float_type"):
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
        return "out of range", value_range or f"{op} {ctx.get(key)}"
    if etype in ("enum", "literal_error"):
        return "not an allowed value", f"one of {ctx.get('expected')}"
    if etype == "string_type":
        return "not text", "text"
    if etype == "string_too_short":
        return "empty value", "a non-empty value"
    if etype == "value_error":
        message = str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
        if column == "skills":
            message = message.split(": expected")[0]
            return message, NO_SKILL_HINT if message.startswith("no skill") else SKILLS_HINT
        return message, None
    if column == "skills":
        return str(err["msg"]), SKILLS_HINT
    return str(err["msg"]), None
