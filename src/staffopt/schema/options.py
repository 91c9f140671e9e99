"""How a solve runs: engine, time limit, gap, reproducibility, workers, seed, LP guide,
subsolvers, log.

These are machine settings, not planning decisions (those are
:class:`~staffopt.schema.policy.Policy`): the same policy solved with two
workers or eight is the same plan request. They go to
``staffopt.solve(scenario, options=...)`` and to the ``staffopt solve`` flags;
a scenario may carry defaults (``options.json`` in a CSV folder, an ``options``
sheet in a workbook, an ``"options"`` key in JSON), which those override.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from staffopt.schema.limits import MAX_SEED, MAX_TIME_LIMIT_S, MAX_WORKERS

Engine = Literal["auto", "cpsat", "flow"]


class SolveOptions(BaseModel):
    """Settings of one solver run, with documented defaults."""

    # allow_inf_nan=False: NaN and infinities are refused in every float field.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    engine: Engine = Field(
        "auto", description="auto: min-cost flow when the model is a pure network, else CP-SAT."
    )
    time_limit_s: float = Field(
        60.0,
        gt=0,
        le=MAX_TIME_LIMIT_S,
        description="Time limit in seconds for one solve, candidate generation included.",
    )
    relative_gap: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="Stop once the plan is within this fraction of the bound (0 = prove "
        "optimality or use the whole time limit).",
    )
    deterministic: bool = Field(
        False,
        description="Reproducible mode: the same plan for the same input, seed and core "
        "count. The time limit becomes a limit on deterministic work (CP-SAT's "
        "deterministic time, a cost model by size for the other steps); CP-SAT searches "
        "with one worker (several, interleaved, if workers is set); the wall clock only "
        "stops a run at twice the limit, and a plan it stopped says it may not be "
        "reproducible. Off (fast) by default in Python; 'staffopt solve' turns it on "
        "unless --fast.",
    )
    lp_guide: bool = Field(
        True,
        description="On large side-constrained parts, solve the LP relaxation first: a bound "
        "that is always known, a first search near the LP's support, then a proof over only "
        "the arcs that could still improve the plan (reduced-cost fixing).",
    )
    workers: int = Field(0, ge=0, le=MAX_WORKERS, description="CP-SAT workers; 0 = one per core.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="CP-SAT random seed (32 bits).")
    subsolvers: tuple[str, ...] | None = Field(
        None,
        description="CP-SAT subsolvers; None = staffopt's choice (max_lp + quick_restart "
        "on 1-2 workers, CP-SAT's default portfolio above).",
    )
    log_search: bool = Field(False, description="Print CP-SAT's search log.")

    def with_changes(self, **changes: object) -> SolveOptions:
        """A copy with some fields changed (validated; ``None`` values are ignored)."""
        given = {k: v for k, v in changes.items() if v is not None}
        if not given:
            return self
        return SolveOptions.model_validate({**self.model_dump(), **given})
