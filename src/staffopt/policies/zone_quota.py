"""The zone-quota rule: zone III first up to a reserved share, then zone II, then zone I.

Pass 1: zone III needs, in the greedy rule's order and best score first
(:func:`~.greedy.need_priority`), take officials until they hold the
reserved quota: ``floor(policy.zone_quota_share * officials with at least one
arc)`` slots. Pass 2: zone II needs, then zone I needs, then the zone III
slots still open, each in the same order, take what is left. Respects
capacity, slots and agency ceilings; leaves a slot empty rather than fill it
with a pair of score <= 0; ignores floors, mandatory needs and locks.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.policies.greedy import fill_in_order, need_priority, need_zone_ranks
from staffopt.schema import Scenario

#: need_zone_ranks' code of zone III.
_ZONE_III = 2


def zone_quota_assign(
    scenario: Scenario, arcs: pd.DataFrame, share: float
) -> npt.NDArray[np.bool_]:
    """The arcs the zone-quota rule chooses with ``share`` reserved for zone III."""
    if len(arcs) == 0:
        return np.zeros(0, dtype=bool)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    need_rank = need_priority(scenario, arcs)[n_idx]
    zone = need_zone_ranks(scenario)[n_idx]
    quota = math.floor(share * len(np.unique(arcs["o_idx"].to_numpy(np.int64))))
    in_iii = zone == _ZONE_III
    order_iii = np.lexsort((-score, need_rank))
    order_iii = order_iii[in_iii[order_iii]]
    taken = fill_in_order(scenario, arcs, order_iii)
    # Picks come in order and never undo one another: the first `quota` picks
    # are exactly what the rule takes before zone III reaches its quota.
    start = np.zeros(len(arcs), dtype=bool)
    start[order_iii[taken[order_iii]][:quota]] = True
    # Zone II before zone I, zone III's remaining slots last.
    turn = np.where(in_iii, 3, 2 - zone)
    return fill_in_order(scenario, arcs, np.lexsort((-score, need_rank, turn)), start=start)
