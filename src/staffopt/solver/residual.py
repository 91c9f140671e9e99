"""Exact one-change answers on a pure-network part, by shortest cycles in the residual graph.

On a part that is a pure network (:func:`.engine.network_obstacles` finds
nothing) the plan is a min-cost flow source -> agency -> official -> need ->
sink with a free bypass source -> sink (as :mod:`.flow`; here every arc takes
part, those of score <= 0 too, which never change the optimum). Forbidding a
chosen pair, asking one more slot of a need, or sending an unused official
changes one unit on one edge. Since the plan is optimal its residual graph has
no negative cycle, and the best plan under the change is the plan plus the
cheapest residual cycle through that edge: the edge's cost plus a shortest
path back (a unit change needs one augmenting cycle; any other cycle of the
difference has cost >= 0). No cycle: the change is impossible.

Shortest paths: node potentials from one Bellman-Ford make every weight
>= 0 (Johnson's method), then Dijkstra per source, sources in batches; a
fill's path runs without the edge that would undo it. Each edge
weighs ``M * cost + 1`` with ``M`` above the number of nodes: no weight is
zero, the cost of a path is ``floor(weight / M)`` exactly (integers in
float64 stay exact below 2^53: ``M * |score| * nodes`` is far below), and
among paths of equal cost the one with the fewest edges wins, so the fewest
assignments move.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import indices
from staffopt.schema import Scenario
from staffopt.solver.parts import Part
from staffopt.solver.resolve import Answer, Change

#: Sources per Dijkstra call: bounds the distance and predecessor matrices
#: (sources x nodes) a call keeps in memory.
SOURCES_PER_BATCH = 256

_S, _T = 0, 1  # source and sink nodes


class NetworkResolver:
    """A pure-network part and its base plan, answering changes exactly without a solver.

    ``answer_all`` returns None for a change it does not answer (two or more
    extra slots of one need): the caller re-solves those.
    """

    def __init__(
        self,
        scenario: Scenario,
        arcs: pd.DataFrame,
        part: Part,
        chosen: npt.NDArray[np.bool_],
    ) -> None:
        s = scenario
        ix = indices(s)
        self.part = part
        pos = part.arcs
        o = arcs["o_idx"].to_numpy(np.int64)[pos]
        n = arcs["n_idx"].to_numpy(np.int64)[pos]
        score = arcs["score"].to_numpy(np.int64)[pos]
        base = np.asarray(chosen[pos], dtype=bool)
        self.score, self.base = score, base
        self.base_value = int(score[base].sum())
        n_ag, n_off, n_need = len(s.agencies), len(s.officials), len(s.needs)
        self.a0, self.o0 = 2, 2 + n_ag
        self.n0 = self.o0 + n_off
        self.nodes = self.n0 + n_need
        self.m = self.nodes + 1
        self.agency_of = ix.official_agency
        offs, needs = np.unique(o), np.unique(n)
        ags = np.unique(ix.official_agency[offs])
        used = np.zeros(n_off, dtype=bool)
        used[o[base]] = True
        released = np.bincount(ix.official_agency[used], minlength=n_ag)
        filled = np.bincount(n[base], minlength=n_need)
        self.filled = filled
        a_node, o_node, n_node = self.a0 + ags, self.o0 + offs, self.n0 + needs
        # (tail, head, cost, arc or -1): residual edges of the base flow.
        parts: list[tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]] = [
            ([_S, _T], [_T, _S], [0, 0], [-1, -1]),  # the bypass carries flow both ways
            _edges(np.full(len(ags), _S), a_node, released[ags] < ix.ceiling[ags]),
            _edges(a_node, np.full(len(ags), _S), released[ags] > 0),
            _edges(self.a0 + ix.official_agency[offs], o_node, ~used[offs]),
            _edges(o_node, self.a0 + ix.official_agency[offs], used[offs]),
            _edges(n_node, np.full(len(needs), _T), filled[needs] < ix.slots[needs]),
            _edges(np.full(len(needs), _T), n_node, filled[needs] > 0),
            # A chosen pair can be given back (+score), another one taken (-score).
            (
                np.where(base, self.n0 + n, self.o0 + o),
                np.where(base, self.o0 + o, self.n0 + n),
                np.where(base, score, -score),
                np.arange(len(pos)),
            ),
        ]
        tail = np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts])
        head = np.concatenate([np.asarray(p[1], dtype=np.int64) for p in parts])
        cost = np.concatenate([np.asarray(p[2], dtype=np.int64) for p in parts])
        arc = np.concatenate([np.asarray(p[3], dtype=np.int64) for p in parts])
        key = tail * self.nodes + head
        assert len(np.unique(key)) == len(key), "one residual edge per node pair"
        self.edge_arc = dict(zip(key.tolist(), arc.tolist(), strict=True))
        from scipy.sparse import csr_matrix

        weight = (cost * self.m + 1).astype(np.float64)
        self.graph = csr_matrix((weight, (tail, head)), shape=(self.nodes, self.nodes))
        self.arc_node = (self.o0 + o, self.n0 + n)

    def _cycle(self, change: Change) -> tuple[int, int, int, list[int]] | None:
        """(source, target, cost of the closing edge, arcs it gives back) of a change's cycle."""
        if change.kind == "forbid":
            j = int(np.flatnonzero(self.part.arcs == change.target)[0])
            o_node, n_node = int(self.arc_node[0][j]), int(self.arc_node[1][j])
            return o_node, n_node, int(self.score[j]), [j]
        if change.kind == "fill":
            if change.count != self.filled[change.target] + 1:
                return None
            return _T, self.n0 + change.target, 0, []
        a_node = self.a0 + int(self.agency_of[change.target])
        return self.o0 + change.target, a_node, 0, []

    def _potentials(self) -> npt.NDArray[np.float64]:
        """Node potentials that make every residual weight >= 0 (Bellman-Ford, once).

        The distances from a root joined to every node; they exist because the
        base plan is optimal (no negative cycle).
        """
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import bellman_ford

        g = self.graph.tocoo()
        every = np.arange(self.nodes, dtype=np.int64)
        g = csr_matrix(
            (
                np.concatenate([np.ones(self.nodes), g.data]),
                (
                    np.concatenate([np.zeros(self.nodes, dtype=np.int64), g.row + 1]),
                    np.concatenate([every + 1, g.col + 1]),
                ),
            ),
            shape=(self.nodes + 1, self.nodes + 1),
        )
        dist = bellman_ford(g, indices=0)
        return np.asarray(dist[1:], dtype=np.float64)

    def answer_all(self, changes: Sequence[Change]) -> list[Answer | None]:
        """Every change answered exactly (None: not a one-cycle change, re-solve it)."""
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        cycles = [self._cycle(c) for c in changes]
        out: list[Answer | None] = [None] * len(changes)
        if all(c is None for c in cycles):
            return out
        p = self._potentials()
        g = self.graph.tocoo()
        # Reduced weights are >= 0 (a zero is an edge to scipy's csgraph).
        reduced = csr_matrix(
            (g.data + p[g.row] - p[g.col], (g.row, g.col)), shape=(self.nodes, self.nodes)
        )
        sink_edges = {
            int(c): k
            for k, c in enumerate(reduced.indices[reduced.indptr[_T] : reduced.indptr[_T + 1]])
        }
        # A fill's cycle closes with need -> sink: its path from the sink may not take the
        # sink -> need edge back (that would undo the fill), so it runs without it.
        batched = sorted({c[0] for c in cycles if c is not None and c[0] != _T})
        found: dict[tuple[int, int], tuple[float, npt.NDArray[np.int32]]] = {}
        for start in range(0, len(batched), SOURCES_PER_BATCH):
            batch = batched[start : start + SOURCES_PER_BATCH]
            dist, pred = dijkstra(reduced, indices=batch, return_predecessors=True)
            for k, src in enumerate(batch):
                for c in cycles:
                    if c is not None and c[0] == src:
                        found[(src, c[1])] = (float(dist[k, c[1]]), pred[k])
        for c in cycles:
            if c is None or c[0] != _T or (c[0], c[1]) in found:
                continue
            slot = sink_edges.get(c[1])
            data = reduced.data
            saved = None
            if slot is not None:
                at = reduced.indptr[_T] + slot
                saved, data[at] = data[at], np.inf
            dist1, pred1 = dijkstra(reduced, indices=_T, return_predecessors=True)
            if saved is not None:
                data[at] = saved
            found[(_T, c[1])] = (float(dist1[c[1]]), pred1)
        for i, cycle in enumerate(cycles):
            if cycle is None:
                continue
            src, dst, closing, given_back = cycle
            d, pred = found[(src, dst)]
            if not np.isfinite(d):
                out[i] = Answer("infeasible", None, None, None, self.part.arcs)
                continue
            # Back from reduced to true weights, then from weights to score points.
            weight = round(d - p[src] + p[dst])
            path_cost = weight // self.m
            taken, back = self._path_arcs(pred, src, dst)
            picked = self.base.copy()
            picked[[*given_back, *back]] = False
            picked[taken] = True
            value = self.base_value - (closing + path_cost)
            assert value == int(self.score[picked].sum()), "the cycle's cost is its arcs'"
            out[i] = Answer("optimal", value, float(value), self.part.arcs[picked], self.part.arcs)
        return out

    def _path_arcs(
        self, pred: npt.NDArray[np.int32], src: int, dst: int
    ) -> tuple[list[int], list[int]]:
        """The pairs a shortest path takes (official -> need) and gives back (need -> official)."""
        taken: list[int] = []
        back: list[int] = []
        v = dst
        while v != src:
            u = int(pred[v])
            j = self.edge_arc[u * self.nodes + v]
            if j >= 0:
                (back if self.base[j] else taken).append(j)
            v = u
        return taken, back


def _edges(
    tail: npt.NDArray[np.int64], head: npt.NDArray[np.int64], keep: npt.NDArray[np.bool_]
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """Zero-cost residual edges of no pair, where ``keep`` holds."""
    k = np.asarray(keep, dtype=bool)
    count = int(k.sum())
    return tail[k], head[k], np.zeros(count, dtype=np.int64), np.full(count, -1, dtype=np.int64)
