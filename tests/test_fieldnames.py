"""A scenario's own field names: the optional ``fields`` table over the package glossary.

It renames a field (``it`` -> ``Công nghệ thông tin``) or adds one the package
does not know (``forestry`` -> ``Kiểm lâm``); every output (plan workbook,
explanations, HTML report, the template made from an example) shows that name,
a field nobody names shows its code, and the reader takes a field given by a
name of either glossary in needs and skills.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from helpers import TEST_OPTIONS, agency, commune
from hypothesis import given
from hypothesis import strategies as st

from staffopt import FieldEntry, Need, Official, Scenario, check
from staffopt.cli import EXIT_OK, main
from staffopt.errors import ScenarioError
from staffopt.io import load_scenario, scenario_from_frames
from staffopt.io.columns import column_label, sheet_label
from staffopt.io.fieldnames import FieldNames
from staffopt.io.frames import table_values
from staffopt.io.template import FIRST_DATA_ROW, choices, write_template
from staffopt.plan import Plan
from staffopt.report import HEADERS
from staffopt.solver import solve
from staffopt.texts import LANGS, field_text, glossary_fields

#: ``it`` renamed, ``forestry`` added; ``land`` keeps the package's name.
OWN = (
    FieldEntry(field="it", name_en="Information technology", name_vi="Công nghệ thông tin"),
    FieldEntry(field="forestry", name_en="forest protection", name_vi="Kiểm lâm"),
)
NAMES = {
    "it": {"en": "Information technology", "vi": "Công nghệ thông tin"},
    "forestry": {"en": "forest protection", "vi": "Kiểm lâm"},
    "land": {"en": "land administration", "vi": "Đất đai"},
    "beekeeping": {"en": "beekeeping", "vi": "beekeeping"},
}


def _scenario(fields: tuple[FieldEntry, ...] = OWN) -> Scenario:
    """o1 (it) and o2 (forestry) fill n1 and n2; land and beekeeping stay empty."""

    def official(oid: str, skills: str) -> Official:
        return Official(
            official_id=oid,
            name=f"Official {oid}",
            agency_id="a1",
            skills=skills,
            home_lat=21.0,
            home_lon=103.0,
        )

    return Scenario(
        name="fields",
        communes=[commune("c1"), commune("c2", lat=21.1)],
        agencies=[agency("a1")],
        officials=[official("o1", "it:2"), official("o2", "forestry:2")],
        needs=[
            Need(need_id="n1", commune_id="c1", field="it", slots=1),
            Need(need_id="n2", commune_id="c2", field="forestry", slots=1),
            Need(need_id="n3", commune_id="c2", field="land", slots=1),
            Need(need_id="n4", commune_id="c1", field="beekeeping", slots=1),
        ],
        fields=fields,
        options=TEST_OPTIONS,
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    s = _scenario()
    p = solve(s)
    assert check(s, p) == []
    assert set(zip(p.assignments["official_id"], p.assignments["need_id"], strict=True)) == {
        ("o1", "n1"),
        ("o2", "n2"),
    }
    return p


# -- one function names a field ---------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_field_name_prefers_the_scenario_then_the_glossary_then_the_code(lang: str) -> None:
    s = _scenario()
    for code, names in NAMES.items():
        assert s.field_name(code, lang) == names[lang]
    # Without a fields table the package glossary speaks.
    assert _scenario(()).field_name("it", lang) == field_text("it", lang)
    assert field_text("it", lang, s.field_names) == NAMES["it"][lang]
    # A copy with another fields table names fields by its own table, not the original's.
    assert s.model_copy(update={"fields": ()}).field_name("it", lang) == field_text("it", lang)


# -- every output shows the scenario's names --------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_plan_workbook_cells(plan: Plan, lang: str, tmp_path: Path) -> None:
    book = plan.to_excel(tmp_path / f"plan-{lang}.xlsx", lang=lang)
    wb = openpyxl.load_workbook(book, read_only=True)
    shown: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            continue
        header = list(rows[0])
        field_header = HEADERS["field"][1 if lang == "vi" else 0]
        if field_header not in header:
            continue
        col = header.index(field_header)
        shown[ws.title] = {str(r[col]) for r in rows[1:]}
    cells = set().union(*shown.values())
    # Assignments show the renamed and the added field; empty posts the glossary's and a code.
    for code in NAMES:
        assert NAMES[code][lang] in cells, (code, shown)
    assert "it" not in cells and "forestry" not in cells


@pytest.mark.parametrize("lang", LANGS)
def test_explanations(plan: Plan, lang: str) -> None:
    official = plan.explain(official="o1", lang=lang).text
    assert NAMES["it"][lang] in official
    assert plan.explain(need="n2", lang=lang).text.count(NAMES["forestry"][lang]) >= 1
    # No official has the field: the sentence names it, by the glossary or by its code.
    assert f"'{NAMES['land'][lang]}'" in plan.explain(need="n3", lang=lang).text
    assert "'beekeeping'" in plan.explain(need="n4", lang=lang).text


@pytest.mark.parametrize("lang", LANGS)
def test_html_report_tables_and_field_figure(plan: Plan, lang: str) -> None:
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    from staffopt.html_report import render_html

    page = render_html(plan, lang)
    figure = re.search(r'data-figure="coverage_field">(.*?)</figure>', page, re.S)
    assert figure is not None
    for code in NAMES:
        assert NAMES[code][lang] in figure.group(1), code
    assert NAMES["forestry"][lang] in page.split('data-figure="coverage_field"')[1]
    # The field figure's labels are names, never the renamed codes.
    assert ">it<" not in figure.group(1) and ">forestry<" not in figure.group(1)


# -- files: the table in all three forms, names read back as codes ---------------------------
@pytest.mark.parametrize("form", ["folder", "s.xlsx", "s.json"])
def test_round_trip_through_every_file_form(form: str, tmp_path: Path) -> None:
    s = _scenario()
    back = load_scenario(s.save(tmp_path / form))
    assert back.fields == s.fields
    assert back.model_copy(update={"name": s.name}) == s


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _folder(tmp_path: Path, fields: list[list[str]] | None = None) -> Path:
    """The scenario as a CSV folder with Vietnamese headers in fields.csv."""
    folder = _scenario().save(tmp_path / "s")
    if fields is not None:
        _write_csv(
            folder / "fields.csv",
            [[column_label("fields", c, "vi") for c in ("field", "name_en", "name_vi")], *fields],
        )
    return folder


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_needs_and_skills_give_fields_by_name(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    # A need's field by its Vietnamese name without accents, another by its English name;
    # skills by the scenario's name and the glossary's name of an unrenamed field.
    _replace_in(folder / "needs.csv", "n2,c2,forestry", "n2,c2,KIEM LAM")
    _replace_in(folder / "needs.csv", "n3,c2,land", "n3,c2,Land administration")
    _replace_in(folder / "officials.csv", "it:2", "Công nghệ thông tin:2;đất đai:1")
    s = load_scenario(folder)
    assert [n.field for n in s.needs] == ["it", "forestry", "land", "beekeeping"]
    assert s.official_by_id["o1"].skills == {"it": 2, "land": 1}


def test_names_from_dataframes() -> None:
    s = _scenario()
    frames: dict[str, Any] = {}
    for table in ("communes", "agencies", "officials", "needs", "fields"):
        columns, rows = table_values(s, table)
        frames[table] = pd.DataFrame(rows, columns=columns, dtype=object)
    frames["needs"].loc[1, "field"] = "Forest Protection"
    frames["officials"].loc[0, "skills"] = "information technology: 2"
    back = scenario_from_frames(frames, name=s.name, options=s.options)
    assert back == s


def _no_accents(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


@given(
    st.sampled_from(sorted(glossary_fields())),
    st.sampled_from(LANGS),
    st.sampled_from([str.upper, str.lower, str.title, _no_accents, lambda n: f"  {n} "]),
)
def test_every_glossary_name_as_people_type_it_is_its_code(
    code: str, lang: str, variant: Callable[[str], str]
) -> None:
    names = FieldNames.of(OWN)
    typed = variant(field_text(code, lang))
    # a package name means its field, even a field the scenario renames (it)
    assert names.code(typed.strip().lower()) == code
    if code in {e.field for e in OWN}:
        assert names.code(variant(_scenario().field_name(code, lang)).strip().lower()) == code


def test_a_code_wins_over_a_name_and_unknown_values_stay() -> None:
    names = FieldNames.of([FieldEntry(field="land", name_en="construction", name_vi="Đất")])
    assert names.code("construction") == "construction"  # a code of the glossary
    assert names.code("dat") == "land"
    assert names.code("Đất đai") == "land"  # renamed, it still answers to the package's name
    assert names.code("beekeeping") == "beekeeping"


def test_a_name_of_two_fields_is_named_with_its_codes(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, [["it", "Information technology", "Xây dựng"], ["forestry", "forestry", "x"]]
    )
    _replace_in(folder / "needs.csv", "n1,c1,it", "n1,c1,xay dung")
    _replace_in(folder / "officials.csv", "it:2", "Xây dựng:2")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    problems = {(p.table, p.row, p.column, p.id): p for p in err.value.problems}
    need = problems[("needs", 2, "field", "n1")]
    assert need.message.key == "problem.ambiguous_field_name"
    assert "construction, it" in str(need.expected) and need.found == "'xay dung'"
    skill = problems[("officials", 2, "skills", "o1")]
    assert skill.message.key == "problem.ambiguous_field_name"
    assert "nhiều lĩnh vực" in skill.text("vi")


def test_two_names_of_one_field_in_one_skills_cell(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _replace_in(folder / "officials.csv", "it:2", "it:2;Công nghệ thông tin:3")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    [p] = err.value.problems
    assert (p.table, p.row, p.column, p.id) == ("officials", 2, "skills", "o1")
    assert p.message.key == "problem.skill_twice"


def test_a_bad_fields_table_names_every_problem(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        [
            ["it", "IT", "CNTT"],
            ["IT", "IT again", "CNTT"],  # the same code, in another case
            ["itt", "typo", "gõ nhầm"],  # no glossary, no need, no skill knows it
            ["forestry", "", "Kiểm lâm"],  # a name missing
        ],
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    found = {(p.row, p.column, p.message.key) for p in err.value.problems}
    assert found == {
        (2, "field", "problem.duplicate_id"),
        (3, "field", "problem.duplicate_id"),
        (4, "field", "problem.unknown_field_code"),
        (5, "name_en", "problem.missing_value"),
    }
    assert all(p.table == "fields" for p in err.value.problems)


# -- the template ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_template_with_an_example_shows_its_names_and_reads_back(lang: str, tmp_path: Path) -> None:
    s = _scenario()
    book = write_template(tmp_path / f"t-{lang}.xlsx", lang, s)
    assert load_scenario(book).model_copy(update={"name": s.name}) == s
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet_label("fields", lang)]
    assert [c.value for c in ws[1]] == [
        column_label("fields", c, lang) for c in ("field", "name_en", "name_vi")
    ]
    assert [c.value for c in ws[FIRST_DATA_ROW]] == ["it", *NAMES["it"].values()]
    guide = {r[0]: r[1] for r in wb[sheet_label("instructions", lang)].iter_rows(values_only=True)}
    assert guide["it"] == NAMES["it"][lang] and guide["forestry"] == NAMES["forestry"][lang]
    assert guide["land"] == NAMES["land"][lang]
    options = choices("needs", "field", lang, s)
    assert options is not None and "forestry" in options
    assert "forestry" not in (choices("needs", "field", lang) or [])


# -- a field nobody names ----------------------------------------------------------------------
def test_validate_notes_fields_without_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _scenario().unnamed_fields() == ["beekeeping"]
    assert _scenario(()).unnamed_fields() == ["beekeeping", "forestry"]
    folder = _scenario().save(tmp_path / "s")
    assert main(["validate", str(folder), "--lang", "vi"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "chưa có tên cho các lĩnh vực beekeeping " in out
    named = _scenario().replace(
        fields=[*OWN, FieldEntry(field="beekeeping", name_en="bees", name_vi="Nuôi ong")]
    )
    assert main(["validate", str(named.save(tmp_path / "named"))]) == EXIT_OK
    assert "no name for the fields" not in capsys.readouterr().out
