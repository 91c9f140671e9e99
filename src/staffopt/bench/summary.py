"""Summaries of a bench table: means with 95 % t-intervals, the price of a rule, a Pareto front.

Pure pandas/scipy on the tidy table :func:`staffopt.bench.run` writes; no solver.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

#: The confidence level of every interval.
LEVEL = 0.95


def t_interval(values: Sequence[float] | pd.Series) -> tuple[float, float, float]:
    """Mean and two-sided 95 % Student-t interval of ``values`` (NaN bounds when n < 2)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def summarise(
    table: pd.DataFrame, metrics: Sequence[str], by: Sequence[str] = ("mechanism", "grid")
) -> pd.DataFrame:
    """Per group of ``by``: n and, per metric, ``<m>_mean``, ``<m>_low``, ``<m>_high``.

    The rows of a group are its scenarios (and seeds): the interval is across them.
    """
    records: list[dict[str, Any]] = []
    for keys, group in table.groupby(list(by), sort=True, dropna=False):
        record: dict[str, Any] = dict(zip(by, keys, strict=True))
        record["n"] = len(group)
        for metric in metrics:
            mean, low, high = t_interval(group[metric])
            record[f"{metric}_mean"], record[f"{metric}_low"], record[f"{metric}_high"] = (
                mean,
                low,
                high,
            )
        records.append(record)
    return pd.DataFrame(records)


def price_of_rule(
    table: pd.DataFrame,
    column: str,
    with_rule: Any,
    without_rule: Any,
    metric: str,
    *,
    mechanism: str = "optimal",
) -> dict[str, Any]:
    """What a rule costs ``mechanism``: ``metric`` with it minus without, paired per run.

    ``column`` is a grid column; rows with ``with_rule`` and ``without_rule``
    are paired on every other key (scenario, seed, the other grid columns),
    so each difference compares the same scenario. Returns the number of
    pairs and the mean difference with its 95 % t-interval.
    """
    rows = table[table["mechanism"] == mechanism]
    others = [c for c in ("scenario", "seed") if c in rows.columns]
    grid_columns = _grid_columns(rows)
    others += [c for c in grid_columns if c != column]

    def side(value: Any) -> pd.Series:
        mask = rows[column].isna() if value is None else rows[column] == value
        return rows.loc[mask, [*others, metric]].set_index(others)[metric]

    pairs = pd.concat([side(with_rule), side(without_rule)], axis=1, join="inner")
    diff = pairs.iloc[:, 0] - pairs.iloc[:, 1]
    mean, low, high = t_interval(diff)
    return {
        "rule": column,
        "with": with_rule,
        "without": without_rule,
        "metric": metric,
        "pairs": len(diff),
        "mean": mean,
        "low": low,
        "high": high,
    }


def _grid_columns(table: pd.DataFrame) -> list[str]:
    import json

    if "grid" not in table.columns or table.empty:
        return []
    return sorted(json.loads(str(table["grid"].iloc[0])))


def pareto_front(
    points: pd.DataFrame, x: str, y: str, *, maximise: tuple[bool, bool] = (True, True)
) -> pd.DataFrame:
    """The rows of ``points`` no other row dominates on (``x``, ``y``), sorted by ``x``.

    ``maximise`` says, per metric, whether more is better (False: less, e.g. km).
    A row is dominated when another is at least as good on both and better on one.
    """
    sx = points[x].to_numpy(float) * (1 if maximise[0] else -1)
    sy = points[y].to_numpy(float) * (1 if maximise[1] else -1)
    keep = [
        not bool(np.any((sx >= sx[i]) & (sy >= sy[i]) & ((sx > sx[i]) | (sy > sy[i]))))
        for i in range(len(points))
    ]
    return points[keep].sort_values(x).reset_index(drop=True)
