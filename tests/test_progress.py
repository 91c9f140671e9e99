"""Progress while solving: typed events in order, ending with the final bound; the CLI's display.

In process: ``solve(..., progress=fn)`` on the Điện Biên example, a part-time
province stopped by its time limit and a pure network (min-cost flow); the
events' stages never go back, elapsed time never decreases, every bound
shown is a valid bound of the final plan and every incumbent a plan no better
than it; the last event is ``done`` with the plan's objective and bound; a
reproducible solve gives the same plan with or without a callback.
In a subprocess: no progress output on a pipe or with ``--quiet``, a live line
on a terminal (a pseudo-terminal), and Ctrl-C under the display exits 130
with the plan written.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import TEST_OPTIONS, cost_scenario

from staffopt import Scenario, check
from staffopt.cli import EXIT_INTERRUPTED, EXIT_OK
from staffopt.plan import Plan
from staffopt.progress_view import progress_line
from staffopt.scenarios.dien_bien import dien_bien
from staffopt.scenarios.synthetic import synthetic
from staffopt.solver import Progress, solve
from staffopt.solver.progress import STAGES
from staffopt.texts import text


def _solve_with_events(s: Scenario, **options: object) -> tuple[Plan, list[Progress]]:
    events: list[Progress] = []
    threads: set[threading.Thread] = set()

    def listen(event: Progress) -> None:
        threads.add(threading.current_thread())
        events.append(event)

    plan = solve(s, options=TEST_OPTIONS.with_changes(**options), progress=listen)
    assert check(s, plan) == []
    # Always in the thread that called solve, never in one of CP-SAT's.
    assert threads == {threading.current_thread()}
    return plan, events


def _assert_in_order_and_honest(plan: Plan, events: list[Progress]) -> None:
    stages = [STAGES.index(e.stage) for e in events]
    assert stages == sorted(stages), [e.stage for e in events]
    assert events[0].stage == "candidates" and [e.stage for e in events].count("done") == 1
    elapsed = [e.elapsed_s for e in events]
    assert elapsed == sorted(elapsed)
    last = events[-1]
    assert last.stage == "done"
    assert (last.incumbent, last.bound, last.gap) == (plan.objective, plan.bound, plan.gap)
    assert last.parts_done == last.parts_total == max(1, plan.solver.parts)
    assert plan.objective is not None and plan.bound is not None
    for e in events:
        assert 0 <= e.parts_done <= e.parts_total
        assert e.limit_s == plan.solver.time_limit_s or plan.solver.engine == "flow"
        # A bound is a bound (of the optimum, so of this plan); an incumbent is a plan.
        if e.bound is not None:
            assert e.bound >= plan.objective, e
        if e.incumbent is not None:
            assert e.incumbent <= plan.bound, e


def test_events_of_a_proven_plan() -> None:
    plan, events = _solve_with_events(dien_bien())
    assert plan.status == "optimal"
    _assert_in_order_and_honest(plan, events)
    assert {e.stage for e in events} == set(STAGES)


def test_events_of_a_search_stopped_by_its_time_limit() -> None:
    s = synthetic("province", seed=0, part_time_share=0.3)
    plan, events = _solve_with_events(s, time_limit_s=3.0)
    assert plan.status == "feasible" and plan.stopped_by == "time_limit"
    _assert_in_order_and_honest(plan, events)
    searching = [e for e in events if e.stage == "search" and e.incumbent is not None]
    assert len(searching) >= 2  # CP-SAT's better plans arrive while it searches


def test_events_of_a_pure_network() -> None:
    s = cost_scenario([[3, 1, 4], [1, 5, 9], [2, 6, 5]], mandatory=False)
    plan, events = _solve_with_events(s)
    assert plan.solver.engine == "flow"
    assert [e.stage for e in events] == ["candidates", "parts", "done"]
    _assert_in_order_and_honest(plan, events)


def test_reproducible_mode_gives_the_same_plan_with_a_callback() -> None:
    s = synthetic("province", seed=0, part_time_share=0.3)
    options = TEST_OPTIONS.with_changes(time_limit_s=2.0, deterministic=True, workers=1)
    quiet = solve(s, options=options)
    events: list[Progress] = []
    heard = solve(s, options=options, progress=events.append)
    assert events and events[-1].stage == "done"
    assert (heard.objective, heard.bound) == (quiet.objective, quiet.bound)
    assert heard.solver.deterministic_time == quiet.solver.deterministic_time
    pairs = ["official_id", "need_id"]
    assert heard.assignments[pairs].equals(quiet.assignments[pairs])


def test_progress_line_in_both_languages() -> None:
    event = Progress("search", 2, 5, 1234.0, 1300.0, 0.0508, 3.25, 60.0)
    assert progress_line(event) == (
        "searching: parts 2/5, plan 1,234, bound 1,300, gap 5.08%, 3.2 of 60 s"
    )
    vi = progress_line(event, "vi")
    assert vi.startswith(text("progress.search", "vi")) and "giây" in vi
    empty = Progress("parts", 0, 3, None, None, None, 0.5, 10.0)
    assert "plan -, bound -, gap -" in progress_line(empty)


# -- the command in a subprocess ----------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ex") / "dien_bien"
    cmd = [sys.executable, "-m", "staffopt.cli", "example", "dien-bien", str(folder)]
    subprocess.run(cmd, check=True, capture_output=True)
    return folder


def _solve_cmd(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "staffopt.cli", "solve", str(scenario), "--out", str(out), *extra]


def _on_terminal(cmd: list[str], sigint_after: float | None = None) -> tuple[int, str]:
    """Run ``cmd`` with its stdout on a pseudo-terminal; its exit code and what it printed."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks: list[bytes] = []
    started = time.monotonic()
    sent = False
    while True:
        if sigint_after is not None and not sent and time.monotonic() - started > sigint_after:
            assert proc.poll() is None, "the solve ended before the interrupt"
            proc.send_signal(signal.SIGINT)
            sent = True
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the other side closed (Linux reports EIO)
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=120)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    os.close(master)
    assert "Traceback" not in err, err
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_no_progress_on_a_pipe(example: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        _solve_cmd(example, tmp_path / "plan"), capture_output=True, text=True, check=False
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert text("progress.search", "en") not in done.stdout
    assert "\x1b[" not in done.stdout  # no terminal control codes either


def test_progress_on_a_terminal_and_not_with_quiet(example: Path, tmp_path: Path) -> None:
    code, shown = _on_terminal(_solve_cmd(example, tmp_path / "a", "--lang", "vi"))
    assert code == EXIT_OK
    assert text("progress.search", "vi") in shown and "phần 1/1" in shown
    assert text("cli.plan_written", "vi", path=tmp_path / "a") in shown
    code, shown = _on_terminal(_solve_cmd(example, tmp_path / "b", "--quiet"))
    assert code == EXIT_OK
    assert text("progress.search", "en") not in shown
    assert text("cli.plan_written", "en", path=tmp_path / "b") in shown


def test_ctrl_c_under_the_display_keeps_the_best_plan(tmp_path: Path) -> None:
    scenario = tmp_path / "province-pt"
    cmd = [sys.executable, "-m", "staffopt.cli", "generate", str(scenario)]
    subprocess.run([*cmd, "--part-time-share", "0.3"], check=True, capture_output=True)
    out = tmp_path / "plan"
    code, shown = _on_terminal(_solve_cmd(scenario, out, "--time-limit", "60"), sigint_after=5.0)
    assert code == EXIT_INTERRUPTED
    assert text("progress.search", "en") in shown
    assert "stopped by the user" in shown
    meta = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert meta["stopped_by"] == "user"
