"""The key/value tables ``policy`` and ``options``: from a mapping, from rows, to items.

A JSON file or a ``policy.json`` gives a mapping (:func:`settings_from_mapping`),
a sheet or a DataFrame gives ``key | value`` rows (:func:`settings_from_rows`);
both validate into a :class:`~staffopt.schema.Policy` or
:class:`~staffopt.schema.SolveOptions` and name the key of every problem.
:func:`settings_items` turns one back into rows for a key/value sheet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationError

from staffopt.errors import Problem
from staffopt.io.cells import bool_fields, bool_word, cell_text
from staffopt.io.columns import is_settings_header
from staffopt.io.jsontext import JsonTextError, parse_json
from staffopt.io.problems import describe_error, show_value, value_range
from staffopt.schema import Policy, SolveOptions
from staffopt.texts import Phrase

__all__ = [
    "OPTIONS",
    "POLICY",
    "SETTINGS",
    "settings_from_mapping",
    "settings_from_rows",
    "settings_items",
]

#: Table name used in problems about the policy.
POLICY = "policy"
#: Table name used in problems about the default solve options.
OPTIONS = "options"


def _structured(annotation: Any) -> str | None:
    """'dict' or 'list' when a policy field holds a mapping or a sequence, else None."""
    origin = get_origin(annotation)
    if origin is dict:
        return "dict"
    if origin in (list, tuple, set, frozenset):
        return "list"
    if origin in (Union, UnionType):
        kinds = {_structured(a) for a in get_args(annotation) if a is not type(None)}
        kinds.discard(None)
        return kinds.pop() if len(kinds) == 1 else None
    return None


#: The key/value tables of a scenario and the model each validates into.
SETTINGS: dict[str, type[Policy] | type[SolveOptions]] = {POLICY: Policy, OPTIONS: SolveOptions}
_SETTING_BOOLS: dict[str, frozenset[str]] = {k: bool_fields(m) for k, m in SETTINGS.items()}
#: Settings fields written as JSON text in a key/value sheet, with their kind.
_SETTING_STRUCTURED: dict[str, dict[str, str]] = {
    table: {n: kind for n, f in m.model_fields.items() if (kind := _structured(f.annotation))}
    for table, m in SETTINGS.items()
}


def settings_from_mapping(
    table: str,
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    rows: Mapping[str, int] | None = None,
) -> tuple[Any, list[Problem]]:
    """Validate the ``policy`` or ``options`` table given as a mapping; problems name the key.

    Returns a :class:`Policy` / :class:`SolveOptions` (or None) and the problems.
    """
    model = SETTINGS[table]
    try:
        return model.model_validate(dict(data)), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    fields = list(model.model_fields)
    problems: list[Problem] = []
    for err in errors:
        loc = err["loc"]
        key = str(loc[0]) if loc else None
        message, expected = describe_error(err, None, value_range(model, loc))
        found: str | None = None if err["type"] == "missing" else show_value(err["input"])
        if err["type"] == "extra_forbidden":
            message, found = Phrase("problem.unknown_key"), None
            expected = Phrase("expected.one_of_list", items=", ".join(fields))
            if table == POLICY and key in SolveOptions.model_fields:
                # Solver settings left the policy: say where they live now.
                message = Phrase("problem.option_in_policy")
                expected = Phrase("expected.option_place", key=key)
        if key is None:  # a model-level check such as "zone_points lacks zones"
            # A policy check names its table in the phrase's values.
            named = message.params.get("name")
            key = named if named in fields else None
            found = show_value(data[key]) if key is not None and key in data else None
        elif len(loc) > 1:
            where = f"{key}[{', '.join(map(str, loc[1:]))}]"
            message = Phrase("problem.at", message=message, where=where)
        row = rows.get(key) if rows is not None and key is not None else None
        problems.append(Problem(table, message, row, key, None, expected, found, source))
    return None, problems


def settings_from_rows(
    table: str, rows: Iterable[tuple[int, Sequence[Any]]], *, source: str | None = None
) -> tuple[Any, list[Problem]]:
    """Validate a key/value table (the ``policy`` or ``options`` sheet).

    The first column is the key, the second the value (empty = default);
    dict-valued keys such as ``zone_points`` hold JSON text, list-valued ones
    JSON text or ``a, b`` text. A first row ``key | value`` is a header and
    skipped.
    """
    data: dict[str, Any] = {}
    where: dict[str, int] = {}
    problems: list[Problem] = []
    first = True
    for number, cells in rows:
        key = cell_text(cells[0]) if len(cells) > 0 else None
        value = cell_text(cells[1]) if len(cells) > 1 else None
        if key is None and value is None:
            continue
        if first and isinstance(key, str) and is_settings_header(key):
            first = False
            continue
        first = False
        if not isinstance(key, str):
            problems.append(
                Problem(
                    table,
                    Phrase("problem.key_without_value"),
                    number,
                    None,
                    None,
                    Phrase("expected.a_key"),
                    None,
                    source,
                )
            )
            continue
        key = key.lower()
        if key in where:
            problems.append(
                Problem(
                    table,
                    Phrase("problem.key_twice"),
                    number,
                    key,
                    None,
                    Phrase("expected.each_key_once"),
                    None,
                    source,
                )
            )
            continue
        where[key] = number
        if value is None:
            continue
        kind = _SETTING_STRUCTURED[table].get(key)
        if kind == "list" and isinstance(value, str) and not value.startswith("["):
            value = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        elif kind is not None and isinstance(value, str):
            try:
                value = parse_json(value)
            except JsonTextError as exc:
                example = '{"I": 0, "II": 20, "III": 40}' if kind == "dict" else '["a", "b"]'
                expected = Phrase("expected.json_text", example=example)
                problems.extend(
                    Problem(
                        table,
                        f.message,
                        number,
                        key,
                        None,
                        f.expected or expected,
                        show_value(value),
                        source,
                    )
                    for f in exc.faults()
                )
                continue
        elif key in _SETTING_BOOLS[table]:
            value = bool_word(value)
        data[key] = value
    settings, more = settings_from_mapping(table, data, source=source, rows=where)
    return (None if problems else settings), problems + more


def settings_items(settings: Policy | SolveOptions) -> list[tuple[str, Any]]:
    """``(key, value)`` pairs of a policy or options for a key/value sheet (dicts as JSON)."""
    dumped = settings.model_dump(mode="json")
    items: list[tuple[str, Any]] = []
    for key in type(settings).model_fields:
        value = dumped[key]
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        items.append((key, value))
    return items
