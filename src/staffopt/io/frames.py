"""A scenario as in-memory tables: pandas DataFrames in, plain Python rows out.

:func:`scenario_from_frames` builds a Scenario from one DataFrame per table
with the same checks and problem reports as the file readers;
:func:`table_values` gives one table of a Scenario as column names and rows of
plain values, for the CSV and workbook writers.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import pandas as pd

from staffopt.errors import Problem
from staffopt.io.cells import RawTable
from staffopt.io.problems import SCENARIO, kind_of
from staffopt.io.records import build_with_settings
from staffopt.io.settings import (
    OPTIONS,
    POLICY,
    SETTINGS,
    settings_from_mapping,
    settings_from_rows,
)
from staffopt.schema import RECORD_TYPES, TABLES, Policy, Scenario, SolveOptions, format_skills
from staffopt.texts import Phrase

__all__ = ["scenario_from_frames", "table_values"]


def _raw_from_frame(frame: pd.DataFrame, table: str, source: str | None) -> RawTable:
    fields = RECORD_TYPES[table].model_fields
    names = [n for n in frame.index.names if n is not None]
    if names and all(str(n) in fields and n not in frame.columns for n in names):
        frame = frame.reset_index()
    values = frame.to_numpy(dtype=object).tolist()
    return RawTable(list(frame.columns), [(i + 2, row) for i, row in enumerate(values)], source, 1)


def scenario_from_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    name: str = "scenario",
    policy: Policy | Mapping[str, Any] | None = None,
    options: SolveOptions | Mapping[str, Any] | None = None,
    sources: Mapping[str, str] | None = None,
) -> Scenario:
    """Build a validated Scenario from DataFrames, one per table.

    ``frames`` maps table names (``communes``, ``agencies``, ``officials``,
    ``needs`` required; ``distances``, ``locks``, ``affinity`` optional) to
    DataFrames whose columns are the record fields. Cells of any type are
    converted to text first (empty/NaN = not given, so the field's default);
    row ``i`` of a frame is reported as spreadsheet row ``i + 2``. ``policy``
    is a :class:`Policy` or a mapping of policy fields, ``options`` a
    :class:`SolveOptions` or a mapping of its fields; ``policy`` and
    ``options`` frames with key/value columns are accepted too. ``sources``
    maps a table to the file or sheet it came from, named in problems.

    Raises ScenarioError listing every problem found.
    """
    sources = dict(sources or {})
    problems: list[Problem] = []
    tables: dict[str, RawTable | None] = {}
    given: dict[str, Any] = {POLICY: policy, OPTIONS: options}
    setting_frames: dict[str, pd.DataFrame] = {}
    for key, frame in frames.items():
        table = str(key).strip().lower()
        src = sources.get(table, sources.get(str(key)))
        if table not in TABLES and table not in SETTINGS:
            problems.append(
                Problem(
                    SCENARIO,
                    Phrase("problem.unknown_table", name=key),
                    expected=Phrase("expected.one_of_list", items=", ".join((*TABLES, *SETTINGS))),
                    source=src,
                )
            )
            continue
        if not isinstance(frame, pd.DataFrame):
            problems.append(
                Problem(
                    table,
                    Phrase("problem.not_dataframe"),
                    expected=Phrase("expected.dataframe"),
                    found=kind_of(frame),
                    source=src,
                )
            )
            tables[table] = None
            continue
        if table in SETTINGS:
            setting_frames[table] = frame
            continue
        tables[table] = _raw_from_frame(frame, table, src)
    settings: dict[str, Any] = {}
    for table, model in SETTINGS.items():
        value, rows_frame = given[table], setting_frames.get(table)
        if isinstance(value, model):
            settings[table] = value
        elif value is not None:
            if not isinstance(value, Mapping):
                problems.append(
                    Problem(
                        table,
                        Phrase("problem.not_settings", model=model.__name__),
                        expected=Phrase("expected.settings", model=model.__name__),
                        found=kind_of(value),
                        source=sources.get(table),
                    )
                )
            else:
                settings[table], more = settings_from_mapping(
                    table, value, source=sources.get(table)
                )
                problems.extend(more)
        elif rows_frame is not None:
            values = rows_frame.to_numpy(dtype=object).tolist()
            header = [list(rows_frame.columns)]
            rows = [(i + 1, r) for i, r in enumerate(header + values)]
            settings[table], more = settings_from_rows(table, rows, source=sources.get(table))
            problems.extend(more)
    return build_with_settings(tables, settings, name=name, problems=problems)


def table_values(scenario: Scenario, table: str) -> tuple[list[str], list[list[Any]]]:
    """Column names (field order) and plain Python values of one table.

    Enums become their value and skills their ``it:3;land:2`` text; other
    values (str, int, float, bool, None) are returned as they are.
    """
    columns = list(RECORD_TYPES[table].model_fields)
    rows: list[list[Any]] = []
    for record in getattr(scenario, table):
        row: list[Any] = []
        for c in columns:
            v = getattr(record, c)
            if isinstance(v, Enum):
                v = v.value
            elif isinstance(v, dict):
                v = format_skills(v)
            row.append(v)
        rows.append(row)
    return columns, rows
