"""The greedy rule planners use by hand: most critical, most remote needs first.

Needs are taken in order of criticality (high first), zone (III first), then
their best candidate's score; each slot takes the highest-score candidate who
still has time and whose agency may still release a person. It respects
capacity, slots and agency ceilings; it ignores floors, mandatory needs and
locks (so its plan is feasible exactly when the scenario has none of those).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.eligibility import LOAD_SCALE
from staffopt.schema import Scenario

_ZONE_RANK = {"I": 0, "II": 1, "III": 2}


def greedy_assign(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The arcs the greedy rule chooses (a mask over ``arcs``' rows)."""
    s = scenario
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    load = np.rint(arcs["load"].to_numpy(np.float64) * LOAD_SCALE).astype(np.int64)
    chosen = np.zeros(len(arcs), dtype=bool)
    if len(arcs) == 0:
        return chosen
    zone_of = {c.commune_id: _ZONE_RANK[c.zone.value] for c in s.communes}
    crit = np.array([n.criticality for n in s.needs], dtype=np.int64)
    zone = np.array([zone_of[n.commune_id] for n in s.needs], dtype=np.int64)
    best = np.full(len(s.needs), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(best, n_idx, score)
    need_order = np.lexsort((-best, -zone, -crit))
    order = np.lexsort((-score, n_idx))  # arcs grouped by need, best score first
    starts = np.searchsorted(n_idx[order], np.arange(len(s.needs) + 1))
    agency_pos = {a.agency_id: i for i, a in enumerate(s.agencies)}
    agency_of = [agency_pos[o.agency_id] for o in s.officials]
    room = [a.ceiling for a in s.agencies]
    remaining = np.rint(np.array([o.capacity for o in s.officials]) * LOAD_SCALE).astype(np.int64)
    left = remaining.tolist()
    used = [False] * len(s.officials)
    slots = [n.slots for n in s.needs]
    o_list, load_list, score_list = o_idx.tolist(), load.tolist(), score.tolist()
    for n in need_order.tolist():
        want = slots[n]
        for arc in order[starts[n] : starts[n + 1]].tolist():
            if want == 0 or score_list[arc] <= 0:
                break
            o = o_list[arc]
            if left[o] < load_list[arc]:
                continue
            if not used[o]:
                if room[agency_of[o]] <= 0:
                    continue
                room[agency_of[o]] -= 1
                used[o] = True
            left[o] -= load_list[arc]
            chosen[arc] = True
            want -= 1
    return chosen
