"""The planning policy: what a planner decides (score weights, eligibility limits, rules).

How the solver runs (engine, time limit, workers, seed ...) is not policy: see
:class:`~staffopt.schema.options.SolveOptions`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from staffopt.schema.records import Zone


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

    The objective maximises the sum of the chosen pairs' scores.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_points: int = Field(100, description="Points for filling any slot.")
    zone_points: dict[Zone, int] = Field(
        default_factory=_default_zone_points, description="Points by the commune's zone."
    )
    criticality_points: dict[int, int] = Field(
        default_factory=_default_criticality_points,
        description="Points by the need's criticality (1-3).",
    )
    level_points: dict[int, int] = Field(
        default_factory=_default_level_points,
        description="Points by the official's level (1-3) in the need's field.",
    )
    border_points: int = Field(10, description="Points for a commune on the border.")
    travel_points_per_km: float = Field(
        0.2, ge=0, description="Points lost per km of road distance (rounded per pair)."
    )
    road_factor: float = Field(
        1.5, ge=1, description="Road km per straight-line km when no distance is given."
    )
    max_km: float | None = Field(None, ge=0, description="Global limit on distance (none).")
    protected_may_volunteer: bool = Field(
        True, description="A protected official who volunteers may be seconded."
    )
    protect_civil_servants: bool = Field(
        True,
        description="Apply the protected-person rule to civil servants too "
        "(the law is explicit only for public employees).",
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
