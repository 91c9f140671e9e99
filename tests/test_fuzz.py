"""Fuzz: a few hundred seeded mutations of the bundled example, through the CLI in-process.

The Điện Biên example is written once in its three forms (CSV folder,
.xlsx, .json); each example copies one form and applies up to two cell
mutations and one whole-file mutation a user or a broken tool could make (a deleted cell, text in a
number column, huge numbers, NaN, negative slots, unknown and duplicate ids,
formula text, an extra column, an empty, truncated or non-UTF-8 file, a
missing table, JSON nested too deep ...). ``staffopt validate`` runs on every
example and ``staffopt solve --time-limit 2 --out DIR`` on a sample: one
example in ten, two in ten of those ``validate`` accepts, and every
accepted one with an extreme number (the numbers a solver could choke on).

Each run must end in one of these ways, never another:

* exit 0: ``validate`` found no problem; ``solve`` wrote a whole plan folder
  (plan.json, assignments.csv, unmet.csv) that ``staffopt.load_plan`` reads
  and ``staffopt.check`` passes;
* exit 2: the message names the file (or the folder), and ``solve`` wrote no
  output folder at all;
* exit 3 (``solve`` only): a mutation made the example infeasible (a
  mandatory need of 100,000 slots): a whole plan folder whose plan says
  ``infeasible`` and names the conflicting requirements.

No traceback is printed, and an exception escaping ``main`` fails the test
(nothing here catches it). Hypothesis runs derandomized: the same examples
in every run.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from scenario_files import (
    FORMS,
    copy_form,
    editing,
    open_workbook,
    set_cell,
    set_setting,
    write_forms,
)

import staffopt
from staffopt.cli import main
from staffopt.io.csvdir import csv_text
from staffopt.io.frames import table_values
from staffopt.schema import ID_COLUMN, RECORD_TYPES, TABLES, Policy, SolveOptions

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on broken files

EXAMPLE = staffopt.scenarios.dien_bien()
#: Data rows per table in the example (the mutations stay within them).
ROWS = {t: len(getattr(EXAMPLE, t)) for t in TABLES}
COLUMNS = {t: list(RECORD_TYPES[t].model_fields) for t in TABLES}
#: Columns that name a row of another table.
REFERENCES = {
    "officials": ["agency_id", "home_commune_id"],
    "needs": ["commune_id"],
    "distances": ["official_id", "commune_id"],
    "locks": ["official_id", "need_id"],
    "affinity": ["official_id", "need_id"],
}
SETTING_KEYS = {
    "policy": [*Policy.model_fields, "zone_points.II", "criticality_points.3", "colour"],
    "options": [*SolveOptions.model_fields, "time_limit"],
}
NUMBER_KEYS = {
    "policy": [
        *("base_points", "border_points", "travel_points_per_km", "road_factor", "max_km"),
        *("zone_points.III", "criticality_points.1", "level_points.2"),
    ],
    "options": ["time_limit_s", "relative_gap", "workers", "seed"],
}
#: Cell texts a user, a spreadsheet or a broken export could leave.
TEXTS = st.one_of(
    st.sampled_from(
        [
            *("", " ", "abc", "1,5", "-1", "0", "1", "2", "0.5", "true", "maybe", "IV", "có"),
            *("nan", "NaN", "inf", "-Infinity", "1e308", "-1e308", "1e-300", "1e400"),
            *("9" * 19, "-" + "9" * 25, "1" * 5000, "100000", "100001", "10000001"),
            *("=1+1", '=HYPERLINK("http://x")', "+A1", "@SUM(1)", "-2+3"),
            *("nope-404", "it:3;;;", ";;;", "it:9", "it", "\u202eevil", "x" * 3000),
            *("\t", "a\nb", '"quoted"', "ñ" * 50),
        ]
    ),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)

#: Numbers at and beyond the documented limits, and numbers no solver could take.
NUMBERS = st.one_of(
    st.sampled_from(
        [
            *("nan", "inf", "-inf", "Infinity", "-0", "0", "-1", "0.0001", "0.5", "3"),
            *("1e308", "-1e308", "1e-300", "1e400", "1e18", "1e20"),
            *("9" * 19, "-" + "9" * 19, "1" * 25, "1" * 5000, "2147483648"),
            *("100000", "100001", "1000000", "1000001", "10000000", "10000001"),
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
#: The number columns of each table.
NUMBER_COLUMNS = {
    "communes": ["lat", "lon", "staff_count", "staff_quota"],
    "agencies": ["headcount", "min_release", "max_release"],
    "officials": ["home_lat", "home_lon", "max_km", "capacity"],
    "needs": ["slots", "min_level", "criticality", "workload"],
    "distances": ["km"],
    "affinity": ["score"],
}

Mutation = Callable[[Path, st.DataObject], str]


def _table(data: st.DataObject) -> tuple[str, int]:
    table = data.draw(st.sampled_from([t for t in TABLES if ROWS[t]]))
    return table, data.draw(st.integers(0, ROWS[table] - 1))


def cell(path: Path, data: st.DataObject) -> str:
    """Type a text (or nothing) into a cell; an unknown column name adds a column."""
    table, row = _table(data)
    column = data.draw(st.sampled_from([*COLUMNS[table], "colour"]))
    text = data.draw(st.none() | TEXTS)
    set_cell(path, table, row, column, text)
    return f"cell {table}[{row}].{column} = {text!r:.40}"


def number(path: Path, data: st.DataObject) -> str:
    """An extreme number in a number column, or in a number-valued policy/options key."""
    text = data.draw(NUMBERS)
    if data.draw(st.booleans()):
        table = data.draw(st.sampled_from(["policy", "options"]))
        key = data.draw(st.sampled_from(NUMBER_KEYS[table]))
        set_setting(path, table, key, text)
        return f"number {table}.{key} = {text!r:.40}"
    table = data.draw(st.sampled_from(list(NUMBER_COLUMNS)))
    row = data.draw(st.integers(0, ROWS[table] - 1))
    column = data.draw(st.sampled_from(NUMBER_COLUMNS[table]))
    set_cell(path, table, row, column, text)
    return f"number {table}[{row}].{column} = {text!r:.40}"


def other_row_value(path: Path, data: st.DataObject) -> str:
    """A plausible edit: a cell takes the value the same column has in another row."""
    table, row = _table(data)
    columns = [c for c in COLUMNS[table] if c != ID_COLUMN.get(table)]
    column = data.draw(st.sampled_from(columns))
    source = getattr(EXAMPLE, table)[data.draw(st.integers(0, ROWS[table] - 1))]
    values = table_values(EXAMPLE.model_copy(update={table: (source,)}), table)[1][0]
    value = values[COLUMNS[table].index(column)]
    text = None if value is None else csv_text(value)
    set_cell(path, table, row, column, text)
    return f"other row value {table}[{row}].{column} = {text!r:.40}"


def duplicate_id(path: Path, data: st.DataObject) -> str:
    # Tables with an id and two rows (the example has no fields table: the glossary names all).
    table = data.draw(st.sampled_from([t for t in ID_COLUMN if ROWS[t] > 1]))
    row = data.draw(st.integers(1, ROWS[table] - 1))
    column = ID_COLUMN[table]
    copied = getattr(getattr(EXAMPLE, table)[row - 1], column)
    set_cell(path, table, row, column, copied)
    return f"duplicate id {table}[{row}] = {copied}"


def unknown_id(path: Path, data: st.DataObject) -> str:
    table = data.draw(st.sampled_from(list(REFERENCES)))
    row = data.draw(st.integers(0, ROWS[table] - 1))
    column = data.draw(st.sampled_from(REFERENCES[table]))
    set_cell(path, table, row, column, "nope-404")
    return f"unknown id {table}[{row}].{column}"


def setting(path: Path, data: st.DataObject) -> str:
    table = data.draw(st.sampled_from(["policy", "options"]))
    key = data.draw(st.sampled_from(SETTING_KEYS[table]))
    text = data.draw(TEXTS)
    if "." in key and text == "":
        text = "0"
    set_setting(path, table, key, text)
    return f"setting {table}.{key} = {text!r:.40}"


# -- whole files --------------------------------------------------------------------------


#: A place in a file, as a share of its length: a workbook's size varies by a byte
#: with its timestamp, and the draws must not depend on it.
_PER_MILLE = st.integers(0, 999)


def _files(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]


def _pick_file(path: Path, data: st.DataObject) -> Path:
    return data.draw(st.sampled_from(_files(path)))


def truncate(path: Path, data: st.DataObject) -> str:
    file = _pick_file(path, data)
    raw = file.read_bytes()
    cut = len(raw) * data.draw(_PER_MILLE) // 1000
    file.write_bytes(raw[:cut])
    return f"truncate {file.name} at {cut}"


def bad_bytes(path: Path, data: st.DataObject) -> str:
    file = _pick_file(path, data)
    raw = bytearray(file.read_bytes())
    at = len(raw) * data.draw(_PER_MILLE) // 1000
    junk = data.draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\x00", b"\xe2\x82", b"\x80" * 3]))
    raw[at:at] = junk
    file.write_bytes(bytes(raw))
    return f"bad bytes in {file.name} at {at}"


def empty(path: Path, data: st.DataObject) -> str:
    file = _pick_file(path, data)
    file.write_bytes(b"")
    return f"empty {file.name}"


def missing_table(path: Path, data: st.DataObject) -> str:
    table = data.draw(st.sampled_from([*TABLES, "policy", "options"]))
    if path.is_dir():
        name = f"{table}.csv" if table in TABLES else f"{table}.json"
        (path / name).unlink(missing_ok=True)
    elif path.suffix == ".xlsx":
        wb = open_workbook(path)
        if table in wb.sheetnames:
            del wb[table]
        wb.save(path)
    else:
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.pop(table, None)
        path.write_text(json.dumps(doc), encoding="utf-8")
    return f"missing table {table}"


def reshape(path: Path, data: st.DataObject) -> str:
    """A table that is not a table: header only, a renamed or doubled sheet, a dict for a list."""
    table = data.draw(st.sampled_from(TABLES))
    if path.is_dir():
        file = path / f"{table}.csv"
        how = data.draw(st.sampled_from(["header only", "semicolons", "case twin", "bom"]))
        if not file.exists():
            return "nothing to reshape"
        text = file.read_text(encoding="utf-8")
        if how == "header only":
            file.write_text(text.split("\n", 1)[0] + "\n", encoding="utf-8")
        elif how == "semicolons":
            file.write_text(text.replace(",", ";"), encoding="utf-8")
        elif how == "case twin":
            shutil.copyfile(file, path / f"{table.upper()}.CSV")
        else:
            file.write_text("\ufeff" + text, encoding="utf-8")
    elif path.suffix == ".xlsx":
        how = data.draw(st.sampled_from(["rename", "twin", "delete row", "blank rows"]))
        wb = open_workbook(path)
        if table not in wb.sheetnames:
            return "nothing to reshape"
        ws = wb[table]
        if how == "rename":
            ws.title = f"{table}_old"
        elif how == "twin":
            wb.copy_worksheet(ws).title = f" {table.upper()} "
        elif how == "delete row":
            ws.delete_rows(data.draw(st.integers(1, ws.max_row)))
        else:
            ws.insert_rows(2, amount=3)
        wb.save(path)
    else:
        how = data.draw(st.sampled_from(["dict", "record list", "top list", "null", "number"]))
        doc = json.loads(path.read_text(encoding="utf-8"))
        if how == "top list":
            doc = [doc]
        elif table not in doc:
            return "nothing to reshape"
        elif how == "dict":
            doc[table] = {"rows": doc[table]}
        elif how == "record list" and doc[table]:
            doc[table][0] = list(doc[table][0].values())
        elif how == "null":
            doc[table] = None
        else:
            doc[table] = 7
        path.write_text(json.dumps(doc), encoding="utf-8")
    return f"reshape {table}: {how}"


def deep_json(path: Path, data: st.DataObject) -> str:
    depth = data.draw(st.sampled_from([40, 900, 100_000]))
    deep = "[" * depth + "]" * depth
    if path.is_dir():
        (path / "policy.json").write_text('{"zone_points": ' + deep + "}", encoding="utf-8")
        return f"deep policy.json {depth}"
    if path.suffix == ".xlsx":
        wb = open_workbook(path)
        if "policy" in wb.sheetnames:
            wb["policy"]["B3"] = deep[:32000]  # Excel's cell limit
            wb.save(path)
        return f"deep policy cell {depth}"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"skills": ', '"skills": ' + deep + ', "x": ', 1), "utf-8")
    return f"deep json {depth}"


CELL_MUTATIONS: list[Mutation] = [
    cell,
    cell,
    number,
    number,
    number,
    other_row_value,
    other_row_value,
    duplicate_id,
    unknown_id,
    setting,
]
FILE_MUTATIONS: list[Mutation] = [truncate, bad_bytes, empty, missing_table, reshape, deep_json]


# -- the runs -----------------------------------------------------------------------------


#: Which examples are solved: one in ten (4), two more in ten of those ``validate``
#: accepts (5, 6), and every accepted one with an extreme number. Hypothesis favours
#: the ends of a range: 0 and 99 are neither.
SOLVE_DRAW = st.integers(0, 99).map(lambda k: k % 10)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_forms(tmp_path_factory.mktemp("fuzz_forms"))


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """``staffopt`` in-process: exit code, stdout, stderr (an exception propagates)."""
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, (argv, out, err)
    return code, out, err


def assert_names_the_input(path: Path, err: str) -> None:
    assert str(path) in err, f"message does not name {path}:\n{err}"


def assert_whole_plan(out_dir: Path, path: Path, status: str | None = None) -> None:
    names = {p.name for p in out_dir.iterdir()}
    assert {"plan.json", "assignments.csv", "unmet.csv"} <= names, names
    scenario = staffopt.load_scenario(path)
    plan = staffopt.load_plan(out_dir, scenario=scenario)
    if status is not None:
        assert plan.status == status and plan.conflicts, plan
    assert not staffopt.check(scenario, plan)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: a failing mutation is printed as drawn, and shrinking through
    # solves could run for minutes in CI.
    phases=(Phase.generate,),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=st.sampled_from(FORMS), solve=SOLVE_DRAW, data=st.data())
def test_mutations_end_in_a_plan_or_a_clear_problem(
    forms: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    form: str,
    solve: int,
    data: st.DataObject,
) -> None:
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        path = copy_form(forms[form], work / "in")
        # Up to two cell edits, then at most one whole-file mutation (which may leave a
        # file no editor can open again).
        edits = data.draw(st.integers(0, 2))
        mutations = [data.draw(st.sampled_from(CELL_MUTATIONS)) for _ in range(edits)]
        if data.draw(st.booleans()) or not mutations:
            mutations.append(data.draw(st.sampled_from(FILE_MUTATIONS)))
        with editing(path):
            done = [mutate(path, data) for mutate in mutations[:edits]]
        done += [mutate(path, data) for mutate in mutations[edits:]]
        event(f"{form}: {done[0].split()[0]}")

        code, out, err = run(capsys, ["validate", str(path)])
        event(f"validate exit {code}")
        assert code in (0, 2), (done, code, out, err)
        if code == 2:
            assert_names_the_input(path, err)
        else:
            assert "no problems found" in out

        extreme = any(d.startswith("number") for d in done)
        if solve != 4 and not (code == 0 and (solve in (5, 6) or extreme)):
            return
        out_dir = work / "out" / "plan"
        out_dir.parent.mkdir(exist_ok=True)  # solve refuses a plan folder whose parent is missing
        started = time.perf_counter()
        scode, sout, serr = run(
            capsys, ["solve", str(path), "--time-limit", "2", "--out", str(out_dir)]
        )
        event(f"solve exit {scode}")
        event(f"solve took {'< 1' if time.perf_counter() - started < 1 else '>= 1'} s")
        assert scode in (0, 2, 3), (done, scode, sout, serr)
        if scode == 2:
            assert code == 2, (done, serr)  # only input that validate refused
            assert_names_the_input(path, serr)
            assert not out_dir.exists(), list(out_dir.iterdir())
        else:
            assert code == 0, (done, scode)
            assert_whole_plan(out_dir, path, "infeasible" if scode == 3 else None)
        # Nothing half-written next to the plan folder either.
        left = sorted(p.name for p in (work / "out").iterdir())
        assert left in ([], ["plan"]), (done, left)


def test_the_fuzz_reaches_every_outcome(
    forms: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The assertions above are not vacuous: an untouched copy solves, a broken one is named."""
    path = copy_form(forms["json"], tmp_path / "in")
    assert run(capsys, ["validate", str(path)])[0] == 0
    code, _, _ = run(
        capsys, ["solve", str(path), "--time-limit", "2", "--out", str(tmp_path / "o")]
    )
    assert code == 0
    assert_whole_plan(tmp_path / "o", path)
    path.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, ["validate", str(path)])
    assert code == 2
    assert_names_the_input(path, err)
