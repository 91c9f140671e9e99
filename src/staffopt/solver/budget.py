"""What a solve may still spend, and whether the user stopped it.

Every decision of the search that depends on time (whether pass 1 still
solves the LP and Lagrangian relaxations, each part's share, the guided
stages' split, when a part falls back on its start plan) asks a
:class:`Budget`, never the clock itself: seconds on the wall clock since
``solve()`` started. A budget also carries the user's stop
(:mod:`staffopt.solver.stop`): once ``user_stop`` is set, no new search
starts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Budget:
    """The allowance of one solve: time left, and whether the user stopped it."""

    limit_s: float
    #: ``time.perf_counter()`` when the solve started.
    started: float = field(default_factory=time.perf_counter)
    #: CP-SAT deterministic time used so far (reported).
    dtime: float = 0.0
    #: The user asked the search to stop (Ctrl-C): no new search starts.
    user_stop: bool = False

    def spent(self) -> float:
        """Seconds spent since the solve started."""
        return time.perf_counter() - self.started

    def spent_share(self) -> float:
        """The share of the limit spent."""
        return self.spent() / self.limit_s

    def left(self, reserve: float = 0.0) -> float:
        """What is left of the limit, keeping ``reserve`` (a share of it) aside."""
        return self.limit_s * (1 - reserve) - self.spent()

    def charge_cpsat(self, dtime: float) -> None:
        """Add a CP-SAT run's deterministic time."""
        self.dtime += dtime
