"""metrics.evaluate: every metric equals a hand computation on a tiny plan."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import agency, commune, need, official, scenario

import staffopt
from staffopt import Scenario
from staffopt.checker import Violation
from staffopt.metrics import evaluate, evaluate_frame, gini
from staffopt.plan import Plan


def _tiny() -> tuple[Scenario, Plan]:
    """c1 (zone I) needs 2 it (critical), c2 (III) 1 it, c3 (II) 1 land nobody has.

    The plan: o1 (a1) and o2 (a1) to n1 (101 points each), o3 (a2) to n2 (100).
    """
    s = scenario(
        [official("o1"), official("o2"), official("o3", agency_id="a2")],
        [
            need("n1", commune_id="c1", slots=2, criticality=3),
            need("n2", commune_id="c2"),
            need("n3", commune_id="c3", field="land"),
        ],
        communes=[commune("c1"), commune("c2", zone="III"), commune("c3", zone="II")],
        agencies=[agency("a1", headcount=4), agency("a2", headcount=3)],
        affinity={("o1", "n1"): 1, ("o2", "n1"): 1},
        distances=[
            ("o1", "c1", 10.0),
            ("o1", "c2", 80.0),
            ("o2", "c1", 30.0),
            ("o2", "c2", 20.0),
            ("o3", "c1", 70.0),
            ("o3", "c2", 60.0),
        ],
    )
    # Greedy: n1 (critical) takes its two best, o1 and o2 (101 each), then n2 takes o3.
    plan = staffopt.allocate(s, "greedy")
    pairs = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    assert pairs == {("o1", "n1"), ("o2", "n1"), ("o3", "n2")}
    return s, plan


def test_every_metric_equals_the_hand_computation() -> None:
    s, plan = _tiny()
    m = evaluate(s, plan)
    assert m == {
        "mechanism": "greedy",
        "status": "feasible",
        "score": 302,
        "slots_total": 4,
        "slots_filled": 3,
        "slots_filled_pct": 75.0,
        "slots_filled_pct_I": 100.0,
        "slots_filled_pct_II": 0.0,
        "slots_filled_pct_III": 100.0,
        "critical_slots": 2,
        "critical_filled": 2,
        # c3 gets nobody; per-commune coverage is [1, 1, 0].
        "communes_unserved": 1,
        "worst_commune_coverage": 0.0,
        # Ordered pairs' |differences| sum to 4; 4 / (2 * 3**2 * 2/3) = 1/3.
        "coverage_gini": pytest.approx(1 / 3),
        "km_total": 100.0,
        "km_mean": pytest.approx(100 / 3),
        # Sorted [10, 30, 60], linear: position 0.9 * 2 = 1.8 -> 30 + 0.8 * 30.
        "km_p90": pytest.approx(54.0),
        "officials_used": 3,
        # a1 releases 2 of 4, a2 1 of 3.
        "largest_agency_share": 0.5,
        # o2 would rather have c2 (20 km < 30 km) and n2 ranks o2 (100, "o2")
        # above its holder o3 (100, "o3"): one blocking pair, one envy. o3 would
        # rather have c2 (60 km) than c1 (70 km): no other pair blocks.
        "blocking_pairs": 1,
        "justified_envy": 1,
        "violations": 0,
        "violations_ignored": 0,
        "run_time_s": plan.wall_time_s,
    }
    frame = evaluate_frame(s, plan)
    assert frame.shape == (1, len(m)) and frame["km_p90"].iat[0] == pytest.approx(54.0)


def test_violations_split_by_what_the_mechanism_ignores() -> None:
    s, plan = _tiny()
    plan.ignores = ["agency_floor"]
    given = [Violation("agency_floor", "a1 below its floor"), Violation("need_slots", "n1")]
    m = evaluate(s, plan, violations=given)
    assert (m["violations"], m["violations_ignored"]) == (1, 1)


def test_gini_of_known_distributions() -> None:
    assert gini(np.array([0.5, 0.5, 0.5])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(3 / 4)
    assert gini(np.array([])) == 0.0


def test_the_metrics_of_an_allocated_plan_report_a_clean_checker_verdict() -> None:
    s, _ = _tiny()
    for mechanism in staffopt.mechanisms():
        m = evaluate(s, staffopt.allocate(s, mechanism))
        assert m["mechanism"] == mechanism and m["violations"] == 0
