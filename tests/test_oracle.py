"""Property tests: random small scenarios against independent oracles.

For random scenarios (2-6 officials, 2-5 needs, 1-3 agencies with ceilings
and small floors, part-time loads, mandatory needs, affinities, locks,
forbids, distance overrides, provincial agencies, protected officials):

(a) every plan with a solution passes the independent checker;
(b) the candidate pairs equal a plain-Python eligibility computed here, and
    the optimal objective equals a brute force over subsets of those pairs
    (when there are at most ``BRUTE_MAX`` of them) and a HiGHS MIP built here
    from the arcs frame; "infeasible" agrees with both oracles;
(c) renaming and reordering every id does not change the optimum;
(d) on pure networks, engine='flow' and engine='cpsat' agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pandas as pd
import pytest
from helpers import agency, commune, need, official, scenario
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from staffopt import Category, Policy, Scenario, SolveOptions
from staffopt.checker import check, format_violations
from staffopt.eligibility import candidates
from staffopt.plan import Plan
from staffopt.solver import solve

FIELDS = ("it", "land")
PROVINCES = ("P", "Q")
ZONES = ("I", "II", "III")
BRUTE_MAX = 16  # 2**16 subsets, vectorised

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# -- random scenarios -----------------------------------------------------------------


@st.composite
def scenarios(draw: st.DrawFn, *, pure_network: bool = False) -> Scenario:
    """A random small scenario; ``pure_network``: full-time only, no floors/locks/mandatory."""
    n_c = draw(st.integers(1, 3))
    communes = [
        commune(
            f"c{i}",
            province=draw(st.sampled_from(PROVINCES)),
            lat=21.0 + draw(st.integers(0, 150)) / 100,
            lon=102.5 + draw(st.integers(0, 100)) / 100,
            zone=draw(st.sampled_from(ZONES)),
            border=draw(st.booleans()),
        )
        for i in range(n_c)
    ]
    n_a = draw(st.integers(1, 3))
    agencies = []
    for i in range(n_a):
        headcount = draw(st.integers(1, 6))
        max_release = draw(st.one_of(st.none(), st.integers(0, headcount)))
        ceiling = headcount if max_release is None else max_release
        floor = 0 if pure_network else draw(st.sampled_from([0, 0, 0, 0, 0, 1, 1, 2]))
        agencies.append(
            agency(
                f"a{i}",
                headcount=headcount,
                max_release=max_release,
                min_release=min(floor, ceiling),
                province=draw(st.sampled_from([None, None, None, *PROVINCES])),
            )
        )
    n_o = draw(st.integers(2, 6))
    officials = []
    for i in range(n_o):
        levels = draw(st.lists(st.integers(0, 3), min_size=2, max_size=2))
        if not any(levels):
            levels[0] = 1
        skills = ";".join(f"{f}:{lv}" for f, lv in zip(FIELDS, levels, strict=True) if lv)
        home: dict[str, object]
        if draw(st.booleans()):
            home = {"home_commune_id": f"c{draw(st.integers(0, n_c - 1))}"}
        else:
            home = {
                "home_lat": 21.0 + draw(st.integers(0, 150)) / 100,
                "home_lon": 102.5 + draw(st.integers(0, 100)) / 100,
            }
        officials.append(
            official(
                f"o{i}",
                agency_id=f"a{draw(st.integers(0, n_a - 1))}",
                skills=skills,
                capacity=1.0 if pure_network else draw(st.sampled_from([1.0, 1.0, 0.5, 0.8])),
                protected=draw(st.sampled_from([False, False, False, True])),
                volunteer=draw(st.booleans()),
                category=draw(st.sampled_from(list(Category))),
                available=draw(st.sampled_from([True, True, True, True, False])),
                max_km=draw(st.sampled_from([None, None, 60.0, 150.0])),
                **home,
            )
        )
    n_n = draw(st.integers(2, 5))
    needs = [
        need(
            f"n{i}",
            commune_id=f"c{draw(st.integers(0, n_c - 1))}",
            field=draw(st.sampled_from(FIELDS)),
            slots=draw(st.integers(1, 2)),
            min_level=draw(st.sampled_from([1, 1, 2, 3])),
            criticality=draw(st.integers(1, 3)),
            workload=1.0 if pure_network else draw(st.sampled_from([1.0, 0.3, 0.5, 0.6, 1.0])),
            mandatory=False if pure_network else draw(st.sampled_from([False] * 5 + [True])),
        )
        for i in range(n_n)
    ]
    o_ids = st.sampled_from([o.official_id for o in officials])
    n_ids = st.sampled_from([n.need_id for n in needs])
    c_ids = st.sampled_from([c.commune_id for c in communes])
    affinity = draw(st.dictionaries(st.tuples(o_ids, n_ids), st.integers(-250, 60), max_size=5))
    kinds = st.just("forbid") if pure_network else st.sampled_from(["lock", "forbid", "forbid"])
    lock_map = draw(st.dictionaries(st.tuples(o_ids, n_ids), kinds, max_size=2))
    dist_map = draw(
        st.dictionaries(st.tuples(o_ids, c_ids), st.integers(0, 250).map(float), max_size=3)
    )
    policy = Policy(
        max_km=draw(st.sampled_from([None, None, 120.0])),
        protected_may_volunteer=draw(st.booleans()),
        protect_civil_servants=draw(st.booleans()),
    )
    return scenario(
        officials,
        needs,
        communes=communes,
        agencies=agencies,
        affinity=affinity,
        locks=[(o, n, k) for (o, n), k in lock_map.items()],
        distances=[(o, c, km) for (o, c), km in dist_map.items()],
        policy=policy,
        options=SolveOptions(workers=1, time_limit_s=20),
        name="random",
    )


# -- oracle 1: eligibility and scores in plain Python ---------------------------------


@dataclass(frozen=True)
class Pair:
    official_id: str
    need_id: str
    km: float
    score: int
    load: int  # thousandths of an FTE


def _milli(x: float) -> int:
    return round(x * 1000)


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def oracle_pairs(s: Scenario) -> tuple[list[Pair], set[tuple[str, str]]]:
    """(eligible pairs with km and score, field-matching pairs ruled out), by the book."""
    pol = s.policy
    given = {(d.official_id, d.commune_id): d.km for d in s.distances}
    forbidden = {(lk.official_id, lk.need_id) for lk in s.locks if lk.kind == "forbid"}
    affinity = {(a.official_id, a.need_id): a.score for a in s.affinity}
    eligible: list[Pair] = []
    excluded: set[tuple[str, str]] = set()
    for o in s.officials:
        ag = s.agency_by_id[o.agency_id]
        for n in s.needs:
            c = s.commune_by_id[n.commune_id]
            if n.field not in o.skills or (ag.province is not None and ag.province != c.province):
                continue
            level = o.skills[n.field]
            if (o.official_id, c.commune_id) in given:
                km = given[(o.official_id, c.commune_id)]
            elif o.home_commune_id == c.commune_id:
                km = 0.0
            else:
                if o.home_lat is not None and o.home_lon is not None:
                    lat, lon = o.home_lat, o.home_lon
                else:
                    home = s.commune_by_id[o.home_commune_id]  # type: ignore[index]
                    lat, lon = home.lat, home.lon
                km = _haversine(lat, lon, c.lat, c.lon) * pol.road_factor
            protected = (
                o.protected
                and not (o.volunteer and pol.protected_may_volunteer)
                and (o.category == Category.PUBLIC_EMPLOYEE or pol.protect_civil_servants)
            )
            ruled_out = (
                not o.available
                or (o.official_id, n.need_id) in forbidden
                or protected
                or level < n.min_level
                or _milli(n.workload) > _milli(o.capacity)
                or (pol.max_km is not None and km > pol.max_km)
                or (o.max_km is not None and km > o.max_km)
            )
            if ruled_out:
                excluded.add((o.official_id, n.need_id))
                continue
            score = (
                pol.base_points
                + pol.zone_points[c.zone]
                + pol.criticality_points[n.criticality]
                + pol.level_points[level]
                + (pol.border_points if c.border else 0)
                + affinity.get((o.official_id, n.need_id), 0)
                - round(pol.travel_points_per_km * km)
            )
            eligible.append(Pair(o.official_id, n.need_id, km, score, _milli(n.workload)))
    return eligible, excluded


# -- oracle 2: brute force over subsets of the eligible pairs -------------------------


def brute_force(s: Scenario, pairs: list[Pair]) -> int | None:
    """The best total score over all subsets keeping every hard rule; None if none does."""
    x, ok = feasible_subsets(s, pairs)
    if not ok.any():
        return None
    score = np.array([p.score for p in pairs], dtype=np.int64)
    return int((x[ok] @ score).max())


def feasible_subsets(s: Scenario, pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Every subset of ``pairs`` as a 0/1 row, and whether it keeps every hard rule."""
    k = len(pairs)
    x = (np.arange(2**k)[:, None] >> np.arange(k)) & 1  # one row per subset
    ok = np.ones(2**k, dtype=bool)
    pos = {(p.official_id, p.need_id): i for i, p in enumerate(pairs)}
    load = np.array([p.load for p in pairs], dtype=np.int64)
    used: dict[str, np.ndarray] = {}
    for o in s.officials:
        cols = [i for i, p in enumerate(pairs) if p.official_id == o.official_id]
        ok &= x[:, cols] @ load[cols] <= _milli(o.capacity)
        used[o.official_id] = x[:, cols].any(axis=1)
    for n in s.needs:
        cols = [i for i, p in enumerate(pairs) if p.need_id == n.need_id]
        got = x[:, cols].sum(axis=1)
        ok &= (got == n.slots) if n.mandatory else (got <= n.slots)
    for a in s.agencies:
        people = sum(
            (
                used[o.official_id].astype(np.int64)
                for o in s.officials
                if o.agency_id == a.agency_id
            ),
            np.zeros(2**k, dtype=np.int64),
        )
        ceiling = a.headcount if a.max_release is None else a.max_release
        ok &= (people >= a.min_release) & (people <= ceiling)
    for lk in s.locks:
        if lk.kind == "lock":
            i = pos.get((lk.official_id, lk.need_id))
            ok &= False if i is None else x[:, i] == 1
    return x, ok


# -- oracle 3: a HiGHS MIP built from the arcs frame ----------------------------------


def highs_optimum(
    s: Scenario,
    arcs: pd.DataFrame,
    at_least: Sequence[tuple[list[int], int]] = (),
    extra: Callable[[highspy.Highs, list[Any]], None] | None = None,
    *,
    objective: Sequence[int] | None = None,
    weighted_at_least: tuple[Sequence[int], int] | None = None,
) -> int | None:
    """max sum(score x) over binary x per arc, with y per official for distinct people.

    ``at_least``: extra rows (arc positions, k): at least k of those arcs chosen.
    ``extra`` adds further rows over the arc variables (e.g. the budget tests'
    budgets) before the objective. ``objective``: other coefficients per arc
    than the scores; ``weighted_at_least``: (coefficients per arc, k) adds the
    row ``sum(c x) >= k`` (a re-plan's stages).
    """
    h = highspy.Highs()
    h.silent()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    oid = arcs["official_id"].tolist()
    nid = arcs["need_id"].tolist()
    score = list(objective) if objective is not None else arcs["score"].astype(int).tolist()
    load = [_milli(v) for v in arcs["load"]]
    x = [h.addBinary() for _ in range(len(arcs))]

    def of(ids: list[str], key: str) -> list[int]:
        return [i for i, v in enumerate(ids) if v == key]

    y = {}
    for o in s.officials:
        cols = of(oid, o.official_id)
        if not cols:
            continue
        h.addConstr(h.qsum(load[i] * x[i] for i in cols) <= _milli(o.capacity))
        y[o.official_id] = h.addBinary()
        for i in cols:
            h.addConstr(x[i] <= y[o.official_id])
        h.addConstr(y[o.official_id] <= h.qsum(x[i] for i in cols))
    for n in s.needs:
        cols = of(nid, n.need_id)
        if n.mandatory and len(cols) < n.slots:
            return None
        if not cols:
            continue
        total = h.qsum(x[i] for i in cols)
        h.addConstr(total == n.slots if n.mandatory else total <= n.slots)
    for a in s.agencies:
        ys = [
            y[o.official_id]
            for o in s.officials
            if o.agency_id == a.agency_id and o.official_id in y
        ]
        ceiling = a.headcount if a.max_release is None else a.max_release
        if len(ys) < a.min_release:
            return None
        if ys:
            people = h.qsum(ys)
            h.addConstr(people >= a.min_release)
            h.addConstr(people <= ceiling)
    arc_of = {(o, n): i for i, (o, n) in enumerate(zip(oid, nid, strict=True))}
    for lk in s.locks:
        if lk.kind == "lock":
            if (lk.official_id, lk.need_id) not in arc_of:
                return None
            h.addConstr(x[arc_of[(lk.official_id, lk.need_id)]] == 1)
    for cols, k in at_least:
        if len(cols) < k:
            return None
        h.addConstr(h.qsum(x[i] for i in cols) >= k)
    if weighted_at_least is not None and x:
        coeffs, k = weighted_at_least
        h.addConstr(h.qsum(c * x[i] for i, c in enumerate(coeffs)) >= k)
    if not x:
        return 0
    if extra is not None:
        extra(h, x)
    h.maximize(h.qsum(score[i] * x[i] for i in range(len(x))))
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return round(h.getInfo().objective_function_value)


# -- helpers --------------------------------------------------------------------------


def keep_only(s: Scenario, requirements: set[tuple[str, str]]) -> Scenario:
    """The scenario with every planner requirement not in ``requirements`` switched off.

    Requirements are (kind, id) as in ``plan.conflicts``: mandatory needs,
    locks ("official->need"), agency floors and ceilings. Forbids stay.
    """
    needs = [
        n.model_copy(
            update={"mandatory": n.mandatory and ("mandatory_need", n.need_id) in requirements}
        )
        for n in s.needs
    ]
    locks = [
        lk
        for lk in s.locks
        if lk.kind == "forbid" or ("lock", f"{lk.official_id}->{lk.need_id}") in requirements
    ]
    agencies = []
    for a in s.agencies:
        update: dict[str, object] = {}
        if ("agency_floor", a.agency_id) not in requirements:
            update["min_release"] = 0
        if ("agency_ceiling", a.agency_id) not in requirements:
            update["headcount"] = max(a.headcount, len(s.officials))
            update["max_release"] = None
        agencies.append(a.model_copy(update=update))
    fields = {name: getattr(s, name) for name in Scenario.model_fields}
    return Scenario(**{**fields, "needs": needs, "locks": locks, "agencies": agencies})


def assert_conflicts_are_a_minimal_infeasible_set(s: Scenario, plan: Plan) -> None:
    core = {(c.kind, c.id) for c in plan.conflicts}
    assert len(core) == len(plan.conflicts), "each requirement named once"
    assert highs_optimum(keep_only(s, core), candidates(s)[0]) is None, "the set is infeasible"
    for member in core:
        assert highs_optimum(keep_only(s, core - {member}), candidates(s)[0]) is not None, (
            f"{member} is not needed for the conflict"
        )


def assert_checked(s: Scenario, plan: Plan) -> None:
    assert plan.status in ("optimal", "infeasible"), plan
    violations = check(s, plan)
    assert violations == [], format_violations(violations)


# -- (a) + (b): checker, independent eligibility, brute force, HiGHS ------------------


@SETTINGS
@given(scenarios())
def test_random_plans_pass_check_and_match_brute_force_and_highs(s: Scenario) -> None:
    plan = solve(s)
    assert_checked(s, plan)  # (a)

    # Eligibility and scores by the book.
    pairs, excluded = oracle_pairs(s)
    arcs, exclusions = candidates(s)
    got = {
        (o, n): (sc, km)
        for o, n, sc, km in zip(
            arcs["official_id"], arcs["need_id"], arcs["score"], arcs["distance_km"], strict=True
        )
    }
    assert set(got) == {(p.official_id, p.need_id) for p in pairs}
    for p in pairs:
        sc, km = got[(p.official_id, p.need_id)]
        assert sc == p.score, p
        assert km == pytest.approx(p.km, rel=1e-9, abs=1e-9), p
    assert set(zip(exclusions["official_id"], exclusions["need_id"], strict=True)) == excluded

    # The optimum, three ways.
    mip = highs_optimum(s, arcs)
    if len(pairs) <= BRUTE_MAX:
        event("brute force ran")
        assert brute_force(s, pairs) == mip
    event(f"status {plan.status}")
    if mip is None:
        assert plan.status == "infeasible"
        assert plan.conflicts, "an infeasible plan names the requirements in conflict"
        assert_conflicts_are_a_minimal_infeasible_set(s, plan)
    else:
        assert plan.status == "optimal", plan
        assert plan.objective == mip, (plan, plan.assignments)
        assert plan.gap == 0


# -- (c): ids are names, not meaning ----------------------------------------------------


def relabel(s: Scenario, seed: int) -> Scenario:
    """Every id renamed and every table reordered (by a seeded permutation)."""
    rng = np.random.default_rng(seed)

    def names(ids: list[str], prefix: str) -> dict[str, str]:
        perm = rng.permutation(len(ids))
        return {old: f"{prefix}{perm[i]:02d}" for i, old in enumerate(ids)}

    c_map = names([c.commune_id for c in s.communes], "X")
    a_map = names([a.agency_id for a in s.agencies], "D")
    o_map = names([o.official_id for o in s.officials], "Z")
    n_map = names([n.need_id for n in s.needs], "Y")

    def shuffled(records: tuple[object, ...]) -> list[object]:
        return [records[i] for i in rng.permutation(len(records))]

    officials = [
        o.model_copy(
            update={
                "official_id": o_map[o.official_id],
                "agency_id": a_map[o.agency_id],
                "home_commune_id": None if o.home_commune_id is None else c_map[o.home_commune_id],
            }
        )
        for o in s.officials
    ]
    return Scenario(
        name="relabelled",
        communes=shuffled(
            tuple(c.model_copy(update={"commune_id": c_map[c.commune_id]}) for c in s.communes)
        ),
        agencies=shuffled(
            tuple(a.model_copy(update={"agency_id": a_map[a.agency_id]}) for a in s.agencies)
        ),
        officials=shuffled(tuple(officials)),
        needs=shuffled(
            tuple(
                n.model_copy(
                    update={"need_id": n_map[n.need_id], "commune_id": c_map[n.commune_id]}
                )
                for n in s.needs
            )
        ),
        distances=shuffled(
            tuple(
                d.model_copy(
                    update={"official_id": o_map[d.official_id], "commune_id": c_map[d.commune_id]}
                )
                for d in s.distances
            )
        ),
        locks=shuffled(
            tuple(
                lk.model_copy(
                    update={"official_id": o_map[lk.official_id], "need_id": n_map[lk.need_id]}
                )
                for lk in s.locks
            )
        ),
        affinity=shuffled(
            tuple(
                af.model_copy(
                    update={"official_id": o_map[af.official_id], "need_id": n_map[af.need_id]}
                )
                for af in s.affinity
            )
        ),
        policy=s.policy,
    )


@SETTINGS
@given(scenarios(), st.integers(0, 2**16))
def test_relabelling_ids_keeps_the_optimum(s: Scenario, seed: int) -> None:
    plan = solve(s)
    t = relabel(s, seed)
    other = solve(t)
    assert_checked(s, plan)
    assert_checked(t, other)
    assert other.status == plan.status
    assert other.objective == plan.objective
    assert len(other.arcs) == len(plan.arcs)  # type: ignore[arg-type]
    assert sorted(other.arcs["score"]) == sorted(plan.arcs["score"])  # type: ignore[index]
    assert other.metrics["slots_total"] == plan.metrics["slots_total"]


# -- (d): min-cost flow and CP-SAT agree on pure networks --------------------------------


@SETTINGS
@given(scenarios(pure_network=True))
def test_flow_and_cpsat_agree_on_pure_networks(s: Scenario) -> None:
    flow = solve(s, options=s.options.with_changes(engine="flow"))
    cpsat = solve(s, options=s.options.with_changes(engine="cpsat"))
    auto = solve(s)
    assert flow.solver.engine == "flow"
    assert cpsat.solver.engine == "cpsat"
    assert auto.solver.engine == "flow"
    for plan in (flow, cpsat):
        assert plan.status == "optimal"
        assert_checked(s, plan)
    assert flow.objective == cpsat.objective == auto.objective
    assert flow.objective == highs_optimum(s, candidates(s)[0])
