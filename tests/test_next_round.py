"""The next round: `staffopt replan --next-round` and ``replan(..., next_round=True)``.

The previous plan becomes history: its months are added to each person's
``months_seconded_before`` (hand-computed below), the round moves on, the
``term`` rule decides who may be extended, and ``keep="first"`` keeps as many
of those who may stay as an independent HiGHS MIP can; every plan passes
the checker. The Điện Biên example's second round sends DOC-04 home
(30 + 6 + 6 > 36) and extends everyone else.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers import BASE_100, need, official, scenario, solve_checked
from hypothesis import given
from hypothesis import strategies as st
from test_oracle import SETTINGS, highs_optimum, scenarios

from staffopt import Scenario
from staffopt.checker import check, format_violations
from staffopt.cli import main
from staffopt.eligibility import candidates
from staffopt.io import load_scenario
from staffopt.plan import load_plan
from staffopt.replanning import history_months, next_round_scenario, replan
from staffopt.solver import solve

ROUND_1 = BASE_100.model_copy(update={"round_start": date(2025, 10, 20)})

#: o1 (10 months before) on n1 (4 months), o2 on n2 (the policy's 6),
#: o3 (30 months before) on n3 (6 months: 36 in all, still allowed).
THREE = scenario(
    [
        official("o1", skills="land:2", months_seconded_before=10),
        official("o2", skills="it:2"),
        official("o3", skills="construction:2", months_seconded_before=30),
    ],
    [
        need("n1", field="land", months=4),
        need("n2", field="it"),
        need("n3", field="construction", months=6),
    ],
    policy=ROUND_1,
)


def pairs(df: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(df["official_id"], df["need_id"], strict=True))


def test_history_adds_each_persons_months_exactly() -> None:
    before = solve_checked(THREE)
    assert pairs(before.assignments) == {("o1", "n1"), ("o2", "n2"), ("o3", "n3")}
    assert history_months(THREE, before) == {"o1": 4, "o2": 6, "o3": 6}
    after = next_round_scenario(THREE, before)
    months = {o.official_id: o.months_seconded_before for o in after.officials}
    assert months == {"o1": 14, "o2": 6, "o3": 36}
    assert after.policy.round_start == date(2026, 4, 20)  # 20 Oct 2025 + 6 months
    # The inputs are not modified.
    assert {o.official_id: o.months_seconded_before for o in THREE.officials} == {
        "o1": 10,
        "o2": 0,
        "o3": 30,
    }


def test_history_counts_the_new_scenarios_months_and_the_default_for_a_gone_need() -> None:
    before = solve_checked(THREE)
    # n1 is now 5 months long in the new scenario, n3 is gone: the policy's 6.
    changed = THREE.replace(
        needs=[need("n1", field="land", months=5), need("n2", field="it")],
    )
    assert history_months(changed, before) == {"o1": 5, "o2": 6, "o3": 6}


def test_a_plan_without_a_round_start_leaves_the_new_round_start() -> None:
    s = THREE.with_policy(round_start=None)
    before = solve_checked(s)
    assert before.policy is not None and before.policy.round_start is None
    assert next_round_scenario(THREE, before).policy.round_start == date(2025, 10, 20)


def test_the_next_round_extends_who_may_stay_and_sends_home_who_may_not() -> None:
    before = solve_checked(THREE)
    r = replan(THREE, before, next_round=True)
    nxt = next_round_scenario(THREE, before)
    violations = check(nxt, r.plan)
    assert violations == [], format_violations(violations)
    d = r.diff.set_index("official_id")
    assert d.loc["o1", "change"] == "kept" and d.loc["o1", "reason"] == "extended"
    assert d.loc["o2", "reason"] == "extended"
    assert d.loc["o3", "change"] == "dropped" and d.loc["o3", "reason"] == "term_limit"
    assert d.loc["o3", "text"].startswith("o3 returns home: 36-month limit")
    assert "42 months in all > 36" in d.loc["o3", "text"]
    vi = replan(THREE, before, next_round=True, lang="vi").diff.set_index("official_id")
    assert "giới hạn 36 tháng" in vi.loc["o3", "text"]


MONTHS_BEFORE = st.sampled_from([0, 0, 12, 24, 30, 33, 36])


@SETTINGS
@given(scenarios(), st.data())
def test_after_the_next_round_no_one_passes_36_months_and_the_most_are_kept(
    s: Scenario, data: st.DataObject
) -> None:
    s = s.replace(
        officials=[
            o.model_copy(update={"months_seconded_before": data.draw(MONTHS_BEFORE)})
            for o in s.officials
        ]
    )
    before = solve(s)
    if not before.ok:
        return
    r = replan(s, before, next_round=True)
    nxt = next_round_scenario(s, before)
    arcs, _ = candidates(nxt)
    previous = pairs(before.assignments)
    marks = [int(p in previous) for p in zip(arcs["official_id"], arcs["need_id"], strict=True)]
    most_kept = highs_optimum(nxt, arcs, objective=marks)
    if most_kept is None:
        assert not r.plan.ok
        return
    violations = check(nxt, r.plan)  # the checker's term rule: <= 36 months in all
    assert violations == [], format_violations(violations)
    assert r.kept == most_kept
    limit = nxt.policy.max_months_seconded
    round_months = nxt.policy.round_months
    before_months = {o.official_id: o.months_seconded_before for o in nxt.officials}
    need_months = {n.need_id: n.months or round_months for n in nxt.needs}
    for o, n in pairs(r.plan.assignments):
        assert before_months[o] + need_months[n] <= limit
    kept = r.diff[r.diff["change"] == "kept"]
    assert set(kept["reason"]) <= {"extended"}
    assert set(zip(kept["official_id"], kept["need_before"], strict=True)) <= previous


def test_cli_second_round_on_dien_bien(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "dien-bien"
    assert main(["example", "dien-bien", str(db)]) == 0
    assert main(["solve", str(db), "--out", str(tmp_path / "plan"), "--quiet"]) == 0
    before = load_plan(tmp_path / "plan")
    assert "DOC-04" in set(before.assignments["official_id"])  # 30 + 6 = 36: allowed
    capsys.readouterr()
    out = tmp_path / "plan2"
    argv = ["replan", str(db), "--previous", str(tmp_path / "plan"), "--out", str(out)]
    assert main([*argv, "--next-round"]) == 0
    printed = capsys.readouterr().out
    diff = pd.read_csv(out / "diff.csv", dtype=str, keep_default_na=False)
    home = diff[diff["reason"] == "term_limit"]
    assert list(home["official_id"]) == ["DOC-04"]
    assert "DOC-04 returns home: 36-month limit" in printed
    assert "42 months in all > 36" in printed
    # Everyone else is extended: as many as the previous pairs the next round
    # still allows (an upper bound on what any plan keeps), counted from the arcs.
    nxt = next_round_scenario(load_scenario(db), before)
    arcs, _ = candidates(nxt)
    allowed = pairs(before.assignments) & pairs(arcs)
    kept = diff[diff["change"] == "kept"]
    assert len(kept) == len(allowed) == len(before.assignments) - 1
    assert set(kept["reason"]) == {"extended"}
    after = load_plan(out)
    assert after.policy is not None and after.policy.round_start == date(2026, 4, 20)
    violations = check(nxt, after)
    assert violations == [], format_violations(violations)
    # The next round's scenario is saved in the plan folder and named on screen:
    # it is the one the plan holds against (the original files charge the
    # one-off again for the extended zone III posts).
    saved = load_scenario(out / "scenario")
    assert saved.officials == nxt.officials and saved.policy == nxt.policy
    assert f"--scenario {out / 'scenario'}" in printed
    assert check(saved, after) == []
    assert "cost_mismatch" in {v.rule for v in check(load_scenario(db), after)}
    capsys.readouterr()
    assert (
        main(["explain", str(out), "--scenario", str(out / "scenario"), "--official", "DOST-02"])
        == 0
    )
    words = capsys.readouterr().out
    assert "Đỗ Minh Dũng [DOST-02" in words
    assert "cost -" not in words and "has -" not in words  # no budget sums of another scenario
    # A plain re-plan (not a next round) writes no scenario: its input files hold it.
    plain = tmp_path / "plan3"
    assert main(["replan", str(db), "--previous", str(tmp_path / "plan"), "--out", str(plain)]) == 0
    assert not (plain / "scenario").exists()


def test_the_next_round_knows_where_each_person_serves_and_pays_no_second_one_off() -> None:
    from staffopt.scenarios import dien_bien

    s = dien_bien()
    before = solve(s)
    nxt = next_round_scenario(s, before)
    where = before.assignments.groupby("official_id")["commune_id"].apply(set).to_dict()
    for o in nxt.officials:
        assert set(o.current_communes) == where.get(o.official_id, set())
    # The same pair in the new round costs the zone's one-off less (as long as
    # the term's months are the same: the round length is).
    old_arcs, _ = candidates(s)
    new_arcs, _ = candidates(nxt)
    key = ["official_id", "need_id"]
    both = (
        before.assignments[key]
        .merge(old_arcs[[*key, "cost"]], on=key)
        .merge(new_arcs[[*key, "cost", "commune_id"]], on=key, suffixes=("_old", "_new"))
    )
    assert len(both)
    zone = {c.commune_id: c.zone for c in s.communes}
    one_off = [
        s.policy.one_off_allowance[zone[c]] if old > 0 else 0
        for c, old in zip(both["commune_id"], both["cost_old"], strict=True)
    ]
    assert (both["cost_old"] - both["cost_new"]).tolist() == one_off
    assert any(one_off)
    # A plan keeping them is checked against the new scenario's costs.
    r = replan(s, before, next_round=True)
    violations = check(nxt, r.plan)
    assert violations == [], format_violations(violations)
