"""Bundled example scenarios.

``EXAMPLES`` maps an example's name to a loader returning a validated
:class:`~staffopt.schema.Scenario`; :func:`write_example` copies an example's
files into a folder to edit them (``staffopt example dien-bien DIR``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from staffopt.errors import StaffoptError
from staffopt.scenarios.dien_bien import data_files, dien_bien
from staffopt.schema import Scenario

__all__ = [
    "EXAMPLES",
    "ExampleExistsError",
    "dien_bien",
    "example_files",
    "load_example",
    "write_example",
]

#: Example name -> loader.
EXAMPLES: dict[str, Callable[[], Scenario]] = {"dien-bien": dien_bien}
#: Example name -> folder under ``staffopt/scenarios/data``.
_FOLDERS: dict[str, str] = {"dien-bien": "dien_bien"}


class ExampleExistsError(StaffoptError, FileExistsError):
    """Writing an example would overwrite files (pass ``overwrite=True``)."""


def _folder(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    if key not in _FOLDERS:
        known = ", ".join(sorted(EXAMPLES))
        raise StaffoptError(f"unknown example '{name}'; known examples: {known}")
    return _FOLDERS[key]


def example_files(name: str) -> list[str]:
    """File names of an example (CSV tables, policy.json, NOTES.md), sorted."""
    return sorted(item.name for item in data_files(_folder(name)).iterdir() if item.is_file())


def load_example(name: str) -> Scenario:
    """Load a bundled example by name (``dien-bien``)."""
    _folder(name)
    return EXAMPLES[name.strip().lower().replace("_", "-")]()


def write_example(name: str, directory: str | Path, *, overwrite: bool = False) -> Path:
    """Copy the example's files into ``directory`` (created if missing); return it.

    Refuses, before writing anything, if one of the example's files already
    exists there, unless ``overwrite`` is true. Other files are left alone.
    """
    source = data_files(_folder(name))
    target = Path(directory)
    names = example_files(name)
    existing = [n for n in names if (target / n).exists()]
    if existing and not overwrite:
        raise ExampleExistsError(
            f"{target} already holds {', '.join(existing)}; "
            "choose an empty folder or pass overwrite=True (--overwrite)"
        )
    target.mkdir(parents=True, exist_ok=True)
    for n in names:
        (target / n).write_bytes(source.joinpath(n).read_bytes())
    return target
