"""Stability of a plan against the preferences: blocking pairs and justified envy.

The preferences are :mod:`staffopt.policies.preferences` (wishes, distance,
need_id for officials; score, official_id for needs), the same ones every
mechanism uses. An official *would rather* have need n when they are
unused, or rank n above a post they hold (with one post each: above their
post). A need *would rather* have official o when it has a free slot, or
holds someone it ranks below o. A **blocking pair** is an arc (o, n) not in
the plan where both would rather: :func:`blocking_pairs`. **Justified envy**
counts (official o, official p) pairs where p holds a need n that o would
rather have and n ranks o above p (a blocking pair through a full need
counts once per lower-ranked holder): :func:`justified_envy`.

Hard rules (capacity, agency ceilings) play no part: a blocking pair says
both sides would rather, not that swapping keeps the plan feasible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import indices
from staffopt.policies.preferences import preferences
from staffopt.schema import Scenario
from staffopt.texts import LANGS, text

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Columns of :func:`blocking_pairs`' table (``text_en``/``text_vi`` from the catalogue).
BLOCKING_COLUMNS = [
    "official_id",
    "need_id",
    "commune_id",
    "current_need_id",
    "lower_official_id",
    *(f"text_{lang}" for lang in LANGS),
]

_NONE = np.iinfo(np.int64).max


@dataclass(frozen=True)
class _Standing:
    """Per arc of the scenario: chosen, and whether each side would rather have it."""

    chosen: BoolArray
    official_wants: BoolArray
    need_wants: BoolArray
    #: Per arc: its need key; per official: its worst held post's arc (-1 unused);
    #: per need: its worst held arc (-1 when it has a free slot).
    need_key: IntArray
    worst_post: IntArray
    worst_holder: IntArray


def _standing(scenario: Scenario, arcs: pd.DataFrame, assignments: pd.DataFrame) -> _Standing:
    s = scenario
    prefs = preferences(s, arcs)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    pair_arc = {
        p: k
        for k, p in enumerate(
            zip(arcs["official_id"].tolist(), arcs["need_id"].tolist(), strict=True)
        )
    }
    chosen = np.zeros(len(arcs), dtype=bool)
    # A post that is not an arc (a plan under another policy) ranks below every
    # arc for both sides: any arc is preferred to it.
    off_pos = {o.official_id: i for i, o in enumerate(s.officials)}
    need_pos = indices(s).need_pos
    off_worst = np.full(len(s.officials), -1, dtype=np.int64)
    need_worst = np.full(len(s.needs), -1, dtype=np.int64)
    worst_post = np.full(len(s.officials), -1, dtype=np.int64)
    worst_holder = np.full(len(s.needs), -1, dtype=np.int64)
    held = np.zeros(len(s.needs), dtype=np.int64)
    for pair in zip(
        assignments["official_id"].tolist(), assignments["need_id"].tolist(), strict=True
    ):
        o, n = off_pos.get(pair[0]), need_pos.get(pair[1])
        if o is None or n is None:
            continue
        held[n] += 1
        arc = pair_arc.get(pair)
        rank = _NONE if arc is None else int(prefs.official_rank[arc])
        key = _NONE if arc is None else int(prefs.need_key[arc])
        if arc is not None:
            chosen[arc] = True
        if rank >= off_worst[o]:
            off_worst[o], worst_post[o] = rank, -2 if arc is None else arc
        if key >= need_worst[n]:
            need_worst[n], worst_holder[n] = key, -2 if arc is None else arc
    # Unused officials and needs with a free slot would rather have any arc.
    off_worst[off_worst < 0] = _NONE
    free = held < indices(s).slots
    need_worst[free] = _NONE
    worst_holder[free] = -1
    official_wants = ~chosen & (prefs.official_rank < off_worst[o_idx])
    need_wants = ~chosen & (prefs.need_key < need_worst[n_idx])
    return _Standing(chosen, official_wants, need_wants, prefs.need_key, worst_post, worst_holder)


def blocking_pairs(
    scenario: Scenario, arcs: pd.DataFrame, assignments: pd.DataFrame
) -> pd.DataFrame:
    """Every blocking pair of the plan ``assignments`` (see the module doc), with en/vi text.

    ``current_need_id``: the official's post they would leave (their worst
    post; empty when unused); ``lower_official_id``: the official the need
    would let go (the one it ranks last; empty when it has a free slot).
    """
    st = _standing(scenario, arcs, assignments)
    rows = np.flatnonzero(st.official_wants & st.need_wants)
    o_idx = arcs["o_idx"].to_numpy(np.int64)[rows]
    n_idx = arcs["n_idx"].to_numpy(np.int64)[rows]
    cols: dict[str, list[str]] = {
        c: arcs[c].to_numpy(object)[rows].tolist() for c in ("official_id", "need_id", "commune_id")
    }
    cols["current_need_id"] = _arc_ids(arcs, "need_id", st.worst_post[o_idx]).tolist()
    cols["lower_official_id"] = _arc_ids(arcs, "official_id", st.worst_holder[n_idx]).tolist()
    rows_of = list(
        zip(
            cols["official_id"],
            cols["need_id"],
            cols["commune_id"],
            cols["current_need_id"],
            cols["lower_official_id"],
            strict=True,
        )
    )
    for lang in LANGS:
        cols[f"text_{lang}"] = [blocking_text(o, n, c, p, w, lang) for o, n, c, p, w in rows_of]
    return pd.DataFrame(cols, columns=BLOCKING_COLUMNS, dtype=object)


def _arc_ids(arcs: pd.DataFrame, column: str, arc: IntArray) -> npt.NDArray[np.object_]:
    """The ids in ``column`` of arcs ``arc``; "" for none (-1), "?" for a post that is no arc."""
    ids = arcs[column].to_numpy(object)
    found = ids[np.maximum(arc, 0)] if len(ids) else np.full(len(arc), "", dtype=object)
    return np.where(arc == -1, "", np.where(arc < 0, "?", found)).astype(object)


def blocking_text(
    official: str, need: str, commune: str, post: str, lower: str, lang: str = "en"
) -> str:
    """One blocking pair as a sentence, from the catalogue."""
    side_o = (
        text("stability.official_prefers", lang, official=official, need=need, post=post)
        if post
        else text("stability.official_unused", lang, official=official, need=need)
    )
    side_n = (
        text("stability.need_prefers", lang, official=official, need=need, lower=lower)
        if lower
        else text("stability.need_free", lang, need=need, commune=commune)
    )
    return text("stability.pair", lang, official_side=side_o, need_side=side_n)


def justified_envy(scenario: Scenario, arcs: pd.DataFrame, assignments: pd.DataFrame) -> int:
    """Pairs (o, p): p holds a need n that o would rather have, and n ranks o above p."""
    return _envy(_standing(scenario, arcs, assignments), arcs)


def stability_counts(
    scenario: Scenario, arcs: pd.DataFrame, assignments: pd.DataFrame
) -> tuple[int, int]:
    """(blocking pairs, justified envy) of a plan, without the texts: what the metrics count."""
    st = _standing(scenario, arcs, assignments)
    return int((st.official_wants & st.need_wants).sum()), _envy(st, arcs)


def _envy(st: _Standing, arcs: pd.DataFrame) -> int:
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    # One sorted key per held arc: its need first, then how the need ranks it
    # (need keys are ranks below len(arcs)), so a need's holders are one run.
    span = len(arcs) + 1
    held = np.sort(n_idx[st.chosen] * span + st.need_key[st.chosen])
    envy = st.official_wants
    need_base = n_idx[envy] * span
    # Holders of the same need that it ranks below the envier: keys above the
    # envier's own, up to the end of the need's run.
    end = np.searchsorted(held, need_base + span - 1, side="right")
    below = np.searchsorted(held, need_base + st.need_key[envy], side="right")
    return int((end - below).sum())
