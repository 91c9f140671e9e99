"""The experiment harness (``staffopt.bench``), measured: rows per minute, overhead, memory,
and a national-sized experiment on the local pool and on a 2-worker Dask LocalCluster.

Run by hand, alone on the machine (see benchmarks/README.md, "Experiment harness"):

    PYTHONPATH=src .venv/bin/python benchmarks/bench_harness.py all
    PYTHONPATH=src .venv/bin/python benchmarks/bench_harness.py rate --provinces 10 --jobs 2
    PYTHONPATH=src .venv/bin/python benchmarks/bench_harness.py overhead --runs 50
    PYTHONPATH=src .venv/bin/python benchmarks/bench_harness.py memory --runs 1000
    PYTHONPATH=src .venv/bin/python benchmarks/bench_harness.py national --provinces 34

Each prints one Markdown table. ``--smoke`` shrinks every size to seconds.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from staffopt.allocation import allocate, mechanisms
from staffopt.bench import BenchSpec, run, runs, same_table
from staffopt.bench.runner import _scenario, compute
from staffopt.bench.spec import policy_at


def _spec(provinces: int, mechs: tuple[str, ...], time_limit_s: float = 10.0) -> BenchSpec:
    return BenchSpec(
        mechanisms=mechs,
        scale="province",
        scenario_seeds=tuple(range(provinces)),
        time_limit_s=time_limit_s,
        workers=1,
    )


def _rss_mib() -> float:
    # Resident set size from /proc (Linux): pages x page size.
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def rate(provinces: int, jobs: int) -> None:
    """Rows per minute of a fresh experiment, every mechanism, ``jobs`` processes."""
    spec = _spec(provinces, tuple(mechanisms()))
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run(spec, out, jobs=jobs)
        wall = time.perf_counter() - start
    print("| provinces | mechanisms | rows | jobs | wall s | rows/min |")
    print("|---|---|---|---|---|---|")
    n = len(result.table)
    print(
        f"| {provinces} | {len(spec.mechanisms)} | {n} | {jobs} | {wall:.1f} "
        f"| {60 * n / wall:.1f} |"
    )


def overhead(count: int) -> None:
    """The harness over the bare solve, in one process, scenarios already built.

    bare: ``allocate`` alone; measured: ``compute`` (allocate + evaluate, the
    checker and the stability audit included) and a whole ``run`` (keys, row
    files, the table). The harness's own overhead is run over allocate + evaluate.
    """
    spec = _spec(max(1, count // len(mechanisms())), tuple(mechanisms()))
    todo = runs(spec)[:count]
    for r in todo:  # build (and cache) every scenario, and warm every code path, first
        compute(r)
    bare = 0.0
    for r in todo:
        scenario = _scenario(r.scenario).with_options(
            time_limit_s=r.time_limit_s, deterministic=True, workers=r.workers, seed=r.seed
        )
        policy = policy_at(scenario.policy, {})
        start = time.perf_counter()
        allocate(scenario, r.mechanism, policy, seed=r.seed)
        bare += time.perf_counter() - start
    start = time.perf_counter()
    for r in todo:
        compute(r)
    evaluated = time.perf_counter() - start
    sub = spec.model_copy(
        update={"scenario_seeds": tuple(sorted({int(r.scenario.split(":")[1]) for r in todo}))}
    )
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run(sub, out, jobs=1)
        whole = (time.perf_counter() - start) * count / max(1, len(result.table))
    print("| runs | allocate s | allocate+evaluate s | run() s | harness over allocate+evaluate |")
    print("|---|---|---|---|---|")
    print(
        f"| {count} | {bare:.2f} | {evaluated:.2f} | {whole:.2f} | "
        f"{100 * (whole - evaluated) / evaluated:.1f} % |"
    )


def memory(count: int) -> None:
    """RSS and traced Python memory over ``count`` runs in one process (must stay flat)."""
    spec = _spec(4, tuple(mechanisms()))
    todo = runs(spec)
    tracemalloc.start()
    marks: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as out:
        rows = Path(out)
        for i in range(count):
            row = compute(todo[i % len(todo)])
            (rows / f"{i % len(todo)}.json").write_text(str(row))
            if (i + 1) % max(1, count // 10) == 0:
                gc.collect()
                traced = tracemalloc.get_traced_memory()[0] / 2**20
                marks.append((i + 1, _rss_mib(), traced))
    print("| runs | RSS MiB | traced MiB |")
    print("|---|---|---|")
    for n, rss, traced in marks:
        print(f"| {n} | {rss:.0f} | {traced:.1f} |")


def national(provinces: int) -> None:
    """``provinces`` province-scale scenarios x every mechanism: local pool vs 2-worker Dask."""
    from distributed import Client, LocalCluster

    spec = _spec(provinces, tuple(mechanisms()))
    print("| backend | rows | wall s | rows/min |")
    print("|---|---|---|---|")
    tables = []
    for backend in ("local", "dask"):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            if backend == "local":
                result = run(spec, out, jobs=2)
            else:
                with (
                    LocalCluster(
                        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
                    ) as cluster,
                    Client(cluster) as client,
                ):
                    result = run(spec, out, client=client)
            wall = time.perf_counter() - start
        tables.append(result.table)
        n = len(result.table)
        print(f"| {backend} (2 processes) | {n} | {wall:.1f} | {60 * n / wall:.1f} |")
    print(f"\nsame table on both (run_time_s aside): {same_table(tables[0], tables[1])}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("what", choices=("rate", "overhead", "memory", "national", "all"))
    p.add_argument("--provinces", type=int, default=None)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--runs", type=int, default=None)
    p.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs")
    a = p.parse_args()
    small = a.smoke
    if a.what in ("rate", "all"):
        rate(a.provinces or (1 if small else 10), a.jobs)
    if a.what in ("overhead", "all"):
        overhead(a.runs or (7 if small else 70))
    if a.what in ("memory", "all"):
        memory(a.runs or (20 if small else 1000))
    if a.what in ("national", "all"):
        national(a.provinces or (1 if small else 34))


if __name__ == "__main__":
    main()
