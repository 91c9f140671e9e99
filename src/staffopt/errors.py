"""Errors staffopt raises on purpose.

Every problem with input data is collected into one :class:`ScenarioError` that
lists *all* problems found, each naming its place (file or table, row, column,
id), what was expected and what was found. Callers never see a traceback from
deep inside pandas, pydantic or ortools for bad input.

A problem's ``message``, ``expected`` and (when it is our wording) ``found``
are :class:`~staffopt.texts.Phrase` values: their ``str`` is English, and
:meth:`Problem.text` / :meth:`ScenarioError.text` word them in Vietnamese
from the catalogue. User data (ids, cells, file names) is shown as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from staffopt.texts import Phrase, say, text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as we can.

    ``row`` is the 1-based line number in the file or sheet as a spreadsheet
    shows it (the header is row 1, so the first data row is row 2); ``None``
    when the problem is not tied to one row. ``message`` and ``expected`` are
    catalogue phrases (typed so: a problem cannot be worded outside the
    catalogue); ``found`` is the user's value as shown, or a phrase when the
    words are ours (a kind, a size, a line).
    """

    table: str
    message: Phrase
    row: int | None = None
    column: str | None = None
    id: str | None = None
    expected: Phrase | None = None
    found: str | None = None
    source: str | None = None  # file path or sheet the table came from
    cell: str | None = None  # the spreadsheet cell (``G3``) when the table came from a sheet

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem as one line in ``lang``: place, message, expected, found."""
        parts = [self.source or self.table]
        if self.row is not None:
            parts.append(text("problem.at_row", lang, row=self.row))
        if self.column:
            parts.append(text("problem.at_column", lang, column=self.column))
        if self.cell:
            parts.append(text("problem.at_cell", lang, cell=self.cell))
        if self.id is not None:
            parts.append(text("problem.at_id", lang, id=self.id))
        line = ", ".join(parts) + f": {say(self.message, lang)}"
        if self.expected is not None:
            line += text("problem.expected", lang, expected=say(self.expected, lang))
        if self.found is not None:
            line += text("problem.found", lang, found=say(self.found, lang))
        return line


class StaffoptError(Exception):
    """Base class of every error staffopt raises on purpose."""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` when it is a :class:`Phrase`; else as raised."""
        first: Any = self.args[0] if len(self.args) == 1 else str(self)
        return first.text(lang) if isinstance(first, Phrase) else str(self)


class ScenarioError(StaffoptError):
    """The scenario is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | Problem, *, source: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.source = source
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The whole error in ``lang``: a head line, then one line per problem."""
        where = f" {self.source}" if self.source else ""
        count = len(self.problems)
        head = text(
            "problem.head_one" if count == 1 else "problem.head", lang, where=where, count=count
        )
        return "\n".join([head, *(f"  - {p.text(lang)}" for p in self.problems)])


class InvalidValue(ValueError):
    """A validator's refusal worded from the catalogue (pydantic keeps it as ``ctx["error"]``).

    ``expected`` says what a valid value looks like, when the refusal knows better
    than the field's type.
    """

    def __init__(self, message: Phrase, expected: Phrase | None = None) -> None:
        super().__init__(f"{message}: expected {expected}" if expected is not None else message)
        self.message = message
        self.expected = expected


class OutputError(StaffoptError):
    """An output path cannot be written: it names the path and what is wrong with it."""


class PlanError(StaffoptError):
    """A plan file or folder is missing or malformed, or a plan lacks its scenario."""


class InfeasibleError(StaffoptError):
    """Raised only on request (``plan.raise_for_status()``): hard rules cannot all hold."""


class NoSolutionError(StaffoptError):
    """Raised only on request: the solver found no plan within its time limit."""
