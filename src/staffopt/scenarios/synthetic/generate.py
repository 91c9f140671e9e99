"""The public entry point :func:`synthetic`: check arguments, size provinces, draw the tables.

The tables are drawn from one generator in a fixed order (communes,
officials, needs, agencies): changing that order changes every scenario.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from staffopt.scenarios.synthetic.agencies import draw_agencies
from staffopt.scenarios.synthetic.communes import draw_communes
from staffopt.scenarios.synthetic.needs import draw_needs
from staffopt.scenarios.synthetic.officials import draw_officials
from staffopt.scenarios.synthetic.reference import (
    DEMAND,
    PROVINCES,
    ROAD_FACTOR,
    SUPPLY,
    province_info,
)
from staffopt.scenarios.synthetic.sampling import IntArray
from staffopt.scenarios.synthetic.scales import SCALE_CODE, SCALES, Scale, SyntheticSpec
from staffopt.schema import Policy, Scenario, SolveOptions

__all__ = ["synthetic"]


def synthetic(
    scale: Scale = "province",
    *,
    seed: int = 0,
    part_time_share: float = 0.0,
    provinces: int | None = None,
    **overrides: Any,
) -> Scenario:
    """A seeded synthetic scenario with the shape of real secondment rounds.

    Parameters
    ----------
    scale:
        ``"province"``: one mountain province like Điện Biên: 45 communes,
        150 slots, 300 officials, about 5k candidate pairs.
        ``"large"``: one large mixed province like Phú Thọ: 148 communes,
        700 slots, 2,500 officials, 60k-125k pairs.
        ``"nation"``: 34 provinces, 3,321 communes, 15,000 slots, 40,000
        officials, about 2.2 million pairs (all within provinces).
    seed:
        Seed of every random draw: equal arguments give equal scenarios.
    part_time_share:
        Share (0-1) of the needs that are shared part-time support with a
        workload of 0.2-0.5 FTE; officials have capacity 1, so one official can
        cover several of them and the model needs CP-SAT instead of min-cost
        flow. 0 (the default) gives a pure network.
    provinces:
        Nation only: generate the first ``provinces`` provinces of
        :data:`PROVINCES` (slots and officials scale with their communes).
    overrides:
        Any field of :class:`SyntheticSpec`, e.g. ``province="Lào Cai"``,
        ``slots=300``, ``officials=600``, ``communes=60``, ``floor_share=0.05``,
        ``road_factor=2.0``, ``time_limit_s=30``.

    The result is a normal, validated :class:`~staffopt.schema.Scenario`
    named like ``synthetic-province-dien-bien-s0`` whose policy sets the
    road factor, the time limit and the CP-SAT seed.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale '{scale}'; choose province, large or nation")
    if not 0.0 <= part_time_share <= 1.0:
        raise ValueError(f"part_time_share must be between 0 and 1, got {part_time_share}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    known = {f.name for f in fields(SyntheticSpec)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown override(s) {unknown}; known: {sorted(known)}")
    spec = replace(SCALES[scale], **overrides)
    rng = np.random.default_rng(np.random.SeedSequence([seed, SCALE_CODE[scale]]))

    if scale == "nation":
        chosen = list(PROVINCES)
        if provinces is not None:
            if not 1 <= provinces <= len(PROVINCES):
                raise ValueError(f"provinces must be 1-{len(PROVINCES)}, got {provinces}")
            chosen = chosen[:provinces]
        infos = chosen
        counts = np.array([p.communes for p in infos], dtype=np.int64)
        share = counts.sum() / sum(p.communes for p in PROVINCES)
        total_slots = max(len(infos), round(spec.slots * share))
        total_officials = max(len(infos), round(spec.officials * share))
        terrain = [p.terrain for p in infos]
        slots_p = _apportion(total_slots, counts * np.array([DEMAND[t] for t in terrain]))
        officials_p = _apportion(total_officials, counts * np.array([SUPPLY[t] for t in terrain]))
        road_factor = spec.road_factor or 1.5
        label = "nation" if provinces is None else f"nation{provinces}"
    else:
        if provinces is not None:
            raise ValueError("provinces= applies to scale='nation' only")
        info = province_info(spec.province)
        if spec.communes is not None:
            if spec.communes < 1:
                raise ValueError(f"communes must be >= 1, got {spec.communes}")
            info = replace(info, communes=spec.communes)
        infos = [info]
        counts = np.array([info.communes], dtype=np.int64)
        slots_p = np.array([spec.slots], dtype=np.int64)
        officials_p = np.array([spec.officials], dtype=np.int64)
        road_factor = spec.road_factor or ROAD_FACTOR[info.terrain]
        label = f"{scale}-{info.slug}"
    if (slots_p < 0).any() or (officials_p < 0).any():
        raise ValueError("slots and officials must be >= 0")

    communes = draw_communes(rng, infos, counts)
    agencies_fr, officials = draw_officials(rng, infos, communes, officials_p, spec)
    needs = draw_needs(rng, infos, communes, slots_p, part_time_share)
    agencies = draw_agencies(rng, infos, agencies_fr, spec)
    policy = Policy(road_factor=road_factor)
    options = SolveOptions(time_limit_s=spec.time_limit_s or 60.0, seed=seed % (2**31))
    name = f"synthetic-{label}-s{seed}" + (f"-pt{part_time_share:g}" if part_time_share else "")
    return Scenario(
        name=name,
        communes=communes["records"],
        agencies=agencies,
        officials=officials,
        needs=needs,
        policy=policy,
        options=options,
    )


def _apportion(total: int, weights: npt.ArrayLike) -> IntArray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=np.float64)
    exact = total * w / w.sum()
    base: IntArray = np.floor(exact).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:rest]] += 1
    return base
