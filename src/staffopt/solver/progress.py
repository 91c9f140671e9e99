"""Progress of a solve, as typed events for a callback (``solve(..., progress=fn)``).

A :class:`Progress` event says the stage (``candidates``, ``parts``,
``bound``, ``search``, ``done``), how many parts are done of how many, the
plan's total score so far (``incumbent``), a valid upper bound on it, their
gap (:func:`staffopt.results.relative_gap`), and the seconds elapsed of the
limit. Events come in that stage order and the last one (``done``) carries
the plan's final objective and bound.

The :class:`Tracker` keeps one incumbent and one bound per part (in score
units) and sends an event when they change; the totals are sums over the
parts, ``None`` until every part has one. Without a callback every method
returns at once, so a solve without progress pays nothing measurable.

CP-SAT reports improving solutions and bounds from its own threads
(:class:`SearchWatch`, a ``CpSolverSolutionCallback`` and a
``best_bound_callback``): they only store numbers under a lock, and the
main thread sends the events while it waits for the run
(:func:`staffopt.solver.stop.run_interruptibly`), so the user's callback
always runs in the thread that called ``solve``, events stay in order, and
the search itself is untouched (reading a solution does not steer CP-SAT, so
reproducible mode gives the same plan with or without a callback:
``tests/test_progress.py``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from staffopt.results import relative_gap

Stage = Literal["candidates", "parts", "bound", "search", "done"]
#: The stages in the order their events arrive.
STAGES: tuple[Stage, ...] = ("candidates", "parts", "bound", "search", "done")


@dataclass(frozen=True)
class Progress:
    """One progress event of a solve.

    ``parts_done`` counts, in stage ``bound``, the parts whose start plan and
    bounds are known (pass 1); in ``search`` and ``done``, the parts whose
    search is over. ``incumbent`` and ``bound`` are total scores (``None``
    while some part has none); ``elapsed_s`` counts from the start of
    ``solve``; ``limit_s`` is the time limit (reproducible mode: the work
    limit, in seconds-equivalents).
    """

    stage: Stage
    parts_done: int
    parts_total: int
    incumbent: float | None
    bound: float | None
    gap: float | None
    elapsed_s: float
    limit_s: float


ProgressFn = Callable[[Progress], None]


class Tracker:
    """The state a solve reports: stage, parts, per-part incumbents and bounds."""

    def __init__(self, fn: ProgressFn | None, started: float, limit_s: float):
        self.fn = fn
        self.started = started
        self.limit_s = limit_s
        self.stage: Stage = "candidates"
        self.parts_done = 0
        self.incumbents: list[float | None] = []
        self.bounds: list[float | None] = []
        self._last: tuple[object, ...] | None = None
        self._final: tuple[float | None, float | None] | None = None

    @property
    def active(self) -> bool:
        return self.fn is not None

    def totals(self) -> tuple[float | None, float | None]:
        """The sums of the parts' incumbents and bounds (None while one is missing);
        once finished, the plan's objective and bound."""
        if self._final is not None:
            return self._final
        if not self.incumbents:
            return None, None
        inc = None if None in self.incumbents else sum(x for x in self.incumbents if x is not None)
        bnd = None if None in self.bounds else sum(x for x in self.bounds if x is not None)
        return inc, bnd

    def emit(self, stage: Stage | None = None) -> None:
        """Send an event (the stage moves forward only) unless nothing changed."""
        if self.fn is None:
            return
        if stage is not None and STAGES.index(stage) >= STAGES.index(self.stage):
            self.stage = stage
        inc, bnd = self.totals()
        key = (self.stage, self.parts_done, len(self.incumbents), inc, bnd)
        if key == self._last:
            return
        self._last = key
        self.fn(
            Progress(
                stage=self.stage,
                parts_done=self.parts_done,
                parts_total=len(self.incumbents),
                incumbent=inc,
                bound=bnd,
                gap=relative_gap(inc, bnd),
                elapsed_s=time.perf_counter() - self.started,
                limit_s=self.limit_s,
            )
        )

    def start_parts(self, count: int) -> None:
        """The scenario splits into ``count`` independent parts."""
        self.incumbents = [None] * count
        self.bounds = [None] * count
        self.parts_done = 0
        self.emit("parts")

    def set_part(
        self, k: int, incumbent: float | None, bound: float | None, *, done: bool = False
    ) -> None:
        """Part ``k``'s best plan and bound so far (a better incumbent, a lower bound)."""
        if self.fn is None or k >= len(self.incumbents):
            return
        old = self.incumbents[k]
        if incumbent is not None and (old is None or incumbent > old):
            self.incumbents[k] = incumbent
        old_bound = self.bounds[k]
        if bound is not None and (old_bound is None or bound < old_bound):
            self.bounds[k] = bound
        if done:
            self.parts_done += 1

    def finish(self, objective: float | None, bound: float | None) -> None:
        """The last event: the plan's objective and final bound."""
        if self.fn is None:
            return
        self._final = (objective, bound)
        self.parts_done = len(self.incumbents)
        self.emit("done")


class SearchWatch(cp_model.CpSolverSolutionCallback):
    """What one CP-SAT run has found so far, for the tracker: best objective and bound.

    Called from CP-SAT's threads; it only stores the numbers (in the run's
    weighted units) for :meth:`publish`, which the main thread calls.
    """

    def __init__(self, tracker: Tracker, part: int, scale: int, bound_valid: bool):
        super().__init__()
        self.tracker = tracker
        self.part = part
        self.scale = scale
        self.bound_valid = bound_valid
        self._lock = threading.Lock()
        self._objective: float | None = None
        self._bound: float | None = None

    def on_solution_callback(self) -> None:
        value = float(self.objective_value)
        with self._lock:
            if self._objective is None or value > self._objective:
                self._objective = value

    def on_bound(self, value: float) -> None:
        """CP-SAT's ``best_bound_callback``."""
        with self._lock:
            if self._bound is None or value < self._bound:
                self._bound = value

    def attach(self, solver: cp_model.CpSolver) -> None:
        if self.bound_valid:
            solver.best_bound_callback = self.on_bound

    def publish(self) -> None:
        """Pass the run's best plan and bound (as total scores of the part) to the tracker."""
        with self._lock:
            objective, bound = self._objective, self._bound
        # Weights are score * scale + preferred (solve's prefer): floor gives the score.
        inc = None if objective is None else float(math.floor(objective / self.scale + 1e-9))
        bnd = None
        if bound is not None and math.isfinite(bound):
            bnd = float(math.floor(bound / self.scale + 1e-9))
            if inc is not None:
                bnd = max(bnd, inc)
        self.tracker.set_part(self.part, inc, bnd)
        self.tracker.emit()


#: The tracker and part of the CP-SAT run about to start (set by the search,
#: read by :func:`staffopt.solver.cpsat.run_cpsat`): a context variable keeps
#: the guided stages' signatures free of a parameter only progress needs.
CURRENT: ContextVar[tuple[Tracker, int, int] | None] = ContextVar("staffopt_progress", default=None)


def watch_for(bound_valid: bool) -> SearchWatch | None:
    """A watch for the run about to start, or None when nobody listens."""
    current = CURRENT.get()
    if current is None or not current[0].active:
        return None
    tracker, part, scale = current
    return SearchWatch(tracker, part, scale, bound_valid)
