"""The Plan: what the solver decided, decoded into tables a planner can read.

A Plan holds the assignments, the unmet slots with their reasons, metrics
and the solver facts. It keeps a reference to its scenario, policy, arcs and
exclusions so it can explain itself; a plan loaded from disk gets them back
from the scenario (:func:`load_plan` with ``scenario=``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.errors import InfeasibleError, NoSolutionError, PlanError
from staffopt.schema import ASSIGNMENT_COLUMNS, Policy, Scenario

if TYPE_CHECKING:
    from staffopt.explain import Explanation
    from staffopt.whatif import WhatIf

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown")

#: Larger scenarios get no per-commune explanations in report.txt.
REPORT_MAX_COMMUNES = 300

UNMET_COLUMNS = ["need_id", "commune_id", "field", "missing_slots", "reason"]

#: Why a slot stays empty, in the order they are tested.
UNMET_REASONS: dict[str, tuple[str, str]] = {
    "no_eligible_candidate": (
        "no eligible candidate",
        "không có ứng viên đủ điều kiện",
    ),
    "candidates_taken": (
        "every candidate is assigned elsewhere or has no time left",
        "mọi ứng viên đã được bố trí nơi khác hoặc hết thời gian",
    ),
    "agency_ceiling": (
        "the free candidates' agencies have released all they can",
        "cơ quan của các ứng viên còn trống đã cử đủ số tối đa",
    ),
    "not_worth_it": (
        "the free candidates would lower the total score (too far)",
        "các ứng viên còn trống sẽ làm giảm tổng điểm (quá xa)",
    ),
    "solver_stopped": (
        "the solver stopped before proving this slot cannot be filled better",
        "bộ giải dừng trước khi chứng minh được phương án tốt hơn",
    ),
    "other_requirements": (
        "other hard requirements (floors, mandatory needs, locks) prevent it",
        "các yêu cầu bắt buộc khác (mức tối thiểu, nhu cầu bắt buộc, chỉ định) ngăn cản",
    ),
    "infeasible": ("the scenario is infeasible", "kịch bản không khả thi"),
}


@dataclass(frozen=True)
class Conflict:
    """A planner requirement that belongs to a set that cannot all hold."""

    kind: str
    id: str
    text_en: str
    text_vi: str


@dataclass
class Plan:
    """A secondment plan and the facts of the run that made it."""

    status: Status
    objective: float | None
    bound: float | None
    wall_time_s: float
    assignments: pd.DataFrame
    unmet: pd.DataFrame
    metrics: dict[str, Any]
    solver: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    conflicts: list[Conflict] = field(default_factory=list)
    scenario_name: str = ""
    policy: Policy | None = None
    scenario: Scenario | None = field(default=None, repr=False)
    arcs: pd.DataFrame | None = field(default=None, repr=False)
    exclusions: pd.DataFrame | None = field(default=None, repr=False)

    # -- facts ---------------------------------------------------------------
    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    def raise_for_status(self) -> Plan:
        """Raise InfeasibleError / NoSolutionError unless the plan has a solution."""
        if self.status == "infeasible":
            raise InfeasibleError(self.message or "the scenario is infeasible")
        if self.status == "unknown":
            raise NoSolutionError(self.message or "no solution within the time limit")
        return self

    def __repr__(self) -> str:
        obj = "-" if self.objective is None else f"{self.objective:g}"
        gap = "-" if self.gap is None else f"{self.gap:.2%}"
        m = self.metrics
        return (
            f"<Plan {self.status} objective={obj} gap={gap} "
            f"assignments={len(self.assignments)} "
            f"filled={m.get('slots_filled', 0)}/{m.get('slots_total', 0)} "
            f"unmet={m.get('slots_unmet', 0)} time={self.wall_time_s:.2f}s "
            f"engine={self.solver.get('engine', '?')}>"
        )

    def summary(self, lang: str = "en") -> str:
        from staffopt.report import plan_summary

        return plan_summary(self, lang)

    # -- explanations --------------------------------------------------------
    def require_scenario(self) -> Scenario:
        if self.scenario is None:
            raise PlanError(
                "this plan has no scenario attached; load it with "
                "staffopt.load_plan(dir, scenario=...) or call plan.attach(scenario)"
            )
        return self.scenario

    def attach(self, scenario: Scenario) -> Plan:
        """Attach the scenario (and recompute arcs and exclusions) for explanations."""
        from staffopt.eligibility import candidates

        policy = self.policy or scenario.policy
        self.scenario = scenario
        self.arcs, self.exclusions = candidates(scenario, policy)
        return self

    def explain(
        self,
        *,
        official: str | None = None,
        need: str | None = None,
        commune: str | None = None,
        lang: str = "en",
    ) -> Explanation:
        """Why an official goes where (or nowhere), why a need is (un)filled,
        or what a commune gets. Give exactly one of official, need, commune."""
        from staffopt.explain import explain

        return explain(self, official=official, need=need, commune=commune, lang=lang)

    def what_if(
        self,
        *,
        lock: list[tuple[str, str]] | tuple[()] = (),
        forbid: list[tuple[str, str]] | tuple[()] = (),
        time_limit_s: float | None = None,
    ) -> WhatIf:
        """What a change would cost: re-solve with extra locks/forbids and compare."""
        from staffopt.whatif import what_if

        return what_if(self, lock=lock, forbid=forbid, time_limit_s=time_limit_s)

    # -- output --------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything but the tables, JSON-ready."""
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time_s": self.wall_time_s,
            "solver": self.solver,
            "message": self.message,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "scenario_name": self.scenario_name,
            "policy": None if self.policy is None else self.policy.model_dump(mode="json"),
            "metrics": self.metrics,
        }

    def save(self, directory: str | Path, *, lang: str = "en", report: bool = True) -> Path:
        """Write assignments.csv, unmet.csv, plan.json and report.txt, whole or not at all.

        report.txt holds the summary and, for scenarios of up to
        :data:`REPORT_MAX_COMMUNES` communes, the explanation of every commune
        (larger ones: ask ``staffopt explain`` per commune).
        """
        from staffopt.io.atomic import atomic_dir

        directory = Path(directory)
        text = self.report_text(lang) if report else None
        with atomic_dir(directory) as tmp:
            if text is not None:
                (tmp / "report.txt").write_text(text, encoding="utf-8")
            self.assignments.to_csv(tmp / "assignments.csv", index=False)
            self.unmet.to_csv(tmp / "unmet.csv", index=False)
            (tmp / "plan.json").write_text(
                json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=_json_default),
                encoding="utf-8",
            )
        return directory

    def report_text(self, lang: str = "en") -> str:
        """The summary, then every commune's explanation when the scenario is small."""
        parts = [self.summary(lang)]
        s = self.scenario
        if s is not None and self.ok and len(s.communes) <= REPORT_MAX_COMMUNES:
            from staffopt.explain import explain_all_communes

            parts.append(explain_all_communes(self, lang))
        return "\n\n".join(parts) + "\n"

    def to_excel(self, path: str | Path, lang: str = "en") -> Path:
        """An Excel workbook for planners: summary, assignments with reasons, unmet, metrics."""
        from staffopt.report import plan_to_excel

        return plan_to_excel(self, Path(path), lang)


def _json_default(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def load_plan(directory: str | Path, scenario: Scenario | None = None) -> Plan:
    """Read a plan written by :meth:`Plan.save`; attach ``scenario`` to explain it."""
    directory = Path(directory)
    meta_path = directory / "plan.json"
    problems = [
        str(directory / n)
        for n in ("plan.json", "assignments.csv", "unmet.csv")
        if not (directory / n).is_file()
    ]
    if problems:
        raise PlanError(f"not a plan folder: missing {', '.join(problems)}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assignments = pd.read_csv(
            directory / "assignments.csv",
            dtype={"official_id": str, "need_id": str, "commune_id": str, "field": str},
            keep_default_na=False,
        )
        unmet = pd.read_csv(
            directory / "unmet.csv",
            dtype={"need_id": str, "commune_id": str, "field": str, "reason": str},
            keep_default_na=False,
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise PlanError(f"cannot read plan in {directory}: {exc}") from None
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in assignments.columns]
    missing += [c for c in UNMET_COLUMNS if c not in unmet.columns]
    if missing or meta.get("status") not in STATUSES:
        raise PlanError(f"malformed plan in {directory}: missing columns {missing}")
    plan = Plan(
        status=meta["status"],
        objective=meta.get("objective"),
        bound=meta.get("bound"),
        wall_time_s=float(meta.get("wall_time_s", 0.0)),
        assignments=assignments,
        unmet=unmet,
        metrics=meta.get("metrics", {}),
        solver=meta.get("solver", {}),
        message=meta.get("message", ""),
        conflicts=[Conflict(**c) for c in meta.get("conflicts", [])],
        scenario_name=meta.get("scenario_name", ""),
        policy=None if meta.get("policy") is None else Policy.model_validate(meta["policy"]),
    )
    if scenario is not None:
        plan.attach(scenario)
    return plan


# -- decoding ------------------------------------------------------------------


def decode(
    scenario: Scenario,
    policy: Policy,
    arcs: pd.DataFrame,
    exclusions: pd.DataFrame,
    chosen: npt.NDArray[np.bool_],
    *,
    status: Status,
    objective: float | None,
    bound: float | None,
    wall_time_s: float,
    solver: dict[str, Any],
    message: str = "",
    conflicts: list[Conflict] | None = None,
) -> Plan:
    """Turn the chosen-arc mask into a Plan with unmet reasons and metrics."""
    assignments = arcs.loc[chosen, list(ASSIGNMENT_COLUMNS)].reset_index(drop=True)
    unmet = unmet_slots(scenario, arcs, chosen, status)
    return Plan(
        status=status,
        objective=objective,
        bound=bound,
        wall_time_s=wall_time_s,
        assignments=assignments,
        unmet=unmet,
        metrics=compute_metrics(scenario, assignments),
        solver=solver,
        message=message,
        conflicts=conflicts or [],
        scenario_name=scenario.name,
        policy=policy,
        scenario=scenario,
        arcs=arcs,
        exclusions=exclusions,
    )


def unmet_slots(
    scenario: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_], status: Status
) -> pd.DataFrame:
    """One row per need with empty slots, with the reason (see UNMET_REASONS)."""
    s = scenario
    n_needs = len(s.needs)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    slots = np.array([n.slots for n in s.needs], dtype=np.int64)
    filled = np.bincount(n_idx[chosen], minlength=n_needs)
    missing = slots - filled
    short = np.flatnonzero(missing > 0)
    if len(short) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UNMET_COLUMNS}).astype(
            {"missing_slots": np.int64}
        )
    if status not in ("optimal", "feasible"):
        reasons = np.full(
            len(short), "infeasible" if status == "infeasible" else "solver_stopped", dtype=object
        )
    else:
        reasons = _unmet_reasons(s, arcs, chosen, short, status)
    needs = s.frame("needs")
    return pd.DataFrame(
        {
            "need_id": needs["need_id"].to_numpy(object)[short],
            "commune_id": needs["commune_id"].to_numpy(object)[short],
            "field": needs["field"].to_numpy(object)[short],
            "missing_slots": missing[short],
            "reason": reasons,
        }
    )


def candidate_blockers(
    scenario: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_]
) -> pd.DataFrame:
    """For every arc not chosen: is its official busy, its agency full, its score <= 0?

    ``busy``: the official's remaining capacity is below the arc's load.
    ``agency_full``: the official is unused and the agency is at its ceiling.
    """
    busy, agency_full, not_worth = _blockers(scenario, arcs, chosen)
    rest = ~chosen
    out = arcs.loc[rest, ["official_id", "need_id", "o_idx", "n_idx", "score"]].copy()
    out["busy"] = busy[rest]
    out["agency_full"] = agency_full[rest]
    out["not_worth"] = not_worth[rest]
    return out


def _blockers(
    s: Scenario, arcs: pd.DataFrame, chosen: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per arc (all of them): official busy, agency full, score <= 0 (see candidate_blockers)."""
    from staffopt.eligibility import LOAD_SCALE, capacity_units, official_agency_index

    o_idx = arcs["o_idx"].to_numpy(np.int64)
    loads = np.rint(arcs["load"].to_numpy(np.float64) * LOAD_SCALE).astype(np.int64)
    n_off = len(s.officials)
    used_load = np.bincount(o_idx[chosen], weights=loads[chosen], minlength=n_off)
    cap = capacity_units(s)
    used = used_load > 0
    off_agency = official_agency_index(s)
    released = np.bincount(off_agency[used], minlength=len(s.agencies))
    ceiling = np.array([a.ceiling for a in s.agencies], dtype=np.int64)
    busy = (cap[o_idx] - used_load[o_idx]) < loads
    agency_full = ~used[o_idx] & (released[off_agency[o_idx]] >= ceiling[off_agency[o_idx]])
    not_worth = arcs["score"].to_numpy() <= 0
    return np.asarray(busy), np.asarray(agency_full), np.asarray(not_worth)


def _unmet_reasons(
    s: Scenario,
    arcs: pd.DataFrame,
    chosen: npt.NDArray[np.bool_],
    short: npt.NDArray[np.int64],
    status: Status,
) -> npt.NDArray[np.object_]:
    busy, agency_full, not_worth = _blockers(s, arcs, chosen)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    rest = ~chosen
    free = ~busy & ~agency_full

    def per_need(flag: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Per short need: does any of its unchosen arcs have ``flag``?"""
        hits = np.bincount(n_idx[rest & flag], minlength=len(s.needs))
        return np.asarray(hits[short] > 0)

    has_any = per_need(np.ones(len(arcs), dtype=bool))
    free_positive = per_need(free & ~not_worth)
    free_any = per_need(free)
    ceiling = per_need(~busy & agency_full)
    stopped = "solver_stopped" if status != "optimal" else "other_requirements"
    # No unchosen arc at all: no candidate, or every eligible one already fills a slot here.
    return np.select(
        [~has_any, free_positive, free_any, ceiling],
        ["no_eligible_candidate", stopped, "not_worth_it", "agency_ceiling"],
        default="candidates_taken",
    ).astype(object)


def compute_metrics(scenario: Scenario, assignments: pd.DataFrame) -> dict[str, Any]:
    """Coverage overall, per zone and per criticality; km; officials used per agency.

    Plain numpy over the scenario's records (no pandas grouping): a fixed cost
    of a few milliseconds matters when a province's flow solves in two.
    """
    s = scenario
    zone_of = {c.commune_id: c.zone.value for c in s.communes}
    need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
    slots = np.array([n.slots for n in s.needs], dtype=np.int64)
    crit = np.array([n.criticality for n in s.needs], dtype=np.int64)
    zone = np.array([zone_of[n.commune_id] for n in s.needs], dtype=object)
    taken = [need_pos[n] for n in assignments["need_id"].tolist()]
    filled = np.bincount(np.asarray(taken, dtype=np.int64), minlength=len(s.needs))

    def coverage(mask: npt.NDArray[np.bool_]) -> dict[str, Any]:
        total_slots = int(slots[mask].sum())
        got = int(filled[mask].sum())
        return {
            "slots": total_slots,
            "filled": got,
            "coverage": got / total_slots if total_slots else 1.0,
        }

    by_zone = {z: coverage(zone == z) for z in ("I", "II", "III")}
    by_crit = {str(k): coverage(crit == k) for k in (1, 2, 3)}
    total = coverage(np.ones(len(s.needs), dtype=bool))
    agency_of = {o.official_id: o.agency_id for o in s.officials}
    used = set(assignments["official_id"].tolist())
    per_agency = Counter(agency_of[o] for o in used)
    km = assignments["distance_km"].to_numpy(np.float64)
    return {
        "slots_total": total["slots"],
        "slots_filled": total["filled"],
        "slots_unmet": total["slots"] - total["filled"],
        "coverage": total["coverage"],
        "coverage_by_zone": by_zone,
        "coverage_by_criticality": by_crit,
        "needs_total": len(s.needs),
        "needs_fully_met": int((filled >= slots).sum()),
        "officials_total": len(s.officials),
        "officials_used": len(used),
        "officials_used_by_agency": {
            a.agency_id: per_agency.get(a.agency_id, 0) for a in s.agencies
        },
        "km_total": float(km.sum()),
        "km_mean": float(km.mean()) if len(km) else 0.0,
        "km_max": float(km.max()) if len(km) else 0.0,
        "on_the_spot": int((km == 0).sum()),
        "score_total": int(assignments["score"].sum()),
    }
