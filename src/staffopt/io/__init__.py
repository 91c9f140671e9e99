"""Read and write scenarios: a folder of CSV files, one ``.xlsx`` workbook or one ``.json`` file.

* :func:`load_scenario` reads any of the three forms and returns a validated
  :class:`~staffopt.schema.Scenario`, or raises one
  :class:`~staffopt.errors.ScenarioError` listing every problem found (file,
  table, spreadsheet row, column, id, expected and found).
* :func:`save_scenario` writes any of the three forms, atomically.
* :func:`scenario_from_frames` builds a Scenario from pandas DataFrames with
  the same checks and error reports.
* :func:`write_workbook` writes any DataFrames to a workbook, spreadsheet-safe
  (text never becomes a formula); :func:`atomic_file` and :func:`atomic_dir`
  make any write whole or nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from staffopt.errors import Problem, ScenarioError
from staffopt.io.atomic import atomic_dir, atomic_file
from staffopt.io.csvdir import read_folder, write_folder
from staffopt.io.excel import read_scenario_workbook, write_scenario_workbook, write_workbook
from staffopt.io.frames import scenario_from_frames
from staffopt.io.jsonfile import read_json, write_json
from staffopt.io.problems import SCENARIO
from staffopt.schema import Scenario
from staffopt.texts import Phrase

__all__ = [
    "atomic_dir",
    "atomic_file",
    "load_scenario",
    "save_scenario",
    "scenario_from_frames",
    "write_workbook",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: Suffixes that look like a single-table or other spreadsheet file, not a scenario.
_NOT_A_SCENARIO = (".csv", ".xls", ".xlsm", ".xlsb", ".ods", ".tsv", ".txt")


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a folder of CSV files, an ``.xlsx`` workbook or a ``.json`` file.

    The scenario is named after the folder or the file stem (a JSON file may
    give its own ``name``). Raises ScenarioError listing every problem; the
    input files are only read.
    """
    p = Path(path)
    if not p.exists():
        raise ScenarioError(
            Problem(
                SCENARIO,
                Phrase("problem.path_not_found"),
                source=str(p),
                expected=Phrase("expected.scenario_path"),
            )
        )
    if p.is_dir():
        return read_folder(p)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_scenario_workbook(p)
    if suffix == ".json":
        return read_json(p)
    message = "problem.not_a_scenario_csv" if suffix == ".csv" else "problem.not_a_scenario"
    raise ScenarioError(
        Problem(
            SCENARIO,
            Phrase(message),
            source=str(p),
            expected=Phrase("expected.scenario_path"),
            found=Phrase("found.suffix", suffix=p.suffix)
            if p.suffix
            else Phrase("found.no_suffix"),
        )
    )


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write a scenario; the form follows the path: ``.xlsx``, ``.json``, else a folder.

    The write is atomic: a file is written to a temporary file next to it and
    renamed into place; a folder's files are written to a temporary folder
    first and then each moved into place (other files in the folder stay).
    Optional tables are written only when not empty; the policy always.
    Returns the path written.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return write_scenario_workbook(scenario, p)
    if suffix == ".json":
        return write_json(scenario, p)
    if suffix in _NOT_A_SCENARIO:
        raise ValueError(
            f"cannot write a scenario to '{p}': use a folder, an .xlsx or a .json path"
        )
    return write_folder(scenario, p)
