"""Each constraint piece and objective term of the CP-SAT model alone, on a tiny bare model.

In the style of the CP-SAT Primer's tests: build ``ArcModel(scenario, arcs)``
directly, apply ONE piece (or one objective term), fix arcs (and guard
literals) on a copy of the model, solve with a plain one-worker
``CpSolver`` and assert the exact status or the exact objective. Nothing
here goes through ``staffopt.solve()`` (whose auto engine may never reach
CP-SAT), and every expected objective is worked out by hand.

Unless said otherwise officials live in commune ``c1`` where every need is,
have skills ``it:2`` and capacity 1.0, belong to agency ``a1`` and every arc
scores 100 + affinity (policy ``BASE_100``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np
import pytest
from helpers import BASE_100, agency, commune, need, official, scenario
from ortools.sat.python import cp_model

from staffopt import ProvinceBudget, Scenario, Zone
from staffopt.eligibility import candidates
from staffopt.model import constraints
from staffopt.model.arcmodel import ArcModel, Piece
from staffopt.model.constraints import (
    CONSTRAINTS,
    agency_ceiling,
    agency_floor,
    budget,
    budget_cut_rows,
    commune_floor,
    lock,
    mandatory_need,
    max_communes,
    max_km_between,
    need_slots,
    official_capacity,
    stability,
    zone_coverage_floor,
    zone_share_needed,
)
from staffopt.model.objective import (
    COVERAGE_SCALE,
    METRES_PER_KM,
    OBJECTIVE_TERMS,
    blocking_pairs,
    communes_served,
    critical_zone_iii,
    kept,
    min_commune_coverage,
    objective_as_row,
    officials_used,
    score,
    slots,
    travel_km,
)
from staffopt.model.relaxation import relaxation, solve_lp
from staffopt.results import REQUIREMENT_KINDS, Requirement

Pair = tuple[str, str]
PieceFn = Callable[[ArcModel], None]
Status = cp_model.CpSolverStatus

OPTIMAL = cp_model.OPTIMAL
INFEASIBLE = cp_model.INFEASIBLE


# -- helpers ---------------------------------------------------------------------


def bare(s: Scenario, *, guarded: bool = False) -> ArcModel:
    """The model of ``s`` with its arc variables and no piece at all."""
    arcs, _ = candidates(s)
    return ArcModel(s, arcs, guarded=guarded)


def applied(s: Scenario, piece: PieceFn, rows: int, *, guarded: bool = False) -> ArcModel:
    """The bare model with ``piece`` applied, which records itself once with ``rows`` rows."""
    m = bare(s, guarded=guarded)
    piece(m)
    assert m.pieces == [Piece(piece.__name__, rows)]
    return m


def arc(m: ArcModel, official_id: str, need_id: str) -> int:
    """The variable (= arc position) of one pair, which must be an arc."""
    hit = np.flatnonzero(
        (m.arcs["official_id"] == official_id).to_numpy()
        & (m.arcs["need_id"] == need_id).to_numpy()
    )
    assert len(hit) == 1, f"{official_id}->{need_id} is not an arc"
    return int(hit[0])


def solve(m: ArcModel, fixed: Mapping[int, int]) -> tuple[Status, cp_model.CpSolver]:
    """Solve a copy of ``m`` with variables fixed by proto index (``m`` stays as built)."""
    model = m.model.clone()
    for var, value in fixed.items():
        model.add(model.get_bool_var_from_proto_index(var) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    return solver.solve(model), solver


def choose(m: ArcModel, *pairs: Pair, literals: Mapping[int, int] | None = None) -> Status:
    """The status with exactly ``pairs`` at 1 and every other arc at 0 (and literals fixed)."""
    fixed = dict.fromkeys(range(m.n_arcs), 0)
    fixed.update({arc(m, o, n): 1 for o, n in pairs})
    fixed.update(literals or {})
    return solve(m, fixed)[0]


def requirement(piece: PieceFn, id: str, limit: int | None = None) -> Requirement:
    """The requirement a planner piece states: its kind is the piece's name."""
    kind = piece.__name__
    assert kind in REQUIREMENT_KINDS
    return Requirement(kind, id, limit)


def assert_never_guarded(m: ArcModel) -> None:
    """A physical limit: no guard literal, no enforcement, not a planner's requirement."""
    assert m.guards == {}
    assert m.requirement_rows == []
    assert [row[4] for row in m.rows] == [-1] * len(m.rows)


def assert_requirements(m: ArcModel, expected: list[Requirement]) -> list[int]:
    """The planner requirements the piece stated, in order; their guard literals.

    Guarded: each behind its own fresh literal (a variable after the arcs),
    which enforces exactly one row, its own. Unguarded: no literal, and each
    requirement names the row that states it.
    """
    if not m.guarded:
        assert m.guards == {}
        assert [req for req, _ in m.requirement_rows] == expected
        assert all(0 <= row < len(m.rows) for _, row in m.requirement_rows)
        assert [row[4] for row in m.rows] == [-1] * len(m.rows)
        return []
    assert m.requirement_rows == []
    assert list(m.guards.values()) == expected
    lits = list(m.guards)
    assert len(set(lits)) == len(lits) and min(lits) >= m.n_arcs
    assert [row[4] for row in m.rows if row[4] != -1] == lits
    return lits


# -- official_capacity -----------------------------------------------------------


@pytest.mark.parametrize("guarded", [False, True])
def test_official_capacity_weighted_row_one_unit_over_is_infeasible(guarded: bool) -> None:
    # Loads in thousandths: 300 + 300 + 400 = 1000 = capacity; + 1 = 1001 > 1000.
    # Two arcs fit together (1 + 300 <= 1000): the row is sum(load * x) <= 1000.
    s = scenario(
        [official("p")],
        [
            need("n1", workload=0.3),
            need("n2", workload=0.3),
            need("n3", workload=0.4),
            need("n4", workload=0.001),
        ],
    )
    m = applied(s, official_capacity, 1, guarded=guarded)
    _, coeffs, lb, ub, _ = m.rows[0]
    assert sorted(coeffs.tolist()) == [1, 300, 300, 400] and (lb, ub) == (0, 1000)
    assert m.capacity_rows == [0]
    assert_never_guarded(m)
    assert choose(m, ("p", "n1"), ("p", "n2"), ("p", "n3")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("p", "n2"), ("p", "n3"), ("p", "n4")) == INFEASIBLE


@pytest.mark.parametrize("guarded", [False, True])
def test_official_capacity_single_assignment_row_is_a_count(guarded: bool) -> None:
    # 0.6 + 0.6 = 1.2 > 1.0 for p; 0.5 + 0.501 = 1.001 > 1.0 (one unit over) for q:
    # no two arcs fit, so each official's row is sum(x) <= 1.
    s = scenario(
        [official("p"), official("q")],
        [need("n1", workload=0.6), need("n2", workload=0.6)],
    )
    m = applied(s, official_capacity, 2, guarded=guarded)
    assert [(c.tolist(), lb, ub) for _, c, lb, ub, _ in m.rows] == [([1, 1], 0, 1)] * 2
    assert m.capacity_rows == [0, 1]
    assert_never_guarded(m)
    assert choose(m, ("p", "n1")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("q", "n2")) == OPTIMAL  # one row per official
    assert choose(m, ("p", "n1"), ("p", "n2")) == INFEASIBLE

    s = scenario([official("q")], [need("n1", workload=0.5), need("n2", workload=0.501)])
    m = applied(s, official_capacity, 1, guarded=guarded)
    assert m.rows[0][1].tolist() == [1, 1]
    assert choose(m, ("q", "n2")) == OPTIMAL
    assert choose(m, ("q", "n1"), ("q", "n2")) == INFEASIBLE


def test_official_capacity_writes_no_row_when_every_arc_fits() -> None:
    # 0.5 + 0.5 = 1.0 = capacity: nothing to bound; o2 has one arc (fits by eligibility).
    s = scenario(
        [official("p"), official("o2", skills="land:2")],
        [need("n1", workload=0.5), need("n2", workload=0.5), need("n3", field="land")],
    )
    m = applied(s, official_capacity, 0)
    assert m.rows == []
    assert choose(m, ("p", "n1"), ("p", "n2"), ("o2", "n3")) == OPTIMAL


# -- need_slots ------------------------------------------------------------------


@pytest.mark.parametrize("guarded", [False, True])
def test_need_slots_caps_the_people_of_a_need(guarded: bool) -> None:
    s = scenario([official("o1"), official("o2"), official("o3")], [need("n1", slots=2)])
    m = applied(s, need_slots, 1, guarded=guarded)
    assert_never_guarded(m)
    assert choose(m, ("o1", "n1"), ("o3", "n1")) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o2", "n1"), ("o3", "n1")) == INFEASIBLE


def test_need_slots_writes_no_row_when_candidates_fit_the_slots() -> None:
    s = scenario([official("o1"), official("o2")], [need("n1", slots=2)])
    m = applied(s, need_slots, 0)
    assert choose(m, ("o1", "n1"), ("o2", "n1")) == OPTIMAL


def test_need_slots_caps_a_mandatory_need_only_in_a_guarded_model() -> None:
    # Unguarded, mandatory_need's exact row implies the cap; guarded, that row
    # may be switched off, so need_slots must cap the need itself.
    s = scenario(
        [official("o1"), official("o2"), official("o3")], [need("n1", slots=2, mandatory=True)]
    )
    three = [("o1", "n1"), ("o2", "n1"), ("o3", "n1")]
    assert choose(applied(s, need_slots, 0), *three) == OPTIMAL
    m = applied(s, need_slots, 1, guarded=True)
    assert_never_guarded(m)
    assert choose(m, *three) == INFEASIBLE
    assert choose(m, *three[:2]) == OPTIMAL


# -- mandatory_need --------------------------------------------------------------


def test_mandatory_need_takes_exactly_its_slots() -> None:
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1", slots=2, mandatory=True), need("n2", slots=1)],  # n2: not mandatory
    )
    m = applied(s, mandatory_need, 1)
    assert_requirements(m, [requirement(mandatory_need, "n1", 2)])
    assert choose(m, ("o1", "n1")) == INFEASIBLE
    assert choose(m, ("o1", "n1"), ("o2", "n1")) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o2", "n1"), ("o3", "n1")) == INFEASIBLE


def test_mandatory_need_without_any_arc_makes_the_model_infeasible() -> None:
    s = scenario([official("o1")], [need("n1"), need("n2", field="land", mandatory=True)])
    m = applied(s, mandatory_need, 1)
    assert_requirements(m, [requirement(mandatory_need, "n2", 1)])
    assert solve(m, {})[0] == INFEASIBLE


def test_mandatory_need_guarded_each_behind_its_own_literal() -> None:
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1", slots=2, mandatory=True), need("n2", field="land", mandatory=True)],
    )
    m = applied(s, mandatory_need, 2, guarded=True)
    n1, n2 = assert_requirements(
        m,
        [
            requirement(mandatory_need, "n1", 2),
            requirement(mandatory_need, "n2", 1),
        ],
    )
    assert choose(m, ("o1", "n1"), ("o2", "n1"), literals={n1: 1, n2: 0}) == OPTIMAL
    assert choose(m, ("o1", "n1"), literals={n1: 1, n2: 0}) == INFEASIBLE
    assert choose(m, ("o1", "n1"), literals={n1: 0, n2: 0}) == OPTIMAL  # switched off
    assert choose(m, ("o1", "n1"), ("o2", "n1"), literals={n1: 1, n2: 1}) == INFEASIBLE


# -- agency_floor ----------------------------------------------------------------


def _part_time(*, min_release: int = 0, max_release: int | None = None) -> Scenario:
    """p and q of agency a1 may each take both n1 and n2 (0.5 + 0.5 = 1.0 FTE)."""
    return scenario(
        [official("p"), official("q")],
        [need("n1", slots=2, workload=0.5), need("n2", slots=2, workload=0.5)],
        agencies=[agency(min_release=min_release, max_release=max_release)],
    )


def test_agency_floor_counts_distinct_people() -> None:
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1", slots=2)],
        agencies=[agency(min_release=2)],
    )
    m = applied(s, agency_floor, 1)
    assert_requirements(m, [requirement(agency_floor, "a1", 2)])
    assert choose(m, ("o1", "n1")) == INFEASIBLE
    assert choose(m, ("o1", "n1"), ("o2", "n1")) == OPTIMAL


def test_agency_floor_counts_a_part_time_official_with_two_arcs_once() -> None:
    m = applied(_part_time(min_release=2), agency_floor, 1)
    assert_requirements(m, [requirement(agency_floor, "a1", 2)])
    assert choose(m, ("p", "n1"), ("p", "n2")) == INFEASIBLE  # one person, two arcs
    assert choose(m, ("p", "n1"), ("q", "n2")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("p", "n2"), ("q", "n1")) == OPTIMAL


def test_agency_floor_counts_a_full_time_official_once_with_official_capacity() -> None:
    # A full-time official who may take one arc only is counted as sum(x): once
    # because official_capacity bounds that sum by 1 (as in every built model).
    s = scenario(
        [official("o1"), official("o2")],
        [need("n1"), need("n2")],
        agencies=[agency(min_release=2)],
    )
    m = bare(s)
    official_capacity(m)
    agency_floor(m)
    assert [p.name for p in m.pieces] == [official_capacity.__name__, agency_floor.__name__]
    assert choose(m, ("o1", "n1"), ("o1", "n2")) == INFEASIBLE
    assert choose(m, ("o1", "n1"), ("o2", "n2")) == OPTIMAL


def test_agency_floor_above_the_people_with_arcs_makes_the_model_infeasible() -> None:
    # Floor 3, but only o1 and o2 have arcs: the row cannot hold.
    s = scenario(
        [official("o1"), official("o2")], [need("n1", slots=2)], agencies=[agency(min_release=3)]
    )
    m = applied(s, agency_floor, 1)
    assert_requirements(m, [requirement(agency_floor, "a1", 3)])
    assert solve(m, {})[0] == INFEASIBLE


def test_agency_floor_guarded_each_behind_its_own_literal() -> None:
    s = scenario(
        [official("o1"), official("o2", agency_id="a2")],
        [need("n1", slots=2)],
        agencies=[agency("a1", min_release=1), agency("a2", min_release=1)],
    )
    m = applied(s, agency_floor, 2, guarded=True)
    a1, a2 = assert_requirements(
        m,
        [requirement(agency_floor, "a1", 1), requirement(agency_floor, "a2", 1)],
    )
    assert choose(m, ("o2", "n1"), literals={a1: 1, a2: 1}) == INFEASIBLE
    assert choose(m, ("o2", "n1"), literals={a1: 0, a2: 1}) == OPTIMAL
    assert choose(m, ("o1", "n1"), literals={a1: 0, a2: 1}) == INFEASIBLE
    assert choose(m, ("o1", "n1"), ("o2", "n1"), literals={a1: 1, a2: 1}) == OPTIMAL


# -- agency_ceiling --------------------------------------------------------------


def test_agency_ceiling_one_person_over_is_infeasible() -> None:
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1", slots=3)],
        agencies=[agency(max_release=2)],
    )
    m = applied(s, agency_ceiling, 1)
    assert_requirements(m, [requirement(agency_ceiling, "a1", 2)])
    assert choose(m, ("o1", "n1"), ("o3", "n1")) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o2", "n1"), ("o3", "n1")) == INFEASIBLE


def test_agency_ceiling_counts_a_part_time_official_with_two_arcs_once() -> None:
    m = applied(_part_time(max_release=1), agency_ceiling, 1)
    assert_requirements(m, [requirement(agency_ceiling, "a1", 1)])
    assert choose(m, ("p", "n1"), ("p", "n2")) == OPTIMAL  # one person, two arcs
    assert choose(m, ("p", "n1"), ("q", "n2")) == INFEASIBLE


def test_agency_ceiling_writes_no_row_when_it_cannot_bind() -> None:
    # Ceiling 2 (max_release) and only two people with arcs.
    s = scenario(
        [official("o1"), official("o2")], [need("n1", slots=2)], agencies=[agency(max_release=2)]
    )
    m = applied(s, agency_ceiling, 0)
    assert m.rows == [] and m.requirement_rows == []
    assert choose(m, ("o1", "n1"), ("o2", "n1")) == OPTIMAL


def test_agency_ceiling_guarded_each_behind_its_own_literal() -> None:
    s = scenario(
        [
            official("o1"),
            official("o2"),
            official("o3", agency_id="a2"),
            official("o4", agency_id="a2"),
        ],
        [need("n1", slots=4)],
        agencies=[agency("a1", max_release=1), agency("a2", max_release=1)],
    )
    m = applied(s, agency_ceiling, 2, guarded=True)
    a1, a2 = assert_requirements(
        m,
        [
            requirement(agency_ceiling, "a1", 1),
            requirement(agency_ceiling, "a2", 1),
        ],
    )
    both_of_a1 = [("o1", "n1"), ("o2", "n1")]
    both_of_a2 = [("o3", "n1"), ("o4", "n1")]
    assert choose(m, *both_of_a1, literals={a1: 1, a2: 1}) == INFEASIBLE
    assert choose(m, *both_of_a1, literals={a1: 0, a2: 1}) == OPTIMAL
    assert choose(m, *both_of_a2, literals={a1: 0, a2: 1}) == INFEASIBLE
    assert choose(m, ("o1", "n1"), ("o3", "n1"), literals={a1: 1, a2: 1}) == OPTIMAL


# -- lock ------------------------------------------------------------------------


def test_lock_keeps_the_locked_arc_at_one() -> None:
    # The forbid is no arc and no row: only kind "lock" is this piece's.
    s = scenario(
        [official("o1"), official("o2"), official("o3")],
        [need("n1")],
        locks=[("o1", "n1", "lock"), ("o3", "n1", "forbid")],
    )
    m = applied(s, lock, 1)
    assert_requirements(m, [requirement(lock, "o1->n1")])
    assert choose(m, ("o1", "n1")) == OPTIMAL
    assert choose(m, ("o2", "n1")) == INFEASIBLE
    assert choose(m) == INFEASIBLE


def test_lock_on_a_pair_that_is_not_an_arc_makes_the_model_infeasible() -> None:
    # o2 has no skill in the need's field: (o2, n1) is not an arc.
    s = scenario(
        [official("o1"), official("o2", skills="land:2")],
        [need("n1")],
        locks=[("o2", "n1", "lock")],
    )
    m = applied(s, lock, 1)
    assert_requirements(m, [requirement(lock, "o2->n1")])
    assert solve(m, {})[0] == INFEASIBLE


def test_lock_guarded_each_behind_its_own_literal() -> None:
    s = scenario(
        [official("o1"), official("o2", skills="land:2")],
        [need("n1"), need("n2")],
        locks=[("o1", "n1", "lock"), ("o2", "n2", "lock")],
    )
    m = applied(s, lock, 2, guarded=True)
    on_arc, off_arc = assert_requirements(
        m, [requirement(lock, "o1->n1"), requirement(lock, "o2->n2")]
    )
    assert choose(m, ("o1", "n1"), literals={on_arc: 1, off_arc: 0}) == OPTIMAL
    assert choose(m, ("o1", "n2"), literals={on_arc: 1, off_arc: 0}) == INFEASIBLE
    assert choose(m, ("o1", "n2"), literals={on_arc: 0, off_arc: 0}) == OPTIMAL
    assert choose(m, ("o1", "n1"), literals={on_arc: 1, off_arc: 1}) == INFEASIBLE


# -- budget ----------------------------------------------------------------------

#: Zone I pays a one-off of 1,000 VND per secondment and 2,000 VND a month, no
#: travel or housing: every arc of an official who travels (6 months) costs
#: 1,000 + 6 * 2,000 = 13,000 VND, 13 units.
_PRICED = BASE_100.model_copy(
    update={
        "one_off_allowance": {Zone.I: 1_000, Zone.II: 0, Zone.III: 0},
        "monthly_allowance": {Zone.I: 2_000, Zone.II: 0, Zone.III: 0},
        "travel_allowance_per_month": 0,
        "housing_allowance_per_month": 0,
    }
)
#: A home 5 km from c1 and c2 (an official on the spot costs nothing).
_AWAY = {"home_lat": 21.03, "home_lon": 103.0}


def _budgeted(limit: int | None, budgets: tuple[ProvinceBudget, ...] = ()) -> Scenario:
    """Three officials, three needs: n1, n2 in commune c1 (province P), n3 in c2 (Q)."""
    s = scenario(
        [official("o1", **_AWAY), official("o2", **_AWAY), official("o3", **_AWAY)],
        [need("n1"), need("n2"), need("n3", commune_id="c2")],
        communes=[commune("c1"), commune("c2", province="Q")],
        policy=_PRICED.model_copy(update={"budget": limit}),
    )
    return s.replace(budgets=budgets) if budgets else s


@pytest.mark.parametrize("guarded", [False, True])
def test_budget_row_allows_exactly_what_the_budget_pays(guarded: bool) -> None:
    # 39,999 VND pays for 3 arcs of 13,000 = 39,000, not for 4 (52,000).
    s = _budgeted(39_999)
    m = applied(s, budget, 1, guarded=guarded)
    [row] = m.rows
    assert row[1].tolist() == [13] * m.n_arcs and row[3] == 39  # thousands of VND
    lits = assert_requirements(m, [requirement(budget, "scenario", 39_999)])
    on = dict.fromkeys(lits, 1)
    assert choose(m, ("o1", "n1"), ("o2", "n2"), ("o3", "n3"), literals=on) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o1", "n2"), ("o2", "n2"), ("o3", "n3"), literals=on) == (
        INFEASIBLE
    )


@pytest.mark.parametrize("guarded", [False, True])
def test_budget_with_two_amounts_adds_its_hull_cuts_as_the_same_requirement(
    guarded: bool,
) -> None:
    # n3's commune is in zone III (its arcs cost 5,000 thousand VND more): two
    # amounts, so the row gets the cuts of staffopt.model.knapsack.
    s = _budgeted(None).replace(communes=[commune("c1"), commune("c2", province="Q", zone="III")])
    s = s.with_policy(one_off_allowance={"I": 1_000_000, "II": 0, "III": 6_000_000})
    cost = candidates(s)[0]["cost"].to_numpy() // 1_000
    hi, lo = int(cost.max()), int(cost.min())
    assert hi > lo > 0
    limit = 2 * hi + lo + lo // 2  # 2 at hi and 1 at lo fit, with half a lo arc left
    s = s.with_policy(budget=limit * 1_000)
    m = bare(s, guarded=guarded)
    budget(m)
    [piece] = m.pieces
    assert piece.rows == len(m.rows) > 1
    req = requirement(budget, "scenario", limit * 1_000)
    if guarded:
        [lit] = m.guards
        assert m.guards == {lit: req}
        assert {row[4] for row in m.rows} == {lit}  # one literal switches them all
    else:
        assert m.requirement_rows == [(req, i) for i in range(len(m.rows))]
    # Valid: every choice of arcs within the budget keeps every cut.
    most = 0
    for bits in range(1 << m.n_arcs):
        x = np.array([(bits >> i) & 1 for i in range(m.n_arcs)])
        sums = [int(x[v] @ c) for v, c, *_ in m.rows]
        if sums[0] <= m.rows[0][3]:
            assert all(total <= row[3] for total, row in zip(sums, m.rows, strict=True))
            most = max(most, int(x.sum()))
    if guarded:
        return
    # Useful: the LP's most arcs within budget is a fraction without the cuts,
    # the integer count with them.
    rel = replace(relaxation(m), gains=np.ones(m.n_vars))
    row_only = replace(rel, ub=np.append(rel.ub[:1], [np.inf] * (len(rel.ub) - 1)))
    assert solve_lp(row_only).objective > most + 0.1
    assert solve_lp(rel).objective == pytest.approx(most)


def test_budget_over_too_many_arcs_gets_no_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    cost = np.array([5, 5, 5, 3, 3, 3])
    assert budget_cut_rows(cost, 11)  # 2 at 5 and 0 at 3, or 1 at 5 and 2 at 3 ...
    monkeypatch.setattr(constraints, "MAX_CUT_ARCS", 5)
    assert budget_cut_rows(cost, 11) == []
    assert budget_cut_rows(np.array([5, 4, 3]), 7) == []  # three amounts: no cut


def test_budget_that_cannot_bind_writes_no_row() -> None:
    # Every arc together (9 arcs x 13,000 = 117,000 VND) fits: nothing to state.
    applied(_budgeted(117_000), budget, 0)
    applied(_budgeted(None), budget, 0)


def test_budget_of_a_province_covers_only_its_communes() -> None:
    # Province Q (need n3: 3 arcs) may pay one secondment; P has no limit.
    s = _budgeted(None, (ProvinceBudget(province="Q", budget=13_000),))
    m = applied(s, budget, 1)
    [row] = m.rows
    assert sorted(m.arcs["need_id"].to_numpy()[row[0]].tolist()) == ["n3"] * 3
    assert_requirements(m, [requirement(budget, "Q", 13_000)])
    assert choose(m, ("o1", "n1"), ("o2", "n2"), ("o3", "n3")) == OPTIMAL
    assert choose(m, ("o1", "n3"), ("o2", "n3")) == INFEASIBLE


# -- objective: score ------------------------------------------------------------

#: Scores 100 + affinity: o1->n1 120, o2->n1 -50, o1->n2 0, o2->n2 105.
_SCORED = scenario(
    [official("o1"), official("o2")],
    [need("n1"), need("n2")],
    affinity={("o1", "n1"): 20, ("o2", "n1"): -150, ("o1", "n2"): -100, ("o2", "n2"): 5},
)


def test_score_alone_takes_every_positive_arc() -> None:
    m = applied(_SCORED, score, 1)
    assert m.rows == []
    pairs = zip(m.arcs["official_id"], m.arcs["need_id"], m.gains.tolist(), strict=True)
    assert {(o, n): g for o, n, g in pairs} == {
        ("o1", "n1"): 120,
        ("o2", "n1"): -50,
        ("o1", "n2"): 0,
        ("o2", "n2"): 105,
    }
    status, solver = solve(m, {})
    assert status == OPTIMAL
    # 120 + 105 = 225; the -50 arc is left out and the 0 arc adds nothing.
    assert solver.objective_value == 225
    assert solver.value(m.model.get_bool_var_from_proto_index(arc(m, "o2", "n1"))) == 0


def test_score_drops_by_the_score_of_an_arc_fixed_to_zero() -> None:
    m = applied(_SCORED, score, 1)
    status, solver = solve(m, {arc(m, "o1", "n1"): 0})
    assert status == OPTIMAL
    assert solver.objective_value == 225 - 120  # = 105


def test_score_uses_the_weight_column_when_present() -> None:
    arcs, _ = candidates(_SCORED)
    weights = {("o1", "n1"): 7, ("o2", "n1"): -3, ("o1", "n2"): 0, ("o2", "n2"): 2}
    arcs["weight"] = [
        weights[(o, n)] for o, n in zip(arcs["official_id"], arcs["need_id"], strict=True)
    ]
    m = ArcModel(_SCORED, arcs)
    score(m)
    status, solver = solve(m, {})
    assert status == OPTIMAL
    assert solver.objective_value == 7 + 2  # = 9, not the scores' 225


# -- max_communes and max_km_between (shared support) ----------------------------

#: Three communes on a meridian: c2 is 11.1 km north of c1 (16.7 road km with the
#: road factor 1.5), c3 55.6 km (83.4 road km; 66.7 from c2).
_LINE = [
    commune("c1", lat=21.0),
    commune("c2", lat=21.1),
    commune("c3", lat=21.5),
]


def _shared(policy: dict[str, object], **official_kw: object) -> Scenario:
    """One official p (capacity 1) and part-time needs of 0.3 FTE: n1, n1b in c1, n2 in
    c2, n3 in c3."""
    return scenario(
        [official("p", **official_kw)],
        [
            need("n1", workload=0.3),
            need("n1b", workload=0.1),
            need("n2", commune_id="c2", workload=0.3),
            need("n3", commune_id="c3", workload=0.3),
        ],
        communes=_LINE,
        policy=BASE_100.model_copy(update=policy),
    )


def test_max_communes_one_commune_over_is_infeasible() -> None:
    m = applied(_shared({"max_communes": 2}), max_communes, 3 + 1)  # 3 links, 1 count
    assert_never_guarded(m)
    assert choose(m, ("p", "n1"), ("p", "n2")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("p", "n1b"), ("p", "n2")) == OPTIMAL  # c1 counts once
    assert choose(m, ("p", "n1"), ("p", "n2"), ("p", "n3")) == INFEASIBLE


def test_max_communes_the_official_own_value_wins_and_no_row_when_it_cannot_bind() -> None:
    m = applied(_shared({"max_communes": 1}, max_communes=3), max_communes, 0)
    assert m.rows == []
    m = applied(_shared({"max_communes": 3}, max_communes=1), max_communes, 3 + 1)
    assert choose(m, ("p", "n1"), ("p", "n1b")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("p", "n2")) == INFEASIBLE


def test_max_communes_ignores_an_official_who_takes_one_arc_at_most() -> None:
    s = scenario(
        [official("p")],
        [need("n1"), need("n2", commune_id="c2"), need("n3", commune_id="c3")],
        communes=_LINE,
        policy=BASE_100.model_copy(update={"max_communes": 1, "max_km_between": 1.0}),
    )
    assert applied(s, max_communes, 0).rows == []
    assert applied(s, max_km_between, 0).rows == []


def test_max_km_between_only_far_pairs_get_a_row() -> None:
    # Limit 30 road km: (c1, c3) and (c2, c3) are far, (c1, c2) is not.
    m = applied(_shared({"max_km_between": 30.0}), max_km_between, 3 + 2)
    assert_never_guarded(m)
    assert choose(m, ("p", "n1"), ("p", "n1b"), ("p", "n2")) == OPTIMAL
    assert choose(m, ("p", "n3")) == OPTIMAL
    assert choose(m, ("p", "n1"), ("p", "n3")) == INFEASIBLE
    assert choose(m, ("p", "n2"), ("p", "n3")) == INFEASIBLE


def test_max_km_between_the_official_own_value_wins() -> None:
    # c2-c3 is 66.7 road km and c1-c3 83.4: a limit of 70 leaves only (c1, c3).
    m = applied(_shared({"max_km_between": 10.0}, max_km_between=70.0), max_km_between, 2 + 1)
    assert choose(m, ("p", "n2"), ("p", "n3")) == OPTIMAL
    assert choose(m, ("p", "n1b"), ("p", "n3")) == INFEASIBLE


def test_max_communes_and_max_km_between_share_the_commune_booleans() -> None:
    m = bare(_shared({"max_communes": 2, "max_km_between": 30.0}))
    max_communes(m)
    max_km_between(m)
    assert m.pieces == [Piece("max_communes", 4), Piece("max_km_between", 2)]
    assert len(m.commune_links) == 3 and m.n_vars == m.n_arcs + 3


# -- fairness floors and the other objective terms (issue 10) ---------------------

#: Two zone III communes: c3a with two slots (n1 critical, n2), c3b with one (n3);
#: a zone I commune c1 with one slot (n4). Officials o1..o3 may take any need;
#: o1 lives 10 km from every commune, o2 20 km, o3 30 km (given distances).
_ZONES = scenario(
    [official("o1"), official("o2"), official("o3")],
    [
        need("n1", commune_id="c3a", criticality=3),
        need("n2", commune_id="c3a"),
        need("n3", commune_id="c3b"),
        need("n4", commune_id="c1"),
    ],
    communes=[commune("c3a", zone="III"), commune("c3b", zone="III"), commune("c1")],
    distances=[
        (o, c, km) for o, km in (("o1", 10), ("o2", 20), ("o3", 30)) for c in ("c3a", "c3b", "c1")
    ],
    policy=BASE_100.model_copy(update={"zone_coverage_floor": {Zone.III: 0.6}, "commune_floor": 1}),
)


def test_zone_coverage_floor_asks_for_the_share_of_the_zone_slots_rounded_up() -> None:
    # Zone III has 3 slots; 0.6 * 3 = 1.8, so 2 must be filled.
    m = applied(_ZONES, zone_coverage_floor, 1)
    assert_requirements(m, [requirement(zone_coverage_floor, "III", 2)])
    assert choose(m, ("o1", "n1"), ("o2", "n3")) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o2", "n4"), ("o3", "n4")) == INFEASIBLE
    assert zone_share_needed(0.8, 10) == 8  # float noise does not ask for a ninth


def test_commune_floor_asks_each_commune_for_k_slots_clamped_by_its_slots_and_people() -> None:
    m = applied(_ZONES.with_policy(commune_floor=2), commune_floor, 3)
    # c3a: min(2, 2 slots, 3 people) = 2; c3b and c1 have one slot each.
    assert_requirements(
        m,
        [
            requirement(commune_floor, "c1", 1),
            requirement(commune_floor, "c3a", 2),
            requirement(commune_floor, "c3b", 1),
        ],
    )
    assert choose(m, ("o1", "n1"), ("o2", "n2"), ("o3", "n3")) == INFEASIBLE  # c1 empty
    lonely = scenario(
        [official("o1")],
        [need("n1", slots=3)],
        policy=BASE_100.model_copy(update={"commune_floor": 2}),
    )
    m = applied(lonely, commune_floor, 1)
    assert_requirements(m, [requirement(commune_floor, "c1", 1)])  # one person can be sent


def _optimum(m: ArcModel) -> float:
    status, solver = solve(m, {})
    assert status == OPTIMAL
    return float(solver.objective_value)


def _capacity(m: ArcModel) -> ArcModel:
    """``m`` with the capacity and slot rows every plan obeys."""
    official_capacity(m)
    need_slots(m)
    return m


def test_slots_counts_the_arcs_taken() -> None:
    m = _capacity(bare(_ZONES))
    slots(m)
    assert _optimum(m) == 3  # three people, four slots


def test_critical_zone_iii_counts_only_critical_needs_of_zone_iii() -> None:
    m = _capacity(bare(_ZONES))
    critical_zone_iii(m)
    assert _optimum(m) == 1  # n1 alone is critical and in zone III


def test_min_commune_coverage_is_the_smallest_commune_share_in_millionths() -> None:
    m = _capacity(bare(_ZONES))
    min_commune_coverage(m)
    # Three people, communes of 2, 1, 1 slots: best is 1/2, 1, 1 -> 0.5.
    assert _optimum(m) == COVERAGE_SCALE // 2
    status, solver = solve(m, {arc(m, "o1", "n4"): 0, arc(m, "o2", "n4"): 0, arc(m, "o3", "n4"): 0})
    assert status == OPTIMAL and solver.objective_value == 0  # c1 empty


def test_communes_served_counts_communes_with_a_slot_filled() -> None:
    m = _capacity(bare(_ZONES))
    communes_served(m)
    assert _optimum(m) == 3
    fixed = {arc(m, o, "n3"): 0 for o in ("o1", "o2", "o3")}
    status, solver = solve(m, fixed)
    assert status == OPTIMAL and solver.objective_value == 2


def test_travel_km_is_minimised_in_whole_metres() -> None:
    m = _capacity(bare(_ZONES))
    zone_coverage_floor(m)  # two zone III slots: the two nearest people, 10 + 20 km
    travel_km(m)
    assert _optimum(m) == 30 * METRES_PER_KM


def test_officials_used_counts_people_not_assignments() -> None:
    part_time = scenario(
        [official("o1", capacity=1.0), official("o2", capacity=1.0)],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        policy=BASE_100.model_copy(update={"zone_coverage_floor": {Zone.I: 1.0}}),
    )
    m = _capacity(bare(part_time))
    zone_coverage_floor(m)  # both slots filled
    officials_used(m)
    assert _optimum(m) == 1  # one person takes both half-time needs


def test_objective_as_row_keeps_a_stage_within_its_tolerance() -> None:
    m = _capacity(bare(_ZONES))
    slots(m)
    objective_as_row(m, 3, 1)  # at least 3 - 1 = 2 slots
    travel_km(m)
    assert _optimum(m) == 30 * METRES_PER_KM  # o1 and o2


def test_kept_counts_the_chosen_arcs_marked_as_previous_pairs() -> None:
    # o1->n1 and o2->n2 were the previous plan; n1 and n2 have one slot each.
    arcs, _ = candidates(_SCORED)
    previous = {("o1", "n1"), ("o2", "n2")}
    pairs = zip(arcs["official_id"], arcs["need_id"], strict=True)
    arcs["kept"] = [int(p in previous) for p in pairs]
    m = ArcModel(_SCORED, arcs)
    need_slots(m)
    official_capacity(m)
    kept(m)
    assert [p.name for p in m.pieces][-1] == "kept"
    status, solver = solve(m, {})
    assert status == OPTIMAL and solver.objective_value == 2
    # Without o1->n1 at most one previous pair stays (o2->n2).
    status, solver = solve(m, {arc(m, "o1", "n1"): 0})
    assert status == OPTIMAL and solver.objective_value == 1


def test_kept_without_the_column_counts_nothing() -> None:
    m = bare(_SCORED)
    kept(m)
    status, solver = solve(m, {})
    assert status == OPTIMAL and solver.objective_value == 0


# -- stability (issue 10) --------------------------------------------------------


#: n1 ranks o1 (score 110) above o2 (100); each official takes one post.
_RANKED = scenario(
    [official("o1"), official("o2")],
    [need("n1")],
    affinity={("o1", "n1"): 10},
    policy=BASE_100.model_copy(update={"stability": "required"}),
)


def test_stability_rows_leave_no_blocking_pair_for_one_post_officials() -> None:
    s = _RANKED
    m = applied(s, stability, 2)  # one row per arc
    assert [req for req, _ in m.requirement_rows] == [requirement(stability, "scenario")] * 2
    assert choose(m) == INFEASIBLE  # (o1, n1): o1 unused, n1 free
    assert choose(m, ("o2", "n1")) == INFEASIBLE  # (o1, n1): n1 ranks o1 above o2
    assert choose(m, ("o1", "n1")) == OPTIMAL  # n1 is full of a better holder
    off = applied(s.with_policy(stability="off"), stability, 0)
    assert choose(off) == OPTIMAL


def test_stability_asks_a_part_time_official_for_a_post_above_each_wanted_need() -> None:
    # o1 may take both half-time needs and ranks n1 above n2 (same km, need_id).
    s = scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        policy=BASE_100.model_copy(update={"stability": "required"}),
    )
    m = applied(s, stability, 6)  # per arc: the row, and two rows for "does not want"
    assert choose(m) == INFEASIBLE  # unused: wants both, both free
    # Holding n2 only, o1 would rather have n1 (above its worst post), free: blocking.
    assert choose(m, ("o1", "n2")) == INFEASIBLE
    # Holding n1 only: n2 ranks below every post, so o1 does not want it.
    assert choose(m, ("o1", "n1")) == OPTIMAL
    assert choose(m, ("o1", "n1"), ("o1", "n2")) == OPTIMAL


def least_blocking(m: ArcModel, *pairs: Pair) -> float:
    """The term's minimum with exactly ``pairs`` chosen."""
    fixed = dict.fromkeys(range(m.n_arcs), 0)
    fixed.update({arc(m, o, n): 1 for o, n in pairs})
    status, solver = solve(m, fixed)
    assert status == OPTIMAL
    return solver.objective_value


def test_blocking_pairs_counts_the_rows_a_plan_breaks() -> None:
    s = _RANKED.with_policy(stability="preferred")
    m = bare(s)
    blocking_pairs(m)
    assert m.pieces == [Piece("blocking_pairs", 2)]  # one row per arc, each with a slack

    assert least_blocking(m) == 2  # both unused, n1 free: (o1, n1) and (o2, n1) block
    assert least_blocking(m, ("o2", "n1")) == 1  # n1 ranks o1 above o2, o1 unused
    assert least_blocking(m, ("o1", "n1")) == 0  # n1 is full of its best
    status, solver = solve(m, {})
    assert status == OPTIMAL and solver.objective_value == 0


def test_blocking_pairs_rows_for_a_part_time_official() -> None:
    # o1 may take both half-time needs and ranks n1 above n2 (as in the stability test).
    s = scenario(
        [official("o1")],
        [need("n1", workload=0.5), need("n2", workload=0.5)],
        policy=BASE_100.model_copy(update={"stability": "preferred"}),
    )
    m = bare(s)
    blocking_pairs(m)
    assert m.pieces == [Piece("blocking_pairs", 6)]

    assert least_blocking(m) == 2
    assert least_blocking(m, ("o1", "n2")) == 1  # o1 would rather have n1, free
    assert least_blocking(m, ("o1", "n1")) == 0  # n2 ranks below every post
    assert least_blocking(m, ("o1", "n1"), ("o1", "n2")) == 0


def test_stability_behind_one_literal_when_guarded() -> None:
    s = _RANKED
    m = applied(s, stability, 2, guarded=True)
    assert list(m.guards.values()) == [requirement(stability, "scenario")]
    (lit,) = m.guards
    assert [row[4] for row in m.rows] == [lit, lit]
    assert choose(m, ("o2", "n1"), literals={lit: 1}) == INFEASIBLE
    assert choose(m, ("o2", "n1"), literals={lit: 0}) == OPTIMAL


# -- the registries --------------------------------------------------------------

#: Every piece writes a row here: o1 on two full-time needs, n2 with three
#: candidates for one slot, n1 mandatory, a floor, three people over a ceiling
#: of 2, a lock, part-time needs in three communes far apart over the
#: shared-support limits, and a budget for one secondment of 13,000 VND.
_EVERY_PIECE = scenario(
    [official("o1", **_AWAY), official("o2", **_AWAY), official("o3", **_AWAY)],
    [
        need("n1", mandatory=True),
        need("n2"),
        need("n3", commune_id="c2", workload=0.3),
        need("n4", commune_id="c3", workload=0.3),
    ],
    communes=_LINE,
    agencies=[agency(min_release=1, max_release=2)],
    locks=[("o1", "n1", "lock")],
    policy=_PRICED.model_copy(
        update={
            "budget": 13_000,
            "max_communes": 1,
            "max_km_between": 10.0,
            "zone_coverage_floor": {Zone.I: 0.5},
            "commune_floor": 1,
            "stability": "required",
        }
    ),
)


@pytest.mark.parametrize("piece", [*CONSTRAINTS, *OBJECTIVE_TERMS], ids=lambda f: f.__name__)
def test_each_piece_records_itself_and_guards_only_planner_requirements(piece: PieceFn) -> None:
    m = bare(_EVERY_PIECE, guarded=True)
    piece(m)
    assert [p.name for p in m.pieces] == [piece.__name__]
    assert m.pieces[0].rows >= 1
    planner = piece.__name__ in REQUIREMENT_KINDS
    assert {r.kind for r in m.guards.values()} == ({piece.__name__} if planner else set())


def test_every_requirement_kind_is_a_constraint_piece() -> None:
    assert set(REQUIREMENT_KINDS) <= {f.__name__ for f in CONSTRAINTS}


def test_every_piece_and_term_has_its_own_test() -> None:
    names = [f.__name__ for f in (*CONSTRAINTS, *OBJECTIVE_TERMS)]
    tests = [name for name, obj in globals().items() if name.startswith("test_") and callable(obj)]
    missing = [n for n in names if not any(t.startswith(f"test_{n}_") for t in tests)]
    assert missing == [], f"pieces or terms without a test_<name>_... here: {missing}"
