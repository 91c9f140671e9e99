"""Errors staffopt raises on purpose.

Every problem with input data is collected into one :class:`ScenarioError` that
lists *all* problems found, each naming its place (file or table, row, column,
id), what was expected and what was found. Callers never see a traceback from
deep inside pandas, pydantic or ortools for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as we can.

    ``row`` is the 1-based line number in the file or sheet as a spreadsheet
    shows it (the header is row 1, so the first data row is row 2); ``None``
    when the problem is not tied to one row.
    """

    table: str
    message: str
    row: int | None = None
    column: str | None = None
    id: str | None = None
    expected: str | None = None
    found: str | None = None
    source: str | None = None  # file path or sheet the table came from

    def __str__(self) -> str:
        where = self.source or self.table
        parts = [where]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.id is not None:
            parts.append(f"id '{self.id}'")
        text = ", ".join(parts) + f": {self.message}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found}"
        return text


class StaffoptError(Exception):
    """Base class of every error staffopt raises on purpose."""


class ScenarioError(StaffoptError):
    """The scenario is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | Problem, *, source: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.source = source
        head = f"invalid scenario{f' {source}' if source else ''}: "
        head += f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}\n{body}")


class OutputError(StaffoptError):
    """An output path cannot be written: it names the path and what is wrong with it."""


class PlanError(StaffoptError):
    """A plan file or folder is missing or malformed, or a plan lacks its scenario."""


class InfeasibleError(StaffoptError):
    """Raised only on request (``plan.raise_for_status()``): hard rules cannot all hold."""


class NoSolutionError(StaffoptError):
    """Raised only on request: the solver found no plan within its time limit."""
