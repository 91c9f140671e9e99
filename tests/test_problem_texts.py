"""Validation problems in both languages: every Problem a bad input gives is worded from
the catalogue, and its Vietnamese line keeps no English.

The corpus: the CSV error cases of ``test_io``, hand-made file-level cases of the three
forms (paths, JSON syntax, depth and duplicate keys, settings, workbooks, DataFrames),
and seeded mutations of the bundled example from ``test_fuzz``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_files import FORMS, copy_form, editing, write_forms
from test_fuzz import CELL_MUTATIONS, FILE_MUTATIONS
from test_io import BASE_CSV, ERROR_CASES, make_folder, small_scenario

import staffopt
from staffopt.errors import Problem, ScenarioError
from staffopt.io import load_scenario, scenario_from_frames
from staffopt.texts import CATALOGUE, Phrase

#: Message keys the corpus has met (across every test of this file), to show it is wide.
SEEN: set[str] = set()
#: English words of a problem line that a Vietnamese line must not keep.
ENGLISH_LABELS = ("row ", "column '", "; expected ", ", found ", "invalid scenario")


def _phrase_ok(value: str | None, what: str, p: Problem) -> None:
    if isinstance(value, Phrase):
        assert value.key in CATALOGUE, (what, value.key, str(p))


def assert_worded(problems: list[Problem]) -> None:
    """Each message is a catalogue Phrase; its Vietnamese differs and keeps no English."""
    assert problems
    for p in problems:
        assert isinstance(p.message, Phrase), f"plain text message: {p}"
        assert p.message.key in CATALOGUE, p.message.key
        SEEN.add(p.message.key)
        for what, value in (("expected", p.expected), ("found", p.found)):
            _phrase_ok(value, what, p)
        if p.expected is not None:
            # What we expect is always our wording (a range is a Phrase too).
            assert isinstance(p.expected, Phrase), f"plain text expected: {p}"
        vi = p.text("vi")
        assert p.message.text("vi") != str(p.message), p.message.key
        assert str(p.message) not in vi, (str(p.message), vi)
        for label in ENGLISH_LABELS:
            assert label not in vi, (label, vi)
        assert str(p) == p.text("en")
    error = ScenarioError(problems)
    assert error.text("vi").startswith("kịch bản không hợp lệ")
    assert str(error) == error.text("en")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return exc.value.problems


@pytest.mark.parametrize("files", [c[1] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_csv_error_cases_are_worded_in_both_languages(
    tmp_path: Path, files: dict[str, str | None]
) -> None:
    assert_worded(problems_of(make_folder(tmp_path, **files)))


def _json_scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    return path


def _doc() -> dict[str, Any]:
    return small_scenario().model_dump(mode="json")


FILE_CASES: dict[str, Any] = {
    "path not found": lambda d: d / "nothing",
    "not a scenario": lambda d: _write(d / "t.csv", "a,b\n"),
    "not a scenario suffix": lambda d: _write(d / "notes", "x"),
    "broken workbook": lambda d: _write(d / "b.xlsx", "not a zip"),
    "json syntax": lambda d: _json_scenario(d, "{"),
    "json list": lambda d: _json_scenario(d, "[1, 2]"),
    "json too deep": lambda d: _json_scenario(d, "[" * 100 + "]" * 100),
    "json not utf-8": lambda d: _write(d / "s.json", b'{"name": "\xff"}'),
    "json unknown key and bad name": lambda d: _json_scenario(
        d, json.dumps({**_doc(), "colour": 1, "name": 5})
    ),
    "json table not a list": lambda d: _json_scenario(d, json.dumps({**_doc(), "needs": 3})),
    "json record not an object": lambda d: _json_scenario(d, json.dumps({**_doc(), "needs": [1]})),
    "json policy not an object": lambda d: _json_scenario(d, json.dumps({**_doc(), "policy": [1]})),
    "json bad policy": lambda d: _json_scenario(
        d,
        json.dumps({**_doc(), "policy": {"zone_points": {"I": 1}, "colour": 1, "time_limit_s": 5}}),
    ),
    "json record field nested": lambda d: _json_scenario(
        d,
        json.dumps({**_doc(), "policy": {**_doc()["policy"], "zone_points": {"I": "x", "II": 1}}}),
    ),
    "json missing tables": lambda d: _json_scenario(d, json.dumps({"name": "x"})),
    "json duplicate key": lambda d: _json_scenario(d, '{"communes": [],\n "communes": []}'),
    "csv not utf-8": lambda d: make_folder(d, needs__csv=b"need_id\n\xff".decode("latin-1")),
    "csv header only and empty": lambda d: make_folder(
        d, needs__csv="", officials__csv="official_id\n"
    ),
    "csv unnamed and repeated column": lambda d: make_folder(
        d, needs__csv="need_id,need_id,,commune_id\nn1,n1,x,001\n"
    ),
    "csv bad policy file": lambda d: _with(
        make_folder(d), "policy.json", '{"zone_points": {"I": 0}, "x": 1}'
    ),
    "csv policy not an object": lambda d: _with(make_folder(d), "policy.json", "[1]"),
    "csv policy bad json": lambda d: _with(make_folder(d), "policy.json", '{"a": 1, "a": 2}'),
    "csv pairs twice": lambda d: make_folder(
        d, locks__csv="official_id,need_id,kind\no1,n1,lock\no1,n1,forbid\n"
    ),
    "csv floor above ceiling": lambda d: make_folder(
        d,
        agencies__csv=BASE_CSV["agencies.csv"].replace(
            "A1,Sở Khoa học và Công nghệ,120,1,10", "A1,S,120,50,10"
        ),
    ),
    "csv numbers and skills": lambda d: make_folder(
        d,
        needs__csv=BASE_CSV["needs.csv"]
        .replace("n1,001,it,1,", "n1,001,it,1.5,")
        .replace("construction,2,", "construction,1" + "0" * 30 + ","),
        officials__csv=BASE_CSV["officials.csv"]
        .replace("it:3;land:2", "it:3;it:2")
        .replace("construction:2", "construction:2.5")
        .replace("it:1,001", ";;;,001"),
        communes__csv=BASE_CSV["communes.csv"].replace("22.4", "nan"),
    ),
    "csv half a home": lambda d: make_folder(
        d,
        officials__csv="official_id,name,agency_id,skills,home_lat\no1,A,A1,it:1,21\n",
    ),
    "csv several files of one name": lambda d: _with(make_folder(d), "NEEDS.csv", "need_id\n"),
    "csv policy lacks zones": lambda d: _with(
        make_folder(d), "policy.json", '{"zone_points": {"I": 0}}'
    ),
}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _with(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_file_level_problems_are_worded_in_both_languages(tmp_path: Path, case: str) -> None:
    assert_worded(problems_of(FILE_CASES[case](tmp_path)))


def test_dataframe_problems_are_worded_in_both_languages() -> None:
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames({"communes": 3, "colours": pd.DataFrame(), "policy": 5})
    assert_worded(exc.value.problems)


def test_what_if_problems_are_worded_in_both_languages() -> None:
    scenario = staffopt.scenarios.dien_bien()
    plan = staffopt.solve(scenario, options=staffopt.SolveOptions(time_limit_s=10))
    with pytest.raises(ScenarioError) as exc:
        plan.what_if(lock=[("nobody", "nothing")])
    assert_worded(exc.value.problems)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_forms(tmp_path_factory.mktemp("texts_forms"))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=st.sampled_from(FORMS), data=st.data())
def test_fuzzed_inputs_give_problems_worded_in_both_languages(
    forms: dict[str, Path], form: str, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = copy_form(forms[form], Path(d) / "in")
        with editing(path):
            for _ in range(data.draw(st.integers(1, 2))):
                data.draw(st.sampled_from(CELL_MUTATIONS))(path, data)
        if data.draw(st.booleans()):
            data.draw(st.sampled_from(FILE_MUTATIONS))(path, data)
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert_worded(exc.problems)


def test_the_corpus_meets_many_kinds_of_problem() -> None:
    """Run last in this file: the cases above met a wide part of the catalogue."""
    problem_keys = {k for k in CATALOGUE if k.startswith("problem.")}
    assert len(SEEN) >= 40, sorted(problem_keys - SEEN)
