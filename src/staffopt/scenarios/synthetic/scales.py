"""The scale specs: sizes and shape knobs per scale (:class:`SyntheticSpec`, :data:`SCALES`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SCALES", "SCALE_CODE", "Scale", "SyntheticSpec"]

Scale = Literal["province", "large", "nation"]


@dataclass(frozen=True)
class SyntheticSpec:
    """Sizes and shape knobs; every field can be overridden through ``synthetic(**overrides)``.

    ``province`` names the province of a single-province scale (ignored by
    the nation). ``communes`` defaults to that province's real unit count.
    """

    province: str = "Điện Biên"
    communes: int | None = None
    slots: int = 150
    officials: int = 300
    #: Probability that an official has a second skill, and a third.
    second_skill: float = 0.30
    third_skill: float = 0.04
    #: Share of officials living in the provincial capital commune, the other zone I
    #: communes, zone II and zone III (before normalisation).
    home_share: tuple[float, float, float, float] = (0.45, 0.27, 0.18, 0.10)
    #: Department ceiling as a share of its listed officials (uniform range).
    ceiling_share: tuple[float, float] = (0.4, 0.8)
    #: Department floor as a share of its listed officials (0 = no floors, a pure network).
    floor_share: float = 0.0
    #: Share of officials with a personal distance limit (40-150 km).
    personal_limit_share: float = 0.10
    protected_share: float = 0.04
    unavailable_share: float = 0.03
    #: Policy knobs (None = from the terrain for a province, 1.5 for the nation).
    road_factor: float | None = None
    time_limit_s: float | None = None


#: Default sizes per scale (see the package docstring).
SCALES: dict[str, SyntheticSpec] = {
    "province": SyntheticSpec(province="Điện Biên", slots=150, officials=300, time_limit_s=10.0),
    "large": SyntheticSpec(
        province="Phú Thọ", slots=700, officials=2500, second_skill=0.25, time_limit_s=60.0
    ),
    # The nation's lists are broader (more second and third skills): calibrated to the
    # issue's ~2.2 million field-matching pairs inside provinces.
    "nation": SyntheticSpec(
        province="",
        slots=15000,
        officials=40000,
        second_skill=0.55,
        third_skill=0.12,
        time_limit_s=120.0,
    ),
}
#: Mixed into the seed, so that the scales draw different streams from the same seed.
SCALE_CODE = {"province": 1, "large": 2, "nation": 3}
