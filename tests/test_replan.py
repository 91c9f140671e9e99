"""Re-planning with the least change: staffopt.replan and `staffopt replan`.

Random scenarios (the generator of test_oracle) lose some of the officials
their plan used; the re-plan must keep as many previous assignments as a
HiGHS MIP can (stage 1) and then score as well as HiGHS can among plans
keeping that many (stage 2); keep=0 scores like a fresh solve; every plan
passes the checker. Hand-made cases pin each reason of the diff.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import AFFINITY_ONLY, need, official, scenario, solve_checked
from hypothesis import given
from hypothesis import strategies as st
from test_oracle import SETTINGS, highs_optimum, scenarios

from staffopt import Lock, Scenario, ScenarioError
from staffopt.checker import check, format_violations
from staffopt.cli import main
from staffopt.eligibility import candidates
from staffopt.io import load_scenario
from staffopt.plan import Plan, load_plan
from staffopt.replanning import CHANGES, DIFF_COLUMNS, REPLAN_REASONS, Replan, replan
from staffopt.solver import solve
from staffopt.texts import CATALOGUE


def assert_checked(s: Scenario, plan: Plan) -> None:
    violations = check(s, plan)
    assert violations == [], format_violations(violations)


def without_officials(s: Scenario, gone: set[str]) -> Scenario:
    """``s`` with the officials of ``gone`` marked unavailable."""
    return s.replace(
        officials=[
            o.model_copy(update={"available": False}) if o.official_id in gone else o
            for o in s.officials
        ]
    )


def row(r: Replan, official_id: str) -> dict[str, str]:
    """The only diff row of an official."""
    d = r.diff
    rows = d[d["official_id"] == official_id].to_dict("records")
    assert len(rows) == 1, rows
    return {str(k): str(v) for k, v in rows[0].items()}


# -- against HiGHS on random scenarios -------------------------------------------------


def quit_some(
    s: Scenario, data: st.DataObject, at_most: int
) -> tuple[Plan, Scenario, set[tuple[str, str]]] | None:
    """``s``'s plan, ``s`` after up to ``at_most`` of its officials quit, the plan's pairs."""
    before = solve(s)
    if not before.ok:
        return None
    used = sorted(set(before.assignments["official_id"]))
    gone = set(data.draw(st.lists(st.sampled_from(used), max_size=at_most))) if used else set()
    a = before.assignments
    return before, without_officials(s, gone), set(zip(a["official_id"], a["need_id"], strict=True))


@SETTINGS
@given(scenarios(), st.data())
def test_keep_first_keeps_the_most_then_scores_best_like_highs(
    s: Scenario, data: st.DataObject
) -> None:
    drawn = quit_some(s, data, 2)
    if drawn is None:
        return
    before, changed, previous = drawn
    gone = {o.official_id for o in changed.officials if not o.available}
    r = replan(changed, before)
    arcs, _ = candidates(changed)
    marks = [int(p in previous) for p in zip(arcs["official_id"], arcs["need_id"], strict=True)]
    most_kept = highs_optimum(changed, arcs, objective=marks)
    if most_kept is None:
        assert r.plan.status == "infeasible"
        return
    assert r.plan.status == "optimal"
    assert_checked(changed, r.plan)
    kept_stage, score_stage = r.plan.stages
    assert kept_stage.term == "kept" and kept_stage.value == kept_stage.bound == most_kept
    assert r.kept == most_kept
    best = highs_optimum(changed, arcs, weighted_at_least=(marks, most_kept))
    assert score_stage.term == "score" and score_stage.value == best == r.plan.objective
    # Nobody who left keeps a post, and every pair still allowed that another
    # plan could keep is counted: the diff's kept rows are the plan's previous pairs.
    now = set(zip(r.plan.assignments["official_id"], r.plan.assignments["need_id"], strict=True))
    assert r.kept == len(now & previous)
    assert not gone & set(r.plan.assignments["official_id"])


@SETTINGS
@given(scenarios(), st.data())
def test_keep_points_trades_score_for_kept_assignments(s: Scenario, data: st.DataObject) -> None:
    drawn = quit_some(s, data, 1)
    if drawn is None:
        return
    before, changed, previous = drawn
    fresh = solve(changed)
    zero = replan(changed, before, keep=0)
    assert zero.plan.objective == fresh.objective  # keep=0 is a fresh solve's score
    points = data.draw(st.sampled_from([1, 30, 500]))
    r = replan(changed, before, keep=points)
    if not fresh.ok:
        assert not r.plan.ok
        return
    assert_checked(changed, r.plan)
    assert r.bonus == points * r.kept
    assert r.plan.objective == r.plan.assignments["score"].sum()  # the true score
    assert fresh.objective is not None and r.plan.objective is not None
    # It gives up score for kept pairs, never more score than their bonus.
    assert r.plan.objective <= fresh.objective <= r.plan.objective + r.bonus
    arcs, _ = candidates(changed)
    weight = [
        sc + points * int(p in previous)
        for sc, p in zip(
            arcs["score"], zip(arcs["official_id"], arcs["need_id"], strict=True), strict=True
        )
    ]
    assert r.plan.objective + r.bonus == highs_optimum(changed, arcs, objective=weight)
    assert r.plan.bound == r.plan.objective + r.bonus  # a valid bound on the score


# -- the reasons, on hand-made cases ------------------------------------------------------

#: o1 on n1, o2 on n2 (one commune, one agency; every pair scores 100 + affinity).
TWO = scenario(
    [official("o1"), official("o2"), official("o3")],
    [need("n1"), need("n2")],
    affinity={("o3", "n1"): -60, ("o3", "n2"): -60},
)


@pytest.fixture(scope="module")
def two_plan() -> Plan:
    plan = solve_checked(TWO)
    assert set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True)) in (
        {("o1", "n1"), ("o2", "n2")},
        {("o1", "n2"), ("o2", "n1")},
    )
    return plan


def _holder(plan: Plan, official_id: str) -> str:
    a = plan.assignments
    return str(a.loc[a["official_id"] == official_id, "need_id"].iloc[0])


def test_an_official_who_left_is_dropped_and_the_place_is_freed_for_the_next(
    two_plan: Plan, tmp_path: Path
) -> None:
    n1 = _holder(two_plan, "o1")
    two_plan.save(tmp_path / "before")
    # o1 is gone from the officials table altogether: a plan folder of the old scenario.
    changed = TWO.replace(officials=[o for o in TWO.officials if o.official_id != "o1"])
    r = replan(changed, tmp_path / "before")
    assert_checked(changed, r.plan)
    assert row(r, "o1") | {"text": ""} == {
        "official_id": "o1",
        "need_before": n1,
        "need_after": "",
        "change": "dropped",
        "reason": "official_left",
        "by": "",
        "text": "",
    }
    assert row(r, "o2")["change"] == "kept"
    o3 = row(r, "o3")
    assert (o3["change"], o3["reason"], o3["by"], o3["need_after"]) == (
        "added",
        "freed_by",
        "o1",
        n1,
    )
    assert "o1" in o3["text"]
    assert r.counts() == {"kept": 1, "moved": 0, "added": 1, "dropped": 1}


def test_an_unavailable_official_is_dropped_with_the_reason_in_vietnamese(two_plan: Plan) -> None:
    r = replan(without_officials(TWO, {"o2"}), two_plan, lang="vi")
    got = row(r, "o2")
    assert (got["change"], got["reason"]) == ("dropped", "official_unavailable")
    assert got["text"] == "o2 hiện không thể tham gia"


def test_a_removed_need_drops_its_official(two_plan: Plan) -> None:
    n2 = _holder(two_plan, "o2")
    changed = TWO.replace(
        needs=[n for n in TWO.needs if n.need_id != n2],
        affinity=[a for a in TWO.affinity if a.need_id != n2],
    )
    r = replan(changed, two_plan)
    assert_checked(changed, r.plan)
    assert row(r, "o2")["reason"] == "need_removed"
    assert row(r, "o1")["change"] == "kept"


def test_a_shrunk_need_keeps_one_and_drops_the_other() -> None:
    s = scenario([official("o1"), official("o2")], [need("n1", slots=2)])
    before = solve_checked(s)
    assert len(before.assignments) == 2
    changed = s.replace(needs=[need("n1", slots=1)])
    r = replan(changed, before)
    assert_checked(changed, r.plan)
    assert sorted(r.diff["change"]) == ["dropped", "kept"]
    dropped = r.diff[r.diff["change"] == "dropped"].iloc[0]
    assert dropped["reason"] == "need_shrank" and "(1)" in dropped["text"]


def test_a_rule_that_now_excludes_the_pair_is_named(two_plan: Plan) -> None:
    n1 = _holder(two_plan, "o1")
    changed = TWO.replace(locks=[Lock(official_id="o1", need_id=n1, kind="forbid")])
    r = replan(changed, two_plan)
    assert_checked(changed, r.plan)
    got = row(r, "o1")
    assert got["reason"] == "rule_excludes" and got["need_before"] == n1
    assert got["change"] == "dropped"  # the other need is kept by o2
    assert got["text"] == f"a rule now excludes o1 from need {n1}: forbidden by the planner"


#: X (land and IT) on nX, O (IT only) on nB. Then nX goes, nA comes: X is worth
#: most on nB (affinity 50), so a fresh plan moves O to nA: a chain.
CHAIN_BEFORE = scenario(
    [official("X", skills="it:2;land:2"), official("O", skills="it:1")],
    [need("nX", field="land"), need("nB")],
    affinity={("X", "nB"): 50},
)
CHAIN_AFTER = scenario(
    [official("X", skills="it:2;land:2"), official("O", skills="it:1")],
    [need("nB"), need("nA")],
    affinity={("X", "nB"): 50, ("O", "nA"): -10},
)


def test_a_chain_of_moves_names_who_moved_because_of_whom() -> None:
    before = solve_checked(CHAIN_BEFORE)
    assert before.objective == 200  # X->nX 100, O->nB 100 (X->nB alone: 150)
    fresh = replan(CHAIN_AFTER, before, keep=0)
    assert_checked(CHAIN_AFTER, fresh.plan)
    assert fresh.plan.objective == 150 + 90
    x, o = row(fresh, "X"), row(fresh, "O")
    assert (x["change"], x["need_before"], x["need_after"], x["reason"]) == (
        "moved",
        "nX",
        "nB",
        "need_removed",
    )
    assert (o["change"], o["need_before"], o["need_after"], o["reason"], o["by"]) == (
        "moved",
        "nB",
        "nA",
        "freed_by",
        "X",
    )
    # Keeping first, O stays on nB and only X moves (to nA: 100 points).
    first = replan(CHAIN_AFTER, before)
    assert first.plan.objective == 200 and first.kept == 1
    assert row(first, "O")["change"] == "kept"
    assert row(first, "X")["need_after"] == "nA"


def test_a_part_time_official_gets_one_row_per_need() -> None:
    s = scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.5), need("n3", workload=0.5)],
        affinity={("o1", "n3"): -30},
    )
    before = solve_checked(s)
    assert sorted(before.assignments["need_id"]) == ["n1", "n2"]
    changed = s.replace(needs=[need("n1", workload=0.5), need("n3", workload=0.5)])
    r = replan(changed, before)
    d = r.diff.sort_values("change")
    assert d[["need_before", "need_after", "change", "reason"]].values.tolist() == [
        ["n1", "n1", "kept", "kept"],
        ["n2", "n3", "moved", "need_removed"],
    ]


def test_keep_must_be_first_or_whole_points(two_plan: Plan) -> None:
    for bad in ("most", -1, 2.5, True):
        with pytest.raises(ScenarioError) as err:
            replan(TWO, two_plan, keep=bad)  # type: ignore[arg-type]
        assert "keep" in str(err.value) and repr(bad) in str(err.value)


def test_every_change_and_reason_has_words_in_both_languages() -> None:
    for c in CHANGES:
        assert all(CATALOGUE[f"replan_change.{c}"])
    for code in REPLAN_REASONS:
        assert all(CATALOGUE[f"replan_reason.{code}"])


def test_the_diff_is_saved_with_the_plan_and_the_kept_stage_reads_back(
    two_plan: Plan, tmp_path: Path
) -> None:
    r = replan(without_officials(TWO, {"o1"}), two_plan)
    r.save(tmp_path / "after")
    diff = pd.read_csv(tmp_path / "after" / "diff.csv", dtype=str, keep_default_na=False)
    assert list(diff.columns) == DIFF_COLUMNS
    assert diff.equals(r.diff)
    assert [st.term for st in load_plan(tmp_path / "after").stages] == ["kept", "score"]


def test_keep_points_zero_on_a_pure_network_uses_the_flow_and_matches() -> None:
    s = scenario(
        [official(f"o{i}") for i in range(4)],
        [need(f"n{j}") for j in range(3)],
        affinity={(f"o{i}", f"n{j}"): (7 * i + 3 * j) % 11 for i in range(4) for j in range(3)},
        policy=AFFINITY_ONLY.model_copy(update={"base_points": 20}),
    )
    before = solve_checked(s)
    changed = without_officials(s, {str(before.assignments["official_id"].iloc[0])})
    for keep in ("first", 0, 3):
        r = replan(changed, before, keep=keep)
        assert_checked(changed, r.plan)
        assert r.plan.solver.engine == "flow"
    assert replan(changed, before, keep=0).plan.objective == solve(changed).objective


# -- the command, on the Điện Biên example after two officials quit ---------------------


def test_cli_replan_on_dien_bien_after_two_officials_quit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dien-bien"
    assert main(["example", "dien-bien", str(db)]) == 0
    assert main(["solve", str(db), "--out", str(tmp_path / "plan"), "--quiet"]) == 0
    before = load_plan(tmp_path / "plan")
    locked = set(pd.read_csv(db / "locks.csv", dtype=str)["official_id"])
    quit_ = [o for o in before.assignments["official_id"] if o not in locked][:2]
    table = db / "officials.csv"
    with table.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["official_id"] in quit_:
            r["available"] = "false"
    with table.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    capsys.readouterr()
    out, book = tmp_path / "after", tmp_path / "after.xlsx"
    argv = ["replan", str(db), "--previous", str(tmp_path / "plan"), "--out", str(out)]
    assert main([*argv, "--excel", str(book)]) == 0
    printed = capsys.readouterr().out
    diff = pd.read_csv(out / "diff.csv", dtype=str, keep_default_na=False)
    dropped = diff[diff["change"] == "dropped"]
    assert sorted(dropped["official_id"]) == sorted(quit_)
    assert set(dropped["reason"]) == {"official_unavailable"}
    kept = int((diff["change"] == "kept").sum())
    assert kept == len(before.assignments) - 2  # everyone else stays
    assert f"{kept} of {len(before.assignments)} previous assignments kept" in printed
    for o in quit_:
        assert f"{o} is now unavailable" in printed
    assert "Changes" in openpyxl.load_workbook(book).sheetnames
    after = load_plan(out)
    assert check(load_scenario(db), after) == []
    assert np.isclose(after.objective, after.assignments["score"].sum())


def test_cli_replan_refuses_a_bad_keep_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "replan",
        str(tmp_path / "nope"),
        "--previous",
        str(tmp_path),
        "--out",
        str(tmp_path / "o"),
    ]
    assert main([*argv, "--keep", "many", "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert "--keep" in err and "'many'" in err and "cần" in err


def test_a_swap_the_goals_chose_is_no_chain() -> None:
    people, posts = [official("A"), official("B")], [need("n1"), need("n2")]
    before = solve_checked(scenario(people, posts, affinity={("A", "n1"): 10, ("B", "n2"): 10}))
    # A weight changed: the swapped pairs now score 30 more each.
    changed = scenario(people, posts, affinity={("A", "n2"): 30, ("B", "n1"): 30})
    r = replan(changed, before, keep=0)
    assert_checked(changed, r.plan)
    assert r.plan.objective == 260
    for who in ("A", "B"):
        got = row(r, who)
        assert (got["change"], got["reason"], got["by"]) == ("moved", "trade_off", "")
    assert replan(changed, before).plan.objective == 200  # keep first: nobody moves
