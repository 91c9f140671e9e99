"""The planning policy: what a planner decides (score weights, eligibility limits, rules).

How the solver runs (engine, time limit, workers, seed ...) is not policy: see
:class:`~staffopt.schema.options.SolveOptions`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from staffopt.schema.limits import (
    MAX_ROAD_FACTOR,
    MAX_SLOTS,
    MAX_TRAVEL_POINTS_PER_KM,
    Km,
    Points,
)
from staffopt.schema.records import MAX_LEVEL, MAX_MONTHS, MAX_YEARS_RATED, MIN_LEVEL, Zone

#: A criticality or a skill level (the keys of the points tables).
Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL)]


def _default_zone_points() -> dict[Zone, int]:
    return {Zone.I: 0, Zone.II: 20, Zone.III: 40}


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
        6, ge=1, le=MAX_MONTHS, description="A need's length in months when it gives none."
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

    @model_validator(mode="after")
    def _complete_tables(self) -> Policy:
        missing = [z.value for z in Zone if z not in self.zone_points]
        if missing:
            raise ValueError(f"zone_points lacks zones {missing}")
        for name, table in (
            ("criticality_points", self.criticality_points),
            ("level_points", self.level_points),
        ):
            lacking = [k for k in (1, 2, 3) if k not in table]
            if lacking:
                raise ValueError(f"{name} lacks keys {lacking}")
        return self
