"""The greedy baseline: feasible where it claims to be, never above the optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from test_oracle import SETTINGS, scenarios

import staffopt
from staffopt import Scenario
from staffopt.checker import check
from staffopt.eligibility import candidates
from staffopt.policies import greedy_assign
from staffopt.solver import solve


def _without_requirements(s: Scenario) -> Scenario:
    """The scenario without floors, mandatory needs and locks (greedy ignores them)."""
    return Scenario.model_validate(
        {
            **dict(s),
            "agencies": [a.model_copy(update={"min_release": 0}) for a in s.agencies],
            "needs": [n.model_copy(update={"mandatory": False}) for n in s.needs],
            "locks": [lk for lk in s.locks if lk.kind == "forbid"],
        }
    )


@SETTINGS
@given(scenarios())
def test_greedy_plan_is_feasible_and_below_the_optimum(drawn: Scenario) -> None:
    s = _without_requirements(drawn)
    plan = staffopt.allocate(s, "greedy")
    arcs, _ = candidates(s)
    chosen = greedy_assign(s, arcs)
    # allocate runs greedy_assign on the same arcs and decodes what it chose.
    assert len(plan.assignments) == int(chosen.sum())
    score = float(arcs["score"].to_numpy(np.int64)[chosen].sum())
    assert plan.objective == score
    assert check(s, plan) == []
    optimum = solve(s)
    assert optimum.status == "optimal"
    assert score <= (optimum.objective or 0.0)
