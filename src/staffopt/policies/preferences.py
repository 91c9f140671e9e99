"""The preferences of officials and needs: one definition for every mechanism and for stability.

Exactly, so results are reproducible and comparable with other implementations:

* An official accepts only needs that are arcs, and ranks them by the rank
  of their commune in the official's ``wishes`` (1 = first choice; communes
  the official did not list come after all listed ones), then by distance,
  then by ``need_id``. Without a ``wishes`` table an official ranks by distance.
* A need ranks the officials that are arcs for it by arc score (higher
  first), then by ``official_id``.

Reads only the scenario and the arcs; never the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]

#: The wish rank of a commune an official did not list: after every listed rank.
UNLISTED = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Preferences:
    """Both sides' orders over the arcs (arrays aligned with the arcs' rows)."""

    #: Per arc: its position in its official's list (0 = first choice).
    official_rank: IntArray
    #: Per arc: a key that orders every arc the way needs rank officials:
    #: smaller = preferred (score descending, then official_id, then need_id).
    #: Within one need it is exactly the need's order; caps over a group of
    #: needs (a zone, an agency) reuse it so that one order decides everywhere.
    need_key: IntArray
    #: The arcs grouped by official (in scenario order), each official's best first.
    by_official: IntArray
    #: Per official: where its arcs start and end in ``by_official``.
    official_start: IntArray


def preferences(scenario: Scenario, arcs: pd.DataFrame) -> Preferences:
    """The preference orders of officials and needs over ``arcs`` (see the module doc)."""
    s = scenario
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    score = arcs["score"].to_numpy(np.int64)
    km = arcs["distance_km"].to_numpy(np.float64)
    # Ids compare as text: their rank in sorted order is the tie-break.
    official_id_rank = _id_ranks([o.official_id for o in s.officials])[o_idx]
    need_id_rank = _id_ranks([n.need_id for n in s.needs])[n_idx]
    wish = wish_ranks(s, arcs)
    by_official = np.lexsort((need_id_rank, km, wish, o_idx)).astype(np.int64)
    counts = np.bincount(o_idx, minlength=len(s.officials))
    official_start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    official_rank = np.empty(len(arcs), dtype=np.int64)
    official_rank[by_official] = np.arange(len(arcs)) - official_start[o_idx[by_official]]
    need_order = np.lexsort((need_id_rank, official_id_rank, -score))
    need_key = np.empty(len(arcs), dtype=np.int64)
    need_key[need_order] = np.arange(len(arcs))
    return Preferences(official_rank, need_key, by_official, official_start)


def wish_ranks(scenario: Scenario, arcs: pd.DataFrame) -> IntArray:
    """Per arc: the rank the official gave the arc's commune, :data:`UNLISTED` if none."""
    if not scenario.wishes:
        return np.full(len(arcs), UNLISTED, dtype=np.int64)
    rank = {(w.official_id, w.commune_id): w.rank for w in scenario.wishes}
    pairs = zip(arcs["official_id"].tolist(), arcs["commune_id"].tolist(), strict=True)
    return np.fromiter((rank.get(p, UNLISTED) for p in pairs), dtype=np.int64, count=len(arcs))


def _id_ranks(ids: list[str]) -> IntArray:
    """Each id's position in sorted order."""
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    return ranks
