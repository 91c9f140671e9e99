"""The nearest rule: each need, in priority order, takes the nearest eligible free official.

Needs are taken in the greedy rule's order (:func:`~.greedy.need_priority`:
criticality, zone III first, best score); each slot takes the candidate at
the shortest distance (ties: the higher score, then the official's
preference order) who still has time and whose agency may still release a
person. Like the greedy rule it leaves a slot empty rather than fill it
with a pair of score <= 0, respects capacity, slots and agency ceilings, and
ignores floors, mandatory needs and locks.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.policies.greedy import fill_in_order, need_priority
from staffopt.schema import Scenario


def nearest_assign(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The arcs the nearest rule chooses (a mask over ``arcs``' rows)."""
    if len(arcs) == 0:
        return np.zeros(0, dtype=bool)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    km = arcs["distance_km"].to_numpy(np.float64)
    score = arcs["score"].to_numpy(np.int64)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    need_rank = need_priority(scenario, arcs)
    return fill_in_order(scenario, arcs, np.lexsort((o_idx, -score, km, need_rank[n_idx])))
