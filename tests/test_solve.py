"""solve(): known optima, one test per constraint piece, the score, unmet reasons, plan facts.

Tiny scenarios use ``helpers.BASE_100``: every pair scores exactly
``100 + affinity`` (all weights 0, everybody at the same spot), so each
expected objective below is a sum the reader can do by hand. Every plan with
a solution is run through the independent checker (``helpers.solve_checked``).
"""

from __future__ import annotations

import math

import ortools
import pandas as pd
import pytest
from helpers import (
    BASE_100,
    agency,
    commune,
    cost_scenario,
    need,
    official,
    scenario,
    solve_checked,
)

from staffopt import Policy
from staffopt.checker import check
from staffopt.plan import load_plan

# -- known answers from the OR-Tools assignment guides (objective = -min cost) ---------

BASIC = [
    [90, 80, 75, 70],
    [35, 85, 55, 65],
    [125, 95, 90, 95],
    [45, 110, 95, 115],
    [50, 100, 90, 100],
]
TEAMS = [
    [90, 76, 75, 70],
    [35, 85, 55, 65],
    [125, 95, 90, 105],
    [45, 110, 95, 115],
    [60, 105, 80, 75],
    [45, 65, 110, 95],
]
TASK_SIZES = [
    [90, 76, 75, 70, 50, 74, 12, 68],
    [35, 85, 55, 65, 48, 101, 70, 83],
    [125, 95, 90, 105, 59, 120, 36, 73],
    [45, 110, 95, 115, 104, 83, 37, 71],
    [60, 105, 80, 75, 59, 62, 93, 88],
    [45, 65, 110, 95, 47, 31, 81, 34],
    [38, 51, 107, 41, 69, 99, 115, 48],
    [47, 85, 57, 71, 92, 77, 109, 36],
    [39, 63, 97, 49, 118, 56, 92, 61],
    [47, 101, 71, 60, 88, 109, 52, 90],
]


def test_ortools_basic_assignment_min_cost_265() -> None:
    s = cost_scenario(BASIC)
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == -265
    assert len(plan.assignments) == 4


def test_ortools_teams_at_most_two_per_team_min_cost_250() -> None:
    s = cost_scenario(TEAMS, agency_of=[0, 1, 0, 1, 0, 1], max_release=[2, 2])
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == -250
    per_agency = plan.metrics["officials_used_by_agency"]
    assert per_agency["a0"] <= 2 and per_agency["a1"] <= 2


def test_ortools_task_sizes_capacity_15_min_cost_326() -> None:
    s = cost_scenario(TASK_SIZES, workloads=[10, 7, 3, 12, 15, 4, 11, 5], capacity=15)
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == -326
    assert len(plan.assignments) == 8


# -- official_capacity ----------------------------------------------------------------


def test_capacity_two_half_time_loads_fit_one_official() -> None:
    s = scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        affinity={("o1", "n1"): 10, ("o1", "n2"): 20},
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == 110 + 120
    assert sorted(plan.assignments["need_id"]) == ["n1", "n2"]


def test_capacity_loads_0_5_and_0_6_do_not_fit_together() -> None:
    s = scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.6)],
        affinity={("o1", "n1"): 10, ("o1", "n2"): 20},
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == 120
    assert plan.assignments["need_id"].tolist() == ["n2"]


def test_capacity_part_time_official_0_5_takes_one_half_time_need() -> None:
    s = scenario(
        [official("o1", capacity=0.5)],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        affinity={("o1", "n1"): 30, ("o1", "n2"): 20},
    )
    plan = solve_checked(s)
    assert plan.objective == 130


# -- need_slots -----------------------------------------------------------------------


def test_slots_cap_the_people_a_need_gets() -> None:
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1", slots=2)],
        affinity={("o1", "n1"): 30, ("o2", "n1"): 20, ("o3", "n1"): 10},
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == 130 + 120
    assert sorted(plan.assignments["official_id"]) == ["o1", "o2"]


# -- mandatory_need -------------------------------------------------------------------


@pytest.mark.parametrize(("mandatory", "expected"), [(False, 0), (True, -50)])
def test_mandatory_need_forces_a_negative_score_arc(mandatory: bool, expected: int) -> None:
    s = scenario([official("o1")], [need("n1", mandatory=mandatory)], affinity={("o1", "n1"): -150})
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == expected
    assert len(plan.assignments) == (1 if mandatory else 0)


def test_mandatory_need_without_candidate_is_infeasible_and_named() -> None:
    s = scenario(
        [official("o1", skills="it:2")],
        [need("n1"), need("n2", field="land", mandatory=True)],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert plan.objective is None
    assert [(c.kind, c.id) for c in plan.conflicts] == [("mandatory_need", "n2")]
    assert "n2" in plan.message


def test_mandatory_need_with_too_few_candidates_is_infeasible() -> None:
    s = scenario([official("o1")], [need("n1", slots=2, mandatory=True)])
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert [(c.kind, c.id) for c in plan.conflicts] == [("mandatory_need", "n1")]


# -- agency_floor ---------------------------------------------------------------------


@pytest.mark.parametrize(("floor", "expected"), [(0, 0), (1, -50)])
def test_agency_floor_forces_a_release(floor: int, expected: int) -> None:
    s = scenario(
        [official("o1")],
        [need("n1")],
        agencies=[agency("a1", min_release=floor)],
        affinity={("o1", "n1"): -150},
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == expected


def test_agency_floor_counts_people_not_assignments() -> None:
    # a1 must release 2 people; o1 alone could fill both half-time needs better.
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        agencies=[agency("a1", min_release=2)],
        affinity={("o1", "n1"): 50, ("o1", "n2"): 50, ("o2", "n1"): 0, ("o2", "n2"): 0},
    )
    plan = solve_checked(s)
    assert plan.objective == 150 + 100
    assert plan.assignments["official_id"].nunique() == 2


def test_agency_floor_that_cannot_be_met_is_infeasible_and_names_the_agency() -> None:
    # Two people with arcs but only one slot: a floor of 2 cannot hold.
    s = scenario(
        [official("o1"), official("o2"), official("o3", agency_id="a2")],
        [need("n1")],
        agencies=[agency("a1", min_release=2), agency("a2")],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert [(c.kind, c.id) for c in plan.conflicts] == [("agency_floor", "a1")]
    assert "a1" in plan.message


def test_agency_floor_above_the_officials_with_arcs_is_infeasible_not_an_error() -> None:
    s = scenario(
        [official("o1"), official("o2", skills="land:1")],
        [need("n1", slots=2)],
        agencies=[agency("a1", headcount=2, min_release=2)],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert [(c.kind, c.id) for c in plan.conflicts] == [("agency_floor", "a1")]


def test_agency_floor_with_no_official_eligible_is_infeasible_not_an_error() -> None:
    s = scenario(
        [official("o1"), official("o2", agency_id="a2", available=False)],
        [need("n1")],
        agencies=[agency("a1"), agency("a2", headcount=1, min_release=1)],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert [(c.kind, c.id) for c in plan.conflicts] == [("agency_floor", "a2")]


# -- agency_ceiling -------------------------------------------------------------------

CEILING_AFFINITY = {("o1", "n1"): 10, ("o2", "n2"): 20, ("o1", "n2"): 0, ("o2", "n1"): 0}


@pytest.mark.parametrize(
    ("ceiling", "expected"),
    [
        (None, 110 + 120),  # headcount 2: both go
        (1, 120),  # one person: o2 -> n2
        (0, 0),
    ],
)
def test_agency_ceiling_caps_people_released(ceiling: int | None, expected: int) -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1"), need("n2")],
        agencies=[agency("a1", headcount=2, max_release=ceiling)],
        affinity=CEILING_AFFINITY,
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == expected


def test_agency_ceiling_defaults_to_headcount() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1"), need("n2")],
        agencies=[agency("a1", headcount=1)],
        affinity=CEILING_AFFINITY,
    )
    plan = solve_checked(s)
    assert plan.objective == 120


def test_agency_ceiling_counts_a_part_time_official_with_two_assignments_once() -> None:
    # Ceiling 1 person; o2 takes both half-time needs: 120 + 100 beats o1 with both (210).
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        agencies=[agency("a1", headcount=2, max_release=1)],
        affinity=CEILING_AFFINITY,
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == 220
    assert plan.assignments["official_id"].tolist() == ["o2", "o2"]
    assert plan.metrics["officials_used_by_agency"] == {"a1": 1}


# -- locks and forbids ----------------------------------------------------------------


def test_lock_forces_its_pair() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 0, ("o2", "n1"): 50},
    )
    assert solve_checked(s).objective == 150
    locked = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 0, ("o2", "n1"): 50},
        locks=[("o1", "n1", "lock")],
    )
    plan = solve_checked(locked)
    assert plan.status == "optimal"
    assert plan.objective == 100
    assert plan.assignments[["official_id", "need_id"]].values.tolist() == [["o1", "n1"]]


def test_lock_forces_a_negative_score_pair() -> None:
    s = scenario(
        [official("o1")],
        [need("n1")],
        affinity={("o1", "n1"): -130},
        locks=[("o1", "n1", "lock")],
    )
    assert solve_checked(s).objective == -30


@pytest.mark.parametrize(
    "why",
    ["skill_level", "unavailable", "other_field"],
)
def test_lock_on_an_excluded_pair_is_infeasible_and_names_the_lock(why: str) -> None:
    kw: dict[str, object] = {
        "skill_level": {"skills": "it:1"},
        "unavailable": {"available": False},
        "other_field": {"skills": "land:3"},
    }[why]
    s = scenario(
        [official("o1", **kw), official("o2")],
        [need("n1", min_level=2)],
        locks=[("o1", "n1", "lock")],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert [(c.kind, c.id) for c in plan.conflicts] == [("lock", "o1->n1")]
    assert "o1" in plan.message


def test_forbid_removes_the_pair_and_records_the_exclusion() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        affinity={("o1", "n1"): 0, ("o2", "n1"): 50},
        locks=[("o2", "n1", "forbid")],
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == 100
    arcs = plan.arcs
    assert arcs is not None and plan.exclusions is not None
    assert list(zip(arcs["official_id"], arcs["need_id"], strict=True)) == [("o1", "n1")]
    ex = plan.exclusions
    assert ex[["official_id", "need_id", "rule", "rules"]].values.tolist() == [
        ["o2", "n1", "forbidden", "forbidden"]
    ]


def test_two_locks_on_one_slot_conflict() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1")],
        locks=[("o1", "n1", "lock"), ("o2", "n1", "lock")],
    )
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert sorted(c.id for c in plan.conflicts) == ["o1->n1", "o2->n1"]


def test_requirements_that_fail_alone_are_named_without_a_search() -> None:
    """A floor above the agency's reachable officials, a mandatory need short of
    candidates: each is a conflict on its own, found by counting."""
    from staffopt.eligibility import candidates
    from staffopt.solver.conflicts import requirement_that_cannot_hold

    floor = scenario(
        [official("o1"), official("o2", skills="land:2"), official("o3", skills="land:2")],
        [need("n1")],
        agencies=[agency("a1", headcount=10, max_release=3, min_release=2)],
    )
    short = scenario([official("o1"), official("o2")], [need("n1", slots=3, mandatory=True)])
    for s, expected in ((floor, ("agency_floor", "a1")), (short, ("mandatory_need", "n1"))):
        arcs, _ = candidates(s)
        assert requirement_that_cannot_hold(s, arcs, None) is not None
        plan = solve_checked(s)
        assert plan.status == "infeasible"
        assert [(c.kind, c.id) for c in plan.conflicts] == [expected]


# -- the score formula with the default policy ----------------------------------------


def test_score_of_one_pair_by_hand_with_the_default_policy() -> None:
    pol = Policy()
    s = scenario(
        [
            official("o1", skills="it:2;land:3", home_lat=21.0, home_lon=103.0),
            official("o2", skills="land:1", home_lat=21.0, home_lon=103.0),
        ],
        [
            need("n1", commune_id="c3", criticality=3),
            need("n2", commune_id="c1", field="land", criticality=1),
        ],
        communes=[
            commune("c1", zone="II", lat=21.2, lon=103.1),
            commune("c3", zone="III", border=True, lat=22.0, lon=102.5),
        ],
        affinity={("o1", "n1"): 7},
        distances=[("o1", "c3", 30.0)],
        policy=pol,
    )
    plan = solve_checked(s)
    assert plan.status == "optimal"
    a = plan.assignments.set_index(["official_id", "need_id"])
    # base 100 + zone III 40 + criticality 3 30 + level 2 10 + border 10 + affinity 7
    # - round(0.2 * 30 km) = 6
    assert a.loc[("o1", "n1"), "score"] == 100 + 40 + 30 + 10 + 10 + 7 - 6 == 191
    assert a.loc[("o1", "n1"), "distance_km"] == 30.0
    # o2 -> n2: computed distance, zone II, criticality 1, level 1, no border.
    km = _haversine(21.0, 103.0, 21.2, 103.1) * pol.road_factor
    assert a.loc[("o2", "n2"), "distance_km"] == pytest.approx(km, rel=1e-9)
    assert a.loc[("o2", "n2"), "score"] == 100 + 20 + 0 + 0 - round(0.2 * km)
    assert plan.objective == plan.assignments["score"].sum() == 191 + 120 - round(0.2 * km)
    # The arcs frame's parts add up to the score.
    arcs = plan.arcs
    assert arcs is not None
    parts = [
        "base_pts",
        "zone_pts",
        "criticality_pts",
        "level_pts",
        "border_pts",
        "affinity",
        "travel_pts",
    ]
    assert (arcs[parts].sum(axis=1) == arcs["score"]).all()


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# -- unmet reasons --------------------------------------------------------------------


def _reasons(plan: object) -> dict[str, str]:
    unmet = plan.unmet  # type: ignore[attr-defined]
    return dict(zip(unmet["need_id"], unmet["reason"], strict=True))


def test_unmet_no_eligible_candidate() -> None:
    s = scenario([official("o1", skills="it:1")], [need("n1"), need("n2", min_level=2)])
    plan = solve_checked(s)
    assert plan.objective == 100
    assert _reasons(plan) == {"n2": "no_eligible_candidate"}


def test_unmet_candidates_taken() -> None:
    s = scenario(
        [official("o1")],
        [need("n1"), need("n2")],
        affinity={("o1", "n1"): 10, ("o1", "n2"): 0},
    )
    plan = solve_checked(s)
    assert plan.objective == 110
    assert _reasons(plan) == {"n2": "candidates_taken"}


def test_unmet_slots_beyond_every_candidate_means_no_further_candidate() -> None:
    # Every eligible candidate already fills a slot here: no further one exists.
    s = scenario([official("o1")], [need("n1", slots=3)])
    plan = solve_checked(s)
    assert plan.objective == 100
    assert plan.unmet[["need_id", "missing_slots", "reason"]].values.tolist() == [
        ["n1", 2, "no_eligible_candidate"]
    ]


def test_unmet_agency_ceiling() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1"), need("n2")],
        agencies=[agency("a1", headcount=2, max_release=1)],
        affinity=CEILING_AFFINITY,
    )
    plan = solve_checked(s)
    assert plan.objective == 120
    assert _reasons(plan) == {"n1": "agency_ceiling"}


def test_unmet_not_worth_it() -> None:
    s = scenario([official("o1")], [need("n1")], affinity={("o1", "n1"): -101})
    plan = solve_checked(s)
    assert plan.objective == 0
    assert _reasons(plan) == {"n1": "not_worth_it"}


def test_unmet_infeasible_plan_marks_every_short_need() -> None:
    s = scenario([official("o1")], [need("n1"), need("n2", mandatory=True, slots=2)])
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert _reasons(plan) == {"n1": "infeasible", "n2": "infeasible"}
    assert plan.assignments.empty


# -- plan facts -----------------------------------------------------------------------


@pytest.mark.parametrize(("engine", "mandatory"), [("cpsat", True), ("flow", False)])
def test_plan_facts(engine: str, mandatory: bool) -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1", mandatory=mandatory), need("n2")],
        affinity={("o1", "n1"): 5},
    )
    plan = solve_checked(s, BASE_100.model_copy(update={"engine": "auto"}))
    assert plan.status == "optimal"
    assert plan.objective == 205
    assert plan.gap == 0
    assert plan.bound == plan.objective
    assert plan.solver.engine == engine
    assert plan.solver.ortools_version == ortools.__version__
    text = repr(plan)
    assert "optimal" in text and f"engine={engine}" in text and "objective=205" in text
    assert plan.ok
    assert plan.raise_for_status() is plan


def test_infeasible_plan_facts() -> None:
    s = scenario([official("o1")], [need("n1", mandatory=True, field="land")])
    plan = solve_checked(s)
    assert plan.status == "infeasible"
    assert plan.gap is None
    assert "infeasible" in repr(plan)
    assert not plan.ok


def test_plan_save_and_load_round_trip(tmp_path: object) -> None:
    pytest.importorskip("staffopt.io.atomic")
    s = scenario(
        [official("o1"), official("o2", skills="it:3")],
        [need("n1", workload=0.5), need("n2", workload=0.5), need("n3", field="land")],
        affinity={("o1", "n1"): 3, ("o2", "n2"): -7},
        policy=Policy(),
    )
    plan = solve_checked(s)
    assert plan.status == "optimal" and len(plan.assignments) and len(plan.unmet)
    folder = tmp_path / "plan"  # type: ignore[operator]
    plan.save(folder)
    back = load_plan(folder)
    assert back.status == plan.status
    assert back.objective == plan.objective
    assert back.bound == plan.bound
    assert back.policy == plan.policy
    pd.testing.assert_frame_equal(back.assignments, plan.assignments, check_dtype=False)
    pd.testing.assert_frame_equal(back.unmet, plan.unmet, check_dtype=False)
    assert check(s, back) == []
    attached = load_plan(folder, scenario=s)
    assert attached.arcs is not None and len(attached.arcs) == len(plan.arcs)  # type: ignore[arg-type]


def test_package_functions_stay_callable_after_use() -> None:
    """``staffopt.solve`` / ``staffopt.check`` are the functions, before and after use.

    (A submodule of the same name would replace the function on the package
    the moment it is imported: the second ``staffopt.solve(...)`` failed.)
    """
    import subprocess
    import sys

    code = (
        "import staffopt\n"
        "from staffopt.scenarios import dien_bien\n"
        "s = dien_bien()\n"
        "for _ in range(2):\n"
        "    plan = staffopt.solve(s, time_limit_s=5)\n"
        "    assert staffopt.check(s, plan) == []\n"
        "print(callable(staffopt.solve), callable(staffopt.check))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_a_copy_with_other_needs_gets_its_own_frames_and_indices() -> None:
    from staffopt.indices import indices

    s = scenario([official("o1")], [need("n1"), need("n2")])
    assert len(s.frame("needs")) == 2 and len(indices(s).slots) == 2
    fewer = s.model_copy(update={"needs": s.needs[:1]})
    assert len(fewer.frame("needs")) == 1
    assert indices(fewer).need_pos == {"n1": 0}
    assert len(s.frame("needs")) == 2  # the original keeps its own


def test_on_the_spot_counts_people_not_assignments() -> None:
    # o1 lives in c1 and takes both half-time needs there (two assignments, 0 km);
    # o2 lives elsewhere. On the spot: one person.
    s = scenario(
        [
            official("o1", home_commune_id="c1", home_lat=None, home_lon=None),
            official("o2", home_lat=22.0, home_lon=104.0),
        ],
        [need("n1", workload=0.5), need("n2", workload=0.5), need("n3")],
        affinity={("o1", "n1"): 50, ("o1", "n2"): 50},
    )
    plan = solve_checked(s)
    spot = plan.assignments[plan.assignments["distance_km"] == 0]
    assert len(spot) == 2 and set(spot["official_id"]) == {"o1"}
    assert plan.metrics["on_the_spot"] == 1
