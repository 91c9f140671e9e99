"""Distances: a given road distance wins, else haversine km times the road factor."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

FloatArray = npt.NDArray[np.float64]


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in km, vectorised over numpy arrays (degrees in)."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lat1, lon1, lat2, lon2))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), np.float64)


def road_km(
    lat1: npt.ArrayLike,
    lon1: npt.ArrayLike,
    lat2: npt.ArrayLike,
    lon2: npt.ArrayLike,
    road_factor: float,
) -> FloatArray:
    """Estimated road distance: straight-line km times ``road_factor``.

    Mountain roads wind: in Điện Biên the road distance is often 1.4-2 times
    the straight line, so the default policy factor is 1.5. A ``distances``
    table overrides this estimate pair by pair.
    """
    return haversine_km(lat1, lon1, lat2, lon2) * road_factor
