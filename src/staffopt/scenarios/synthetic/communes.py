"""The communes table: places around each provincial capital, zones by distance from it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from staffopt.scenarios.synthetic.reference import (
    KM2_PER_COMMUNE,
    TERRAINS,
    ZONE_SHARE,
    ProvinceInfo,
)
from staffopt.scenarios.synthetic.sampling import IntArray, group_rank
from staffopt.schema import Commune

__all__ = ["draw_communes"]


def draw_communes(
    rng: np.random.Generator, infos: list[ProvinceInfo], counts: IntArray
) -> dict[str, Any]:
    """Commune arrays and records: the capital first, zones by distance from it."""
    n = int(counts.sum())
    prov = np.repeat(np.arange(len(infos)), counts)
    k = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 = capital
    terr = np.array([TERRAINS.index(p.terrain) for p in infos])[prov]
    area = np.array([p.communes * KM2_PER_COMMUNE[p.terrain] for p in infos])
    radius = np.sqrt(area / math.pi)[prov]
    # An ellipse of random orientation (provinces are elongated), the capital off-centre.
    angle_p = rng.uniform(0, math.pi, len(infos))[prov]
    r = radius * np.sqrt(rng.random(n)) * 1.05
    t = rng.uniform(0, 2 * math.pi, n)
    a, b = r * np.cos(t) * 1.4, r * np.sin(t) / 1.4
    dx = a * np.cos(angle_p) - b * np.sin(angle_p)  # km east
    dy = a * np.sin(angle_p) + b * np.cos(angle_p)  # km north
    dx[k == 0] = dy[k == 0] = 0.0
    lat0 = np.array([p.lat for p in infos])[prov]
    lon0 = np.array([p.lon for p in infos])[prov]
    lat = lat0 + dy / 111.0
    lon = lon0 + dx / (111.0 * np.cos(np.radians(lat0)))
    dist = np.hypot(dx, dy)
    # Zones: rank by noisy distance; the nearest are zone I, the farthest zone III.
    noisy = dist * rng.lognormal(0.0, 0.35, n)
    noisy[k == 0] = -1.0
    rank = group_rank(prov, noisy) / np.maximum(counts[prov], 1)
    shares = np.array([ZONE_SHARE[t] for t in TERRAINS])[terr]
    zone = np.where(rank < shares[:, 0], 0, np.where(rank < shares[:, 0] + shares[:, 1], 1, 2))
    zone[k == 0] = 0
    border_prov = np.array([p.border for p in infos])[prov]
    border = border_prov & (rank > 0.6) & (rng.random(n) < 0.35)
    is_ward = zone == 0
    quota = np.where(
        is_ward, rng.integers(45, 71, n), np.minimum(50, rng.integers(24, 46, n) + 4 * (zone == 2))
    )
    staff = np.floor(quota * rng.uniform(0.68, 0.97, n)).astype(np.int64)
    slugs = [p.slug for p in infos]
    names = [p.name for p in infos]
    ids = [f"{slugs[p]}-{i + 1:03d}" for p, i in zip(prov.tolist(), k.tolist(), strict=True)]
    zones = ("I", "II", "III")
    records = [
        Commune(
            commune_id=ids[i],
            name=f"{names[p]} commune {kk + 1:03d}",
            province=names[p],
            lat=round(float(la), 5),
            lon=round(float(lo), 5),
            zone=zones[z],
            border=bool(bd),
            staff_count=int(sc),
            staff_quota=int(qu),
        )
        for i, (p, kk, la, lo, z, bd, sc, qu) in enumerate(
            zip(
                prov.tolist(),
                k.tolist(),
                lat.tolist(),
                lon.tolist(),
                zone.tolist(),
                border.tolist(),
                staff.tolist(),
                quota.tolist(),
                strict=True,
            )
        )
    ]
    return {"prov": prov, "zone": zone, "k": k, "ids": ids, "records": records}
