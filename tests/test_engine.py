"""Decomposition into independent parts and per-part engine choice.

Several random scenarios are placed side by side in separate provinces with
provincial agencies, so they are independent parts of one scenario. Solved as
one scenario (auto and cpsat engines, both decomposed), as one CP-SAT model
without decomposition, and part by part, all must agree on the optimum.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from test_oracle import SETTINGS, assert_checked, scenarios

import staffopt.solver.parts as parts_module
from staffopt import Scenario
from staffopt.eligibility import candidates
from staffopt.model import build_model
from staffopt.solver import independent_parts, solve
from staffopt.solver.cpsat import cpsat_part_bound, cpsat_solver, stopped_on_gap

# Each example solves the combined scenario four ways: fewer examples.
FEWER = settings(SETTINGS, max_examples=12)


def _prefixed(s: Scenario, k: int) -> dict[str, list[dict[str, object]]]:
    """The scenario's tables with every id prefixed and one province of its own."""
    p = f"p{k}_"
    ids = ("commune_id", "agency_id", "official_id", "need_id", "home_commune_id")
    out: dict[str, list[dict[str, object]]] = {}
    for table in ("communes", "agencies", "officials", "needs", "distances", "locks", "affinity"):
        rows = []
        for r in getattr(s, table):
            d = r.model_dump()
            for c in ids:
                if d.get(c) is not None:
                    d[c] = p + str(d[c])
            if table == "communes":
                d["province"] = f"Province {k}"
            if table == "agencies":
                d["province"] = f"Province {k}"
            rows.append(d)
        out[table] = rows
    return out


def side_by_side(parts: list[Scenario]) -> Scenario:
    tables: dict[str, list[dict[str, object]]] = {}
    for k, s in enumerate(parts):
        for table, rows in _prefixed(s, k).items():
            tables.setdefault(table, []).extend(rows)
    return Scenario.model_validate(
        {**tables, "policy": parts[0].policy, "options": parts[0].options}
    )


def undecomposed_optimum(s: Scenario) -> float | None:
    """One CP-SAT model over every arc: the reference the decomposition must match."""
    arcs, _ = candidates(s)
    m = build_model(s, arcs)
    solver = cpsat_solver(s.options)
    code = solver.solve(m.model)
    if code == cp_model.INFEASIBLE:
        return None
    assert code == cp_model.OPTIMAL
    chosen = np.asarray(solver.response_proto.solution, dtype=np.int64)[: m.n_arcs] > 0
    return float(arcs["score"].to_numpy()[chosen].sum())


@FEWER
@given(st.lists(scenarios(), min_size=2, max_size=3), st.booleans())
def test_independent_parts_give_the_single_model_optimum(
    parts: list[Scenario], network_first: bool
) -> None:
    s = side_by_side(parts)
    reference = undecomposed_optimum(s)
    auto = solve(s)
    cpsat = solve(s, options=s.options.with_changes(engine="cpsat"))
    if reference is None:
        assert auto.status == cpsat.status == "infeasible"
        return
    for plan in (auto, cpsat):
        assert plan.status == "optimal"
        assert plan.objective == reference == plan.bound
        assert_checked(s, plan)
    separately = [solve(side_by_side([p]), s.policy, options=s.options) for p in parts]
    assert sum(p.objective or 0 for p in separately) == reference


@FEWER
@given(scenarios(pure_network=True), scenarios())
def test_auto_solves_network_parts_by_flow(network: Scenario, other: Scenario) -> None:
    s = side_by_side([network, other])
    arcs, _ = candidates(s)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parts_module, "BATCH_ARCS", 1)  # one part per component
        parts = independent_parts(s, arcs)
        plan = solve(s)
    # Parts never mix provinces: every part's needs lie in one province or are empty.
    provinces = np.array([s.commune_by_id[n.commune_id].province for n in s.needs])
    for part in parts:
        need_rows = arcs["n_idx"].to_numpy()[part.arcs]
        assert len(set(provinces[need_rows])) <= 1
    reference = undecomposed_optimum(s)
    if reference is None:
        assert plan.status == "infeasible"
        return
    assert plan.objective == reference
    assert_checked(s, plan)
    if plan.solver.engine == "cpsat" and plan.solver.parts > 1:
        assert plan.solver.flow_parts >= 1


class _Bound:
    """The parts of a CpSolver a bound is read from (its objective in weighted units)."""

    def __init__(self, value: float, objective: float, gap_limit: float = 0.0) -> None:
        self.best_objective_bound = value
        self.objective_value = objective
        self.parameters = SimpleNamespace(relative_gap_limit=gap_limit)


@pytest.mark.parametrize(
    ("code", "raw", "objective", "scale", "expected"),
    [
        (cp_model.OPTIMAL, 999.0, 10.0, 1, 10.0),  # proven: the bound is the objective
        (cp_model.FEASIBLE, 25.0, 10.0, 1, 25.0),
        (cp_model.FEASIBLE, 27.0, 10.0, 4, 10.0),  # floor(27 / 4) = 6 < 10: the objective
        (cp_model.FEASIBLE, 90.0, 10.0, 4, 22.0),  # weighted bound 90 -> floor(90/4)
        (cp_model.UNKNOWN, 5.0, 10.0, 1, None),  # below the hint's score: not a bound
        (cp_model.UNKNOWN, float("inf"), 10.0, 1, None),
        (cp_model.UNKNOWN, 12.0, 10.0, 1, 12.0),
    ],
)
def test_part_bound(
    code: object, raw: float, objective: float, scale: int, expected: float | None
) -> None:
    solver = _Bound(raw, objective * scale)
    assert cpsat_part_bound(solver, code, objective, scale, True) == expected  # type: ignore[arg-type]


def test_a_gap_stop_reports_optimal_but_keeps_its_bound() -> None:
    """CP-SAT says OPTIMAL when relative_gap_limit stops it: the bound is CP-SAT's, not the plan."""
    stopped = _Bound(103.0, 100.0, gap_limit=0.05)
    assert stopped_on_gap(stopped, cp_model.OPTIMAL)  # type: ignore[arg-type]
    assert cpsat_part_bound(stopped, cp_model.OPTIMAL, 100.0, 1, True) == 103.0  # type: ignore[arg-type]
    proven = _Bound(100.0, 100.0, gap_limit=0.05)
    assert not stopped_on_gap(proven, cp_model.OPTIMAL)  # type: ignore[arg-type]
    assert cpsat_part_bound(proven, cp_model.OPTIMAL, 100.0, 1, True) == 100.0  # type: ignore[arg-type]
