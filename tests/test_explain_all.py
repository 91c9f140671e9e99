"""explain_all: every cost is an actual re-solve, checked against HiGHS; reasons and words.

The oracle is a HiGHS MIP built from the arcs frame (tests/test_oracle.py),
not staffopt's engine: for each row, the optimum under the row's change
(the pair forbidden, k more slots of the need, the official sent) must be
the plan's score minus the row's cost, or infeasible exactly when the row
says "impossible". The plan each row describes (base plan plus its
alternative and moves) must pass the independent checker with that score.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import agency, commune, need, official, scenario, solve_checked
from hypothesis import event, given, settings
from test_oracle import SETTINGS, highs_optimum, scenarios

from staffopt import Policy, Scenario
from staffopt.checker import check, format_violations
from staffopt.cli import main
from staffopt.decode import decode
from staffopt.explain import not_worth_code
from staffopt.explain_all import EXPLAIN_ALL_COLUMNS
from staffopt.io.csvsafe import unprotect
from staffopt.plan import Plan
from staffopt.results import SolverFacts

#: An independent optimum of a scenario on some arcs with "at least k of these" rows.
Oracle = Callable[[Scenario, pd.DataFrame, list[tuple[list[int], int]]], "int | None"]


def oracle_cost(
    s: Scenario, plan: Plan, row: pd.Series, oracle: Oracle = highs_optimum
) -> int | None:
    """The row's cost by HiGHS: base optimum minus the optimum under the change."""
    arcs = plan.arcs
    assert arcs is not None and plan.objective is not None
    oid, nid = arcs["official_id"].to_numpy(), arcs["need_id"].to_numpy()
    if row["kind"] == "assignment":
        keep = ~((oid == row["official_id"]) & (nid == row["need_id"]))
        new = oracle(s, arcs[keep].reset_index(drop=True), [])
    elif row["kind"] == "unmet":
        filled = int((plan.assignments["need_id"] == row["need_id"]).sum())
        cols = np.flatnonzero(nid == row["need_id"]).tolist()
        new = oracle(s, arcs, [(cols, filled + int(row["extra_slots"]))])
    else:
        new = oracle(s, arcs, [(np.flatnonzero(oid == row["official_id"]).tolist(), 1)])
    return None if new is None else round(plan.objective) - new


def _row_plan(s: Scenario, plan: Plan, row: pd.Series) -> Plan:
    """The plan a row describes: the base plan, the row's direct change and its moves."""
    arcs = plan.arcs
    assert arcs is not None and plan.exclusions is not None
    pairs = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    alternative = [a for a in str(row["alternative"]).split(";") if a]
    if row["kind"] == "assignment":
        pairs.discard((row["official_id"], row["need_id"]))
        pairs |= {(o, row["need_id"]) for o in alternative}
    elif row["kind"] == "unmet":
        pairs |= {(o, row["need_id"]) for o in alternative}
    else:
        pairs |= {(row["official_id"], n) for n in alternative}
    for move in (m for m in str(row["moves"]).split("; ") if m):
        o, n = move[1:].split("->")
        (pairs.add if move[0] == "+" else pairs.discard)((o, n))
    key = list(zip(arcs["official_id"], arcs["need_id"], strict=True))
    chosen = np.array([k in pairs for k in key], dtype=bool)
    assert int(chosen.sum()) == len(pairs), "every pair of the row is an arc"
    score = int(arcs["score"].to_numpy()[chosen].sum())
    return decode(
        s,
        plan.policy or s.policy,
        arcs,
        plan.exclusions,
        chosen,
        status="feasible",
        objective=score,
        bound=None,
        wall_time_s=0.0,
        solver=SolverFacts(),
    )


@settings(SETTINGS, max_examples=80)
@given(scenarios())
def test_every_cost_equals_a_highs_re_solve(s: Scenario) -> None:
    assert_costs_match_highs(s)


@SETTINGS
@given(scenarios(pure_network=True))
def test_every_cost_equals_a_highs_re_solve_on_pure_networks(s: Scenario) -> None:
    assert_costs_match_highs(s)


def assert_costs_match_highs(s: Scenario) -> None:
    plan = solve_checked(s)
    if plan.status != "optimal":
        return  # infeasible scenarios have nothing to explain
    assert highs_optimum(s, plan.arcs) == round(plan.objective or 0)  # type: ignore[arg-type]
    rows = plan.explain_all()
    assert list(rows.columns) == EXPLAIN_ALL_COLUMNS
    # The one-item explanations word every runner-up (chosen, blocked or free) too.
    assert plan.report_text("vi")
    for o in s.officials:
        assert plan.explain(official=o.official_id).text
    assert (rows["kind"] == "assignment").sum() == len(plan.assignments)
    assert (rows["kind"] == "unmet").sum() == plan.unmet["missing_slots"].sum()
    used = set(plan.assignments["official_id"])
    assert (rows["kind"] == "unused").sum() == sum(o.official_id not in used for o in s.officials)
    for _, row in rows.iterrows():
        event(f"{row['kind']} {row['cost_status']}")
        expected = oracle_cost(s, plan, row)
        if expected is None:
            assert row["cost_status"] == "impossible", row.to_dict()
            assert pd.isna(row["cost"])
            continue
        assert row["cost_status"] == "exact", row.to_dict()
        assert row["cost"] == expected == row["cost_low"], row.to_dict()
        assert row["cost"] >= 0  # the base plan is optimal
        other = _row_plan(s, plan, row)
        violations = check(s, other)
        assert violations == [], format_violations(violations)
        assert other.objective == round(plan.objective or 0) - row["cost"]
        assert str(row["text"]).strip()


# -- reasons -----------------------------------------------------------------------------


def _ceiling_case() -> Scenario:
    """a1 scores 10 more than b1 on n1, but agency A releases one person and a2 (the only
    candidate of n2) is worth more there."""
    return scenario(
        [
            official("a1", agency_id="A", skills="it:2"),
            official("a2", agency_id="A", skills="land:2"),
            official("b1", agency_id="B", skills="it:2"),
        ],
        [need("n1", field="it"), need("n2", field="land")],
        agencies=[agency("A", max_release=1), agency("B")],
        affinity={("a1", "n1"): 10, ("a2", "n2"): 50},
    )


def test_a_higher_runner_up_held_back_by_its_agency_ceiling_says_so() -> None:
    s = _ceiling_case()
    plan = solve_checked(s)
    assert plan.objective == 100 + 150
    assert set(plan.assignments["official_id"]) == {"a2", "b1"}
    rows = plan.explain_all().set_index(["kind", "official_id", "need_id"])
    row = rows.loc[("assignment", "b1", "n1")]
    assert row["reason"] == "agency_ceiling"
    assert "scores 10 more than the chosen one" in row["text"]
    assert "released its maximum" in row["text"]
    # Forbid b1 -> n1: a1 could only go if a2 came home (110 < 150): the post stays empty.
    assert row["cost"] == 100 and row["alternative"] == ""
    unused = rows.loc[("unused", "a1", "")]
    assert unused["reason"] == "agency_ceiling"
    # Sending a1 sends it to n1 (110) in place of b1, and a2 comes home: 250 -> 110.
    assert unused["cost"] == 140 and unused["alternative"] == "n1"
    assert set(unused["moves"].split("; ")) == {"-a2->n2", "-b1->n1"}
    # The one-need explanation carries the same reason and the plain difference.
    text = plan.explain(need="n1").text
    assert "scores 10 more than the chosen one" in text and "released its maximum" in text
    vi = plan.explain(need="n1", lang="vi").text
    assert "hơn người được chọn 10 điểm" in vi and "đã cử đủ số tối đa" in vi


def test_a_lower_runner_up_is_worded_plainly_never_as_a_cost() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 31},
    )
    plan = solve_checked(s)
    text = plan.explain(official="o1").text
    assert "scores 31 less than the chosen one" in text
    assert "for the chosen one" not in text
    assert "kém người được chọn 31 điểm" in plan.explain(official="o1", lang="vi").text
    row = plan.explain_all().iloc[0]
    # The true cost of the choice is re-solved: o2 takes the post, 31 points lost.
    assert (row["reason"], row["cost"], row["alternative"]) == ("best_score", 31, "o2")


def test_a_need_of_two_slots_lists_its_other_holder_without_a_blocker() -> None:
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1", slots=2)],
        affinity={("o1", "n1"): 20, ("o2", "n1"): 10},
    )
    plan = solve_checked(s)
    assert set(plan.assignments["official_id"]) == {"o1", "o2"}
    text = plan.explain(need="n1").text
    assert "fills another slot of this need" in text
    rows = plan.explain_all().set_index(["kind", "official_id"])
    # o2's only runner-up is o3 (lower): o1, chosen too, is no runner-up.
    assert rows.loc[("assignment", "o2"), "reason"] == "best_score"
    assert rows.loc[("assignment", "o2"), "cost"] == 10
    assert rows.loc[("assignment", "o2"), "alternative"] == "o3"


@pytest.mark.parametrize(
    ("score", "travel", "affinity", "code"),
    [
        (-5, -120, 0, "too_far"),  # 115 points without travel
        (-5, -120, -10, "too_far"),  # travel weighs more than the affinity
        (-50, -10, -150, "low_affinity"),  # 100 without the affinity, -40 without travel
        (-5, -10, -150, "low_affinity"),  # both would rescue it; the affinity weighs more
        (0, 0, 0, "not_worth_it"),  # nothing to blame: the base score is 0
        (-10, -60, -60, "too_far"),  # a tie goes to travel
        (-200, -50, -60, "not_worth_it"),  # neither alone makes it worth it
    ],
)
def test_not_worth_code(score: int, travel: int, affinity: int, code: str) -> None:
    assert not_worth_code(score, travel, affinity) == code


def test_too_far_only_when_travel_is_the_cause() -> None:
    far, disliked = "far", "disliked"
    policy = Policy(travel_points_per_km=1.0)
    s = scenario(
        [official(far), official(disliked), official("o3")],
        [need("n1")],
        communes=[commune("c1")],
        affinity={(disliked, "n1"): -400, ("o3", "n1"): 0},
        distances=[(far, "c1", 600.0)],
        policy=policy,
    )
    plan = solve_checked(s)
    exp = plan.explain(official=far).text
    assert "too far" in exp and "600 km" in exp
    exp = plan.explain(official=disliked).text
    assert "too far" not in exp and "affinity for this pair is -400" in exp
    rows = plan.explain_all().set_index(["kind", "official_id"])
    assert rows.loc[("unused", far), "reason"] == "too_far"
    assert rows.loc[("unused", disliked), "reason"] == "low_affinity"


def test_unmet_with_no_candidate_is_impossible_and_says_why() -> None:
    s = scenario([official("o1", skills="land:2")], [need("n1", field="it")])
    plan = solve_checked(s)
    rows = plan.explain_all()
    unmet = rows[rows["kind"] == "unmet"].iloc[0]
    assert unmet["cost_status"] == "impossible" and pd.isna(unmet["cost"])
    assert unmet["reason"] == "no_eligible_candidate"
    assert "Impossible to fill 1 more slot(s) here: too few eligible candidates" in unmet["text"]
    vi = plan.explain_all("vi")
    assert "Không thể bố trí thêm 1 người" in vi[vi["kind"] == "unmet"].iloc[0]["text"]


def test_a_spent_time_limit_skips_the_re_solves_and_says_so() -> None:
    # Part-time loads: no pure network, so every cost needs a CP-SAT re-solve.
    s = scenario(
        [official("o1", capacity=1.0), official("o2", capacity=1.0)],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        affinity={("o1", "n1"): 5},
    )
    plan = solve_checked(s)
    rows = plan.explain_all(time_limit_s=0.0)
    solved = rows[rows["kind"] != "unused"]
    assert set(solved["cost_status"]) == {"skipped"} and solved["cost"].isna().all()
    assert solved["text"].str.contains("time limit of 0 s for all the explanations").all()
    assert set(plan.explain_all()["cost_status"]) == {"exact"}


def test_explain_all_refuses_ranked_goals_it_cannot_re_solve() -> None:
    s = scenario([official("o1")], [need("n1")])
    plan = solve_checked(s, s.policy.model_copy(update={"goals": ["slots", "score"]}))
    with pytest.raises(ValueError, match="ranked goals"):
        plan.explain_all()


def test_explain_all_needs_a_solved_plan() -> None:
    s = scenario([official("o1")], [need("n1", mandatory=True, slots=2)])
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    with pytest.raises(ValueError, match="infeasible"):
        plan.explain_all()


def test_cli_explain_all_writes_a_spreadsheet_safe_csv(tmp_path: Path) -> None:
    s = _ceiling_case().replace(
        officials=(
            *_ceiling_case().officials[:2],
            official("=b1", agency_id="B", skills="it:2"),
        )
    )
    s.save(tmp_path / "s")
    assert main(["solve", str(tmp_path / "s"), "--out", str(tmp_path / "plan")]) == 0
    out = tmp_path / "explanations.csv"
    args = ["explain", str(tmp_path / "plan"), "--scenario", str(tmp_path / "s"), "--all"]
    assert main([*args, "--lang", "vi", "--out", str(out)]) == 0
    raw = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert "'=b1" in set(raw["official_id"]), "an id starting with = is not a formula"
    back = unprotect(raw)
    assert list(back.columns) == EXPLAIN_ALL_COLUMNS
    assert "=b1" in set(back["official_id"])
    assert back["text"].str.contains("được biệt phái đến").any()
    # --out needs --all; a missing folder is refused before any work.
    assert main([*args[:-1], "--need", "n1", "--out", str(out)]) == 2
    assert main([*args, "--out", str(tmp_path / "missing" / "x.csv")]) == 2
