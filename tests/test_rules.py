"""Eligibility: each rule of the catalogue alone, distances, provinces, the protected rule.

Every scenario has one official ``o1`` and one need ``n1`` of the same field
unless said otherwise, so the only question is whether the single pair is an
arc or an exclusion, and which rule, value and limit the exclusion names.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from helpers import BASE_100, agency, commune, need, official, scenario, solve_checked

from staffopt import Scenario
from staffopt.eligibility import candidates
from staffopt.rules import RULE_BY_CODE, RULES

NAN = math.nan


def _one_pair(**kw: object) -> Scenario:
    """o1 -> n1 with official fields ``o_*``, need fields ``n_*``, else scenario args."""
    o_kw = {k[2:]: v for k, v in kw.items() if k.startswith("o_")}
    n_kw = {k[2:]: v for k, v in kw.items() if k.startswith("n_")}
    s_kw = {k: v for k, v in kw.items() if not k.startswith(("o_", "n_"))}
    return scenario([official("o1", **o_kw)], [need("n1", **n_kw)], **s_kw)  # type: ignore[arg-type]


#: Two communes 20 km apart (straight line) for the home-commune rules.
TWO_PLACES = [commune("c1", lat=21.0, lon=103.0), commune("c2", lat=21.18, lon=103.0)]

#: rule code -> (scenario that breaks only this rule, expected value, expected limit)
CASES: dict[str, tuple[Callable[[], Scenario], float, float]] = {
    "unavailable": (lambda: _one_pair(o_available=False), NAN, NAN),
    "forbidden": (lambda: _one_pair(locks=[("o1", "n1", "forbid")]), NAN, NAN),
    "protected": (lambda: _one_pair(o_protected=True), NAN, NAN),
    "skill_level": (lambda: _one_pair(o_skills="it:1", n_min_level=3), 1, 3),
    "workload": (lambda: _one_pair(o_capacity=0.5, n_workload=0.8), 0.8, 0.5),
    "max_km": (
        lambda: _one_pair(
            distances=[("o1", "c1", 25.0)], policy=BASE_100.model_copy(update={"max_km": 10.0})
        ),
        25.0,
        10.0,
    ),
    "personal_max_km": (lambda: _one_pair(o_max_km=12.5, distances=[("o1", "c1", 40.0)]), 40, 12.5),
    "term": (lambda: _one_pair(o_months_seconded_before=31, n_months=6), 37, 36),
    "record": (
        lambda: _one_pair(
            o_years_rated_well=2, policy=BASE_100.model_copy(update={"min_years_rated_well": 3})
        ),
        2,
        3,
    ),
    "language": (lambda: _one_pair(o_languages="Hmông", n_language="Thái"), NAN, NAN),
    "local_only": (
        lambda: _one_pair(o_kind="local", o_home_commune_id="c2", communes=TWO_PLACES),
        NAN,
        NAN,
    ),
    "home": (
        lambda: _one_pair(
            o_home_commune_id="c1",
            communes=TWO_PLACES,
            policy=BASE_100.model_copy(update={"home_commune": "forbid"}),
        ),
        NAN,
        NAN,
    ),
}


def test_every_rule_of_the_catalogue_has_a_case() -> None:
    assert set(CASES) == {r.code for r in RULES}


@pytest.mark.parametrize("code", [r.code for r in RULES])
def test_rule_alone_excludes_the_pair(code: str) -> None:
    build, value, limit = CASES[code]
    s = build()
    arcs, ex = candidates(s)
    assert arcs.empty
    assert len(ex) == 1
    row = ex.iloc[0]
    assert (row["official_id"], row["need_id"]) == ("o1", "n1")
    assert row["rule"] == code
    assert row["rules"] == code  # no other rule applies
    np.testing.assert_equal(row["value"], value)
    np.testing.assert_equal(row["limit"], limit)
    assert RULE_BY_CODE[code].title() in row["detail"]
    # The solver then has nothing to assign; the need is unmet for want of a candidate.
    plan = solve_checked(s)
    assert plan.status == "optimal" and plan.objective == 0
    assert plan.unmet["reason"].tolist() == ["no_eligible_candidate"]


@pytest.mark.parametrize("code", [r.code for r in RULES])
def test_rule_not_triggered_at_its_limit(code: str) -> None:
    """The same pair on the right side of each limit is an arc (limits are inclusive)."""
    fixed = {
        "unavailable": lambda: _one_pair(o_available=True),
        "forbidden": lambda: _one_pair(locks=[("o1", "n1", "lock")]),
        "protected": lambda: _one_pair(o_protected=False),
        "skill_level": lambda: _one_pair(o_skills="it:3", n_min_level=3),
        "workload": lambda: _one_pair(o_capacity=0.8, n_workload=0.8),
        "max_km": lambda: _one_pair(
            distances=[("o1", "c1", 10.0)], policy=BASE_100.model_copy(update={"max_km": 10.0})
        ),
        "personal_max_km": lambda: _one_pair(o_max_km=40.0, distances=[("o1", "c1", 40.0)]),
        "term": lambda: _one_pair(o_months_seconded_before=30, n_months=6),
        "record": lambda: _one_pair(
            o_years_rated_well=3, policy=BASE_100.model_copy(update={"min_years_rated_well": 3})
        ),
        "language": lambda: _one_pair(o_languages="hmong; THAI", n_language="Thái"),
        "local_only": lambda: _one_pair(
            o_kind="local", o_home_commune_id="c1", communes=TWO_PLACES
        ),
        "home": lambda: _one_pair(
            o_home_commune_id="c1",
            communes=TWO_PLACES,
            policy=BASE_100.model_copy(update={"home_commune": "allow"}),
        ),
    }[code]
    arcs, ex = candidates(fixed())
    assert ex.empty
    assert list(zip(arcs["official_id"], arcs["need_id"], strict=True)) == [("o1", "n1")]


def test_first_rule_in_catalogue_order_is_named_and_all_are_listed() -> None:
    s = _one_pair(
        o_available=False,
        o_skills="it:1",
        n_min_level=2,
        o_max_km=1.0,
        distances=[("o1", "c1", 5.0)],
    )
    _, ex = candidates(s)
    row = ex.iloc[0]
    assert row["rule"] == "unavailable"
    assert row["rules"] == "unavailable;skill_level;personal_max_km"
    assert math.isnan(row["value"]) and math.isnan(row["limit"])


def test_exclusion_detail_text() -> None:
    _, ex = candidates(CASES["skill_level"][0]())
    assert ex.iloc[0]["detail"] == "skill level too low: level 1 < required 3"
    _, ex = candidates(CASES["personal_max_km"][0]())
    detail = ex.iloc[0]["detail"]
    assert detail.startswith("beyond the official's own distance limit: 40 km > limit")


# -- distances ------------------------------------------------------------------------


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _km(s: Scenario) -> dict[tuple[str, str], float]:
    arcs, _ = candidates(s)
    return {
        (o, n): km
        for o, n, km in zip(arcs["official_id"], arcs["need_id"], arcs["distance_km"], strict=True)
    }


TWO_COMMUNES = [commune("c1", lat=21.39, lon=103.02), commune("c2", lat=21.86, lon=102.91)]


def test_distance_haversine_times_road_factor() -> None:
    s = scenario(
        [official("o1", home_lat=21.05, home_lon=103.2)],
        [need("n1", commune_id="c2")],
        communes=TWO_COMMUNES,
        policy=BASE_100.model_copy(update={"road_factor": 1.7}),
    )
    expected = _haversine(21.05, 103.2, 21.86, 102.91) * 1.7
    assert 150 < expected < 170  # a sanity check on the hand computation: ~93.9 km x 1.7
    assert _km(s)[("o1", "n1")] == pytest.approx(expected, rel=1e-12)


def test_distance_from_home_commune_coordinates_and_zero_at_home() -> None:
    s = scenario(
        [official("o1", home_commune_id="c1")],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=TWO_COMMUNES,
    )
    km = _km(s)
    assert km[("o1", "n1")] == 0.0
    assert km[("o1", "n2")] == pytest.approx(_haversine(21.39, 103.02, 21.86, 102.91) * 1.5)


def test_distance_explicit_home_coordinates_win_over_home_commune() -> None:
    s = scenario(
        [official("o1", home_commune_id="c1", home_lat=21.0, home_lon=103.0)],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=TWO_COMMUNES,
    )
    km = _km(s)
    assert km[("o1", "n1")] == 0.0  # works in c1 already
    assert km[("o1", "n2")] == pytest.approx(_haversine(21.0, 103.0, 21.86, 102.91) * 1.5)


def test_distance_override_table_beats_computed_and_home() -> None:
    s = scenario(
        [official("o1", home_commune_id="c1"), official("o2", home_lat=21.0, home_lon=103.0)],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=TWO_COMMUNES,
        distances=[("o1", "c1", 3.5), ("o2", "c2", 77.0)],
    )
    km = _km(s)
    assert km[("o1", "n1")] == 3.5
    assert km[("o2", "n2")] == 77.0
    # Pairs without an override keep the computed distance.
    assert km[("o2", "n1")] == pytest.approx(_haversine(21.0, 103.0, 21.39, 103.02) * 1.5)
    assert km[("o1", "n2")] == pytest.approx(_haversine(21.39, 103.02, 21.86, 102.91) * 1.5)
    solve_checked(s)


def test_travel_points_use_the_distance() -> None:
    s = _one_pair(
        distances=[("o1", "c1", 123.0)],
        policy=BASE_100.model_copy(update={"travel_points_per_km": 0.2}),
    )
    arcs, _ = candidates(s)
    assert arcs["travel_pts"].tolist() == [-round(0.2 * 123.0)]
    assert arcs["score"].tolist() == [100 - 25]


# -- agency province ------------------------------------------------------------------


def test_provincial_agency_pairs_only_within_its_province() -> None:
    s = scenario(
        [official("o1", agency_id="prov"), official("o2", agency_id="central")],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=[commune("c1", province="Dien Bien"), commune("c2", province="Lai Chau")],
        agencies=[agency("prov", province="Dien Bien"), agency("central")],
    )
    arcs, ex = candidates(s)
    pairs = sorted(zip(arcs["official_id"], arcs["need_id"], strict=True))
    assert pairs == [("o1", "n1"), ("o2", "n1"), ("o2", "n2")]
    # The other province's pair is not a candidate at all: not even an exclusion.
    assert ex.empty
    plan = solve_checked(s)
    assert plan.objective == 200


def test_provincial_agency_pairs_of_other_province_not_listed_even_when_excluded() -> None:
    s = scenario(
        [official("o1", agency_id="prov", available=False)],
        [need("n1", commune_id="c1"), need("n2", commune_id="c2")],
        communes=[commune("c1", province="P"), commune("c2", province="Q")],
        agencies=[agency("prov", province="P")],
    )
    arcs, ex = candidates(s)
    assert arcs.empty
    assert ex[["official_id", "need_id", "rule"]].values.tolist() == [["o1", "n1", "unavailable"]]


# -- the protected-person rule --------------------------------------------------------


@pytest.mark.parametrize(
    ("official_kw", "policy_kw", "excluded"),
    [
        ({"protected": True}, {}, True),
        ({"protected": True, "volunteer": True}, {}, False),
        ({"protected": True, "volunteer": True}, {"protected_may_volunteer": False}, True),
        ({"protected": False, "volunteer": True}, {"protected_may_volunteer": False}, False),
        ({"protected": True, "category": "civil_servant"}, {}, True),
        (
            {"protected": True, "category": "civil_servant"},
            {"protect_civil_servants": False},
            False,
        ),
        (
            {"protected": True, "category": "public_employee"},
            {"protect_civil_servants": False},
            True,
        ),
    ],
    ids=[
        "protected",
        "volunteer-waives",
        "volunteer-not-allowed",
        "not-protected",
        "civil-servant-protected",
        "civil-servant-exempt",
        "public-employee-still-protected",
    ],
)
def test_protected_rule(
    official_kw: dict[str, object], policy_kw: dict[str, object], excluded: bool
) -> None:
    s = scenario(
        [official("o1", **official_kw)],
        [need("n1")],
        policy=BASE_100.model_copy(update=policy_kw),
    )
    arcs, ex = candidates(s)
    if excluded:
        assert arcs.empty
        assert ex["rule"].tolist() == ["protected"]
    else:
        assert ex.empty
        assert len(arcs) == 1
    plan = solve_checked(s)
    assert plan.objective == (0 if excluded else 100)


def test_exclusions_and_arcs_partition_the_field_matching_pairs() -> None:
    s = scenario(
        [
            official("o1", skills="it:1;land:2"),
            official("o2", skills="it:3", protected=True),
            official("o3", skills="land:1", available=False),
        ],
        [need("n1", min_level=2), need("n2", field="land"), need("n3", field="health")],
    )
    arcs, ex = candidates(s)
    got = pd.concat(
        [arcs[["official_id", "need_id"]], ex[["official_id", "need_id"]]], ignore_index=True
    )
    assert sorted(map(tuple, got.values.tolist())) == [
        ("o1", "n1"),
        ("o1", "n2"),
        ("o2", "n1"),
        ("o3", "n2"),
    ]
    assert dict(zip(ex["official_id"], ex["rule"], strict=True)) == {
        "o1": "skill_level",
        "o2": "protected",
        "o3": "unavailable",
    }


# -- the catalogue of rules and constraints -----------------------------------------


def test_catalogue_lists_every_rule_then_every_constraint_piece() -> None:
    from staffopt.model.constraints import CONSTRAINTS
    from staffopt.rules import catalogue

    cat = catalogue()
    rules = cat[cat["kind"] == "rule"]["name"].tolist()
    pieces = cat[cat["kind"] == "constraint"]["name"].tolist()
    assert rules == [r.code for r in RULES]
    assert pieces == [f.__name__ for f in CONSTRAINTS]
    assert len(cat) == len(RULES) + len(CONSTRAINTS)


def test_catalogue_names_real_policy_keys_and_columns() -> None:
    from staffopt import Policy
    from staffopt.rules import ENTRIES
    from staffopt.schema import RECORD_TYPES

    for e in ENTRIES:
        assert set(e.policy_keys) <= set(Policy.model_fields), e.name
        for col in e.columns:
            table, column = col.split(".")
            assert column in RECORD_TYPES[table].model_fields, (e.name, col)


def test_catalogue_default_is_what_the_default_policy_does() -> None:
    """A rule marked off excludes nothing under the default policy on a pair that
    the switch would exclude; one marked on does."""
    from staffopt import Policy

    default = BASE_100.model_copy(
        update={k: getattr(Policy(), k) for k in ("max_km", "min_years_rated_well")}
    )
    off = {
        "max_km": _one_pair(distances=[("o1", "c1", 10_000.0)], policy=default),
        "record": _one_pair(o_years_rated_well=0, policy=default),
        "home": _one_pair(o_home_commune_id="c1", communes=TWO_PLACES, policy=default),
    }
    for code, s in off.items():
        assert candidates(s)[1].empty, code
    from staffopt.rules import ENTRIES

    marked = {e.name: e.default_on for e in ENTRIES}
    assert not any(marked[c] for c in off)
    assert marked["term"] and marked["language"] and marked["local_only"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_catalogue_text_in_both_languages(lang: str) -> None:
    from staffopt.rules import catalogue, catalogue_text

    cat = catalogue(lang)
    assert cat[["title", "what", "source", "default"]].map(bool).all().all()
    text = catalogue_text(lang)
    for name in cat["name"]:
        assert f"\n{name} (" in f"\n{text}"
    if lang == "vi":
        assert "Nghị định 170/2025" in text and "mặc định bật" in text
    else:
        assert "Decree 170/2025 art. 26" in text


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    from staffopt.cli import main

    assert main(["rules", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "local_only" in out and "biệt phái tại chỗ" in out
    assert main(["rules"]) == 0
    assert "min_years_rated_well" in capsys.readouterr().out
