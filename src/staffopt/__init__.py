"""staffopt: plan who is seconded where.

Communes, staffing needs, candidate officials, distances and remoteness
weights go in; an optimal, checked and explained secondment plan comes out.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from staffopt.errors import (
    InfeasibleError,
    NoSolutionError,
    PlanError,
    Problem,
    ScenarioError,
    StaffoptError,
)
from staffopt.results import Requirement, SolverFacts, Status
from staffopt.schema import (
    Affinity,
    Agency,
    Category,
    Commune,
    Distance,
    FieldEntry,
    Lock,
    Need,
    Official,
    Policy,
    ProvinceBudget,
    Scenario,
    SolveOptions,
    Zone,
)

if TYPE_CHECKING:
    from staffopt.allocation import allocate, mechanisms
    from staffopt.checker import Violation, check
    from staffopt.eligibility import candidates
    from staffopt.explain import Explanation
    from staffopt.io import load_scenario, save_scenario, scenario_from_frames
    from staffopt.plan import Plan, load_plan
    from staffopt.replanning import Replan, replan
    from staffopt.solver import solve
    from staffopt.tradeoffs import pareto, plot_pareto

__version__ = "0.1.0"

# Heavy parts load on first use: `import staffopt.checker` must not pull in
# ortools (the checker is independent of the solver), and the CLI starts fast.
_LAZY: dict[str, str] = {
    "allocate": "staffopt.allocation",
    "mechanisms": "staffopt.allocation",
    "Violation": "staffopt.checker",
    "check": "staffopt.checker",
    "candidates": "staffopt.eligibility",
    "Explanation": "staffopt.explain",
    "load_scenario": "staffopt.io",
    "save_scenario": "staffopt.io",
    "scenario_from_frames": "staffopt.io",
    "Plan": "staffopt.plan",
    "load_plan": "staffopt.plan",
    "solve": "staffopt.solver",
    "replan": "staffopt.replanning",
    "Replan": "staffopt.replanning",
    "pareto": "staffopt.tradeoffs",
    "plot_pareto": "staffopt.tradeoffs",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        # Cached: the next access skips this hook. (No module is named like a
        # function it exports, so importing one never hides the function.)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'staffopt' has no attribute {name!r}")


__all__ = [
    "Affinity",
    "Agency",
    "Category",
    "Commune",
    "Distance",
    "Explanation",
    "FieldEntry",
    "InfeasibleError",
    "Lock",
    "Need",
    "NoSolutionError",
    "Official",
    "Plan",
    "PlanError",
    "Policy",
    "Problem",
    "ProvinceBudget",
    "Replan",
    "Requirement",
    "Scenario",
    "ScenarioError",
    "SolveOptions",
    "SolverFacts",
    "StaffoptError",
    "Status",
    "Violation",
    "Zone",
    "__version__",
    "allocate",
    "candidates",
    "check",
    "load_plan",
    "load_scenario",
    "mechanisms",
    "pareto",
    "plot_pareto",
    "replan",
    "save_scenario",
    "scenario_from_frames",
    "solve",
]
