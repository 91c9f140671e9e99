"""The rules of a real round (term, record, language, local_only, home): their columns
in every file form and in DataFrames, their errors, and plans that keep them.

Each rule alone on a one-pair scenario is in ``tests/test_rules.py``; the
checker's view of each in ``tests/test_check.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import BASE_100, agency, commune, need, official, scenario, solve_checked
from pydantic import ValidationError

from staffopt.eligibility import candidates
from staffopt.errors import InvalidValue, Problem, ScenarioError
from staffopt.io import load_scenario, save_scenario, scenario_from_frames
from staffopt.io.cells import cell_text, date_text
from staffopt.schema import OfficialKind, Scenario
from staffopt.texts import Phrase

#: Two communes about 30 km apart by road (20 km straight line x 1.5).
PLACES = [commune("c1", lat=21.0, lon=103.0), commune("c2", lat=21.18, lon=103.0)]


def real_round() -> Scenario:
    """Every new column given at least once, with accents and dates."""
    return scenario(
        [
            official(
                "o1",
                home_commune_id="c1",
                kind="local",
                capacity=0.5,
                years_rated_well=4,
                languages="Thái;Hmông",
                available_from=date(2025, 10, 1),
                available_until=date(2026, 6, 30),
                months_seconded_before=12,
            ),
            official(
                "o2",
                home_commune_id="c2",
                languages=["Khơ Mú"],
                max_communes=2,
                max_km_between=45.5,
            ),
        ],
        [
            need("n1", workload=0.5, start=date(2025, 10, 20), months=6, language="thai"),
            need("n2", commune_id="c2"),
        ],
        communes=PLACES,
        policy=BASE_100.model_copy(
            update={
                "round_start": date(2025, 10, 20),
                "min_years_rated_well": 3,
                "max_communes": 3,
                "max_km_between": 60.0,
            }
        ),
        name="round",
    )


# -- files and frames ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["round", "round.xlsx", "round.json"])
def test_new_columns_round_trip_in_every_form(tmp_path: Path, target: str) -> None:
    s = real_round()
    path = save_scenario(s, tmp_path / target)
    back = load_scenario(path)
    assert back == s
    o1 = back.official_by_id["o1"]
    assert o1.kind == OfficialKind.LOCAL and o1.languages == ("Thái", "Hmông")
    assert back.need_by_id["n1"].start == date(2025, 10, 20)


def test_csv_writes_iso_dates_and_languages_like_skills(tmp_path: Path) -> None:
    folder = save_scenario(real_round(), tmp_path / "round")
    officials = (folder / "officials.csv").read_text(encoding="utf-8")
    assert "Thái;Hmông" in officials and "2025-10-01" in officials
    assert "2025-10-20" in (folder / "needs.csv").read_text(encoding="utf-8")


def test_workbook_dates_are_excel_dates(tmp_path: Path) -> None:
    book = save_scenario(real_round(), tmp_path / "round.xlsx")
    ws = openpyxl.load_workbook(book)["needs"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("start") + 1)
    assert cell.is_date and cell.value == datetime(2025, 10, 20)


def test_date_cells() -> None:
    assert date_text(datetime(2025, 10, 20)) == "2025-10-20"
    assert date_text(date(2025, 10, 20)) == "2025-10-20"
    assert cell_text(pd.Timestamp("2025-10-20")) == "2025-10-20"
    # A time of day is kept, and then refused as a date.
    assert cell_text(datetime(2025, 10, 20, 9, 30)) == "2025-10-20T09:30:00"


def test_frames_take_timestamps_and_lists() -> None:
    s = real_round()
    frames = {t: pd.DataFrame([r.model_dump() for r in getattr(s, t)]) for t in ("communes",)}
    frames["agencies"] = pd.DataFrame([r.model_dump() for r in s.agencies])
    officials = pd.DataFrame([r.model_dump() for r in s.officials])
    officials["available_from"] = pd.to_datetime(officials["available_from"])
    officials["available_until"] = pd.to_datetime(officials["available_until"])
    officials["languages"] = ["Thái;Hmông", "Khơ Mú"]
    officials["skills"] = ["it:2", "it:2"]
    needs = pd.DataFrame([r.model_dump() for r in s.needs])
    needs["start"] = pd.to_datetime(needs["start"])
    frames |= {"officials": officials, "needs": needs}
    back = scenario_from_frames(frames, policy=s.policy, name=s.name)
    assert back.officials == s.officials and back.needs == s.needs


def _problems(exc: pytest.ExceptionInfo[ScenarioError]) -> list[Problem]:
    return exc.value.problems


def test_bad_new_cells_are_all_reported_at_once(tmp_path: Path) -> None:
    folder = save_scenario(real_round(), tmp_path / "round")
    off = folder / "officials.csv"
    text = off.read_text(encoding="utf-8")
    text = (
        text.replace("2025-10-01", "31/02/2025")  # no such day
        .replace(",local,", ",visiting,")
        .replace("Thái;Hmông", "Thái;thai")
    )
    off.write_text(text, encoding="utf-8")
    needs = folder / "needs.csv"
    needs.write_text(needs.read_text(encoding="utf-8").replace(",6,", ",0,"), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    found = {(p.table, p.row, p.column, p.id) for p in _problems(exc)}
    assert ("officials", 2, "available_from", "o1") in found
    assert ("officials", 2, "kind", "o1") in found
    assert ("officials", 2, "languages", "o1") in found
    assert ("needs", 2, "months", "n1") in found
    kind = next(p for p in _problems(exc) if p.column == "kind")
    assert kind.expected is not None and "local" in kind.expected and kind.found == "'visiting'"
    keys = {p.column: p.message.key for p in _problems(exc)}
    assert keys["available_from"] == "problem.not_date"
    assert keys["languages"] == "problem.language_twice"
    for p in _problems(exc):
        # Every problem is worded from the catalogue in both languages.
        assert isinstance(p.message, Phrase) and p.text("vi") != p.text("en")
        assert ", found " not in p.text("vi") and "; expected " not in p.text("vi")


def test_a_local_official_needs_a_home_commune() -> None:
    with pytest.raises(ValidationError, match="home_commune_id") as exc:
        official("o1", kind="local")
    cause = exc.value.errors()[0]["ctx"]["error"]
    assert isinstance(cause, InvalidValue) and cause.message.key == "problem.local_no_home"


def test_availability_must_not_end_before_it_starts() -> None:
    with pytest.raises(
        ValidationError, match="2025-12-31 is before available_from 2026-01-01"
    ) as exc:
        official("o1", available_from=date(2026, 1, 1), available_until=date(2025, 12, 31))
    cause = exc.value.errors()[0]["ctx"]["error"]
    assert cause.message.text("vi") == (
        "available_until 2025-12-31 sớm hơn available_from 2026-01-01"
    )


def test_existing_files_without_new_columns_load_unchanged(tmp_path: Path) -> None:
    folder = save_scenario(real_round(), tmp_path / "round")
    new = ["kind", "years_rated_well", "languages", "available_from", "available_until"]
    new += ["months_seconded_before", "max_communes", "max_km_between"]
    off = pd.read_csv(folder / "officials.csv", dtype=str, keep_default_na=False)
    off.drop(columns=new).to_csv(folder / "officials.csv", index=False)
    needs = pd.read_csv(folder / "needs.csv", dtype=str, keep_default_na=False)
    needs.drop(columns=["start", "months", "language"]).to_csv(folder / "needs.csv", index=False)
    s = load_scenario(folder)
    assert all(o.kind == OfficialKind.SECONDED and o.languages == () for o in s.officials)
    assert all(n.start is None and n.language is None for n in s.needs)


# -- plans -------------------------------------------------------------------------------


def test_an_on_the_spot_teacher_stays_in_their_commune() -> None:
    """The issue's case: a local teacher (capacity 0.5) with part-time needs in
    their own commune and 30 km away helps only at home; a seconded official
    covers the other commune."""
    s = scenario(
        [
            official("teacher", home_commune_id="c1", kind="local", capacity=0.5),
            official("it", home_commune_id="c1"),
        ],
        [
            need("home", commune_id="c1", workload=0.5),
            need("away", commune_id="c2", workload=0.5),
            need("away2", commune_id="c2", workload=0.5),
        ],
        communes=PLACES,
    )
    arcs, ex = candidates(s)
    assert set(arcs.loc[arcs["official_id"] == "teacher", "need_id"]) == {"home"}
    assert set(ex.loc[ex["official_id"] == "teacher", "rule"]) == {"local_only"}
    teacher = arcs[arcs["official_id"] == "teacher"].iloc[0]
    assert teacher["distance_km"] == 0.0
    plan = solve_checked(s)
    # 3 slots, 1.5 FTE of demand, 1.5 FTE of capacity: all filled, the teacher at home.
    assert plan.objective == 300
    got = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    assert ("teacher", "home") in got


def test_home_prefer_adds_the_points_and_the_solver_takes_them() -> None:
    """Two officials, two needs: each at home scores 100 + 30; crossed, 100 - 6 each."""
    policy = BASE_100.model_copy(
        update={"home_commune": "prefer", "home_commune_points": 30, "travel_points_per_km": 0.2}
    )
    s = scenario(
        [official("a", home_commune_id="c1"), official("b", home_commune_id="c2")],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=PLACES,
        policy=policy,
    )
    arcs, _ = candidates(s)
    home = arcs[arcs["home_pts"] != 0]
    assert set(zip(home["official_id"], home["need_id"], strict=True)) == {("a", "n1"), ("b", "n2")}
    assert (
        arcs["score"] == arcs[[c for c in arcs if c.endswith("_pts")] + ["affinity"]].sum(axis=1)
    ).all()
    plan = solve_checked(s)
    assert plan.objective == 2 * 130


def test_term_language_and_record_together_solve_and_check() -> None:
    s = real_round()
    arcs, ex = candidates(s)
    # o1 is local in c1 and speaks Thái: only n1; o2 lacks Thái (n1) and a record.
    assert set(zip(arcs["official_id"], arcs["need_id"], strict=True)) == {("o1", "n1")}
    rules = dict(zip(zip(ex["official_id"], ex["need_id"], strict=True), ex["rules"], strict=True))
    assert rules[("o2", "n1")] == "record;language"
    assert rules[("o2", "n2")] == "record"
    assert rules[("o1", "n2")] == "workload;local_only"  # n2 is full time, o1 gives 0.5
    plan = solve_checked(s)
    assert plan.objective == 100


def test_term_explained_in_both_languages() -> None:
    s = scenario(
        [official("o1", available_until=date(2026, 1, 31))],
        [need("n1", start=date(2025, 10, 20), months=6)],
    )
    _, ex = candidates(s)
    assert ex["rule"].tolist() == ["term"]
    plan = solve_checked(s)
    en = plan.explain(need="n1").text
    vi = plan.explain(need="n1", lang="vi").text
    assert "term does not fit" in en
    assert "thời hạn không phù hợp" in vi


def test_agency_and_officials_are_unchanged_by_default() -> None:
    """A scenario without the new columns has the same arcs and scores as before."""
    s = scenario([official("o1")], [need("n1")], agencies=[agency()])
    arcs, ex = candidates(s)
    assert ex.empty and arcs["home_pts"].tolist() == [0] and arcs["score"].tolist() == [100]
