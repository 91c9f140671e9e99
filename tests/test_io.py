"""Scenario readers and writers: round trips, error reports, atomic writes."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffopt.errors import Problem, ScenarioError
from staffopt.io import (
    atomic_dir,
    atomic_file,
    load_scenario,
    save_scenario,
    scenario_from_frames,
)
from staffopt.io import csvdir as csvdir_module
from staffopt.io import excel as excel_module
from staffopt.io.jsontext import duplicate_keys, parse_json
from staffopt.schema import (
    TABLES,
    Affinity,
    Agency,
    Category,
    Commune,
    Distance,
    FieldEntry,
    Lock,
    Need,
    Official,
    Policy,
    ProvinceBudget,
    Scenario,
    SolveOptions,
    Wish,
    Zone,
)
from staffopt.schema.limits import MAX_FTE, MAX_POINTS, MAX_SEED, MIN_FTE

# -- fixtures ------------------------------------------------------------------


#: Non-default solve options, with a list-valued field (written as JSON text in Excel).
ROUND_TRIP_OPTIONS = SolveOptions(
    engine="flow", time_limit_s=12.5, subsolvers=("max_lp", "quick_restart")
)


def small_scenario(name: str = "demo") -> Scenario:
    """A tiny scenario exercising every table and the tricky values."""
    return Scenario(
        name=name,
        communes=(
            Commune(
                commune_id="001",
                name="=Mường Nhé",
                province="Điện Biên",
                lat=0.1,
                lon=123.456789,
                zone=Zone.III,
                border=True,
                staff_count=44,
                staff_quota=59,
            ),
            Commune(
                commune_id="002",
                name="Sín Thầu",
                province="Điện Biên",
                lat=22.4,
                lon=102.1,
                zone=Zone.I,
            ),
        ),
        agencies=(
            Agency(agency_id="A1", name="Sở Khoa học và Công nghệ", headcount=120, max_release=10),
            Agency(
                agency_id="A2",
                name="+Sở Xây dựng",
                headcount=80,
                min_release=1,
                province="Điện Biên",
            ),
        ),
        officials=(
            Official(
                official_id="o1",
                name="Nguyễn Văn An",
                agency_id="A1",
                skills={"it": 3, "land": 2},
                home_commune_id="001",
                gender="nam",
                category=Category.CIVIL_SERVANT,
            ),
            Official(
                official_id="o2",
                name="-Trần Thị Bình",
                agency_id="A2",
                skills={"construction": 2},
                home_lat=21.386_1,
                home_lon=103.016_9,
                protected=True,
                volunteer=True,
                max_km=123.456789,
                capacity=0.1,
            ),
            Official(
                official_id="0003",
                name='@Lò Văn Cường, "Cường"; xã\nmới',
                agency_id="A1",
                skills={"it": 1},
                home_commune_id="002",
                available=False,
            ),
        ),
        needs=(
            Need(need_id="n1", commune_id="001", field="it", slots=1, min_level=2, criticality=3),
            Need(
                need_id="n2",
                commune_id="002",
                field="construction",
                slots=2,
                workload=0.1,
                mandatory=True,
            ),
        ),
        distances=(
            Distance(official_id="o1", commune_id="002", km=123.456789),
            Distance(official_id="o2", commune_id="001", km=0.1),
        ),
        locks=(
            Lock(official_id="o1", need_id="n1", kind="lock"),
            Lock(official_id="o2", need_id="n1", kind="forbid"),
        ),
        affinity=(Affinity(official_id="0003", need_id="n2", score=-7),),
        wishes=(
            Wish(official_id="o1", commune_id="002", rank=1),
            Wish(official_id="0003", commune_id="001", rank=3),
        ),
        budgets=(ProvinceBudget(province="Điện Biên", budget=1_234_567_000),),
        fields=(FieldEntry(field="it", name_en="IT", name_vi="Công nghệ thông tin"),),
        policy=Policy(
            base_points=90,
            zone_points={Zone.I: 1, Zone.II: 22, Zone.III: 50},
            level_points={1: 0, 2: 5, 3: 12},
            travel_points_per_km=0.1,
            max_km=300.5,
            protect_civil_servants=False,
            monthly_allowance={Zone.I: 1, Zone.II: 2, Zone.III: 3_832_920},
            travel_allowance_per_km=2_500,
            budget=987_654_321_000,
        ),
        options=ROUND_TRIP_OPTIONS,
    )


BASE_CSV: dict[str, str] = {
    "communes.csv": (
        "commune_id,name,province,lat,lon,zone,border\n"
        "001,Mường Nhé,Điện Biên,22.1,102.5,III,true\n"
        "002,Sín Thầu,Điện Biên,22.4,102.1,III,có\n"
    ),
    "agencies.csv": (
        "agency_id,name,headcount,min_release,max_release\n"
        "A1,Sở Khoa học và Công nghệ,120,1,10\n"
        "A2,Sở Xây dựng,80,0,\n"
    ),
    "officials.csv": (
        "official_id,name,agency_id,skills,home_commune_id,protected\n"
        "o1,Nguyễn Văn An,A1,it:3;land:2,001,false\n"
        "o2,Trần Thị Bình,A2,construction:2,002,không\n"
        "o3,Lò Văn Cường,A1,it:1,001,\n"
    ),
    "needs.csv": (
        "need_id,commune_id,field,slots,min_level,criticality\n"
        "n1,001,it,1,2,3\n"
        "n2,002,construction,2,1,2\n"
    ),
}


def make_folder(root: Path, name: str = "case", **files: str | None) -> Path:
    """Write the base CSV folder with some files replaced (``None``: left out)."""
    folder = root / name
    folder.mkdir()
    contents: dict[str, str | None] = {**BASE_CSV}
    for key, text in files.items():
        contents[key.replace("__", ".")] = text
    for fname, text in contents.items():
        if text is not None:
            (folder / fname).write_text(text, encoding="utf-8")
    return folder


def problems_of(exc: pytest.ExceptionInfo[ScenarioError]) -> list[Problem]:
    return exc.value.problems


def where(p: Problem) -> tuple[str, int | None, str | None, str | None]:
    return p.table, p.row, p.column, p.id


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


# -- round trips -------------------------------------------------------------------


def test_round_trip_csv_excel_json_csv(tmp_path: Path) -> None:
    s = small_scenario()
    folder = save_scenario(s, tmp_path / "a" / "demo")
    s1 = load_scenario(folder)
    assert s1 == s
    book = save_scenario(s1, tmp_path / "b" / "demo.xlsx")
    s2 = load_scenario(book)
    assert s2 == s
    js = save_scenario(s2, tmp_path / "c" / "demo.json")
    s3 = load_scenario(js)
    assert s3 == s
    again = save_scenario(s3, tmp_path / "d" / "demo")
    s4 = load_scenario(again)
    assert s4 == s
    assert s4.name == "demo"
    assert s4.policy.zone_points[Zone.III] == 50
    assert s4.commune_by_id["001"].lon == 123.456789
    # the files are the same bytes after a full circle
    for f in sorted(folder.iterdir()):
        assert (again / f.name).read_bytes() == f.read_bytes()


def test_csv_files_content(tmp_path: Path) -> None:
    folder = save_scenario(small_scenario(), tmp_path / "demo")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "affinity.csv",
        "agencies.csv",
        "budgets.csv",
        "communes.csv",
        "distances.csv",
        "fields.csv",
        "locks.csv",
        "needs.csv",
        "officials.csv",
        "options.json",
        "policy.json",
        "wishes.csv",
    ]
    officials = (folder / "officials.csv").read_text(encoding="utf-8").splitlines()
    assert officials[0].split(",")[:5] == [
        "official_id",
        "name",
        "agency_id",
        "skills",
        "home_commune_id",
    ]
    assert officials[1].startswith("o1,Nguyễn Văn An,A1,it:3;land:2,001,")
    communes = (folder / "communes.csv").read_text(encoding="utf-8")
    assert "001,=Mường Nhé,Điện Biên,0.1,123.456789,III,true" in communes
    policy = json.loads((folder / "policy.json").read_text(encoding="utf-8"))
    assert policy["zone_points"] == {"I": 1, "II": 22, "III": 50}
    assert "time_limit_s" not in policy  # a solve option, written to options.json
    options = json.loads((folder / "options.json").read_text(encoding="utf-8"))
    assert options["time_limit_s"] == 12.5 and options["engine"] == "flow"


def test_optional_tables_written_only_when_not_empty(tmp_path: Path) -> None:
    s = small_scenario().model_copy(
        update={
            "distances": (),
            "locks": (),
            "affinity": (),
            "wishes": (),
            "budgets": (),
            "fields": (),
            "options": SolveOptions(),
        }
    )
    folder = save_scenario(s, tmp_path / "demo")
    assert not (folder / "locks.csv").exists()
    assert not (folder / "options.json").exists()  # default options: no file
    assert (folder / "policy.json").exists()
    assert load_scenario(folder) == s
    book = save_scenario(s, tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["communes", "agencies", "officials", "needs", "policy"]
    assert load_scenario(book) == s


def test_excel_text_is_never_a_formula(tmp_path: Path) -> None:
    book = save_scenario(small_scenario(), tmp_path / "demo.xlsx")
    wb = openpyxl.load_workbook(book)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    name = wb["communes"]["B2"]
    assert name.value == "=Mường Nhé"
    assert name.data_type == "s"
    assert wb["communes"]["A2"].value == "001"  # ids stay text
    policy = {r[0]: r[1] for r in wb["policy"].iter_rows(min_row=2, values_only=True)}
    assert json.loads(policy["zone_points"]) == {"I": 1, "II": 22, "III": 50}


def test_excel_floats_exact_beyond_16_digits(tmp_path: Path) -> None:
    s = small_scenario("x")
    d = (Distance(official_id="o1", commune_id="001", km=10.015463661686018),)
    s = s.model_copy(update={"distances": d})
    assert load_scenario(save_scenario(s, tmp_path / "x.xlsx")) == s


def test_reading_is_lenient_about_format(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        communes__csv=(
            "\ufeff Commune_ID , name,province,lat,lon,zone,border\r\n"
            "\r\n"
            "  001 , Mường Nhé ,Điện Biên,22.1,102.5,III,YES\r\n"
            ",,,,,,\r\n"
            "002,Sín Thầu,Điện Biên,22.4,102.1,III,Có\r\n"
        ),
    )
    s = load_scenario(folder)
    assert [c.commune_id for c in s.communes] == ["001", "002"]
    assert s.communes[0].name == "Mường Nhé"
    assert all(c.border for c in s.communes)
    assert s.officials[1].protected is False  # "không"
    assert s.agencies[1].max_release is None  # empty cell = default
    assert s.name == "case"


def test_excel_cells_of_any_type(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "communes"
    ws.append(["commune_id", "name", "province", "lat", "lon", "zone", "border"])
    ws.append([1.0, "A", "P", 22, 102.5, "III", True])
    ws.append([2, 15, "P", 22.5, 102, "II", "không"])
    ws = wb.create_sheet("agencies")
    ws.append(["agency_id", "name", "headcount"])
    ws.append([7, "Sở", 10.0])
    ws = wb.create_sheet("officials")
    ws.append(["official_id", "name", "agency_id", "skills", "home_commune_id"])
    ws.append([100, "N", 7, "it:2", 1])
    ws = wb.create_sheet("needs")
    ws.append(["need_id", "commune_id", "field", "slots"])
    ws.append(["n1", 2.0, "IT", 1.0])
    ws = wb.create_sheet("Policy")
    ws.append(["key", "value"])
    ws.append(["base_points", 70])
    ws.append(["protect_civil_servants", "không"])
    ws.append(["zone_points", '{"I": 0, "II": 1, "III": 2}'])
    ws = wb.create_sheet("Options")
    ws.append(["key", "value"])
    ws.append(["log_search", "có"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    s = load_scenario(path)
    assert s.communes[0].commune_id == "1"
    assert s.communes[1].name == "15"
    assert s.communes[0].border is True and s.communes[1].border is False
    assert s.officials[0].official_id == "100"
    assert s.officials[0].agency_id == "7"
    assert s.needs[0].commune_id == "2"
    assert s.needs[0].field == "it"
    assert s.policy.base_points == 70
    assert s.policy.protect_civil_servants is False
    assert s.options.log_search is True
    assert s.policy.zone_points[Zone.III] == 2
    assert s.name == "book"


def test_scenario_from_frames(tmp_path: Path) -> None:
    frames = {
        "communes": pd.DataFrame(
            {
                "commune_id": [1.0, 2.0],
                "name": ["A", "B"],
                "province": ["P", "P"],
                "lat": [22.1, 22.2],
                "lon": [102.0, 102.5],
                "zone": ["III", "I"],
                "staff_count": [30, None],
            }
        ),
        "agencies": pd.DataFrame({"agency_id": ["a"], "name": ["S"], "headcount": [5]}),
        "officials": pd.DataFrame(
            {
                "official_id": ["o1"],
                "name": ["N"],
                "agency_id": ["a"],
                "skills": [{"IT": 2}],
                "home_commune_id": ["1"],
                "protected": [False],
            }
        ).set_index("official_id"),
        "needs": pd.DataFrame(
            {"need_id": ["n1"], "commune_id": ["2"], "field": ["it"], "slots": [1]}
        ),
    }
    s = scenario_from_frames(frames, name="frames", policy={"base_points": 5})
    assert s.name == "frames"
    assert [c.commune_id for c in s.communes] == ["1", "2"]
    assert s.communes[1].staff_count is None
    assert s.officials[0].skills == {"it": 2}
    assert s.policy.base_points == 5

    bad = dict(frames)
    bad["needs"] = pd.DataFrame(
        {"need_id": ["n1", "n2"], "commune_id": ["2", "9"], "field": ["it", "it"], "slots": [1, 0]}
    )
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames(bad, sources={"needs": "book.xlsx[needs]"})
    got = {(where(p), p.source) for p in problems_of(exc)}
    assert (("needs", 3, "slots", "n2"), "book.xlsx[needs]") in got
    assert (("needs", 3, "commune_id", "9"), "book.xlsx[needs]") in got


def test_scenario_from_frames_problems() -> None:
    frames = {
        "communes": pd.DataFrame(columns=["commune_id", "name", "province", "lat", "lon", "zone"]),
        "needs": pd.DataFrame({"need_id": []}),
        "people": pd.DataFrame(),
        "policy": pd.DataFrame({"key": ["base_points", "colour"], "value": [3, "red"]}),
    }
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames(frames)
    got = {(p.table, p.column, p.message) for p in problems_of(exc)}
    assert ("scenario", None, "unknown table 'people'") in got
    assert ("agencies", None, "missing table") in got
    assert ("officials", None, "missing table") in got
    assert ("needs", "field", "missing column") in got
    assert ("policy", "colour", "unknown key") in got


def test_options_sheet_lists_and_text(tmp_path: Path) -> None:
    book = save_scenario(small_scenario("book"), tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["options"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "subsolvers")
    assert json.loads(str(row[1].value)) == list(ROUND_TRIP_OPTIONS.subsolvers or ())
    row[1].value = " max_lp ; quick_restart "
    wb.save(book)
    assert load_scenario(book) == small_scenario("book")


def test_write_workbook_any_frames(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "who": ["=HYPERLINK(1)", "-1", "a\x01b", None],
            "n": pd.array([1, None, 3, 4], dtype="Int64"),
            "x": [0.1, float("nan"), 10.015463661686018, 2.0],
            "ok": [True, False, True, False],
        }
    )
    path = excel_module.write_workbook(
        tmp_path / "r.xlsx", {"Phân công: [1]": frame, "empty": pd.DataFrame()}
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Phân công_ _1_", "empty"]
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("who", "n", "x", "ok")
    assert rows[1] == ("=HYPERLINK(1)", 1, 0.1, True)
    assert rows[2] == ("-1", None, None, False)
    assert rows[3] == ("ab", 3, 10.015463661686018, True)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_excel_refuses_control_characters(tmp_path: Path) -> None:
    s = small_scenario()
    bad = s.communes[1].model_copy(update={"name": "Sín\x07Thầu"})
    s = s.model_copy(update={"communes": (s.communes[0], bad)})
    with pytest.raises(ScenarioError) as exc:
        save_scenario(s, tmp_path / "x.xlsx")
    assert [where(p) for p in problems_of(exc)] == [("communes", 3, "name", "002")]
    assert list(tmp_path.iterdir()) == []


# -- errors --------------------------------------------------------------------------

ERROR_CASES: list[tuple[str, dict[str, str | None], tuple[Any, ...], str]] = [
    (
        "unknown commune in a need",
        {"needs__csv": BASE_CSV["needs.csv"].replace("n2,002", "n2,009")},
        ("needs", 3, "commune_id", "009"),
        "unknown commune",
    ),
    (
        "duplicate id",
        {"communes__csv": BASE_CSV["communes.csv"] + "002,Khác,Điện Biên,22,102,II,\n"},
        ("communes", 4, "commune_id", "002"),
        "duplicate id",
    ),
    (
        "malformed skills",
        {"officials__csv": BASE_CSV["officials.csv"].replace("it:3;land:2", "it3")},
        ("officials", 2, "skills", "o1"),
        "malformed skill",
    ),
    (
        "skill level out of range",
        {"officials__csv": BASE_CSV["officials.csv"].replace("it:1", "it:5")},
        ("officials", 4, "skills", "o3"),
        "out of range",
    ),
    (
        "min_level out of range",
        {"needs__csv": BASE_CSV["needs.csv"].replace("n1,001,it,1,2,3", "n1,001,it,1,4,3")},
        ("needs", 2, "min_level", "n1"),
        "out of range",
    ),
    (
        "negative slots",
        {"needs__csv": BASE_CSV["needs.csv"].replace("construction,2,", "construction,-2,")},
        ("needs", 3, "slots", "n2"),
        "out of range",
    ),
    (
        "missing column",
        {"needs__csv": "need_id,commune_id,slots\nn1,001,1\n"},
        ("needs", 1, "field", None),
        "missing column",
    ),
    (
        "unknown column",
        {
            "communes__csv": BASE_CSV["communes.csv"]
            .replace("border\n", "border,colour\n")
            .replace("true\n", "true,red\n")
        },
        ("communes", 1, "colour", None),
        "unknown column",
    ),
    (
        "unknown agency",
        {"officials__csv": BASE_CSV["officials.csv"].replace("o3,Lò Văn Cường,A1", "o3,L,A9")},
        ("officials", 4, "agency_id", "A9"),
        "unknown agency",
    ),
    (
        "missing required file",
        {"agencies__csv": None},
        ("agencies", None, None, None),
        "missing file",
    ),
    (
        "bad zone",
        {"communes__csv": BASE_CSV["communes.csv"].replace("102.5,III", "102.5,IV")},
        ("communes", 2, "zone", "001"),
        "not an allowed value",
    ),
    (
        "bad bool",
        {"communes__csv": BASE_CSV["communes.csv"].replace(",có", ",maybe")},
        ("communes", 3, "border", "002"),
        "yes/no",
    ),
    (
        "bad number",
        {"communes__csv": BASE_CSV["communes.csv"].replace("22.4", "abc")},
        ("communes", 3, "lat", "002"),
        "not a number",
    ),
    (
        "too many cells",
        {"communes__csv": BASE_CSV["communes.csv"].replace("22.4", "22,4")},
        ("communes", 3, None, "002"),
        "more cells",
    ),
    (
        "latitude out of range",
        {"communes__csv": BASE_CSV["communes.csv"].replace("22.4", "122.4")},
        ("communes", 3, "lat", "002"),
        "out of range",
    ),
    (
        "missing value",
        {"needs__csv": BASE_CSV["needs.csv"].replace("n1,001,it", "n1,001,")},
        ("needs", 2, "field", "n1"),
        "missing value",
    ),
    (
        "no home",
        {"officials__csv": BASE_CSV["officials.csv"].replace("it:1,001", "it:1,")},
        ("officials", 4, None, "o3"),
        "home_commune_id",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected", "fragment"),
    [c[1:] for c in ERROR_CASES],
    ids=[c[0] for c in ERROR_CASES],
)
def test_csv_errors(
    tmp_path: Path, files: dict[str, str | None], expected: tuple[Any, ...], fragment: str
) -> None:
    folder = make_folder(tmp_path, **files)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    matching = [p for p in problems_of(exc) if where(p) == expected]
    assert matching, f"{expected} not in {[where(p) for p in problems_of(exc)]}"
    assert any(fragment in p.message for p in matching)
    assert all(p.source and p.source.startswith(str(folder)) for p in problems_of(exc))
    assert str(exc.value)  # a readable message


def test_error_details(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        communes__csv=BASE_CSV["communes.csv"]
        .replace("102.5,III", "102.5,IV")
        .replace("border\n", "border,colour\n"),
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    by_column = {p.column: p for p in problems_of(exc)}
    zone = by_column["zone"]
    assert zone.found == "'IV'"
    assert zone.expected is not None and "III" in zone.expected
    assert zone.source == str(folder / "communes.csv")
    colour = by_column["colour"]
    assert colour.expected is not None and "commune_id" in colour.expected
    assert "staff_quota" in colour.expected


def test_many_problems_at_once(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        communes__csv=BASE_CSV["communes.csv"].replace("102.5,III", "102.5,IV"),
        officials__csv=BASE_CSV["officials.csv"]
        .replace("it:3;land:2", "it3")
        .replace("o3,Lò Văn Cường,A1", "o3,L,A9"),
        needs__csv=BASE_CSV["needs.csv"]
        .replace("construction,2,", "construction,-2,")
        .replace("n1,001", "n1,007"),
        policy__json='{"base_points": "many", "colour": 1}',
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    got = {where(p) for p in problems_of(exc)}
    assert {
        ("communes", 2, "zone", "001"),
        ("officials", 2, "skills", "o1"),
        ("officials", 4, "agency_id", "A9"),
        ("needs", 3, "slots", "n2"),
        ("needs", 2, "commune_id", "007"),
        ("policy", None, "base_points", None),
        ("policy", None, "colour", None),
    } <= got
    # commune 001 was dropped for its zone: references to it are not "unknown"
    assert not any(p.message == "unknown commune" and p.id == "001" for p in problems_of(exc))
    assert len(got) == len(problems_of(exc))  # nothing reported twice


def test_dropped_rows_still_checked(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        officials__csv=BASE_CSV["officials.csv"].replace(
            "o2,Trần Thị Bình,A2,construction:2,002", "o1,Trần Thị Bình,A7,construction:9,002"
        ),
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    got = {(where(p), p.message) for p in problems_of(exc)}
    assert (
        ("officials", 3, "skills", "o1"),
        "skill 'construction' level 9 out of range 1-3",
    ) in got
    assert (("officials", 2, "official_id", "o1"), "duplicate id") in got
    assert (("officials", 3, "official_id", "o1"), "duplicate id") in got
    assert (("officials", 3, "agency_id", "A7"), "unknown agency") in got


def test_blank_lines_keep_spreadsheet_rows(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        needs__csv=(
            "need_id,commune_id,field,slots\n\nn1,001,it,1\n\n\nn2,002,it,0\nn3,002,it,1\n"
        ),
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    assert [where(p) for p in problems_of(exc)] == [("needs", 6, "slots", "n2")]


def test_cross_check_rows_follow_the_file(tmp_path: Path) -> None:
    # row 3 is dropped for a bad cell; row 4's unknown commune is still row 4
    folder = make_folder(
        tmp_path,
        needs__csv="need_id,commune_id,field,slots\nn1,001,it,1\nn2,002,it,x\nn3,003,it,1\n",
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    assert [where(p) for p in problems_of(exc)] == [
        ("needs", 3, "slots", "n2"),
        ("needs", 4, "commune_id", "003"),
    ]


def test_not_utf8(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "agencies.csv").write_bytes(
        "agency_id,name,headcount\nA1,Sở,3\n".encode("cp1258", errors="replace") + b"A2,S\xe0,3\n"
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    (p,) = problems_of(exc)
    assert (p.table, p.row) == ("agencies", 3)
    assert "UTF-8" in p.message


def test_bad_policy_file(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path,
        policy__json='{"zone_points": {"I": 0, "II": 20}, "travel_points_per_km": -1}',
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    (p,) = problems_of(exc)
    assert (p.table, p.column, p.found) == ("policy", "travel_points_per_km", "-1")
    assert p.expected is not None and p.expected.startswith(">= 0")
    folder2 = make_folder(tmp_path, "two", policy__json='{"zone_points": {"I": 0, "II": 20}}')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder2)
    (p,) = problems_of(exc)
    assert (p.table, p.column) == ("policy", "zone_points")
    assert "III" in p.message
    folder3 = make_folder(tmp_path, "three", policy__json="{base_points: 1}")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder3)
    (p,) = problems_of(exc)
    assert (p.table, p.row, p.message) == ("policy", 1, "not valid JSON")


def _store_result(book: Path, sheet: str, coordinate: str, result: str, kind: str) -> None:
    """Give a formula cell the result Excel would have stored with it (openpyxl stores none)."""
    index = openpyxl.load_workbook(book, read_only=True).sheetnames.index(sheet) + 1
    member = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[member].decode("utf-8")
    cell = re.search(rf'<c r="{coordinate}"[^>]*><f>[^<]*</f><v\s*/>', xml)
    assert cell is not None, coordinate
    stored = cell.group(0).replace(f'<c r="{coordinate}"', f'<c r="{coordinate}" t="{kind}"')
    stored = re.sub(r"<v\s*/>", f"<v>{result}</v>", stored)
    parts[member] = xml.replace(cell.group(0), stored).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_excel_formula_without_a_stored_result_is_a_problem(tmp_path: Path) -> None:
    """openpyxl (and scripts) write formulas without results: never read them as empty."""
    book = save_scenario(small_scenario(), tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["needs"]["H2"] = "=1+1"  # mandatory of n1 (a yes/no cell that would default to false)
    wb["needs"]["D3"] = "=2*1"  # slots of n2 (required)
    wb["policy"]["B2"] = "=50+50"  # base_points
    wb.save(book)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(book)
    got = {(p.table, p.row, p.column, p.message, p.found, p.source) for p in problems_of(exc)}
    formula = "formula without a computed value"
    assert got == {
        ("policy", 2, "base_points", formula, "'=50+50'", f"{book}[policy]"),
        ("needs", 2, "mandatory", formula, "'=1+1'", f"{book}[needs]"),
        ("needs", 3, "slots", formula, "'=2*1'", f"{book}[needs]"),
    }


def test_excel_formula_with_a_stored_result_counts_as_that_value(tmp_path: Path) -> None:
    book = save_scenario(small_scenario(), tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["needs"]["D3"] = "=1+2"
    wb["needs"]["H2"] = "=1=1"
    wb.save(book)
    _store_result(book, "needs", "D3", "3", "n")
    _store_result(book, "needs", "H2", "1", "b")
    s = load_scenario(book)
    assert s.need_by_id["n2"].slots == 3 and s.need_by_id["n1"].mandatory is True
    # A boolean cell whose formula gave 2 is no yes/no value.
    book = save_scenario(small_scenario(), tmp_path / "two.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["needs"]["H2"] = "=1+1"
    wb.save(book)
    _store_result(book, "needs", "H2", "2", "n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(book)
    (p,) = problems_of(exc)
    assert (where(p), p.message, p.found) == (
        ("needs", 2, "mandatory", "n1"),
        "not a yes/no value",
        "'2'",
    )


@pytest.mark.parametrize("rename", [str.capitalize, str.upper, lambda t: f" {t.title()} "])
def test_excel_sheet_names_match_case_insensitively(tmp_path: Path, rename: Any) -> None:
    """Every table sheet and the policy and options sheets, as Excel users type them."""
    s = small_scenario()
    book = save_scenario(s, tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    titles = list(wb.sheetnames)
    assert set(titles) == {*TABLES, "policy", "options"}  # every sheet is renamed
    for ws in wb.worksheets:
        title = ws.title
        ws.title = f"tmp {title}"  # openpyxl refuses a title equal to another, case aside
        ws.title = rename(title)
    wb.save(book)
    renamed = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert renamed != titles and [t.strip().lower() for t in renamed] == titles
    assert load_scenario(book) == s.model_copy(update={"name": "book"})


def test_excel_errors(tmp_path: Path) -> None:
    book = save_scenario(small_scenario(), tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["needs"]["D3"] = -1  # slots of n2
    wb["needs"]["B2"] = "999"  # commune of n1
    wb["communes"]["F3"] = "IV"
    wb["policy"]["B3"] = "{not json"  # zone_points
    del wb["agencies"]
    wb.save(book)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(book)
    got = {(where(p), p.source) for p in problems_of(exc)}
    assert (("needs", 3, "slots", "n2"), f"{book}[needs]") in got
    assert (("needs", 2, "commune_id", "999"), f"{book}[needs]") in got
    assert (("communes", 3, "zone", "002"), f"{book}[communes]") in got
    assert (("policy", 3, "zone_points", None), f"{book}[policy]") in got
    assert (("agencies", None, None, None), str(book)) in got
    # agencies are missing altogether: no "unknown agency" noise
    assert not any(p.message == "unknown agency" for p in problems_of(exc))


def test_json_errors(tmp_path: Path) -> None:
    data = small_scenario().model_dump(mode="json")
    data["needs"][1]["slots"] = -1
    data["needs"][0]["commune_id"] = "404"
    data["officials"][0]["colour"] = "red"
    data["communes"][1]["zone"] = "IV"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    got = {where(p) for p in problems_of(exc)}
    assert {
        ("needs", 3, "slots", "n2"),
        ("needs", 2, "commune_id", "404"),
        ("officials", None, "colour", None),
        ("communes", 3, "zone", "002"),
    } <= got
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert problems_of(exc)[0].message == "not valid JSON"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("nothing_here", None, "path not found"),
        ("table.csv", b"a,b\n", "not a scenario"),
        ("notes.txt", b"hello", "not a scenario"),
        ("broken.xlsx", b"not a zip file", "not a readable .xlsx"),
        ("list.json", b"[1, 2]", "not a JSON object"),
    ],
)
def test_bad_paths(tmp_path: Path, name: str, content: bytes | None, fragment: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    (p,) = problems_of(exc)
    assert fragment in p.message
    assert p.source == str(path)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, needs__csv="", officials__csv="official_id\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    got = {(p.table, p.column, p.message) for p in problems_of(exc)}
    assert ("needs", None, "empty table: no header row") in got
    assert ("officials", "skills", "missing column") in got


def test_loading_never_modifies_inputs(tmp_path: Path) -> None:
    s = small_scenario()
    paths = [
        save_scenario(s, tmp_path / "demo"),
        save_scenario(s, tmp_path / "demo.xlsx"),
        save_scenario(s, tmp_path / "demo.json"),
    ]
    before = {str(p): snapshot(p) for p in paths}
    listing = sorted(p.name for p in tmp_path.iterdir())
    for p in paths:
        assert load_scenario(p) == s
    assert {str(p): snapshot(p) for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


# -- atomic writes ---------------------------------------------------------------------


def test_folder_write_keeps_unrelated_files_and_drops_stale_tables(tmp_path: Path) -> None:
    target = save_scenario(small_scenario(), tmp_path / "demo")
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    s = small_scenario().model_copy(update={"locks": ()})
    save_scenario(s, target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (target / "locks.csv").exists()
    assert load_scenario(target) == s
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no temp left


def test_failing_folder_write_leaves_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = save_scenario(small_scenario(), tmp_path / "demo")
    before = snapshot(target)
    real = csvdir_module.write_table

    def flaky(path: Path, columns: list[str], rows: list[list[Any]]) -> None:
        if path.name == "officials.csv":  # the third table
            raise OSError("disk full")
        real(path, columns, rows)

    monkeypatch.setattr(csvdir_module, "write_table", flaky)
    other = small_scenario().with_policy(base_points=1)
    with pytest.raises(OSError, match="disk full"):
        save_scenario(other, target)
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    with pytest.raises(OSError, match="disk full"):
        save_scenario(other, tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_failing_file_writes_leave_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = small_scenario()
    book = save_scenario(s, tmp_path / "demo.xlsx")
    js = save_scenario(s, tmp_path / "demo.json")
    before = {**snapshot(book), **snapshot(js)}

    class HalfBook:
        def save(self, filename: Any) -> None:
            Path(filename).write_bytes(b"PK half a zip")
            raise OSError("disk full")

    monkeypatch.setattr(excel_module, "build_workbook", lambda scenario: HalfBook())
    with pytest.raises(OSError, match="disk full"):
        save_scenario(s.with_policy(base_points=1), book)

    def half_text(self: Path, data: str, **kwargs: Any) -> int:
        with self.open("w", encoding="utf-8") as fh:
            fh.write(data[:10])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_text)
    with pytest.raises(OSError, match="disk full"):
        save_scenario(s.with_policy(base_points=1), js)
    monkeypatch.undo()
    assert {**snapshot(book), **snapshot(js)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.json", "demo.xlsx"]
    assert load_scenario(book) == s


def test_atomic_helpers(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    with atomic_file(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("one", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "one"
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("two", encoding="utf-8")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "one"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]

    folder = tmp_path / "plan"
    with atomic_dir(folder) as tmpdir:
        (tmpdir / "a.csv").write_text("a", encoding="utf-8")
        (tmpdir / "deep").mkdir()
        (tmpdir / "deep" / "b.csv").write_text("b", encoding="utf-8")
    (folder / "keep.txt").write_text("k", encoding="utf-8")
    with atomic_dir(folder) as tmpdir:
        (tmpdir / "deep").mkdir()
        (tmpdir / "deep" / "b.csv").write_text("B", encoding="utf-8")
    assert (folder / "a.csv").read_text(encoding="utf-8") == "a"
    assert (folder / "deep" / "b.csv").read_text(encoding="utf-8") == "B"
    assert (folder / "keep.txt").exists()
    with pytest.raises(RuntimeError), atomic_dir(folder) as tmpdir:
        (tmpdir / "a.csv").write_text("X", encoding="utf-8")
        raise RuntimeError
    assert (folder / "a.csv").read_text(encoding="utf-8") == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan", "sub"]


def test_save_rejects_single_table_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="folder"):
        save_scenario(small_scenario(), tmp_path / "x.csv")


# -- property test: random valid scenarios round-trip ------------------------------------

ID_CHARS = "0123456789abcXYZ-_=+@đĐươ"
TEXT_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyÀẢÃÁẠẰỳỹỷ =+-@,;:\"'\n\t0123456789"
FIELD_CHARS = "abcdefghijđư_"

ids = st.text(ID_CHARS, min_size=1, max_size=5)
texts = st.text(TEXT_CHARS, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
small_floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-9, 1e3, allow_nan=False, allow_infinity=False)
#: Workloads and capacities: whole thousandths of an FTE at least (schema.limits).
fte = st.floats(MIN_FTE, MAX_FTE, allow_nan=False, allow_infinity=False)
distances_km = st.floats(0, 1e5, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    commune_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    communes = tuple(
        Commune(
            commune_id=cid,
            name=draw(texts),
            province=draw(texts),
            lat=draw(st.floats(-90, 90, allow_nan=False)),
            lon=draw(st.floats(-180, 180, allow_nan=False)),
            zone=draw(st.sampled_from(Zone)),
            border=draw(st.booleans()),
            staff_count=draw(st.none() | st.integers(0, 10**6)),
            staff_quota=draw(st.none() | st.integers(0, 10**6)),
        )
        for cid in commune_ids
    )
    agencies = []
    for aid in draw(st.lists(ids, min_size=1, max_size=3, unique=True)):
        headcount = draw(st.integers(0, 1000))
        max_release = draw(st.none() | st.integers(0, headcount))
        ceiling = headcount if max_release is None else max_release
        agencies.append(
            Agency(
                agency_id=aid,
                name=draw(texts),
                headcount=headcount,
                min_release=draw(st.integers(0, ceiling)),
                max_release=max_release,
                province=draw(st.none() | texts),
            )
        )
    fields = st.text(FIELD_CHARS, min_size=1, max_size=4)
    officials = []
    for oid in draw(st.lists(ids, min_size=1, max_size=4, unique=True)):
        at_home = draw(st.booleans())
        officials.append(
            Official(
                official_id=oid,
                name=draw(texts),
                agency_id=draw(st.sampled_from([a.agency_id for a in agencies])),
                skills=draw(st.dictionaries(fields, st.integers(1, 3), min_size=1, max_size=3)),
                home_commune_id=draw(st.sampled_from(commune_ids)) if at_home else None,
                home_lat=None if at_home else draw(st.floats(-90, 90, allow_nan=False)),
                home_lon=None if at_home else draw(st.floats(-180, 180, allow_nan=False)),
                gender=draw(st.none() | texts),
                category=draw(st.sampled_from(Category)),
                protected=draw(st.booleans()),
                volunteer=draw(st.booleans()),
                max_km=draw(st.none() | distances_km),
                capacity=draw(fte),
                available=draw(st.booleans()),
            )
        )
    needs = tuple(
        Need(
            need_id=nid,
            commune_id=draw(st.sampled_from(commune_ids)),
            field=draw(fields),
            slots=draw(st.integers(1, 50)),
            min_level=draw(st.integers(1, 3)),
            criticality=draw(st.integers(1, 3)),
            workload=draw(fte),
            mandatory=draw(st.booleans()),
        )
        for nid in draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    )
    official_ids = [o.official_id for o in officials]
    need_ids = [n.need_id for n in needs]
    d_pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(official_ids), st.sampled_from(commune_ids)),
            max_size=4,
            unique=True,
        )
    )
    on_pairs = st.tuples(st.sampled_from(official_ids), st.sampled_from(need_ids))
    l_pairs = draw(st.lists(on_pairs, max_size=3, unique=True))
    a_pairs = draw(st.lists(on_pairs, max_size=3, unique=True))
    policy = Policy(
        base_points=draw(st.integers(-1000, 1000)),
        zone_points={z: draw(st.integers(-100, 100)) for z in Zone},
        criticality_points={k: draw(st.integers(-100, 100)) for k in (1, 2, 3)},
        travel_points_per_km=draw(st.floats(0, 10, allow_nan=False)),
        road_factor=draw(st.floats(1, 3, allow_nan=False)),
        max_km=draw(st.none() | distances_km),
        protected_may_volunteer=draw(st.booleans()),
    )
    options = SolveOptions(
        engine=draw(st.sampled_from(["auto", "cpsat", "flow"])),
        time_limit_s=draw(positive),
        seed=draw(st.integers(0, MAX_SEED)),
    )
    return Scenario(
        name="prop",
        communes=communes,
        agencies=tuple(agencies),
        officials=tuple(officials),
        needs=needs,
        distances=tuple(
            Distance(official_id=o, commune_id=c, km=draw(distances_km)) for o, c in d_pairs
        ),
        locks=tuple(
            Lock(official_id=o, need_id=n, kind=draw(st.sampled_from(["lock", "forbid"])))
            for o, n in l_pairs
        ),
        affinity=tuple(
            Affinity(official_id=o, need_id=n, score=draw(st.integers(-MAX_POINTS, MAX_POINTS)))
            for o, n in a_pairs
        ),
        policy=policy,
        options=options,
    )


@pytest.mark.parametrize("target", ["prop", "prop.xlsx", "prop.json"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=scenarios())
def test_property_round_trip(target: str, s: Scenario) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = save_scenario(s, Path(d) / target)
        assert load_scenario(path) == s
        # writing the same scenario again over the old output is fine too
        save_scenario(s, path)
        assert load_scenario(path) == s


def test_solve_option_in_the_policy_file_says_where_it_belongs(tmp_path: Path) -> None:
    folder = save_scenario(small_scenario(), tmp_path / "demo")
    (folder / "policy.json").write_text('{"time_limit_s": 5, "base_points": 90}', "utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    (problem,) = exc.value.problems
    assert problem.table == "policy" and problem.column == "time_limit_s"
    assert "solve option" in problem.message and "options.json" in str(problem.expected)


def test_options_file_sets_the_default_solve_options(tmp_path: Path) -> None:
    folder = save_scenario(small_scenario(), tmp_path / "demo")
    (folder / "options.json").write_text('{"time_limit_s": 7, "workers": 1}', "utf-8")
    s = load_scenario(folder)
    assert s.options == SolveOptions(time_limit_s=7, workers=1)
    (folder / "options.json").write_text('{"base_points": 1}', "utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    assert [(p.table, p.column, p.message) for p in exc.value.problems] == [
        ("options", "base_points", "unknown key")
    ]


# -- a JSON key given twice ------------------------------------------------------------


def test_json_key_given_twice_is_a_problem_naming_file_key_and_lines(tmp_path: Path) -> None:
    doc = small_scenario().model_dump(mode="json")
    communes = json.dumps(doc["communes"])
    text = json.dumps(doc, indent=1)
    # The same table twice: the last one silently won before.
    path = tmp_path / "twice.json"
    path.write_text(text[:-2] + f',\n "communes": {communes}\n}}', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    (p,) = problems_of(exc)
    last = text.count("\n") + 1  # text[:-2] drops the closing line
    assert p.source == str(path) and p.row == last
    assert p.message == "key 'communes' given twice" and p.expected == "each key once"
    first = next(i for i, ln in enumerate(text.splitlines(), 1) if '"communes"' in ln)
    assert p.found == f"on lines {first}, {last}"
    assert p.text("vi").endswith(
        f"khóa 'communes' được cho hai lần; cần mỗi khóa một lần, "
        f"nhận được ở các dòng {first}, {last}"
    )


def test_json_field_given_twice_in_a_record_and_in_the_policy(tmp_path: Path) -> None:
    doc = small_scenario().model_dump(mode="json")
    text = json.dumps(doc, indent=1).replace('"slots": 2,', '"slots": 2,\n    "slots": 9,', 1)
    text = text.replace('"base_points": ', '"base_points": 1,\n  "base_points": ', 1)
    path = tmp_path / "fields.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    got = {(str(p.message), p.row) for p in problems_of(exc)}
    lines = text.splitlines()
    slots = next(i for i, ln in enumerate(lines, 1) if '"slots": 9' in ln)
    base = [i for i, ln in enumerate(lines, 1) if '"base_points"' in ln][1]
    # Every key given twice at once, not only the first.
    assert got == {("key 'slots' given twice", slots), ("key 'base_points' given twice", base)}


def test_settings_file_and_cell_with_a_key_twice(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "policy.json").write_text('{"base_points": 1,\n"base_points": 2}', "utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    (p,) = problems_of(exc)
    assert (p.table, p.row, p.source) == ("policy", 2, str(folder / "policy.json"))
    assert p.message == "key 'base_points' given twice"
    book = tmp_path / "book.xlsx"
    s = small_scenario()
    save_scenario(s, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["policy"]
    row = next(r for r in ws.iter_rows() if r[0].value == "zone_points")
    row[1].value = '{"I": 0, "II": 20, "III": 40, "I": 5}'
    wb.save(book)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(book)
    (p,) = problems_of(exc)
    assert (p.table, p.row, p.column) == ("policy", row[0].row, "zone_points")
    assert p.message == "key 'I' given twice"


def test_same_key_in_different_objects_is_fine() -> None:
    text = '{"a": {"x": 1, "s": "\\"x\\": 2"}, "b": [{"x": 2}, {"x": 3}], "x": 0}'
    assert parse_json(text) == {"a": {"x": 1, "s": '"x": 2'}, "b": [{"x": 2}, {"x": 3}], "x": 0}
    assert duplicate_keys(text) == []
    assert duplicate_keys('{"a": [1, {"b": 1,\n"b": 2}], "a": 3}') == [("b", [1, 2]), ("a", [1, 2])]
    # Escaped and plain spellings of one key are the same key.
    assert duplicate_keys('{"a": 1, "\\u0061": 2}') == [("a", [1, 1])]
