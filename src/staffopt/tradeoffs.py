"""The trade-off between two objective terms: non-dominated plans by the epsilon-constraint
method, and a plot of them.

:func:`pareto` solves the two extremes first (``x`` then ``y``, and ``y``
then ``x``, each lexicographic and exact), then, for ``points - 2`` values
``eps`` of ``y`` spread evenly between them, the best ``x`` with ``y`` kept
at ``eps`` or better, and then the best ``y`` for that ``x``. Each point is
a plan whose two stages CP-SAT proved optimal (the ``status`` column says
so), so no other plan is better in one term without being worse in the
other. Points that repeat or that another point dominates (a stage stopped
short of its proof) are dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from staffopt.results import MINIMISED_TERMS, OBJECTIVE_TERM_NAMES, ObjectiveTerm
from staffopt.schema import Policy, Scenario, SolveOptions
from staffopt.texts import text

if TYPE_CHECKING:
    from staffopt.plan import Plan

#: Columns of a Pareto frame besides the objective terms (one column each).
PARETO_COLUMNS = ["point", "epsilon", "status", "seconds"]


def pareto(
    scenario: Scenario,
    x: ObjectiveTerm = "slots",
    y: ObjectiveTerm = "travel_km",
    points: int = 5,
    *,
    policy: Policy | None = None,
    options: SolveOptions | None = None,
    time_limit_s: float | None = None,
) -> pd.DataFrame:
    """Non-dominated plans trading ``x`` against ``y``, one row per plan, best ``x`` first.

    Columns: ``point`` (0 the ``x`` extreme), ``epsilon`` (the limit put on
    ``y``; NaN at the two extremes), ``status`` (``optimal`` when both
    stages were proven), ``seconds`` and every objective term (so ``x`` and
    ``y`` among them). The policy's floors hold in every plan; its goals are
    replaced by ``[x, y]``. ``time_limit_s`` is per plan. ``frame.attrs``
    holds ``x`` and ``y``.
    """
    if x == y:
        raise ValueError(f"pareto needs two different terms, got x = y = {x!r}")
    if points < 2:
        raise ValueError(f"pareto needs at least 2 points (the two extremes), got {points}")
    from staffopt.solver import solve

    base = policy or scenario.policy
    s = scenario.with_policy(base, goals=[x, y])
    s_yx = scenario.with_policy(base, goals=[y, x])
    first = solve(s, options=options, time_limit_s=time_limit_s)
    rows = [_row(first, 0, float("nan"))]
    if not first.ok:
        return _frame(rows, x, y)
    last = solve(s_yx, options=options, time_limit_s=time_limit_s)
    y_far, y_near = first.objective_terms[y], last.objective_terms[y]
    for k, eps in enumerate(np.linspace(y_far, y_near, points)[1:-1], start=1):
        plan = solve(s, options=options, time_limit_s=time_limit_s, term_limits={y: float(eps)})
        rows.append(_row(plan, k, float(eps)))
    rows.append(_row(last, points - 1, float("nan")))
    return _frame([r for r in rows if r["status"] in ("optimal", "feasible")], x, y)


def _row(plan: Plan, point: int, eps: float) -> dict[str, object]:
    return {
        "point": point,
        "epsilon": eps,
        "status": plan.status,
        "seconds": round(plan.wall_time_s, 3),
        **{t: plan.objective_terms.get(t, float("nan")) for t in OBJECTIVE_TERM_NAMES},
    }


def _better_or_equal(a: float, b: float, term: ObjectiveTerm) -> bool:
    return a <= b if term in MINIMISED_TERMS else a >= b


def _frame(rows: list[dict[str, object]], x: ObjectiveTerm, y: ObjectiveTerm) -> pd.DataFrame:
    """The rows without repeats and without points another point dominates."""
    keep: list[dict[str, object]] = []
    seen: set[tuple[float, float]] = set()
    for r in rows:
        key = (float(r[x]), float(r[y]))  # type: ignore[arg-type]
        dominated = any(
            _better_or_equal(float(o[x]), key[0], x)  # type: ignore[arg-type]
            and _better_or_equal(float(o[y]), key[1], y)  # type: ignore[arg-type]
            and (float(o[x]), float(o[y])) != key  # type: ignore[arg-type]
            for o in rows
        )
        if key in seen or dominated:
            continue
        seen.add(key)
        keep.append(r)
    frame = pd.DataFrame(keep, columns=[*PARETO_COLUMNS, *OBJECTIVE_TERM_NAMES])
    frame.attrs["x"], frame.attrs["y"] = x, y
    return frame.reset_index(drop=True)


def plot_pareto(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    x: ObjectiveTerm | None = None,
    y: ObjectiveTerm | None = None,
    lang: str = "en",
) -> Path:
    """Draw the Pareto points (``x`` across, ``y`` up) to ``path`` (.svg, .png, .pdf).

    Needs matplotlib (``pip install staffopt[plot]``); loaded here, with the
    Agg backend, so nothing else pays for it. Written whole or not at all.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise ImportError("plot_pareto needs matplotlib: pip install 'staffopt[plot]'") from None
    from staffopt.io.atomic import atomic_file

    x = x or frame.attrs.get("x", "slots")
    y = y or frame.attrs.get("y", "travel_km")
    path = Path(path)
    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        ordered = frame.sort_values(x)
        ax.plot(ordered[x], ordered[y], marker="o", linestyle="-", color="#1f77b4")
        ax.set_xlabel(text(f"term.{x}", lang))
        ax.set_ylabel(text(f"term.{y}", lang))
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        # Text as text and fixed ids: a small SVG that is the same on every run.
        fmt = path.suffix.lstrip(".").lower() or "svg"
        svg_text = matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "staffopt"})
        with svg_text, atomic_file(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    finally:
        plt.close(fig)
    return path
