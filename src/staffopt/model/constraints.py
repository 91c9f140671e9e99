"""Hard constraints of the assignment model, one function each.

Every function reads the arcs of an :class:`ArcModel`, adds its rows and
records itself by name. Requirements a planner sets (mandatory needs, locks,
agency floors and ceilings) take an enforcement literal from ``m.guard`` so
the conflict finder can switch them off one by one; physical limits
(capacity, slots) are never guarded.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.eligibility import LOAD_SCALE, capacity_units, official_agency_index
from staffopt.model.builder import ArcModel, IntArray, Requirement, groups
from staffopt.schema import Scenario

BoolArray = npt.NDArray[np.bool_]


def scaled_loads(arcs: pd.DataFrame) -> IntArray:
    """Arc loads in thousandths of a full-time equivalent."""
    return np.asarray(np.rint(arcs["load"].to_numpy(np.float64) * LOAD_SCALE), np.int64)


def single_assignment_officials(scenario: Scenario, arcs: pd.DataFrame) -> BoolArray:
    """Per official: True when no two of its arcs fit together in its capacity.

    Such an official takes at most one arc, so its capacity row becomes
    ``sum(x) <= 1`` (a tighter LP) and "is used" is simply ``sum(x)``.
    """
    n_off = len(scenario.officials)
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    loads = scaled_loads(arcs)
    cap = capacity_units(scenario)
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


def official_capacity(m: ArcModel) -> None:
    """Each official's total load stays within the official's capacity."""
    o_idx = m.arcs["o_idx"].to_numpy(np.int64)
    loads = scaled_loads(m.arcs)
    cap = capacity_units(m.scenario)
    single = single_assignment_officials(m.scenario, m.arcs)
    rows = 0
    for arcs in groups(o_idx):
        if len(arcs) < 2:
            continue  # one arc fits by eligibility (rule "workload")
        o = int(o_idx[arcs[0]])
        if single[o]:
            m.add_linear(arcs, np.ones(len(arcs)), 0, 1, capacity=True)
        elif loads[arcs].sum() > cap[o]:
            m.add_linear(arcs, loads[arcs], 0, int(cap[o]), capacity=True)
        else:
            continue
        rows += 1
    m.record("official_capacity", rows)


def need_slots(m: ArcModel) -> None:
    """A need gets at most ``slots`` people; a mandatory need gets exactly ``slots``."""
    needs = m.scenario.needs
    n_idx = m.arcs["n_idx"].to_numpy(np.int64)
    rows = mandatory = 0
    seen: set[int] = set()
    for arcs in groups(n_idx):
        n = int(n_idx[arcs[0]])
        seen.add(n)
        need = needs[n]
        if need.mandatory:
            lit = m.guard(mandatory_requirement(need.need_id, need.slots))
            m.add_linear(arcs, np.ones(len(arcs)), need.slots, need.slots, lit)
            # The slot cap also holds when the requirement is switched off.
            if lit is not None and len(arcs) > need.slots:
                m.add_linear(arcs, np.ones(len(arcs)), 0, need.slots)
            mandatory += 1
        elif len(arcs) > need.slots:
            m.add_linear(arcs, np.ones(len(arcs)), 0, need.slots)
            rows += 1
    for n, need in enumerate(needs):
        if need.mandatory and n not in seen and m.covers_need(n):
            # No candidate at all: the requirement is "0 >= slots", false.
            lit = m.guard(mandatory_requirement(need.need_id, need.slots))
            m.add_linear([], [], need.slots, need.slots, lit)
            mandatory += 1
    m.record("need_slots", rows)
    m.record("mandatory_need", mandatory)


def mandatory_requirement(need_id: str, slots: int) -> Requirement:
    return Requirement(
        "mandatory",
        need_id,
        f"mandatory need {need_id} must get all {slots} slot(s) filled",
        f"nhu cầu bắt buộc {need_id} phải được bố trí đủ {slots} người",
    )


def agency_release(m: ArcModel) -> None:
    """Each agency releases between ``min_release`` and its ceiling *people*.

    A person counts once however many part-time assignments they take, so an
    official who may take several arcs gets a Boolean ``used`` with
    ``sum(load * x) <= capacity * used`` (any assignment makes ``used`` 1)
    and, under a floor, ``used <= sum(x)``.
    """
    s = m.scenario
    o_idx = m.arcs["o_idx"].to_numpy(np.int64)
    single = single_assignment_officials(s, m.arcs)
    loads = scaled_loads(m.arcs)
    cap = capacity_units(s)
    official_agency = official_agency_index(s)
    by_official = groups(o_idx)
    officials_of: list[list[IntArray]] = [[] for _ in s.agencies]
    for arcs in by_official:
        officials_of[official_agency[o_idx[arcs[0]]]].append(arcs)
    floors = ceilings = 0
    for a, agency in enumerate(s.agencies):
        if not m.covers_agency(a):
            continue
        members = officials_of[a]
        binding_ceiling = len(members) > agency.ceiling
        if agency.min_release == 0 and not binding_ceiling:
            continue
        used_vars: list[int] = []
        used_coeffs: list[int] = []
        for arcs in members:
            if single[o_idx[arcs[0]]]:
                used_vars.extend(arcs.tolist())
                used_coeffs.extend([1] * len(arcs))
            else:
                u = int(m.new_bool_vars(1)[0])
                m.used_links.append((u, arcs))
                # Capacity only when used: sum(load * x) <= capacity * used.
                # Every load is > 0, so any assignment forces used = 1 (what a
                # ceiling needs) with one row per official instead of one
                # "x <= used" row per arc, and the LP cannot spend a fraction
                # of a person at full capacity.
                o = int(o_idx[arcs[0]])
                m.add_linear(
                    [*arcs.tolist(), u],
                    [*loads[arcs].tolist(), -int(cap[o])],
                    -int(cap[o]),
                    0,
                    capacity=True,
                )
                if agency.min_release > 0:  # a floor also needs used <= sum(x)
                    m.add_linear([u, *arcs.tolist()], [1] + [-1] * len(arcs), -len(arcs), 0)
                used_vars.append(u)
                used_coeffs.append(1)
        if agency.min_release > 0:
            lit = m.guard(floor_requirement(agency.agency_id, agency.min_release))
            m.add_linear(used_vars, used_coeffs, agency.min_release, len(members), lit)
            floors += 1
        if binding_ceiling:
            lit = m.guard(
                Requirement(
                    "agency_ceiling",
                    agency.agency_id,
                    f"agency {agency.agency_id} releases at most {agency.ceiling} people",
                    f"cơ quan {agency.agency_id} cử tối đa {agency.ceiling} người",
                )
            )
            m.add_linear(used_vars, used_coeffs, 0, agency.ceiling, lit)
            ceilings += 1
    m.record("agency_floor", floors)
    m.record("agency_ceiling", ceilings)


def locks(m: ArcModel) -> None:
    """Locked pairs are assigned. (Forbidden pairs never become arcs: rule "forbidden".)

    A lock on a pair that is not an arc (ruled out, or of another field) is a
    requirement that cannot hold; it is added as an always-false row so the
    model is infeasible and the conflict finder names the lock.
    """
    s = m.scenario
    locked = [lk for lk in s.locks if lk.kind == "lock"]
    if not locked:
        m.record("locks", 0)
        return
    pos = {
        (o, n): i
        for i, (o, n) in enumerate(
            zip(m.arcs["official_id"].to_numpy(), m.arcs["need_id"].to_numpy(), strict=True)
        )
    }
    need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
    locked = [lk for lk in locked if m.covers_need(need_pos[lk.need_id])]
    for lk in locked:
        lit = m.guard(lock_requirement(lk.official_id, lk.need_id))
        arc = pos.get((lk.official_id, lk.need_id))
        if arc is None:
            m.add_linear([], [], 1, 1, lit)
        else:
            m.add_linear([arc], [1], 1, 1, lit)
    m.record("locks", len(locked))


def floor_requirement(agency_id: str, floor: int) -> Requirement:
    return Requirement(
        "agency_floor",
        agency_id,
        f"agency {agency_id} must release at least {floor} people",
        f"cơ quan {agency_id} phải cử ít nhất {floor} người",
    )


def lock_requirement(official_id: str, need_id: str) -> Requirement:
    return Requirement(
        "lock",
        f"{official_id}->{need_id}",
        f"lock: {official_id} must be assigned to {need_id}",
        f"chỉ định: {official_id} phải được bố trí vào {need_id}",
    )


#: Every constraint piece, in the order the model is built.
CONSTRAINTS: tuple[Callable[[ArcModel], None], ...] = (
    official_capacity,
    need_slots,
    agency_release,
    locks,
)
