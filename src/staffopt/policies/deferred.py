"""Official-proposing deferred acceptance (Gale-Shapley, hospital-resident form).

Each official takes at most one post (capacity-1 officials) and each need
holds at most ``slots`` officials. Free officials propose, in ``official_id``
order, to the next need on their list (:mod:`.preferences`); a need holds
the best proposals it has (by its own order) and rejects the rest; a
rejected official proposes to their next need. It ends when every official
is held or has run through their list; every arc is proposed at most once.

Group caps, in the spirit of Kamada and Kojima's regional caps:

* ``zone_caps`` (``Policy.zone_caps``): the communes of a zone hold at most
  this many people. When a zone holds more, it rejects the proposal it
  holds that needs rank last (the lowest score, then the highest
  ``official_id``), whichever of its needs holds it.
* ``respect_agency_ceilings`` (``Policy.respect_agency_ceilings``, False by
  default): an agency whose held officials exceed its ceiling has the held
  proposal that needs rank last rejected in the same way.

Without caps the result is stable (no blocking pair, see
:mod:`staffopt.stability`) and the best stable matching for the officials.
With caps it respects them but may leave blocking pairs. It ignores agency
floors, mandatory needs and locks, and agency ceilings unless asked.
"""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import indices
from staffopt.policies.greedy import need_zone_ranks
from staffopt.policies.preferences import preferences
from staffopt.schema import Scenario, Zone

_ZONES = (Zone.I, Zone.II, Zone.III)


class _Group:
    """Needs (or officials) held together under one cap; drops the proposal needs rank last."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.count = 0
        # Max-heap of need keys (negated): the top is the worst held proposal.
        self.heap: list[tuple[int, int]] = []

    def add(self, key: int, arc: int) -> None:
        self.count += 1
        heapq.heappush(self.heap, (-key, arc))

    def worst(self, held: list[bool]) -> int:
        """The held arc needs rank last (lazy deletion of arcs no longer held)."""
        while not held[self.heap[0][1]]:
            heapq.heappop(self.heap)
        return self.heap[0][1]


def deferred_acceptance(
    scenario: Scenario,
    arcs: pd.DataFrame,
    *,
    zone_caps: dict[Zone, int] | None = None,
    respect_agency_ceilings: bool = False,
) -> npt.NDArray[np.bool_]:
    """The official-proposing deferred-acceptance matching (a mask over ``arcs``' rows)."""
    s = scenario
    if len(arcs) == 0:
        return np.zeros(0, dtype=bool)
    prefs = preferences(s, arcs)
    ix = indices(s)
    o_idx = arcs["o_idx"].to_numpy(np.int64).tolist()
    n_idx = arcs["n_idx"].to_numpy(np.int64).tolist()
    key = prefs.need_key.tolist()
    by_official = prefs.by_official.tolist()
    start = prefs.official_start.tolist()
    # Every arc belongs to its need's group and, when capped, its zone's and agency's.
    needs = [_Group(k) for k in ix.slots.tolist()]
    caps = zone_caps or {}
    zones = {z: _Group(caps[zone]) for z, zone in enumerate(_ZONES) if zone in caps}
    agencies = [_Group(c) for c in ix.ceiling.tolist()] if respect_agency_ceilings else []
    zone_of_need = need_zone_ranks(s).tolist()
    agency_of = ix.official_agency.tolist()

    def groups_of(arc: int) -> list[_Group]:
        found = [needs[n_idx[arc]]]
        zone = zones.get(zone_of_need[n_idx[arc]])
        if zone is not None:
            found.append(zone)
        if agencies:
            found.append(agencies[agency_of[o_idx[arc]]])
        return found

    held = [False] * len(arcs)
    counted_in: list[list[_Group]] = [[] for _ in range(len(arcs))]
    next_choice = start[:-1]
    free = deque(sorted(range(len(s.officials)), key=lambda o: s.officials[o].official_id))
    while free:
        o = free.popleft()
        if next_choice[o] >= start[o + 1]:
            continue  # ran through the list: stays unplaced
        arc = by_official[next_choice[o]]
        next_choice[o] += 1
        held[arc] = True
        for group in groups_of(arc):
            group.add(key[arc], arc)
            counted_in[arc].append(group)
            if group.count > group.cap:
                worst = group.worst(held)
                held[worst] = False
                for g in counted_in[worst]:
                    g.count -= 1
                counted_in[worst] = []
                free.append(o_idx[worst])
            if not held[arc]:
                break
    return np.asarray(held, dtype=bool)
