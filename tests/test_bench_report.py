"""The experiment's HTML report: what it holds, the price table, and a real browser.

The browser test reuses the plan report's Chromium helpers (fails in CI
without the browser, skips elsewhere with the install hint; the screenshot
goes to ``STAFFOPT_ARTEFACTS`` or the test's tmp folder).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_bench import write_spec
from test_html_report import _artefacts, assert_figures_drawn, page_in_chromium

from staffopt.bench import price_of_rule, run
from staffopt.bench.report import bench_to_html, pareto_points, rule_prices
from staffopt.cli import main

SPEC = """
mechanisms = ["optimal", "greedy", "nearest"]
time_limit_s = 2.0
[scenarios]
scale = "province"
seeds = [3, 4]
[grid]
max_km = ["none", 60]
"""
FIGURES = ("coverage_zone", "km", "pareto", "price")


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(tmp_path_factory, SPEC)


@pytest.fixture(scope="module")
def table(spec_file: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return run(spec_file, tmp_path_factory.mktemp("out")).table


@pytest.fixture(scope="module")
def reports(table: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {lang: bench_to_html(table, folder / f"{lang}.html", lang) for lang in ("en", "vi")}


def test_rule_prices_are_paired_differences(table: pd.DataFrame) -> None:
    prices = rule_prices(table)
    assert set(prices["metric"]) == {"score", "slots_filled_pct_III", "km_mean"}
    score = prices[prices["metric"] == "score"].iloc[0]
    direct = price_of_rule(table, "max_km", 60, None, "score")
    assert score["mean"] == direct["mean"] and score["pairs"] == 2
    # A distance limit can only remove arcs: the optimum cannot rise.
    assert score["mean"] <= 0


def test_pareto_points_are_not_dominated(table: pd.DataFrame) -> None:
    points, front = pareto_points(table)
    assert 1 <= len(front) <= len(points) == 3 * 2
    for _, f in front.iterrows():
        better = points[
            (points["slots_filled_pct_III_mean"] >= f["slots_filled_pct_III_mean"])
            & (points["km_mean_mean"] <= f["km_mean_mean"])
            & (
                (points["slots_filled_pct_III_mean"] > f["slots_filled_pct_III_mean"])
                | (points["km_mean_mean"] < f["km_mean_mean"])
            )
        ]
        assert better.empty


def test_report_holds_every_section(reports: dict[str, Path], table: pd.DataFrame) -> None:
    page = reports["en"].read_text(encoding="utf-8")
    for name in FIGURES:
        assert f'data-figure="{name}"' in page
    assert page.count("<tr>") == 1 + 3 * 2 + 1 + 3
    # Self-contained: nothing fetched (the SVGs' xmlns URLs are names, not requests).
    assert "<script src" not in page and "<link" not in page and 'src="http' not in page
    assert "So sánh các cơ chế phân bổ" in reports["vi"].read_text(encoding="utf-8")


def test_cli_bench_report(spec_file: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert (
        main(["bench", str(spec_file), "--out", str(tmp_path / "o"), "--report", str(report)]) == 0
    )
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = tmp_path / "no" / "such" / "folder" / "r.html"
    assert main(["bench", str(spec_file), "--out", str(tmp_path / "p"), "--report", str(bad)]) == 2
    assert not (tmp_path / "p").exists()
    # The report may go into the results folder, made by the run.
    inside = tmp_path / "q" / "report.html"
    assert (
        main(["bench", str(spec_file), "--out", str(tmp_path / "q"), "--report", str(inside)]) == 0
    )
    assert inside.exists()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_bench_report_renders_in_chromium(
    reports: dict[str, Path], lang: str, tmp_path: Path
) -> None:
    with page_in_chromium(reports[lang]) as page:
        assert_figures_drawn(page, FIGURES)
        assert page.locator("#table-summary tbody tr").count() == 6
        shot = _artefacts(tmp_path) / f"bench_report_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
