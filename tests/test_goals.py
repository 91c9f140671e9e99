"""Ranked goals, fairness floors and the objective terms of a plan (issue 10, part 1).

Every stage's value is checked against a brute force over every subset of
the arcs, with its own feasibility test and its own lexicographic
filtering; every plan passes the independent checker.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from helpers import BASE_100, commune, need, official, scenario
from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_oracle import SETTINGS, scenarios
from test_oracle import Pair as OraclePair
from test_stability_rule import StableOracle

from staffopt import Policy, Scenario, SolveOptions, Zone
from staffopt.checker import check, format_violations
from staffopt.eligibility import candidates
from staffopt.model.constraints import zone_share_needed
from staffopt.plan import Plan, load_plan
from staffopt.results import MINIMISED_TERMS, OBJECTIVE_TERM_NAMES, Requirement
from staffopt.scenarios import dien_bien
from staffopt.solver import solve

BRUTE_MAX = 13
MILLION = 1_000_000


def checked(s: Scenario, policy: Policy | None = None, **kw: Any) -> Plan:
    """solve() with ``policy`` set on the scenario (the checker reads the scenario's)."""
    if policy is not None:
        s = s.with_policy(policy)
    plan = solve(s, **kw)
    violations = check(s, plan)
    assert violations == [], format_violations(violations)
    return plan


def goals(*items: Any, base: Policy = BASE_100, **changes: Any) -> Policy:
    """``base`` with these goals (and other fields changed), validated."""
    return Policy.model_validate({**base.model_dump(), "goals": list(items), **changes})


# -- a brute force over every subset of the arcs ---------------------------------------


def subsets(s: Scenario, arcs: pd.DataFrame) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Every subset of the arcs (one row each) and whether it keeps every hard rule."""
    k = len(arcs)
    x = (np.arange(2**k)[:, None] >> np.arange(k)) & 1
    ok = np.ones(2**k, dtype=bool)
    o_ids = arcs["official_id"].to_numpy()
    n_ids = arcs["need_id"].to_numpy()
    c_ids = arcs["commune_id"].to_numpy()
    load = np.rint(arcs["load"].to_numpy(np.float64) * 1000).astype(np.int64)
    used = {}
    for o in s.officials:
        cols = o_ids == o.official_id
        ok &= x[:, cols] @ load[cols] <= round(o.capacity * 1000)
        used[o.official_id] = x[:, cols].any(axis=1).astype(np.int64)
    for n in s.needs:
        got = x[:, n_ids == n.need_id].sum(axis=1)
        ok &= (got == n.slots) if n.mandatory else (got <= n.slots)
    for a in s.agencies:
        people = sum(
            (used[o.official_id] for o in s.officials if o.agency_id == a.agency_id),
            np.zeros(2**k, dtype=np.int64),
        )
        ceiling = a.headcount if a.max_release is None else a.max_release
        ok &= (people >= a.min_release) & (people <= ceiling)
    pairs = list(zip(o_ids.tolist(), n_ids.tolist(), strict=True))
    for lk in s.locks:
        if lk.kind == "lock":
            hit = [i for i, p in enumerate(pairs) if p == (lk.official_id, lk.need_id)]
            ok &= x[:, hit[0]] == 1 if hit else False
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    for z, share in s.policy.zone_coverage_floor.items():
        total = sum(n.slots for n in s.needs if zone_of[n.commune_id] == z.value)
        cols = np.array([zone_of[c] == z.value for c in c_ids], dtype=bool)
        ok &= x[:, cols].sum(axis=1) >= zone_share_needed(share, total)
    if s.policy.commune_floor:
        for c in {n.commune_id for n in s.needs}:
            total = sum(n.slots for n in s.needs if n.commune_id == c)
            people = len(set(o_ids[c_ids == c].tolist()))
            ok &= x[:, c_ids == c].sum(axis=1) >= min(s.policy.commune_floor, total, people)
    return x, ok


def term_units(s: Scenario, arcs: pd.DataFrame, x: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Every term per subset, in the model's units (metres, millionths), maximised."""
    c_ids = arcs["commune_id"].to_numpy()
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    crit = {n.need_id: n.criticality == 3 and zone_of[n.commune_id] == "III" for n in s.needs}
    critical = np.array([crit[n] for n in arcs["need_id"]], dtype=np.int64)
    metres = np.rint(arcs["distance_km"].to_numpy(np.float64) * 1000).astype(np.int64)
    slots_of: dict[str, int] = {}
    for n in s.needs:
        slots_of[n.commune_id] = slots_of.get(n.commune_id, 0) + n.slots
    filled = {c: x[:, c_ids == c].sum(axis=1) for c in slots_of}
    coverage = np.full(len(x), MILLION, dtype=np.int64)
    for c, total in slots_of.items():
        coverage = np.minimum(coverage, (MILLION * filled[c]) // total)
    used = np.zeros(len(x), dtype=np.int64)
    for o in set(arcs["official_id"]):
        used += x[:, (arcs["official_id"] == o).to_numpy()].any(axis=1)
    blocking = {}
    if any(g.term == "blocking_pairs" for g in s.policy.goal_list()):
        blocking["blocking_pairs"] = blocking_counts(s, arcs, x)
    return {
        **blocking,
        "score": x @ arcs["score"].to_numpy(np.int64),
        "slots": x.sum(axis=1),
        "critical_zone_iii": x @ critical,
        "min_commune_coverage": coverage,
        "communes_served": sum((f > 0).astype(np.int64) for f in filled.values()),
        "travel_km": x @ metres,
        "officials_used": used,
    }


def blocking_counts(
    s: Scenario, arcs: pd.DataFrame, x: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Per subset, its blocking pairs from the definition (test_stability_rule's oracle)."""
    pairs = [
        OraclePair(o, n, km, score, 0)
        for o, n, km, score in zip(
            arcs["official_id"], arcs["need_id"], arcs["distance_km"], arcs["score"], strict=True
        )
    ]
    oracle = StableOracle(s, pairs)
    held = [frozenset(p for p, bit in zip(oracle.pairs, row, strict=True) if bit) for row in x]
    return np.array([len(oracle.blocking(h)) for h in held], dtype=np.int64)


def brute_force_stages(s: Scenario) -> list[int] | None:
    """Each goal's optimum (model units) over the plans meeting the earlier goals; None when
    no plan keeps the hard rules."""
    arcs, _ = candidates(s)
    x, ok = subsets(s, arcs)
    if not ok.any():
        return None
    values = term_units(s, arcs, x)
    out = []
    for goal in s.policy.goal_list():
        v = values[goal.term]
        if goal.term in MINIMISED_TERMS:
            best = int(v[ok].min())
            ok &= v <= best + math.floor(goal.tolerance * abs(best) + 1e-9)
        else:
            best = int(v[ok].max())
            ok &= v >= best - math.floor(goal.tolerance * abs(best) + 1e-9)
        out.append(best)
    return out


def in_units(plan: Plan, term: str) -> int:
    """A term of the plan in the model's units."""
    a = plan.assignments
    if term == "travel_km":
        return int(np.rint(a["distance_km"].to_numpy(np.float64) * 1000).sum())
    if term == "min_commune_coverage":
        return math.floor(plan.objective_terms[term] * MILLION + 1e-9)
    return round(plan.objective_terms[term])


# -- the default goals are today's solve -------------------------------------------------


def test_default_goals_give_todays_objective_exactly() -> None:
    s = dien_bien()
    assert s.policy.default_goals
    plain = checked(s)
    again = checked(s, goals("score", base=s.policy))
    assert again.stages == [] and plain.stages == []
    assert plain.objective == again.objective == plain.objective_terms["score"]
    # Staged on one model (a floor that asks nothing still takes the staged path).
    staged = checked(s, goals("slots", "score", base=s.policy))
    assert staged.stages[0].value == plain.objective_terms["slots"]
    assert staged.objective == plain.objective
    # blocking_pairs reads every arc: counted only when stability or a goal asks.
    assert set(plain.objective_terms) == set(OBJECTIVE_TERM_NAMES) - {"blocking_pairs"}


# -- lexicographic and weighted answers differ -------------------------------------------

#: o1 scores 200 on n1 (c1) and 110 on n2 (c2); o2 scores 10 on n1 only.
#: The score alone sends o1 to n1 (200); slots first sends o1 to n2 and o2 to
#: n1 (two slots, 120).
_TWO_WAYS = scenario(
    [official("o1"), official("o2")],
    [need("n1"), need("n2", commune_id="c2")],
    communes=[commune(), commune("c2")],
    affinity={("o1", "n1"): 100, ("o1", "n2"): 10, ("o2", "n1"): -90, ("o2", "n2"): -200},
)


@pytest.mark.parametrize("engine", ["auto", "cpsat"])
def test_lexicographic_slots_then_score_differs_from_the_weighted_score(engine: str) -> None:
    options = SolveOptions(time_limit_s=20, workers=2, engine=engine)  # type: ignore[arg-type]
    weighted = checked(_TWO_WAYS, options=options)
    assert weighted.objective == 200 and weighted.objective_terms["slots"] == 1
    lex = checked(_TWO_WAYS, goals("slots", "score"), options=options)
    assert lex.objective == 120 and lex.objective_terms["slots"] == 2
    assert [(x.term, x.value, x.bound, x.status) for x in lex.stages] == [
        ("slots", 2, 2, "optimal"),
        ("score", 120, 120, "optimal"),
    ]
    assert lex.solver.engine == ("flow" if engine == "auto" else "cpsat")
    # A 50 % tolerance on the slots lets the score take back its 200.
    loose = checked(_TWO_WAYS, goals({"term": "slots", "tolerance": 0.5}, "score"))
    assert loose.objective == 200 and loose.stages[0].tolerance == 0.5


def test_goals_are_read_from_names_and_records() -> None:
    p = Policy.model_validate({"goals": ["slots", {"term": "travel_km", "tolerance": 0.1}]})
    assert [(g.term, g.tolerance) for g in p.goal_list()] == [("slots", 0), ("travel_km", 0.1)]
    assert not p.default_goals
    with pytest.raises(ValueError, match="goals"):
        Policy.model_validate({"goals": ["happiness"]})


# -- every stage against a brute force ----------------------------------------------------

TERMS = st.sampled_from(OBJECTIVE_TERM_NAMES)


@st.composite
def ranked(draw: st.DrawFn) -> Scenario:
    # Half of them without mandatory needs, locks or agency floors: random
    # requirements alone make most scenarios infeasible.
    s = draw(scenarios(pure_network=draw(st.booleans())))
    terms = draw(st.lists(TERMS, min_size=1, max_size=3, unique=True))
    tolerances = [draw(st.sampled_from([0.0, 0.0, 0.1, 0.5])) for _ in terms]
    floors: dict[str, Any] = {}
    # Floors one time in four each: random rules are often infeasible already.
    if draw(st.integers(0, 3)) == 0:
        share = draw(st.sampled_from([0.3, 0.5, 1.0]))
        floors["zone_coverage_floor"] = {draw(st.sampled_from(list(Zone))): share}
    if draw(st.integers(0, 3)) == 0:
        floors["commune_floor"] = draw(st.integers(1, 2))
    ranked_goals = [{"term": t, "tolerance": tol} for t, tol in zip(terms, tolerances, strict=True)]
    return s.with_policy(goals(*ranked_goals, base=s.policy, **floors))


@settings(SETTINGS, max_examples=60)
@given(ranked())
def test_every_stage_equals_a_brute_force_and_no_stage_undoes_an_earlier_one(s: Scenario) -> None:
    plan = checked(s)
    arcs, _ = candidates(s)
    expected = brute_force_stages(s) if len(arcs) <= BRUTE_MAX else None
    event(f"brute force: {len(arcs) <= BRUTE_MAX}, status: {plan.status}")
    if plan.status == "infeasible":
        assert expected is None or len(arcs) > BRUTE_MAX
        assert plan.conflicts, "an infeasible plan names its requirements"
        return
    assert plan.status == "optimal"
    assert expected is not None or len(arcs) > BRUTE_MAX, "the brute force finds no plan"
    if s.policy.default_goals:  # today's path: no stages, the score's optimum
        assert plan.stages == []
        assert expected is None or plan.objective == expected[0]
        return
    goals_ = s.policy.goal_list()
    assert [stage.term for stage in plan.stages] == [g.term for g in goals_]
    for stage, g in zip(plan.stages, goals_, strict=True):
        assert stage.status == "optimal" and stage.value == stage.bound
        # No later stage gives up more of this one than its tolerance.
        best, final = in_units_of(stage.term, stage.value), in_units(plan, stage.term)
        slack = math.floor(g.tolerance * abs(best) + 1e-9)
        if stage.term in MINIMISED_TERMS:
            assert final <= best + slack
        else:
            assert final >= best - slack
    if expected is not None:
        got = [in_units_of(stage.term, stage.value) for stage in plan.stages]
        # The stage's own plan reached the optimum the brute force finds.
        assert got == expected


def in_units_of(term: str, value: float | None) -> int:
    assert value is not None
    if term == "min_commune_coverage":
        return math.floor(value * MILLION + 1e-9)
    if term == "travel_km":
        return round(value * 1000)  # a stage counts whole metres per arc
    return round(value)


# -- fairness floors ---------------------------------------------------------------------

#: Zone III commune c3 (needs n1, n2), zone I commune c1 (n3, n4). Everyone
#: scores more in zone I (affinity), so the score alone fills c1 first.
_FLOORS = scenario(
    [official("o1"), official("o2"), official("o3")],
    [need("n1", commune_id="c3"), need("n2", commune_id="c3"), need("n3"), need("n4")],
    communes=[commune(), commune("c3", zone="III")],
    affinity={(o, n): 50 for o in ("o1", "o2", "o3") for n in ("n3", "n4")},
)


def test_a_zone_floor_fills_its_share_and_costs_exactly_the_score_it_must() -> None:
    plain = checked(_FLOORS)
    assert (
        plain.objective_terms["slots"] == 3
        and plain.metrics["coverage_by_zone"]["III"]["filled"] == 1
    )
    floor = checked(_FLOORS, goals("score", zone_coverage_floor={Zone.III: 1.0}))
    # Both zone III slots (100 each) and one zone I slot (150): 350 instead of 400.
    assert plain.objective == 400 and floor.objective == 350
    assert floor.metrics["coverage_by_zone"]["III"]["filled"] == 2
    assert floor.solver.engine == "cpsat"


def test_an_impossible_zone_floor_is_a_conflict_named_in_both_languages() -> None:
    s = _FLOORS.with_policy(goals("score", zone_coverage_floor={Zone.III: 1.0}))
    lone = s.replace(officials=[official("o1")], affinity=[])
    plan = solve(lone)
    assert plan.status == "infeasible"
    assert plan.conflicts == [Requirement("zone_coverage_floor", "III", 2)]
    assert "zone III" in plan.message
    from staffopt.texts import requirement_text

    assert requirement_text(plan.conflicts[0], "vi").startswith("khu vực III")


def test_the_commune_floor_sends_someone_everywhere_it_can() -> None:
    far = _FLOORS.replace(
        needs=[*_FLOORS.needs, need("n5", commune_id="c9", field="land")],
        communes=[*_FLOORS.communes, commune("c9")],
    )
    plan = checked(far, goals("score", commune_floor=1))
    # c9 has no candidate (nobody knows land): clamped to 0, the plan is still feasible.
    served = set(plan.assignments["commune_id"])
    assert served == {"c1", "c3"}
    assert plan.objective_terms["communes_served"] == 2


# -- objective terms and stages are saved with the plan and checked ---------------------


def test_stages_and_objective_terms_survive_save_and_load(tmp_path: Any) -> None:
    plan = checked(_TWO_WAYS, goals("slots", {"term": "travel_km", "tolerance": 0.1}))
    loaded = load_plan(plan.save(tmp_path / "plan", report=False))
    assert loaded.stages == plan.stages
    assert loaded.objective_terms == plan.objective_terms
    assert check(_TWO_WAYS, loaded) == []


# -- Pareto ------------------------------------------------------------------------------

#: Three officials, each 0, 40 or 90 km from the three one-slot needs.
_TRADE = scenario(
    [official("o1"), official("o2"), official("o3")],
    [need("n1"), need("n2", commune_id="c2"), need("n3", commune_id="c3")],
    communes=[commune(), commune("c2"), commune("c3")],
    distances=[
        ("o1", "c1", 0), ("o1", "c2", 40), ("o1", "c3", 90),
        ("o2", "c1", 90), ("o2", "c2", 90), ("o2", "c3", 40),
        ("o3", "c1", 90), ("o3", "c2", 90), ("o3", "c3", 90),
    ],
)  # fmt: skip


def brute_front(s: Scenario) -> set[tuple[int, int]]:
    """Every non-dominated (slots, metres) pair over all feasible plans."""
    arcs, _ = candidates(s)
    x, ok = subsets(s, arcs)
    units = term_units(s, arcs, x)
    pairs = {
        (int(a), int(b)) for a, b in zip(units["slots"][ok], units["travel_km"][ok], strict=True)
    }
    return {p for p in pairs if not any(q != p and q[0] >= p[0] and q[1] <= p[1] for q in pairs)}


def test_pareto_points_are_feasible_non_dominated_and_reach_both_single_goal_optima() -> None:
    from staffopt.tradeoffs import pareto

    frame = pareto(_TRADE, "slots", "travel_km", points=4)
    front = brute_front(_TRADE)  # {(0, 0), (1, 0), (2, 40000), (3, 170000)}
    got = {(int(r.slots), round(r.travel_km * 1000)) for r in frame.itertuples()}
    assert got <= front
    assert (frame["status"] == "optimal").all()
    # The extremes: the most slots (3) and, at the other end, the least travel (0 km
    # with the most slots that allows: o1 on n1).
    assert frame.iloc[0]["slots"] == max(p[0] for p in front) == 3
    assert frame.iloc[-1]["travel_km"] == min(p[1] for p in front) == 0
    assert frame.iloc[-1]["slots"] == 1
    # Every point with an epsilon is a plan solve() finds again and the checker passes.
    s = _TRADE.with_policy(goals("slots", "travel_km"))
    for r in frame.dropna(subset=["epsilon"]).itertuples():
        plan = checked(s, term_limits={"travel_km": r.epsilon})
        assert (plan.objective_terms["slots"], plan.objective_terms["travel_km"]) == (
            r.slots,
            r.travel_km,
        )


def test_pareto_on_the_command_line_writes_the_points_and_a_plot(tmp_path: Any) -> None:
    from staffopt.cli import main

    folder = _TRADE.save(tmp_path / "trade")
    out, svg = tmp_path / "pareto.csv", tmp_path / "pareto.svg"
    code = main(
        [
            "pareto", str(folder), "--x", "slots", "--y", "travel_km", "--points", "3",
            "--out", str(out), "--plot", str(svg), "--lang", "vi",
        ]
    )  # fmt: skip
    assert code == 0
    frame = pd.read_csv(out)
    assert {"slots", "travel_km", "status", "score", "officials_used"} <= set(frame.columns)
    assert frame["slots"].tolist() == [3, 2, 1]
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "tổng quãng đường (km)" in svg.read_text(encoding="utf-8")


# -- engines: one lexicographic flow where it applies, CP-SAT otherwise ------------------

FLOW_TERMS = st.sampled_from(["score", "slots", "critical_zone_iii", "travel_km"])


@st.composite
def network_goals(draw: st.DrawFn) -> Scenario:
    s = draw(scenarios(pure_network=True))
    terms = draw(st.lists(FLOW_TERMS, min_size=2, max_size=3, unique=True))
    return s.with_policy(goals(*terms, base=s.policy))


@SETTINGS
@given(network_goals())
def test_the_lexicographic_flow_gives_every_stage_the_cpsat_optimum(s: Scenario) -> None:
    flow = checked(s)
    cpsat = checked(s, options=s.options.with_changes(engine="cpsat"))
    assert flow.solver.engine == "flow" and cpsat.solver.engine == "cpsat"
    assert [(x.term, x.value) for x in flow.stages] == [(x.term, x.value) for x in cpsat.stages]


def test_weights_too_large_for_the_flow_fall_back_to_cpsat(monkeypatch: pytest.MonkeyPatch) -> None:
    import staffopt.solver.goals as staged

    monkeypatch.setattr(staged, "FLOW_COST_LIMIT", 100)
    plan = checked(_TWO_WAYS, goals("slots", "score"))
    assert plan.solver.engine == "cpsat"
    assert (plan.objective, plan.objective_terms["slots"]) == (120, 2)


def test_goals_and_floors_are_saved_with_the_scenario(tmp_path: Any) -> None:
    from staffopt.io import load_scenario

    policy = goals({"term": "slots", "tolerance": 0.02}, "score", commune_floor=1)
    policy = Policy.model_validate({**policy.model_dump(), "zone_coverage_floor": {"III": 0.8}})
    s = _TWO_WAYS.with_policy(policy)
    for name in ("folder", "s.json", "s.xlsx"):
        loaded = load_scenario(s.save(tmp_path / name))
        assert loaded.policy == s.policy, name


def test_a_plan_folder_with_a_malformed_stage_is_refused(tmp_path: Any) -> None:
    import json

    from staffopt.errors import PlanError

    folder = checked(_TWO_WAYS, goals("slots", "score")).save(tmp_path / "plan", report=False)
    meta = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    meta["stages"][0]["status"] = "splendid"
    (folder / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PlanError, match="unknown stage status 'splendid'"):
        load_plan(folder)
    meta["stages"][0]["status"] = "optimal"
    meta["stages"][0]["term"] = "happiness"
    (folder / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PlanError, match="unknown stage term 'happiness'"):
        load_plan(folder)
    del meta["stages"][0]["term"]
    (folder / "plan.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PlanError, match="bad stages"):
        load_plan(folder)
