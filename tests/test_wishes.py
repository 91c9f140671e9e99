"""The optional wishes table and years_of_service column: read in every form, refused when wrong."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import commune, need, official, scenario

from staffopt import Scenario, ScenarioError
from staffopt.io import load_scenario, save_scenario, scenario_from_frames
from staffopt.io.frames import table_values
from staffopt.schema import Wish


def _with_wishes() -> Scenario:
    s = scenario(
        [official("o1", years_of_service=12), official("o2")],
        [need("n1"), need("n2", commune_id="c2")],
        communes=[commune("c1"), commune("c2")],
    )
    wishes = [
        Wish(official_id="o1", commune_id="c2", rank=1),
        Wish(official_id="o1", commune_id="c1", rank=2),
    ]
    return Scenario.model_validate({**dict(s), "wishes": wishes})


@pytest.mark.parametrize("name", ["folder", "book.xlsx", "scenario.json"])
def test_wishes_and_years_survive_every_file_form(tmp_path: Path, name: str) -> None:
    s = _with_wishes()
    back = load_scenario(save_scenario(s, tmp_path / name))
    assert back.wishes == s.wishes
    assert [o.years_of_service for o in back.officials] == [12, None]


def _frames(s: Scenario, wishes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    frames = {}
    for t in ("communes", "agencies", "officials", "needs"):
        columns, rows = table_values(s, t)
        frames[t] = pd.DataFrame(rows, columns=columns)
    return {**frames, "wishes": wishes}


def test_bad_wishes_are_all_named_at_once() -> None:
    s = _with_wishes()
    wishes = pd.DataFrame(
        {
            "official_id": ["o1", "o9", "o2", "o2"],
            "commune_id": ["c1", "c1", "c7", "c7"],
            "rank": [0, 1, 1, 2],
        }
    )
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames(_frames(s, wishes))
    got = {(p.table, p.row, p.column) for p in exc.value.problems}
    assert ("wishes", 2, "rank") in got  # rank 0: 1 is the first choice
    assert ("wishes", 3, "official_id") in got  # unknown official
    assert ("wishes", 4, "commune_id") in got  # unknown commune


def test_a_pair_wished_twice_is_refused() -> None:
    s = _with_wishes()
    wishes = pd.DataFrame({"official_id": ["o1", "o1"], "commune_id": ["c1", "c1"], "rank": [1, 2]})
    with pytest.raises(ScenarioError) as exc:
        scenario_from_frames(_frames(s, wishes))
    assert {(p.table, p.message) for p in exc.value.problems} == {("wishes", "pair given twice")}
