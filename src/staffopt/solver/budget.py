"""What a solve may still spend, measured by the wall clock (fast) or by work (reproducible).

Every decision of the search that depends on time (whether pass 1 still
solves the LP and Lagrangian relaxations, each part's share, the guided
stages' split, when a part falls back on its start plan) asks a
:class:`Budget`, never the clock itself:

* **fast** (``SolveOptions.deterministic`` False): seconds on the wall clock
  since ``solve()`` started; CP-SAT runs get ``max_time_in_seconds``.
* **reproducible** (``deterministic`` True): *work*, in seconds-equivalents
  of the reference machine, which depends on the input only. CP-SAT runs get
  ``max_deterministic_time`` = their share x :data:`DTIME_PER_SECOND` and are
  charged the deterministic time they report; the steps outside CP-SAT are
  charged by a cost model of their size (:data:`CANDIDATES_S_PER_PAIR` ...).
  So the same input, seed and core count take the same decisions on any
  machine, fast or slow. The wall clock stays only as a safety net at
  :data:`WALL_SAFETY` times the limit: a step it cuts short sets
  ``wall_clock_stop`` and the plan says it may not be reproducible.

A budget also carries the user's stop (:mod:`staffopt.solver.stop`): once
``user_stop`` is set, no new search starts.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from staffopt.results import SolverFacts

#: CP-SAT deterministic time per second of search on the reference machine (2
#: cores, the reproducible mode's one max_lp worker, 30 % part-time provinces):
#: 0.36-0.41 in the first seconds of a run and on the province's 1k-3k-arc
#: models, 0.14 over 100 s on the large province's 111k-arc model, where the
#: LP dominates. A time limit of S seconds becomes S x 0.15 units in all
#: (less what the other steps are charged): long runs on large models end
#: near or before their limit (the large province: 41-48 s of 60), short runs
#: and small models sooner; a slower or busier machine takes longer for the
#: same units (up to the safety net).
DTIME_PER_SECOND = 0.15
#: Reproducible mode: seconds-equivalents charged for the steps outside CP-SAT,
#: by size (measured on the reference machine: the nation's 2.19M pairs take
#: 2.7 s of candidates; per arc of a part, its start plan 1.1e-6 s, its LP
#: 8e-6 to 1.1e-5 s, its Lagrangian 2.3e-6 to 8e-6 s, a CP-SAT model 2.3e-6 s
#: to build). Rounded up: a step never costs less than it takes there.
CANDIDATES_S_PER_PAIR = 1.3e-6
START_S_PER_ARC = 1.2e-6
LP_S_PER_ARC = 1.1e-5
LAGRANGIAN_S_PER_ARC = 8e-6
BUILD_S_PER_ARC = 2.5e-6
#: Reproducible mode: the wall clock stops a step only past this multiple of
#: the time limit (a machine up to this much slower than the reference one
#: still gives the same plan).
WALL_SAFETY = 2.0


@dataclass
class Budget:
    """The allowance of one solve: time or work left, and whether the user stopped it."""

    limit_s: float
    deterministic: bool = False
    #: ``time.perf_counter()`` when the solve started.
    started: float = field(default_factory=time.perf_counter)
    #: Reproducible mode: work charged so far (seconds-equivalents).
    work_s: float = 0.0
    #: CP-SAT deterministic time used so far (both modes; reported).
    dtime: float = 0.0
    #: Reproducible mode: the wall-clock safety net stopped a step.
    wall_clock_stop: bool = False
    #: The user asked the search to stop (Ctrl-C): no new search starts.
    user_stop: bool = False

    def spent(self) -> float:
        """Seconds spent (fast) or seconds-equivalents of work charged (reproducible)."""
        if self.deterministic:
            return self.work_s
        return time.perf_counter() - self.started

    def spent_share(self) -> float:
        """The share of the limit spent."""
        return self.spent() / self.limit_s

    def left(self, reserve: float = 0.0) -> float:
        """What is left of the limit, keeping ``reserve`` (a share of it) aside."""
        return self.limit_s * (1 - reserve) - self.spent()

    def charge(self, seconds: float) -> None:
        """Reproducible mode: add a step's modelled cost (fast mode: the clock counts)."""
        if self.deterministic:
            self.work_s += seconds

    def charge_cpsat(self, dtime: float, build_arcs: int) -> None:
        """Add a CP-SAT run: its deterministic time and the build of its model."""
        self.dtime += dtime
        self.charge(dtime / DTIME_PER_SECOND + build_arcs * BUILD_S_PER_ARC)

    def wall_left(self) -> float:
        """Seconds a step may still take on the wall clock (fast: the limit; reproducible:
        the safety net)."""
        factor = WALL_SAFETY if self.deterministic else 1.0
        return max(0.0, self.started + self.limit_s * factor - time.perf_counter())

    def safety_net(self) -> float:
        """Reproducible mode: where the wall-clock safety net stops a step (s from the start)."""
        return self.limit_s * WALL_SAFETY if self.deterministic else self.limit_s

    def cut_by_wall_clock(self, seconds: float, allowed: float) -> None:
        """Record that a step of ``seconds`` met a wall-clock limit of ``allowed`` seconds
        (reproducible mode only; a fast run's limit is the wall clock anyway)."""
        if self.deterministic and math.isfinite(allowed) and seconds >= 0.98 * allowed:
            self.wall_clock_stop = True

    def report(self, facts: SolverFacts) -> None:
        """Copy what the budget knows into the solve's facts."""
        facts.deterministic = self.deterministic
        facts.deterministic_time = round(self.dtime, 4)
        facts.work_s = round(self.work_s, 4)
        facts.wall_clock_stop = self.wall_clock_stop
        facts.safety_net_s = self.safety_net() if self.deterministic else None
