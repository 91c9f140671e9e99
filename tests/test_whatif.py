"""What-if questions and tie-breaking toward a previous plan."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import AFFINITY_ONLY, cost_scenario, need, official, scenario

from staffopt import ScenarioError
from staffopt.checker import check
from staffopt.plan import Plan
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


# -- any order of public calls on a Plan -------------------------------------------


def _calls(tmp: Path) -> dict[str, Callable[[Plan], object]]:
    """Every public Plan method, each called once with plain arguments."""
    return {
        "summary": lambda p: p.summary("vi"),
        "explain": lambda p: p.explain(need="t0", lang="vi"),
        "what_if": lambda p: p.what_if(forbid=[("w0", "t0")]),
        "attach": lambda p: p.attach(p.require_scenario()),
        "save": lambda p: p.save(tmp / f"plan-{next(_serial)}"),
        "to_excel": lambda p: p.to_excel(tmp / f"plan-{next(_serial)}.xlsx"),
        "report_text": lambda p: p.report_text("en"),
        "to_dict": lambda p: p.to_dict(),
        "raise_for_status": lambda p: p.raise_for_status(),
    }


_serial = itertools.count()


def test_every_pair_of_public_plan_calls_in_either_order(tmp_path: Path) -> None:
    """Regression: after plan.explain(...), plan.what_if(...) raised a pydantic error."""
    calls = _calls(tmp_path)
    for first, second in itertools.permutations(calls, 2):
        plan = solve(cost_scenario(COST))
        calls[first](plan)
        calls[second](plan)
        change = plan.what_if(lock=[("w2", "t0")])
        assert change.plan.status == "optimal", (first, second)
        assert check(plan.require_scenario(), plan) == [], (first, second)


def test_what_if_typo_names_the_argument() -> None:
    base = solve(cost_scenario(COST))
    with pytest.raises(ScenarioError) as exc:
        base.what_if(lock=[("w1", "t0"), ("w9", "t0")], forbid=[("w1", "t7")])
    got = [(p.table, p.column, p.id) for p in exc.value.problems]
    assert got == [("lock", "official_id", "w9"), ("forbid", "need_id", "t7")]
    assert "locks, row" not in str(exc.value) and "what-if lock" in str(exc.value)


def test_what_if_lock_on_an_excluded_pair_says_which_rule() -> None:
    s = scenario(
        [official("o1", skills="it:1"), official("o2", skills="it:3")],
        [need("n1", min_level=3)],
    )
    base = solve(s)
    change = base.what_if(lock=[("o1", "n1")])
    assert change.plan.status == "infeasible"
    assert change.not_arcs == {("o1", "n1"): [("skill_level", 1.0, 3.0)]}
    assert "skill level too low: level 1 < required 3" in change.text()
    assert "trình độ 1 < yêu cầu 3" in change.text("vi")


def test_what_if_lock_of_another_field_says_so() -> None:
    s = scenario([official("o1", skills="land:2"), official("o2")], [need("n1")])
    change = solve(s).what_if(lock=[("o1", "n1")])
    assert change.not_arcs == {("o1", "n1"): []}
    assert "no skill in the need's field" in change.text()


def test_what_if_lock_over_a_planner_forbid_says_so() -> None:
    s = scenario([official("o1"), official("o2")], [need("n1")], locks=[("o1", "n1", "forbid")])
    base = solve(s)
    assert set(base.assignments["official_id"]) == {"o2"}
    change = base.what_if(lock=[("o1", "n1")])
    assert change.overridden == [("o1", "n1")]
    assert ("o1", "n1") in change.added and change.plan.status == "optimal"
    assert "replaces the planner's forbid" in change.text()
    vi = change.text("vi")
    assert "thay cho việc loại trừ" in vi and "lock" not in vi and "forbid" not in vi


def test_preference_weights_that_would_overflow_are_left_out() -> None:
    # weight = score * (P + 1) + preferred must fit min-cost flow's cost range and
    # CP-SAT's objective sum; past them the tie-break is dropped, never the plan.
    import pandas as pd

    from staffopt.schema.limits import FLOW_COST_LIMIT
    from staffopt.solver import _with_preference

    pairs = [(f"o{i}", f"n{i}") for i in range(3)]
    arcs = pd.DataFrame(
        {
            "official_id": [p[0] for p in pairs],
            "need_id": [p[1] for p in pairs],
            "score": [5, -7, 1],
        }
    )
    weighted, scale = _with_preference(arcs, [pairs[0], pairs[1], ("ox", "nx")])
    assert scale == 3  # two preferred pairs are arcs
    assert weighted["weight"].tolist() == [16, -20, 3]
    huge = arcs.assign(score=[FLOW_COST_LIMIT // 2, 1, 1])
    same, scale = _with_preference(huge, pairs)
    assert scale == 1 and "weight" not in same.columns
    none, scale = _with_preference(arcs, [("ox", "nx")])
    assert scale == 1 and "weight" not in none.columns
