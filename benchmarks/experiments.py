"""Experiments behind the suggestions in benchmarks/README.md (part-time scenarios).

Usage::

    .venv/bin/python benchmarks/experiments.py hint --scale large --part-time 0.3 --seconds 30
    .venv/bin/python benchmarks/experiments.py lp --scale large --part-time 0.3
    .venv/bin/python benchmarks/experiments.py highs --scale large --part-time 0.3 --seconds 60

* ``hint``: staffopt's CP-SAT model of the whole scenario, solved for
  ``--seconds`` with staffopt's solver settings, (a) with the arc-only flow
  hint that ``solve`` adds, (b) with that hint completed (every variable,
  including the agencies' ``used`` Booleans, obtained by one solve with the
  arcs fixed), (c) like (b) with CP-SAT's default portfolio of 8 workers.
  Prints objective, bound and the hint's own objective.
* ``lp``: the LP relaxation bound (HiGHS) of the model as staffopt writes it
  and with the capacity row linked to ``used`` (``sum load*x <= cap*used``).
* ``highs``: HiGHS MIP on both formulations with a time limit.
* ``support``: for independent parts of the scenario (``--parts``, default
  all), the start plan, LP bound, Lagrangian bound and CP-SAT for
  ``--seconds`` on each arc set the first search stage could use: the whole
  part, the LP's support (+ arcs of reduced cost >= 0), the Lagrangian
  knapsacks, and both (what ``solve`` uses). Prints one row per part and set.

    .venv/bin/python benchmarks/experiments.py support --scale nation --part-time 0.3 \\
        --parts 4 0 12 --seconds 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers

#: (linked_capacity, per_arc_links): per-arc links; linked + per-arc; linked only (staffopt now).
FORMULATIONS = ((False, True), (True, True), (True, False))


def _name(linked: bool, per_arc: bool) -> str:
    if not linked:
        return "per-arc links (x<=used per arc, capacity <= cap; staffopt before 80ada27)"
    return "linked capacity (load.x <= cap*used)" + (" + x<=used per arc" if per_arc else " only")


def scenario(args: argparse.Namespace) -> Any:
    from staffopt.scenarios.synthetic import synthetic

    return synthetic(
        args.scale, seed=args.seed, part_time_share=args.part_time, provinces=args.provinces
    )


def cmd_hint(args: argparse.Namespace) -> None:
    from ortools.sat.python import cp_model

    from staffopt.eligibility import candidates
    from staffopt.model import build_model
    from staffopt.solver.cpsat import cpsat_solver
    from staffopt.solver.flow import solve_flow

    s = scenario(args)
    arcs, _ = candidates(s)
    score = arcs["score"].to_numpy(np.int64)
    hint, *_ = solve_flow(s, arcs)
    print(f"{s.name}: {len(arcs):,} arcs; flow hint objective {score[hint].sum()}")
    options = s.options.with_changes(time_limit_s=args.seconds)

    def run(label: str, full_hint: bool, workers: int | None) -> None:
        t0 = time.perf_counter()
        m = build_model(s, arcs)
        if full_hint:
            fixed = m.model.clone()
            for i, v in enumerate(hint.tolist()):
                dom = fixed.proto.variables[i].domain
                dom[0] = dom[1] = int(v)
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = 30
            code = solver.solve(fixed)
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                print(f"  {label}: the flow hint is not feasible in the model ({code})")
                return
            values = list(solver.response_proto.solution)
            m.proto.solution_hint.vars.extend(range(m.n_vars))
            m.proto.solution_hint.values.extend(values)
        else:
            m.add_hint(hint)
        build = time.perf_counter() - t0
        solver = cpsat_solver(options)
        if workers is not None:
            solver.parameters.num_workers = workers
            solver.parameters.subsolvers.clear()
        code = solver.solve(m.model)
        print(
            f"  {label}: {solver.status_name(code)} objective {solver.objective_value:.0f} "
            f"bound {solver.best_objective_bound:.0f} build {build:.2f} s "
            f"solve {solver.wall_time:.1f} s workers {solver.parameters.num_workers} "
            f"subsolvers {list(solver.parameters.subsolvers)}"
        )

    if "a" in args.only:
        run("(a) arc hint, staffopt settings", False, None)
    if "b" in args.only:
        run("(b) completed hint, staffopt settings", True, None)
    if "c" in args.only:
        run("(c) completed hint, default portfolio, 8 workers", True, 8)
    if "d" not in args.only:
        return
    # (d) the linked-capacity formulation (one row per official instead of one per arc).
    t0 = time.perf_counter()
    lp, sizes = peers.highs_model(s, arcs, linked_capacity=True, per_arc_links=False)
    model = cpsat_from_lp(lp)
    full = np.zeros(lp.num_col_, dtype=np.int64)
    full[: len(arcs)] = hint
    used_cols = np.arange(len(arcs), lp.num_col_)
    if len(used_cols):
        # used = 1 when any hinted arc of the official is chosen (rows: load.x - cap*used <= 0).
        start = np.asarray(lp.a_matrix_.start_)
        index = np.asarray(lp.a_matrix_.index_)
        value = np.asarray(lp.a_matrix_.value_)
        row_used = np.full(lp.num_row_, -1, dtype=np.int64)
        for c in used_cols.tolist():
            for r, v in zip(
                index[start[c] : start[c + 1]].tolist(),
                value[start[c] : start[c + 1]].tolist(),
                strict=True,
            ):
                if v < 0:  # the linked capacity row: load.x - cap*used <= 0
                    row_used[r] = c
        for c in np.flatnonzero(hint).tolist():
            for r in index[start[c] : start[c + 1]].tolist():
                if row_used[r] >= 0:
                    full[row_used[r]] = 1
    model.proto.solution_hint.vars.extend(range(lp.num_col_))
    model.proto.solution_hint.values.extend(full.tolist())
    build = time.perf_counter() - t0
    solver = cpsat_solver(options)
    code = solver.solve(model)
    print(
        f"  (d) linked-capacity model ({sizes['rows']:,} rows), completed hint, staffopt "
        f"settings: {solver.status_name(code)} objective {solver.objective_value:.0f} "
        f"bound {solver.best_objective_bound:.0f} build {build:.2f} s "
        f"solve {solver.wall_time:.1f} s"
    )


def cpsat_from_lp(lp: Any) -> Any:
    """A CP-SAT model (maximise) of a HiGHS LP whose columns are binaries, integer data."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n = lp.num_col_
    model.proto.merge_text_format("variables { domain: [0, 1] }\n" * n)
    start = np.asarray(lp.a_matrix_.start_, dtype=np.int64)
    index = np.asarray(lp.a_matrix_.index_, dtype=np.int64)
    value = np.rint(np.asarray(lp.a_matrix_.value_)).astype(np.int64)
    col = np.repeat(np.arange(n), np.diff(start))
    order = np.lexsort((col, index))
    rows, cols, vals = index[order], col[order], value[order]
    cuts = np.searchsorted(rows, np.arange(lp.num_row_ + 1))
    lo = np.asarray(lp.row_lower_)
    hi = np.asarray(lp.row_upper_)
    big = 2**40
    for r in range(lp.num_row_):
        ct = model.proto.constraints.add()
        ct.linear.vars.extend(cols[cuts[r] : cuts[r + 1]].tolist())
        ct.linear.coeffs.extend(vals[cuts[r] : cuts[r + 1]].tolist())
        ct.linear.domain.extend(
            [int(max(lo[r], -big)) if np.isfinite(lo[r]) else -big,
             int(min(hi[r], big)) if np.isfinite(hi[r]) else big]
        )  # fmt: skip
    cost = np.rint(np.asarray(lp.col_cost_)).astype(np.int64)
    nz = np.flatnonzero(cost)
    model.proto.objective.vars.extend(nz.tolist())
    model.proto.objective.coeffs.extend((-cost[nz]).tolist())
    model.proto.objective.scaling_factor = -1.0
    return model


def cmd_lp(args: argparse.Namespace) -> None:
    import highspy

    from staffopt.eligibility import candidates

    s = scenario(args)
    arcs, _ = candidates(s)
    for linked, per_arc in FORMULATIONS:
        lp, sizes = peers.highs_model(s, arcs, linked_capacity=linked, per_arc_links=per_arc)
        lp.integrality_ = []
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        t0 = time.perf_counter()
        h.run()
        print(
            f"  {_name(linked, per_arc)}: LP bound {h.getInfo().objective_function_value:.1f} "
            f"in {time.perf_counter() - t0:.1f} s; rows {sizes['rows']:,}"
        )


def cmd_highs(args: argparse.Namespace) -> None:
    from staffopt.eligibility import candidates

    s = scenario(args)
    arcs, _ = candidates(s)
    for linked, per_arc in FORMULATIONS:
        r = peers.highs_mip(
            s,
            arcs,
            time_limit_s=args.seconds,
            linked_capacity=linked,
            per_arc_links=per_arc,
            options={"presolve": "off"} if args.no_presolve else None,
        )
        print(
            f"  {_name(linked, per_arc)}: {r.status} objective {r.objective} bound {r.bound} "
            f"build {r.build_s:.2f} s solve {r.solve_s:.1f} s nodes {r.facts['mip_nodes']}"
        )


def cmd_support(args: argparse.Namespace) -> None:
    from staffopt.eligibility import candidates
    from staffopt.model import build_model
    from staffopt.model.lagrangian import lagrangian
    from staffopt.model.relaxation import reduced_costs, relaxation, solve_lp
    from staffopt.solver.cpsat import cpsat_solver
    from staffopt.solver.parts import independent_parts
    from staffopt.solver.starts import best_start

    s = scenario(args)
    arcs, _ = candidates(s)
    parts = independent_parts(s, arcs)
    print("| part | arcs | start | LP bound | Lagrangian | arc set | set arcs | CP-SAT plan |")
    print("|--:|--:|--:|--:|--:|---|--:|--:|")
    for i in args.parts if args.parts else range(len(parts)):
        p = parts[i]
        sub = arcs.iloc[p.arcs]
        score = sub["score"].to_numpy(np.int64)
        m = build_model(s, sub, need_scope=p.needs, agency_scope=p.agencies)
        rel = relaxation(m)
        lp = solve_lp(rel)
        start = best_start(s, sub)
        lag = lagrangian(m, rel, lp.duals, incumbent=float(score[start].sum()), iterations=60)
        x = lp.x[: m.n_arcs]
        d = reduced_costs(rel, lp.duals)[: m.n_arcs]
        knap = lag.support if lag is not None else np.zeros(len(sub), dtype=bool)
        sets = {
            "whole part": np.ones(len(sub), dtype=bool),
            "LP support + reduced cost >= 0 + start": (x > 1e-6) | (d >= -1e-6) | start,
            "Lagrangian knapsacks + start": knap | start,
            "knapsacks + LP support + start (solve)": knap | (x > 1e-6) | start,
        }
        for name, keep in sets.items():
            idx = np.flatnonzero(keep)
            mk = build_model(s, sub.iloc[idx], need_scope=p.needs, agency_scope=p.agencies)
            mk.add_hint(start[keep])
            solver = cpsat_solver(s.options, time_limit_s=args.seconds)
            solver.solve(mk.model)
            lag_bound = f"{lag.bound:,.0f}" if lag is not None else "-"
            print(
                f"| {i} | {len(sub):,} | {score[start].sum():,} | {lp.bound or 0:,.0f} | "
                f"{lag_bound} | {name} | {len(idx):,} | {solver.objective_value:,.0f} |",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("what", choices=["hint", "lp", "highs", "support"])
    ap.add_argument("--parts", type=int, nargs="*", default=None, help="support: part indices")
    ap.add_argument("--scale", default="large", choices=["province", "large", "nation"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--part-time", type=float, default=0.3)
    ap.add_argument("--provinces", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--only", default="abcd", help="hint: which of the runs a-d")
    ap.add_argument("--no-presolve", action="store_true", help="HiGHS presolve off")
    args = ap.parse_args()
    commands = {"hint": cmd_hint, "lp": cmd_lp, "highs": cmd_highs, "support": cmd_support}
    commands[args.what](args)


if __name__ == "__main__":
    main()
