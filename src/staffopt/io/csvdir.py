"""A scenario as a folder of UTF-8 CSV files plus an optional ``policy.json``."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from staffopt.errors import Problem
from staffopt.io.atomic import atomic_dir
from staffopt.io.cells import RawTable, raw_table
from staffopt.io.frames import table_values
from staffopt.io.jsontext import JsonTextError, parse_json
from staffopt.io.problems import SCENARIO, kind_of, not_utf8, unreadable
from staffopt.io.records import build_scenario, build_with_settings
from staffopt.io.settings import OPTIONS, POLICY, settings_from_mapping
from staffopt.schema import REQUIRED_TABLES, TABLES, Policy, Scenario, SolveOptions
from staffopt.texts import Phrase

__all__ = ["OPTIONS_FILE", "POLICY_FILE", "read_folder", "write_folder"]

POLICY_FILE = "policy.json"
OPTIONS_FILE = "options.json"
#: The key/value files of a folder and the table each holds.
SETTING_FILES: dict[str, str] = {POLICY: POLICY_FILE, OPTIONS: OPTIONS_FILE}
UTF8_HINT = Phrase("expected.utf8_csv")
#: A settings file's example, named when one is refused.
_SETTINGS_EXAMPLE = '{"base_points": 100}'


def _decode(data: bytes, table: str, source: str) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [not_utf8(table, source, data, exc, UTF8_HINT)]


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," not in first:
        if ";" in first:
            return ";"
        if "\t" in first:
            return "\t"
    return ","


def read_csv_table(path: Path, table: str) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV file into a RawTable of text cells (``None`` if unreadable)."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [unreadable(table, source, exc)]
    text, problems = _decode(data, table, source)
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        return None, [
            Problem(
                table,
                Phrase("problem.malformed_csv"),
                reader.line_num,
                None,
                None,
                Phrase("expected.csv"),
                str(exc),
                source,
            )
        ]
    return raw_table(rows, source), []


def _read_settings(table: str, path: Path) -> tuple[Any, list[Problem]]:
    """Read ``policy.json`` or ``options.json``: a JSON object of fields."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [unreadable(table, source, exc)]
    text, problems = _decode(data, table, source)
    if text is None:
        return None, problems
    if not text.strip():
        return None, []
    try:
        value = parse_json(text)
    except JsonTextError as exc:
        expected = Phrase("expected.json_object", example=_SETTINGS_EXAMPLE)
        return None, [
            Problem(table, f.message, f.line, None, None, f.expected or expected, f.found, source)
            for f in exc.faults()
        ]
    if not isinstance(value, dict):
        return None, [
            Problem(
                table,
                Phrase("problem.not_json_object"),
                None,
                None,
                None,
                Phrase("expected.json_object", example=_SETTINGS_EXAMPLE),
                kind_of(value),
                source,
            )
        ]
    return settings_from_mapping(table, value, source=source)


def read_folder(folder: Path) -> Scenario:
    """Load a scenario folder (file names matched case-insensitively)."""
    problems: list[Problem] = []
    files: dict[str, list[Path]] = {}
    try:
        for p in sorted(folder.iterdir()):
            if p.is_file():
                files.setdefault(p.name.lower(), []).append(p)
    except OSError as exc:
        return build_scenario(
            {},
            problems=[
                Problem(
                    SCENARIO,
                    Phrase("problem.cannot_list_folder"),
                    source=str(folder),
                    found=exc.strerror or str(exc),
                )
            ],
        )

    def find(name: str, table: str) -> Path | None:
        found = files.get(name.lower(), [])
        if len(found) > 1:
            problems.append(
                Problem(
                    table,
                    Phrase("problem.several_files"),
                    source=str(folder / name),
                    expected=Phrase("expected.one_file"),
                    found=", ".join(p.name for p in found),
                )
            )
            return None
        return found[0] if found else None

    tables: dict[str, RawTable | None] = {}
    for table in TABLES:
        name = f"{table}.csv"
        path = find(name, table)
        if path is None:
            if table in REQUIRED_TABLES:
                if not files.get(name.lower()):
                    problems.append(
                        Problem(
                            table,
                            Phrase("problem.missing_file"),
                            source=str(folder / name),
                            expected=Phrase("expected.file_in_folder", name=name),
                        )
                    )
                tables[table] = None
            continue
        raw, more = read_csv_table(path, table)
        problems.extend(more)
        tables[table] = raw
    settings: dict[str, Any] = {}
    for table, file_name in SETTING_FILES.items():
        path = find(file_name, table)
        if path is not None:
            settings[table], more = _read_settings(table, path)
            problems.extend(more)
    name = folder.name or folder.resolve().name
    return build_with_settings(tables, settings, name=name, problems=problems)


def csv_text(value: Any) -> str:
    """The exact text of a value in a CSV cell (floats at repr precision)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)


def write_table(path: Path, columns: list[str], rows: list[list[Any]]) -> None:
    """Write one table as a UTF-8 CSV file."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_text(v) for v in row] for row in rows)


def write_settings(path: Path, settings: Policy | SolveOptions) -> None:
    """Write a policy or solve options as a JSON object of fields."""
    text = json.dumps(settings.model_dump(mode="json"), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def write_folder(scenario: Scenario, folder: Path) -> Path:
    """Write a scenario folder atomically; unrelated files in it are kept."""
    optional = [f"{t}.csv" for t in TABLES if t not in REQUIRED_TABLES] + [OPTIONS_FILE]
    with atomic_dir(folder, stale=optional) as tmp:
        for table in TABLES:
            columns, rows = table_values(scenario, table)
            if rows or table in REQUIRED_TABLES:
                write_table(tmp / f"{table}.csv", columns, rows)
        write_settings(tmp / POLICY_FILE, scenario.policy)
        if scenario.options != SolveOptions():
            write_settings(tmp / OPTIONS_FILE, scenario.options)
    return folder
