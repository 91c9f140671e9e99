"""Lagrangian relaxation of an arc model: one small knapsack per official.

Every row but the officials' capacity rows (:attr:`ArcModel.capacity_rows`)
is priced with a multiplier ``y``; what remains splits by official: choose a
set of one's arcs within one's capacity (and pay the "used" variable's price
if any arc is chosen). With integer loads that is a 0/1 knapsack over a few
capacity units, solved exactly for all officials at once by a vectorised
dynamic programme. So

* ``L(y) = sum_r max(y_r lb_r, y_r ub_r) + sum_o best_knapsack_o(y)`` is an
  upper bound for *any* ``y`` (weak duality), at least as tight as the LP
  bound at the LP's own duals, since the knapsacks are solved in integers;
* the knapsack solutions are whole plans per official: packings of
  part-time posts into a person's time that the LP's fractional solution
  does not show. Their union over the subgradient iterations is the arc set
  the first search stage of :mod:`staffopt.solver` works on (measured on a
  national part of 95k arcs: 192,295 in 10 s from these 9.9k arcs against
  189,245 from the LP's support).

Multipliers start at the LP's duals and follow projected subgradient steps
(Polyak's rule against the best known plan).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from staffopt.indices import arc_loads, indices, single_assignment_officials
from staffopt.model.arcmodel import ArcModel
from staffopt.model.relaxation import FloatArray, Relaxation

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Widest knapsack (capacity in units of the loads' greatest common divisor)
#: solved exactly; loads in steps of 0.05 FTE give 20. Wider ones (loads like
#: 0.333) would make the programme slow: the relaxation is then not offered.
MAX_UNITS = 200
#: First Polyak step factor, halved after 4 iterations without a better
#: bound. Measured on three national parts (60 iterations from the LP
#: duals): 1.0 never improved on the LP duals (the target, the start plan,
#: is far below), 0.2 gave the best bounds (e.g. 194,237 -> 193,941).
FIRST_STEP = 0.2


@dataclass(frozen=True)
class LagrangianResult:
    """Best bound found, the union of the knapsack solutions, and effort."""

    bound: float
    support: BoolArray  # over the model's arcs
    iterations: int
    wall_s: float
    _structure: _Structure
    _best: _Evaluation

    def fixable(self, incumbent: float) -> BoolArray:
        """Arcs no plan scoring more than ``incumbent`` can use (reduced-cost fixing)."""
        return _fixable(self._structure, self._best, incumbent)


@dataclass(frozen=True)
class _Structure:
    relaxed: Any  # scipy.sparse.csr_matrix: the priced rows x variables
    lb: FloatArray
    ub: FloatArray
    gains: FloatArray
    n_arcs: int
    owner: IntArray  # official of each arc
    units: IntArray  # load of each arc in knapsack units
    cap_units: IntArray  # capacity of each official in knapsack units
    single: BoolArray  # per official: takes at most one arc
    used_var: IntArray  # per official: its "used" variable or -1
    free_vars: IntArray  # variables of no official (priced alone)


def _structure(m: ArcModel, rel: Relaxation) -> _Structure | None:
    n_off = len(m.scenario.officials)
    kept = np.zeros(rel.lb.shape[0], dtype=bool)
    kept[m.capacity_rows] = True
    loads = arc_loads(m.arcs)
    cap = indices(m.scenario).capacity
    owner = m.arcs["o_idx"].to_numpy(np.int64)
    unit = int(np.gcd.reduce(np.concatenate([loads, cap[np.unique(owner)], [0]])))
    unit = max(unit, 1)
    cap_units = cap // unit
    if len(owner) and cap_units[owner].max() > MAX_UNITS:
        return None
    used_var = np.full(n_off, -1, dtype=np.int64)
    for u, arcs in m.used_links:
        used_var[owner[arcs[0]]] = u
    covered = np.zeros(m.n_vars, dtype=bool)
    covered[: m.n_arcs] = True
    covered[used_var[used_var >= 0]] = True
    matrix = rel.matrix.tocsr()
    return _Structure(
        relaxed=matrix[~kept],
        lb=rel.lb[~kept],
        ub=rel.ub[~kept],
        gains=rel.gains,
        n_arcs=m.n_arcs,
        owner=owner,
        units=loads // unit,
        cap_units=cap_units,
        single=single_assignment_officials(m.scenario, m.arcs),
        used_var=used_var,
        free_vars=np.flatnonzero(~covered),
    )


def _knapsacks(
    owner: IntArray, units: IntArray, value: FloatArray, cap: IntArray
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Best 0/1 knapsack of each official (items grouped by ``owner``); item choice.

    Returns the best value per official (indexed like ``cap``), which items
    are chosen, and the table ``best value within c units`` per official and
    ``c`` (0 where an official has no item). Pass items of positive value only.
    """
    best = np.zeros(len(cap), dtype=np.float64)
    chosen = np.zeros(len(owner), dtype=bool)
    table = np.zeros((len(cap), int(cap.max(initial=0)) + 1), dtype=np.float64)
    if len(owner) == 0:
        return best, chosen, table
    order = np.argsort(owner, kind="stable")
    o, w, v = owner[order], units[order], value[order]
    offs, j = np.unique(o, return_inverse=True)
    first = np.searchsorted(j, np.arange(len(offs)))
    rank = np.arange(len(o)) - first[j]
    width = int(cap[offs].max()) + 1
    dp = np.zeros((len(offs), width), dtype=np.float64)
    take = np.zeros((int(rank.max()) + 1, len(offs), width), dtype=bool)
    for k in range(int(rank.max()) + 1):
        at_k = np.flatnonzero(rank == k)
        for wk in np.unique(w[at_k]).tolist():
            items = at_k[w[at_k] == wk]
            rows = j[items]
            if wk >= width:
                continue
            cand = dp[rows, : width - wk] + v[items][:, None]
            better = cand > dp[rows, wk:]
            take[k, rows, wk:] = better
            dp[rows, wk:] = np.where(better, cand, dp[rows, wk:])
    c = cap[offs].copy()
    best[offs] = dp[np.arange(len(offs)), c]
    table[offs, :width] = dp
    table[offs, width:] = dp[:, -1:]
    for k in range(int(rank.max()), -1, -1):
        items = np.flatnonzero(rank == k)
        rows = j[items]
        hit = take[k, rows, c[rows]]
        chosen[order[items[hit]]] = True
        c[rows[hit]] -= w[items[hit]]
    return best, chosen, table


@dataclass(frozen=True)
class _Evaluation:
    value: float  # L(y)
    x: FloatArray  # a maximiser, 0/1 per variable
    d: FloatArray  # reduced costs gains - A_relaxed^T y
    official_value: FloatArray  # each official's share of L(y)
    table: FloatArray  # knapsack table of the officials who may take several arcs


def _evaluate(st: _Structure, y: FloatArray) -> _Evaluation:
    """``L(y)``, a maximiser and what reduced-cost fixing needs."""
    d = st.gains - st.relaxed.T @ y
    x = np.zeros(len(d), dtype=np.float64)
    n_off = len(st.single)
    d_arc = d[: st.n_arcs]
    positive = np.flatnonzero(d_arc > 0)
    value = np.zeros(n_off, dtype=np.float64)
    # Officials who take at most one arc: the best positive one.
    one = positive[st.single[st.owner[positive]]]
    if len(one):
        order = np.lexsort((d_arc[one], st.owner[one]))
        one = one[order]
        last = np.concatenate([st.owner[one][1:] != st.owner[one][:-1], [True]])
        pick = one[last]
        x[pick] = 1.0
        value[st.owner[pick]] = d_arc[pick]
    # The others: a knapsack over their positive arcs, then the "used" price.
    many = positive[~st.single[st.owner[positive]]]
    kp, chosen, table = _knapsacks(st.owner[many], st.units[many], d_arc[many], st.cap_units)
    has_used = st.used_var >= 0
    multi = ~st.single
    total = kp + _used_price(st, d)
    on = multi & (total > 0)
    value[on] = total[on]
    x[many[chosen & on[st.owner[many]]]] = 1.0
    x[st.used_var[on & has_used]] = 1.0
    free = st.free_vars
    x[free] = (d[free] > 0).astype(np.float64)
    rows = np.maximum(y * st.lb, y * st.ub).sum()
    total_value = float(value.sum() + np.maximum(d[free], 0.0).sum() + rows)
    return _Evaluation(total_value, x, d, value, table)


def _used_price(st: _Structure, d: FloatArray) -> FloatArray:
    """Per official: the reduced cost of its "used" variable (0 without one)."""
    price = np.zeros(len(st.used_var), dtype=np.float64)
    has = st.used_var >= 0
    price[has] = d[st.used_var[has]]
    return price


def _fixable(st: _Structure, ev: _Evaluation, incumbent: float) -> BoolArray:
    """Arcs no plan better than ``incumbent`` can use, by the Lagrangian at ``ev``'s ``y``.

    Forcing arc ``j`` of official ``o`` changes only ``o``'s share of
    ``L(y)``: to ``d_j`` for an official who takes one arc, else to at most
    ``d_used + d_j + best(cap_o - w_j)`` (the table's best within the room
    left; it may count ``j`` twice, which only loosens the bound).
    """
    o = st.owner
    d_arc = ev.d[: st.n_arcs]
    d_used = _used_price(st, ev.d)
    room = np.maximum(st.cap_units[o] - st.units, 0)
    forced_many = d_used[o] + d_arc + ev.table[o, np.minimum(room, ev.table.shape[1] - 1)]
    forced = np.where(st.single[o], d_arc, forced_many)
    with_arc = ev.value - ev.official_value[o] + forced
    tol = 1e-6 * max(1.0, abs(ev.value))
    return np.asarray(with_arc < incumbent + 1 - tol)


def lagrangian(
    m: ArcModel,
    rel: Relaxation,
    duals: FloatArray,
    *,
    incumbent: float,
    iterations: int = 40,
    time_limit_s: float = 5.0,
) -> LagrangianResult | None:
    """Subgradient search on the Lagrangian dual from the LP's ``duals``.

    ``duals`` are the LP solver's row duals (all rows); the capacity rows'
    entries are dropped. ``incumbent`` is the best known plan's objective
    (the step target). None when the knapsacks would be too wide.
    """
    t0 = time.perf_counter()
    st = _structure(m, rel)
    if st is None:
        return None
    kept = np.zeros(rel.lb.shape[0], dtype=bool)
    kept[m.capacity_rows] = True
    y = np.asarray(duals, dtype=np.float64)[~kept].copy()
    best = math.inf
    best_ev: _Evaluation | None = None
    support = np.zeros(st.n_arcs, dtype=bool)
    step, stalled, done = FIRST_STEP, 0, 0
    for done in range(1, iterations + 1):  # noqa: B007 (done is reported)
        ev = _evaluate(st, y)
        value, x = ev.value, ev.x
        support |= x[: st.n_arcs] > 0.5
        if value < best - 1e-9:
            best, best_ev, stalled = value, ev, 0
        else:
            stalled += 1
            if stalled >= 4:
                step, stalled = step / 2, 0
        if best < incumbent + 1 or time.perf_counter() - t0 > time_limit_s:
            break
        activity = st.relaxed @ x
        target = np.where(y > 0, st.ub, np.where(y < 0, st.lb, np.clip(activity, st.lb, st.ub)))
        g = target - activity
        norm = float(g @ g)
        if norm == 0:
            break  # x satisfies every priced row at these prices: L(y) is tight
        y = y - step * (value - incumbent) / norm * g
    assert best_ev is not None
    return LagrangianResult(best, support, done, time.perf_counter() - t0, st, best_ev)
