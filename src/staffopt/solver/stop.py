"""Ctrl-C stops the search, not the program: CP-SAT runs that the main thread can interrupt.

Python runs a signal handler only in the main thread, between bytecodes: while
the main thread sits inside a C++ solve, SIGINT waits. CP-SAT's own handler
(``catch_sigint_signal``, on by default) is no better here: it stops only the
solve that is running (the next part's search goes on, so one Ctrl-C looks
ignored), Python never hears of it, and when that solve ends it resets SIGINT
to the system default, so a later Ctrl-C kills the process before any plan
is written. So staffopt turns CP-SAT's handler off (:mod:`.cpsat`), puts
Python's handler back in case an earlier CP-SAT solve (anyone's, with the
default parameters) left SIGINT at the system default, and runs
each CP-SAT solve in a worker thread (CP-SAT releases the GIL) while the main
thread waits on an event with a short timeout: Python's own handler then
raises ``KeyboardInterrupt`` in the main thread within :data:`POLL_S`, and
:func:`run_interruptibly` turns it into ``stop_search`` (repeated until CP-SAT
acknowledges it: a stop sent before its search starts is ignored), waits for
the solve to return its best solution and bound, and records the stop in the
:class:`~staffopt.solver.budget.Budget`. The search then starts nothing new:
parts not yet searched keep their start plan where it is feasible.

A ``KeyboardInterrupt`` raised anywhere else in the search (pass 1's LP, a
guided stage's Python code) is caught by the search loop around each part
(:func:`staffopt.solver.search.solve_parts`) with the same outcome. A
second Ctrl-C while the stop is acknowledged is absorbed (that takes well
under a second); anywhere else after the first it propagates, abandoning
the plan.
"""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from staffopt.solver.budget import Budget

if TYPE_CHECKING:
    from staffopt.solver.progress import SearchWatch

#: How often the main thread wakes up to let Python's signal handler run (s).
POLL_S = 0.05


def run_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    budget: Budget,
    watch: SearchWatch | None = None,
) -> Any:
    """``solver.solve(model)``, stopped early (best solution kept) by Ctrl-C.

    Outside the main thread (where no ``KeyboardInterrupt`` can arrive) this
    is a plain ``solve``. A Ctrl-C during the run sets ``budget.user_stop``.
    A ``watch`` (progress, :mod:`staffopt.solver.progress`) hears of every
    improving solution; the waiting main thread publishes what it heard.
    """
    if threading.current_thread() is not threading.main_thread():
        code = solver.solve(model, watch)
        if watch is not None:
            watch.publish()
        return code
    _reinstall_python_sigint()
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["code"] = solver.solve(model, watch)
        except BaseException as exc:  # re-raised in the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    # A daemon thread: a hard exit (second Ctrl-C elsewhere) does not wait for it.
    threading.Thread(target=run, name="staffopt-cpsat", daemon=True).start()
    try:
        while not done.wait(POLL_S):
            if watch is not None:
                watch.publish()
    except KeyboardInterrupt:
        budget.user_stop = True
        _stop_and_wait(solver, done)
    if watch is not None:
        watch.publish()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"]


def _reinstall_python_sigint() -> None:
    """Install Python's SIGINT handler again at the system level.

    A CP-SAT solve with ``catch_sigint_signal`` on (its default) resets SIGINT
    to the system default when it ends, while Python still believes its own
    handler is in place: a Ctrl-C would then kill the process. Installing the
    handler Python reports (whatever it is, the user's own included) undoes
    that and changes nothing otherwise.
    """
    handler = signal.getsignal(signal.SIGINT)
    if handler is not None:
        signal.signal(signal.SIGINT, handler)


def _stop_and_wait(solver: cp_model.CpSolver, done: threading.Event) -> None:
    """Ask CP-SAT to stop until it returns; more Ctrl-C meanwhile change nothing."""
    while not done.is_set():
        try:
            solver.stop_search()
            done.wait(POLL_S)
        except KeyboardInterrupt:
            continue
