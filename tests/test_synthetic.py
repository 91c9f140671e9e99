"""The seeded synthetic scenario generator (staffopt.scenarios.synthetic)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from staffopt.eligibility import candidates
from staffopt.scenarios.synthetic import PROVINCES, synthetic
from staffopt.schema import Scenario, cross_check
from staffopt.solver import choose_engine, solve


@pytest.fixture(scope="module")
def province() -> Scenario:
    return synthetic("province", seed=0)


@pytest.fixture(scope="module")
def large() -> Scenario:
    return synthetic("large", seed=0)


def test_the_34_provinces_have_3321_units() -> None:
    assert len(PROVINCES) == 34
    assert sum(p.communes for p in PROVINCES) == 3321
    assert len({p.name for p in PROVINCES}) == 34
    assert len({p.slug for p in PROVINCES}) == 34


@pytest.mark.parametrize("scale", ["province", "large"])
def test_deterministic_for_a_seed(scale: str) -> None:
    assert synthetic(scale, seed=7) == synthetic(scale, seed=7)  # type: ignore[arg-type]


def test_part_time_and_subset_deterministic() -> None:
    a = synthetic("province", seed=3, part_time_share=0.3)
    assert a == synthetic("province", seed=3, part_time_share=0.3)
    assert synthetic("nation", seed=1, provinces=2) == synthetic("nation", seed=1, provinces=2)


def test_different_seeds_differ() -> None:
    a, b = synthetic("province", seed=0), synthetic("province", seed=1)
    assert a != b
    assert a.officials != b.officials
    assert a.needs != b.needs


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale": "province"},
        {"scale": "province", "part_time_share": 0.4, "floor_share": 0.05},
        {"scale": "nation", "provinces": 2},
        {"scale": "province", "province": "Hưng Yên", "communes": 30, "slots": 60},
    ],
)
def test_valid_scenarios(kwargs: dict[str, object]) -> None:
    s = synthetic(**kwargs)  # type: ignore[arg-type]
    assert cross_check(s) == []
    # A full round trip through validation gives the same scenario.
    again = Scenario.model_validate(s.model_dump())
    assert again == s
    assert all(a.province is not None for a in s.agencies)
    assert all(o.capacity == 1.0 for o in s.officials)


def test_province_sizes(province: Scenario) -> None:
    s = province
    assert len(s.communes) == 45
    assert len(s.officials) == 300
    assert sum(n.slots for n in s.needs) == 150
    assert 100 <= len(s.needs) <= 150
    arcs, exclusions = candidates(s)
    pairs = len(arcs) + len(exclusions)
    assert 3_500 <= pairs <= 7_000, pairs
    assert 2_500 <= len(arcs) <= pairs
    assert {c.province for c in s.communes} == {"Điện Biên"}
    assert s.policy.road_factor == 1.8  # a mountain province


def test_large_sizes(large: Scenario) -> None:
    s = large
    assert len(s.communes) == 148
    assert len(s.officials) == 2500
    assert sum(n.slots for n in s.needs) == 700
    arcs, _ = candidates(s)
    assert 60_000 <= len(arcs) <= 125_000, len(arcs)


def test_nation_subset_scales_and_stays_inside_provinces() -> None:
    s = synthetic("nation", seed=2, provinces=2)
    names = {c.province for c in s.communes}
    assert names == {"Hà Nội", "Huế"}
    assert len(s.communes) == 126 + 40
    slots = sum(n.slots for n in s.needs)
    assert slots == round(15_000 * 166 / 3321)
    assert len(s.officials) == round(40_000 * 166 / 3321)
    arcs, exclusions = candidates(s)
    prov_of_commune = {c.commune_id: c.province for c in s.communes}
    prov_of_agency = {a.agency_id: a.province for a in s.agencies}
    agency_of = {o.official_id: o.agency_id for o in s.officials}
    for frame in (arcs, exclusions):
        commune = frame["need_id"].map({n.need_id: n.commune_id for n in s.needs})
        sent = frame["official_id"].map(agency_of).map(prov_of_agency)
        assert (commune.map(prov_of_commune) == sent).all()


def test_zone_shares_follow_terrain(province: Scenario) -> None:
    mountain = Counter(c.zone.value for c in province.communes)
    assert mountain["III"] >= 0.7 * len(province.communes)
    delta = synthetic("province", province="Hưng Yên")
    zones = Counter(c.zone.value for c in delta.communes)
    assert zones["I"] + zones["II"] >= 0.75 * len(delta.communes)
    # The capital (first commune) is zone I and most officials live in zone I.
    assert province.communes[0].zone.value == "I"
    zone_of = {c.commune_id: c.zone.value for c in province.communes}
    homes = Counter(zone_of[o.home_commune_id or ""] for o in province.officials)
    assert homes["I"] > homes["III"]


def test_remote_communes_need_more(province: Scenario) -> None:
    zone_of = {c.commune_id: c.zone.value for c in province.communes}
    per_zone = Counter(zone_of[n.commune_id] for n in province.needs for _ in range(n.slots))
    n_zone = Counter(zone_of.values())
    assert per_zone["III"] / n_zone["III"] > per_zone["I"] / n_zone["I"]


def test_part_time_share() -> None:
    s = synthetic("province", seed=0, part_time_share=0.5)
    loads = np.array([n.workload for n in s.needs])
    part = loads < 1
    assert 0.3 < part.mean() < 0.7
    assert ((loads[part] >= 0.2) & (loads[part] <= 0.5)).all()
    assert all(n.workload == 1.0 for n in synthetic("province", seed=0).needs)


def test_engines(province: Scenario) -> None:
    arcs, _ = candidates(province)
    assert choose_engine(province, arcs, province.options).engine == "flow"
    pt = synthetic("province", seed=0, part_time_share=0.3)
    arcs, _ = candidates(pt)
    choice = choose_engine(pt, arcs, pt.options)
    assert choice.engine == "cpsat"
    assert "part-time" in choice.reason


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="unknown override"):
        synthetic("province", colour="red")
    with pytest.raises(ValueError, match="nation"):
        synthetic("province", provinces=2)
    with pytest.raises(ValueError, match="unknown scale"):
        synthetic("planet")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="part_time_share"):
        synthetic("province", part_time_share=1.5)
    with pytest.raises(ValueError, match="unknown province"):
        synthetic("province", province="Atlantis")


@pytest.mark.parametrize("part_time_share", [0.0, 0.3])
def test_small_scenario_solves_and_checks(part_time_share: float) -> None:
    check = pytest.importorskip("staffopt.checker")
    s = synthetic(
        "province",
        seed=4,
        part_time_share=part_time_share,
        communes=12,
        slots=40,
        officials=80,
        time_limit_s=10,
    )
    plan = solve(s)
    assert plan.status in ("optimal", "feasible")
    assert len(plan.assignments) > 0
    assert check.check(s, plan) == []
    expected = "flow" if part_time_share == 0 else "cpsat"
    assert plan.solver.engine == expected
