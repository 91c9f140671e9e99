"""The validated, frozen data model: records, the planning policy, solve options, Scenario.

- :mod:`.records`: one pydantic model per table row (communes, agencies,
  officials, needs, distances, locks, affinity, wishes) and the table names.
- :mod:`.policy`: :class:`Policy`, what a planner decides.
- :mod:`.options`: :class:`SolveOptions`, how the solver runs.
- :mod:`.scenario`: :class:`Scenario`, every table plus policy and default
  options, checked across tables.
"""

from staffopt.schema.options import Engine, SolveOptions
from staffopt.schema.policy import Goal, Policy
from staffopt.schema.records import (
    ASSIGNMENT_COLUMNS,
    COST_COLUMN,
    ID_COLUMN,
    MAX_LEVEL,
    MIN_LEVEL,
    RECORD_TYPES,
    REQUIRED_TABLES,
    TABLES,
    Affinity,
    Agency,
    Category,
    Commune,
    Distance,
    FieldEntry,
    FieldName,
    Id,
    Lock,
    Need,
    Official,
    OfficialKind,
    ProvinceBudget,
    Text,
    Wish,
    Zone,
    format_skills,
    language_key,
    parse_skills,
)
from staffopt.schema.scenario import Scenario, cross_check

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "COST_COLUMN",
    "ID_COLUMN",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "RECORD_TYPES",
    "REQUIRED_TABLES",
    "TABLES",
    "Affinity",
    "Agency",
    "Category",
    "Commune",
    "Distance",
    "Engine",
    "FieldEntry",
    "FieldName",
    "Goal",
    "Id",
    "Lock",
    "Need",
    "Official",
    "OfficialKind",
    "Policy",
    "ProvinceBudget",
    "Scenario",
    "SolveOptions",
    "Text",
    "Wish",
    "Zone",
    "cross_check",
    "format_skills",
    "language_key",
    "parse_skills",
]
