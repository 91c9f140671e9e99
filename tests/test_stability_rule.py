"""Policy.stability = "required": the optimum over stable plans, against a brute force.

The brute force enumerates every subset of the eligible pairs (test_oracle),
keeps those that obey every other hard rule, and keeps of those the ones
with no blocking pair, found here pair by pair from the definition (wishes,
distance, need_id for officials; score, official_id for needs) without
staffopt's preference code.
"""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_mechanisms import RULES, with_wishes
from test_oracle import (
    BRUTE_MAX,
    SETTINGS,
    Pair,
    brute_force,
    feasible_subsets,
    oracle_pairs,
)

import staffopt
from staffopt import Scenario
from staffopt.checker import check, format_violations
from staffopt.eligibility import candidates
from staffopt.plan import Plan
from staffopt.results import Requirement
from staffopt.solver.engine import network_obstacles
from staffopt.stability import stability_counts
from staffopt.texts import requirement_text

Held = frozenset[tuple[str, str]]


def _required(s: Scenario) -> Scenario:
    return s.with_policy(stability="required")


class StableOracle:
    """Blocking pairs of a set of held pairs, straight from the definition."""

    def __init__(self, s: Scenario, pairs: list[Pair]) -> None:
        wish = {(w.official_id, w.commune_id): w.rank for w in s.wishes}
        commune = {n.need_id: n.commune_id for n in s.needs}
        self.slots = {n.need_id: n.slots for n in s.needs}
        self.pairs = [(p.official_id, p.need_id) for p in pairs]
        self.o_key = {
            (p.official_id, p.need_id): (
                wish.get((p.official_id, commune[p.need_id]), float("inf")),
                p.km,
                p.need_id,
            )
            for p in pairs
        }
        self.n_key = {(p.official_id, p.need_id): (-p.score, p.official_id) for p in pairs}

    def blocking(self, held: Held) -> list[tuple[str, str]]:
        out = []
        for o, n in self.pairs:
            if (o, n) in held:
                continue
            posts = [self.o_key[(o, m)] for p, m in held if p == o]
            official_wants = not posts or self.o_key[(o, n)] < max(posts)
            holders = [self.n_key[(p, n)] for p, m in held if m == n]
            need_wants = len(holders) < self.slots[n] or self.n_key[(o, n)] < max(holders)
            if official_wants and need_wants:
                out.append((o, n))
        return out


def best_stable(s: Scenario, pairs: list[Pair]) -> int | None:
    """The best score over subsets keeping every hard rule and leaving no blocking pair."""
    x, ok = feasible_subsets(s, pairs)
    oracle = StableOracle(s, pairs)
    best: int | None = None
    for row in x[ok]:
        held = frozenset(p for p, bit in zip(oracle.pairs, row, strict=True) if bit)
        if oracle.blocking(held):
            continue
        total = sum(p.score for p, bit in zip(pairs, row, strict=True) if bit)
        best = total if best is None else max(best, total)
    return best


def _score(s: Scenario, plan: Plan) -> int:
    arcs, _ = candidates(s, plan.policy)
    pairs = zip(arcs["official_id"], arcs["need_id"], strict=True)
    score = dict(zip(pairs, arcs["score"], strict=True))
    held = zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True)
    return int(sum(score[p] for p in held))


def _held(plan: Plan) -> Held:
    return frozenset(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))


def solved_and_checked(s: Scenario) -> tuple[list[Pair], Plan]:
    """The oracle's pairs of ``s`` and its solve, optimal or infeasible and checker-clean."""
    pairs, _ = oracle_pairs(s)
    plan = staffopt.solve(s)
    assert plan.status in ("optimal", "infeasible"), plan
    violations = check(s, plan)
    assert violations == [], format_violations(violations)
    return pairs, plan


@settings(SETTINGS, max_examples=100)
@given(st.one_of(with_wishes(), with_wishes(plain=True).map(lambda s: _uncapped(s))))
def test_the_required_plan_is_the_best_stable_plan_of_the_brute_force(s: Scenario) -> None:
    s = _required(s)
    pairs, plan = solved_and_checked(s)
    if plan.status == "optimal":
        assert plan.arcs is not None
        assert stability_counts(s, plan.arcs, plan.assignments)[0] == 0
        assert StableOracle(s, pairs).blocking(_held(plan)) == []
    else:
        assert plan.conflicts, "an infeasible plan names the requirements that clash"
    if len(pairs) > BRUTE_MAX - 4:  # the pair-by-pair stability test is plain Python
        event("too many pairs for the brute force")
        return
    best = best_stable(s, pairs)
    unconstrained = brute_force(s, pairs)
    below = "below" if best != unconstrained else "equal"
    event(f"stable optimum {'none' if best is None else below}")
    if best is None:
        assert plan.status == "infeasible"
    else:
        assert plan.status == "optimal"
        assert _score(s, plan) == best


def _uncapped(s: Scenario) -> Scenario:
    """No planner requirement and no agency ceiling: what deferred acceptance keeps."""
    # The ceiling without max_release is the headcount: lift it above everyone.
    everyone = len(s.officials)
    agencies = [
        a.model_copy(update={"max_release": None, "headcount": max(a.headcount, everyone)})
        for a in s.agencies
    ]
    return Scenario.model_validate({**dict(s), "agencies": agencies})


@SETTINGS
@given(with_wishes(plain=True))
def test_required_alone_is_never_infeasible_deferred_acceptance_is_a_stable_plan(
    s: Scenario,
) -> None:
    s = _required(_uncapped(s))
    deferred = staffopt.allocate(s, "deferred_acceptance")
    assert deferred.arcs is not None
    assert stability_counts(s, deferred.arcs, deferred.assignments)[0] == 0
    plan = staffopt.solve(s)
    assert plan.status == "optimal", plan
    assert plan.arcs is not None
    assert stability_counts(s, plan.arcs, plan.assignments)[0] == 0
    # The optimum over stable plans scores at least as much as one stable plan.
    assert _score(s, plan) >= _score(s, deferred)


def test_stability_clashing_with_a_lock_is_named() -> None:
    from helpers import need, official, scenario

    # n1 ranks o1 (score 110) above o2; o1 is free, so locking o2 on n1 leaves
    # the blocking pair (o1, n1) whatever else is chosen.
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 10},
        locks=[("o2", "n1", "lock")],
    )
    plan = staffopt.solve(_required(s))
    assert plan.status == "infeasible"
    assert set(plan.conflicts) == {
        Requirement("stability", "scenario"),
        Requirement("lock", "o2->n1"),
    }
    assert staffopt.solve(s).status == "optimal"
    assert "no blocking pair" in plan.message
    assert "không có cặp chặn" in requirement_text(Requirement("stability", "scenario"), "vi")


def test_required_stability_is_a_side_constraint_for_the_engine_choice() -> None:
    from helpers import need, official, scenario

    s = scenario([official("o1"), official("o2")], [need("n1")])
    arcs, _ = candidates(s)
    assert "stability" not in network_obstacles(s, arcs)
    assert network_obstacles(_required(s), arcs) == ["stability"]
    assert staffopt.solve(_required(s)).solver.engine == "cpsat"


@SETTINGS
@given(with_wishes(), st.integers(0, 1000))
def test_the_checker_counts_the_blocking_pairs_the_audit_finds(s: Scenario, seed: int) -> None:
    s = _required(s)
    for mechanism in RULES:
        plan = staffopt.allocate(s, mechanism, seed=seed)
        found = plan.blocking_pairs()
        audit = set(zip(found["official_id"], found["need_id"], strict=True))
        checker = {(v.official_id, v.need_id) for v in check(s, plan) if v.rule == "stability"}
        assert checker == audit, mechanism
        event(f"{mechanism}: {'some' if audit else 'no'} blocking pair")
    assert not [v for v in check(s.with_policy(stability="off"), plan) if v.rule == "stability"]
