"""Objective terms: one function per named term, and the ``OBJECTIVE_TERMS`` registry.

CP-SAT takes integer coefficients only. Scores are integers by construction
(see :class:`staffopt.Policy`), so no scaling factor is needed: the objective
value *is* the sum of the chosen arcs' scores.

Each term writes the model's objective (replacing any earlier one) so that
CP-SAT's reported objective value is the term's value in model units:
points (``score``), slots, communes, people, whole metres (``travel_km``,
distances rounded per arc) or millionths of a share
(``min_commune_coverage``). A maximised term is stored negated with a
scaling factor of -1, a minimised one as it is. :func:`objective_as_row`
turns the objective of a solved stage into a row of the next stage
(lexicographic goals, :mod:`staffopt.solver.goals`). ``build_model`` adds
``score`` only: the other terms are used by the staged solve alone, so the
default path is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.model.arcmodel import ArcModel, IntArray, groups
from staffopt.model.constraints import official_used, stability_rows
from staffopt.results import MINIMISED_TERMS, ObjectiveTerm, StageTerm

#: ``min_commune_coverage`` counts a share in millionths: the model's
#: optimum is the plan's smallest share rounded down to 10^-6.
COVERAGE_SCALE = 1_000_000
#: ``travel_km`` counts whole metres (each arc's distance rounded).
METRES_PER_KM = 1000


def objective_column(arcs: pd.DataFrame) -> str:
    """``weight`` when solve() added tie-breaking weights, else ``score``."""
    return "weight" if "weight" in arcs.columns else "score"


def _write(m: ArcModel, variables: IntArray, coeffs: IntArray, *, maximise: bool) -> None:
    """Replace the model's objective by ``sum(coeffs * variables)``, maximised or minimised."""
    m.proto.clear_objective()
    nz = np.flatnonzero(coeffs)
    o = m.proto.objective
    o.vars.extend(variables[nz].tolist())
    o.coeffs.extend((-coeffs[nz] if maximise else coeffs[nz]).tolist())
    o.scaling_factor = -1.0 if maximise else 1.0


def _arc_term(m: ArcModel, name: str, per_arc: IntArray) -> None:
    """A term that is a sum over the chosen arcs."""
    _write(m, np.arange(m.n_arcs, dtype=np.int64), per_arc, maximise=name not in MINIMISED_TERMS)
    m.record(name, 1)


def score(m: ArcModel) -> None:
    """Maximise the sum of the chosen arcs' scores.

    With ``prefer`` (see :func:`staffopt.solver.solve`) the arcs carry a
    ``weight = score * (K + 1) + preferred`` with K preferred pairs: the same
    optimum of score first, then as many preferred pairs as possible.

    CP-SAT minimises, so the proto stores the negated coefficients with a
    scaling factor of -1; the reported objective is then the maximised sum.
    """
    score = m.arcs[objective_column(m.arcs)].to_numpy(np.int64)
    _arc_term(m, "score", score)
    m.gains = score


def slots(m: ArcModel) -> None:
    """Maximise the slots filled (every chosen arc fills one slot)."""
    _arc_term(m, "slots", np.ones(m.n_arcs, dtype=np.int64))


def critical_arcs(m: ArcModel) -> npt.NDArray[np.bool_]:
    """Per arc: its need is critical (criticality 3) in a zone III commune."""
    s = m.scenario
    zone = {c.commune_id: c.zone.value for c in s.communes}
    per_need = np.array(
        [n.criticality == 3 and zone[n.commune_id] == "III" for n in s.needs], dtype=bool
    )
    return np.asarray(per_need[m.n_idx]) if m.n_arcs else np.zeros(0, dtype=bool)


def critical_zone_iii(m: ArcModel) -> None:
    """Maximise the slots filled in critical needs (criticality 3) of zone III communes."""
    _arc_term(m, "critical_zone_iii", critical_arcs(m).astype(np.int64))


def travel_km(m: ArcModel) -> None:
    """Minimise the total road distance, in whole metres per arc."""
    km = m.arcs["distance_km"].to_numpy(np.float64)
    _arc_term(m, "travel_km", np.rint(km * METRES_PER_KM).astype(np.int64))


def officials_used(m: ArcModel) -> None:
    """Minimise the distinct people sent (a part-time helper on two needs counts once).

    Uses the "official is used" terms of :func:`.constraints.official_used`:
    any arc taken forces its official's term to 1.
    """
    variables, coeffs = [], []
    for arcs in groups(m.o_idx):
        v, c = official_used(m, arcs, under_floor=False)
        variables.append(v)
        coeffs.append(c)
    var = np.concatenate(variables) if variables else np.zeros(0, dtype=np.int64)
    coef = np.concatenate(coeffs) if coeffs else np.zeros(0, dtype=np.int64)
    _write(m, var, coef, maximise=False)
    m.record("officials_used", 1)


def commune_arcs(m: ArcModel) -> dict[str, IntArray]:
    """Per commune with arcs: the positions of its arcs."""
    commune = m.arcs["commune_id"].to_numpy()
    return {str(commune[a[0]]): a for a in groups(commune)} if m.n_arcs else {}


def communes_served(m: ArcModel) -> None:
    """Maximise the communes with at least one slot filled.

    One Boolean ``served`` per commune with arcs and a row ``served <= sum(x)``
    over the commune's arcs (its needs may fall in different parts of a
    decomposed model: this term is solved on the whole model).
    """
    of = commune_arcs(m)
    served = m.new_bool_vars(len(of))
    for y, arcs in zip(served.tolist(), of.values(), strict=True):
        m.add_linear([y, *arcs.tolist()], [1] + [-1] * len(arcs), -len(arcs), 0)
    _write(m, served, np.ones(len(served), dtype=np.int64), maximise=True)
    m.record("communes_served", 1 + len(of))


def min_commune_coverage(m: ArcModel) -> None:
    """Maximise the smallest share of a commune's slots filled, over communes with needs.

    An integer ``t`` in millionths (:data:`COVERAGE_SCALE`) with ``slots_c * t
    <= COVERAGE_SCALE * filled_c`` per commune: its optimum is the best
    smallest share rounded down to 10^-6. A commune with needs and no arc
    holds ``t`` at 0. A min over every commune: never separable by parts.
    """
    s = m.scenario
    total: dict[str, int] = {}
    for n in s.needs:
        total[n.commune_id] = total.get(n.commune_id, 0) + n.slots
    of = commune_arcs(m)
    t = m.new_int_var(0, COVERAGE_SCALE)
    rows = 0
    for cid, slots_c in total.items():
        if slots_c == 0:
            continue
        arcs = of.get(cid, np.zeros(0, dtype=np.int64))
        coeffs = [slots_c] + [-COVERAGE_SCALE] * len(arcs)
        m.add_linear([t, *arcs.tolist()], coeffs, -COVERAGE_SCALE * len(arcs), 0)
        rows += 1
    _write(m, np.array([t], dtype=np.int64), np.ones(1, dtype=np.int64), maximise=True)
    m.record("min_commune_coverage", 1 + rows)


def kept(m: ArcModel) -> None:
    """Maximise the previous plan's assignments kept: chosen arcs whose ``kept`` is 1.

    A re-plan (:func:`staffopt.replan`) marks each arc that is a pair
    of the previous plan with ``kept = 1``; without that column no arc counts.
    Not a goal of ``Policy.goals`` (a scenario alone knows no previous plan):
    the staged solve puts it first when asked to keep the most.
    """
    if "kept" in m.arcs.columns:
        per_arc = m.arcs["kept"].to_numpy(np.int64)
    else:
        per_arc = np.zeros(m.n_arcs, dtype=np.int64)
    _arc_term(m, "kept", per_arc)


def blocking_pairs(m: ArcModel) -> None:
    """Minimise the blocking pairs (``Policy.stability = "preferred"``).

    The rows of the piece :func:`.constraints.stability`, each with a
    violation Boolean ``b_on`` that lets it break: ``sum(b)`` is at least the
    plan's blocking pairs, and equal at the optimum (a ``b_on`` may be 1
    where the pair does not block, never usefully), so the minimum is the
    fewest blocking pairs. The plan's value is recounted from the plan
    (:func:`staffopt.metrics.objective_terms`), not read from ``b``. Whole
    models only (a need's better holders may sit anywhere).
    """
    rows, slacks = 0, np.zeros(0, dtype=np.int64)
    if m.n_arcs:
        rows, slacks = stability_rows(m, lambda: None, slack=True)
    _write(m, slacks, np.ones(len(slacks), dtype=np.int64), maximise=False)
    m.record("blocking_pairs", rows)


def objective_as_row(m: ArcModel, value: int, slack: int) -> None:
    """Keep the current objective within ``slack`` of ``value`` (model units) as a row.

    A maximised term keeps ``sum >= value - slack``, a minimised one ``sum <=
    value + slack``; the objective is then cleared for the next stage.
    """
    o = m.proto.objective
    variables = np.asarray(list(o.vars), dtype=np.int64)
    inner = np.asarray(list(o.coeffs), dtype=np.int64)
    # The stored objective is minimised: inner = -term (maximised) or term.
    sign = -1 if o.scaling_factor < 0 else 1
    limit = sign * value + slack
    m.add_linear(variables, inner, -(2**62), limit)
    m.proto.clear_objective()


#: Every objective term by name (:data:`staffopt.results.ObjectiveTerm`), in
#: the order of the names. ``build_model`` adds ``score``; the staged solve
#: of ``Policy.goals`` adds each goal's term in turn.
OBJECTIVE_TERMS: tuple[Callable[[ArcModel], None], ...] = (
    score,
    slots,
    critical_zone_iii,
    min_commune_coverage,
    communes_served,
    travel_km,
    officials_used,
    blocking_pairs,
)
TERM_BY_NAME: dict[ObjectiveTerm, Callable[[ArcModel], None]] = {
    f.__name__: f  # type: ignore[misc]
    for f in OBJECTIVE_TERMS
}
#: Every term a stage may optimise: the objective terms and ``kept``.
STAGE_TERM_BY_NAME: dict[StageTerm, Callable[[ArcModel], None]] = {
    **{term: f for term, f in TERM_BY_NAME.items()},
    "kept": kept,
}
