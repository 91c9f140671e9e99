"""The allowance budget: the cost of a pair, budgets that bind, parts, starts, checker, words.

The cost formula is tested on hand-computed values; the optimum under a
binding budget against HiGHS (the oracle of ``tests/test_oracle.py`` with the
budget rows added); every plan passes the independent checker, which
re-derives each cost from the scenario.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd
import pytest
from helpers import BASE_100, commune, need, official, scenario
from hypothesis import event, given
from hypothesis import strategies as st
from test_explain_all import oracle_cost
from test_oracle import SETTINGS, highs_optimum, scenarios

from staffopt import Policy, ProvinceBudget, Scenario, ScenarioError, Zone
from staffopt.allowance import arc_costs, budget_groups, within_budgets, zone_codes
from staffopt.checker import check, format_violations  # the checks: tests/test_check.py
from staffopt.checker.context import haversine_km
from staffopt.eligibility import candidates
from staffopt.policies import greedy_assign
from staffopt.solver import resolve, solve
from staffopt.solver.engine import network_obstacles
from staffopt.solver.flow import solve_flow
from staffopt.solver.parts import independent_parts
from staffopt.solver.starts import best_start

# -- the cost of a pair ------------------------------------------------------------


def test_default_rates_come_from_the_domain_figures() -> None:
    p = Policy()
    assert p.one_off_allowance == {"I": 0, "II": 0, "III": 23_400_000}  # 10 x 2,340,000
    assert p.monthly_allowance["III"] == 3_832_920  # 70 % of 2.34 x 2,340,000
    assert p.travel_allowance_per_month == 2_000_000
    assert p.housing_allowance_per_month == 3_000_000
    assert p.travel_allowance_per_km == 0
    assert p.budget is None


def test_arc_costs_known_answers() -> None:
    p = Policy(travel_allowance_per_km=1_000)
    zones = zone_codes(["III", "III", "I", Zone.II])
    cost = arc_costs(p, zones, [0.0, 100.0, 40.4, 0.0004], [6, 6, 12, 3])
    assert cost.tolist() == [
        # on the spot (0 km): already working there, nothing new to pay
        0,
        # 100 km away: + 6 x (2,000,000 travel + 3,000,000 housing + 100 x 1,000
        # per km) = 76,997,520 -> 76,998,000
        76_998_000,
        # zone I, 12 months, 40.4 km: 12 x (5,000,000 + 40,400) = 60,484,800
        60_485_000,
        # zone II, 3 months, 0.0004 km: 3 x 5,000,000 (+ 1.2 VND) = 15,000,001.2
        15_000_000,
    ]


def test_the_cost_column_uses_the_needs_term_and_the_policy() -> None:
    s = scenario(
        [official("o1"), official("o2", home_lat=21.1, home_lon=103.0)],
        [need("n1")],
        communes=[commune("c1", zone="III")],
        policy=BASE_100,
    )
    arcs, _ = candidates(s)
    cost = dict(zip(arcs["official_id"], arcs["cost"], strict=True))
    assert cost["o1"] == 0  # on the spot
    # 16.7 km: 23,400,000 + 6 x (3,832,920 + 5,000,000) = 76,397,520
    assert cost["o2"] == 76_398_000


# -- helpers: priced scenarios ----------------------------------------------------------

#: Zone III pays 10,000,000 once and 1,000,000 a month; zone II nothing of its
#: own; travel and housing 5,000,000 a month (the defaults).
PRICED = BASE_100.model_copy(
    update={
        "one_off_allowance": {Zone.I: 0, Zone.II: 0, Zone.III: 10_000_000},
        "monthly_allowance": {Zone.I: 0, Zone.II: 0, Zone.III: 1_000_000},
    }
)
#: Cost of a post: it needs in c1 (zone III), the land need in c2 (zone II).
IT_POST = 10_000_000 + 6 * (1_000_000 + 5_000_000)  # 46,000,000
LAND_POST = 6 * 5_000_000  # 30,000,000


def two_provinces(budget: int | None, budgets: tuple[ProvinceBudget, ...] = ()) -> Scenario:
    """Two independent halves: it needs i1, i2 in c1 (province P, zone III), a land
    need l1 in c2 (province Q, zone II). Every arc scores 100; every official
    lives between the two communes, 8 km from each, so every post pays
    travel and housing (:data:`IT_POST`, :data:`LAND_POST`)."""
    home = {"home_lat": 21.05, "home_lon": 103.0}
    s = scenario(
        [
            official("a", skills="it:2", **home),
            official("b", skills="it:3", **home),
            official("c", skills="land:2", **home),
            official("d", skills="land:3", **home),
        ],
        [need("i1"), need("i2"), need("l1", commune_id="c2", field="land")],
        communes=[commune("c1", zone="III"), commune("c2", province="Q", lat=21.1, zone="II")],
        policy=PRICED.model_copy(update={"budget": budget}),
    )
    return s.replace(budgets=budgets) if budgets else s


# -- parts, engine, starts -----------------------------------------------------------


def test_a_budget_that_can_bind_is_a_side_constraint() -> None:
    free = two_provinces(None)
    arcs, _ = candidates(free)
    assert budget_groups(free, arcs) == []
    # Every arc together: 4 x IT_POST + 2 x LAND_POST = 244,000,000 VND.
    assert budget_groups(two_provinces(244_000_000), arcs) == []  # cannot bind
    tight = two_provinces(243_999_000)
    groups = budget_groups(tight, arcs)
    assert [g.requirement.id for g in groups] == ["scenario"]
    assert network_obstacles(tight, arcs) == ["budget"]
    assert network_obstacles(free, arcs) == []


def test_components_joined_by_a_budget_are_one_part(monkeypatch: pytest.MonkeyPatch) -> None:
    from staffopt.solver import parts as parts_module

    monkeypatch.setattr(parts_module, "BATCH_ARCS", 1)  # every component its own batch
    tight = two_provinces(80_000_000)
    arcs, _ = candidates(tight)
    free_parts = independent_parts(two_provinces(None), arcs)
    tight_parts = independent_parts(tight, arcs)
    province_parts = independent_parts(
        two_provinces(None, (ProvinceBudget(province="Q", budget=1),)), arcs
    )
    assert len(free_parts) == 2
    assert len(tight_parts) == 1
    assert len(province_parts) == 2  # Q's budget covers only Q's component


def test_start_plans_keep_within_the_budget() -> None:
    s = two_provinces(80_000_000)  # one it post and the land post (76,000,000)
    arcs, _ = candidates(s)
    cost = arcs["cost"].to_numpy(np.int64)
    flow = solve_flow(s, arcs)[0]
    assert cost[flow].sum() == 2 * IT_POST + LAND_POST  # the network relaxation ignores it ...
    for plan in (within_budgets(s, arcs, flow), greedy_assign(s, arcs), best_start(s, arcs)):
        assert cost[plan].sum() == IT_POST + LAND_POST  # ... its repair and greedy do not


# -- the optimum under a binding budget ------------------------------------------------


def assert_checked(s: Scenario, plan: object) -> None:
    violations = check(s, plan)
    assert violations == [], format_violations(violations)


def highs_with_budgets(
    s: Scenario, arcs: pd.DataFrame, at_least: list[tuple[list[int], int]] | None = None
) -> int | None:
    """HiGHS's optimum of the scenario with its budgets as rows (None: infeasible);
    ``at_least`` as in :func:`test_oracle.highs_optimum`."""
    rows: list[tuple[list[int], int]] = []
    cost = arcs["cost"].to_numpy(np.int64)
    province_of = {c.commune_id: c.province for c in s.communes}
    province = arcs["commune_id"].map(province_of).to_numpy(object)
    if s.policy.budget is not None:
        rows.append((list(range(len(arcs))), s.policy.budget))
    for b in s.budgets:
        rows.append((np.flatnonzero(province == b.province).tolist(), b.budget))

    def extra(h: highspy.Highs, x: list[highspy.highs_var]) -> None:
        for cols, limit in rows:
            h.addConstr(h.qsum(int(cost[i]) * x[i] for i in cols) <= limit)
        shared_support_rows(s, arcs, h, x)

    return highs_optimum(s, arcs, at_least or (), extra=extra)


def shared_support_rows(
    s: Scenario, arcs: pd.DataFrame, h: highspy.Highs, x: list[highspy.highs_var]
) -> None:
    """max_communes and max_km_between written by hand: per official, a Boolean per
    commune of their arcs (1 when any arc there is taken), at most max_communes of
    them, and no two farther apart (great-circle km x road factor) than max_km_between."""
    place = {c.commune_id: (c.lat, c.lon) for c in s.communes}
    for o in s.officials:
        k_limit = o.max_communes if o.max_communes is not None else s.policy.max_communes
        km_limit = o.max_km_between if o.max_km_between is not None else s.policy.max_km_between
        if k_limit is None and km_limit is None:
            continue
        mine = np.flatnonzero(arcs["official_id"].to_numpy() == o.official_id).tolist()
        communes = sorted({str(arcs["commune_id"].iat[i]) for i in mine})
        used = {c: h.addBinary() for c in communes}
        for i in mine:
            h.addConstr(x[i] <= used[str(arcs["commune_id"].iat[i])])
        if k_limit is not None:
            h.addConstr(h.qsum(used.values()) <= k_limit)
        if km_limit is None:
            continue
        for a, b in itertools.combinations(communes, 2):
            km = haversine_km(*place[a], *place[b]) * s.policy.road_factor
            if km > km_limit + 1e-9:
                h.addConstr(used[a] + used[b] <= 1)


def test_binding_budget_known_optimum() -> None:
    # 80 million buys one it post and the land post (76 million), not both it
    # posts (92 million): 200 points, as HiGHS finds.
    s = two_provinces(80_000_000)
    plan = solve(s)
    assert_checked(s, plan)
    assert plan.status == "optimal"
    assert plan.objective == 200
    assert sorted(plan.assignments["cost"]) == [LAND_POST, IT_POST]
    assert plan.metrics["cost_total"] == 76_000_000
    assert plan.metrics["budget_used"] == {
        "scenario": {"spent": 76_000_000, "limit": 80_000_000, "left": 4_000_000}
    }
    assert sum(plan.metrics["cost_by_agency"].values()) == 76_000_000
    assert plan.metrics["cost_by_commune"] == {"c1": IT_POST, "c2": LAND_POST}
    [row] = plan.unmet.to_dict("records")
    assert row["need_id"] in ("i1", "i2") and row["reason"] == "budget"
    arcs, _ = candidates(s)
    assert highs_with_budgets(s, arcs) == 200
    assert highs_with_budgets(two_provinces(None), arcs) == 300


def test_dien_bien_budget_optimum_matches_highs() -> None:
    """The bundled example under its 2.3 billion VND budget: CP-SAT's proven optimum
    is HiGHS's, with the budget and the shared-support limits (max_communes 3,
    max_km_between 60) as rows (15962 without the budget)."""
    from staffopt.scenarios import dien_bien

    s = dien_bien()
    plan = solve(s, time_limit_s=30)
    assert_checked(s, plan)
    arcs, _ = candidates(s)
    assert plan.status == "optimal"
    assert plan.objective == highs_with_budgets(s, arcs) == 14534


def test_province_budget_known_optimum() -> None:
    # Q may spend 10 million: its land post (30 million) stays empty; P is free.
    s = two_provinces(None, (ProvinceBudget(province="Q", budget=10_000_000),))
    plan = solve(s)
    assert_checked(s, plan)
    assert plan.objective == 200
    assert plan.metrics["budget_used"]["Q"] == {
        "spent": 0,
        "limit": 10_000_000,
        "left": 10_000_000,
    }
    arcs, _ = candidates(s)
    assert highs_with_budgets(s, arcs) == 200


@SETTINGS  # tests/test_oracle.py's: 40 derandomized examples
@given(scenarios(), st.floats(0.0, 0.9), st.none() | st.floats(0.0, 0.9), st.integers(0, 2_000))
def test_random_budgets_match_highs_and_pass_the_checker(
    s: Scenario, share: float, province_share: float | None, per_km: int
) -> None:
    """A scenario budget of ``share`` and, when drawn, a budget of ``province_share``
    for the first commune's province, of what the budget-free optimum pays."""
    priced = s.with_policy(
        one_off_allowance={"I": 1_000_000, "II": 5_000_000, "III": 20_000_000},
        monthly_allowance={"I": 0, "II": 1_000_000, "III": 3_000_000},
        travel_allowance_per_km=per_km,
    )
    free = solve(priced)
    if free.status != "optimal" or not len(free.assignments):
        return
    spent = int(free.assignments["cost"].sum())
    s2 = priced.with_policy(budget=int(spent * share))
    if province_share is not None:
        province = s.communes[0].province
        s2 = s2.replace(
            budgets=[ProvinceBudget(province=province, budget=int(spent * province_share))]
        )
    plan = solve(s2)
    arcs, _ = candidates(s2)
    mip = highs_with_budgets(s2, arcs)
    if mip is None:
        assert plan.status == "infeasible"
        assert plan.conflicts, "an infeasible plan names the requirements in conflict"
        return
    assert plan.status == "optimal", plan
    assert plan.objective == mip
    assert int(plan.assignments["cost"].sum()) <= int(spent * share)
    assert_checked(s2, plan)


#: Two amounts only: 1 million VND in zones I and II, 20 million in zone III, once.
TWO_AMOUNTS = {
    "one_off_allowance": {"I": 1_000_000, "II": 1_000_000, "III": 20_000_000},
    "monthly_allowance": {"I": 0, "II": 0, "III": 0},
    "travel_allowance_per_month": 0,
    "housing_allowance_per_month": 0,
    "travel_allowance_per_km": 0,
}


@SETTINGS
@given(scenarios(pure_network=True), st.floats(0.2, 0.9))
def test_explain_all_under_a_two_amount_budget_matches_highs(s: Scenario, share: float) -> None:
    """Every re-solved cost under a binding budget of two amounts (the row gets its hull
    cuts), each re-solve forced through reduced-cost fixing against the first plan it
    finds, equals HiGHS's re-solve with the budget row. (Networks but for the budget:
    the random scenarios with floors and locks are mostly infeasible.)"""
    priced = s.with_policy(**TWO_AMOUNTS)
    free = solve(priced)
    if free.status != "optimal" or not len(free.assignments):
        return
    s2 = priced.with_policy(budget=int(int(free.assignments["cost"].sum()) * share))
    fixings: list[int] = []
    fixable = resolve.PartResolver._fixable

    def counted(self: resolve.PartResolver, change: resolve.Change, incumbent: int) -> Any:
        fixings.append(1)
        return fixable(self, change, incumbent)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(resolve, "FIXING_AFTER_S", 0.0)
        mp.setattr(resolve.PartResolver, "_fixable", counted)
        plan = solve(s2)
        if plan.status != "optimal":
            return
        rows = plan.explain_all()
    event(f"re-solves that fixed arcs: {min(len(fixings), 3)}+")
    arcs = plan.arcs
    assert arcs is not None and plan.objective is not None
    assert highs_with_budgets(s2, arcs) == plan.objective
    for _, row in rows.iterrows():
        new = oracle_cost(s2, plan, row, highs_with_budgets)
        if new is None:
            assert row["cost_status"] == "impossible", row.to_dict()
            continue
        assert row["cost_status"] == "exact", row.to_dict()
        assert row["cost"] == new, row.to_dict()


# -- the words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "filling this post would cost 46 million VND; 4 million are left"),
        ("vi", "bố trí vị trí này sẽ tốn 46 triệu đồng; ngân sách chỉ còn 4 triệu"),
    ],
)
def test_explanation_says_the_budget_keeps_the_post_empty(lang: str, words: str) -> None:
    plan = solve(two_provinces(80_000_000))
    empty = plan.unmet["need_id"].item()
    idle = ({"a", "b"} - set(plan.assignments["official_id"])).pop()
    text = str(plan.explain(need=empty, lang=lang))
    assert words in text, text
    assert words in str(plan.explain(official=idle, lang=lang))


def test_conflict_names_the_budget() -> None:
    s = two_provinces(45_999_000).replace(
        needs=[need("i1", mandatory=True), need("i2"), need("l1", commune_id="c2", field="land")]
    )
    plan = solve(s)
    assert plan.status == "infeasible"
    assert {r.kind for r in plan.conflicts} == {"budget", "mandatory_need"}
    assert "allowance budget of the whole scenario (45,999,000 VND)" in plan.message


# -- input --------------------------------------------------------------------------------


def test_budgets_table_names_a_known_province_once() -> None:
    s = two_provinces(None)
    with pytest.raises(ScenarioError) as err:
        s.replace(
            budgets=(
                ProvinceBudget(province="Nowhere", budget=1),
                ProvinceBudget(province="Q", budget=1),
                ProvinceBudget(province="Q", budget=2),
            )
        )
    problems = err.value.problems
    assert [(p.table, p.row, p.column, p.id) for p in problems] == [
        ("budgets", 2, "province", "Nowhere"),
        ("budgets", 4, "province", "Q"),
    ]


def test_budgets_and_rates_round_trip_through_every_file_form(tmp_path: Path) -> None:
    from staffopt.io import load_scenario

    s = two_provinces(40_000_000, (ProvinceBudget(province="Q", budget=10_000_000),))
    for name in ("csv", "s.xlsx", "s.json"):
        path = tmp_path / name
        s.save(path)
        back = load_scenario(path)
        assert back.budgets == s.budgets
        assert back.policy == s.policy


# -- the one-off allowance is paid once per commune ------------------------------------


def _serving_a_in_c1() -> Scenario:
    """two_provinces with official a already serving in c1 (zone III)."""
    s = two_provinces(None)
    officials = [
        o.model_copy(update={"current_communes": ("c1",)}) if o.official_id == "a" else o
        for o in s.officials
    ]
    return s.replace(officials=officials)


def test_arc_costs_skip_the_one_off_where_the_official_serves_already() -> None:
    p = PRICED
    cost = arc_costs(p, zone_codes(["III", "III"]), [8.0, 8.0], [6, 6], [True, False])
    assert cost.tolist() == [IT_POST - 10_000_000, IT_POST]


def test_an_official_kept_where_they_serve_costs_no_second_one_off() -> None:
    s = _serving_a_in_c1()
    arcs, _ = candidates(s)
    cost = {
        (o, n): int(c) for o, n, c in zip(arcs.official_id, arcs.need_id, arcs.cost, strict=True)
    }
    assert cost[("a", "i1")] == cost[("a", "i2")] == IT_POST - 10_000_000  # 36,000,000
    assert cost[("b", "i1")] == IT_POST  # b arrives: the one-off is due
    assert cost[("c", "l1")] == LAND_POST  # zone II: no one-off anyway
    # The budget sees it: a (36 million) and the land post (30) fit in 66
    # million; with a new arrival (46 + 30) only one post would.
    s66 = s.with_policy(budget=66_000_000)
    plan = solve(s66)
    assert plan.status == "optimal" and plan.objective == 200
    assert solve(two_provinces(66_000_000)).objective == 100
    assert_checked(s66, plan)
    # The checker re-derives the same cost: charging a the one-off again is a
    # cost mismatch, and without the column the same pairs break the budget.
    bad = plan.assignments.copy()
    bad.loc[bad["official_id"] == "a", "cost"] = IT_POST
    assert "cost_mismatch" in {v.rule for v in check(s66, bad)}
    moved = plan.assignments.drop(columns="cost")
    assert check(s66, moved) == []
    s_new = two_provinces(66_000_000)  # nobody serving yet: 46 + 30 > 66 million
    assert "budget" in {v.rule for v in check(s_new, moved)}


def test_current_communes_must_name_known_communes_and_round_trip(tmp_path: Path) -> None:
    from staffopt.io import load_scenario

    s = _serving_a_in_c1()
    for name in ("csv", "s.xlsx", "s.json"):
        path = tmp_path / name
        s.save(path)
        back = load_scenario(path)
        assert back.official_by_id["a"].current_communes == ("c1",)
        assert back.official_by_id["b"].current_communes == ()
    officials = [
        o.model_copy(update={"current_communes": ("c1", "nowhere")}) if o.official_id == "a" else o
        for o in s.officials
    ]
    with pytest.raises(ScenarioError, match="current_communes") as err:
        s.replace(officials=officials)
    assert "nowhere" in str(err.value)
    a = s.official_by_id["a"].model_dump()
    with pytest.raises(ValueError, match="c1;c2"):
        type(s.official_by_id["a"]).model_validate({**a, "current_communes": 5})
    assert type(s.official_by_id["a"]).model_validate(
        {**a, "current_communes": " c1 ; ;c1;c2 "}
    ).current_communes == ("c1", "c2")


def test_bad_budgets_file_names_every_problem_at_once(tmp_path: Path) -> None:
    from staffopt.io import load_scenario

    folder = tmp_path / "s"
    two_provinces(None).save(folder)
    (folder / "budgets.csv").write_text(
        "province,budget\nNowhere,1000\nQ,abc\nP,-5\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    found = [(p.row, p.column, p.message) for p in err.value.problems]
    assert found == [
        (2, "province", "unknown province"),
        (3, "budget", "not a whole number"),
        (4, "budget", "out of range"),
    ]
    assert all(str(p).startswith(str(folder / "budgets.csv")) for p in err.value.problems)


def test_the_worst_budget_row_fits_cp_sat() -> None:
    """schema/limits.py's arithmetic: the largest cost of 10**8 arcs in one row, and the
    largest budget, stay below CP-SAT's 2**62 in thousands of VND."""
    from staffopt.schema.limits import (
        COST_UNIT,
        CPSAT_SUM_LIMIT,
        MAX_BUDGET_VND,
        MAX_VND,
        MAX_VND_PER_KM,
        MODEL_ARCS,
        worst_arc_cost,
    )

    worst = worst_arc_cost()
    assert 1.7e10 < worst < 1.9e10
    assert worst * MODEL_ARCS < CPSAT_SUM_LIMIT
    assert MAX_BUDGET_VND // COST_UNIT < CPSAT_SUM_LIMIT
    rich = Policy(
        one_off_allowance={z: MAX_VND for z in Zone},
        monthly_allowance={z: MAX_VND for z in Zone},
        travel_allowance_per_month=MAX_VND,
        housing_allowance_per_month=MAX_VND,
        travel_allowance_per_km=MAX_VND_PER_KM,
    )
    [cost] = arc_costs(rich, zone_codes(["III"]), [200_151.0], [36]).tolist()
    assert cost // COST_UNIT <= worst
