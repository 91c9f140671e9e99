"""The needs table: slots per (commune, field), more and more critical in remote communes."""

from __future__ import annotations

from typing import Any

import numpy as np

from staffopt.scenarios.synthetic.reference import FIELDS, NEED_FIELD_SHARE, ProvinceInfo
from staffopt.scenarios.synthetic.sampling import IntArray, draw_fields, draw_within
from staffopt.schema import Need

__all__ = ["draw_needs"]


def draw_needs(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    com: dict[str, Any],
    slots_p: IntArray,
    part_time_share: float,
) -> list[Need]:
    """Slot units drawn over (commune, field) cells; a cell's units are one need's slots."""
    zone, c_prov = com["zone"], com["prov"]
    weight = np.array([0.6, 1.6, 2.6])[zone]
    unit_prov = np.repeat(np.arange(len(infos)), slots_p)
    commune = draw_within(rng, c_prov, weight, unit_prov)
    field = draw_fields(rng, infos, NEED_FIELD_SHARE, unit_prov)
    cell, slots = np.unique(commune * len(FIELDS) + field, return_counts=True)
    c, f = cell // len(FIELDS), cell % len(FIELDS)
    m = len(cell)
    z = zone[c]
    # Criticality: remote communes' needs are more critical.
    crit_p = np.array([[0.35, 0.5, 0.15], [0.2, 0.55, 0.25], [0.1, 0.45, 0.45]])
    crit = (rng.random(m)[:, None] > np.cumsum(crit_p[z], axis=1)).sum(axis=1) + 1
    min_level = rng.choice([1, 2, 3], size=m, p=[0.5, 0.36, 0.14])
    part = rng.random(m) < part_time_share
    workload = np.where(part, rng.choice([0.2, 0.25, 0.3, 0.4, 0.5], size=m), 1.0)
    c_ids = com["ids"]
    return [
        Need(
            need_id=f"{c_ids[ci]}-{FIELDS[fi]}",
            commune_id=c_ids[ci],
            field=FIELDS[fi],
            slots=int(sl),
            min_level=int(ml),
            criticality=int(cr),
            workload=float(wl),
        )
        for ci, fi, sl, ml, cr, wl in zip(
            c.tolist(),
            f.tolist(),
            slots.tolist(),
            min_level.tolist(),
            crit.tolist(),
            workload.tolist(),
            strict=True,
        )
    ]
