"""Ctrl-C and deadlines: a stopped search keeps its best plan and says why it stopped.

SIGINT reaches the search through the main thread while CP-SAT runs in a
worker (``staffopt.solver.stop``); a ``KeyboardInterrupt`` anywhere in the
search has the same outcome: a feasible plan with ``stopped_by="user"`` that
passes the checker, parts not yet searched on their start plan. The CLI
writes that plan whole and exits 130.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model
from test_engine import side_by_side

import staffopt.solver.cpsat as cpsat_module
import staffopt.solver.guided as guided_module
import staffopt.solver.parts as parts_module
import staffopt.solver.starts as starts_module
from staffopt import Scenario, check
from staffopt.checker import format_violations
from staffopt.cli import EXIT_INTERRUPTED
from staffopt.io import load_scenario
from staffopt.plan import Plan, load_plan
from staffopt.scenarios.synthetic import synthetic
from staffopt.solver import solve

#: Long enough that no test here ends on its limit: a stop must come from the interrupt.
LONG = 60.0


@pytest.fixture(scope="module")
def part_time() -> Scenario:
    """The Điện Biên-sized province with 30 % part-time needs: not proven within 10 s."""
    return synthetic("province", seed=0, part_time_share=0.3)


def assert_checked(s: Scenario, plan: Plan) -> None:
    violations = check(s, plan)
    assert violations == [], format_violations(violations)


def assert_stopped_by_user(s: Scenario, plan: Plan) -> None:
    assert plan.stopped_by == "user", plan
    assert plan.status == "feasible", plan
    assert plan.objective is not None and plan.bound is not None
    assert plan.bound >= plan.objective
    assert plan.message.startswith("stopped by the user")
    assert "người dùng đã dừng" in plan.summary("vi")
    assert "stopped by the user" in plan.summary("en")
    assert not plan.reproducible
    assert_checked(s, plan)


@pytest.fixture
def sigint_during_cpsat(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Send this process a SIGINT one second into the first CP-SAT run (as Ctrl-C would)."""
    real = cpsat_module.run_interruptibly
    sent: list[float] = []
    timers: list[threading.Timer] = []

    def run(*args: Any) -> Any:
        if not timers:
            timer = threading.Timer(1.0, lambda: (sent.append(time.perf_counter()), _sigint()))
            timers.append(timer)
            timer.start()
        return real(*args)

    monkeypatch.setattr(cpsat_module, "run_interruptibly", run)
    yield sent
    for timer in timers:
        timer.cancel()


def _sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def _solve_uninterrupted(s: Scenario, limit: float = LONG, **options: Any) -> Plan:
    """solve(), failing the test (not the session) if a KeyboardInterrupt escapes it."""
    try:
        return solve(s, options=s.options.with_changes(time_limit_s=limit, **options))
    except KeyboardInterrupt:  # pragma: no cover - what the tests guard against
        pytest.fail("KeyboardInterrupt escaped solve()")


# -- in process ---------------------------------------------------------------------


def test_sigint_during_cpsat_stops_the_search_and_keeps_its_best_plan(
    part_time: Scenario, sigint_during_cpsat: list[float]
) -> None:
    t0 = time.perf_counter()
    plan = _solve_uninterrupted(part_time)
    assert sigint_during_cpsat, "the interrupt was never sent"
    # Stopped within a second of the signal, not at the 60 s limit.
    assert time.perf_counter() - sigint_during_cpsat[0] < 5.0
    assert time.perf_counter() - t0 < 20.0
    assert_stopped_by_user(part_time, plan)
    # The search ran and its plan beats the start plan (flow/greedy: 23,937).
    assert plan.objective is not None and plan.objective > 23937


def test_ctrl_c_still_works_after_a_cpsat_solve_reset_sigint(
    part_time: Scenario, sigint_during_cpsat: list[float]
) -> None:
    """A bare CP-SAT solve (its SIGINT handler on, the default) leaves SIGINT at the
    system default: without staffopt putting Python's handler back, the signal would
    kill this process."""
    model = cp_model.CpModel()
    model.new_bool_var("x")
    cp_model.CpSolver().solve(model)
    plan = _solve_uninterrupted(part_time)
    assert sigint_during_cpsat
    assert_stopped_by_user(part_time, plan)


def test_deterministic_mode_stops_the_same_way(
    part_time: Scenario, sigint_during_cpsat: list[float]
) -> None:
    plan = _solve_uninterrupted(part_time, deterministic=True)
    assert sigint_during_cpsat
    assert_stopped_by_user(part_time, plan)
    assert plan.solver.deterministic


def _raise_interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (starts_module, "solve_lp"),  # pass 1: the LP relaxation
        (cpsat_module, "build_model"),  # pass 2, building the first CP-SAT model
        (guided_module, "fixable_arcs"),  # pass 2, between the guided stages
    ],
)
def test_keyboard_interrupt_anywhere_in_the_search_gives_a_plan(
    part_time: Scenario, monkeypatch: pytest.MonkeyPatch, module: Any, name: str
) -> None:
    monkeypatch.setattr(module, name, _raise_interrupt)
    # A short limit: the support stage before the interrupt takes 70 % of it.
    plan = _solve_uninterrupted(part_time, limit=4.0)
    assert_stopped_by_user(part_time, plan)
    if name == "fixable_arcs":
        # Stopped after the support stage: its plan stands, not the start plan.
        assert plan.solver.guided[0]["support_best"] == plan.objective > 23937
    else:
        # Stopped before any search: the start plan (flow/greedy) stands.
        assert plan.objective == 23937
        assert plan.solver.hint_fallback_parts == (name == "solve_lp")


def test_parts_not_yet_searched_keep_their_start_plan(
    part_time: Scenario, monkeypatch: pytest.MonkeyPatch, sigint_during_cpsat: list[float]
) -> None:
    s = side_by_side([part_time, part_time])
    monkeypatch.setattr(parts_module, "BATCH_ARCS", 1)  # one part per province
    plan = _solve_uninterrupted(s)
    assert plan.solver.parts == 2
    assert plan.solver.hint_fallback_parts == 1  # the part after the interrupted one
    assert_stopped_by_user(s, plan)


def test_a_start_plan_that_may_break_a_hard_rule_is_no_plan(
    part_time: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With mandatory needs the start plan proves nothing: stopped before any search, no plan."""
    needs = tuple(
        n.model_copy(update={"mandatory": True}) if i < 3 else n
        for i, n in enumerate(part_time.needs)
    )
    s = part_time.model_copy(update={"needs": needs})
    monkeypatch.setattr(starts_module, "solve_lp", _raise_interrupt)
    plan = _solve_uninterrupted(s)
    assert plan.status == "unknown" and plan.stopped_by == "user"
    assert plan.message == "stopped by the user before any plan was found"
    assert len(plan.assignments) == 0


def test_a_gap_stop_says_so(part_time: Scenario) -> None:
    plan = solve(part_time, options=part_time.options.with_changes(relative_gap=0.02))
    assert plan.stopped_by == "gap" and plan.status == "feasible"
    assert plan.gap is not None and 0 < plan.gap <= 0.02
    assert "time limit" not in plan.message and "2.00%" in plan.message
    assert "time limit" not in plan.summary("en")
    assert_checked(part_time, plan)


def test_a_proven_plan_was_stopped_by_optimality(part_time: Scenario) -> None:
    s = synthetic("province", seed=1, part_time_share=0.3)  # proven in about a second
    plan = solve(s, options=s.options.with_changes(time_limit_s=LONG))
    assert plan.status == "optimal" and plan.stopped_by == "optimal" and plan.message == ""
    network = synthetic("province", seed=0)
    flow = solve(network)
    assert flow.solver.engine == "flow" and flow.stopped_by == "optimal"


def test_the_time_limit_stops_the_search(part_time: Scenario) -> None:
    plan = solve(part_time, options=part_time.options.with_changes(time_limit_s=2.0))
    assert plan.stopped_by == "time_limit" and plan.status == "feasible"
    assert plan.message == "time limit of 2 s reached before optimality was proven"
    assert_checked(part_time, plan)


def test_stopped_by_is_saved_and_read_back(part_time: Scenario, tmp_path: Path) -> None:
    plan = solve(part_time, options=part_time.options.with_changes(time_limit_s=2.0))
    plan.save(tmp_path / "plan")
    meta = json.loads((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))
    assert meta["stopped_by"] == "time_limit" and meta["reproducible"] is False
    assert load_plan(tmp_path / "plan").stopped_by == "time_limit"
    # A plan.json written before stopped_by existed still loads.
    del meta["stopped_by"], meta["reproducible"]
    (tmp_path / "plan" / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    old = load_plan(tmp_path / "plan", scenario=part_time)
    assert old.stopped_by is None
    assert "time limit of 2 s" in old.summary()  # its stored message stands
    meta["stopped_by"] = "boredom"
    (tmp_path / "plan" / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(Exception, match="stopped_by"):
        load_plan(tmp_path / "plan")


# -- the CLI in a subprocess ----------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen") / "province-pt"
    cmd = [sys.executable, "-m", "staffopt.cli", "generate", str(folder)]
    cmd += ["--scale", "province", "--part-time-share", "0.3"]
    subprocess.run(cmd, check=True, capture_output=True)
    return folder


def _solve_then_sigint(
    scenario: Path, out: Path, lang: str, after: float = 5.0
) -> tuple[int, str, str, float]:
    cmd = [sys.executable, "-m", "staffopt.cli", "solve", str(scenario), "--out", str(out)]
    cmd += ["--time-limit", str(LONG), "--lang", lang]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    assert proc.poll() is None, "the solve ended before the interrupt"
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=LONG)
    return proc.returncode, stdout, stderr, time.perf_counter() - sent


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "stopped by the user"), ("vi", "người dùng đã dừng")]
)
def test_sigint_to_staffopt_solve_writes_the_plan_whole_and_exits_130(
    generated: Path, tmp_path: Path, lang: str, words: str
) -> None:
    out = tmp_path / "plan"
    code, stdout, stderr, took = _solve_then_sigint(generated, out, lang)
    assert code == EXIT_INTERRUPTED, (stdout, stderr)
    assert took < 10.0  # the interrupt stopped it, not the 60 s limit
    assert "Traceback" not in stderr
    assert words in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "assignments.csv",
        "plan.json",
        "report.txt",
        "unmet.csv",
    ]
    meta = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert meta["stopped_by"] == "user"
    assert meta["status"] in ("feasible", "optimal")
    assert meta["solver"]["deterministic"] is True  # the CLI's default
    scenario = load_scenario(generated)
    plan = load_plan(out, scenario=scenario)
    assert len(plan.assignments) > 0
    assert_checked(scenario, plan)
