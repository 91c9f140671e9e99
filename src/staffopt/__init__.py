"""staffopt: plan who is seconded where.

Communes, staffing needs, candidate officials, distances and remoteness
weights go in; an optimal, checked and explained secondment plan comes out.
"""

from __future__ import annotations

from staffopt.errors import (
    InfeasibleError,
    NoSolutionError,
    PlanError,
    Problem,
    ScenarioError,
    StaffoptError,
)
from staffopt.schema import (
    Affinity,
    Agency,
    Category,
    Commune,
    Distance,
    Lock,
    Need,
    Official,
    Policy,
    Scenario,
    Zone,
)

__version__ = "0.1.0"

__all__ = [
    "Affinity",
    "Agency",
    "Category",
    "Commune",
    "Distance",
    "InfeasibleError",
    "Lock",
    "Need",
    "NoSolutionError",
    "Official",
    "PlanError",
    "Policy",
    "Problem",
    "Scenario",
    "ScenarioError",
    "StaffoptError",
    "Zone",
    "__version__",
]
