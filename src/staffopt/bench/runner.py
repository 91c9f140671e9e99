"""``run(spec)``: every run of a spec, resumable, on a local process pool or Dask.

A run is one scenario x mechanism x grid point x seed. Its key is a stable
hash of those and the spec's version; a finished run is written at once as
one small JSON file ``rows/<key>.json`` (whole or absent, ``io.atomic``), so
an interrupted experiment (Ctrl-C, a lost worker) resumes where it stopped.
At the end the rows are combined, sorted by their keys, into ``table.parquet``
and ``table.csv``. Solves run in reproducible mode (``deterministic=True``),
so the same spec gives the same table; only ``run_time_s`` differs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from staffopt.bench.spec import BenchSpec, grid_label, load_spec, policy_at
from staffopt.io.atomic import atomic_file

if TYPE_CHECKING:
    from staffopt.schema import Scenario

#: The key columns of every row, in order (then evaluate()'s metrics).
KEY_COLUMNS = ("key", "scenario", "mechanism", "grid", "seed")
#: Columns that differ between equal runs (wall-clock time).
TIMING_COLUMNS = ("run_time_s",)


@dataclass(frozen=True)
class Run:
    """One run: what to solve, picklable (workers rebuild the scenario from its key)."""

    scenario: str
    mechanism: str
    grid: str
    seed: int
    version: int
    time_limit_s: float
    workers: int

    @property
    def key(self) -> str:
        ident = [self.scenario, self.mechanism, self.grid, self.seed, self.version]
        return hashlib.sha256(json.dumps(ident).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class BenchResult:
    """What :func:`run` did: the table, where it is, how many runs it computed now."""

    table: pd.DataFrame
    out: Path
    computed: int
    reused: int


def runs(spec: BenchSpec) -> list[Run]:
    """Every run of ``spec``, in the table's order."""
    return [
        Run(
            scenario,
            mechanism,
            grid_label(point),
            seed,
            spec.version,
            spec.time_limit_s,
            spec.workers,
        )
        for scenario in spec.scenario_keys()
        for point in spec.grid_points()
        for mechanism in spec.mechanisms
        for seed in spec.seeds
    ]


@functools.lru_cache(maxsize=4)
def _scenario(key: str) -> Scenario:
    # Cached per process: a worker runs every mechanism and grid point of a scenario.
    scale, sep, seed = key.partition(":")
    if sep and scale in ("province", "large", "nation") and seed.isdigit():
        from staffopt.scenarios.synthetic import synthetic

        return synthetic(scale, seed=int(seed))  # type: ignore[arg-type]
    from staffopt.io import load_scenario

    return load_scenario(key)


def compute(run: Run) -> dict[str, Any]:
    """One run's row: its keys, then :func:`staffopt.metrics.evaluate`'s metrics."""
    from staffopt.allocation import allocate
    from staffopt.metrics import evaluate

    base = _scenario(run.scenario)
    # The grid point's policy becomes the scenario's own: the checker (inside
    # evaluate) re-derives scores and limits from the scenario's policy.
    scenario = base.with_policy(policy_at(base.policy, json.loads(run.grid))).with_options(
        time_limit_s=run.time_limit_s, deterministic=True, workers=run.workers, seed=run.seed
    )
    plan = allocate(scenario, run.mechanism, seed=run.seed)
    metrics = evaluate(scenario, plan)
    metrics.pop("mechanism")
    return {
        "key": run.key,
        "scenario": run.scenario,
        "mechanism": run.mechanism,
        "grid": run.grid,
        "seed": run.seed,
        **json.loads(run.grid),
        **metrics,
    }


def _write_row(rows: Path, row: dict[str, Any]) -> None:
    with atomic_file(rows / f"{row['key']}.json") as tmp:
        tmp.write_text(json.dumps(row, ensure_ascii=False, default=str), encoding="utf-8")


def done_keys(out: Path) -> set[str]:
    """The keys of the runs already finished in ``out`` (their row files)."""
    rows = out / "rows"
    return {p.stem for p in rows.glob("*.json")} if rows.is_dir() else set()


def _local(todo: list[Run], jobs: int) -> Iterator[dict[str, Any]]:
    if jobs == 1:
        # In this process: no pool to start, and tests can watch every call.
        yield from map(compute, todo)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures: list[Future[dict[str, Any]]] = [pool.submit(compute, r) for r in todo]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _dask(todo: list[Run], client: Any) -> Iterator[dict[str, Any]]:
    from distributed import as_completed as dask_completed

    futures = client.map(compute, todo, pure=False)
    try:
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()
    finally:
        client.cancel(futures)


def _progress(total: int, done: int) -> Any:
    """A rich progress bar (rows, rate, ETA) on a terminal; None elsewhere or without rich."""
    if not sys.stderr.isatty():
        return None
    try:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
    except ImportError:
        return None
    bar = Progress(
        TextColumn("rows"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        transient=True,
    )
    bar.add_task("rows", total=total, completed=done, rate="")
    return bar


def read_rows(out: Path, keys: Iterable[str]) -> pd.DataFrame:
    """The finished rows of ``keys`` as one table, in the order given."""
    rows = [json.loads((out / "rows" / f"{k}.json").read_text(encoding="utf-8")) for k in keys]
    return pd.DataFrame(rows)


def run(
    spec: BenchSpec | str | Path,
    out: str | Path = "bench_out",
    *,
    jobs: int = 1,
    client: Any = None,
    scheduler: str | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> BenchResult:
    """Run every run of ``spec`` not finished in ``out``; write and return the table.

    ``jobs``: local processes (1: in this process). ``client`` (a
    ``distributed.Client``) or ``scheduler`` (its address) run on Dask
    instead. ``on_row`` is called with each finished row (after it is saved).
    """
    if not isinstance(spec, BenchSpec):
        spec = load_spec(spec)
    out = Path(out)
    (out / "rows").mkdir(parents=True, exist_ok=True)
    every = runs(spec)
    finished = done_keys(out)
    todo = [r for r in every if r.key not in finished]
    if scheduler is not None and client is None:
        from distributed import Client

        with Client(scheduler) as own:  # type: ignore[no-untyped-call]
            computed = _collect(out, _dask(todo, own), len(every), len(every) - len(todo), on_row)
    elif client is not None:
        computed = _collect(out, _dask(todo, client), len(every), len(every) - len(todo), on_row)
    else:
        computed = _collect(out, _local(todo, jobs), len(every), len(every) - len(todo), on_row)
    table = read_rows(out, [r.key for r in every])
    with atomic_file(out / "table.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_file(out / "table.csv") as tmp:
        table.to_csv(tmp, index=False)
    with atomic_file(out / "spec.json") as tmp:
        tmp.write_text(spec.model_dump_json(indent=2), encoding="utf-8")
    return BenchResult(table, out, computed, len(every) - len(todo))


def _collect(
    out: Path,
    rows: Iterator[dict[str, Any]],
    total: int,
    done: int,
    on_row: Callable[[dict[str, Any]], None] | None,
) -> int:
    bar = _progress(total, done)
    computed = 0
    start = time.perf_counter()
    if bar is not None:
        bar.start()
    try:
        for row in rows:
            _write_row(out / "rows", row)
            computed += 1
            if bar is not None:
                rate = 60.0 * computed / max(time.perf_counter() - start, 1e-9)
                bar.update(bar.task_ids[0], advance=1, rate=f"{rate:.1f} rows/min")
            if on_row is not None:
                on_row(row)
    finally:
        if bar is not None:
            bar.stop()
    return computed


def same_table(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal tables but for the timing columns (what reproducible runs promise)."""
    drop = [c for c in TIMING_COLUMNS if c in a.columns]
    return a.drop(columns=drop).equals(b.drop(columns=[c for c in drop if c in b.columns]))


__all__ = ["KEY_COLUMNS", "BenchResult", "Run", "compute", "done_keys", "run", "runs", "same_table"]
