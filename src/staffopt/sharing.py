"""Shared support across communes: which communes one person may cover together.

Policy ``max_communes`` / ``max_km_between`` (or an official's own value of
the same name) limit how many communes one person covers and how far apart
(road km by the one distance rule: great-circle km times ``road_factor``)
any two of them may be. :func:`spread` finds, from the arcs alone, where
these limits can bind: per official who can take several arcs, the
*commune slots* (one per official and commune their arcs reach), the
officials whose arcs reach more communes than their limit, and the pairs of
slots farther apart than the limit. Nothing else is listed (no pairwise
explosion: a pair is listed only when both communes are arcs of the same
official and too far apart).

The model's pieces, the greedy start, engine choice and decoding all read
this one description; the checker re-derives the limits on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.geo import road_km
from staffopt.indices import single_assignment_officials
from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Arc columns :func:`staffopt.eligibility.candidates` fills from the policy
#: and the officials: the limits in force for the arc's official (0 / NaN = none)
#: and the road factor commune-to-commune distances use.
SHARING_COLUMNS = ("max_communes", "max_km_between", "road_factor")


@dataclass(frozen=True)
class Spread:
    """Where max_communes and max_km_between can bind in a set of arcs.

    ``arc_slot``: per arc, its commune slot, or -1 when its official has no
    binding limit. Per slot: ``slot_official`` (official position) and
    ``slot_commune`` (commune position). ``count_limits``: (official,
    max_communes) for officials whose arcs reach more communes than that.
    ``far_pairs``: (slot, slot) pairs of one official farther apart than the
    official's max_km_between, each once (first < second), sorted.
    """

    arc_slot: IntArray
    slot_official: IntArray
    slot_commune: IntArray
    count_limits: list[tuple[int, int]]
    far_pairs: IntArray  # shape (k, 2), sorted

    @property
    def binds(self) -> bool:
        return bool(self.count_limits) or len(self.far_pairs) > 0

    @cached_property
    def slot_arcs(self) -> list[IntArray]:
        """Per slot: the arcs it summarises (built once)."""
        arcs = np.flatnonzero(self.arc_slot >= 0)
        order = arcs[np.argsort(self.arc_slot[arcs], kind="stable")]
        cuts = np.searchsorted(self.arc_slot[order], np.arange(1, len(self.slot_official)))
        return list(np.split(order.astype(np.int64), cuts))

    def blocked(self, chosen: BoolArray) -> tuple[BoolArray, BoolArray]:
        """Per arc: taking it would exceed max_communes / come too far from a commune
        the official already covers (arcs whose commune is already covered never are)."""
        n_arcs = len(self.arc_slot)
        count = np.zeros(n_arcs, dtype=bool)
        far = np.zeros(n_arcs, dtype=bool)
        if not self.binds:
            return count, far
        on = self.arc_slot >= 0
        used = np.zeros(len(self.slot_official), dtype=bool)
        used[self.arc_slot[chosen & on]] = True
        n_used = np.bincount(
            self.slot_official[used], minlength=int(self.slot_official.max(initial=-1)) + 1
        )
        limit = np.full(len(n_used), np.iinfo(np.int64).max, dtype=np.int64)
        for o, k in self.count_limits:
            limit[o] = k
        slot = self.arc_slot[on]
        new = ~used[slot]
        owner = self.slot_official[slot]
        count[on] = new & (n_used[owner] >= limit[owner])
        too_far = np.zeros(len(used), dtype=bool)
        if len(self.far_pairs):
            a, b = self.far_pairs[:, 0], self.far_pairs[:, 1]
            too_far[b[used[a]]] = True
            too_far[a[used[b]]] = True
        far[on] = new & too_far[slot]
        return count, far


def _codes(values: pd.Series, index: pd.Index) -> IntArray:
    return np.asarray(index.get_indexer(pd.Index(values.to_numpy(object))), dtype=np.int64)


def spread(scenario: Scenario, arcs: pd.DataFrame) -> Spread:
    """Where the shared-support limits can bind among ``arcs`` (see :class:`Spread`)."""
    n = len(arcs)
    empty = Spread(
        np.full(n, -1, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        [],
        np.zeros((0, 2), dtype=np.int64),
    )
    if n == 0 or not set(SHARING_COLUMNS) <= set(arcs.columns):
        return empty
    max_c = arcs["max_communes"].to_numpy(np.int64)
    max_km = arcs["max_km_between"].to_numpy(np.float64)
    limited = (max_c > 0) | ~np.isnan(max_km)
    # One arc per person at most: a person covers one commune whatever the limits.
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    limited &= ~single_assignment_officials(scenario, arcs)[o_idx]
    if not limited.any():
        return empty
    com = scenario.frame("communes")
    c_idx = _codes(arcs["commune_id"], pd.Index(com["commune_id"]))
    lat = com["lat"].to_numpy(np.float64)
    lon = com["lon"].to_numpy(np.float64)
    factor = arcs["road_factor"].to_numpy(np.float64)
    # Distinct (official, commune) pairs of the limited arcs, in official order.
    pairs = np.unique(np.stack([o_idx[limited], c_idx[limited]], axis=1), axis=0)
    # The limits are the official's: read them on one arc of each.
    officials, first = np.unique(o_idx, return_index=True)
    first_arc = dict(zip(officials.tolist(), first.tolist(), strict=True))
    keep: list[IntArray] = []
    count_limits: list[tuple[int, int]] = []
    far: list[IntArray] = []
    n_slots = 0
    upper: dict[int, tuple[IntArray, IntArray]] = {}  # k -> np.triu_indices(k, 1)
    starts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
    ends = np.r_[starts[1:], len(pairs)]
    for s0, s1 in zip(starts.tolist(), ends.tolist(), strict=True):
        k = s1 - s0
        if k < 2:
            continue
        o = int(pairs[s0, 0])
        communes = pairs[s0:s1, 1]
        arc0 = first_arc[o]
        hit_pairs = np.zeros((0, 2), dtype=np.int64)
        if not np.isnan(max_km[arc0]):
            if k not in upper:
                upper[k] = np.triu_indices(k, 1)
            i, j = upper[k]
            km = road_km(
                lat[communes[i]],
                lon[communes[i]],
                lat[communes[j]],
                lon[communes[j]],
                float(factor[arc0]),
            )
            hit = km > max_km[arc0]
            hit_pairs = np.stack([i[hit], j[hit]], axis=1).astype(np.int64) + n_slots
        too_many = 0 < max_c[arc0] < k
        if len(hit_pairs) == 0 and not too_many:
            continue
        keep.append(pairs[s0:s1])
        far.append(hit_pairs)
        n_slots += k
        if too_many:
            count_limits.append((o, int(max_c[arc0])))
    if not keep:
        return empty
    slots = np.concatenate(keep)
    # Slots are sorted by (official, commune): find each arc's by its key.
    n_c = len(com)
    slot_key = slots[:, 0] * n_c + slots[:, 1]
    arc_key = o_idx * n_c + c_idx
    pos = np.minimum(np.searchsorted(slot_key, arc_key), len(slot_key) - 1)
    arc_slot = np.where(slot_key[pos] == arc_key, pos, -1).astype(np.int64)
    # Row-major upper triangles, officials in order: sorted by first slot, then second.
    far_pairs = np.concatenate(far)
    return Spread(
        arc_slot,
        slots[:, 0].astype(np.int64),
        slots[:, 1].astype(np.int64),
        count_limits,
        far_pairs,
    )
