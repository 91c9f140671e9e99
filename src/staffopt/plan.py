"""The Plan record and its persistence (save to and load from a plan folder).

A Plan holds the assignments, the unmet slots with their reasons, metrics
and the solver facts. It keeps a reference to its scenario, policy, arcs and
exclusions so it can explain itself; a plan loaded from disk gets them back
from the scenario (:func:`load_plan` with ``scenario=``). Decoding a solve
into a Plan is :mod:`staffopt.decode`'s job; ``summary``, ``explain``,
``what_if``, ``to_excel`` and ``to_html`` are thin forwards to the modules that do them,
which import the Plan back only as a type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from staffopt.errors import InfeasibleError, NoSolutionError, PlanError
from staffopt.results import (
    REQUIREMENT_KINDS,
    SOLVED,
    STAGE_TERM_NAMES,
    STATUSES,
    STOPPED_BY,
    Requirement,
    RequirementKind,
    SolverFacts,
    Stage,
    Status,
    StoppedBy,
    relative_gap,
)
from staffopt.schema import ASSIGNMENT_COLUMNS, Policy, Scenario
from staffopt.texts import LANGS, Phrase, requirement_text

if TYPE_CHECKING:
    from staffopt.explain import Explanation
    from staffopt.whatif import WhatIf

#: Larger scenarios get no per-commune explanations in report.txt.
REPORT_MAX_COMMUNES = 300
#: The folder inside a plan folder that holds the scenario a next round was
#: solved on (history added: no input file holds it).
ROUND_SCENARIO_DIR = "scenario"

#: Columns of a plan's unmet table (``reason`` is a :data:`~staffopt.results.UnmetReason`).
UNMET_COLUMNS = ["need_id", "commune_id", "field", "missing_slots", "reason"]


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
    solver: SolverFacts = field(default_factory=SolverFacts)
    message: str = ""
    #: Why the search stopped (:data:`~staffopt.results.StoppedBy`); None for a
    #: plan written before staffopt recorded it.
    stopped_by: StoppedBy | None = None
    #: When infeasible: requirements that cannot all hold together.
    conflicts: list[Requirement] = field(default_factory=list)
    #: The allocation mechanism that made the plan (:func:`staffopt.allocate`);
    #: ``solve`` is the ``optimal`` one.
    mechanism: str = "optimal"
    #: Requirements the mechanism does not enforce (``agency_floor``,
    #: ``mandatory_need``, ``lock``, ``agency_ceiling``): the plan may break them.
    ignores: list[RequirementKind] = field(default_factory=list)
    scenario_name: str = ""
    policy: Policy | None = None
    #: Every named objective term's value in this plan (term -> value), whatever
    #: the goals (:func:`staffopt.metrics.objective_terms`).
    objective_terms: dict[str, float] = field(default_factory=dict)
    #: The stages of a ranked-goals solve (``Policy.goals``); empty on the default path.
    stages: list[Stage] = field(default_factory=list)
    scenario: Scenario | None = field(default=None, repr=False)
    arcs: pd.DataFrame | None = field(default=None, repr=False)
    exclusions: pd.DataFrame | None = field(default=None, repr=False)

    # -- facts ---------------------------------------------------------------
    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (:func:`staffopt.results.relative_gap`)."""
        return relative_gap(self.objective, self.bound)

    @property
    def ok(self) -> bool:
        return self.status in SOLVED

    @property
    def reproducible(self) -> bool:
        """Whether the same input, seed and core count give this plan again.

        True for a reproducible-mode solve (``SolveOptions.deterministic``)
        that neither the user (Ctrl-C) nor the wall-clock safety net stopped.
        """
        f = self.solver
        return f.deterministic and not f.wall_clock_stop and self.stopped_by != "user"

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
            f"engine={self.solver.engine}>"
        )

    def summary(self, lang: str = "en") -> str:
        from staffopt.report import plan_summary

        return plan_summary(self, lang)

    # -- explanations --------------------------------------------------------
    def require_scenario(self) -> Scenario:
        if self.scenario is None:
            raise PlanError(Phrase("plan_error.no_scenario"))
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

    def explain_all(
        self,
        lang: str = "en",
        *,
        seconds_per_resolve: float = 10.0,
        time_limit_s: float | None = None,
    ) -> pd.DataFrame:
        """Every assignment, empty slot and unused official, each with its re-solved cost
        (:func:`staffopt.explain_all.explain_all`)."""
        from staffopt.explain_all import explain_all

        return explain_all(
            self, lang, seconds_per_resolve=seconds_per_resolve, time_limit_s=time_limit_s
        )

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

    def blocking_pairs(self) -> pd.DataFrame:
        """Official-need pairs who would both rather be matched to each other, with en/vi text.

        See :mod:`staffopt.stability` for the exact definition (the preferences
        of :mod:`staffopt.policies.preferences`, the scenario's ``wishes``).
        """
        from staffopt.stability import blocking_pairs

        scenario = self.require_scenario()
        if self.arcs is None:
            self.attach(scenario)
        assert self.arcs is not None
        return blocking_pairs(scenario, self.arcs, self.assignments)

    # -- output --------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything but the tables, JSON-ready."""
        return {
            "status": self.status,
            "stopped_by": self.stopped_by,
            "reproducible": self.reproducible,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time_s": self.wall_time_s,
            "solver": self.solver.to_dict(),
            "message": self.message,
            "conflicts": [
                {**c.to_dict(), **{f"text_{lg}": requirement_text(c, lg) for lg in LANGS}}
                for c in self.conflicts
            ],
            "mechanism": self.mechanism,
            "ignores": list(self.ignores),
            "scenario_name": self.scenario_name,
            "policy": None if self.policy is None else self.policy.model_dump(mode="json"),
            "metrics": self.metrics,
            "objective_terms": self.objective_terms,
            "stages": [st.to_dict() for st in self.stages],
        }

    def save(
        self,
        directory: str | Path,
        *,
        lang: str = "en",
        report: bool = True,
        tables: Mapping[str, pd.DataFrame] | None = None,
        scenario: Scenario | None = None,
    ) -> Path:
        """Write assignments.csv, unmet.csv, plan.json and report.txt, whole or not at all.

        report.txt holds the summary and, for scenarios of up to
        :data:`REPORT_MAX_COMMUNES` communes, the explanation of every commune
        (larger ones: ask ``staffopt explain`` per commune). ``tables``: more
        tables written beside the plan in the same atomic step, ``<name>.csv``
        each (a re-plan's ``diff``). ``scenario``: saved as a CSV folder in
        :data:`ROUND_SCENARIO_DIR` in the same step (a next round's, which no
        input file holds).
        """
        from staffopt.io.atomic import atomic_dir
        from staffopt.io.csvsafe import protect

        directory = Path(directory)
        text = self.report_text(lang) if report else None
        with atomic_dir(directory) as tmp:
            if text is not None:
                (tmp / "report.txt").write_text(text, encoding="utf-8")
            # Ids and names are user text: never a formula when Excel opens the file.
            protect(self.assignments).to_csv(tmp / "assignments.csv", index=False)
            protect(self.unmet).to_csv(tmp / "unmet.csv", index=False)
            for name, frame in (tables or {}).items():
                protect(frame).to_csv(tmp / f"{name}.csv", index=False)
            if scenario is not None:
                scenario.save(tmp / ROUND_SCENARIO_DIR)
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

    def to_html(self, path: str | Path, lang: str = "en") -> Path:
        """A self-contained HTML report: coverage, a map, travel, agencies, searchable tables.

        Needs the plan's scenario and the ``report`` extra (jinja2, matplotlib).
        """
        from staffopt.html_report import plan_to_html

        return plan_to_html(self, Path(path), lang)


def _json_default(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _stages(raw: Any, directory: Path) -> list[Stage]:
    """The stages of plan.json (absent from plans of earlier versions)."""
    try:
        stages = [Stage.from_dict(st) for st in raw]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PlanError(f"malformed plan in {directory}: bad stages ({exc})") from None
    bad = [st.status for st in stages if st.status not in STATUSES]
    if bad:
        raise PlanError(f"malformed plan in {directory}: unknown stage status {bad[0]!r}")
    unknown = [st.term for st in stages if st.term not in STAGE_TERM_NAMES]
    if unknown:
        raise PlanError(f"malformed plan in {directory}: unknown stage term {unknown[0]!r}")
    return stages


def load_plan(directory: str | Path, scenario: Scenario | None = None) -> Plan:
    """Read a plan written by :meth:`Plan.save`; attach ``scenario`` to explain it."""
    from staffopt.io.csvsafe import unprotect

    directory = Path(directory)
    meta_path = directory / "plan.json"
    problems = [
        str(directory / n)
        for n in ("plan.json", "assignments.csv", "unmet.csv")
        if not (directory / n).is_file()
    ]
    if problems:
        raise PlanError(Phrase("plan_error.not_a_plan", files=", ".join(problems)))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assignments = unprotect(
            pd.read_csv(
                directory / "assignments.csv",
                dtype={"official_id": str, "need_id": str, "commune_id": str, "field": str},
                keep_default_na=False,
            )
        )
        unmet = unprotect(
            pd.read_csv(
                directory / "unmet.csv",
                dtype={"need_id": str, "commune_id": str, "field": str, "reason": str},
                keep_default_na=False,
            )
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise PlanError(Phrase("plan_error.unreadable", path=directory, reason=exc)) from None
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in assignments.columns]
    missing += [c for c in UNMET_COLUMNS if c not in unmet.columns]
    if missing or meta.get("status") not in STATUSES:
        raise PlanError(Phrase("plan_error.missing_columns", path=directory, columns=missing))
    stopped_by = meta.get("stopped_by")  # absent from plans of earlier versions
    if stopped_by is not None and stopped_by not in STOPPED_BY:
        value = repr(stopped_by)
        raise PlanError(Phrase("plan_error.stopped_by", path=directory, value=value))
    ignores = meta.get("ignores", [])  # absent from plans of earlier versions
    if not isinstance(ignores, list) or any(k not in REQUIREMENT_KINDS for k in ignores):
        raise PlanError(Phrase("plan_error.ignores", path=directory, value=repr(ignores)))
    plan = Plan(
        status=meta["status"],
        objective=meta.get("objective"),
        bound=meta.get("bound"),
        wall_time_s=float(meta.get("wall_time_s", 0.0)),
        assignments=assignments,
        unmet=unmet,
        metrics=meta.get("metrics", {}),
        solver=SolverFacts.from_dict(meta.get("solver", {})),
        message=meta.get("message", ""),
        stopped_by=stopped_by,
        conflicts=[Requirement.from_dict(c) for c in meta.get("conflicts", [])],
        mechanism=str(meta.get("mechanism", "optimal")),
        ignores=ignores,
        scenario_name=meta.get("scenario_name", ""),
        policy=None if meta.get("policy") is None else Policy.model_validate(meta["policy"]),
        objective_terms={str(k): float(v) for k, v in meta.get("objective_terms", {}).items()},
        stages=_stages(meta.get("stages", []), directory),
    )
    if scenario is not None:
        plan.attach(scenario)
    return plan
