"""The planner's workbook in the planner's language: sheets, headers, fields, reasons, text cells.

A Vietnamese workbook has no English header, sheet name, field name or
reason; user text (names that look like formulas) is stored as text; the
per-commune sheet adds up to the plan's metrics; the officials-not-seconded
sheet lists exactly the officials without an assignment, and each empty
post lists candidates who really went elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from helpers import TEST_OPTIONS

from staffopt import Agency, Commune, Need, Official, Policy, Scenario, check
from staffopt.plan import Plan
from staffopt.report import HEADERS, SHEETS, plan_frames
from staffopt.scenarios.dien_bien import dien_bien
from staffopt.solver import solve
from staffopt.texts import CATALOGUE, field_text, text


@pytest.fixture(scope="module")
def plan() -> Plan:
    s = dien_bien()
    p = solve(s, options=TEST_OPTIONS)
    assert check(s, p) == []
    return p


def test_field_glossary() -> None:
    assert field_text("it", "vi") == "Công nghệ thông tin và chuyển đổi số"
    assert field_text("land", "vi") == "Đất đai"
    assert field_text("LAND", "en") == "land administration"
    assert field_text("beekeeping", "vi") == "beekeeping"  # not in the glossary: its code
    # Every field of the synthetic scenarios has its name.
    from staffopt.scenarios.synthetic.reference import FIELDS

    assert all(f"field.{f}" in CATALOGUE for f in FIELDS)


def test_vietnamese_workbook_has_no_english(plan: Plan, tmp_path: Path) -> None:
    book = plan.to_excel(tmp_path / "plan.xlsx", lang="vi")
    wb = openpyxl.load_workbook(book, read_only=True)
    assert wb.sheetnames == [vi for _, vi in SHEETS.values()]
    english = {en for en, vi in HEADERS.values() if en != vi}
    english |= {en for key, (en, vi) in CATALOGUE.items() if key.startswith(("field.", "unmet."))}
    english |= {key.removeprefix("field.") for key in CATALOGUE if key.startswith("field.")}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0]
        assert not set(header) & english, (ws.title, header)
        field_cols = [i for i, h in enumerate(header) if h == HEADERS["field"][1]]
        reason_cols = [i for i, h in enumerate(header) if h == HEADERS["reason"][1]]
        for row in rows[1:]:
            for i in field_cols:
                assert row[i] not in english, (ws.title, row)
            for i in reason_cols:
                assert row[i] in {text(k, "vi") for k in CATALOGUE if k.startswith("unmet.")}


def test_commune_sheet_adds_up(plan: Plan) -> None:
    communes = plan_frames(plan, "en")["communes"]
    s = plan.require_scenario()
    assert len(communes) == len(s.communes)
    assert communes["slots"].sum() == plan.metrics["slots_total"]
    assert communes["filled"].sum() == plan.metrics["slots_filled"]
    assert (communes["missing_slots"] == communes["slots"] - communes["filled"]).all()
    assert communes["km_total"].sum() == pytest.approx(plan.metrics["km_total"], abs=0.5)
    nam_nen = communes.set_index("commune_id").loc["nam-nen"]
    assert nam_nen["slots"] == sum(n.slots for n in s.needs if n.commune_id == "nam-nen")


def test_officials_not_seconded_and_candidates_not_free(plan: Plan) -> None:
    frames = plan_frames(plan, "en")
    s = plan.require_scenario()
    used = set(plan.assignments["official_id"])
    home = frames["at_home"]
    assert set(home["official_id"]) == {o.official_id for o in s.officials} - used
    assert home["why"].str.len().gt(0).all()
    unmet = frames["unmet"]
    taken = unmet[unmet["reason"] == text("unmet.candidates_taken", "en")]
    assert len(taken)
    for cell in taken["candidates"]:
        for line in cell.splitlines():
            official = line.split(" [", 1)[1].split(",", 1)[0]
            assert official in used, line  # a candidate not free went elsewhere


def test_user_text_is_stored_as_text(tmp_path: Path) -> None:
    s = Scenario(
        name='=HYPERLINK("http://x")',
        communes=[Commune(commune_id="c1", name="=1+2", province="P", lat=21, lon=103, zone="III")],
        agencies=[Agency(agency_id="a", name="@SUM(A1)", headcount=3)],
        officials=[
            Official(
                official_id="o1", name="+cmd", agency_id="a", skills={"it": 2}, home_commune_id="c1"
            ),
            Official(
                official_id="o2",
                name="-2+3",
                agency_id="a",
                skills={"land": 1},
                home_commune_id="c1",
            ),
        ],
        needs=[Need(need_id="n1", commune_id="c1", field="it", slots=1)],
        policy=Policy(),
        options=TEST_OPTIONS,
    )
    p = solve(s, options=TEST_OPTIONS)
    book = p.to_excel(tmp_path / "plan.xlsx", lang="vi")
    wb = openpyxl.load_workbook(book)
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value in ("=1+2", "@SUM(A1)", "+cmd", "-2+3"):
                    assert cell.data_type == "s"
                    found.add(cell.value)
    assert found == {"=1+2", "@SUM(A1)", "+cmd", "-2+3"}


def test_agency_names_in_the_readers_language(plan: Plan) -> None:
    # Điện Biên names its agencies in Vietnamese; English output uses name_en.
    en, vi = plan_frames(plan, "en"), plan_frames(plan, "vi")
    assert "Department of Science and Technology" in set(en["agencies"]["agency"])
    assert "Sở Khoa học và Công nghệ" in set(vi["agencies"]["agency"])
    assert not any(str(a).startswith("Sở ") for a in en["assignments"]["agency"])
    assert all(str(a).startswith("Sở ") for a in vi["assignments"]["agency"])
    first = plan.assignments["official_id"].iloc[0]
    assert "Department of" in plan.explain(official=first, lang="en").text
    assert "Sở " in plan.explain(official=first, lang="vi").text
