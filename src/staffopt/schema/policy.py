"""The planning policy: what a planner decides (score weights, eligibility limits, rules).

How the solver runs (engine, time limit, workers, seed ...) is not policy: see
:class:`~staffopt.schema.options.SolveOptions`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from staffopt.errors import InvalidValue
from staffopt.results import ObjectiveTerm
from staffopt.schema.limits import (
    DEFAULT_TERM_MONTHS,
    MAX_ROAD_FACTOR,
    MAX_SLOTS,
    MAX_TERM_MONTHS,
    MAX_TRAVEL_POINTS_PER_KM,
    MAX_VND_PER_KM,
    BudgetVnd,
    Km,
    People,
    Points,
    Vnd,
)
from staffopt.schema.records import MAX_LEVEL, MAX_MONTHS, MAX_YEARS_RATED, MIN_LEVEL, Zone
from staffopt.texts import Phrase

#: A criticality or a skill level (the keys of the points tables).
Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL)]


class Goal(BaseModel):
    """One ranked goal: an objective term and the share of its optimum later goals may give up.

    ``tolerance`` 0.02 lets the later goals lose up to 2 % of this goal's
    optimum (in the term's own units, rounded towards the optimum); 0 keeps
    it exactly.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    term: ObjectiveTerm = Field(description="The objective term (see plan.objective_terms).")
    tolerance: float = Field(
        0.0, ge=0, le=1, description="Share of the optimum later goals may give up."
    )


def _default_goals() -> list[Goal | ObjectiveTerm]:
    return ["score"]


def _default_zone_points() -> dict[Zone, int]:
    return {Zone.I: 0, Zone.II: 20, Zone.III: 40}


#: The base salary (lương cơ sở, Decree 73/2024/NĐ-CP, since 1 July 2024) and the
#: lowest specialist's coefficient (chuyên viên, 2.34): the allowance defaults.
BASE_SALARY_VND = 2_340_000
SPECIALIST_COEFFICIENT = 2.34


def _default_one_off_allowance() -> dict[Zone, int]:
    # Zone III: a one-off of 10 months' base salary.
    return {Zone.I: 0, Zone.II: 0, Zone.III: 10 * BASE_SALARY_VND}


def _default_monthly_allowance() -> dict[Zone, int]:
    # Zone III: the attraction allowance, 70 % of a specialist's salary (2.34 x base).
    return {Zone.I: 0, Zone.II: 0, Zone.III: round(0.7 * SPECIALIST_COEFFICIENT * BASE_SALARY_VND)}


def _default_criticality_points() -> dict[int, int]:
    return {1: 0, 2: 15, 3: 30}


def _default_level_points() -> dict[int, int]:
    return {1: 0, 2: 10, 3: 20}


class Policy(BaseModel):
    """Every weight and switch of a planning run, with documented defaults.

    The score of a pair (official o, need n in commune c) is an integer::

        score = base_points
              + zone_points[c.zone]
              + criticality_points[n.criticality]
              + level_points[level of o in n.field]
              + border_points        (if c.border)
              + affinity(o, n)       (0 unless given)
              - round(travel_points_per_km * distance_km)
              + home_commune_points  (if home_commune = prefer and c is o's home)

    The objective maximises the sum of the chosen pairs' scores. Every weight
    has a range (:mod:`staffopt.schema.limits`) that keeps the worst-case
    score and objective inside the solvers' 64-bit arithmetic.
    """

    # allow_inf_nan=False: NaN and infinities are refused in every float field.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    base_points: Points = Field(100, description="Points for filling any slot.")
    zone_points: dict[Zone, Points] = Field(
        default_factory=_default_zone_points, description="Points by the commune's zone."
    )
    criticality_points: dict[Level, Points] = Field(
        default_factory=_default_criticality_points,
        description="Points by the need's criticality (1-3).",
    )
    level_points: dict[Level, Points] = Field(
        default_factory=_default_level_points,
        description="Points by the official's level (1-3) in the need's field.",
    )
    border_points: Points = Field(10, description="Points for a commune on the border.")
    travel_points_per_km: float = Field(
        0.2,
        ge=0,
        le=MAX_TRAVEL_POINTS_PER_KM,
        description="Points lost per km of road distance (rounded per pair).",
    )
    road_factor: float = Field(
        1.5,
        ge=1,
        le=MAX_ROAD_FACTOR,
        description="Road km per straight-line km when no distance is given.",
    )
    max_km: Km | None = Field(None, description="Global limit on distance in km (none).")
    protected_may_volunteer: bool = Field(
        True, description="A protected official who volunteers may be seconded."
    )
    protect_civil_servants: bool = Field(
        True,
        description="Apply the protected-person rule to civil servants too "
        "(the law is explicit only for public employees).",
    )

    # -- rules of a real round (rules term, record, home) --
    round_start: date | None = Field(
        None,
        description="First day of the round: a need's start when it gives none (rule term). "
        "Without any start, availability dates cannot be compared and only the months count.",
    )
    round_months: int = Field(
        DEFAULT_TERM_MONTHS,
        ge=1,
        le=MAX_TERM_MONTHS,
        description="A need's length in months when it gives none (a secondment lasts at "
        "most 3 years; its allowance cost counts these months).",
    )
    max_months_seconded: int = Field(
        36,
        ge=1,
        le=MAX_MONTHS,
        description="Most months seconded in all, earlier ones included (Decree 170/2025 "
        "art. 26; Law on Public Employees art. 36).",
    )
    min_years_rated_well: int = Field(
        0,
        ge=0,
        le=MAX_YEARS_RATED,
        description="Consecutive years rated 'completed tasks well' a person needs (rule "
        "record; 0 = off, Điện Biên used 3).",
    )
    home_commune: Literal["allow", "prefer", "forbid"] = Field(
        "allow",
        description="A seconded official's own home commune: allow, prefer (add "
        "home_commune_points) or forbid (rule home).",
    )
    home_commune_points: Points = Field(
        20, description="Points added to a pair in the official's home commune under prefer."
    )

    # -- shared support across communes (pieces max_communes, max_km_between) --
    max_communes: int | None = Field(
        None,
        ge=1,
        le=MAX_SLOTS,
        description="Most communes one person covers (none = no limit); an official's own "
        "max_communes overrides it.",
    )
    max_km_between: Km | None = Field(
        None,
        description="Largest road distance (great-circle km x road_factor) between any two "
        "communes one person covers (none = no limit); an official's own value overrides it.",
    )

    # -- goals and fairness (issue 10) --
    goals: list[Goal | ObjectiveTerm] = Field(
        default_factory=_default_goals,
        min_length=1,
        description="Objective terms in priority order, each a name or "
        '{"term": name, "tolerance": share}; solved stage by stage.',
    )
    zone_coverage_floor: dict[Zone, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict,
        description='Least share of a zone\'s slots filled, e.g. {"III": 0.8} (a hard rule).',
    )
    commune_floor: People = Field(
        0,
        description="Every commune with needs gets at least this many people, clamped to "
        "its slots and to the distinct officials eligible for it (a hard rule).",
    )
    stability: Literal["off", "required", "preferred"] = Field(
        "off",
        description='"required": the plan has no blocking pair (staffopt.stability: an '
        "official and a need that would both rather have each other), a hard rule; "
        '"preferred": the fewest blocking pairs, the goal blocking_pairs ranked first '
        "(unless goals already list it); "
        '"off": blocking pairs are only audited.',
    )

    def goal_list(self) -> list[Goal]:
        """The goals as :class:`Goal` records (a plain name has tolerance 0).

        ``stability = "preferred"`` ranks ``blocking_pairs`` first unless the
        goals already list it (then it stays where the planner put it).
        """
        goals = [g if isinstance(g, Goal) else Goal(term=g) for g in self.goals]
        if self.stability == "preferred" and all(g.term != "blocking_pairs" for g in goals):
            goals.insert(0, Goal(term="blocking_pairs"))
        return goals

    @property
    def counts_blocking(self) -> bool:
        """Whether plans report ``blocking_pairs`` in ``objective_terms`` (stability
        on, or a goal of it): the count needs every arc, so other plans skip it."""
        return self.stability != "off" or any(
            (g if isinstance(g, str) else g.term) == "blocking_pairs" for g in self.goals
        )

    @property
    def default_goals(self) -> bool:
        """Today's single objective (the score) with no fairness floor: the fast path."""
        return (
            [g.term for g in self.goal_list()] == ["score"]
            and not any(v > 0 for v in self.zone_coverage_floor.values())
            and self.commune_floor == 0
            and self.stability == "off"
        )

    # -- allocation mechanisms (staffopt.allocate; the optimum ignores these) --
    zone_quota_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="zone_quota mechanism: share of the officials with an arc reserved "
        "for zone III needs, filled first.",
    )
    zone_caps: dict[Zone, People] = Field(
        default_factory=dict,
        description="deferred_acceptance: most people placed in each zone's communes "
        "(a zone not listed has no cap).",
    )
    respect_agency_ceilings: bool = Field(
        False,
        description="deferred_acceptance: hold each agency to its ceiling (an agency over "
        "it rejects its lowest-score held proposal).",
    )

    # -- allowance budget: what a secondment costs (staffopt.allowance). Every rate
    # is paid to an official who travels (distance > 0); one on the spot costs nothing.
    one_off_allowance: dict[Zone, Vnd] = Field(
        default_factory=_default_one_off_allowance,
        description="VND paid once per secondment, by the commune's zone "
        "(default: zone III 10 months' base salary, 23,400,000).",
    )
    monthly_allowance: dict[Zone, Vnd] = Field(
        default_factory=_default_monthly_allowance,
        description="VND per month of the term, by the commune's zone (default: zone III "
        "70 % of a specialist's salary 2.34 x 2,340,000, i.e. 3,832,920).",
    )
    travel_allowance_per_month: Vnd = Field(
        2_000_000,
        description="VND per month of the term (Lâm Đồng pays 2,000,000).",
    )
    travel_allowance_per_km: int = Field(
        0,
        ge=0,
        le=MAX_VND_PER_KM,
        description="VND per km of road distance and per month of the term (none by default: "
        "no public figure).",
    )
    housing_allowance_per_month: Vnd = Field(
        3_000_000,
        description="VND per month of the term (Lâm Đồng pays 3,000,000).",
    )
    budget: BudgetVnd | None = Field(
        None,
        description="VND the whole scenario may spend on allowances (none: no limit); "
        "province budgets go in the budgets table.",
    )

    @model_validator(mode="after")
    def _complete_tables(self) -> Policy:
        for zone_table, zones in (
            ("zone_points", self.zone_points),
            ("one_off_allowance", self.one_off_allowance),
            ("monthly_allowance", self.monthly_allowance),
        ):
            missing = [z.value for z in Zone if z not in zones]
            if missing:
                raise InvalidValue(Phrase("problem.lacks_zones", name=zone_table, zones=missing))
        for name, table in (
            ("criticality_points", self.criticality_points),
            ("level_points", self.level_points),
        ):
            lacking = [k for k in (1, 2, 3) if k not in table]
            if lacking:
                raise InvalidValue(Phrase("problem.lacks_keys", name=name, keys=lacking))
        return self
