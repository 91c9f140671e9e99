"""Peer methods on staffopt's arcs: bare min-cost flow, HiGHS MIP and a greedy rule.

Each takes the scenario and the arcs of :func:`staffopt.eligibility.candidates`
(the same arcs staffopt solves) and returns a :class:`Result` with separate
build and solve times. None of them goes through staffopt's model or solve
code: the constraints are written again here from their definitions.

* :func:`min_cost_flow`: the network source -> agency -> official -> need ->
  sink that staffopt's flow engine solves (arcs with score <= 0 dropped),
  built with OR-Tools' vectorised ``add_arcs_with_capacity_and_unit_cost``.
  Exact for pure networks; on part-time scenarios it is a *restriction*
  (one arc per official), so its objective is a lower bound; with floors,
  mandatory needs or locks it ignores them ("ignores rules").
* :func:`highs_mip`: the same model as staffopt's CP-SAT (one binary per arc;
  official capacity, need slots, agency floors and ceilings counted in
  people, locks), solved by HiGHS with a time limit and a gap target.
* :func:`greedy`: needs by criticality, zone and score; each slot takes the
  highest-score candidate that still has time and whose agency can still
  release someone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]
LOAD_SCALE = 1000  # thousandths of an FTE, as staffopt


@dataclass
class Result:
    """One method's run on the arcs."""

    status: str
    objective: float | None
    bound: float | None
    build_s: float
    solve_s: float
    chosen: npt.NDArray[np.bool_]
    facts: dict[str, Any] = field(default_factory=dict)


# -- shared arrays ---------------------------------------------------------------


@dataclass(frozen=True)
class Arrays:
    """Scenario and arc facts as arrays (built once per method, counted in build time)."""

    o_idx: IntArray
    n_idx: IntArray
    score: IntArray
    load: IntArray  # per arc, thousandths
    capacity: IntArray  # per official, thousandths
    off_agency: IntArray  # per official
    slots: IntArray  # per need
    mandatory: npt.NDArray[np.bool_]  # per need
    floor: IntArray  # per agency
    ceiling: IntArray  # per agency


def arrays(s: Scenario, arcs: pd.DataFrame) -> Arrays:
    agency_pos = {a.agency_id: i for i, a in enumerate(s.agencies)}
    return Arrays(
        o_idx=arcs["o_idx"].to_numpy(np.int64),
        n_idx=arcs["n_idx"].to_numpy(np.int64),
        score=arcs["score"].to_numpy(np.int64),
        load=np.rint(arcs["load"].to_numpy(np.float64) * LOAD_SCALE).astype(np.int64),
        capacity=np.rint(
            np.array([o.capacity for o in s.officials], dtype=np.float64) * LOAD_SCALE
        ).astype(np.int64),
        off_agency=np.array([agency_pos[o.agency_id] for o in s.officials], dtype=np.int64),
        slots=np.array([n.slots for n in s.needs], dtype=np.int64),
        mandatory=np.array([n.mandatory for n in s.needs], dtype=bool),
        floor=np.array([a.min_release for a in s.agencies], dtype=np.int64),
        ceiling=np.array([a.ceiling for a in s.agencies], dtype=np.int64),
    )


def single_officials(a: Arrays, n_off: int) -> npt.NDArray[np.bool_]:
    """Officials for whom no two of their arcs fit together (they take at most one)."""
    big = np.iinfo(np.int64).max // 4
    order = np.lexsort((a.load, a.o_idx))
    so, sl = a.o_idx[order], a.load[order]
    first = np.ones(len(so), dtype=bool)
    first[1:] = so[1:] != so[:-1]
    smallest = np.full(n_off, big)
    smallest[so[first]] = sl[first]
    second_pos = np.flatnonzero(~first & np.concatenate(([False], first[:-1])))
    second = np.full(n_off, big)
    second[so[second_pos]] = sl[second_pos]
    return np.asarray(smallest + second > a.capacity)


# -- min-cost flow ----------------------------------------------------------------


def min_cost_flow(s: Scenario, arcs: pd.DataFrame) -> Result:
    """Bare OR-Tools SimpleMinCostFlow on the network of the arcs (see module doc)."""
    from ortools.graph.python import min_cost_flow as mcf_mod

    t0 = time.perf_counter()
    a = arrays(s, arcs)
    n_ag, n_off, n_need = len(s.agencies), len(s.officials), len(s.needs)
    source, sink = 0, 1
    ag0, off0 = 2, 2 + n_ag
    need0 = off0 + n_off
    useful = np.flatnonzero(a.score > 0)
    o_idx, n_idx = a.o_idx[useful], a.n_idx[useful]
    offs = np.unique(o_idx)
    needs_used = np.unique(n_idx)
    supply = int(min(a.slots[needs_used].sum(), len(offs)))
    tails = np.concatenate(
        [
            np.full(n_ag, source),
            ag0 + a.off_agency[offs],
            off0 + o_idx,
            need0 + needs_used,
            [source],
        ]
    )
    heads = np.concatenate(
        [ag0 + np.arange(n_ag), off0 + offs, need0 + n_idx, np.full(len(needs_used), sink), [sink]]
    )
    caps = np.concatenate(
        [
            np.minimum(a.ceiling, supply),
            np.ones(len(offs), dtype=np.int64),
            np.ones(len(useful), dtype=np.int64),
            a.slots[needs_used],
            [supply],
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(n_ag + len(offs), dtype=np.int64),
            -a.score[useful],
            np.zeros(len(needs_used) + 1, dtype=np.int64),
        ]
    )
    mcf = mcf_mod.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs
    )
    supplies = np.zeros(need0 + n_need, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    t1 = time.perf_counter()
    code = mcf.solve()
    t2 = time.perf_counter()
    if code != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow status {code}")
    first = n_ag + len(offs)
    flows = mcf.flows(np.arange(first, first + len(useful), dtype=np.int32))
    chosen = np.zeros(len(arcs), dtype=bool)
    chosen[useful[np.asarray(flows) > 0]] = True
    objective = float(-mcf.optimal_cost())
    part_time = not bool(single_officials(a, n_off)[np.unique(a.o_idx)].all())
    other = a.mandatory.any() or (a.floor > 0).any() or any(lk.kind == "lock" for lk in s.locks)
    exact = not part_time and not other
    # With only part-time needs in the way, one arc per official is a restriction
    # (a feasible plan); floors, mandatory needs and locks it ignores altogether.
    status = "optimal" if exact else ("restriction" if not other else "ignores rules")
    return Result(
        status=status,
        objective=objective,
        bound=objective if exact else None,
        build_s=t1 - t0,
        solve_s=t2 - t1,
        chosen=chosen,
        facts={"network_arcs": len(tails), "nodes": len(supplies), "exact": exact},
    )


# -- HiGHS MIP ------------------------------------------------------------------


@dataclass
class _Rows:
    """Constraint triplets collected vectorised: row ids, column ids, values, bounds."""

    rows: list[IntArray] = field(default_factory=list)
    cols: list[IntArray] = field(default_factory=list)
    vals: list[npt.NDArray[np.float64]] = field(default_factory=list)
    lower: list[npt.NDArray[np.float64]] = field(default_factory=list)
    upper: list[npt.NDArray[np.float64]] = field(default_factory=list)
    n: int = 0

    def add(
        self,
        group: IntArray,
        cols: IntArray,
        vals: npt.ArrayLike,
        lower: npt.ArrayLike,
        upper: npt.ArrayLike,
    ) -> None:
        """Rows ``lower[g] <= sum(vals * x[cols]) <= upper[g]`` for g = 0..max(group)."""
        lo = np.atleast_1d(np.asarray(lower, dtype=np.float64))
        self.rows.append(self.n + group)
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=np.float64), cols.shape).copy())
        self.lower.append(lo)
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), lo.shape).copy())
        self.n += len(lo)


def _dense_groups(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Unique keys and, per item, the position of its key among them."""
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq, inv.astype(np.int64)


def highs_model(
    s: Scenario,
    arcs: pd.DataFrame,
    *,
    linked_capacity: bool = True,
    per_arc_links: bool = False,
) -> tuple[Any, dict[str, int]]:
    """The staffopt assignment model as a HiGHS LP with integrality (maximise).

    By default the rows are those staffopt's CP-SAT model writes (since commit
    80ada27): for an official who may take several arcs and whose agency's
    floor or ceiling can bind, a Boolean ``used`` with the capacity row
    ``sum(load * x) <= capacity * used`` (any assignment forces ``used``) and,
    under a floor, ``used <= sum(x)``. ``linked_capacity=False`` gives the
    earlier formulation (capacity ``<= capacity`` plus one ``x <= used`` row
    per arc); ``per_arc_links=True`` adds the per-arc rows to the linked one.
    """
    import highspy

    a = arrays(s, arcs)
    n_arcs, n_off = len(arcs), len(s.officials)
    inf = highspy.kHighsInf
    rows = _Rows()
    single = single_officials(a, n_off)
    offs, inv = _dense_groups(a.o_idx)
    # Agencies whose floor or ceiling can bind count distinct people: single officials
    # through their arcs, others through a binary used_o with x <= used_o <= sum x.
    members = np.bincount(a.off_agency[offs], minlength=len(s.agencies))
    binding = (a.floor > 0) | (members > a.ceiling)
    multi_off = ~single[offs] & binding[a.off_agency[offs]]
    used_of = np.full(len(offs), -1, dtype=np.int64)
    used_of[multi_off] = n_arcs + np.arange(int(multi_off.sum()))
    n_cols = n_arcs + int(multi_off.sum())
    used_cols = used_of[multi_off]
    # Official capacity: sum x <= 1 for single officials, sum load x <= cap otherwise
    # (only when all their arcs together could exceed it).
    deg = np.bincount(inv)
    total_load = np.bincount(inv, weights=a.load)
    sg = single[offs]
    linked = multi_off if linked_capacity else np.zeros(len(offs), dtype=bool)
    row_on = ((deg >= 2) & (sg | (total_load > a.capacity[offs]))) | linked
    keep = row_on[inv]
    rid = np.cumsum(row_on) - 1
    lk = np.flatnonzero(linked)
    rows.add(
        np.concatenate([rid[inv[keep]], rid[lk]]),
        np.concatenate([np.flatnonzero(keep), used_of[lk]]),
        np.concatenate([np.where(sg[inv[keep]], 1.0, a.load[keep]), -a.capacity[offs[lk]]]),
        np.full(int(row_on.sum()), -inf),
        np.where(linked[row_on], 0.0, np.where(sg[row_on], 1.0, a.capacity[offs[row_on]])),
    )
    n_cap = int(row_on.sum())
    # Need slots: <= slots; mandatory: == slots (a need without arcs: an empty, infeasible row).
    needs, ninv = _dense_groups(a.n_idx)
    ndeg = np.bincount(ninv)
    row_on = (ndeg > a.slots[needs]) | a.mandatory[needs]
    keep = row_on[ninv]
    rid = np.cumsum(row_on) - 1
    sl = a.slots[needs[row_on]].astype(np.float64)
    rows.add(
        rid[ninv[keep]],
        np.flatnonzero(keep),
        1.0,
        np.where(a.mandatory[needs[row_on]], sl, -inf),
        sl,
    )
    n_slots = int(row_on.sum())
    lonely = np.setdiff1d(np.flatnonzero(a.mandatory), needs)
    if len(lonely):
        rows.add(np.zeros(0, np.int64), np.zeros(0, np.int64), 1.0, a.slots[lonely], inf)
    if binding.any():
        arc_ag = a.off_agency[a.o_idx]
        on = binding[arc_ag]
        # x_a - used_o <= 0 per arc of a multi official (earlier formulation).
        m_arc = np.flatnonzero(multi_off[inv] & on)
        k = len(m_arc) if per_arc_links or not linked_capacity else 0
        rows.add(
            np.repeat(np.arange(k), 2),
            np.column_stack([m_arc[:k], used_of[inv[m_arc[:k]]]]).ravel(),
            np.tile([1.0, -1.0], k),
            np.full(k, -inf),
            np.zeros(k),
        )
        # used_o - sum x <= 0 only where a floor needs it (a ceiling needs x <= used).
        mf = np.flatnonzero(multi_off & (a.floor[a.off_agency[offs]] > 0))
        f_arc = np.flatnonzero(np.isin(inv, mf))
        row_of = np.full(len(offs), -1, dtype=np.int64)
        row_of[mf] = np.arange(len(mf))
        rows.add(
            np.concatenate([np.arange(len(mf)), row_of[inv[f_arc]]]),
            np.concatenate([used_of[mf], f_arc]),
            np.concatenate([np.ones(len(mf)), -np.ones(len(f_arc))]),
            np.full(len(mf), -inf),
            np.zeros(len(mf)),
        )
        mo = np.flatnonzero(multi_off)
        # Release rows: sum over single officials' arcs + sum over multi officials' used.
        ags = np.flatnonzero(binding)
        ag_row = np.full(len(s.agencies), -1, dtype=np.int64)
        ag_row[ags] = np.arange(len(ags))
        s_arc = np.flatnonzero(on & single[a.o_idx])
        rows.add(
            np.concatenate([ag_row[arc_ag[s_arc]], ag_row[a.off_agency[offs[mo]]]]),
            np.concatenate([s_arc, used_of[mo]]),
            1.0,
            a.floor[ags],
            np.minimum(a.ceiling[ags], members[ags]),
        )
    # Locks.
    locked = [(lk.official_id, lk.need_id) for lk in s.locks if lk.kind == "lock"]
    if locked:
        key = dict(
            zip(
                zip(arcs["official_id"], arcs["need_id"], strict=True),
                range(n_arcs),
                strict=True,
            )
        )
        cols = np.array([key.get(p, -1) for p in locked], dtype=np.int64)
        ok = cols >= 0
        rows.add(np.arange(int(ok.sum())), cols[ok], 1.0, np.ones(int(ok.sum())), inf)
        if (~ok).any():  # a lock on a pair that is no arc: infeasible
            rows.add(np.zeros(0, np.int64), np.zeros(0, np.int64), 1.0, [1.0], inf)
    r = np.concatenate(rows.rows)
    c = np.concatenate(rows.cols)
    v = np.concatenate(rows.vals)
    order = np.lexsort((r, c))
    r, c, v = r[order], c[order], v[order]
    start = np.searchsorted(c, np.arange(n_cols + 1)).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = rows.n
    cost = np.zeros(n_cols)
    cost[:n_arcs] = a.score
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.concatenate(rows.lower)
    lp.row_upper_ = np.concatenate(rows.upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = rows.n
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = r.astype(np.int32)
    lp.a_matrix_.value_ = v
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    sizes = {
        "columns": n_cols,
        "rows": rows.n,
        "nonzeros": len(v),
        "capacity_rows": n_cap,
        "slot_rows": n_slots,
        "used_vars": len(used_cols),
        "binding_agencies": int(binding.sum()),
    }
    return lp, sizes


def highs_mip(
    s: Scenario,
    arcs: pd.DataFrame,
    *,
    time_limit_s: float,
    rel_gap: float = 0.0,
    threads: int = 2,
    log: bool = False,
    linked_capacity: bool = True,
    per_arc_links: bool = False,
    options: dict[str, Any] | None = None,
) -> Result:
    """HiGHS branch-and-cut on the staffopt model.

    ``rel_gap=0`` asks for a proof of optimality: the objective is an
    integer, so an absolute gap below 1 (``mip_abs_gap=0.999``) is optimal.
    """
    import highspy

    t0 = time.perf_counter()
    lp, sizes = highs_model(s, arcs, linked_capacity=linked_capacity, per_arc_links=per_arc_links)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", log)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(rel_gap))
    h.setOptionValue("mip_abs_gap", 0.999)
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    info = h.getInfo()
    ms = h.getModelStatus()
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = float(info.objective_function_value) if has_sol else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    name = h.modelStatusToString(ms)
    if ms == highspy.HighsModelStatus.kOptimal:
        status = "optimal" if rel_gap == 0 else f"gap<={rel_gap:.2%}"
    elif has_sol:
        status = "feasible"
    elif ms == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    else:
        status = "unknown"
    chosen = np.zeros(len(arcs), dtype=bool)
    if has_sol:
        x = np.asarray(h.getSolution().col_value)[: len(arcs)]
        chosen = x > 0.5
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        build_s=t1 - t0,
        solve_s=t2 - t1,
        chosen=chosen,
        facts={**sizes, "highs_status": name, "mip_nodes": int(info.mip_node_count)},
    )


# -- greedy ---------------------------------------------------------------------


def greedy(s: Scenario, arcs: pd.DataFrame) -> Result:
    """The greedy rule, as the library ships it (``staffopt.policies.greedy_assign``):
    needs by criticality (high first), zone (III first), then best arc score;
    each slot takes the highest-score candidate with time left whose agency can
    still release a person. Ignores floors, mandatory needs and locks."""
    from staffopt.policies import greedy_assign

    t0 = time.perf_counter()
    chosen = greedy_assign(s, arcs)
    t1 = time.perf_counter()
    return Result(
        status="heuristic",
        objective=float(arcs["score"].to_numpy(np.int64)[chosen].sum()),
        bound=None,
        build_s=0.0,
        solve_s=t1 - t0,
        chosen=chosen,
    )
