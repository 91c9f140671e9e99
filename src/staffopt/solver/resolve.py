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
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.model import build_model
from staffopt.results import Status
from staffopt.schema import Scenario, SolveOptions
from staffopt.solver.cpsat import STATUS_OF, cpsat_part_bound, cpsat_solver
from staffopt.solver.parts import Part

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

    def answer(self, change: Change) -> Answer | None:
        """Re-solve the part under ``change`` (None: the deadline has passed)."""
        seconds = self.seconds
        if self.deadline is not None:
            seconds = min(seconds, self.deadline - time.perf_counter())
            if seconds <= 0:
                return None
        model = self.model.model.clone()
        proto = model.proto
        if change.kind == "forbid":
            j = self._local[change.target]
            proto.variables[j].domain[1] = 0
            proto.solution_hint.values[j] = 0
        else:
            members = (self._of_need if change.kind == "fill" else self._of_official).get(
                change.target, np.zeros(0, dtype=np.int64)
            )
            if len(members) < change.count:
                return Answer("infeasible", None, None, None, self.part.arcs)
            ct = proto.constraints.add()
            ct.linear.vars.extend(members.tolist())
            ct.linear.coeffs.extend([1] * len(members))
            ct.linear.domain.extend([change.count, len(members)])
        solver = cpsat_solver(self.options, time_limit_s=seconds, workers=1)
        for name, value in RESOLVE_PARAMETERS.items():
            setattr(solver.parameters, name, value)
        code = solver.solve(model)
        if code == cp_model.MODEL_INVALID:  # a bug in staffopt, not in the user's data
            raise RuntimeError(f"internal error: invalid CP-SAT model: {model.validate()}")
        status = STATUS_OF[code]
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Answer(status, None, None, None, self.part.arcs)
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)[: len(self.score)] > 0
        value = int(self.score[values].sum())
        bound = cpsat_part_bound(solver, code, value, self.scale, True)
        if status == "optimal" and bound is not None and not math.isclose(bound, value):
            status = "feasible"  # stopped on a gap limit: not a proof
        return Answer(status, value, bound, self.part.arcs[values], self.part.arcs)


def _positions(keys: npt.NDArray[np.int64]) -> dict[int, npt.NDArray[np.int64]]:
    """Key -> local arc positions."""
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    ends = [*starts[1:], len(keys)]
    return {int(k): order[a:b].astype(np.int64) for k, a, b in zip(uniq, starts, ends, strict=True)}
