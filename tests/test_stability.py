"""Blocking pairs and justified envy against a plain-Python brute force."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_mechanisms import RULES, with_wishes
from test_oracle import SETTINGS

import staffopt
from staffopt import Scenario
from staffopt.eligibility import candidates
from staffopt.plan import Plan
from staffopt.stability import blocking_pairs, justified_envy, stability_counts

Pair = tuple[str, str]


def _brute(s: Scenario, plan: Plan) -> tuple[set[Pair], int]:
    """Blocking pairs and justified envy, straight from the definitions, pair by pair."""
    arcs, _ = candidates(s, plan.policy)
    wish = {(w.official_id, w.commune_id): w.rank for w in s.wishes}
    info = {
        (o, n): (c, km, score)
        for o, n, c, km, score in zip(
            arcs["official_id"],
            arcs["need_id"],
            arcs["commune_id"],
            arcs["distance_km"],
            arcs["score"],
            strict=True,
        )
    }

    def o_key(o: str, n: str) -> tuple[float, float, str]:
        c, km, _ = info[(o, n)]
        return (wish.get((o, c), float("inf")), km, n)

    def n_key(o: str, n: str) -> tuple[int, str]:
        return (-info[(o, n)][2], o)

    held = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    slots = {x.need_id: x.slots for x in s.needs}
    blocking: set[Pair] = set()
    envy = 0
    for o, n in info:
        if (o, n) in held:
            continue
        posts = [m for p, m in held if p == o]
        official_wants = not posts or any(o_key(o, n) < o_key(o, m) for m in posts)
        holders = [p for p, m in held if m == n]
        lower = [p for p in holders if n_key(o, n) < n_key(p, n)]
        if official_wants and (len(holders) < slots[n] or lower):
            blocking.add((o, n))
        if official_wants:
            envy += len(lower)
    return blocking, envy


@SETTINGS
@given(with_wishes(), st.integers(0, 1000))
def test_blocking_pairs_and_envy_equal_the_brute_force(s: Scenario, seed: int) -> None:
    for mechanism in RULES:
        plan = staffopt.allocate(s, mechanism, seed=seed)
        found = plan.blocking_pairs()
        expected, envy = _brute(s, plan)
        assert set(zip(found["official_id"], found["need_id"], strict=True)) == expected
        assert len(found) == len(expected), mechanism
        assert plan.arcs is not None
        assert justified_envy(s, plan.arcs, plan.assignments) == envy, mechanism
        assert stability_counts(s, plan.arcs, plan.assignments) == (len(expected), envy)


@SETTINGS
@given(with_wishes())
def test_deferred_acceptance_without_caps_leaves_no_blocking_pair(s: Scenario) -> None:
    plan = staffopt.allocate(s, "deferred_acceptance")
    assert _brute(s, plan) == (set(), 0)
    assert plan.blocking_pairs().empty


def test_a_blocking_pair_reads_in_both_languages() -> None:
    from helpers import need, official, scenario

    s = scenario([official("o1"), official("o2")], [need("n1")], affinity={("o1", "n1"): 10})
    arcs, _ = candidates(s)
    # o2 holds n1 although n1 ranks o1 (score 110) above o2 (100); o1 is unused.
    plan_rows = arcs.loc[arcs["official_id"] == "o2"]
    table = blocking_pairs(s, arcs, plan_rows)
    assert table[
        ["official_id", "need_id", "current_need_id", "lower_official_id"]
    ].values.tolist() == [["o1", "n1", "", "o2"]]
    assert table["text_en"].iat[0] == (
        "o1 has no post and would take need n1, and need n1 ranks o1 above o2, whom it holds"
    )
    assert table["text_vi"].iat[0].startswith("o1 chưa được phân công")
    assert justified_envy(s, arcs, plan_rows) == 1
