"""Re-solving one independent part with one change: the engine behind ``explain --all``.

A change (forbid one arc, fill one more slot of a need, send one official)
touches only the part (:mod:`.parts`) its arc, need or official belongs to;
every other part keeps its value. So a question re-solves that part alone.
Questions are batched by part: the part's model is built once, each question
solves a copy with one extra row or one fixed variable, hinted with the base
plan. The arcs carry the same lexicographic weights as ``solve(prefer=...)``
(score first, then as many of the base plan's pairs as possible), so the
answer moves only what the change forces to move.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.model import build_model
from staffopt.model.lagrangian import lagrangian
from staffopt.model.relaxation import (
    Relaxation,
    fixable_arcs,
    reduced_costs,
    relaxation,
    solve_lp,
    with_row,
)
from staffopt.results import Status
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.cpsat import STATUS_OF, cpsat_part_bound, cpsat_solver
from staffopt.solver.parts import Part
from staffopt.solver.starts import LAGRANGIAN_ITERATIONS, LAGRANGIAN_SECONDS

#: CP-SAT parameters of a re-solve, beside :func:`.cpsat.cpsat_solver`'s. A
#: re-solve starts from the base plan, one change away from its optimum: on the
#: Điện Biên example (40 forbids on its 2,025-arc part, one worker, 2 shared
#: cores) presolve and probing took most of the time: 0.10 s per re-solve
#: with them, 0.017 s without, the same proven optima. One worker per
#: re-solve; :func:`staffopt.explain_all.explain_all` runs one per core.
RESOLVE_PARAMETERS: dict[str, bool | int] = {
    "cp_model_presolve": False,
    "cp_model_probing_level": 0,
}

#: A re-solve not proven optimal within this many seconds gets help: the
#: changed part's LP relaxation drops every arc no plan as good as the one
#: found can use (reduced-cost fixing) and the search goes on over the rest.
#: On the Điện Biên example most re-solves end in under 0.2 s; the few that
#: do not (forbids of 0-km posts under the binding budget) ran 5-10 s without
#: a proof and end in 0.1-0.6 s with it (benchmarks/README.md, session 8).
#: 0: fix against the first plan found.
FIXING_AFTER_S = 0.3

#: ``forbid``: the arc may not be chosen; ``fill``: the need gets at least
#: ``count`` people; ``send``: the official takes at least one arc.
ChangeKind = Literal["forbid", "fill", "send"]


@dataclass(frozen=True)
class Change:
    """One question: ``target`` is an arc position (forbid), a need position
    (fill) or an official position (send), all in the scenario's full frames."""

    kind: ChangeKind
    target: int
    count: int = 1


@dataclass
class Answer:
    """A part re-solved under one change, in score units of that part alone.

    ``value`` is the score sum of the new part plan and ``bound`` an upper
    bound on the best score under the change (equal to ``value`` when the
    status is ``optimal``); ``picked`` holds the chosen arcs' positions in
    the full arcs frame. Infeasible or unknown: no value, no plan.
    """

    status: Status
    value: int | None
    bound: float | None
    picked: npt.NDArray[np.int64] | None
    #: The part's arcs (positions in the full arcs frame): the plan changes only there.
    part_arcs: npt.NDArray[np.int64]


class PartResolver:
    """One part's model, built once, answering changes one by one.

    ``chosen`` is the base plan's mask over the full arcs frame.
    ``seconds`` is each re-solve's time limit (wall clock); past ``deadline``
    (a ``time.perf_counter()`` value) a change gets no re-solve (None), and
    before it a re-solve gets at most the time left.
    """

    def __init__(
        self,
        scenario: Scenario,
        arcs: pd.DataFrame,
        part: Part,
        chosen: npt.NDArray[np.bool_],
        options: SolveOptions,
        seconds: float,
        deadline: float | None = None,
    ) -> None:
        self.deadline = deadline
        self.part = part
        self.options = options
        self.seconds = seconds
        base = np.asarray(chosen[part.arcs], dtype=bool)
        self.score = arcs["score"].to_numpy(np.int64)[part.arcs]
        # Score first, then the base plan's pairs: ties never reshuffle the plan.
        self.scale = int(base.sum()) + 1
        sub = arcs.iloc[part.arcs].copy()
        sub["weight"] = self.score * self.scale + base
        self.model = build_model(scenario, sub, need_scope=part.needs, agency_scope=part.agencies)
        self.model.add_hint(base)
        self.base_value = int(self.score[base].sum())
        local_o = sub["o_idx"].to_numpy(np.int64)
        local_n = sub["n_idx"].to_numpy(np.int64)
        self._of_official = _positions(local_o)
        self._of_need = _positions(local_n)
        self._local = {int(g): i for i, g in enumerate(part.arcs)}
        # The LP relaxation, built by the first re-solve that needs it (threads share it).
        self._relaxation: Relaxation | None = None
        self._lock = threading.Lock()

    def answer(self, change: Change) -> Answer | None:
        """Re-solve the part under ``change`` (None: the deadline has passed)."""
        seconds = self.seconds
        if self.deadline is not None:
            seconds = min(seconds, self.deadline - time.perf_counter())
            if seconds <= 0:
                return None
        start = time.perf_counter()
        model = self.model.model.clone()
        proto = model.proto
        if change.kind == "forbid":
            j = self._local[change.target]
            proto.variables[j].domain[1] = 0
            proto.solution_hint.values[j] = 0
        else:
            members = self._members(change)
            if len(members) < change.count:
                return Answer("infeasible", None, None, None, self.part.arcs)
            ct = proto.constraints.add()
            ct.linear.vars.extend(members.tolist())
            ct.linear.coeffs.extend([1] * len(members))
            ct.linear.domain.extend([change.count, len(members)])
        if FIXING_AFTER_S > 0:
            code, solver = self._run(model, min(seconds, FIXING_AFTER_S))
        else:  # fix against the first plan found (tests take this path on purpose)
            code, solver = self._run(model, seconds, first_solution=True)
        left = seconds - (time.perf_counter() - start)
        if code == cp_model.UNKNOWN and left > 0:
            # No plan yet (the base plan does not hold under the change):
            # nothing to fix against, so the search goes on as it was.
            code, solver = self._run(model, left)
            left = seconds - (time.perf_counter() - start)
        first = self._outcome(code, solver)
        if code != cp_model.FEASIBLE or left <= 0 or first.value is None:
            return first
        # Not proven yet: drop every arc no plan as good as this one can use
        # (the changed part's LP, reduced-cost fixing) and search the rest,
        # from this plan. Every plan scoring at least first.value keeps all
        # its arcs, so the rest holds the optimum and its tie-break. (No LP
        # bound: the search goes on over the whole part.)
        lp_bound, fixable = self._fixable(change, first.value)
        found = np.asarray(solver.response_proto.solution, dtype=np.int64)
        if fixable is not None:
            for j in np.flatnonzero(fixable & (found[: len(self.score)] == 0)).tolist():
                proto.variables[j].domain[1] = 0
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(range(len(found)))
        proto.solution_hint.values.extend(found.tolist())
        code, solver = self._run(model, max(0.01, seconds - (time.perf_counter() - start)))
        second = self._outcome(code, solver)
        if second.status == "optimal":
            return second  # the rest holds every plan scoring first.value or more
        # Valid bounds on the part under the change, the best one kept: the
        # first run's, the LP's, and the rest's (a plan outside it scores
        # less than first.value).
        bounds = [b for b in (lp_bound, first.bound) if b is not None]
        if second.bound is not None:
            bounds.append(max(second.bound, first.value))
        if second.value is not None and second.value > first.value:
            first = second
        assert first.value is not None
        if bounds:
            first.bound = max(float(first.value), min(bounds))
        return first

    def _members(self, change: Change) -> npt.NDArray[np.int64]:
        """The part's arcs (local positions) a fill or send change counts."""
        members = (self._of_need if change.kind == "fill" else self._of_official).get(
            change.target, np.zeros(0, dtype=np.int64)
        )
        return members

    def _run(
        self, model: cp_model.CpModel, seconds: float, *, first_solution: bool = False
    ) -> tuple[Any, cp_model.CpSolver]:
        solver = cpsat_solver(self.options, time_limit_s=seconds, workers=1)
        for name, value in RESOLVE_PARAMETERS.items():
            setattr(solver.parameters, name, value)
        solver.parameters.stop_after_first_solution = first_solution
        code = solver.solve(model)
        if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
            raise RuntimeError(f"internal error: invalid CP-SAT model: {model.validate()}")
        return code, solver

    def _outcome(self, code: Any, solver: cp_model.CpSolver) -> Answer:
        """One run's answer, in score units."""
        status = STATUS_OF[code]
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Answer(status, None, None, None, self.part.arcs)
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)[: len(self.score)] > 0
        value = int(self.score[values].sum())
        bound = cpsat_part_bound(solver, code, value, self.scale, True)
        if status == "optimal" and bound is not None and not math.isclose(bound, value):
            status = "feasible"  # stopped on a gap limit: not a proof
        return Answer(status, value, bound, self.part.arcs[values], self.part.arcs)

    def _fixable(
        self, change: Change, incumbent: int
    ) -> tuple[float | None, npt.NDArray[np.bool_] | None]:
        """The changed part's LP bound on the score and the arcs (local positions) no
        plan scoring ``incumbent`` or more can use (None, None: the LP gave no bound)."""
        rel = self._score_relaxation()
        if change.kind == "forbid":
            rel = with_row(rel, [self._local[change.target]], [1], 0, 0)
        else:
            members = self._members(change)
            rel = with_row(rel, members, np.ones(len(members)), change.count, len(members))
        lp = solve_lp(rel, time_limit_s=max(1.0, self.seconds))
        if lp.bound is None or not np.isfinite(lp.bound):
            return None, None
        reduced = reduced_costs(rel, lp.duals)[: len(self.score)]
        fixable = fixable_arcs(lp.bound, reduced, incumbent - 1)
        # The Lagrangian's exact per-official knapsacks price each arc far
        # more sharply than the LP's (degenerate) duals: on the Điện Biên
        # example 1,687 arcs of 2,485 fixed instead of 138, for 0.04 s more.
        lag = lagrangian(
            self.model,
            rel,
            lp.duals,
            incumbent=float(incumbent),
            iterations=LAGRANGIAN_ITERATIONS,
            time_limit_s=LAGRANGIAN_SECONDS,
        )
        if lag is None:
            return lp.bound, fixable
        return min(lp.bound, lag.bound), fixable | lag.fixable(incumbent - 1)

    def _score_relaxation(self) -> Relaxation:
        """The part's LP relaxation with the plain score as its objective (built once)."""
        with self._lock:
            if self._relaxation is None:
                rel = relaxation(self.model)
                gains = np.zeros_like(rel.gains)
                gains[: len(self.score)] = self.score
                self._relaxation = replace(rel, gains=gains)
            return self._relaxation


def _positions(keys: npt.NDArray[np.int64]) -> dict[int, npt.NDArray[np.int64]]:
    """Key -> local arc positions."""
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    ends = [*starts[1:], len(keys)]
    return {int(k): order[a:b].astype(np.int64) for k, a, b in zip(uniq, starts, ends, strict=True)}
