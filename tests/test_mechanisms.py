"""Allocation mechanisms behind staffopt.allocate: checked plans, below the optimum, exact rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BASE_100, agency, commune, need, official, scenario
from hypothesis import given
from hypothesis import strategies as st
from test_oracle import SETTINGS, scenarios

import staffopt
from staffopt import Policy, Scenario
from staffopt.checker import check, format_violations
from staffopt.explain import ExplainContext, blocker
from staffopt.plan import load_plan
from staffopt.schema import Wish

RULES = [m for m in staffopt.mechanisms() if m != "optimal"]


def test_the_registry_lists_every_mechanism_of_the_issue() -> None:
    assert staffopt.mechanisms() == [
        "optimal",
        "greedy",
        "nearest",
        "zone_quota",
        "lottery",
        "seniority",
        "deferred_acceptance",
    ]


def test_an_unknown_mechanism_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown mechanism 'draw'.*lottery"):
        staffopt.allocate(_two_for_one(), "draw")
    with pytest.raises(ValueError, match="seed must be a whole number from 0"):
        staffopt.allocate(_two_for_one(), "lottery", seed=-1)


@st.composite
def with_wishes(draw: st.DrawFn, *, plain: bool = False) -> Scenario:
    """A random scenario (test_oracle) with random wishes and years of service.

    ``plain``: without floors, mandatory needs and locks (what the rules ignore).
    """
    s = draw(scenarios())
    offs = [o.official_id for o in s.officials]
    coms = [c.commune_id for c in s.communes]
    pairs = draw(st.lists(st.tuples(st.sampled_from(offs), st.sampled_from(coms)), unique=True))
    wishes = [Wish(official_id=o, commune_id=c, rank=draw(st.integers(1, 3))) for o, c in pairs]
    officials = [
        o.model_copy(update={"years_of_service": draw(st.one_of(st.none(), st.integers(0, 30)))})
        for o in s.officials
    ]
    data = {**dict(s), "wishes": wishes, "officials": officials}
    if plain:
        data["agencies"] = [a.model_copy(update={"min_release": 0}) for a in s.agencies]
        data["needs"] = [n.model_copy(update={"mandatory": False}) for n in s.needs]
        data["locks"] = [lk for lk in s.locks if lk.kind == "forbid"]
    return Scenario.model_validate(data)


@SETTINGS
@given(with_wishes(), st.integers(0, 1000))
def test_every_rule_keeps_every_hard_rule_it_does_not_declare_ignored(
    s: Scenario, seed: int
) -> None:
    for mechanism in RULES:
        plan = staffopt.allocate(s, mechanism, seed=seed)
        assert plan.mechanism == mechanism and plan.status == "feasible"
        kept = [v for v in check(s, plan) if v.rule not in plan.ignores]
        assert kept == [], f"{mechanism}: {format_violations(kept)}"


@SETTINGS
@given(with_wishes(plain=True), st.integers(0, 1000))
def test_without_requirements_every_plan_passes_check_and_the_optimum_scores_most(
    s: Scenario, seed: int
) -> None:
    # Deferred acceptance ignores ceilings by default: here it keeps them, so
    # every mechanism solves the same problem as the optimum.
    policy = _policy(s, respect_agency_ceilings=True)
    best = staffopt.allocate(s, "optimal", policy)
    assert best.status == "optimal"
    for mechanism in RULES:
        plan = staffopt.allocate(s, mechanism, policy, seed=seed)
        assert check(s, plan) == [], f"{mechanism}: {format_violations(check(s, plan))}"
        assert (plan.objective or 0) <= (best.objective or 0), mechanism


# -- each rule on a tiny scenario whose answer is known by hand -----------------------


def _policy(s: Scenario, **changes: object) -> Policy:
    """The scenario's policy with some fields changed, validated."""
    return Policy.model_validate({**s.policy.model_dump(), **changes})


def _two_for_one(**kw: object) -> Scenario:
    """Officials o1, o2 (agency a1) and one need n1 with one slot; o1 scores 10 more."""
    return scenario(
        [official("o1"), official("o2")], [need("n1")], affinity={("o1", "n1"): 10}, **kw
    )


def _pairs(plan: staffopt.Plan) -> set[tuple[str, str]]:
    return set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))


def test_lottery_is_the_same_for_a_seed_and_varies_across_seeds() -> None:
    s = _two_for_one()
    winners = {seed: _pairs(staffopt.allocate(s, "lottery", seed=seed)) for seed in range(12)}
    assert winners == {seed: _pairs(staffopt.allocate(s, "lottery", seed=seed)) for seed in winners}
    assert set(map(frozenset, winners.values())) == {
        frozenset({("o1", "n1")}),
        frozenset({("o2", "n1")}),
    }


def test_seniority_gives_the_most_senior_their_first_choice() -> None:
    s = _two_for_one()
    senior = Scenario.model_validate(
        {
            **dict(s),
            "officials": [
                s.officials[0].model_copy(update={"years_of_service": 3}),
                s.officials[1].model_copy(update={"years_of_service": 12}),
            ],
        }
    )
    assert _pairs(staffopt.allocate(senior, "seniority")) == {("o2", "n1")}
    # Fallback without the column: official_id order, whatever the seed.
    assert _pairs(staffopt.allocate(s, "seniority", seed=5)) == {("o1", "n1")}


def test_serial_dictatorship_follows_wishes_then_distance() -> None:
    c1, c2 = commune("c1"), commune("c2")
    s = scenario(
        [official("o1")],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=[c1, c2],
        distances=[("o1", "c1", 10.0), ("o1", "c2", 50.0)],
    )
    assert _pairs(staffopt.allocate(s, "lottery")) == {("o1", "n1")}  # nearer
    wished = Scenario.model_validate(
        {**dict(s), "wishes": [Wish(official_id="o1", commune_id="c2", rank=1)]}
    )
    assert _pairs(staffopt.allocate(wished, "lottery")) == {("o1", "n2")}


def test_serial_dictatorship_keeps_an_agency_ceiling() -> None:
    s = _two_for_one(agencies=[agency(max_release=0)])
    plan = staffopt.allocate(s, "seniority")
    assert plan.assignments.empty and check(s, plan) == []


def test_nearest_takes_the_nearest_not_the_best_scored() -> None:
    s = _two_for_one(distances=[("o1", "c1", 90.0), ("o2", "c1", 5.0)])
    assert _pairs(staffopt.allocate(s, "nearest")) == {("o2", "n1")}
    assert _pairs(staffopt.allocate(s, "greedy")) == {("o1", "n1")}


def test_zone_quota_reserves_its_share_for_zone_iii() -> None:
    # One official, a zone I need that is critical (greedy takes it first) and
    # a zone III need of normal criticality.
    s = scenario(
        [official("o1")],
        [
            need("n_i", commune_id="c1", criticality=3),
            need("n_iii", commune_id="c3", criticality=1),
        ],
        communes=[commune("c1", zone="I"), commune("c3", zone="III")],
    )
    assert _pairs(staffopt.allocate(s, "greedy")) == {("o1", "n_i")}
    # The default share 0.5 of one official reserves floor(0.5) = 0 places.
    assert _pairs(staffopt.allocate(s, "zone_quota")) == {("o1", "n_i")}
    none = _policy(s, zone_quota_share=0.0)
    full = _policy(s, zone_quota_share=1.0)
    # Nothing reserved: zone II, then I, then III; the whole share: zone III first.
    assert _pairs(staffopt.allocate(s, "zone_quota", none)) == {("o1", "n_i")}
    assert _pairs(staffopt.allocate(s, "zone_quota", full)) == {("o1", "n_iii")}


def test_deferred_acceptance_gives_officials_their_stable_best() -> None:
    # o1 and o2 both wish c1 first; n1 (c1) prefers o1 (higher score), so o2
    # ends at n2. Serial dictatorship with o2 first would give o2 c1 instead.
    s = Scenario.model_validate(
        {
            **dict(
                scenario(
                    [official("o1"), official("o2")],
                    [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
                    communes=[commune("c1"), commune("c2")],
                    affinity={("o1", "n1"): 10},
                )
            ),
            "wishes": [
                Wish(official_id="o1", commune_id="c1", rank=1),
                Wish(official_id="o2", commune_id="c1", rank=1),
            ],
        }
    )
    assert _pairs(staffopt.allocate(s, "deferred_acceptance")) == {("o1", "n1"), ("o2", "n2")}
    assert staffopt.allocate(s, "deferred_acceptance").blocking_pairs().empty


def test_deferred_acceptance_zone_caps_and_agency_ceilings() -> None:
    s = scenario(
        [official("o1"), official("o2", agency_id="a2")],
        [need("n1", commune_id="c3", slots=2)],
        communes=[commune("c3", zone="III")],
        agencies=[agency("a1"), agency("a2", max_release=0)],
        affinity={("o1", "n1"): 10},
    )
    assert _pairs(staffopt.allocate(s, "deferred_acceptance")) == {("o1", "n1"), ("o2", "n1")}
    plan = staffopt.allocate(s, "deferred_acceptance")
    assert "agency_ceiling" in plan.ignores
    assert [v.rule for v in check(s, plan)] == ["agency_ceiling"]
    capped = _policy(s, zone_caps={"III": 1})
    # The zone keeps the proposal needs rank first: o1's (higher score).
    assert _pairs(staffopt.allocate(s, "deferred_acceptance", capped)) == {("o1", "n1")}
    ceilings = _policy(s, respect_agency_ceilings=True)
    kept = staffopt.allocate(s, "deferred_acceptance", ceilings)
    assert _pairs(kept) == {("o1", "n1")} and check(s, kept) == []
    assert "agency_ceiling" not in kept.ignores


def test_a_plan_says_its_mechanism_and_what_it_ignores_after_a_round_trip(tmp_path: Path) -> None:
    s = _two_for_one(policy=BASE_100)
    plan = staffopt.allocate(s, "lottery", seed=3)
    assert plan.ignores == ["agency_floor", "mandatory_need", "lock"]
    assert "lottery" in plan.message
    back = load_plan(plan.save(tmp_path / "plan"), scenario=s)
    assert (back.mechanism, back.ignores) == ("lottery", plan.ignores)
    assert staffopt.allocate(s, "optimal").ignores == []


def _two_half_time_needs() -> Scenario:
    """o1 gives 1.0 FTE to two half-time needs; serial dictatorship gives one post."""
    return scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        affinity={("o1", "n1"): 5},
    )


def test_a_slot_a_rule_leaves_open_says_so() -> None:
    s = _two_half_time_needs()
    plan = staffopt.allocate(s, "lottery")
    assert _pairs(plan) == {("o1", "n1")}
    assert plan.unmet[["need_id", "reason"]].to_numpy().tolist() == [["n2", "mechanism_rule"]]
    assert staffopt.allocate(s, "greedy").unmet.empty


ZONE_CAPS = st.dictionaries(st.sampled_from(["I", "II", "III"]), st.integers(0, 3))


@SETTINGS
@given(with_wishes(plain=True), ZONE_CAPS)
def test_deferred_acceptance_keeps_zone_caps_and_ceilings(
    s: Scenario, caps: dict[str, int]
) -> None:
    policy = _policy(s, zone_caps=caps, respect_agency_ceilings=True)
    plan = staffopt.allocate(s, "deferred_acceptance", policy)
    assert check(s, plan) == []
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    placed = plan.assignments["commune_id"].map(zone_of).value_counts()
    for zone, cap in caps.items():
        assert placed.get(zone, 0) <= cap
    assert plan.assignments["official_id"].is_unique


def test_explanations_of_a_rule_plan_blame_the_rule() -> None:
    s = _two_half_time_needs()
    plan = staffopt.allocate(s, "lottery")
    said = plan.explain(need="n2").text
    assert "allocation mechanism's rule left it open" in said
    assert "quy tắc của cơ chế phân bổ để trống" in plan.explain(need="n2", lang="vi").text
    # o1 has time left for n2 and nobody holds n2: only the rule passed the pair by.
    assert blocker(ExplainContext(plan, "en"), "o1", "n2") == "mechanism_rule"


def test_every_mechanism_but_deferred_acceptance_keeps_a_binding_budget() -> None:
    # The Điện Biên example's policy budget binds (the budget-free optimum pays
    # about 3.3 billion VND of 2.3): each rule that takes arcs in turn must stop
    # spending when the budget runs out; deferred acceptance says it ignores it.
    from staffopt.scenarios import dien_bien

    s = dien_bien()
    assert s.policy.budget is not None
    for name in staffopt.mechanisms():
        plan = staffopt.allocate(s, name, seed=3)
        kept = "budget" not in plan.ignores
        assert kept == (name != "deferred_acceptance"), name
        if kept:
            spent = plan.metrics["budget_used"]["scenario"]["spent"]
            assert spent <= s.policy.budget, name
            assert not [v for v in check(s, plan) if v.rule == "budget"], name
