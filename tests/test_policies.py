"""The greedy baseline: feasible where it claims to be, never above the optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from test_oracle import SETTINGS, scenarios

from staffopt import Scenario
from staffopt.checker import check
from staffopt.decode import decode
from staffopt.eligibility import candidates
from staffopt.policies import greedy_assign
from staffopt.results import SolverFacts
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
    arcs, exclusions = candidates(s)
    chosen = greedy_assign(s, arcs)
    score = float(arcs["score"].to_numpy(np.int64)[chosen].sum())
    plan = decode(
        s,
        s.policy,
        arcs,
        exclusions,
        chosen,
        status="feasible",
        objective=score,
        bound=None,
        wall_time_s=0.0,
        solver=SolverFacts(engine="greedy"),
    )
    assert check(s, plan) == []
    optimum = solve(s)
    assert optimum.status == "optimal"
    assert score <= (optimum.objective or 0.0)
