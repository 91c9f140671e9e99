"""Serial dictatorship: officials in turn each take their most preferred post still open.

Two orders of turns: ``lottery`` (random serial dictatorship: a seeded
:class:`numpy.random.Generator` permutes the officials) and ``seniority``
(``years_of_service``, most first; officials without a value come after all
who have one; ties, and everyone when the column is absent, by
``official_id``). Each official takes at most one post: the first need in
their preference list (:mod:`.preferences`) that still has a free slot, if
their agency may still release a person and its cost fits what the
allowance budgets covering it have left. Respects capacity (an arc's load
always fits its official), slots, agency ceilings and budgets; ignores
floors, mandatory needs and locks.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import indices
from staffopt.policies.greedy import BudgetLedger
from staffopt.policies.preferences import preferences
from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]


def lottery_order(scenario: Scenario, seed: int) -> IntArray:
    """Official positions in a random order drawn from ``numpy.random.default_rng(seed)``."""
    return np.random.default_rng(seed).permutation(len(scenario.officials)).astype(np.int64)


def seniority_order(scenario: Scenario) -> IntArray:
    """Official positions by years of service (most first; unknown last), then official_id."""
    offs = scenario.officials
    years = np.array([-1 if o.years_of_service is None else o.years_of_service for o in offs])
    ids = np.empty(len(offs), dtype=np.int64)
    ids[np.argsort(np.asarray([o.official_id for o in offs], dtype=object), kind="stable")] = (
        np.arange(len(offs))
    )
    return np.lexsort((ids, -years)).astype(np.int64)


def serial_dictatorship(
    scenario: Scenario, arcs: pd.DataFrame, order: IntArray
) -> npt.NDArray[np.bool_]:
    """The arcs chosen when officials pick in ``order`` (official positions)."""
    chosen = np.zeros(len(arcs), dtype=bool)
    if len(arcs) == 0:
        return chosen
    prefs = preferences(scenario, arcs)
    ix = indices(scenario)
    n_idx = arcs["n_idx"].to_numpy(np.int64).tolist()
    slots = ix.slots.tolist()
    room = ix.ceiling.tolist()
    agency_of = ix.official_agency.tolist()
    by_official = prefs.by_official.tolist()
    start = prefs.official_start.tolist()
    budgets = BudgetLedger(scenario, arcs)
    for o in order.tolist():
        if room[agency_of[o]] <= 0:
            continue
        for arc in by_official[start[o] : start[o + 1]]:
            if slots[n_idx[arc]] > 0 and budgets.fits(arc):
                budgets.spend(arc)
                slots[n_idx[arc]] -= 1
                room[agency_of[o]] -= 1
                chosen[arc] = True
                break
    return chosen
