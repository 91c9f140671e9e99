"""The HTML report: what it holds, escaping, whole-or-absent writing, the CLI, and a real browser.

The browser test opens the report in Debian's Chromium (``/usr/bin/chromium``)
driven by playwright: every figure drawn with a size, no console error, the
search filters the rows. It fails in CI (env ``CI`` set) when the browser is
missing and skips elsewhere, saying how to install it. Its screenshots go to
the folder in ``STAFFOPT_ARTEFACTS`` (else the test's tmp folder) and their
paths are printed.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import TEST_OPTIONS, cost_scenario

from staffopt import Agency, Commune, Need, Official, Policy, Scenario, check
from staffopt.cli import EXIT_INVALID, EXIT_OK, main
from staffopt.errors import PlanError
from staffopt.html_report import ReportExtraMissing, field_coverage, render_html
from staffopt.plan import Plan, load_plan
from staffopt.scenarios.dien_bien import dien_bien
from staffopt.solver import solve
from staffopt.texts import text

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a headless Chromium that never reaches the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIGURES = ("coverage_zone", "coverage_field", "map", "travel", "agencies")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return dien_bien()


@pytest.fixture(scope="module")
def plan(scenario: Scenario) -> Plan:
    p = solve(scenario, options=TEST_OPTIONS)
    assert p.ok and check(scenario, p) == []
    return p


@pytest.fixture(scope="module")
def reports(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    return {lang: plan.to_html(folder / f"report_{lang}.html", lang=lang) for lang in ("en", "vi")}


def _tiny() -> Scenario:
    """Two communes, two fields; user text that HTML must escape."""
    communes = [
        Commune(
            commune_id="c1",
            name="<script>alert(1)</script>",
            province="P",
            lat=21,
            lon=103,
            zone="III",
        ),
        Commune(commune_id="c2", name="Nà & Hỳ", province="P", lat=21.2, lon=103.1, zone="I"),
    ]
    agencies = [Agency(agency_id="a", name="Sở <b>Xây</b> dựng", headcount=5, max_release=2)]
    officials = [
        Official(official_id="o1", name="A", agency_id="a", skills={"it": 2}, home_commune_id="c2"),
        Official(
            official_id="o2",
            name="B",
            agency_id="a",
            skills={"land": 2},
            home_lat=21.1,
            home_lon=103.05,
        ),
    ]
    needs = [
        Need(need_id="n1", commune_id="c1", field="it", slots=2),
        Need(need_id="n2", commune_id="c1", field="land", slots=1),
        Need(need_id="n3", commune_id="c2", field="land", slots=1),
    ]
    return Scenario(
        name="tiny",
        communes=communes,
        agencies=agencies,
        officials=officials,
        needs=needs,
        policy=Policy(),
        options=TEST_OPTIONS,
    )


def test_every_section_in_both_languages(reports: dict[str, Path], plan: Plan) -> None:
    for lang, path in reports.items():
        page = path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
        for key in (
            "report.coverage_zone",
            "report.map",
            "report.travel",
            "report.agencies",
            "report.assignments",
            "report.unmet",
        ):
            assert text(key, lang) in page
        for name in FIGURES:
            figure = re.search(f'<figure data-figure="{name}"><svg (.*?)</svg>', page, re.S)
            assert figure is not None and "<path" in figure.group(1), name
        # One table row per assignment and per empty post.
        assert page.count("<tr>") == 2 + len(plan.assignments) + len(plan.unmet)


def test_vietnamese_report_has_vietnamese_words(reports: dict[str, Path]) -> None:
    page = reports["vi"].read_text(encoding="utf-8")
    assert "Bản đồ các xã" in page and "Vị trí còn trống" in page
    assert "Coverage by zone" not in page and "Empty posts" not in page


def test_self_contained(reports: dict[str, Path]) -> None:
    """Nothing to fetch: no external script, style, image or font."""
    page = reports["en"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page


def test_user_text_is_escaped(tmp_path: Path) -> None:
    s = _tiny()
    p = solve(s, options=TEST_OPTIONS)
    assert check(s, p) == []
    page = render_html(p, "en")
    assert "<script>alert(1)</script>" not in page and "<b>Xây</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Nà &amp; Hỳ" in page


def test_field_coverage_known_answer() -> None:
    s = _tiny()
    p = solve(s, options=TEST_OPTIONS)
    cov = field_coverage(p, s)
    # o1 (it) fills one of n1's two slots; o2 (land) fills n2 or n3, not both.
    assert cov.to_dict("index") == {
        "it": {"slots": 2, "filled": 1},
        "land": {"slots": 2, "filled": 1},
    }


def test_written_whole_or_not_at_all(plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    bare = Plan(
        status=plan.status,
        objective=plan.objective,
        bound=plan.bound,
        wall_time_s=0.0,
        assignments=plan.assignments,
        unmet=plan.unmet,
        metrics=plan.metrics,
    )
    with pytest.raises(PlanError, match="no scenario attached"):
        bare.to_html(target)
    assert list(tmp_path.iterdir()) == []


def test_missing_extra_says_how_to_install(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ReportExtraMissing, match=re.escape("pip install 'staffopt[report]'")):
        plan.to_html(tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_cli_report_and_solve_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = tmp_path / "ex"
    assert main(["example", "dien-bien", str(example)]) == EXIT_OK
    out, html = tmp_path / "plan", tmp_path / "solve.html"
    code = main(
        [
            "solve",
            str(example),
            "--out",
            str(out),
            "--report",
            str(html),
            "--lang",
            "vi",
            "--time-limit",
            "10",
        ]
    )
    assert code == EXIT_OK and html.is_file()
    assert text("cli.report_written", "vi", path=html) in capsys.readouterr().out
    again = tmp_path / "again.html"
    code = main(["report", str(out), "--scenario", str(example), "--out", str(again)])
    assert code == EXIT_OK
    assert text("report.map", "en") in again.read_text(encoding="utf-8")
    # A folder where the report goes: refused before the solve, nothing written.
    folder = tmp_path / "taken.html"
    folder.mkdir()
    code = main(["solve", str(example), "--out", str(tmp_path / "p2"), "--report", str(folder)])
    assert code == EXIT_INVALID and not (tmp_path / "p2").exists()
    assert main(["report", str(out), "--scenario", str(example), "--out", str(folder)]) == (
        EXIT_INVALID
    )
    # The report of a plan read back has a row per assignment and per empty post.
    loaded = load_plan(out, scenario=dien_bien())
    page = again.read_text(encoding="utf-8")
    assert page.count("<tr>") == 2 + len(loaded.assignments) + len(loaded.unmet)


def _browser_or_skip() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (install it: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install 'staffopt[test]')")
    if missing:
        message = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STAFFOPT_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def page_in_chromium(path: Path) -> Iterator[Any]:
    """``path`` open in headless Chromium; on leaving, no console error and no request
    but ``file:`` ones (a self-contained page)."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.resolve().as_uri())
            page.wait_for_load_state("load")
            yield page
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file:") for url in requests), requests


def assert_figures_drawn(page: Any, names: Iterable[str]) -> None:
    """Every named figure is one drawn ``<svg>`` with a real size."""
    for name in names:
        svg = page.locator(f'figure[data-figure="{name}"] > svg')
        assert svg.count() == 1, name
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, name
        assert svg.locator("path").count() > 0, name


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_report_renders_in_chromium(
    reports: dict[str, Path], plan: Plan, scenario: Scenario, lang: str, tmp_path: Path
) -> None:
    with page_in_chromium(reports[lang]) as page:
        assert_figures_drawn(page, FIGURES)
        shot = _artefacts(tmp_path) / f"report_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")

        rows = page.locator("#table-assignments tbody tr")
        total = rows.count()
        assert total == len(plan.assignments)
        name = scenario.commune_by_id[str(plan.assignments["commune_id"].iloc[0])].name
        expected = int(
            (
                plan.assignments["commune_id"].map(lambda c: name in scenario.commune_by_id[c].name)
            ).sum()
        )
        search = page.locator('input[data-table="table-assignments"]')
        search.fill(name)
        visible = page.locator("#table-assignments tbody tr:visible")
        assert 0 < visible.count() < total
        assert visible.count() >= expected
        for i in range(visible.count()):
            assert name in visible.nth(i).inner_text()
        shown = page.locator("#count-table-assignments").inner_text()
        assert shown.startswith(f"{visible.count()} / {total}")
        search.fill("no such text anywhere 9z9")
        assert visible.count() == 0
        search.fill("")
        assert visible.count() == total


def test_an_infeasible_plan_has_a_report_that_names_the_conflict() -> None:
    s = cost_scenario([[1, 2], [3, 4], [5, 6]], max_release=[1], mandatory=True)
    p = solve(s, options=TEST_OPTIONS)
    assert p.status == "infeasible" and p.assignments.empty
    page = render_html(p, "vi")
    assert text("status.infeasible", "vi") in page
    assert text("report.none", "vi") in page  # no assignment to list
    assert all(f'data-figure="{name}"><svg' in page for name in FIGURES)
