"""Reproducible mode: the same input and seed give the same plan, whatever the wall clock says.

``SolveOptions.deterministic`` turns the time limit into deterministic work
(``staffopt.solver.budget``): the plan may not depend on how fast the
machine is or how busy. Two processes solving at the same time (sharing
the cores, so their wall clocks run differently) must agree exactly, and so
must two solves in one process under clocks that run at different speeds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

import staffopt.solver.budget as budget_module
from staffopt import Scenario, check
from staffopt.checker import format_violations
from staffopt.plan import Plan
from staffopt.scenarios.synthetic import synthetic
from staffopt.solver import solve
from staffopt.solver.cpsat import available_cores

#: Short enough for a test, long enough that the work limit (not a proof) ends the search.
LIMIT = 4.0

#: The wall-clock safety net, raised for these tests: they are about the work
#: limit, and a busy test machine (CI neighbours, other tests) must not trip the
#: net (its own test below sets it low on purpose).
SAFETY = 20.0

CHILD = (
    (f"import staffopt.solver.budget\nstaffopt.solver.budget.WALL_SAFETY = {SAFETY}\n")
    + """
import json, sys
from staffopt import check
from staffopt.scenarios.synthetic import synthetic
from staffopt.solver import solve
from staffopt.solver.cpsat import available_cores
s = synthetic("province", seed=0, part_time_share=0.3)
plan = solve(s, options=s.options.with_changes(time_limit_s=float(sys.argv[1]), deterministic=True))
print(json.dumps({
    "pairs": sorted(zip(plan.assignments["official_id"], plan.assignments["need_id"])),
    "objective": plan.objective,
    "bound": plan.bound,
    "status": plan.status,
    "stopped_by": plan.stopped_by,
    "reproducible": plan.reproducible,
    "dtime": plan.solver.deterministic_time,
    "violations": len(check(s, plan)),
}))
"""
)


@pytest.fixture(autouse=True)
def generous_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget_module, "WALL_SAFETY", SAFETY)


@pytest.fixture(scope="module")
def part_time() -> Scenario:
    return synthetic("province", seed=0, part_time_share=0.3)


def _pairs(plan: Plan) -> list[tuple[str, str]]:
    return sorted(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))


def test_two_processes_give_the_same_plan() -> None:
    # Started together: they share the two cores, so their wall clocks disagree.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(LIMIT)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    runs = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    first, second = runs
    assert first["violations"] == 0
    # The work limit ended the search: a run that proved optimality would show less.
    assert first["stopped_by"] == "time_limit" and first["status"] == "feasible"
    assert first["reproducible"] is True
    assert len(first["pairs"]) > 100
    assert first == second


@pytest.fixture
def clock_speed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Make Python's wall clock (``time.perf_counter``) run at ``speed[0]`` times real time."""
    real = time.perf_counter
    origin = real()
    speed = [1.0]
    monkeypatch.setattr(
        budget_module.time, "perf_counter", lambda: origin + (real() - origin) * speed[0]
    )
    yield speed


def test_the_plan_does_not_depend_on_the_wall_clock(
    part_time: Scenario, clock_speed: list[float]
) -> None:
    options = part_time.options.with_changes(time_limit_s=LIMIT, deterministic=True)
    plans = []
    for speed in (1.0, 1.6):  # a machine as fast as this one, and one that seems slower
        clock_speed[0] = speed
        plans.append(solve(part_time, options=options))
    normal, slow = plans
    assert _pairs(normal) == _pairs(slow)
    assert (normal.objective, normal.bound) == (slow.objective, slow.bound)
    assert normal.solver.deterministic_time == slow.solver.deterministic_time
    assert normal.reproducible and slow.reproducible
    assert normal.message.startswith("work limit of the reproducible mode")
    assert check(part_time, normal) == []


def test_the_wall_clock_safety_net_says_the_plan_may_not_be_reproducible(
    part_time: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget_module, "WALL_SAFETY", 0.01)  # the net at 0.1 s of 10 s
    options = part_time.options.with_changes(time_limit_s=10.0, deterministic=True)
    plan = solve(part_time, options=options)
    assert plan.solver.wall_clock_stop and not plan.reproducible
    assert plan.status == "feasible"  # the start plan stands
    assert "wall-clock safety limit of 0.1 s" in plan.message
    assert "đồng hồ" in plan.summary("vi")
    violations = check(part_time, plan)
    assert violations == [], format_violations(violations)


def test_fast_mode_is_the_python_default(part_time: Scenario) -> None:
    plan = solve(part_time, time_limit_s=1.0)
    assert not plan.solver.deterministic and not plan.reproducible
    assert plan.solver.workers == available_cores()  # reproducible mode: one worker
