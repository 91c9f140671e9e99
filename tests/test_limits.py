"""Input limits: every number that reaches the model has a range, checked once when read.

The arithmetic of ``staffopt.schema.limits`` (the worst case fits CP-SAT's and
min-cost flow's 64-bit integers with margin), each bound (the largest value
accepted, the next refused with a Problem naming the column), NaN and
infinities, JSON nested too deep and integers too long for Python, a
worst-case scenario solved by both engines, and a hypothesis test that
drives extreme values into every limited field of every file form.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import agency, commune, need, official, scenario
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scenario_files import FORMS, copy_form, set_cell, set_setting, write_forms

import staffopt
from staffopt.errors import Problem, ScenarioError
from staffopt.indices import LOAD_SCALE
from staffopt.io import load_scenario, save_scenario, scenario_from_frames
from staffopt.io.frames import table_values
from staffopt.io.jsontext import MAX_DEPTH
from staffopt.io.problems import show_value
from staffopt.schema import (
    TABLES,
    Policy,
    Scenario,
    SolveOptions,
)
from staffopt.schema import limits as lim

SETTINGS = ("policy", "options")


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Điện Biên example as a CSV folder, a workbook and a JSON file (written once)."""
    return write_forms(tmp_path_factory.mktemp("forms"))


def refused(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return exc.value.problems


def on(problems: list[Problem], table: str, column: str) -> list[Problem]:
    return [p for p in problems if p.table == table and p.column == column]


# -- the arithmetic ------------------------------------------------------------------------


def test_worst_case_fits_the_solvers_arithmetic_with_margin() -> None:
    worst = lim.worst_arc_score()
    assert 2.0e8 < worst < lim.MAX_ARC_SCORE  # travel dominates: 1000 points/km x 200,151 km
    # CP-SAT: the objective over a national model stays 100 times below its 2**62.
    assert lim.MODEL_ARCS * lim.MAX_ARC_SCORE * 100 < lim.CPSAT_SUM_LIMIT
    # Min-cost flow: costs scaled by nodes + 1 stay 1,000 times below its threshold,
    # and the total cost (flow <= 1 on each official -> need arc) like CP-SAT's sum.
    assert lim.MAX_ARC_SCORE * 1000 < lim.FLOW_COST_LIMIT
    # Rows: every slot, capacity and ceiling of a national model in one row.
    assert lim.MODEL_NODES * lim.MAX_SLOTS < 2**62 // 100
    assert lim.MODEL_NODES * lim.MAX_FTE * LOAD_SCALE < 2**62 // 100
    assert lim.MODEL_NODES * lim.MAX_PEOPLE < 2**62 // 100
    # The smallest FTE is one unit of the model's count (never rounds to zero).
    assert round(lim.MIN_FTE * LOAD_SCALE) == 1
    # CP-SAT's num_workers and random_seed are 32-bit integers.
    assert lim.MAX_SEED == 2**31 - 1 and lim.MAX_WORKERS < 2**31


def _extreme_scenario() -> Scenario:
    """Every weight at its limit: a commune at home and one on the other side of the Earth."""
    top = lim.MAX_POINTS
    at_home = {"home_commune_id": "home"}
    return scenario(
        [
            official("near", agency_id="A", skills="x:3", **at_home),
            official("away", agency_id="A", skills="y:3", **at_home),
            official(
                "many",
                agency_id="A",
                skills="z:3",
                capacity=lim.MAX_FTE,
                max_km=lim.MAX_KM,
                **at_home,
            ),
        ],
        [
            need("nx", commune_id="home", field="x", slots=lim.MAX_SLOTS, criticality=3),
            need("ny", commune_id="far", field="y", mandatory=True, criticality=3),
            need("nz", commune_id="home", field="z", workload=lim.MIN_FTE),
            need("nz2", commune_id="home", field="z", workload=lim.MIN_FTE),
        ],
        communes=[
            commune("home", lat=0, lon=0, zone="III", border=True),
            commune("far", lat=0, lon=180, zone="III", border=True),
        ],
        agencies=[agency("A", headcount=lim.MAX_PEOPLE)],
        distances=[("many", "home", lim.MAX_KM * 0.5)],
        policy=Policy(
            base_points=top,
            zone_points={"I": top, "II": top, "III": top},
            criticality_points={1: top, 2: top, 3: top},
            level_points={1: top, 2: top, 3: top},
            border_points=top,
            travel_points_per_km=lim.MAX_TRAVEL_POINTS_PER_KM,
            road_factor=lim.MAX_ROAD_FACTOR,
        ),
        options=SolveOptions(time_limit_s=20, workers=2),
    )


def test_a_scenario_at_every_limit_solves_and_checks() -> None:
    s = _extreme_scenario()
    plan = staffopt.solve(s)
    assert plan.status == "optimal" and not staffopt.check(s, plan)
    scores = plan.assignments.set_index(["official_id", "need_id"])["score"]
    # At home: five point terms at the top; the far need is mandatory at its worst score.
    assert scores[("near", "nx")] == 5 * lim.MAX_POINTS
    travel = lim.worst_arc_score() - lim.SCORE_POINT_TERMS * lim.MAX_POINTS
    assert 5 * lim.MAX_POINTS - scores[("away", "ny")] == pytest.approx(travel, abs=1)
    assert abs(scores[("away", "ny")]) < lim.MAX_ARC_SCORE
    assert plan.objective == scores.sum()


def test_the_flow_engine_takes_the_largest_points() -> None:
    s = _extreme_scenario()
    network = s.model_copy(
        update={"needs": s.needs[:1], "officials": s.officials[:1], "distances": ()}
    )
    plan = staffopt.solve(network, options=SolveOptions(engine="flow", time_limit_s=20))
    assert plan.status == "optimal" and plan.objective == 5 * lim.MAX_POINTS
    assert not staffopt.check(network, plan)


# -- each bound: the limit accepted, one step beyond refused -----------------------------

#: (table, column, accepted, refused, other cells of the same row) for data row 0.
BOUNDS: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("needs", "slots", "100000", "100001", {}),
    ("needs", "workload", "1000", "1000.5", {}),
    ("needs", "workload", "0.001", "0.0009", {}),
    ("officials", "capacity", "1000", "1000.001", {}),
    ("officials", "capacity", "0.001", "0.0009", {}),
    ("officials", "max_km", "100000", "100000.5", {}),
    ("distances", "km", "100000", "100000.5", {}),
    ("affinity", "score", "1000000", "1000001", {}),
    ("affinity", "score", "-1000000", "-1000001", {}),
    ("agencies", "headcount", "10000000", "10000001", {}),
    ("agencies", "max_release", "10000000", "10000001", {"headcount": "10000000"}),
    (
        "agencies",
        "min_release",
        "10000000",
        "10000001",
        {"headcount": "10000000", "max_release": "10000000"},
    ),
    ("communes", "staff_count", "10000000", "10000001", {}),
    ("communes", "staff_quota", "10000000", "10000001", {}),
    ("policy", "base_points", "1000000", "1000001", {}),
    ("policy", "border_points", "-1000000", "-1000001", {}),
    ("policy", "zone_points.III", "1000000", "1000001", {}),
    ("policy", "criticality_points.3", "-1000000", "-1000001", {}),
    ("policy", "level_points.2", "1000000", "1000001", {}),
    ("policy", "travel_points_per_km", "1000", "1000.5", {}),
    ("policy", "road_factor", "10", "10.5", {}),
    ("policy", "max_km", "100000", "100000.5", {}),
    ("options", "time_limit_s", "1000000", "1000001", {}),
    ("options", "relative_gap", "0.999", "1", {}),
    ("options", "workers", "1024", "1025", {}),
    ("options", "seed", "2147483647", "2147483648", {}),
]


@pytest.mark.parametrize(
    ("table", "column", "accepted", "bad", "others"),
    BOUNDS,
    ids=[f"{b[0]}.{b[1]}={b[3]}" for b in BOUNDS],
)
def test_each_bound(
    forms: dict[str, Path],
    tmp_path: Path,
    table: str,
    column: str,
    accepted: str,
    bad: str,
    others: dict[str, str],
) -> None:
    for name, text in (("ok", accepted), ("bad", bad)):
        path = copy_form(forms["csv"], tmp_path / name)
        for other, value in others.items():
            set_cell(path, table, 0, other, value)
        if table in SETTINGS:
            set_setting(path, table, column, text)
        else:
            set_cell(path, table, 0, column, text)
        if name == "ok":
            load_scenario(path)
            continue
        key = column.partition(".")[0]
        (p,) = on(refused(path), table, key)
        assert p.message.startswith("out of range"), p
        # The whole documented range is named, whichever end was crossed.
        assert p.expected is not None and p.expected.startswith(">"), p
        assert " and <" in p.expected, p
        assert p.source is not None and p.source.startswith(str(path))


FLOAT_CELLS = [
    ("communes", "lat"),
    ("communes", "lon"),
    ("officials", "home_lat"),
    ("officials", "max_km"),
    ("officials", "capacity"),
    ("needs", "workload"),
    ("distances", "km"),
    ("policy", "travel_points_per_km"),
    ("policy", "road_factor"),
    ("policy", "max_km"),
    ("options", "time_limit_s"),
    ("options", "relative_gap"),
]


@pytest.mark.parametrize(("table", "column"), FLOAT_CELLS)
@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_nan_and_infinity_refused_in_every_float(
    forms: dict[str, Path], tmp_path: Path, table: str, column: str, text: str
) -> None:
    path = copy_form(forms["csv"], tmp_path)
    if table in SETTINGS:
        set_setting(path, table, column, text)
    else:
        set_cell(path, table, 0, column, text)
    (p,) = on(refused(path), table, column)
    assert p.message == "not a finite number"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_is_refused_not_taken_for_empty(
    forms: dict[str, Path], tmp_path: Path, literal: str
) -> None:
    """Python's json reads NaN as a float, which used to mean "not given" (capacity 1.0)."""
    path = copy_form(forms["json"], tmp_path)
    text = path.read_text(encoding="utf-8").replace('"capacity": 1.0', f'"capacity": {literal}', 1)
    path.write_text(text, encoding="utf-8")
    (p,) = refused(path)
    assert (p.table, p.row, p.column, p.message) == (
        "officials",
        2,
        "capacity",
        "not a finite number",
    )
    assert p.found == f"'{literal}'"


def test_worst_case_messages_name_the_cell(forms: dict[str, Path], tmp_path: Path) -> None:
    """The crashes of issue 9, each now one Problem naming file, row, column and range."""
    cases = [
        ("needs", "slots", "1" * 19),
        ("affinity", "score", "1e18"),
        ("officials", "capacity", "1e308"),
        ("officials", "capacity", "Infinity"),
    ]
    for k, (table, column, text) in enumerate(cases):
        path = copy_form(forms["json"], tmp_path / str(k))
        set_cell(path, table, 0, column, text)
        (p,) = refused(path)
        assert (p.table, p.row, p.column, p.source) == (table, 2, column, str(path))
        assert p.expected is not None and "<=" in p.expected
    for k, (key, text) in enumerate([("base_points", "1e20"), ("travel_points_per_km", "1e308")]):
        path = copy_form(forms["csv"], tmp_path / f"p{k}")
        set_setting(path, "policy", key, text)
        (p,) = refused(path)
        assert (p.table, p.column, p.source) == ("policy", key, str(path / "policy.json"))


# -- JSON depth and integers beyond Python's digit limit ------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_json_nested_too_deeply(forms: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    (p,) = refused(path)
    assert (p.table, p.message, p.source) == ("scenario", "nested too deeply", str(path))
    assert p.expected is not None and str(MAX_DEPTH) in p.expected
    # Deep enough to pass json's own recursion limit but not ours: inside a record.
    path = copy_form(forms["json"], tmp_path / "record")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["officials"][0]["skills"] = {"it": json.loads("[" * 200 + "]" * 200)}
    path.write_text(json.dumps(doc), encoding="utf-8")
    (p,) = refused(path)
    assert (p.message, p.source) == ("nested too deeply", str(path))


def test_settings_nested_too_deeply(forms: dict[str, Path], tmp_path: Path) -> None:
    folder = copy_form(forms["csv"], tmp_path)
    (folder / "policy.json").write_text('{"zone_points": ' + DEEP + "}", encoding="utf-8")
    (p,) = refused(folder)
    assert (p.table, p.message, p.source) == (
        "policy",
        "nested too deeply",
        str(folder / "policy.json"),
    )
    book = copy_form(forms["xlsx"], tmp_path / "book")
    wb = openpyxl.load_workbook(book)
    wb["policy"]["B3"] = "[" * 10_000 + "]" * 10_000  # zone_points, as JSON text
    wb.save(book)
    (p,) = refused(book)
    assert (p.table, p.row, p.column, p.message) == (
        "policy",
        3,
        "zone_points",
        "nested too deeply",
    )


LONG = "1" * 5000


@pytest.mark.parametrize("form", ["csv", "json"])
def test_integer_of_5000_digits(forms: dict[str, Path], tmp_path: Path, form: str) -> None:
    path = copy_form(forms[form], tmp_path)
    set_cell(path, "needs", 1, "slots", LONG)
    set_cell(path, "needs", 2, "workload", LONG)
    set_setting(path, "policy", "base_points", LONG)
    problems = refused(path)
    got = {(p.table, p.row, p.column, p.message) for p in problems}
    assert got == {
        ("needs", 3, "slots", "number too large"),
        ("needs", 4, "workload", "number too large"),
        ("policy", None, "base_points", "number too large"),
    }
    assert all(p.source and p.source.startswith(str(path)) for p in problems)
    assert all(p.found and len(p.found) < 100 for p in problems)  # shown cut, with its size


def test_integer_of_5000_digits_in_a_workbook_cell(forms: dict[str, Path], tmp_path: Path) -> None:
    """Excel cannot hold it; a hand-made file can: the sheet and the row are named."""
    book = copy_form(forms["xlsx"], tmp_path)
    wb = openpyxl.load_workbook(book)
    cell = wb["needs"]["D4"]
    cell.value, cell.data_type = LONG, "n"
    wb.save(book)
    (p,) = refused(book)
    assert (p.table, p.row, p.source) == ("needs", 4, f"{book}[needs]")
    assert p.found == "a number of more than 4,300 digits"


def test_integer_of_5000_digits_in_a_dataframe() -> None:
    s = staffopt.scenarios.dien_bien()
    frames = {}
    for t in TABLES:
        columns, rows = table_values(s, t)
        frames[t] = pd.DataFrame(rows, columns=columns, dtype=object)
    frames["needs"].loc[0, "slots"] = 10**5000
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames(frames, policy=s.policy)
    (p,) = exc.value.problems
    assert (p.table, p.row, p.column, p.message) == ("needs", 2, "slots", "out of range")
    assert p.found == "a whole number of 5,001 digits"


def test_show_value_cuts_long_values() -> None:
    assert show_value("x" * 1000) == "'" + "x" * 60 + "…' (1,000 characters)"
    assert show_value(10**5000) == "a whole number of 5,001 digits"
    assert show_value(-(10**200) + 1) == "a whole number of 200 digits"
    assert show_value(123) == "123" and show_value("a") == "'a'"
    assert show_value(list(range(1000))).endswith("(4,890 characters)")


# -- skills -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "text"), [("csv", ";;;"), ("csv", " ; "), ("json", '{"it": 2.5}'), ("json", "{}")]
)
def test_official_without_a_skill(
    forms: dict[str, Path], tmp_path: Path, form: str, text: str
) -> None:
    path = copy_form(forms[form], tmp_path)
    if form == "json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["officials"][0]["skills"] = json.loads(text)
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        set_cell(path, "officials", 0, "skills", text)
    (p,) = on(refused(path), "officials", "skills")
    assert p.row == 2 and p.id == "DOST-01"
    if text == '{"it": 2.5}':
        assert p.message == "skill 'it' level 2.5 is not a whole number"
    else:
        assert p.message == "no skill given"
        assert p.expected is not None and p.expected.startswith("at least one field:level pair")


# -- extreme values through every form and solve ------------------------------------------

#: Every limited number a file can hold: (table, column); ``key.sub`` is one entry of
#: a points table.
LIMITED = [
    ("needs", "slots"),
    ("needs", "workload"),
    ("officials", "capacity"),
    ("officials", "max_km"),
    ("distances", "km"),
    ("affinity", "score"),
    ("agencies", "headcount"),
    ("agencies", "min_release"),
    ("agencies", "max_release"),
    ("communes", "staff_count"),
    ("policy", "base_points"),
    ("policy", "zone_points.II"),
    ("policy", "criticality_points.1"),
    ("policy", "level_points.3"),
    ("policy", "border_points"),
    ("policy", "travel_points_per_km"),
    ("policy", "road_factor"),
    ("policy", "max_km"),
    ("options", "time_limit_s"),
    ("options", "relative_gap"),
    ("options", "workers"),
    ("options", "seed"),
]
#: Values at and beyond every limit, and numbers no solver could take.
FIXED_EXTREMES = [
    *("nan", "inf", "-inf", "Infinity", "-0", "0", "1", "-1", "0.5"),
    *("1e308", "-1e308", "1e-300", "5e-324", "1e400"),
    *("9" * 19, "-" + "9" * 19, "1" * 25, LONG, "2147483648", "1024", "1025"),
    *("100000", "100001", "1000000", "1000001", "10000000", "10000001"),
]
EXTREMES = st.one_of(
    st.sampled_from(FIXED_EXTREMES),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    form=st.sampled_from(FORMS),
    field=st.sampled_from(LIMITED),
    text=EXTREMES,
    row=st.integers(0, 3),
)
def test_extreme_values_give_a_checked_plan_or_a_problem_naming_the_field(
    forms: dict[str, Path], form: str, field: tuple[str, str], text: str, row: int
) -> None:
    table, column = field
    with tempfile.TemporaryDirectory() as d:
        path = copy_form(forms[form], Path(d))
        if table in SETTINGS:
            set_setting(path, table, column, text)
        else:
            set_cell(path, table, row, column, text)
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            key = column.partition(".")[0]
            # The field itself, or (a cross-table check) another column of the edited row:
            # headcount 0 below a ceiling of 6 is reported on max_release.
            edited = [p for p in exc.problems if p.table == table and p.row == row + 2]
            assert on(exc.problems, table, key) or (table not in SETTINGS and edited), exc
            assert all(p.source and p.source.startswith(str(path)) for p in exc.problems), exc
            event(f"refused ({form})")
            return
        event(f"solved ({form})")
        options = s.options.with_changes(time_limit_s=min(s.options.time_limit_s, 5.0))
        plan = staffopt.solve(s, options=options)
        assert not staffopt.check(s, plan), (field, text)


def test_saved_scenarios_stay_in_range(tmp_path: Path) -> None:
    """A scenario at every limit writes and reads back in every form."""
    s = _extreme_scenario()
    for target in ("x", "x.xlsx", "x.json"):
        back = load_scenario(save_scenario(s, tmp_path / target))
        assert back.model_copy(update={"name": s.name}) == s
