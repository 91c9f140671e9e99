"""Valid inequalities of a budget row whose arcs cost one of at most two amounts.

A budget row ``sum(cost_j * x_j) <= limit`` is a knapsack: its LP relaxation
spends the last thousands of VND on a fraction of an arc, and that fraction
is where the LP bound of a budget-bound plan loses its integrality. When the
covered arcs cost one of two amounts ``hi > lo`` (the usual case: the
allowances depend on the commune's zone and the term, so a round with one
term length has one cost for zone III communes and one for the rest), the
row only counts two integers, ``a`` arcs at ``hi`` and ``b`` at ``lo``, and
the integer points of ``{hi * a + lo * b <= limit}`` have a convex hull with
a handful of facets. Those facets, written over the arcs (``alpha`` on every
``hi`` arc, ``beta`` on every ``lo`` arc), hold for every plan within budget
and cut the LP's fractional corner off: on the Điện Biên example they turn
re-solves of 10 s without a proof into proven optima in well under a second
(benchmarks/README.md, session 8). One amount is the special case
``count <= limit // cost``.

Pure arithmetic: nothing here knows arcs, models or scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from math import gcd

#: Above this many values of ``a`` the hull is not computed (no cut): the
#: integer rounding such a budget loses is a tiny share of the plan.
MAX_HULL_POINTS = 200_000
#: Above this many covered arcs a budget row gets no cuts: each cut is a row
#: over every covered arc, and on the large province (110,595 arcs, 9 cuts,
#: 60 s) CP-SAT's search peaked 576 MB higher with them (for a 4x smaller
#: gap); at national size the dense rows would cost more than they give.
MAX_CUT_ARCS = 250_000


@dataclass(frozen=True)
class Cut:
    """``alpha * (arcs at hi) + beta * (arcs at lo) <= rhs``; with one amount, ``beta`` is 0."""

    alpha: int
    beta: int
    rhs: int


def budget_cuts(hi: int, lo: int | None, limit: int, n_hi: int, n_lo: int = 0) -> list[Cut]:
    """The facets of conv{(a, b) integer: hi*a + lo*b <= limit, 0 <= a <= n_hi, 0 <= b <= n_lo}.

    ``hi`` and ``lo`` (``hi > lo > 0``, or ``lo`` None for one amount) are
    the two costs, ``n_hi`` and ``n_lo`` how many covered arcs cost each.
    Only facets the row and the counts do not already state at the LP's
    level are returned: the upper hull's edges and ``a <= limit // hi``.
    Empty when the hull would take more than :data:`MAX_HULL_POINTS` points.
    """
    if limit < 0 or hi <= 0:
        return []
    a_max = min(limit // hi, n_hi)
    if lo is None:
        # The row itself says count <= limit / hi: a cut only when that is a fraction.
        return [Cut(1, 0, a_max)] if a_max < n_hi and limit % hi else []
    if not 0 < lo < hi:
        raise ValueError(f"budget_cuts needs hi > lo > 0, got hi={hi}, lo={lo}")
    if a_max + 1 > MAX_HULL_POINTS:
        return []
    # The staircase: for each a, the most lo arcs that still fit.
    points = [(a, min((limit - hi * a) // lo, n_lo)) for a in range(a_max + 1)]
    hull: list[tuple[int, int]] = []
    for p in points:
        # Monotone chain, upper hull: drop the last point while it lies on
        # or below the segment from the one before it to p.
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) >= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    cuts = []
    for (x1, y1), (x2, y2) in pairwise(hull):
        alpha, beta = y1 - y2, x2 - x1
        g = gcd(alpha, beta)
        alpha, beta = alpha // g, beta // g
        cuts.append(Cut(alpha, beta, alpha * x1 + beta * y1))
    cuts.append(Cut(0, 1, hull[0][1]))  # b at most what fits with no hi arc
    cuts.append(Cut(1, 0, a_max))
    # A cut every choice of arcs meets (all of them within rhs) says nothing.
    return [c for c in cuts if c.alpha * n_hi + c.beta * n_lo > c.rhs]
