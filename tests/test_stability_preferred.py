"""Policy.stability = "preferred": the fewest blocking pairs, then the goals, against a brute force.

The brute force (test_oracle's subsets, test_stability_rule's pair-by-pair
blocking count from the definition) finds, over every plan keeping the hard
rules, the fewest blocking pairs and the best score among plans with that
many; the solve must reach both, and report the count it leaves.
"""

from __future__ import annotations

import dataclasses

from hypothesis import event, given, settings
from test_mechanisms import with_wishes
from test_oracle import BRUTE_MAX, SETTINGS, Pair, feasible_subsets
from test_stability_rule import StableOracle, _held, _score, solved_and_checked

import staffopt
from staffopt import Scenario
from staffopt.checker import check
from staffopt.checker.context import read_plan
from staffopt.checker.stability_checks import blocking_found
from staffopt.results import MINIMISED_TERMS
from staffopt.schema import Goal


def _preferred(s: Scenario) -> Scenario:
    return s.with_policy(stability="preferred")


def fewest_blocking(s: Scenario, pairs: list[Pair]) -> tuple[int, int] | None:
    """(fewest blocking pairs, best score among plans with that many), None without a plan."""
    x, ok = feasible_subsets(s, pairs)
    oracle = StableOracle(s, pairs)
    best: tuple[int, int] | None = None
    for row in x[ok]:
        held = frozenset(p for p, bit in zip(oracle.pairs, row, strict=True) if bit)
        count = len(oracle.blocking(held))
        total = sum(p.score for p, bit in zip(pairs, row, strict=True) if bit)
        # Fewest blocking pairs first, then the highest score.
        if best is None or (count, -total) < (best[0], -best[1]):
            best = (count, total)
    return best


@settings(SETTINGS, max_examples=100)
@given(with_wishes())
def test_the_preferred_plan_has_the_fewest_blocking_pairs_and_then_the_best_score(
    s: Scenario,
) -> None:
    s = _preferred(s)
    pairs, plan = solved_and_checked(s)
    if plan.status == "optimal":
        said = plan.objective_terms["blocking_pairs"]
        assert said == len(StableOracle(s, pairs).blocking(_held(plan)))
        assert [st.term for st in plan.stages] == ["blocking_pairs", "score"]
        assert plan.stages[0].value == said
    if len(pairs) > BRUTE_MAX - 4:  # the pair-by-pair count is plain Python
        event("too many pairs for the brute force")
        return
    best = fewest_blocking(s, pairs)
    if best is None:
        assert plan.status == "infeasible"
        return
    event(f"fewest blocking pairs {'0' if best[0] == 0 else '> 0'}")
    assert plan.status == "optimal"
    assert (plan.objective_terms["blocking_pairs"], _score(s, plan)) == best
    if best[0] == 0:  # a stable plan exists: "preferred" is "required"
        required = staffopt.solve(s.with_policy(stability="required"))
        assert required.status == "optimal"
        assert _score(s, required) == _score(s, plan)


@SETTINGS
@given(with_wishes())
def test_the_checker_recounts_the_blocking_pairs_the_plan_reports(s: Scenario) -> None:
    s = _preferred(s)
    plan = staffopt.solve(s)
    if plan.status != "optimal":
        return
    ctx = read_plan(s, plan)
    assert ctx is not None
    assert len(blocking_found(ctx)) == plan.objective_terms["blocking_pairs"]
    wrong = dataclasses.replace(
        plan,
        objective_terms={
            **plan.objective_terms,
            "blocking_pairs": plan.objective_terms["blocking_pairs"] + 1,
        },
    )
    assert [v.rule for v in check(s, wrong)] == ["objective_terms_mismatch"]


def test_blocking_pairs_is_a_minimised_goal_the_planner_may_rank_anywhere() -> None:
    from helpers import need, official, scenario

    # n1 ranks o1 (score 110) above o2 (score 100); no wishes.
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 10},
    )
    assert "blocking_pairs" in MINIMISED_TERMS
    pol = s.policy
    assert [g.term for g in pol.model_copy(update={"stability": "preferred"}).goal_list()] == [
        "blocking_pairs",
        "score",
    ]
    later = pol.model_copy(
        update={
            "stability": "preferred",
            "goals": [Goal(term="score", tolerance=0.5), "blocking_pairs"],
        }
    )
    assert [g.term for g in later.goal_list()] == ["score", "blocking_pairs"]
    # Score first: o1 takes n1 (110) and no pair blocks; the term is reported.
    plan = staffopt.solve(s.with_policy(goals=later.goals, stability="preferred"))
    assert plan.status == "optimal"
    assert plan.objective_terms["blocking_pairs"] == 0
    assert plan.objective == 110
    # "off" with the goal listed: still counted, and the default plan skips the count.
    listed = staffopt.solve(s.with_policy(goals=["blocking_pairs", "score"]))
    assert listed.objective_terms["blocking_pairs"] == 0
    assert "blocking_pairs" not in staffopt.solve(s).objective_terms
