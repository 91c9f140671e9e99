"""Derived indices of a scenario, built once and shared by every layer that needs arrays.

Officials, needs and agencies are addressed by their position in the
scenario's tuples (``o_idx``, ``n_idx``, agency position). This module owns
those positions and the integer units the model counts in:

- workloads and capacities in thousandths of a full-time equivalent
  (:data:`LOAD_SCALE`, :func:`fte_units`), so CP-SAT gets integers and every
  layer rounds the same way;
- per official its agency's position and its capacity; per need its slots
  and whether it is mandatory; per agency its floor and ceiling; the need
  positions by id.

:func:`indices` builds them once per (frozen) scenario. The checker keeps its
own arithmetic on purpose (it must not share a bug with the model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.schema import Scenario

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Workloads and capacities count in thousandths of a full-time equivalent.
LOAD_SCALE = 1000


def fte_units(fte: npt.ArrayLike) -> IntArray:
    """Full-time equivalents as integer thousandths (round half to even, like numpy's rint)."""
    return np.asarray(np.rint(np.asarray(fte, dtype=np.float64) * LOAD_SCALE), dtype=np.int64)


@dataclass(frozen=True)
class Indices:
    """Positions and integer limits of one scenario, in scenario order."""

    #: Per official: the position of its agency in ``scenario.agencies``.
    official_agency: IntArray
    #: Per official: capacity in thousandths of an FTE.
    capacity: IntArray
    #: Per need: slots, and whether every slot must be filled.
    slots: IntArray
    mandatory: BoolArray
    #: Per agency: floor (min_release) and ceiling (max_release, else headcount).
    floor: IntArray
    ceiling: IntArray
    #: need_id -> position in ``scenario.needs``.
    need_pos: dict[str, int]
    #: Positions of the needs that a planner's lock names (kind = lock).
    locked_needs: IntArray


def indices(scenario: Scenario) -> Indices:
    """The scenario's :class:`Indices`, built on first use and kept with the scenario."""
    return scenario.derived("indices", lambda: _build(scenario))


def _build(s: Scenario) -> Indices:
    agency_pos = {a.agency_id: i for i, a in enumerate(s.agencies)}
    need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
    locked = [need_pos[lk.need_id] for lk in s.locks if lk.kind == "lock"]
    return Indices(
        official_agency=np.array([agency_pos[o.agency_id] for o in s.officials], dtype=np.int64),
        capacity=fte_units([o.capacity for o in s.officials]),
        slots=np.array([n.slots for n in s.needs], dtype=np.int64),
        mandatory=np.array([n.mandatory for n in s.needs], dtype=bool),
        floor=np.array([a.min_release for a in s.agencies], dtype=np.int64),
        ceiling=np.array([a.ceiling for a in s.agencies], dtype=np.int64),
        need_pos=need_pos,
        locked_needs=np.array(sorted(set(locked)), dtype=np.int64),
    )


def arc_loads(arcs: pd.DataFrame) -> IntArray:
    """Each arc's load (the need's workload per slot) in thousandths of an FTE."""
    return fte_units(arcs["load"].to_numpy(np.float64))


def single_assignment_officials(scenario: Scenario, arcs: pd.DataFrame) -> BoolArray:
    """Per official: True when no two of its arcs fit together in its capacity.

    Such an official takes at most one arc, so its capacity row becomes
    ``sum(x) <= 1`` (a tighter LP) and "is used" is simply ``sum(x)``; a model
    whose officials are all like this may be a pure network.
    """
    n_off = len(scenario.officials)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    loads = arc_loads(arcs)
    cap = indices(scenario).capacity
    # The two smallest loads of each official decide whether two arcs fit.
    order = np.lexsort((loads, o_idx))
    so, sl = o_idx[order], loads[order]
    first = np.ones(len(so), dtype=bool)
    first[1:] = so[1:] != so[:-1]
    smallest = np.full(n_off, np.iinfo(np.int64).max // 4)
    smallest[so[first]] = sl[first]
    second_pos = np.flatnonzero(~first & np.concatenate(([False], first[:-1])))
    second = np.full(n_off, np.iinfo(np.int64).max // 4)
    second[so[second_pos]] = sl[second_pos]
    return np.asarray(smallest + second > cap)
