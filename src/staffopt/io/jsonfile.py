"""A scenario as one JSON file: ``Scenario.model_dump(mode="json")``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from staffopt.errors import Problem, ScenarioError
from staffopt.io.atomic import atomic_file
from staffopt.io.cells import RawTable
from staffopt.io.jsontext import JsonTextError, parse_json
from staffopt.io.problems import SCENARIO, kind_of, not_utf8, unreadable
from staffopt.io.records import build_with_settings
from staffopt.io.settings import SETTINGS, settings_from_mapping
from staffopt.schema import REQUIRED_TABLES, TABLES, Scenario
from staffopt.texts import Phrase

__all__ = ["read_json", "write_json"]


_TABLES_HINT = Phrase("expected.json_tables")


def read_json(path: Path) -> Scenario:
    """Load a scenario JSON file; records are checked like spreadsheet rows (index + 2)."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(unreadable(SCENARIO, source, exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8 = Phrase("expected.utf8")
        raise ScenarioError(not_utf8(SCENARIO, source, data, exc, utf8)) from None
    try:
        doc = parse_json(text)
    except JsonTextError as exc:
        raise ScenarioError(
            [
                Problem(
                    SCENARIO,
                    f.message,
                    f.line,
                    source=source,
                    expected=f.expected or _TABLES_HINT,
                    found=f.found,
                )
                for f in exc.faults()
            ]
        ) from None
    if not isinstance(doc, dict):
        raise ScenarioError(
            Problem(
                SCENARIO,
                Phrase("problem.not_json_object"),
                source=source,
                expected=_TABLES_HINT,
                found=kind_of(doc),
            )
        )
    problems: list[Problem] = []
    allowed = ("name", *TABLES, *SETTINGS)
    for key in doc:
        if key not in allowed:
            problems.append(
                Problem(
                    SCENARIO,
                    Phrase("problem.unknown_key_named", key=key),
                    column=str(key),
                    expected=Phrase("expected.one_of_list", items=", ".join(allowed)),
                    source=source,
                )
            )
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        if name is not None:
            problems.append(
                Problem(
                    SCENARIO,
                    Phrase("problem.name_not_text"),
                    column="name",
                    expected=Phrase("expected.text"),
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
                        Phrase("problem.missing_table"),
                        expected=Phrase("expected.table_key", table=table),
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
                    Phrase("problem.not_object"),
                    expected=Phrase("expected.json_fields", table=table),
                    found=kind_of(value),
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
                Phrase("problem.not_record_list"),
                expected=Phrase("expected.json_records"),
                found=kind_of(value),
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
                    Phrase("problem.not_record"),
                    i + 2,
                    expected=Phrase("expected.json_record"),
                    found=kind_of(rec),
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
