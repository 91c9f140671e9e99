"""Result types every layer shares: statuses, requirements, reason codes, solver facts.

A leaf module in the spirit of linopy's ``constants.py``: it imports nothing
from staffopt, so the model, the engines, the Plan, the explanations, the
report and the checker can all name the same things without importing each
other. Sets of codes are derived from their ``Literal`` (``get_args``), never
copied by hand. User-facing text for every code lives in :mod:`staffopt.texts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, get_args

#: What a solve proved about its plan.
Status = Literal["optimal", "feasible", "infeasible", "unknown"]
STATUSES: tuple[Status, ...] = get_args(Status)
#: Statuses that come with a plan one may use.
SOLVED: tuple[Status, ...] = ("optimal", "feasible")

#: Why the search stopped (``Plan.stopped_by``), beside what it proved (``Status``):
#: ``optimal`` it proved the plan optimal; ``time_limit`` the time limit (or, in
#: reproducible mode, the work limit it converts to) ran out; ``gap`` the plan
#: came within ``SolveOptions.relative_gap`` of the bound; ``user`` the user
#: stopped it (Ctrl-C, SIGINT, ``KeyboardInterrupt``); ``infeasible`` it proved
#: that the hard rules cannot all hold. A search that found no plan (status
#: ``unknown``) stopped by ``time_limit`` or ``user``: no code of its own is needed.
StoppedBy = Literal["optimal", "time_limit", "gap", "user", "infeasible"]
STOPPED_BY: tuple[StoppedBy, ...] = get_args(StoppedBy)


def first_stop(stops: Iterable[StoppedBy]) -> StoppedBy:
    """Why a search over several parts stopped, from why each part's search stopped.

    The strongest reason wins: ``infeasible`` (no plan at all), then ``user``,
    ``time_limit``, ``gap``; ``optimal`` only when every part was proven (also
    when there is no part at all).
    """
    seen = set(stops)
    order: tuple[StoppedBy, ...] = ("infeasible", "user", "time_limit", "gap")
    return next((code for code in order if code in seen), "optimal")


#: A hard requirement a planner sets, named like the constraint piece that states it.
RequirementKind = Literal[
    "mandatory_need",
    "lock",
    "agency_floor",
    "agency_ceiling",
    "zone_coverage_floor",
    "commune_floor",
    "budget",
    "stability",
]
REQUIREMENT_KINDS: tuple[RequirementKind, ...] = get_args(RequirementKind)


@dataclass(frozen=True)
class Requirement:
    """A hard requirement a planner set: the model states it, a conflict names it.

    ``id`` is a need_id (``mandatory_need``), ``"official_id->need_id"``
    (``lock``) or an agency_id (``agency_floor``, ``agency_ceiling``);
    ``limit`` the number it asks for (slots, floor, ceiling; None for a lock).
    A ``budget``'s id is ``"scenario"`` (the policy's budget) or a province,
    its limit in VND. ``stability``'s id is ``"scenario"`` (no blocking pair anywhere).
    Its sentence in either language comes from :func:`staffopt.texts.requirement_text`.
    """

    kind: RequirementKind
    id: str
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Requirement:
        """Read one back from plan.json (extra keys such as the texts are ignored)."""
        kind = data["kind"]
        if kind == "mandatory":  # plans written before the kinds took the pieces' names
            kind = "mandatory_need"
        return cls(kind, str(data["id"]), data.get("limit"))


#: Why a slot of a need stays empty, in the order decoding tests them.
UnmetReason = Literal[
    "no_eligible_candidate",
    "candidates_taken",
    "agency_ceiling",
    "not_worth_it",
    "max_communes",
    "max_km_between",
    "budget",
    "solver_stopped",
    "mechanism_rule",
    "other_requirements",
    "infeasible",
]
UNMET_REASONS: tuple[UnmetReason, ...] = get_args(UnmetReason)

#: Why an eligible candidate (an arc) was not chosen, as decoding sees it.
#: ``busy``: the official's time is used elsewhere; ``agency_ceiling``: the
#: official is unused and the agency has released its maximum;
#: ``not_worth_it``: the pair's score is <= 0 (sending would lower the total);
#: ``too_far``: the same, and travel is what makes it so (without the travel
#: points the score would be positive); ``low_affinity``: the same, and a
#: negative affinity is what makes it so; ``slot_taken``: the need's slots
#: went to others; ``mechanism_rule``: none of these, and an allocation
#: mechanism (not the optimum) made the plan, so its rule passed the pair by;
#: ``other_requirements``: none of these, so floors, mandatory needs or locks
#: decided it. ``budget``: the pair would cost more than its budget has left.
#: ``max_communes`` / ``max_km_between``: the official already covers as many
#: communes as allowed / a commune too far from this one (shared support).
Blocker = Literal[
    "busy",
    "agency_ceiling",
    "not_worth_it",
    "too_far",
    "low_affinity",
    "max_communes",
    "max_km_between",
    "budget",
    "slot_taken",
    "mechanism_rule",
    "other_requirements",
]
BLOCKERS: tuple[Blocker, ...] = get_args(Blocker)

#: Why a model (or one independent part of it) is not a pure network.
Obstacle = Literal[
    "mandatory_need",
    "lock",
    "agency_floor",
    "multi_assignment",
    "max_communes",
    "max_km_between",
    "zone_coverage_floor",
    "commune_floor",
    "budget",
    "stability",
]
OBSTACLES: tuple[Obstacle, ...] = get_args(Obstacle)
#: Obstacles under which a start plan (flow or greedy) may break a hard rule.
#: (A budget is not one: start plans are repaired to keep within it.)
REQUIREMENT_OBSTACLES: frozenset[Obstacle] = frozenset(
    {
        "mandatory_need",
        "lock",
        "agency_floor",
        "zone_coverage_floor",
        "commune_floor",
        "stability",
    }
)


#: A named objective term (``Policy.goals``, ``plan.objective_terms``,
#: ``plan.stages``): the same word in the model, the plan and the checker.
ObjectiveTerm = Literal[
    "score",
    "slots",
    "critical_zone_iii",
    "min_commune_coverage",
    "communes_served",
    "travel_km",
    "officials_used",
    "blocking_pairs",
]
OBJECTIVE_TERM_NAMES: tuple[ObjectiveTerm, ...] = get_args(ObjectiveTerm)
#: Terms a goal minimises; every other term is maximised.
MINIMISED_TERMS: frozenset[ObjectiveTerm] = frozenset(
    {"travel_km", "officials_used", "blocking_pairs"}
)
#: What a stage of a staged solve may optimise: an objective term, or
#: ``kept``, the previous plan's assignments a re-plan keeps
#: (:func:`staffopt.replan`). ``kept`` is no goal of ``Policy.goals``:
#: it counts pairs of a previous plan, which a scenario alone does not know.
StageTerm = ObjectiveTerm | Literal["kept"]
STAGE_TERM_NAMES: tuple[str, ...] = (*OBJECTIVE_TERM_NAMES, "kept")


@dataclass(frozen=True)
class Stage:
    """One stage of a lexicographic solve (``plan.stages``).

    ``value`` is the term's value in the stage's plan, ``bound`` the best
    value the stage could prove (equal to ``value`` when ``status`` is
    ``optimal``, but for the score stage of a re-plan with keep points: the
    proven best of score + bonus), ``tolerance`` the share of it the later stages may give up,
    ``seconds`` the stage's wall time. Values are in the term's own units
    (points, slots, communes, km, people, a share).
    """

    term: StageTerm
    value: float | None
    bound: float | None
    status: Status
    seconds: float
    tolerance: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stage:
        return cls(
            data["term"],
            data.get("value"),
            data.get("bound"),
            data["status"],
            float(data.get("seconds", 0.0)),
            float(data.get("tolerance", 0.0)),
        )


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """The one gap definition: ``|bound - objective| / max(1, |objective|)``.

    It is CP-SAT's ``relative_gap_limit`` definition, used for the plan's
    reported gap and for every stop on a gap, so a plan stopped at gap g
    reports a gap of at most g.
    """
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))


@dataclass
class SolverFacts:
    """What a solve did: engine and why, sizes, timings, parameters, guided traces.

    Written to plan.json under ``solver``; times are seconds.
    """

    engine: str = "?"
    engine_reason: str = ""
    ortools_version: str = ""
    arcs: int = 0
    exclusions: int = 0
    candidates_s: float = 0.0
    wall_time_s: float = 0.0
    #: Independent parts (batches) of a CP-SAT solve, and how each was solved.
    parts: int = 0
    flow_parts: int = 0
    guided_parts: int = 0
    hint_fallback_parts: int = 0
    split_s: float = 0.0
    build_s: float = 0.0
    solve_s: float = 0.0
    hint_s: float = 0.0
    lp_s: float = 0.0
    lagrangian_s: float = 0.0
    variables: int = 0
    constraints: int = 0
    #: Rows per constraint piece (by the piece's name), summed over the models built.
    pieces: dict[str, int] = field(default_factory=dict)
    #: Per guided part: LP bound, start value, support stage and final values.
    guided: list[dict[str, Any]] = field(default_factory=list)
    failed_part: dict[str, Any] | None = None
    workers: int | None = None
    subsolvers: list[str] = field(default_factory=list)
    seed: int | None = None
    time_limit_s: float | None = None
    #: ``SolveOptions.relative_gap`` of the run (0: prove optimality).
    relative_gap: float | None = None
    #: Reproducible mode (``SolveOptions.deterministic``): CP-SAT's deterministic
    #: time used (summed over its runs) and the work charged in all, in
    #: seconds-equivalents of the reference machine (``solver/budget.py``).
    deterministic: bool = False
    deterministic_time: float = 0.0
    work_s: float = 0.0
    #: Reproducible mode only: where the wall clock stops a step (s from the
    #: start), and whether it did, so this plan may differ from another run's
    #: (see ``Plan.reproducible``).
    safety_net_s: float | None = None
    wall_clock_stop: bool = False
    #: With ``prefer`` (re-runs, what-if): preferred pairs the plan kept.
    preferred_kept: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SolverFacts:
        """Read the facts back from plan.json; keys this version does not know are dropped."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def add_piece_rows(self, name: str, rows: int) -> None:
        self.pieces[name] = self.pieces.get(name, 0) + rows

    def rounded(self) -> SolverFacts:
        """The same facts with times rounded to 0.1 ms (for reading and for plan.json)."""
        for f in fields(self):
            if f.name.endswith("_s") and isinstance(getattr(self, f.name), float):
                setattr(self, f.name, round(getattr(self, f.name), 4))
        return self
