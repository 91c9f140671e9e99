"""Benchmark staffopt against its peers on synthetic scenarios, one fresh process per method.

Usage (from the repository root)::

    .venv/bin/python benchmarks/run.py --scale province --seeds 0
    .venv/bin/python benchmarks/run.py --scale large --part-time 0.3 --seeds 0 1 2
    .venv/bin/python benchmarks/run.py --scale nation --methods auto mcf greedy
    .venv/bin/python benchmarks/run.py --scale nation --part-time 0.3 \
        --max-communes 3 --max-km-between 60 --methods auto auto-repro greedy

Every method runs in its own subprocess so its peak RSS (VmHWM) is its own;
each subprocess generates the same seeded scenario (not timed) and computes
the same arcs with :func:`staffopt.eligibility.candidates` (a hash of the arcs
is printed to show they are the same). Methods:

* ``auto``: ``staffopt.solve`` with the default engine choice (flow for pure
  networks, CP-SAT otherwise): candidates + build + solve + decode; fast mode
  (the Python default: the time limit is wall clock).
* ``auto-repro``: the same in the reproducible mode (``deterministic=True``,
  the default of ``staffopt solve``): the time limit becomes deterministic work.
* ``cpsat``: ``staffopt.solve`` with ``engine="cpsat"``.
* ``mcf``: bare OR-Tools SimpleMinCostFlow on the arcs (the speed limit).
* ``highs``: HiGHS MIP on the same model (time limit ``--highs-time-limit``).
* ``highs-nopre``: the same with HiGHS presolve off (its MIP presolve grows
  faster than linearly and ignores the time limit at national scale).
* ``highs-gap`` / ``highs-gap-nopre``: HiGHS with ``mip_rel_gap`` = the gap
  staffopt ``auto`` reached in the same run (to compare time to the same
  gap); skipped when staffopt proved optimality (then it is ``highs``).
* ``greedy``: criticality/zone-ordered greedy.

``--max-communes K`` / ``--max-km-between KM`` set the Policy keys of the
same name (shared support: the most communes one person covers, the largest
road km between two of them) on the generated scenario. Only staffopt's
methods and greedy state these limits; the peers (``mcf``, ``highs*``) model
without them, so they are refused with these flags.

Columns: ``cand s`` candidates (the same code for every method), ``build s``
model building, ``solve s`` the solver call, ``decode s`` turning the
solution into a plan (staffopt only), ``total s`` everything but generation,
``objective``, ``bound``, ``gap`` = (best bound in the table - objective) /
best bound, ``peak RSS`` = the process's VmHWM (includes the scenario; the
``scenario RSS`` line gives the RSS after generating it).

``--kill-after`` is a hard wall-clock guard per method: a process that
outlives it is killed and reported as such, with the peak RSS seen so far.

Results are appended as JSON lines to ``benchmarks/results/<label>.jsonl``
and a Markdown table is printed per scale/seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
METHODS = (
    "auto",
    "auto-repro",
    "cpsat",
    "mcf",
    "highs",
    "highs-nopre",
    "highs-gap",
    "highs-gap-nopre",
    "greedy",
)
LABELS = {
    "auto": "staffopt auto",
    "auto-repro": "staffopt auto, reproducible",
    "cpsat": "staffopt cpsat",
    "mcf": "min-cost flow (bare)",
    "highs": "HiGHS MIP",
    "highs-nopre": "HiGHS MIP, presolve off",
    "highs-gap": "HiGHS MIP to staffopt's gap",
    "highs-gap-nopre": "HiGHS MIP to staffopt's gap, presolve off",
    "greedy": "greedy",
}


def memory_kb() -> dict[str, int]:
    """VmRSS and VmHWM of this process in kB (Linux)."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def _child_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def make_scenario(
    scale: str,
    seed: int,
    part_time: float,
    provinces: int | None,
    max_communes: int | None = None,
    max_km_between: float | None = None,
) -> Any:
    if scale == "dien-bien":
        from staffopt.scenarios import dien_bien

        s = dien_bien()
    else:
        from staffopt.scenarios.synthetic import synthetic

        s = synthetic(scale, seed=seed, part_time_share=part_time, provinces=provinces)  # type: ignore[arg-type]
    if max_communes is None and max_km_between is None:
        return s
    from staffopt import Policy

    policy = Policy.model_validate(
        {**s.policy.model_dump(), "max_communes": max_communes, "max_km_between": max_km_between}
    )
    return s.model_copy(update={"policy": policy})


def with_budget_share(s: Any, share: float) -> Any:
    """The scenario with an allowance budget of ``share`` times what the greedy plan
    (budget-free) would pay: a budget that binds, fixed by the data alone."""
    from staffopt.eligibility import candidates
    from staffopt.policies import greedy_assign

    free = s.with_policy(budget=None)
    arcs, _ = candidates(free)
    spent = int(arcs["cost"].to_numpy()[greedy_assign(free, arcs)].sum())
    return s.with_policy(budget=int(share * spent) // 1000 * 1000)


def arcs_digest(arcs: Any) -> str:
    h = hashlib.sha1()
    for col in ("o_idx", "n_idx", "score", "load"):
        h.update(np.ascontiguousarray(arcs[col].to_numpy()).tobytes())
    return h.hexdigest()[:10]


def worker(args: argparse.Namespace) -> dict[str, Any]:
    """Run one method in this process and return its measurements."""
    t = time.perf_counter()
    s = make_scenario(
        args.scale,
        args.seed,
        args.part_time,
        args.provinces,
        args.max_communes,
        args.max_km_between,
    )
    if args.budget_share is not None:
        s = with_budget_share(s, args.budget_share)
    gen_s = time.perf_counter() - t
    scenario_rss = memory_kb()["VmRSS"]
    row: dict[str, Any] = {"method": args.method, "gen_s": gen_s, "scenario_rss_kb": scenario_rss}
    time_limit = args.time_limit or s.options.time_limit_s
    if args.method in ("auto", "cpsat", "auto-repro"):
        import staffopt.solver as solve_mod

        timings: dict[str, float] = {"flow_s": 0.0, "decode_s": 0.0}

        def timed(name: str, fn: Any) -> Any:
            def wrapper(*a: Any, **k: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    timings[name] += time.perf_counter() - t0

            return wrapper

        import staffopt.solver.search as search_mod

        # Wrapped where their callers look them up (module globals).
        solve_mod.solve_flow = timed("flow_s", solve_mod.solve_flow)  # type: ignore[attr-defined]
        search_mod.solve_flow = timed("flow_s", search_mod.solve_flow)  # type: ignore[attr-defined]
        solve_mod.decode = timed("decode_s", solve_mod.decode)  # type: ignore[attr-defined]
        options = s.options.with_changes(
            engine="cpsat" if args.method == "cpsat" else "auto",
            time_limit_s=float(time_limit),
            deterministic=args.method == "auto-repro",
        )
        t0 = time.perf_counter()
        plan = solve_mod.solve(s, options=options)
        total = time.perf_counter() - t0
        f = plan.solver.to_dict()
        cand = float(f.get("candidates_s", 0.0))
        if f["engine"] == "flow":
            build = solve_s = None  # one call; see flow_s
            solve_s = timings["flow_s"]
        else:
            build = float(f.get("build_s", 0.0)) + float(f.get("split_s", 0.0))
            solve_s = float(f.get("solve_s", 0.0)) + float(f.get("hint_s", 0.0))
        row.update(
            engine=f["engine"],
            status=plan.status,
            objective=plan.objective,
            bound=plan.bound,
            cand_s=cand,
            build_s=build,
            solve_s=solve_s,
            decode_s=timings["decode_s"],
            total_s=total,
            arcs=int(f["arcs"]),
            digest=arcs_digest(plan.arcs),
            facts={k: v for k, v in f.items() if k not in ("pieces",)},
            assignments=len(plan.assignments),
        )
        if args.check:
            from staffopt.checker import check

            t0 = time.perf_counter()
            row["violations"] = len(check(s, plan))
            row["check_s"] = time.perf_counter() - t0
    else:
        sys.path.insert(0, str(HERE))
        import peers

        from staffopt.eligibility import candidates

        t0 = time.perf_counter()
        arcs, _ = candidates(s)
        cand = time.perf_counter() - t0
        if args.method == "mcf":
            r = peers.min_cost_flow(s, arcs)
        elif args.method.startswith("highs"):
            r = peers.highs_mip(
                s,
                arcs,
                time_limit_s=args.highs_time_limit,
                rel_gap=args.rel_gap if args.method.startswith("highs-gap") else 0.0,
                options={"presolve": "off"} if args.method.endswith("nopre") else None,
            )
        elif args.method == "greedy":
            r = peers.greedy(s, arcs)
        else:
            raise SystemExit(f"unknown method {args.method}")
        row.update(
            engine=args.method,
            status=r.status,
            objective=r.objective,
            bound=r.bound,
            cand_s=cand,
            build_s=r.build_s,
            solve_s=r.solve_s,
            decode_s=None,
            total_s=cand + r.build_s + r.solve_s,
            arcs=len(arcs),
            digest=arcs_digest(arcs),
            facts=r.facts,
            assignments=int(r.chosen.sum()),
        )
        if args.check and r.chosen.any():
            from staffopt.checker import check

            cols = ["official_id", "need_id", "commune_id", "field", "distance_km", "score"]
            t0 = time.perf_counter()
            row["violations"] = len(check(s, arcs.loc[r.chosen, [*cols, "load"]]))
            row["check_s"] = time.perf_counter() - t0
    row["peak_rss_kb"] = memory_kb()["VmHWM"]
    return row


def run_method(args: argparse.Namespace, method: str, extra: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        method,
        "--out",
        out,
        "--scale",
        args.scale,
        "--seeds",
        str(args.seed),
        "--part-time",
        str(args.part_time),
        "--highs-time-limit",
        str(args.highs_time_limit),
        *extra,
    ]
    if args.provinces:
        cmd += ["--provinces", str(args.provinces)]
    if args.max_communes is not None:
        cmd += ["--max-communes", str(args.max_communes)]
    if args.max_km_between is not None:
        cmd += ["--max-km-between", str(args.max_km_between)]
    if args.budget_share is not None:
        cmd += ["--budget-share", str(args.budget_share)]
    if args.time_limit:
        cmd += ["--time-limit", str(args.time_limit)]
    if args.check:
        cmd += ["--check"]
    # Popen + polling: a hard wall-clock guard (some solvers overrun their own time
    # limit) that still records the child's peak RSS when it has to be killed.
    limit = args.kill_after
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        hwm = 0
        killed = False
        while proc.poll() is None:
            hwm = max(hwm, _child_hwm_kb(proc.pid))
            if time.perf_counter() - t > limit:
                proc.kill()
                killed = True
                proc.wait()
                break
            time.sleep(0.25)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    wall = time.perf_counter() - t
    try:
        row: dict[str, Any] = json.loads(Path(out).read_text())
    except (OSError, ValueError):
        status = f"killed after {limit:.0f} s" if killed else f"crashed rc={proc.returncode}"
        row = {"method": method, "status": status, "error": stderr[-2000:]}
        if hwm:
            row["peak_rss_kb"] = hwm
    finally:
        Path(out).unlink(missing_ok=True)
    row["process_wall_s"] = wall
    return row


def _fmt(x: Any, spec: str = ".2f") -> str:
    if x is None:
        return "-"
    if isinstance(x, float | int):
        return format(x, spec)
    return str(x)


def table(rows: list[dict[str, Any]], title: str) -> str:
    # Plans that count: not from a method that ignores rules, and no checker violation.
    objs = [
        r["objective"]
        for r in rows
        if r.get("objective") is not None
        and r.get("status") != "ignores rules"
        and not r.get("violations")
    ]
    best_obj = max(objs) if objs else None
    # A bound below a feasible plan's objective (checked plans) is no bound: flag it.
    invalid = {
        id(r)
        for r in rows
        if r.get("bound") is not None and best_obj is not None and r["bound"] < best_obj - 0.5
    }
    bounds = [r["bound"] for r in rows if r.get("bound") is not None and id(r) not in invalid]
    best_bound = min(bounds) if bounds else None
    lines = [
        f"**{title}**",
        "",
        "| method | engine | status | cand s | build s | solve s | decode s | total s "
        "| objective | bound | own gap | gap to best bound | peak RSS MB | check |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        gap = own = None
        if best_bound and r.get("objective") is not None:
            gap = (best_bound - r["objective"]) / abs(best_bound)
        if r.get("bound") and r.get("objective") is not None:
            own = (r["bound"] - r["objective"]) / abs(r["bound"])
        check = "-" if "violations" not in r else f"{r['violations']} violations"
        lines.append(
            "| "
            + " | ".join(
                [
                    LABELS.get(r["method"], r["method"]),
                    _fmt(r.get("engine")),
                    _fmt(r.get("status")),
                    _fmt(r.get("cand_s")),
                    _fmt(r.get("build_s")),
                    _fmt(r.get("solve_s"), ".3f"),
                    _fmt(r.get("decode_s")),
                    _fmt(r.get("total_s")),
                    _fmt(r.get("objective"), ".0f"),
                    _fmt(r.get("bound"), ".0f") + (" (INVALID)" if id(r) in invalid else ""),
                    "-" if own is None else f"{own:.3%}",
                    "-" if gap is None else f"{gap:.3%}",
                    _fmt(None if "peak_rss_kb" not in r else r["peak_rss_kb"] / 1024, ".0f"),
                    check,
                ]
            )
            + " |"
        )
    first = next((r for r in rows if "arcs" in r), None)
    if first:
        digests = {r.get("digest") for r in rows if "digest" in r}
        lines += [
            "",
            f"arcs {first['arcs']:,} (same arcs in every row: {len(digests) == 1}); "
            f"generate {first['gen_s']:.2f} s (not timed); "
            f"scenario RSS {first['scenario_rss_kb'] / 1024:.0f} MB; "
            f"best objective {_fmt(best_obj, '.0f')}, best bound {_fmt(best_bound, '.0f')}",
        ]
        if invalid:
            lines.append(
                "INVALID: the reported bound is below the objective of another method's "
                "plan, so it is not an upper bound."
            )
    return "\n".join(lines)


def render(paths: list[Path]) -> str:
    """The Markdown tables of earlier runs (JSON lines), one per scale/seed/part-time/run."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            key = (r.get("scale"), r.get("seed"), r.get("part_time"), r.get("env"))
            groups.setdefault(key, []).append(r)
    out = []
    for (scale, seed, part_time, env), rows in groups.items():
        out.append(table(rows, f"{scale}, seed {seed}, part-time share {part_time:g} — {env}"))
    return "\n\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--scale", default="province", choices=["province", "large", "nation", "dien-bien"]
    )
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--part-time", type=float, default=0.0)
    ap.add_argument("--provinces", type=int, default=None)
    ap.add_argument(
        "--budget-share",
        type=float,
        default=None,
        help="allowance budget = this share of the budget-free greedy plan's cost "
        "(HiGHS and bare flow peers ignore budgets: run methods auto, auto-repro, greedy)",
    )
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    ap.add_argument("--time-limit", type=float, default=None, help="staffopt time limit (s)")
    ap.add_argument("--highs-time-limit", type=float, default=120.0)
    ap.add_argument(
        "--kill-after",
        type=float,
        default=1800.0,
        help="kill a method's process after this many seconds (default 1800)",
    )
    ap.add_argument("--max-communes", type=int, default=None, help="Policy max_communes")
    ap.add_argument("--max-km-between", type=float, default=None, help="Policy max_km_between")
    ap.add_argument("--check", action="store_true", help="run staffopt.check on staffopt plans")
    ap.add_argument("--label", default=None, help="results file name (default: from scale)")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--rel-gap", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument(
        "--render", nargs="+", type=Path, default=None, help="print tables of results/*.jsonl"
    )
    args = ap.parse_args()
    if args.render:
        print(render(args.render), end="")
        return
    if args.worker:
        args.method = args.worker
        args.seed = args.seeds[0]
        row = worker(args)
        Path(args.out).write_text(json.dumps(row, default=float))
        return
    limits = args.max_communes is not None or args.max_km_between is not None
    if limits:
        peers = [m for m in args.methods if m not in ("auto", "auto-repro", "cpsat", "greedy")]
        if peers:
            ap.error(f"--max-communes/--max-km-between: {peers} do not model these limits")
    label = args.label or f"{args.scale}-pt{args.part_time:g}"
    if limits:
        label += f"-mc{args.max_communes}-kb{args.max_km_between}"
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if dirty:
        commit += " + uncommitted src changes"
    env = (
        f"commit {commit}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    for seed in args.seeds:
        args.seed = seed
        rows: list[dict[str, Any]] = []
        for method in args.methods:
            extra: list[str] = []
            if method.startswith("highs-gap"):
                ref = next((r for r in rows if r["method"] in ("auto", "cpsat")), None)
                if ref is None or ref.get("objective") is None or ref.get("bound") is None:
                    continue
                gap = max(0.0, (ref["bound"] - ref["objective"]) / abs(ref["bound"]))
                if gap == 0.0:
                    continue
                extra = ["--rel-gap", repr(gap)]
            row = run_method(args, method, extra)
            row.update(scale=args.scale, seed=seed, part_time=args.part_time, env=env)
            row.update(max_communes=args.max_communes, max_km_between=args.max_km_between)
            rows.append(row)
            print(
                f"  {method}: {row.get('status')} total {_fmt(row.get('total_s'))} s "
                f"obj {_fmt(row.get('objective'), '.0f')} "
                f"rss {_fmt(row.get('peak_rss_kb', 0) / 1024, '.0f')} MB",
                file=sys.stderr,
                flush=True,
            )
            with open(results / f"{label}.jsonl", "a", encoding="utf-8") as fh:
                fh.write(json.dumps(row, default=float) + "\n")
        title = (
            f"{args.scale}"
            + (f" ({args.provinces} provinces)" if args.provinces else "")
            + f", seed {seed}, part-time share {args.part_time:g} — {env}"
        )
        print(table(rows, title))
        print()


if __name__ == "__main__":
    main()
