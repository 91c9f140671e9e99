"""Shared support across communes: max_communes and max_km_between through the whole
solve (engine choice, start plans, decoding, explanations), with the optimum checked
against a brute force that knows nothing of the model.

Each piece alone on a bare model is in ``tests/test_constraints.py``; the
checker's view in ``tests/test_check.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from helpers import BASE_100, commune, need, official, scenario, solve_checked
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import staffopt
from staffopt.eligibility import candidates
from staffopt.policies import greedy_assign
from staffopt.schema import ASSIGNMENT_COLUMNS, Scenario, SolveOptions
from staffopt.solver import choose_engine, network_obstacles

#: Communes on a meridian 0.1 degree (11.1 km, 16.7 road km) apart.
LINE = [commune(f"c{k}", lat=21.0 + 0.1 * k) for k in range(5)]


def _km(a: str, b: str) -> float:
    """Road km between two communes of LINE, computed here by hand."""
    r = 6371.0088
    la, lb = (math.radians(21.0 + 0.1 * int(c[1:])) for c in (a, b))
    return 2 * r * math.asin(abs(math.sin((la - lb) / 2))) * 1.5


def brute_force(s: Scenario, accept: Callable[[list[Any]], bool] | None = None) -> int | None:
    """The best total score over every set of pairs that keeps every rule, by enumeration.

    Pairs: official x need of the field (every official here has the one field
    'it' and lives at c0; distances are road km from c0), scores from the policy
    (base 100 + affinity - travel). ``accept``: a further condition on the
    chosen (official, need, score) triples (None when no set meets it)."""
    pol = s.policy
    pairs = []
    for o in s.officials:
        for n in s.needs:
            km = _km("c0", n.commune_id)
            pts = pol.base_points + next(
                (
                    a.score
                    for a in s.affinity
                    if (a.official_id, a.need_id) == (o.official_id, n.need_id)
                ),
                0,
            )
            pairs.append((o, n, pts - round(pol.travel_points_per_km * km)))
    best: int | None = None
    for mask in itertools.product((0, 1), repeat=len(pairs)):
        chosen = [p for p, on in zip(pairs, mask, strict=True) if on]
        total = sum(p[2] for p in chosen)
        if best is not None and total <= best:
            continue
        if not _feasible(s, chosen) or (accept is not None and not accept(chosen)):
            continue
        best = total
    return best


def _feasible(s: Scenario, chosen: list[Any]) -> bool:
    pol = s.policy
    for n in s.needs:
        if sum(1 for _, m, _ in chosen if m.need_id == n.need_id) > n.slots:
            return False
    for o in s.officials:
        mine = [m for p, m, _ in chosen if p.official_id == o.official_id]
        if round(1000 * sum(m.workload for m in mine)) > round(1000 * o.capacity):
            return False
        communes = sorted({m.commune_id for m in mine})
        k_limit = o.max_communes if o.max_communes is not None else pol.max_communes
        if k_limit is not None and len(communes) > k_limit:
            return False
        km_limit = o.max_km_between if o.max_km_between is not None else pol.max_km_between
        if km_limit is not None and any(
            _km(a, b) > km_limit + 1e-9 for a, b in itertools.combinations(communes, 2)
        ):
            return False
    return True


@st.composite
def shared_scenarios(draw: st.DrawFn) -> Scenario:
    n_off = draw(st.integers(1, 2))
    n_need = draw(st.integers(2, 5))
    officials = [
        official(
            f"o{i}",
            home_commune_id="c0",
            capacity=draw(st.sampled_from([0.6, 1.0])),
            max_communes=draw(st.none() | st.integers(1, 3)),
        )
        for i in range(n_off)
    ]
    needs = [
        need(
            f"n{j}",
            commune_id=f"c{draw(st.integers(0, 4))}",
            workload=draw(st.sampled_from([0.2, 0.3, 0.5])),
        )
        for j in range(n_need)
    ]
    affinity = {
        (o.official_id, n.need_id): draw(st.integers(-20, 60)) for o in officials for n in needs
    }
    policy = BASE_100.model_copy(
        update={
            "travel_points_per_km": 0.5,
            "max_communes": draw(st.none() | st.integers(1, 3)),
            "max_km_between": draw(st.none() | st.sampled_from([10.0, 20.0, 40.0])),
        }
    )
    return scenario(officials, needs, communes=LINE, affinity=affinity, policy=policy)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=shared_scenarios())
def test_the_optimum_with_both_limits_matches_a_brute_force(s: Scenario) -> None:
    plan = solve_checked(s)
    assert plan.status == "optimal"
    assert plan.objective == brute_force(s)
    # The greedy start keeps the limits too.
    arcs, _ = candidates(s)
    greedy = arcs.loc[greedy_assign(s, arcs), list(ASSIGNMENT_COLUMNS)]
    assert [v.rule for v in staffopt.check(s, greedy)] == []


def _row_condition(row: Any, filled: int) -> Callable[[list[Any]], bool]:
    """What an explain_all row changes, as a condition on the chosen triples."""
    oid, nid = row["official_id"], row["need_id"]
    if row["kind"] == "assignment":  # the pair is forbidden
        return lambda c: not any((o.official_id, n.need_id) == (oid, nid) for o, n, _ in c)
    if row["kind"] == "unmet":  # the need gets extra_slots more people
        more = filled + int(row["extra_slots"])
        return lambda c: sum(n.need_id == nid for _, n, _ in c) >= more
    return lambda c: any(o.official_id == oid for o, _, _ in c)  # the unused one is sent


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=shared_scenarios())
def test_explain_all_costs_keep_both_limits(s: Scenario) -> None:
    """Every re-solved cost of explain_all, with the limits on, equals the brute force's:
    the base optimum minus the best plan under the row's change."""
    plan = solve_checked(s)
    assert plan.status == "optimal" and plan.objective is not None
    for _, row in plan.explain_all().iterrows():
        filled = int((plan.assignments["need_id"] == row["need_id"]).sum())
        best = brute_force(s, _row_condition(row, filled))
        if best is None:
            assert row["cost_status"] == "impossible", row.to_dict()
            continue
        assert row["cost_status"] == "exact", row.to_dict()
        assert row["cost"] == round(plan.objective) - best, row.to_dict()


def _three_communes(**policy: Any) -> Scenario:
    """One IT specialist (capacity 1) and part-time IT needs of 0.2 FTE in c0, c1 (16.7
    road km away), c3 (50 km) and c4 (66.7 km); the far ones score a little more."""
    return scenario(
        [official("it", home_commune_id="c0")],
        [
            need("n0", commune_id="c0", workload=0.2),
            need("n1", commune_id="c1", workload=0.2),
            need("n3", commune_id="c3", workload=0.2),
            need("n4", commune_id="c4", workload=0.2),
        ],
        communes=LINE,
        affinity={("it", "n3"): 30, ("it", "n4"): 40},
        policy=BASE_100.model_copy(update=policy),
    )


def test_one_specialist_supports_neighbouring_communes() -> None:
    free = solve_checked(_three_communes())
    assert free.objective == 4 * 100 + 30 + 40 and len(free.assignments) == 4
    near = solve_checked(_three_communes(max_km_between=20.0))
    # Only c0 + c1 (16.7 km), or c3 + c4 (16.7 km) fit together: 200 + 70 wins.
    assert near.objective == 270
    assert set(near.assignments["need_id"]) == {"n3", "n4"}
    two = solve_checked(_three_communes(max_communes=2))
    assert two.objective == 270


def test_engine_needs_cpsat_and_says_why() -> None:
    s = _three_communes(max_communes=2, max_km_between=20.0)
    arcs, _ = candidates(s)
    assert network_obstacles(s, arcs) == ["multi_assignment", "max_communes", "max_km_between"]
    choice = choose_engine(s, arcs, SolveOptions())
    assert choice.engine == "cpsat"
    assert "limits on the communes one person covers" in choice.reason
    with pytest.raises(ValueError, match="distance between communes"):
        choose_engine(s, arcs, SolveOptions(engine="flow"))
    # Limits that cannot bind are no obstacle.
    loose = _three_communes(max_communes=4, max_km_between=100.0)
    arcs, _ = candidates(loose)
    assert network_obstacles(loose, arcs) == ["multi_assignment"]


@pytest.mark.parametrize(
    ("policy", "reason"),
    [({"max_km_between": 20.0}, "max_km_between"), ({"max_communes": 2}, "max_communes")],
)
def test_unmet_reason_and_blocker_name_the_limit(policy: dict[str, Any], reason: str) -> None:
    plan = solve_checked(_three_communes(**policy))
    unmet = dict(zip(plan.unmet["need_id"], plan.unmet["reason"], strict=True))
    assert unmet == {"n0": reason, "n1": reason}
    en = plan.explain(need="n0").text
    vi = plan.explain(need="n0", lang="vi").text
    assert f"({reason})" in en and f"({reason})" in vi


def test_per_official_value_overrides_the_policy() -> None:
    s = scenario(
        [official("it", home_commune_id="c0", max_communes=4, max_km_between=100.0)],
        [need(f"n{k}", commune_id=f"c{k}", workload=0.2) for k in (0, 1, 3, 4)],
        communes=LINE,
        policy=BASE_100.model_copy(update={"max_communes": 1, "max_km_between": 5.0}),
    )
    plan = solve_checked(s)
    assert len(plan.assignments) == 4


def test_limits_never_change_a_plan_they_do_not_bind() -> None:
    s = _three_communes()
    a = solve_checked(s)
    b = solve_checked(_three_communes(max_communes=10, max_km_between=1000.0))
    assert a.objective == b.objective
    assert np.array_equal(
        np.sort(a.assignments["need_id"].to_numpy()), np.sort(b.assignments["need_id"].to_numpy())
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=shared_scenarios())
def test_lp_and_lagrangian_bounds_stay_valid_with_the_commune_booleans(s: Scenario) -> None:
    """The relaxations read the new rows (and price the commune Booleans alone):
    every bound they give is at least the true optimum, for any multipliers."""
    from staffopt.model import build_model
    from staffopt.model.lagrangian import lagrangian
    from staffopt.model.relaxation import relaxation, solve_lp

    best = brute_force(s)
    arcs, _ = candidates(s)
    m = build_model(s, arcs)
    rel = relaxation(m)
    lp = solve_lp(rel)
    assert lp.status == "optimal" and lp.bound is not None
    assert lp.bound >= best - 1e-6
    for duals in (lp.duals, np.zeros_like(lp.duals)):
        lag = lagrangian(m, rel, duals, incumbent=float(best), iterations=10)
        if lag is not None:
            assert lag.bound >= best - 1e-6


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=shared_scenarios())
def test_the_lp_pass_leaves_the_shared_support_out_and_its_fixing_stays_valid(
    s: Scenario,
) -> None:
    """solver/starts.add_lp solves the relaxation without the shared-support pieces
    (LP_WITHOUT): its bound is still at least the optimum with both limits, and
    fixing against the optimum never drops an arc of an optimal plan."""
    from staffopt.model import build_model
    from staffopt.model.relaxation import fixable_arcs, reduced_costs, relaxation, solve_lp
    from staffopt.solver.starts import LP_WITHOUT

    best = brute_force(s)
    plan = solve_checked(s)
    assert plan.objective == best
    arcs, _ = candidates(s)
    m = build_model(s, arcs, without=LP_WITHOUT)
    assert not {p.name for p in m.pieces} & set(LP_WITHOUT)
    rel = relaxation(m)
    lp = solve_lp(rel)
    assert lp.status == "optimal" and lp.bound is not None
    assert best is not None and lp.bound >= best - 1e-6
    fixed = fixable_arcs(lp.bound, reduced_costs(rel, lp.duals)[: m.n_arcs], best - 1)
    key = list(zip(arcs["official_id"], arcs["need_id"], strict=True))
    chosen = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    assert not any(fixed[i] for i, k in enumerate(key) if k in chosen)


def test_build_model_refuses_an_unknown_piece_to_leave_out() -> None:
    from staffopt.model import build_model

    s = _three_communes(max_communes=2)
    with pytest.raises(ValueError, match="no constraint piece named"):
        build_model(s, candidates(s)[0], without=("max_commune",))


def test_mandatory_needs_too_far_apart_for_the_one_candidate_name_the_conflict() -> None:
    s = scenario(
        [official("it", home_commune_id="c0")],
        [
            need("a", commune_id="c0", workload=0.2, mandatory=True),
            need("b", commune_id="c4", workload=0.2, mandatory=True),
        ],
        communes=LINE,
        policy=BASE_100.model_copy(update={"max_km_between": 20.0}),
    )
    plan = staffopt.solve(s)
    assert plan.status == "infeasible"
    assert {(r.kind, r.id) for r in plan.conflicts} == {
        ("mandatory_need", "a"),
        ("mandatory_need", "b"),
    }
    # Within the limit, both are filled by the one specialist.
    wider = s.model_copy(update={"policy": BASE_100.model_copy(update={"max_km_between": 70.0})})
    ok = solve_checked(wider)
    assert ok.status == "optimal" and len(ok.assignments) == 2
