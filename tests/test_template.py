"""The template workbook and the reader's tolerance: Vietnamese names, decimal commas, dates."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, get_args

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from staffopt.cli import main
from staffopt.errors import ScenarioError
from staffopt.io import load_scenario
from staffopt.io.cells import bool_word, date_text, decimal_text
from staffopt.io.columns import (
    choice_codes,
    choice_columns,
    choice_label,
    column_label,
    fold,
    match_choice,
    match_column,
    match_table,
    sheet_label,
)
from staffopt.io.frames import table_values
from staffopt.io.settings import OPTIONS, POLICY, settings_items
from staffopt.io.template import FIRST_DATA_ROW, choices, write_template
from staffopt.scenarios import load_example
from staffopt.schema import RECORD_TYPES, TABLES, Scenario
from staffopt.texts import LANGS, text


@pytest.fixture(scope="module")
def example() -> Scenario:
    return load_example("dien-bien")


def _same(read: Scenario, example: Scenario) -> bool:
    return read.model_copy(update={"name": example.name}) == example


def _cell(table: str, column: str, value: Any, lang: str, comma: bool) -> Any:
    """A value as a person types it: yes/no and choice words, decimals with a comma."""
    if isinstance(value, bool):
        return text("template.yes" if value else "template.no", lang)
    if isinstance(value, str) and column in choice_columns(table):
        return choice_label(table, column, value, lang)
    if comma and isinstance(value, float) and not value.is_integer():
        return repr(value).replace(".", ",")
    return value


def _settings_rows(example: Scenario) -> dict[str, list[tuple[str, Any]]]:
    return {POLICY: settings_items(example.policy), OPTIONS: settings_items(example.options)}


# -- the template's round trip ---------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_template_with_the_example_reads_back_as_the_example(
    lang: str, example: Scenario, tmp_path: Path
) -> None:
    book = write_template(tmp_path / f"dien-bien-{lang}.xlsx", lang, example)
    assert _same(load_scenario(book), example)


@pytest.mark.parametrize("lang", LANGS)
def test_empty_template_filled_by_code_reads_back(
    lang: str, example: Scenario, tmp_path: Path
) -> None:
    book = write_template(tmp_path / "empty.xlsx", lang)
    wb = openpyxl.load_workbook(book)
    for table in TABLES:
        ws = wb[sheet_label(table, lang)]
        assert ws.max_row == FIRST_DATA_ROW - 1  # headers only
        columns, rows = table_values(example, table)
        for row in rows:
            cells = zip(columns, row, strict=True)
            ws.append([_cell(table, c, v, lang, comma=lang == "vi") for c, v in cells])
    for table, items in _settings_rows(example).items():
        name = sheet_label(table, lang)
        if name in wb.sheetnames:
            del wb[name]
        ws = wb.create_sheet(name)
        for key, value in items:
            ws.append([key, value])
    wb.save(book)
    assert _same(load_scenario(book), example)


def test_template_layout(tmp_path: Path) -> None:
    book = write_template(tmp_path / "t.xlsx", "vi")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "Hướng dẫn"
    assert [sheet_label(t, "vi") for t in TABLES] == wb.sheetnames[1 : 1 + len(TABLES)]
    needs = wb["Nhu cầu"]
    headers = [c.value for c in needs[1]]
    assert headers[:3] == ["Mã nhu cầu", "Mã xã", "Lĩnh vực"]
    assert "Số người cần" in headers and "Mức độ cấp thiết" in headers
    assert [c.value for c in needs[2]] == list(RECORD_TYPES["needs"].model_fields)
    for table in TABLES:
        ws = wb[sheet_label(table, "vi")]
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
        for letter, dim in ws.column_dimensions.items():
            assert dim.width is not None and 10 <= dim.width <= 45, (table, letter)
    # Every column of every table is explained, with whether it is required.
    guide = wb["Hướng dẫn"]
    rows = [[c.value for c in r] for r in guide.iter_rows()]
    explained = {(r[2], r[3]) for r in rows if r and r[2] is not None}
    for model in RECORD_TYPES.values():
        for column, info in model.model_fields.items():
            assert (column, "có" if info.is_required() else "không") in explained, column


def _validations(ws: Any) -> dict[str, tuple[str, str | None, str | None]]:
    """Column code -> (type, formula1, formula2) of the data validation covering row 3."""
    codes = {c.column_letter: c.value for c in ws[2]}
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == FIRST_DATA_ROW and rng.max_row >= FIRST_DATA_ROW + 999
            letter = openpyxl.utils.get_column_letter(rng.min_col)
            found[codes[letter]] = (dv.type, dv.formula1, dv.formula2)
    return found


def test_data_validation_on_the_right_columns(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", "vi"))
    communes = _validations(wb["Xã"])
    assert communes["zone"] == ("list", '"I,II,III"', None)
    assert communes["border"] == ("list", '"có,không"', None)
    assert communes["lat"] == ("decimal", "-90", "90")
    assert "name" not in communes and "commune_id" not in communes
    needs = _validations(wb["Nhu cầu"])
    assert needs["field"][0] == "list" and "land" in str(needs["field"][1])
    assert needs["slots"] == ("whole", "1", "100000")
    assert needs["min_level"] == needs["criticality"] == ("whole", "1", "3")
    assert needs["workload"] == ("decimal", "0.001", "1000")
    assert needs["mandatory"] == ("list", '"có,không"', None)
    officials = _validations(wb["Cán bộ"])
    assert officials["capacity"] == ("decimal", "0.001", "1000")
    assert officials["category"] == ("list", '"công chức,viên chức"', None)
    assert {"protected", "volunteer", "available"} <= set(officials)
    assert "skills" not in officials
    assert _validations(wb["Chỉ định"])["kind"] == ("list", '"chỉ định,loại trừ"', None)
    en = openpyxl.load_workbook(write_template(tmp_path / "en.xlsx", "en"))
    assert _validations(en["Officials"])["category"][1] == '"civil_servant,public_employee"'
    assert _validations(en["Locks"])["kind"][1] == '"lock,forbid"'
    assert choices("needs", "mandatory", "en") == ["yes", "no"]


# -- a workbook from another writer -----------------------------------------------------
def test_workbook_written_by_xlsxwriter_reads_back(example: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(str(path))
    # Dates as Excel writes them: a serial number with a date format.
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for table in TABLES:
        ws = book.add_worksheet(sheet_label(table, "vi"))
        columns, rows = table_values(example, table)
        ws.write_row(0, 0, [column_label(table, c, "vi") for c in columns])
        ws.write_row(1, 0, columns)
        for i, row in enumerate(rows, start=2):
            for j, value in enumerate(row):
                if isinstance(value, bool):
                    ws.write_string(i, j, "x" if value else "không")
                elif isinstance(value, date):
                    ws.write_datetime(i, j, datetime.combine(value, time(0)), day)
                elif value is not None:
                    ws.write(i, j, value)
    for table, items in _settings_rows(example).items():
        ws = book.add_worksheet(sheet_label(table, "vi"))
        ws.write_row(0, 0, ["Khóa", "Giá trị"])
        for i, (key, value) in enumerate(items, start=1):
            ws.write_row(i, 0, [key, value])
    book.close()
    assert _same(load_scenario(path), example)


# -- names in either language ---------------------------------------------------------------
def test_headers_and_sheet_names_match_in_both_languages_and_variants() -> None:
    for header in ("Mã xã", "MÃ XÃ", "ma xa", "Ma_Xa", "mã-xã", "Commune ID", "commune_id"):
        assert match_column("communes", header) == "commune_id", header
    assert match_column("needs", "Số người cần") == "slots"
    assert match_column("needs", "so nguoi can") == "slots"
    assert match_column("needs", "Mức độ cấp thiết") == "criticality"
    assert match_column("officials", "Khoảng cách tối đa (km)") == "max_km"
    assert match_column("communes", "Something else") == "something else"
    for name in ("Xã", "xa", "XÃ", "Communes", "communes"):
        assert match_table(name) == "communes", name
    assert match_table("Nhu cau") == "needs"
    assert match_table("Hướng dẫn") == "instructions"
    assert match_table("notes") is None
    assert fold("Đất  đai") == "dat_dai"


def test_choices_in_either_language() -> None:
    for word in ("công chức", "Công Chức", "cong chuc", "civil_servant", "CIVIL SERVANT"):
        assert match_choice("officials", "category", word) == "civil_servant", word
    assert match_choice("officials", "category", "viên chức") == "public_employee"
    assert match_choice("locks", "kind", "Loại trừ") == "forbid"
    assert match_choice("locks", "kind", "chỉ định") == "lock"
    assert match_choice("locks", "kind", "maybe") == "maybe"  # refused by the validator
    # The words cover exactly the values the schema takes.
    for table, column in (("officials", "category"), ("locks", "kind")):
        assert column in choice_columns(table)
        info = RECORD_TYPES[table].model_fields[column]
        values = [getattr(v, "value", v) for v in choices_of(info.annotation)]
        assert sorted(choice_codes(table, column)) == sorted(values)


def choices_of(annotation: Any) -> list[Any]:
    if isinstance(annotation, type):
        return list(annotation.__members__.values())
    return list(get_args(annotation))


def test_each_header_names_one_column() -> None:
    # No two columns of a table fold to the same name, in any language.
    for table, model in RECORD_TYPES.items():
        owners: dict[str, set[str]] = {}
        for column in model.model_fields:
            for n in {fold(column), *(fold(column_label(table, column, lg)) for lg in LANGS)}:
                owners.setdefault(n, set()).add(column)
        assert all(len(cols) == 1 for cols in owners.values()), table
    tables: dict[str, set[str]] = {}
    for table in (*TABLES, POLICY, OPTIONS, "instructions"):
        for n in {fold(table), *(fold(sheet_label(table, lg)) for lg in LANGS)}:
            tables.setdefault(n, set()).add(table)
    assert all(len(t) == 1 for t in tables.values())


def test_csv_folder_with_vietnamese_headers_and_decimal_commas(
    example: Scenario, tmp_path: Path
) -> None:
    example.save(tmp_path / "s")
    folder = tmp_path / "s"
    variants = [str.upper, lambda s: s.replace(" ", "_"), str.lower]
    for k, table in enumerate(TABLES):
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header = [variants[k % 3](column_label(table, c, "vi")) for c in rows[0]]
        body = [[decimal_comma(v) for v in row] for row in rows[1:]]
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows([header, *body])
    assert _same(load_scenario(folder), example)


def decimal_comma(value: str) -> str:
    """``21.386`` as a Vietnamese spreadsheet writes it: ``21,386``."""
    head, dot, tail = value.partition(".")
    if dot and head.lstrip("-").isdigit() and tail.isdigit():
        return f"{head},{tail}"
    return value


# -- cells ------------------------------------------------------------------------------
def test_decimal_commas_dates_and_yes_no_words() -> None:
    assert decimal_text("1,5") == "1.5"
    assert decimal_text("-21,386") == "-21.386"
    assert decimal_text("1.234,5") == "1.234,5"  # a thousands separator: never guessed
    assert decimal_text("1,234,5") == "1,234,5"
    assert decimal_text("it:3;land:2") == "it:3;land:2"
    assert date_text("20/10/2025") == "2025-10-20"
    assert date_text("5-1-2026") == "2026-01-05"
    assert date_text("2025-10-20T00:00:00") == "2025-10-20"  # an Excel date cell
    assert date_text("31/02/2025") == "31/02/2025"  # no such day: the validator refuses it
    assert date_text("10/20/2025") == "10/20/2025"  # month first is not read as a date
    for word, value in (("có", True), ("Có", True), ("x", True), ("X", True), ("không", False)):
        assert bool_word(word) is value, word


def test_a_cell_the_reader_cannot_read_is_named(example: Scenario, tmp_path: Path) -> None:
    book = write_template(tmp_path / "t.xlsx", "vi", example)
    wb = openpyxl.load_workbook(book)
    ws = wb["Nhu cầu"]
    ws.cell(FIRST_DATA_ROW, 7).value = "1.234,5"  # workload
    ws.cell(FIRST_DATA_ROW + 1, 8).value = "chưa rõ"  # mandatory
    wb.save(book)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(book)
    problems = caught.value.problems
    assert [(p.table, p.row, p.column) for p in problems] == [
        ("needs", FIRST_DATA_ROW, "workload"),
        ("needs", FIRST_DATA_ROW + 1, "mandatory"),
    ]
    assert all(p.source is not None and p.source.endswith("[Nhu cầu]") for p in problems)
    assert problems[0].found is not None and "1.234,5" in problems[0].found
    assert problems[1].found is not None and "chưa rõ" in problems[1].found
    assert [p.cell for p in problems] == [f"G{FIRST_DATA_ROW}", f"H{FIRST_DATA_ROW + 1}"]
    vi = caught.value.text("vi")
    assert f"[Nhu cầu], dòng {FIRST_DATA_ROW}, cột 'workload', ô G{FIRST_DATA_ROW}" in vi
    assert "{" not in vi


# -- the command ----------------------------------------------------------------------------
def test_template_command(example: Scenario, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "mau.xlsx"
    assert main(["template", str(out), "--example", "dien-bien"]) == 0
    assert "đã ghi bảng tính mẫu" in capsys.readouterr().out
    assert _same(load_scenario(out), example)
    assert main(["template", str(tmp_path / "blank.xlsx"), "--lang", "en"]) == 0
    assert openpyxl.load_workbook(tmp_path / "blank.xlsx").sheetnames[0] == "Instructions"
    assert main(["template", str(tmp_path / "no" / "t.xlsx")]) == 2
    assert main(["template", str(tmp_path / "x.xlsx"), "--example", "atlantis"]) == 2
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "template" in capsys.readouterr().out


def test_missing_sheet_and_column_are_named_in_the_readers_language(tmp_path: Path) -> None:
    book = write_template(tmp_path / "t.xlsx", "vi")
    wb = openpyxl.load_workbook(book)
    del wb["Xã"]
    wb["Nhu cầu"].delete_cols(4)  # Số người cần (slots)
    wb.save(book)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(book)
    vi = caught.value.text("vi")
    assert "một trang tính tên 'communes' hoặc 'Xã'" in vi
    assert "một cột tên 'slots' hoặc 'Số người cần'" in vi
    assert "a column named 'slots' or 'People needed'" in caught.value.text("en")


def test_readme_lists_every_column_in_both_languages() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for table, model in RECORD_TYPES.items():
        for column in model.model_fields:
            row = f"| {column} | {column_label(table, column, 'vi')} | "
            assert row + f"{column_label(table, column, 'en')} |" in readme, (table, column)


# -- invariants ---------------------------------------------------------------------------
_COLUMNS = [(t, c) for t, m in RECORD_TYPES.items() for c in m.model_fields]


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(
    st.sampled_from(_COLUMNS),
    st.sampled_from(["code", *LANGS]),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.booleans(),
    st.sampled_from([" ", "_", "-", "  ", " _ "]),
)
def test_any_spelling_of_a_header_names_its_column(
    column: tuple[str, str], lang: str, upper: list[bool], plain: bool, sep: str
) -> None:
    table, code = column
    name = code if lang == "code" else column_label(table, code, lang)
    name = _strip_accents(name) if plain else name
    name = "".join(ch.upper() if up else ch.lower() for ch, up in zip(name, upper, strict=False))
    name = sep.join(name.replace("_", " ").split())
    assert match_column(table, f" {name} ") == code


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda x: x != int(x)))
def test_a_decimal_comma_reads_as_the_number(x: float) -> None:
    written = repr(x)
    if "e" not in written:
        assert float(decimal_text(written.replace(".", ","))) == x


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_day_first_date_reads_as_the_date(d: date) -> None:
    assert date_text(f"{d.day}/{d.month}/{d.year}") == d.isoformat()
    assert date_text(f"{d.day:02d}/{d.month:02d}/{d.year}") == d.isoformat()
