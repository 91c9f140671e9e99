"""What every check reads, built once per check: the plan's rows, the pairs
(rows whose official and need exist, with the scenario's records and the
recomputed distance), the scenario's lookups (:class:`CheckContext`), and the
number helpers (tolerance, thousandths of an FTE, great-circle distance).

:func:`read_plan` reads a plan (or a bare DataFrame of assignments) into a
:class:`CheckContext`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from staffopt.checker.violation import Violation
from staffopt.errors import PlanError
from staffopt.schema import (
    ASSIGNMENT_COLUMNS,
    COST_COLUMN,
    Agency,
    Commune,
    Need,
    Official,
    Policy,
    Scenario,
)

#: Mean Earth radius in km (IUGG), the same constant the planner uses.
EARTH_RADIUS_KM = 6371.0088
#: Relative and absolute tolerance for distances, scores and the objective.
TOLERANCE = 1e-6
#: FTE are counted in thousandths.
FTE_SCALE = 1000
#: Allowance costs are whole thousands of VND.
MONEY_UNIT = 1000

#: The columns of the unmet table the checker reads.
UNMET_COLUMNS: tuple[str, ...] = ("need_id", "missing_slots")


# -- numbers --------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def as_id(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


def as_float(value: Any) -> float:
    if _is_missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def num(x: float) -> str:
    """Numbers in messages: whole numbers without a decimal point."""
    if math.isfinite(x) and float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def exceeds(value: float, limit: float) -> bool:
    """``value > limit`` beyond the float noise of two ways of computing it."""
    return value > limit and not close(value, limit)


def milli(fte: float) -> int:
    return round(fte * FTE_SCALE)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2) - math.radians(lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def allowance_cost(
    policy: Policy, official: Official, commune: Commune, need: Need, km: float
) -> int:
    """The pair's allowance cost in VND for the need's term, by the checker's own arithmetic.

    One-off allowance by zone (not again in a commune the official already
    serves in, ``current_communes``), monthly allowance by zone, travel and
    housing per month, travel per km and month; nothing for an official on
    the spot (0 km); rounded to whole thousands of VND (the planner's unit).
    """
    if km <= 0:
        return 0
    months = policy.round_months if need.months is None else need.months
    zone = commune.zone
    fixed = float(policy.travel_allowance_per_month + policy.housing_allowance_per_month)
    serving = commune.commune_id in official.current_communes
    vnd = (0 if serving else policy.one_off_allowance[zone]) + months * (
        policy.monthly_allowance[zone] + fixed + policy.travel_allowance_per_km * km
    )
    return round(vnd / MONEY_UNIT) * MONEY_UNIT


# -- the plan, read once ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One assignment row as the plan wrote it (``pos`` counts from 1)."""

    pos: int
    official_id: str | None
    need_id: str | None
    commune_id: str | None
    field: str | None
    distance_km: float
    score: float
    load: float
    #: The plan's allowance cost (VND); NaN when the plan has no cost column.
    cost: float = math.nan


@dataclass(frozen=True, slots=True)
class Pair:
    """A row whose official and need both exist, with the scenario's records."""

    row: Row
    official: Official
    need: Need
    commune: Commune
    agency: Agency
    km: float  # recomputed distance
    km_source: str

    def where(self) -> str:
        return f"official '{self.official.official_id}' on need '{self.need.need_id}'"

    def violation(self, rule: str, text: str) -> Violation:
        return Violation(
            rule,
            f"{self.where()}: {text}",
            official_id=self.official.official_id,
            need_id=self.need.need_id,
            agency_id=self.agency.agency_id,
            commune_id=self.commune.commune_id,
        )


class CheckContext:
    """The scenario's lookups and the plan's rows, built once per check."""

    def __init__(
        self,
        scenario: Scenario,
        rows: list[Row],
        unmet: pd.DataFrame | None,
        status: str | None,
        objective: float | None,
        objective_terms: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.policy = scenario.policy
        self.officials: dict[str, Official] = scenario.official_by_id
        self.needs: dict[str, Need] = scenario.need_by_id
        self.communes: dict[str, Commune] = scenario.commune_by_id
        self.agencies: dict[str, Agency] = scenario.agency_by_id
        self.given_km: dict[tuple[str, str], float] = {
            (d.official_id, d.commune_id): d.km for d in scenario.distances
        }
        self.forbidden: set[tuple[str, str]] = {
            (lk.official_id, lk.need_id) for lk in scenario.locks if lk.kind == "forbid"
        }
        self.locked: list[tuple[str, str]] = [
            (lk.official_id, lk.need_id) for lk in scenario.locks if lk.kind == "lock"
        ]
        self.affinity: dict[tuple[str, str], int] = {
            (af.official_id, af.need_id): af.score for af in scenario.affinity
        }
        self.rows = rows
        self.unmet = unmet
        self.status = status
        self.objective = objective
        #: The plan's ``objective_terms`` (term -> value), empty when it gives none.
        self.objective_terms: dict[str, Any] = dict(objective_terms or {})
        self.pairs: list[Pair] = []
        for row in rows:
            o = self.officials.get(row.official_id) if row.official_id is not None else None
            n = self.needs.get(row.need_id) if row.need_id is not None else None
            if o is None or n is None:
                continue
            c = self.communes[n.commune_id]
            km, source = self.road_km(o, c)
            self.pairs.append(Pair(row, o, n, c, self.agencies[o.agency_id], km, source))
        # assignments per need, counting every row that names a known need
        self.assigned: Counter[str] = Counter(
            r.need_id for r in rows if r.need_id is not None and r.need_id in self.needs
        )

    def road_km(self, o: Official, c: Commune) -> tuple[float, str]:
        """The distance from the official's home to the commune, and where it came from."""
        given = self.given_km.get((o.official_id, c.commune_id))
        if given is not None:
            return given, "the distances table"
        if o.home_commune_id == c.commune_id:
            return 0.0, "home commune"
        if o.home_lat is not None and o.home_lon is not None:
            lat, lon = o.home_lat, o.home_lon
        else:
            assert o.home_commune_id is not None  # the schema guarantees a home
            home = self.communes[o.home_commune_id]
            lat, lon = home.lat, home.lon
        factor = self.policy.road_factor
        km = haversine_km(lat, lon, c.lat, c.lon) * factor
        return km, f"great-circle km x road factor {num(factor)}"


# -- reading a plan -------------------------------------------------------------


def _frame(value: Any, what: str, required: Iterable[str]) -> pd.DataFrame | None:
    if value is None:
        return None
    if not isinstance(value, pd.DataFrame):
        raise PlanError(f"plan {what} must be a pandas DataFrame, found {type(value).__name__}")
    missing = [c for c in required if c not in value.columns]
    if missing and len(value):
        raise PlanError(
            f"plan {what} lacks column{'s' if len(missing) != 1 else ''} "
            f"{', '.join(missing)}; found {', '.join(map(str, value.columns)) or 'none'}"
        )
    return value


def _rows(assignments: pd.DataFrame | None) -> list[Row]:
    if assignments is None or not len(assignments):
        return []
    columns = [assignments[c].tolist() for c in ASSIGNMENT_COLUMNS]
    costs = (
        assignments[COST_COLUMN].tolist()
        if COST_COLUMN in assignments.columns
        else [math.nan] * len(assignments)
    )
    return [
        Row(
            pos,
            as_id(oid),
            as_id(nid),
            as_id(cid),
            as_id(field),
            as_float(km),
            as_float(score),
            as_float(load),
            as_float(cost),
        )
        for pos, (oid, nid, cid, field, km, score, load, cost) in enumerate(
            zip(*columns, costs, strict=True), start=1
        )
    ]


def _status(plan: Any) -> str | None:
    status = getattr(plan, "status", None)
    if status is None:
        return None
    return str(getattr(status, "value", status)).strip().lower()


def read_plan(scenario: Scenario, plan: Any) -> CheckContext | None:
    """The context to check ``plan`` against ``scenario``; None when the plan
    claims nothing (status ``infeasible`` or ``unknown`` and no assignments).

    Raises :class:`~staffopt.errors.PlanError` when ``plan`` has no
    ``.assignments`` and is not a DataFrame, or when a table is not a
    DataFrame or lacks a column.
    """
    terms = None
    if isinstance(plan, pd.DataFrame):
        assignments, unmet_raw, status, objective = plan, None, None, None
    else:
        if not hasattr(plan, "assignments"):
            raise PlanError(
                f"expected a plan with .assignments or a DataFrame, found {type(plan).__name__}"
            )
        assignments = plan.assignments
        unmet_raw = getattr(plan, "unmet", None)
        status = _status(plan)
        objective = getattr(plan, "objective", None)
        terms = getattr(plan, "objective_terms", None)
    frame = _frame(assignments, "assignments", ASSIGNMENT_COLUMNS)
    if status in ("infeasible", "unknown") and (frame is None or not len(frame)):
        return None
    unmet = _frame(unmet_raw, "unmet", UNMET_COLUMNS)
    obj = None if objective is None else as_float(objective)
    if terms is not None and not isinstance(terms, dict):
        raise PlanError(f"plan objective_terms must be a dict, found {type(terms).__name__}")
    return CheckContext(scenario, _rows(frame), unmet, status, obj, terms)
