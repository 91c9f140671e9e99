"""Vectorised weighted draws shared by the table generators.

Ranks and weighted picks within groups (provinces, communes), and the field
mix of a province's terrain.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from staffopt.scenarios.synthetic.reference import FIELD_TILT, FIELDS, ProvinceInfo

__all__ = ["FloatArray", "IntArray", "draw_fields", "draw_within", "field_shares", "group_rank"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def group_rank(groups: IntArray, keys: FloatArray) -> IntArray:
    """Rank (0-based) of each key within its group, ascending."""
    order = np.lexsort((keys, groups))
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    rank = np.empty(len(g), dtype=np.int64)
    rank[order] = np.arange(len(g)) - first
    return rank


def draw_within(
    rng: np.random.Generator, group_of_item: IntArray, weights: FloatArray, group_of_draw: IntArray
) -> IntArray:
    """For each draw, an item of the draw's group picked with probability ∝ weight.

    Items must be sorted by group. Vectorised: the items' cumulative weights are
    normalised to [g, g+1) per group, so one searchsorted serves every group.
    """
    n_groups = int(group_of_item.max()) + 1 if len(group_of_item) else 0
    totals = np.bincount(group_of_item, weights=weights, minlength=n_groups)
    cum = np.cumsum(weights)
    start = np.r_[0.0, np.cumsum(totals)[:-1]]
    norm = group_of_item + (cum - start[group_of_item]) / totals[group_of_item]
    u = group_of_draw + rng.random(len(group_of_draw)) * (1 - 1e-12)
    pos = np.searchsorted(norm, u, side="right")
    return np.asarray(np.minimum(pos, len(norm) - 1), dtype=np.int64)


def field_shares(base: tuple[float, ...], terrain: str) -> FloatArray:
    """A field share vector tilted to a terrain's mix (sums to 1)."""
    tilt = FIELD_TILT[terrain]
    w = np.array([base[i] * tilt.get(f, 1.0) for i, f in enumerate(FIELDS)])
    return np.asarray(w / w.sum(), dtype=np.float64)


def draw_fields(
    rng: np.random.Generator, infos: list[ProvinceInfo], base: tuple[float, ...], prov: IntArray
) -> IntArray:
    """A field index per draw, from the draw's province's tilted field mix."""
    n_f = len(FIELDS)
    w = np.concatenate([field_shares(base, p.terrain) for p in infos])
    cell = draw_within(rng, np.repeat(np.arange(len(infos)), n_f), w, prov)
    return cell % n_f
