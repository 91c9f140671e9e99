"""ArcModel: a thin writer of CP-SAT protos for arc models, and its bookkeeping.

Variables and constraints go straight into the model proto with bulk
``extend`` calls: at national scale (millions of arcs) the per-variable
Python objects of the high-level API cost more than the solve. Arc ``i`` is
always variable ``i``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
from ortools.sat.python import cp_model

from staffopt.indices import arc_loads, single_assignment_officials
from staffopt.results import Requirement
from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]
_EMPTY: IntArray = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Piece:
    """A named part of the model, for introspection and documentation."""

    name: str
    rows: int


@dataclass
class ArcModel:
    """A CP-SAT model over the arcs plus bookkeeping of its named pieces.

    With ``guarded=True`` every planner requirement (mandatory need, lock,
    agency floor and ceiling) is enforced by its own literal, kept in
    ``guards``; solving with those literals as assumptions lets CP-SAT name a
    set of requirements that cannot hold together.
    """

    scenario: Scenario
    arcs: pd.DataFrame
    guarded: bool = False
    #: The needs and agencies this model covers (None = all). An independent
    #: part of a scenario is modelled alone: requirements of needs and
    #: agencies outside it (mandatory needs, floors, locks) belong elsewhere.
    need_scope: npt.NDArray[np.bool_] | None = None
    agency_scope: npt.NDArray[np.bool_] | None = None
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    pieces: list[Piece] = field(default_factory=list)
    guards: dict[int, Requirement] = field(default_factory=dict)
    #: Auxiliary "official is used" Booleans and the arcs they summarise.
    used_links: list[tuple[int, IntArray]] = field(default_factory=list)
    #: Per official position: the (variables, coefficients) whose sum says
    #: whether the official is used (see :func:`.constraints.official_used`).
    used_terms: dict[int, tuple[IntArray, IntArray]] = field(default_factory=dict)
    #: Officials whose ``used`` has its ``used <= sum(x)`` row (agencies with a floor).
    floor_linked: set[int] = field(default_factory=set)
    #: Every linear row as (vars, coeffs, lb, ub, enforcement literal or -1),
    #: kept beside the proto so the LP relaxation (:mod:`.relaxation`) is
    #: read from exactly the rows CP-SAT solves.
    rows: list[tuple[IntArray, IntArray, int, int, int]] = field(default_factory=list)
    #: Positions in ``rows`` of each official's capacity rows (``sum(load*x)
    #: <= cap``, ``... <= cap*used`` or ``sum(x) <= 1``): the rows a
    #: Lagrangian relaxation keeps, one small knapsack per official.
    capacity_rows: list[int] = field(default_factory=list)
    #: Unguarded models: each planner requirement and the row that states it
    #: (for the LP-based conflict search, :mod:`staffopt.solver.conflicts`).
    requirement_rows: list[tuple[Requirement, int]] = field(default_factory=list)
    _pending: Requirement | None = None
    #: Objective coefficients (maximised) of the first ``len`` variables.
    gains: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    n_vars: int = 0

    def __post_init__(self) -> None:
        self.n_arcs = len(self.arcs)
        self.new_bool_vars(self.n_arcs)

    # Per-arc arrays the pieces share, computed once per model: a piece that
    # recomputed them per official would be quadratic at national scale.
    @cached_property
    def o_idx(self) -> IntArray:
        """Per arc: the official's position in ``scenario.officials``."""
        return np.asarray(self.arcs["o_idx"].to_numpy(np.int64))

    @cached_property
    def n_idx(self) -> IntArray:
        """Per arc: the need's position in ``scenario.needs``."""
        return np.asarray(self.arcs["n_idx"].to_numpy(np.int64))

    @cached_property
    def loads(self) -> IntArray:
        """Per arc: the load in thousandths of an FTE."""
        return arc_loads(self.arcs)

    @cached_property
    def single(self) -> npt.NDArray[np.bool_]:
        """Per official: takes at most one arc (see :func:`single_assignment_officials`)."""
        return single_assignment_officials(self.scenario, self.arcs)

    @property
    def proto(self):  # type: ignore[no-untyped-def]  # ortools' pybind proto has no stubs
        return self.model.proto

    def new_bool_vars(self, count: int) -> IntArray:
        """Add ``count`` Boolean variables; return their indices."""
        first = self.n_vars
        if count:
            # Text format parsing runs in C++: ~10x faster than one Python call per var.
            self.proto.merge_text_format("variables { domain: [0, 1] }\n" * count)
        self.n_vars += count
        return np.arange(first, first + count, dtype=np.int64)

    def new_int_var(self, lb: int, ub: int) -> int:
        """Add one integer variable with domain ``[lb, ub]``; return its index."""
        self.proto.merge_text_format(f"variables {{ domain: [{int(lb)}, {int(ub)}] }}\n")
        self.n_vars += 1
        return self.n_vars - 1

    def add_linear(
        self,
        variables: npt.ArrayLike,
        coeffs: npt.ArrayLike,
        lb: int,
        ub: int,
        enforcement: int | None = None,
        *,
        capacity: bool = False,
    ) -> None:
        """Add ``lb <= sum(coeffs * variables) <= ub`` (optionally only if literal holds).

        ``capacity``: the row is one official's capacity row (see ``capacity_rows``).
        """
        if capacity:
            self.capacity_rows.append(len(self.rows))
        if self._pending is not None:
            self.requirement_rows.append((self._pending, len(self.rows)))
            self._pending = None
        ct = self.proto.constraints.add()
        if enforcement is not None:
            ct.enforcement_literal.append(int(enforcement))
        lit = -1 if enforcement is None else int(enforcement)
        if lb > ub:
            # Cannot hold (e.g. a floor above the people available): CP-SAT
            # rejects an empty domain, so write the row "0 in [1, 1]" instead.
            ct.linear.domain.extend([1, 1])
            self.rows.append((_EMPTY, _EMPTY, 1, 1, lit))
            return
        v = np.asarray(variables, dtype=np.int64)
        c = np.asarray(coeffs, dtype=np.int64)
        ct.linear.vars.extend(v.tolist())
        ct.linear.coeffs.extend(c.tolist())
        ct.linear.domain.extend([int(lb), int(ub)])
        self.rows.append((v, c, int(lb), int(ub), lit))

    def guard(self, requirement: Requirement) -> int | None:
        """A fresh enforcement literal for ``requirement`` in guarded mode, else None."""
        if not self.guarded:
            self._pending = requirement  # the next row states it
            return None
        lit = int(self.new_bool_vars(1)[0])
        self.guards[lit] = requirement
        return lit

    def covers_need(self, n: int) -> bool:
        return self.need_scope is None or bool(self.need_scope[n])

    def covers_agency(self, a: int) -> bool:
        return self.agency_scope is None or bool(self.agency_scope[a])

    def add_hint(self, chosen: npt.NDArray[np.bool_]) -> None:
        """Hint a complete solution from the arcs' values (e.g. the flow relaxation's).

        Auxiliary variables get the values the arcs imply, so a feasible hint
        is a complete feasible solution CP-SAT can start from.
        """
        chosen = np.asarray(chosen, dtype=bool)
        h = self.proto.solution_hint
        h.vars.extend(range(self.n_arcs))
        h.values.extend(chosen.astype(np.int64).tolist())
        if self.used_links:
            h.vars.extend([u for u, _ in self.used_links])
            h.values.extend([int(chosen[arcs].any()) for _, arcs in self.used_links])

    def record(self, name: str, rows: int) -> None:
        self.pieces.append(Piece(name, rows))


def groups(keys: npt.ArrayLike) -> list[IntArray]:
    """Arc positions grouped by key (e.g. all arcs of one official), in key order."""
    keys = np.asarray(keys)
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return list(np.split(order.astype(np.int64), cuts))
