"""What-if questions and tie-breaking toward a previous plan."""

from __future__ import annotations

import itertools

import pytest
from helpers import AFFINITY_ONLY, cost_scenario

from staffopt import ScenarioError
from staffopt.checker import check
from staffopt.solver import solve

COST = [
    [90, 80, 75, 70],
    [35, 85, 55, 65],
    [125, 95, 90, 95],
    [45, 110, 95, 115],
    [50, 100, 90, 100],
]


def test_lock_what_if_costs_the_exact_difference() -> None:
    s = cost_scenario(COST)
    base = solve(s)
    assert base.objective == -265
    # Forcing worker 2 onto task 0: the best completion, by brute force.
    others = [w for w in range(5) if w != 2]
    best = min(
        COST[2][0] + sum(COST[w][t] for w, t in zip(ws, (1, 2, 3), strict=True))
        for ws in itertools.permutations(others, 3)
    )
    result = base.what_if(lock=[("w2", "t0")])
    assert result.plan.status == "optimal"
    assert result.plan.objective == -best
    assert result.delta == -best + 265
    assert ("w2", "t0") in result.added
    assert check(s, result.plan) == []
    assert f"{result.delta:+g}" in result.text() and f"{result.delta:+g}" in result.text("vi")


def test_forbid_what_if_on_non_mandatory_network() -> None:
    gains = [[-c for c in row] for row in COST]  # affinity = +cost: maximise
    s = cost_scenario(gains, mandatory=False)
    base = solve(s)
    assert base.solver.engine == "flow"
    worst = base.assignments.sort_values("score").iloc[-1]
    result = base.what_if(forbid=[(worst["official_id"], worst["need_id"])])
    assert result.delta is not None and result.delta <= 0
    assert (worst["official_id"], worst["need_id"]) in result.removed
    assert check(s, result.plan) == []


def test_prefer_keeps_optimum_and_previous_pairs() -> None:
    # All costs equal: every complete assignment ties; prefer decides.
    s = cost_scenario([[1] * 4 for _ in range(5)])
    wanted = [("w4", "t0"), ("w3", "t1"), ("w2", "t2"), ("w1", "t3")]
    plan = solve(s, prefer=wanted)
    assert plan.objective == -4
    got = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    assert got == set(wanted)
    assert plan.solver.preferred_kept == 4
    assert "weight" not in plan.arcs.columns


def test_prefer_never_costs_score() -> None:
    s = cost_scenario(COST).with_policy(AFFINITY_ONLY)
    bad = [("w2", "t0"), ("w0", "t1")]  # expensive pairs
    assert solve(s, prefer=bad).objective == -265


def test_what_if_unknown_id_is_scenario_error() -> None:
    base = solve(cost_scenario(COST))
    with pytest.raises(ScenarioError, match="nobody"):
        base.what_if(lock=[("nobody", "t0")])


def test_what_if_infeasible_names_the_lock() -> None:
    base = solve(cost_scenario(COST))
    result = base.what_if(lock=[("w0", "t0"), ("w0", "t1")])  # one person, two tasks
    assert result.plan.status == "infeasible"
    assert {c.kind for c in result.plan.conflicts} >= {"lock"}
    assert "infeasible" in result.text().lower() or "not possible" in result.text().lower()
