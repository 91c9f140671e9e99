"""Plan CSVs never carry a formula, and staffopt reads them back exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers import agency, commune, need, official, scenario, solve_checked
from hypothesis import given, settings
from hypothesis import strategies as st

from staffopt.checker import check
from staffopt.io.csvsafe import protect, unprotect
from staffopt.plan import load_plan

RISKY = ('=HYPERLINK("http://x")', "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx")


def test_protect_marks_only_risky_text_and_never_numbers() -> None:
    frame = pd.DataFrame({"id": [*RISKY, "ok", "'=x", "'quoted"], "n": [-1] * 9})
    out = protect(frame)
    assert out["id"].tolist()[:6] == ["'" + v for v in RISKY]
    assert out["id"].tolist()[6:] == ["ok", "''=x", "'quoted"]
    assert out["n"].tolist() == [-1] * 9 and out["n"].dtype == frame["n"].dtype
    assert unprotect(out).equals(frame)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="'=+-@\t\rab1 ", max_size=6), min_size=1, max_size=5))
def test_protect_then_unprotect_is_the_identity(values: list[str]) -> None:
    frame = pd.DataFrame({"id": values})
    assert unprotect(protect(frame)).equals(frame)
    for v in protect(frame)["id"]:
        assert not v.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_plan_with_formula_like_ids_saves_safely_and_loads_back(tmp_path: Path) -> None:
    s = scenario(
        [official("=HYPERLINK(1)", agency_id="+A1", home_lat=21.0, home_lon=103.0)],
        [need("-n1", commune_id="@c")],
        communes=[commune("@c")],
        agencies=[agency("+A1")],
    )
    plan = solve_checked(s)
    assert plan.assignments["official_id"].tolist() == ["=HYPERLINK(1)"]
    folder = plan.save(tmp_path / "plan")
    text = (folder / "assignments.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text and "'-n1" in text and "'@c" in text
    assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    again = load_plan(folder, scenario=s)
    assert again.assignments["official_id"].tolist() == ["=HYPERLINK(1)"]
    assert again.assignments["need_id"].tolist() == ["-n1"]
    assert check(s, again) == []
