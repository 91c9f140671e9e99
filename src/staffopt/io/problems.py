"""How a problem is put into words: pydantic errors as plain messages, found values as shown.

Shared by the record tables and the key/value settings tables, so a bad cell
reads the same wherever it is.
"""

from __future__ import annotations

from typing import Any

from staffopt.io.cells import BOOL_HINT

__all__ = ["SCENARIO", "describe_error", "show_value"]

#: Table name used in problems about the scenario as a whole (path, file type).
SCENARIO = "scenario"
#: What a skills cell looks like, named when one is refused.
SKILLS_HINT = "field:level pairs like it:3;land:2 with levels 1-3"


def show_value(value: Any) -> str:
    """A found value as a problem shows it: text in quotes, anything else as its repr."""
    if isinstance(value, str):
        return f"'{value}'"
    return repr(value)


def describe_error(err: Any, column: str | None) -> tuple[str, str | None]:
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
