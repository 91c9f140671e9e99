"""The hull cuts of a budget row with one or two amounts (staffopt.model.knapsack).

Checked against the integer points themselves: every point within budget
keeps every cut (valid), and every linear objective has the same optimum
over the cut polytope as over the integer points (the cuts are the hull).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from staffopt.model.knapsack import Cut, budget_cuts


def _points(hi: int, lo: int | None, limit: int, n_hi: int, n_lo: int) -> list[tuple[int, int]]:
    """Every (a, b) within the box and the budget, by enumeration."""
    lo_ = lo or 0
    return [
        (a, b)
        for a, b in itertools.product(range(n_hi + 1), range(n_lo + 1 if lo else 1))
        if hi * a + lo_ * b <= limit
    ]


def _lp_max(
    w: tuple[int, int], hi: int, lo: int | None, limit: int, n_hi: int, n_lo: int, cuts: list[Cut]
) -> float:
    """max w.(a, b) over the box, the budget row and the cuts (a 2-variable LP)."""
    rows = [[hi, lo or 0]] + [[c.alpha, c.beta] for c in cuts]
    rhs = [limit] + [c.rhs for c in cuts]
    res = linprog(
        [-w[0], -w[1]],
        A_ub=rows,
        b_ub=rhs,
        bounds=[(0, n_hi), (0, n_lo if lo else 0)],
        method="highs",
    )
    assert res.status == 0
    return float(-res.fun)


def test_dien_bien_known_answer() -> None:
    # Zone III arcs cost 76,398 thousand VND, the others 30,000; 2.3 bn VND.
    cuts = budget_cuts(76_398, 30_000, 2_300_000, n_hi=2_086, n_lo=348)
    assert cuts == [
        Cut(2, 1, 76),
        Cut(5, 2, 153),
        Cut(28, 11, 843),
        Cut(13, 5, 390),
        Cut(0, 1, 76),
        Cut(1, 0, 30),
    ]


def test_one_amount_is_a_count_only_when_the_row_leaves_a_fraction() -> None:
    assert budget_cuts(13, None, 40, n_hi=9) == [Cut(1, 0, 3)]
    assert budget_cuts(13, None, 39, n_hi=9) == []  # the row already says 3
    assert budget_cuts(13, None, 40, n_hi=3) == []  # every arc fits


def test_two_amounts_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValueError, match="hi > lo"):
        budget_cuts(5, 7, 100, 3, 3)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.integers(2, 40),
    st.one_of(st.none(), st.integers(1, 39)),
    st.integers(0, 300),
    st.integers(0, 12),
    st.integers(0, 12),
    st.tuples(st.integers(0, 9), st.integers(0, 9)),
)
def test_cuts_are_valid_and_are_the_hull(
    hi: int, lo: int | None, limit: int, n_hi: int, n_lo: int, w: tuple[int, int]
) -> None:
    if lo is not None and lo >= hi:
        lo, hi = hi - 1 or None, hi
        if lo is None:
            return
    cuts = budget_cuts(hi, lo, limit, n_hi, n_lo)
    points = _points(hi, lo, limit, n_hi, n_lo)
    for a, b in points:  # valid: no plan within budget is cut off
        assert all(c.alpha * a + c.beta * b <= c.rhs for c in cuts), (a, b)
    # The hull: the LP over the cuts reaches exactly the best integer point.
    best = max(w[0] * a + w[1] * b for a, b in points)
    assert _lp_max(w, hi, lo, limit, n_hi, n_lo, cuts) == pytest.approx(best, abs=1e-6)
