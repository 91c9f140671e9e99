"""A scenario as one JSON file: ``Scenario.model_dump(mode="json")``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from staffopt.errors import Problem, ScenarioError
from staffopt.io.atomic import atomic_file
from staffopt.io.cells import RawTable
from staffopt.io.jsontext import JsonTextError, parse_json
from staffopt.io.problems import SCENARIO
from staffopt.io.records import build_with_settings
from staffopt.io.settings import SETTINGS, settings_from_mapping
from staffopt.schema import REQUIRED_TABLES, TABLES, Scenario

__all__ = ["read_json", "write_json"]


def _fail(path: Path, message: str, expected: str, found: str | None) -> ScenarioError:
    return ScenarioError(
        Problem(SCENARIO, message, source=str(path), expected=expected, found=found)
    )


def read_json(path: Path) -> Scenario:
    """Load a scenario JSON file; records are checked like spreadsheet rows (index + 2)."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, "cannot read the file", "a readable file", exc.strerror) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            Problem(
                SCENARIO,
                "file is not UTF-8 text",
                data.count(b"\n", 0, exc.start) + 1,
                source=source,
                expected="UTF-8 text",
                found=f"byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
            )
        ) from None
    try:
        doc = parse_json(text)
    except JsonTextError as exc:
        raise ScenarioError(
            Problem(
                SCENARIO,
                exc.message,
                exc.line,
                source=source,
                expected=exc.expected or "a JSON object of tables",
                found=exc.found,
            )
        ) from None
    if not isinstance(doc, dict):
        raise _fail(path, "not a JSON object", "a JSON object of tables", type(doc).__name__)
    problems: list[Problem] = []
    allowed = ("name", *TABLES, *SETTINGS)
    for key in doc:
        if key not in allowed:
            problems.append(
                Problem(
                    SCENARIO,
                    f"unknown key '{key}'",
                    column=str(key),
                    expected="one of: " + ", ".join(allowed),
                    source=source,
                )
            )
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        if name is not None:
            problems.append(
                Problem(
                    SCENARIO,
                    "name is not text",
                    column="name",
                    expected="text",
                    found=repr(name),
                    source=source,
                )
            )
        name = path.stem
    tables: dict[str, RawTable | None] = {}
    for table in TABLES:
        if table not in doc:
            if table in REQUIRED_TABLES:
                problems.append(
                    Problem(
                        table,
                        "missing table",
                        expected=f"a key '{table}' with a list of records",
                        source=source,
                    )
                )
                tables[table] = None
            continue
        tables[table] = _raw_records(doc[table], table, source, problems)
    settings: dict[str, Any] = {}
    for table in SETTINGS:
        value = doc.get(table)
        if value is None:
            continue
        if isinstance(value, dict):
            settings[table], more = settings_from_mapping(table, value, source=source)
            problems.extend(more)
        else:
            problems.append(
                Problem(
                    table,
                    "not an object",
                    expected=f"a JSON object of {table} fields",
                    found=type(value).__name__,
                    source=source,
                )
            )
    return build_with_settings(tables, settings, name=name.strip(), problems=problems)


def _raw_records(value: Any, table: str, source: str, problems: list[Problem]) -> RawTable | None:
    if value is None:
        value = []
    if not isinstance(value, list):
        problems.append(
            Problem(
                table,
                "not a list of records",
                expected="a JSON list of objects",
                found=type(value).__name__,
                source=source,
            )
        )
        return None
    header: dict[str, None] = {}
    for rec in value:
        if isinstance(rec, dict):
            header.update(dict.fromkeys(rec))
    columns = list(header)
    rows: list[tuple[int, list[Any]]] = []
    for i, rec in enumerate(value):
        if not isinstance(rec, dict):
            problems.append(
                Problem(
                    table,
                    "not a record",
                    i + 2,
                    expected="a JSON object",
                    found=type(rec).__name__,
                    source=source,
                )
            )
            continue
        rows.append((i + 2, [rec.get(c) for c in columns]))
    return RawTable(columns, rows, source, None, synthetic_header=True)


def write_json(scenario: Scenario, path: Path) -> Path:
    """Write the scenario as JSON (UTF-8, floats at repr precision), atomically."""
    text = json.dumps(scenario.model_dump(mode="json"), ensure_ascii=False, indent=1)
    with atomic_file(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return path
