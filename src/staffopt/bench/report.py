"""The experiment's HTML report (``staffopt bench --report``): one self-contained page.

The summary table with 95 % intervals, coverage by zone per mechanism, km
distributions, the Pareto front of zone III coverage against mean km, and the
price of each rule of the grid (for ``optimal``: each value against the first
one the spec lists). Figures are matplotlib SVG inlined with the plan
report's helpers (:mod:`staffopt.html_report`); jinja2 and matplotlib are the
``report`` extra, loaded on use.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from staffopt.bench.spec import NONE
from staffopt.bench.summary import pareto_front, price_of_rule, summarise
from staffopt.html_report import _figure, _inline_svg, _require_extra
from staffopt.texts import Lang, as_lang, text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The metrics of the summary table, in order.
SUMMARY_METRICS = (
    "score",
    "slots_filled_pct",
    "slots_filled_pct_III",
    "communes_unserved",
    "km_mean",
    "blocking_pairs",
)
#: The metrics a rule's price is shown for.
PRICE_METRICS = ("score", "slots_filled_pct_III", "km_mean")
ZONE_COLUMNS = ("slots_filled_pct_I", "slots_filled_pct_II", "slots_filled_pct_III")
_COLOURS = ("#2b8cbe", "#7bccc4", "#f03b20")


def grid_columns(table: pd.DataFrame) -> list[str]:
    """The grid's Policy fields: the keys of the rows' grid points."""
    if table.empty:
        return []
    return sorted(json.loads(str(table["grid"].iloc[0])))


def rule_prices(table: pd.DataFrame, mechanism: str = "optimal") -> pd.DataFrame:
    """The price of every grid value against the first value of its field, per metric."""
    rows: list[dict[str, Any]] = []
    if mechanism not in set(table["mechanism"]):
        return pd.DataFrame(rows)
    for column in grid_columns(table):
        values = list(dict.fromkeys(json.loads(g)[column] for g in table["grid"]))
        for value in values[1:]:
            for metric in PRICE_METRICS:
                rows.append(
                    price_of_rule(table, column, value, values[0], metric, mechanism=mechanism)
                )
    return pd.DataFrame(rows)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _interval(mean: float, low: float, high: float) -> str:
    if math.isnan(low):
        return _num(mean)
    return f"{_num(mean)} [{_num(low)}, {_num(high)}]"


def _value(v: Any) -> str:
    """A grid value as the spec writes it ("none" for the null)."""
    return NONE if v is None else str(v)


@_inline_svg
def _zone_figure(table: pd.DataFrame, lang: Lang) -> Figure:
    s = summarise(table, list(ZONE_COLUMNS), by=("mechanism",))
    fig = _figure(3.6)
    ax = fig.add_subplot()
    width = 0.8 / len(ZONE_COLUMNS)
    for i, (column, colour) in enumerate(zip(ZONE_COLUMNS, _COLOURS, strict=True)):
        mean = s[f"{column}_mean"]
        err = (mean - s[f"{column}_low"]).fillna(0.0)
        xs = [j + (i - 1) * width for j in range(len(s))]
        ax.bar(xs, mean, width, yerr=err, color=colour, label=column.rsplit("_", 1)[1])
    ax.set_xticks(range(len(s)), list(s["mechanism"]))
    ax.set_ylabel(text("report.bench_coverage_pct", lang))
    ax.legend(title=text("report.bench_zone", lang))
    return fig


@_inline_svg
def _km_figure(table: pd.DataFrame, lang: Lang) -> Figure:
    names = sorted(set(table["mechanism"]))
    fig = _figure(3.4)
    ax = fig.add_subplot()
    ax.boxplot([table.loc[table["mechanism"] == n, "km_mean"] for n in names])
    ax.set_xticks(range(1, len(names) + 1), names)
    ax.set_ylabel(text("report.bench_km_mean", lang))
    return fig


def pareto_points(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every (mechanism, grid point)'s means of zone III coverage and km, and their front."""
    points = summarise(table, ["slots_filled_pct_III", "km_mean"])
    front = pareto_front(
        points, "slots_filled_pct_III_mean", "km_mean_mean", maximise=(True, False)
    )
    return points, front


@_inline_svg
def _pareto_figure(table: pd.DataFrame, lang: Lang) -> Figure:
    points, front = pareto_points(table)
    fig = _figure(3.8)
    ax = fig.add_subplot()
    for name, group in points.groupby("mechanism"):
        ax.scatter(group["slots_filled_pct_III_mean"], group["km_mean_mean"], label=str(name))
    ax.plot(front["slots_filled_pct_III_mean"], front["km_mean_mean"], color="#444", linestyle="--")
    ax.set_xlabel(text("report.bench_zone_iii_pct", lang))
    ax.set_ylabel(text("report.bench_km_mean", lang))
    ax.legend(fontsize=7)
    return fig


@_inline_svg
def _price_figure(prices: pd.DataFrame, lang: Lang) -> Figure:
    rows = prices[prices["metric"] == "score"]
    fig = _figure(max(1.8, 0.4 * len(rows) + 1.0))
    ax = fig.add_subplot()
    labels = [
        f"{r['rule']} = {_value(r['with'])} vs {_value(r['without'])}" for _, r in rows.iterrows()
    ]
    err = (rows["mean"] - rows["low"]).fillna(0.0)
    ax.barh(labels, rows["mean"], xerr=err, color="#f03b20")
    ax.axvline(0, color="#444", linewidth=0.8)
    ax.set_xlabel(text("report.bench_price_score", lang))
    return fig


def render_bench_html(table: pd.DataFrame, lang: str = "en") -> str:
    """The experiment's report as one HTML page."""
    _require_extra()
    import jinja2
    from markupsafe import Markup

    lg = as_lang(lang)
    summary = summarise(table, list(SUMMARY_METRICS))
    header = ["mechanism", "grid", "n", *SUMMARY_METRICS]
    body = [
        [
            str(r["mechanism"]),
            str(r["grid"]),
            str(r["n"]),
            *(_interval(r[f"{m}_mean"], r[f"{m}_low"], r[f"{m}_high"]) for m in SUMMARY_METRICS),
        ]
        for _, r in summary.iterrows()
    ]
    prices = rule_prices(table)
    price_rows = [
        [
            str(r["rule"]),
            _value(r["with"]),
            _value(r["without"]),
            str(r["metric"]),
            str(r["pairs"]),
            _interval(r["mean"], r["low"], r["high"]),
        ]
        for _, r in prices.iterrows()
    ]
    figures = {
        "coverage_zone": _zone_figure(table, lg),
        "km": _km_figure(table, lg),
        "pareto": _pareto_figure(table, lg),
    }
    if not prices.empty:
        figures["price"] = _price_figure(prices, lg)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("staffopt", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    words = {key.removeprefix("report.bench_"): text(key, lg) for key in _WORD_KEYS}
    return env.get_template("bench_report.html.j2").render(
        lang=lg,
        words=words,
        rows=len(table),
        violations=int(table["violations"].sum()),
        header=header,
        body=body,
        price_header=["rule", "with", "without", "metric", "pairs", "mean [95 %]"],
        prices=price_rows,
        figures={k: Markup(v) for k, v in figures.items()},
    )


_WORD_KEYS = (
    "report.bench_title",
    "report.bench_intro",
    "report.bench_summary",
    "report.bench_coverage_zone",
    "report.bench_km",
    "report.bench_pareto",
    "report.bench_price",
    "report.bench_price_note",
)


def bench_to_html(table: pd.DataFrame, path: str | Path, lang: str = "en") -> Path:
    """Write the experiment's report to ``path`` (whole or not at all)."""
    from staffopt.io.atomic import atomic_file

    page = render_bench_html(table, lang)
    target = Path(path)
    with atomic_file(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target
