"""The HTML report of a plan: one self-contained page to look at and search.

Coverage by zone and by field, a map of the communes from their coordinates
(coloured by coverage, sized by need, a line from each official's home to
the post), the travel distribution, the agencies' release against floor and
ceiling, and searchable tables of the assignments and of the empty posts with
their explanations. Figures are matplotlib SVG inlined in the page and the
search is a few lines of inline script, so the file opens without a network.
Words come from the catalogue (:mod:`staffopt.texts`), the tables and the
summary from :mod:`staffopt.report`, the empty posts' explanations from
:mod:`staffopt.explain`; jinja2 escapes every user string (autoescape).

jinja2 and matplotlib are the optional extra ``report``, imported when a
report is made.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

import numpy as np
import pandas as pd

from staffopt.errors import StaffoptError
from staffopt.report import HEADERS, plan_frames, plan_summary
from staffopt.texts import Lang, as_lang, text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from staffopt.plan import Plan
    from staffopt.schema import Scenario

#: Figure width in inches (the page is about 1000 px wide).
FIGURE_WIDTH = 9.0

ZONES = ("I", "II", "III")

P = ParamSpec("P")


class ReportExtraMissing(StaffoptError):
    """jinja2 or matplotlib is not installed (the ``report`` extra)."""


@dataclass(frozen=True)
class Table:
    """A searchable table of the page: its title, header cells and rows of text."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]


def _require_extra() -> None:
    try:
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError:
        raise ReportExtraMissing(text("report.needs_extra")) from None


def plan_to_html(plan: Plan, path: str | Path, lang: str = "en") -> Path:
    """Write the plan's HTML report to ``path`` atomically (whole or not at all)."""
    from staffopt.io.atomic import atomic_file

    page = render_html(plan, lang)
    target = Path(path)
    with atomic_file(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target


def render_html(plan: Plan, lang: str = "en") -> str:
    """The plan's report as one HTML page (needs the plan's scenario)."""
    _require_extra()
    import jinja2
    from markupsafe import Markup

    lg = as_lang(lang)
    scenario = plan.require_scenario()
    figures = {
        "coverage_zone": _coverage_zone_figure(plan, lg),
        "coverage_field": _coverage_field_figure(plan, scenario, lg),
        "map": _map_figure(plan, scenario, lg),
        "travel": _travel_figure(plan, lg),
        "agencies": _agencies_figure(plan, scenario, lg),
    }
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("staffopt", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("report.html.j2")
    words = {key.removeprefix("report."): text(key, lg) for key in _WORD_KEYS}
    return template.render(
        lang=lg,
        title=text("report.title", lg, name=plan.scenario_name),
        summary=plan_summary(plan, lg),
        words=words,
        figures={k: Markup(v) for k, v in figures.items()},
        tables=_tables(plan, lg),
    )


_WORD_KEYS = (
    "report.summary",
    "report.coverage_zone",
    "report.coverage_field",
    "report.map",
    "report.map_note",
    "report.travel",
    "report.agencies",
    "report.search",
    "report.rows",
    "report.none",
)


# -- tables -------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(key: str, title: str, df: pd.DataFrame, lang: Lang) -> Table:
    header = [HEADERS[c][lang == "vi"] if c in HEADERS else c for c in df.columns]
    rows = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
    return Table(key, title, header, rows)


def _tables(plan: Plan, lang: Lang) -> list[Table]:
    """The workbook's assignments and empty posts (with their explanations) as tables."""
    frames = plan_frames(plan, lang)
    unmet = frames["unmet"].drop(columns="candidates", errors="ignore")
    return [
        _table("assignments", text("report.assignments", lang), frames["assignments"], lang),
        _table("unmet", text("report.unmet", lang), unmet, lang),
    ]


# -- figures ------------------------------------------------------------------


def _figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(FIGURE_WIDTH, height), layout="constrained")


def _inline_svg(build: Callable[P, Figure]) -> Callable[P, str]:
    """A figure builder made to return the figure as an inline ``<svg>`` element.

    The figure is drawn and saved under the report's matplotlib settings
    , which apply when artists are made, not only when saved;
    the XML prolog and doctype are cut (an HTML page has its own).
    """

    def wrapped(*args: P.args, **kwargs: P.kwargs) -> str:
        import matplotlib

        # Text stays text (the browser draws it with its own fonts, Vietnamese
        # included); ids come from the content, so the same plan gives the same file.
        with matplotlib.rc_context(
            {"svg.fonttype": "none", "svg.hashsalt": "staffopt", "font.size": 9}
        ):
            buf = io.StringIO()
            build(*args, **kwargs).savefig(buf, format="svg", metadata={"Date": None})
        svg = buf.getvalue()
        return svg[svg.index("<svg") :]

    return wrapped


def _coverage_bars(
    fig: Figure, labels: list[str], slots: list[int], filled: list[int], lang: Lang
) -> None:
    ax = fig.add_subplot()
    share = [f / s if s else 1.0 for f, s in zip(filled, slots, strict=True)]
    bars = ax.bar(labels, share, color="#2b8cbe")
    for bar, f, s in zip(bars, filled, slots, strict=True):
        ax.annotate(
            f"{f}/{s}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
        )
    ax.set_ylim(0, 1.15)
    ax.set_ylabel(text("report.coverage", lang))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")


@_inline_svg
def _coverage_zone_figure(plan: Plan, lang: Lang) -> Figure:
    by_zone = plan.metrics.get("coverage_by_zone", {})
    fig = _figure(2.6)
    labels = [text("report.zone", lang, zone=z) for z in ZONES]
    slots = [int(by_zone.get(z, {}).get("slots", 0)) for z in ZONES]
    filled = [int(by_zone.get(z, {}).get("filled", 0)) for z in ZONES]
    _coverage_bars(fig, labels, slots, filled, lang)
    return fig


def field_coverage(plan: Plan, scenario: Scenario) -> pd.DataFrame:
    """Slots and filled slots per field (index: field, sorted), from the needs and assignments."""
    needs = scenario.frame("needs")
    slots = needs.groupby("field")["slots"].sum()
    filled = plan.assignments.groupby("field").size().reindex(slots.index, fill_value=0)
    return pd.DataFrame({"slots": slots, "filled": filled}).sort_index()


@_inline_svg
def _coverage_field_figure(plan: Plan, scenario: Scenario, lang: Lang) -> Figure:
    cov = field_coverage(plan, scenario)
    fig = _figure(2.8)
    _coverage_bars(
        fig,
        [scenario.field_name(str(f), lang) for f in cov.index],
        [int(v) for v in cov["slots"]],
        [int(v) for v in cov["filled"]],
        lang,
    )
    fig.axes[0].tick_params(axis="x", labelrotation=30)
    return fig


def home_points(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Each official's home as (lon, lat): their own coordinates, else their home commune's."""
    communes = scenario.commune_by_id
    homes: dict[str, tuple[float, float]] = {}
    for o in scenario.officials:
        if o.home_lat is not None and o.home_lon is not None:
            homes[o.official_id] = (o.home_lon, o.home_lat)
        elif o.home_commune_id is not None and o.home_commune_id in communes:
            c = communes[o.home_commune_id]
            homes[o.official_id] = (c.lon, c.lat)
    return homes


@_inline_svg
def _map_figure(plan: Plan, scenario: Scenario, lang: Lang) -> Figure:
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    communes = scenario.communes
    lon = np.array([c.lon for c in communes])
    lat = np.array([c.lat for c in communes])
    slots = scenario.frame("needs").groupby("commune_id")["slots"].sum()
    filled = plan.assignments.groupby("commune_id").size()
    need = np.array([int(slots.get(c.commune_id, 0)) for c in communes])
    got = np.array([int(filled.get(c.commune_id, 0)) for c in communes])
    fig = _figure(6.0)
    ax = fig.add_subplot()
    homes = home_points(scenario)
    post = {c.commune_id: (c.lon, c.lat) for c in communes}
    segments = [
        (homes[o], post[c])
        for o, c in zip(
            plan.assignments["official_id"], plan.assignments["commune_id"], strict=True
        )
        if o in homes and c in post and homes[o] != post[c]
    ]
    if segments:
        ax.add_collection(LineCollection(segments, colors="#555555", linewidths=0.5, alpha=0.35))
    cmap, norm = colormaps["RdYlGn"], Normalize(0.0, 1.0)
    has_need = need > 0
    share = np.divide(got, need, out=np.ones(len(need)), where=has_need)
    ax.scatter(lon[~has_need], lat[~has_need], s=12, c="#bbbbbb", edgecolors="none")
    points = ax.scatter(
        lon[has_need],
        lat[has_need],
        s=12 + 18 * np.sqrt(need[has_need]),
        c=share[has_need],
        cmap=cmap,
        norm=norm,
        edgecolors="#333333",
        linewidths=0.4,
        zorder=3,
    )
    bar = fig.colorbar(points, ax=ax, shrink=0.8)
    bar.set_label(text("report.coverage", lang))
    bar.formatter = _percent_formatter()
    bar.update_ticks()
    # Degrees of longitude shrink with the latitude: keep the map's shape true.
    mid = float(np.mean(lat)) if len(lat) else 0.0
    ax.set_aspect(1 / max(0.1, math.cos(math.radians(mid))))
    ax.autoscale_view()
    ax.set_xlabel(text("report.longitude", lang))
    ax.set_ylabel(text("report.latitude", lang))
    return fig


def _percent_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:.0%}")


@_inline_svg
def _travel_figure(plan: Plan, lang: Lang) -> Figure:
    km = plan.assignments["distance_km"].to_numpy(np.float64)
    fig = _figure(2.6)
    ax = fig.add_subplot()
    ax.hist(km, bins=min(30, max(1, len(np.unique(km)))), color="#2b8cbe")
    ax.set_xlabel(text("report.travel_axis", lang))
    ax.set_ylabel(text("report.assignments_count", lang))
    return fig


@_inline_svg
def _agencies_figure(plan: Plan, scenario: Scenario, lang: Lang) -> Figure:
    used = plan.metrics.get("officials_used_by_agency", {})
    agencies = scenario.agencies
    names = [a.display_name(lang) for a in agencies]
    released = [int(used.get(a.agency_id, 0)) for a in agencies]
    floors = [a.min_release for a in agencies]
    # Only a ceiling the scenario sets: the default (the whole headcount) would
    # stretch the axis until the releases cannot be seen.
    capped = [i for i, a in enumerate(agencies) if a.max_release is not None]
    ceilings = [a.max_release for a in agencies if a.max_release is not None]
    fig = _figure(max(2.0, 0.8 + 0.28 * len(agencies)))
    ax = fig.add_subplot()
    y = np.arange(len(agencies))
    ax.barh(y, released, color="#2b8cbe", label=text("report.released", lang))
    ax.scatter(floors, y, marker="|", s=200, c="#000000", label=text("report.floor", lang))
    if capped:
        ax.scatter(
            ceilings, y[capped], marker="|", s=200, c="#d7301f", label=text("report.ceiling", lang)
        )
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(text("report.people", lang))
    ax.legend(loc="lower right")
    return fig
