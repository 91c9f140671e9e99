"""Explanations: structured facts that match the plan, text in both languages."""

from __future__ import annotations

import pytest

from staffopt import Agency, Commune, Need, Official, PlanError, Scenario
from staffopt.explain import SCORE_PARTS
from staffopt.solver import solve


def _scenario() -> Scenario:
    communes = [
        Commune(
            commune_id="far",
            name="Mường Nhé",
            province="P",
            lat=22.18,
            lon=102.45,
            zone="III",
            border=True,
        ),
        Commune(
            commune_id="town", name="Điện Biên Phủ", province="P", lat=21.386, lon=103.017, zone="I"
        ),
    ]
    agencies = [Agency(agency_id="dost", name="Science", headcount=10)]
    officials = [
        Official(
            official_id="best", name="An", agency_id="dost", skills="it:3", home_commune_id="town"
        ),
        Official(
            official_id="second",
            name="Bình",
            agency_id="dost",
            skills="it:2",
            home_commune_id="town",
        ),
        Official(
            official_id="junior",
            name="Chi",
            agency_id="dost",
            skills="it:1",
            home_commune_id="town",
        ),
        Official(
            official_id="lawyer",
            name="Dũng",
            agency_id="dost",
            skills="justice:2",
            home_commune_id="town",
            available=False,
        ),
    ]
    needs = [
        Need(need_id="far-it", commune_id="far", field="it", slots=1, criticality=3),
        Need(need_id="town-it", commune_id="town", field="it", slots=1, min_level=2),
        Need(need_id="far-justice", commune_id="far", field="justice", slots=1),
        Need(need_id="far-land", commune_id="far", field="land", slots=1),
    ]
    return Scenario(communes=communes, agencies=agencies, officials=officials, needs=needs)


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    p = solve(_scenario())
    assert p.status == "optimal"
    return p


def test_assignment_parts_sum_to_score(plan) -> None:  # type: ignore[no-untyped-def]
    exp = plan.explain(official="best")
    (facts,) = exp.facts["assignments"]
    assert sum(facts["parts"].values()) == facts["score"]
    assert set(facts["parts"]) == set(SCORE_PARTS)
    row = plan.assignments[plan.assignments["official_id"] == "best"].iloc[0]
    assert facts["score"] == row["score"] and facts["need_id"] == row["need_id"]
    assert "Score" in exp.text


def test_runner_up_says_where_it_went(plan) -> None:  # type: ignore[no-untyped-def]
    exp = plan.explain(need="far-it")
    (need_facts,) = exp.facts["needs"]
    (assignment,) = need_facts["assignments"]
    runners = {r["official_id"]: r for r in assignment["runners_up"]}
    assert runners  # two other IT officials exist
    for oid, r in runners.items():
        placed = plan.assignments[plan.assignments["official_id"] == oid]["need_id"].tolist()
        assert r["assigned_to"] == placed


def test_unmet_no_eligible_candidate_names_rule(plan) -> None:  # type: ignore[no-untyped-def]
    exp = plan.explain(need="far-justice")
    (facts,) = exp.facts["needs"]
    assert facts["reason"] == "no_eligible_candidate"
    assert facts["excluded"] == [{"official_id": "lawyer", "rule": "unavailable"}]
    assert "unavailable" in exp.text


def test_unmet_without_any_official_of_field(plan) -> None:  # type: ignore[no-untyped-def]
    exp = plan.explain(need="far-land", lang="vi")
    assert "land" in exp.text and "Còn thiếu 1 người" in exp.text


def test_unused_official_reasons(plan) -> None:  # type: ignore[no-untyped-def]
    unused = set(o.official_id for o in plan.scenario.officials) - set(
        plan.assignments["official_id"]
    )
    assert "lawyer" in unused
    exp = plan.explain(official="lawyer")
    assert exp.facts["reasons"] == [{"need_id": "far-justice", "reason": "unavailable"}]
    junior = plan.explain(official="junior")
    if "junior" in unused:
        reasons = {r["need_id"]: r["reason"] for r in junior.facts["reasons"]}
        assert reasons.get("town-it") == "skill_level"


def test_commune_explanation_in_vietnamese(plan) -> None:  # type: ignore[no-untyped-def]
    exp = plan.explain(commune="far", lang="vi")
    assert exp.text.startswith("Xã Mường Nhé")
    assert exp.facts["assigned"] == int((plan.assignments["commune_id"] == "far").sum())


def test_explain_argument_errors(plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        plan.explain(official="best", need="far-it")
    with pytest.raises(ValueError):
        plan.explain(official="best", lang="fr")
    with pytest.raises(PlanError):
        plan.explain(commune="atlantis")


# -- a busy runner-up the budget could not move ------------------------------------------


@pytest.mark.parametrize(
    ("lang", "more", "left"),
    [
        ("en", "{} million VND more than that post", "the budget has {} million left"),
        ("vi", "tốn thêm {} triệu đồng so với vị trí đó", "ngân sách chỉ còn {} triệu"),
    ],
)
def test_a_busy_runner_up_the_budget_could_not_move_says_so(
    lang: str, more: str, left: str
) -> None:
    """Điện Biên's budget binds: a runner-up at a post of its own says what the move
    would add and what the budget has left, numbers recounted here from the plan's
    assignments and the policy's budget (one budget, over the whole scenario)."""
    from staffopt.explain import ExplainContext, blocker, blocker_text
    from staffopt.scenarios import dien_bien

    s = dien_bien()
    plan = solve(s)
    assert plan.status == "optimal" and s.policy.budget is not None
    budget_left = s.policy.budget - int(plan.assignments["cost"].sum())
    held = plan.assignments.groupby("official_id")["cost"].agg(["size", "sum"])
    ctx = ExplainContext(plan, lang)  # type: ignore[arg-type]
    said = 0
    for o, n, cost in zip(
        plan.arcs["official_id"], plan.arcs["need_id"], plan.arcs["cost"], strict=True
    ):
        if (o, n) not in ctx.blockers or blocker(ctx, o, n) != "busy":
            continue
        words = blocker_text(ctx, o, n)
        extra = int(cost) - int(held.loc[o, "sum"])
        expected = int(held.loc[o, "size"]) == 1 and int(cost) > 0 and extra > budget_left
        assert (more.format(round(extra / 1e6, 1)) in words) == expected, words
        assert (left.format(round(budget_left / 1e6, 1)) in words) == expected, words
        said += expected
    assert said > 0


def test_no_budget_move_is_claimed_against_a_budget_the_plan_already_breaks() -> None:
    """A next round's plan read against the first round's files (which charge the
    one-off again) is over that budget: no move is worded against it."""
    from staffopt.explain import ExplainContext
    from staffopt.replanning import replan
    from staffopt.scenarios import dien_bien

    s = dien_bien()
    plan = replan(s, solve(s), next_round=True).plan
    assert s.policy.budget is not None
    plan.attach(s)
    ctx = ExplainContext(plan, "en")
    spent = int(ctx.arcs["cost"].to_numpy()[ctx.chosen].sum())
    assert spent > s.policy.budget  # over it under these files
    assert all(ctx.budget_move(o, n) is None for o, n in ctx.blockers)
