"""Splitting a model into independent parts (connected components), batched by size.

A part's officials, needs and agencies share no arc or binding agency with
any other part's, so the parts can be solved one by one and their plans,
objectives and bounds added up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.allowance import budget_groups
from staffopt.indices import indices
from staffopt.results import Status, StoppedBy
from staffopt.schema import Scenario

#: Independent parts are grouped into batches of about this many arcs, so
#: thousands of tiny parts do not each pay a solver start-up.
BATCH_ARCS = 100_000


@dataclass(frozen=True)
class Part:
    """A batch of independent parts: its arc positions and the needs/agencies it covers."""

    arcs: npt.NDArray[np.int64]
    needs: npt.NDArray[np.bool_]
    agencies: npt.NDArray[np.bool_]


def binding_agencies(scenario: Scenario, arcs: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Agencies whose floor or ceiling can bind: they couple their officials."""
    ix = indices(scenario)
    offs = np.unique(arcs["o_idx"].to_numpy(np.int64))
    members = np.bincount(ix.official_agency[offs], minlength=len(scenario.agencies))
    return np.asarray((ix.floor > 0) | (members > ix.ceiling))


def independent_parts(
    scenario: Scenario, arcs: pd.DataFrame, *, batch_arcs: int | None = None
) -> list[Part]:
    """Split the model into independent parts, batched by size.

    Parts are the connected components of the graph whose nodes are
    officials, needs and agencies, with an edge per arc and an edge from each
    official to its agency when the agency's floor or ceiling can bind, and
    a node per budget that can bind (:func:`staffopt.allowance.budget_groups`)
    with an edge from each need it covers: a budget couples every part it
    covers, so they are one part and its row sees all its arcs. Parts with
    nothing to decide (no arc and no requirement) are dropped.
    ``batch_arcs`` (default :data:`BATCH_ARCS`, read at call time) sizes the
    batches; 0 keeps every component apart (re-solves of one change).
    """
    if batch_arcs is None:
        batch_arcs = BATCH_ARCS
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    s = scenario
    n_off, n_need, n_ag = len(s.officials), len(s.needs), len(s.agencies)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    ix = indices(s)
    off_agency = ix.official_agency
    binding = binding_agencies(s, arcs)
    linked = np.flatnonzero(binding[off_agency])
    budget_nodes = n_off + n_need + n_ag
    groups = budget_groups(s, arcs)
    covered = [n_off + n_idx[g.arcs] for g in groups]
    n_nodes = budget_nodes + len(groups)
    rows = np.concatenate([o_idx, linked, *covered])
    cols = np.concatenate(
        [
            n_off + n_idx,
            n_off + n_need + off_agency[linked],
            *[np.full(len(c), budget_nodes + k, dtype=np.int64) for k, c in enumerate(covered)],
        ]
    )
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_nodes,) * 2)
    _, label = connected_components(graph, directed=False)
    need_label = label[n_off : n_off + n_need]
    agency_label = label[n_off + n_need : budget_nodes]
    arc_label = need_label[n_idx]
    # Which components carry anything to decide.
    active = np.zeros(label.max() + 1, dtype=bool)
    active[arc_label] = True
    active[need_label[ix.mandatory]] = True
    active[agency_label[binding]] = True
    active[need_label[ix.locked_needs]] = True
    comps = np.flatnonzero(active)
    sizes = np.bincount(arc_label, minlength=len(active))[comps]
    # Batch: walk components, cut a batch when it reaches batch_arcs arcs.
    batch_of_comp = np.full(len(active), -1, dtype=np.int64)
    batch, filled = 0, 0
    for comp, size in zip(comps, sizes, strict=True):
        if filled and filled + size > batch_arcs:
            batch, filled = batch + 1, 0
        batch_of_comp[comp] = batch
        filled += int(size)
    arc_batch = batch_of_comp[arc_label]
    order = np.argsort(arc_batch, kind="stable")
    cuts = np.searchsorted(arc_batch[order], np.arange(batch + 2))
    parts = []
    for b in range(batch + 1):
        parts.append(
            Part(
                arcs=order[cuts[b] : cuts[b + 1]].astype(np.int64),
                needs=batch_of_comp[need_label] == b,
                agencies=batch_of_comp[agency_label] == b,
            )
        )
    return parts


@dataclass
class PartResult:
    """One part's plan (a mask over its arcs), status, bound (score units) and why its
    search stopped."""

    picked: npt.NDArray[np.bool_]
    status: Status
    bound: float | None  # score units
    stopped_by: StoppedBy = "optimal"
