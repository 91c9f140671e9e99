"""The agencies table: each province's departments, sized from the officials they list."""

from __future__ import annotations

import numpy as np

from staffopt.scenarios.synthetic.reference import DEPARTMENTS, DEPT_CODES, ProvinceInfo
from staffopt.scenarios.synthetic.sampling import IntArray
from staffopt.scenarios.synthetic.scales import SyntheticSpec
from staffopt.schema import Agency

__all__ = ["draw_agencies"]


def draw_agencies(
    rng: np.random.Generator,
    infos: list[ProvinceInfo],
    fr: dict[str, IntArray],
    spec: SyntheticSpec,
) -> list[Agency]:
    """Eleven provincial departments per province, sized from the officials they list."""
    listed = fr["listed"].ravel()
    n = len(listed)
    payroll = np.ceil(listed * rng.uniform(8, 25, n))
    payroll = np.maximum(payroll, rng.integers(30, 90, n)).astype(np.int64)
    lo, hi = spec.ceiling_share
    ceiling = np.minimum(np.ceil(listed * rng.uniform(lo, hi, n)), payroll).astype(np.int64)
    floor = np.minimum(np.floor(listed * spec.floor_share), ceiling).astype(np.int64)
    out = []
    for i, (hc, fl, ce) in enumerate(
        zip(payroll.tolist(), floor.tolist(), ceiling.tolist(), strict=True)
    ):
        p, d = divmod(i, len(DEPT_CODES))
        code = DEPT_CODES[d]
        out.append(
            Agency(
                agency_id=f"{infos[p].slug}-{code}",
                name=f"{DEPARTMENTS[code][0]}, {infos[p].name}",
                headcount=hc,
                min_release=fl,
                max_release=ce,
                province=infos[p].name,
            )
        )
    return out
