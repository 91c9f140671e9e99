"""Experiments: spec validation, resumable runs, reproducible tables, Dask == local, summaries."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scipy import stats

import staffopt
from staffopt.bench import (
    BenchSpec,
    SpecError,
    load_spec,
    pareto_front,
    price_of_rule,
    run,
    runs,
    same_table,
    spec_from_dict,
    summarise,
    t_interval,
)
from staffopt.bench import runner as runner_module
from staffopt.cli import main

SPEC = """
version = 1
mechanisms = ["optimal", "greedy", "lottery"]
seeds = [0]
time_limit_s = 2.0
[scenarios]
scale = "province"
seeds = [0, 1]
[grid]
max_km = ["none", 60]
zone_points.III = [0, 80]
"""
#: 2 scenarios x 3 mechanisms x 4 grid points x 1 seed.
ROWS = 24


def write_spec(factory: pytest.TempPathFactory, text: str) -> Path:
    """``text`` as a spec file in a fresh folder."""
    path = factory.mktemp("spec") / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(tmp_path_factory, SPEC)


@pytest.fixture(scope="module")
def local_table(spec_file: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return run(spec_file, tmp_path_factory.mktemp("local"), jobs=1).table


def test_spec_reads_grid_and_none(spec_file: Path) -> None:
    spec = load_spec(spec_file)
    assert spec.grid == (("max_km", (None, 60)), ("zone_points.III", (0, 80)))
    assert len(runs(spec)) == ROWS


def test_dotted_grid_key_sets_a_zone() -> None:
    spec = spec_from_dict(
        {
            "mechanisms": ["optimal"],
            "scenarios": {"scale": "province", "seeds": [0]},
            "grid": {"zone_points": {"III": [0, 40]}},
        }
    )
    assert spec.grid_points() == [{"zone_points.III": 0}, {"zone_points.III": 40}]


def test_spec_errors_name_file_key_expected_found(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'mechanisms = ["optimal", "bogus"]\ntime_limit_s = -1\ncolour = 3\n'
        '[scenarios]\nscale = "planet"\n[grid]\nmax_km = ["far"]\nnot_a_field = [1]\n',
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as info:
        load_spec(path)
    problems = {p.column: p for p in info.value.problems}
    assert set(problems) == {
        "mechanisms",
        "time_limit_s",
        "colour",
        "scenarios.scale",
        "grid.max_km",
        "grid.not_a_field",
    }
    assert all(p.table == str(path) for p in problems.values())
    assert problems["mechanisms"].found == '"bogus"'
    assert "deferred_acceptance" in str(problems["mechanisms"].expected)
    assert problems["grid.max_km"].found == '"far"'
    assert "max_km" in str(problems["grid.max_km"].expected)
    en = info.value.text("en")
    assert en.startswith(f"invalid experiment spec {path}: 6 problem(s)")
    assert f"{path}, key 'grid.max_km': not a valid value of the policy field" in en
    vi = info.value.text("vi")
    assert "khóa 'grid.max_km'" in vi
    assert "cơ chế phân bổ không xác định" in vi and "trường chính sách" in vi


def test_spec_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("mechanisms = [", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_spec(path)


def test_every_plan_passes_the_checker(local_table: pd.DataFrame) -> None:
    # Every grid point's plans checked against the policy they were made under
    # (a zone_points change moves every score the checker re-derives).
    assert len(local_table) == ROWS
    assert (local_table["violations"] == 0).all()
    assert (local_table["violations_ignored"] == 0).all()
    optimal = local_table[local_table["mechanism"] == "optimal"]
    assert optimal.groupby("zone_points.III")["score"].mean().is_monotonic_increasing
    assert local_table["key"].is_unique


def test_optimal_scores_at_least_every_mechanism(local_table: pd.DataFrame) -> None:
    best = local_table[local_table["mechanism"] == "optimal"].set_index(["scenario", "grid"])
    for _, row in local_table.iterrows():
        assert best.loc[(row["scenario"], row["grid"]), "score"] >= row["score"]


def test_same_spec_same_table(spec_file: Path, local_table: pd.DataFrame, tmp_path: Path) -> None:
    again = run(spec_file, tmp_path, jobs=1).table
    # run_time_s is wall-clock time: the one column that differs between equal runs.
    assert same_table(local_table, again)
    assert not local_table.drop(columns="run_time_s").empty
    saved = pd.read_parquet(tmp_path / "table.parquet")
    assert same_table(saved, again)
    assert len(pd.read_csv(tmp_path / "table.csv")) == len(again)


def test_resume_computes_only_the_rest(
    spec_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_table: pd.DataFrame
) -> None:
    k = 5

    def stop_after_k(row: dict[str, Any]) -> None:
        if len(list((tmp_path / "rows").glob("*.json"))) == k:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(spec_file, tmp_path, jobs=1, on_row=stop_after_k)
    assert len(list((tmp_path / "rows").glob("*.json"))) == k
    assert not (tmp_path / "table.parquet").exists()

    asked: list[str] = []
    real = runner_module.compute

    def watched(r: runner_module.Run) -> dict[str, Any]:
        asked.append(r.key)
        return real(r)

    monkeypatch.setattr(runner_module, "compute", watched)
    result = run(spec_file, tmp_path, jobs=1)
    assert len(asked) == len(set(asked)) == ROWS - k
    assert result.computed == ROWS - k and result.reused == k
    assert same_table(result.table, local_table)


def test_dask_table_equals_local_table(
    spec_file: Path, local_table: pd.DataFrame, tmp_path: Path
) -> None:
    # The test extra installs distributed: CI must run this test, not skip it.
    if os.environ.get("CI"):
        import distributed
    else:
        distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        table = run(spec_file, tmp_path, client=client).table
    assert same_table(table, local_table)


def test_process_pool_table_equals_local_table(
    spec_file: Path, local_table: pd.DataFrame, tmp_path: Path
) -> None:
    assert same_table(run(spec_file, tmp_path, jobs=2).table, local_table)


def test_t_interval_by_hand() -> None:
    mean, low, high = t_interval([1.0, 2.0, 3.0, 6.0])
    sd = math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3)
    half = stats.t.ppf(0.975, 3) * sd / 2
    assert mean == 3.0
    assert low == pytest.approx(3 - half) and high == pytest.approx(3 + half)
    assert half == pytest.approx(3.182446 * math.sqrt(14 / 3) / 2, rel=1e-6)
    one = t_interval([4.0])
    assert one[0] == 4.0 and math.isnan(one[1])


def test_summarise_by_hand() -> None:
    table = pd.DataFrame(
        {
            "mechanism": ["a", "a", "a", "b", "b"],
            "grid": ["{}"] * 5,
            "score": [1.0, 2.0, 3.0, 10.0, 20.0],
        }
    )
    s = summarise(table, ["score"]).set_index("mechanism")
    assert s.loc["a", "n"] == 3 and s.loc["a", "score_mean"] == 2.0
    half_a = stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3)
    assert s.loc["a", "score_high"] == pytest.approx(2.0 + half_a)
    half_b = stats.t.ppf(0.975, 1) * math.sqrt(50) / math.sqrt(2)
    assert s.loc["b", "score_low"] == pytest.approx(15.0 - half_b)


def test_price_of_a_rule_known_answer() -> None:
    # Three scenarios; the rule costs 10, 20 and 30 points: mean 20, paired.
    table = pd.DataFrame(
        {
            "mechanism": ["optimal"] * 6 + ["greedy"],
            "scenario": ["s1", "s2", "s3", "s1", "s2", "s3", "s1"],
            "seed": [0] * 7,
            "grid": ['{"max_km": null}'] * 7,
            "max_km": [None, None, None, 100, 100, 100, 100],
            "score": [110.0, 220.0, 330.0, 100.0, 200.0, 300.0, 0.0],
        }
    )
    price = price_of_rule(table, "max_km", 100, None, "score")
    assert price["pairs"] == 3 and price["mean"] == pytest.approx(-20.0)
    half = stats.t.ppf(0.975, 2) * 10.0 / math.sqrt(3)
    assert price["low"] == pytest.approx(-20.0 - half)
    assert price["high"] == pytest.approx(-20.0 + half)


def test_pareto_front_known_answer() -> None:
    points = pd.DataFrame({"name": list("abcde"), "cover": [1, 2, 3, 2, 3], "km": [1, 2, 5, 3, 4]})
    front = pareto_front(points, "cover", "km", maximise=(True, False))
    # d is dominated by b (same cover, more km); c by e (same cover, more km).
    assert list(front["name"]) == ["a", "b", "e"]


def test_cli_bench(spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(spec_file), "--out", str(tmp_path)]) == 0
    assert f"{ROWS} rows" in capsys.readouterr().out
    assert main(["bench", str(spec_file), "--out", str(tmp_path), "--lang", "vi"]) == 0
    assert "(0 dòng vừa tính)" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('mechanisms = ["nope"]\n[scenarios]\nscale = "province"\n', encoding="utf-8")
    assert main(["bench", str(bad), "--out", str(tmp_path / "x")]) == 2
    assert "unknown mechanism" in capsys.readouterr().err


def test_spec_model_is_frozen() -> None:
    spec = BenchSpec(mechanisms=("optimal",), scale="province", scenario_seeds=(0,))
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error type
        spec.version = 2  # type: ignore[misc]
    assert staffopt.mechanisms()


def test_scenario_folders_and_workbooks(tmp_path: Path) -> None:
    from staffopt.scenarios import write_example

    write_example("dien-bien", tmp_path / "db")
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'mechanisms = ["optimal", "nearest"]\ntime_limit_s = 5.0\n'
        '[scenarios]\npaths = ["db"]\n[grid]\nzone_points.III = [0, 80]\n',
        encoding="utf-8",
    )
    table = run(spec, tmp_path / "out").table
    assert len(table) == 4 and (table["violations"] == 0).all()
    assert set(table["scenario"]) == {str(tmp_path / "db")}
    missing = tmp_path / "missing.toml"
    missing.write_text(
        'mechanisms = ["optimal"]\n[scenarios]\npaths = ["nowhere"]\n', encoding="utf-8"
    )
    with pytest.raises(SpecError, match="nowhere"):
        load_spec(missing)


def test_no_progress_bar_off_a_terminal() -> None:
    # Under pytest stderr is captured, not a terminal: no bar, no escape codes.
    assert runner_module._progress(10, 0) is None


def test_cli_ctrl_c_keeps_finished_rows(
    spec_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = runner_module.compute
    calls: list[str] = []

    def interrupted_at_third(r: runner_module.Run) -> dict[str, Any]:
        calls.append(r.key)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(r)

    monkeypatch.setattr(runner_module, "compute", interrupted_at_third)
    assert main(["bench", str(spec_file), "--out", str(tmp_path)]) == 130
    assert "run the same command to resume" in capsys.readouterr().err
    assert len(list((tmp_path / "rows").glob("*.json"))) == 2
