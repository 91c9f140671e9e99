"""The greedy rule planners use by hand: most critical, most remote needs first.

Needs are taken in order of criticality (high first), zone (III first), then
their best candidate's score; each slot takes the highest-score candidate who
still has time, whose agency may still release a person, whose commune keeps
them within the shared-support limits (max_communes, max_km_between) and whose
cost fits what the allowance budgets covering it have left. It respects
capacity, slots, agency ceilings, those limits and budgets; it ignores floors,
mandatory needs and locks (so its plan is feasible exactly when the scenario
has none of those).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.allowance import budget_groups, cost_units
from staffopt.indices import arc_loads, indices
from staffopt.schema import Scenario
from staffopt.sharing import spread

_ZONE_RANK = {"I": 0, "II": 1, "III": 2}


def greedy_assign(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The arcs the greedy rule chooses (a mask over ``arcs``' rows)."""
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    if len(arcs) == 0:
        return np.zeros(0, dtype=bool)
    need_rank = need_priority(scenario, arcs)
    # Arcs grouped by need in need order, best score first within a need.
    return fill_in_order(scenario, arcs, np.lexsort((-score, need_rank[n_idx])))


def need_priority(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Per need: its turn (0 = first): criticality high first, zone III first, best score.

    The order planners use by hand; the greedy, nearest and zone-quota
    mechanisms all take needs in it.
    """
    s = scenario
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    crit = np.array([n.criticality for n in s.needs], dtype=np.int64)
    zone = need_zone_ranks(s)
    best = np.full(len(s.needs), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(best, n_idx, score)
    need_rank = np.empty(len(s.needs), dtype=np.int64)
    need_rank[np.lexsort((-best, -zone, -crit))] = np.arange(len(s.needs))
    return need_rank


def need_zone_ranks(scenario: Scenario) -> npt.NDArray[np.int64]:
    """Per need: its commune's zone as 0 (I), 1 (II) or 2 (III)."""
    zone_of = {c.commune_id: _ZONE_RANK[c.zone.value] for c in scenario.communes}
    return np.array([zone_of[n.commune_id] for n in scenario.needs], dtype=np.int64)


class BudgetLedger:
    """What each allowance budget that can bind has left, as arcs are taken one by one.

    Shared by every rule that takes arcs in turn (greedy fill, serial
    dictatorship), so a budget is kept the same way everywhere.
    """

    def __init__(
        self, scenario: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_] | None = None
    ) -> None:
        groups = budget_groups(scenario, arcs)
        cost = cost_units(arcs) if groups else np.zeros(len(arcs), dtype=np.int64)
        taken = np.zeros(len(arcs), dtype=bool) if chosen is None else chosen
        self._money = [g.limit_units - int(cost[g.arcs][taken[g.arcs]].sum()) for g in groups]
        self._budgets_of: dict[int, list[int]] = {}
        for k, g in enumerate(groups):
            for arc in g.arcs.tolist():
                self._budgets_of.setdefault(arc, []).append(k)
        self._cost = cost.tolist()

    def fits(self, arc: int) -> bool:
        """Whether every budget covering ``arc`` has its cost left."""
        c = self._cost[arc]
        return all(self._money[k] >= c for k in self._budgets_of.get(arc, ()))

    def spend(self, arc: int) -> None:
        """Charge ``arc``'s cost to every budget covering it."""
        for k in self._budgets_of.get(arc, ()):
            self._money[k] -= self._cost[arc]


def fill_in_order(
    scenario: Scenario,
    arcs: pd.DataFrame,
    order: npt.ArrayLike,
    start: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.bool_]:
    """Take the arcs in ``order``, each one that still fits; return the chosen mask.

    An arc fits when its score is positive, its need has a free slot, its
    official has the time left, the official's agency may still release a
    person (or already released this one), its commune keeps the official
    within max_communes and max_km_between, and its cost fits what every
    allowance budget covering it has left. ``start``: arcs already chosen
    (assumed to fit together), kept and counted first. Respects capacity,
    slots, agency ceilings, those limits and budgets only; floors, mandatory needs and
    locks are the caller's business.
    """
    s = scenario
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    load = arc_loads(arcs)
    chosen = np.zeros(len(arcs), dtype=bool) if start is None else start.copy()
    ix = indices(s)
    agency_of = ix.official_agency.tolist()
    room = ix.ceiling.tolist()
    left = ix.capacity.copy()
    used = np.zeros(len(s.officials), dtype=bool)
    slots = ix.slots.copy()
    if chosen.any():
        np.subtract.at(left, o_idx[chosen], load[chosen])
        np.subtract.at(slots, n_idx[chosen], 1)
        used[o_idx[chosen]] = True
        for o in np.flatnonzero(used).tolist():
            room[agency_of[o]] -= 1
    limits = _Limits(s, arcs, chosen)
    budgets = BudgetLedger(s, arcs, chosen)
    left_l, used_l, slots_l = left.tolist(), used.tolist(), slots.tolist()
    o_list, n_list, load_list = o_idx.tolist(), n_idx.tolist(), load.tolist()
    picked = []
    ordered = np.asarray(order, dtype=np.int64)
    for arc in ordered[score[ordered] > 0].tolist():
        n = n_list[arc]
        if slots_l[n] <= 0:
            continue
        o = o_list[arc]
        if left_l[o] < load_list[arc]:
            continue
        if not limits.fits(arc) or not budgets.fits(arc):
            continue
        if not used_l[o]:
            if room[agency_of[o]] <= 0:
                continue
            room[agency_of[o]] -= 1
            used_l[o] = True
        budgets.spend(arc)
        left_l[o] -= load_list[arc]
        slots_l[n] -= 1
        limits.cover(arc)
        picked.append(arc)
    chosen[picked] = True
    return chosen


class _Limits:
    """The communes each official covers so far, and whether one more arc keeps
    them within max_communes and max_km_between (see :mod:`staffopt.sharing`)."""

    def __init__(self, s: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_]) -> None:
        sp = spread(s, arcs)
        self.arc_slot = sp.arc_slot.tolist()
        self.owner = sp.slot_official.tolist()
        self.limit = dict(sp.count_limits)
        # A far pair (a, b), a < b, as the key a * n + b: one set, no per-slot lists.
        self.n = len(self.owner)
        self.far = set((sp.far_pairs[:, 0] * self.n + sp.far_pairs[:, 1]).tolist())
        self.covered: dict[int, list[int]] = {}
        for k in sorted({k for k in sp.arc_slot[chosen].tolist() if k >= 0}):
            self.covered.setdefault(self.owner[k], []).append(k)

    def fits(self, arc: int) -> bool:
        """Whether taking ``arc`` keeps its official within both limits."""
        k = self.arc_slot[arc]
        if k < 0:
            return True
        mine = self.covered.get(self.owner[k], [])
        if k in mine:
            return True
        if len(mine) >= self.limit.get(self.owner[k], len(mine) + 1):
            return False
        return not any(min(k, u) * self.n + max(k, u) in self.far for u in mine)

    def cover(self, arc: int) -> None:
        """``arc`` is taken: its commune counts as covered by its official."""
        k = self.arc_slot[arc]
        if k >= 0:
            mine = self.covered.setdefault(self.owner[k], [])
            if k not in mine:
                mine.append(k)
