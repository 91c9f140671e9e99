"""The bundled Điện Biên example: 45 communes, 52 departmental officials, 45 health heads.

The instance mirrors the real secondment round of Điện Biên province
(decision of 17 October 2025). Unit names and zones are real; coordinates,
people, skills, needs and most distances are synthetic (see the NOTES.md next
to the CSV files). The files are written by
``examples/dien_bien/build_dien_bien.py``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from staffopt.schema import Scenario

#: Name of the scenario the loader returns.
NAME = "dien-bien"
#: Folder of the bundled files inside the ``staffopt.scenarios`` package.
DATA_DIR = "dien_bien"


def data_files(folder: str = DATA_DIR) -> Traversable:
    """The bundled folder ``staffopt/scenarios/data/<folder>`` as a resource."""
    return files("staffopt.scenarios").joinpath("data", folder)


@contextmanager
def as_directory(resource: Traversable) -> Iterator[Path]:
    """A real directory holding the files of ``resource``.

    An installed package on disk is used in place; a zipped one is copied to
    a temporary directory for the duration of the ``with`` block.
    """
    if isinstance(resource, Path):
        yield resource
        return
    with tempfile.TemporaryDirectory(prefix="staffopt-") as tmp:
        for item in resource.iterdir():
            if item.is_file():
                (Path(tmp) / item.name).write_bytes(item.read_bytes())
        yield Path(tmp)


def dien_bien() -> Scenario:
    """Load the bundled Điện Biên scenario (validated, with its policy)."""
    from staffopt.io import load_scenario

    with as_directory(data_files()) as path:
        scenario = load_scenario(path)
    if scenario.name != NAME:
        scenario = scenario.model_copy(update={"name": NAME})
    return scenario
