"""Hard constraints of the assignment model, one function per piece.

Every function reads the arcs of an :class:`ArcModel`, adds its rows and
records itself under its own name (the name the checker's code and the
explanations use). Requirements a planner sets (mandatory needs, locks,
agency floors and ceilings) take an enforcement literal from ``m.guard`` so
the conflict finder can switch them off one by one; physical limits
(official capacity, need slots) are never guarded.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from staffopt.allowance import budget_groups, cost_units
from staffopt.indices import indices
from staffopt.model.arcmodel import ArcModel, IntArray, groups
from staffopt.model.knapsack import MAX_CUT_ARCS, budget_cuts
from staffopt.results import Requirement


def official_capacity(m: ArcModel) -> None:
    """Each official's total load stays within the official's capacity."""
    o_idx, loads, single = m.o_idx, m.loads, m.single
    cap = indices(m.scenario).capacity
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
    """A need gets at most ``slots`` people.

    A mandatory need's exact row (:func:`mandatory_need`) implies its cap,
    except in a guarded model, where the requirement may be switched off.
    """
    needs = m.scenario.needs
    n_idx = m.n_idx
    rows = 0
    for arcs in groups(n_idx):
        need = needs[int(n_idx[arcs[0]])]
        if len(arcs) > need.slots and (not need.mandatory or m.guarded):
            m.add_linear(arcs, np.ones(len(arcs)), 0, need.slots)
            rows += 1
    m.record("need_slots", rows)


def mandatory_need(m: ArcModel) -> None:
    """A mandatory need gets exactly ``slots`` people (a planner's requirement)."""
    n_idx = m.n_idx
    arcs_of = {int(n_idx[arcs[0]]): arcs for arcs in groups(n_idx)}
    rows = 0
    for n, need in enumerate(m.scenario.needs):
        if not need.mandatory or not (n in arcs_of or m.covers_need(n)):
            continue
        # No candidate at all: the row is "0 = slots", false; the conflict finder names it.
        arcs = arcs_of.get(n, np.zeros(0, dtype=np.int64))
        lit = m.guard(Requirement("mandatory_need", need.need_id, need.slots))
        m.add_linear(arcs, np.ones(len(arcs)), need.slots, need.slots, lit)
        rows += 1
    m.record("mandatory_need", rows)


def _members(m: ArcModel) -> list[list[IntArray]]:
    """Per agency: the arc groups of its officials who have arcs in the model."""
    o_idx = m.o_idx
    official_agency = indices(m.scenario).official_agency
    members: list[list[IntArray]] = [[] for _ in m.scenario.agencies]
    for arcs in groups(o_idx):
        members[official_agency[o_idx[arcs[0]]]].append(arcs)
    return members


def official_used(m: ArcModel, arcs: IntArray, *, under_floor: bool) -> tuple[IntArray, IntArray]:
    """Terms whose sum is 1 when the official of ``arcs`` is used, 0 when not.

    A person counts once however many part-time assignments they take. An
    official who takes at most one arc is used when ``sum(x) = 1``; one who
    may take several gets a Boolean ``used`` with ``sum(load * x) <= capacity
    * used`` (every load is > 0, so any assignment forces used = 1: what a
    ceiling needs, with one row per official instead of one ``x <= used`` row
    per arc, and the LP cannot spend a fraction of a person at full capacity)
    and, under a floor, ``used <= sum(x)``. Built once per official and model.

    The single-arc form counts a person once only together with
    :func:`official_capacity`'s ``sum(x) <= 1`` row, which ``build_model``
    always adds first (``tests/test_constraints.py`` pins both).
    """
    o = int(m.o_idx[arcs[0]])
    if o not in m.used_terms:
        if m.single[o]:
            m.used_terms[o] = (arcs, np.ones(len(arcs), dtype=np.int64))
        else:
            u = int(m.new_bool_vars(1)[0])
            m.used_links.append((u, arcs))
            cap = int(indices(m.scenario).capacity[o])
            loads = m.loads[arcs]
            m.add_linear([*arcs.tolist(), u], [*loads.tolist(), -cap], -cap, 0, capacity=True)
            m.used_terms[o] = (np.array([u], dtype=np.int64), np.ones(1, dtype=np.int64))
    terms = m.used_terms[o]
    if under_floor and len(terms[0]) == 1 and terms[0][0] >= m.n_arcs and o not in m.floor_linked:
        m.floor_linked.add(o)
        u = int(terms[0][0])
        m.add_linear([u, *arcs.tolist()], [1] + [-1] * len(arcs), -len(arcs), 0)
    return terms


def _release(
    m: ArcModel, members: list[IntArray], *, under_floor: bool
) -> tuple[IntArray, IntArray]:
    """The terms that count an agency's released people."""
    terms = [official_used(m, arcs, under_floor=under_floor) for arcs in members]
    if not terms:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([v for v, _ in terms]), np.concatenate([c for _, c in terms])


def _people_counted(m: ArcModel) -> list[list[IntArray]]:
    """Every agency's members, with the "used" terms of binding agencies built in agency order.

    Whichever of :func:`agency_floor` and :func:`agency_ceiling` runs first,
    the ``used`` variables then get the same numbers (agency by agency, as
    the model had when one piece stated both), so the model does not depend
    on the order of the pieces.
    """
    members = _members(m)
    for a, agency in enumerate(m.scenario.agencies):
        floor = agency.min_release > 0
        if m.covers_agency(a) and (floor or len(members[a]) > agency.ceiling):
            for arcs in members[a]:
                official_used(m, arcs, under_floor=floor)
    return members


def agency_floor(m: ArcModel) -> None:
    """Each agency releases at least ``min_release`` people (a planner's requirement)."""
    rows = 0
    for a, (agency, members) in enumerate(
        zip(m.scenario.agencies, _people_counted(m), strict=True)
    ):
        if agency.min_release == 0 or not m.covers_agency(a):
            continue
        variables, coeffs = _release(m, members, under_floor=True)
        lit = m.guard(Requirement("agency_floor", agency.agency_id, agency.min_release))
        m.add_linear(variables, coeffs, agency.min_release, len(members), lit)
        rows += 1
    m.record("agency_floor", rows)


def agency_ceiling(m: ArcModel) -> None:
    """Each agency releases at most its ceiling (max_release, else headcount) people."""
    rows = 0
    for a, (agency, members) in enumerate(
        zip(m.scenario.agencies, _people_counted(m), strict=True)
    ):
        if len(members) <= agency.ceiling or not m.covers_agency(a):
            continue  # cannot bind
        variables, coeffs = _release(m, members, under_floor=agency.min_release > 0)
        lit = m.guard(Requirement("agency_ceiling", agency.agency_id, agency.ceiling))
        m.add_linear(variables, coeffs, 0, agency.ceiling, lit)
        rows += 1
    m.record("agency_ceiling", rows)


def lock(m: ArcModel) -> None:
    """Locked pairs are assigned. (Forbidden pairs never become arcs: rule "forbidden".)

    A lock on a pair that is not an arc (ruled out, or of another field) is a
    requirement that cannot hold; it is added as an always-false row so the
    model is infeasible and the conflict finder names the lock.
    """
    s = m.scenario
    need_pos = indices(s).need_pos
    locked = [lk for lk in s.locks if lk.kind == "lock" and m.covers_need(need_pos[lk.need_id])]
    if locked:
        pos = {
            (o, n): i
            for i, (o, n) in enumerate(
                zip(m.arcs["official_id"].to_numpy(), m.arcs["need_id"].to_numpy(), strict=True)
            )
        }
    for lk in locked:
        lit = m.guard(Requirement("lock", f"{lk.official_id}->{lk.need_id}"))
        arc = pos.get((lk.official_id, lk.need_id))
        if arc is None:
            m.add_linear([], [], 1, 1, lit)
        else:
            m.add_linear([arc], [1], 1, 1, lit)
    m.record("lock", len(locked))


def _commune_used(m: ArcModel, slots: list[int]) -> tuple[IntArray, int]:
    """The commune-usage Booleans of ``slots`` (see :mod:`staffopt.sharing`), made once per
    model: ``z`` is 1 when the official takes any arc in that commune, by the row
    ``sum(x) - n * z <= 0`` over the slot's n arcs. Returns the variables and the
    number of rows added now."""
    new = [k for k in slots if k not in m.commune_vars]
    if new:
        arcs_of = m.spread.slot_arcs
        for k, z in zip(new, m.new_bool_vars(len(new)).tolist(), strict=True):
            arcs = arcs_of[k]
            m.add_linear([*arcs.tolist(), z], [1] * len(arcs) + [-len(arcs)], -len(arcs), 0)
            m.commune_vars[k] = z
            m.commune_links.append((z, arcs))
    return np.array([m.commune_vars[k] for k in slots], dtype=np.int64), len(new)


def max_communes(m: ArcModel) -> None:
    """One person covers at most ``max_communes`` communes (the official's own, else the
    policy's): ``sum of the person's commune-usage Booleans <= max_communes``, only for
    people whose arcs reach more communes than that."""
    sp = m.spread
    rows = 0
    for o, limit in sp.count_limits:
        z, linked = _commune_used(m, np.flatnonzero(sp.slot_official == o).tolist())
        m.add_linear(z, np.ones(len(z)), 0, limit)
        rows += 1 + linked
    m.record("max_communes", rows)


def max_km_between(m: ArcModel) -> None:
    """Any two communes one person covers are at most ``max_km_between`` road km apart.

    Only pairs of one person's communes farther apart than that count (no row
    for a pair that is close or not both reachable). They are stated per
    commune ``a`` of the person, over its far partners ``F`` listed after it:
    ``sum(z_b for b in F) + |F| * z_a <= |F|`` (covering ``a`` rules out every
    ``b``), one row per commune instead of one per pair: a person's arcs can
    reach dozens of communes, mostly far apart (the synthetic large province
    with a 60 km limit: 2.1 million far pairs, 104 thousand communes)."""
    sp = m.spread
    rows = 0
    pairs = sp.far_pairs
    if len(pairs):
        cuts = np.flatnonzero(np.diff(pairs[:, 0])) + 1
        for group in np.split(pairs, cuts):
            a = int(group[0, 0])
            partners = group[:, 1].tolist()
            z, linked = _commune_used(m, [a, *partners])
            k = len(partners)
            m.add_linear(z, [k] + [1] * k, 0, k)
            rows += 1 + linked
    m.record("max_km_between", rows)


# -- fairness floors (issue 10) --


def zone_share_needed(share: float, slots: int) -> int:
    """Slots a zone floor of ``share`` asks for out of ``slots``: ``ceil(share * slots)``.

    A hair of float noise (0.8 * 10 = 8.000000000000002) does not ask for one more.
    """
    return min(slots, math.ceil(share * slots - 1e-9))


def zone_coverage_floor(m: ArcModel) -> None:
    """At least ``Policy.zone_coverage_floor[zone]`` of the zone's slots filled (a requirement).

    Over every need of the zone, so the piece applies only to a model that
    covers them all (the staged solve of :mod:`staffopt.solver.goals` solves
    the whole scenario as one model).
    """
    s = m.scenario
    if not any(v > 0 for v in s.policy.zone_coverage_floor.values()):
        m.record("zone_coverage_floor", 0)
        return
    zone = np.array([s.commune_by_id[n.commune_id].zone.value for n in s.needs], dtype=object)
    slots = indices(s).slots
    in_zone = zone[m.n_idx] if m.n_arcs else np.zeros(0, dtype=object)
    rows = 0
    for z, share in sorted(s.policy.zone_coverage_floor.items(), key=lambda kv: kv[0].value):
        of_zone = zone == z.value
        if share <= 0 or not of_zone.any():
            continue
        if m.need_scope is not None and not m.need_scope[of_zone].all():
            continue
        needed = zone_share_needed(share, int(slots[of_zone].sum()))
        arcs = np.flatnonzero(in_zone == z.value)
        lit = m.guard(Requirement("zone_coverage_floor", z.value, needed))
        m.add_linear(arcs, np.ones(len(arcs)), needed, len(arcs), lit)
        rows += 1
    m.record("zone_coverage_floor", rows)


def commune_floor_needed(m: ArcModel) -> dict[str, int]:
    """Per commune with needs: ``min(Policy.commune_floor, its slots, its eligible officials)``.

    The clamp makes the floor "where possible": a commune whose needs ask
    for fewer slots, or that fewer distinct officials may serve at all, asks
    only for those.
    """
    s = m.scenario
    k = s.policy.commune_floor
    slots: dict[str, int] = {}
    for n in s.needs:
        slots[n.commune_id] = slots.get(n.commune_id, 0) + n.slots
    people: dict[str, set[int]] = {}
    if m.n_arcs:
        communes = m.arcs["commune_id"].to_numpy()
        for c, o in zip(communes.tolist(), m.o_idx.tolist(), strict=True):
            people.setdefault(str(c), set()).add(o)
    return {c: min(k, t, len(people.get(c, ()))) for c, t in slots.items()}


def commune_floor(m: ArcModel) -> None:
    """Every commune with needs gets at least ``Policy.commune_floor`` slots filled, where possible.

    A hard rule (a requirement), clamped per commune by
    :func:`commune_floor_needed`; it may still clash with other rules
    (two communes sharing their only candidate), which the conflict finder
    names. Whole models only, like :func:`zone_coverage_floor`.
    """
    rows = 0
    if m.scenario.policy.commune_floor > 0 and m.need_scope is None:
        commune = m.arcs["commune_id"].to_numpy() if m.n_arcs else np.zeros(0, dtype=object)
        for cid, needed in sorted(commune_floor_needed(m).items()):
            if needed <= 0:
                continue
            arcs = np.flatnonzero(commune == cid)
            lit = m.guard(Requirement("commune_floor", cid, needed))
            m.add_linear(arcs, np.ones(len(arcs)), needed, len(arcs), lit)
            rows += 1
    m.record("commune_floor", rows)


# -- allowance budget (issue 13) --


def budget(m: ArcModel) -> None:
    """The chosen arcs a budget covers cost at most the budget (a planner's requirement).

    One row per budget that can bind (:func:`staffopt.allowance.budget_groups`):
    the policy's ``budget`` over every arc, a province's over the arcs of its
    communes, in thousands of VND. Independent parts that share a budget are
    one part (:mod:`staffopt.solver.parts`), so a part's model sees all of it.
    Where the covered arcs cost one or two amounts, the row's hull cuts
    (:func:`budget_cut_rows`) follow it as rows of the same requirement: they
    hold for every plan within budget and give the LP the bound of whole arcs.
    """
    cost = cost_units(m.arcs)
    rows = 0
    for group in budget_groups(m.scenario, m.arcs):
        lit = m.guard(group.requirement)
        m.add_linear(group.arcs, cost[group.arcs], 0, group.limit_units, lit)
        rows += 1
        # The same requirement in rows the LP can use: one literal switches them
        # all (guarded), or each row is named (the LP conflict search relaxes
        # a requirement's rows together).
        for arcs, coeffs, rhs in budget_cut_rows(cost[group.arcs], group.limit_units):
            m.add_linear(
                group.arcs[arcs], coeffs, 0, rhs, lit if m.guarded else m.guard(group.requirement)
            )
            rows += 1
    m.record("budget", rows)


def budget_cut_rows(cost: IntArray, limit: int) -> list[tuple[IntArray, IntArray, int]]:
    """The hull cuts of one budget row (:mod:`staffopt.model.knapsack`) as rows:
    (positions in ``cost``, coefficients, right-hand side). None unless the
    covered arcs cost one or two amounts, and at most
    :data:`~staffopt.model.knapsack.MAX_CUT_ARCS` of them."""
    if len(cost) > MAX_CUT_ARCS:
        return []
    amounts = np.unique(cost)
    if len(amounts) > 2:
        return []
    hi, lo = int(amounts[-1]), (int(amounts[0]) if len(amounts) == 2 else None)
    is_hi = cost == hi
    cuts = budget_cuts(hi, lo, limit, int(is_hi.sum()), int((~is_hi).sum()))
    out = []
    for cut in cuts:
        coeffs = np.where(is_hi, cut.alpha, cut.beta).astype(np.int64)
        keep = np.flatnonzero(coeffs)
        out.append((keep.astype(np.int64), coeffs[keep], cut.rhs))
    return out


# -- stability (issue 10) --


def stability(m: ArcModel) -> None:
    """No blocking pair (``Policy.stability == "required"``; a planner's requirement).

    A blocking pair is the audit's (:mod:`staffopt.stability`): an arc (o, n)
    not chosen whose official would rather have n (unused, or n ranks above
    the official's *worst* post) and whose need would rather have o (a free
    slot, or o ranks above its worst holder), both on the one order of
    :mod:`staffopt.policies.preferences`. Per arc, with ``B_n`` the holders
    of n it ranks above o, the row
    ``slots_n * (x_on + d_on) + B_n >= slots_n`` says x_on is chosen, or
    the official does not want n (``d_on``), or n is full of better holders.
    For an official who takes one post ``d_on`` is the sum of the official's
    arcs it ranks above n (the textbook row); for one who may take several,
    "does not want" means every post ranks above n, so ``d_on`` is a Boolean
    with ``d_on <= sum(better)`` and ``sum(worse) + k * d_on <= k``. Each row
    holds the official's better arcs and the need's better arcs: O(arcs)
    terms at worst. Whole models only, like :func:`commune_floor`.
    """
    if m.scenario.policy.stability != "required" or m.need_scope is not None or not m.n_arcs:
        m.record("stability", 0)
        return
    req = Requirement("stability", "scenario")
    # Guarded: one literal switches every row; unguarded: each row is named
    # (the LP conflict search relaxes a requirement's rows together).
    shared = m.guard(req) if m.guarded else None
    rows, _ = stability_rows(m, lambda: shared if m.guarded else m.guard(req), slack=False)
    m.record("stability", rows)


def stability_rows(
    m: ArcModel, enforce: Callable[[], int | None], *, slack: bool
) -> tuple[int, IntArray]:
    """Write the rows of :func:`stability`, one per arc; return (rows written, slacks).

    ``enforce`` gives each arc row's enforcement literal (None: always on).
    With ``slack`` each arc row gets a violation Boolean ``b_on`` (coefficient
    ``slots_n``, so ``b_on = 1`` satisfies the row): the row may then be broken
    only where ``b_on`` is 1, and the fewest such Booleans is the fewest
    blocking pairs (the objective term ``blocking_pairs``). The slacks come
    back in the order of the rows (by official, best post first).
    """
    # The one preference order; preferences.py reads only the scenario (no cycle).
    from staffopt.policies.preferences import preferences

    prefs = preferences(m.scenario, m.arcs)
    slots = indices(m.scenario).slots
    by_need = {int(m.n_idx[a[0]]): a[np.argsort(prefs.need_key[a])] for a in groups(m.n_idx)}
    need_rank = np.empty(m.n_arcs, dtype=np.int64)
    for arcs in by_need.values():
        need_rank[arcs] = np.arange(len(arcs))
    slacks: list[int] = []
    rows = 0
    for o in np.unique(m.o_idx).tolist():
        start, end = int(prefs.official_start[o]), int(prefs.official_start[o + 1])
        mine = prefs.by_official[start:end]  # best first
        for i, arc in enumerate(mine.tolist()):
            n = int(m.n_idx[arc])
            k = int(slots[n])
            better_holders = by_need[n][: need_rank[arc]]
            if m.single[o]:
                own, own_c = mine[: i + 1], np.full(i + 1, k)
            else:
                d = int(m.new_bool_vars(1)[0])
                worse = mine[i + 1 :]
                m.add_linear([d, *mine[:i].tolist()], [1] + [-1] * i, -i, 0)
                m.add_linear([*worse.tolist(), d], [1] * len(worse) + [len(worse)], 0, len(worse))
                own, own_c = np.array([arc, d]), np.array([k, k])
                rows += 2
            if slack:
                b = int(m.new_bool_vars(1)[0])
                slacks.append(b)
                own, own_c = np.append(own, b), np.append(own_c, k)
            m.add_linear(
                [*own.tolist(), *better_holders.tolist()],
                [*own_c.tolist(), *([1] * len(better_holders))],
                k,
                k * (3 if slack else 2) + len(better_holders),
                enforce(),
            )
            rows += 1
    return rows, np.asarray(slacks, dtype=np.int64)


#: Every constraint piece, in the order the model is built. A piece's name is
#: its function's name, the checker's code and the explanations' word for it.
CONSTRAINTS: tuple[Callable[[ArcModel], None], ...] = (
    official_capacity,
    need_slots,
    mandatory_need,
    agency_floor,
    agency_ceiling,
    lock,
    max_communes,
    max_km_between,
    zone_coverage_floor,
    commune_floor,
    budget,
    stability,
)
