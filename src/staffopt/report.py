"""Readable outputs of a plan: the text summary and the planner's Excel workbook."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from staffopt.explain import (
    SCORE_PARTS,
    ExplainContext,
    Explanation,
    explain_need,
    explain_official,
)
from staffopt.texts import (
    CATALOGUE,
    as_lang,
    conflict_message,
    requirement_text,
    stop_text,
    text,
)

if TYPE_CHECKING:
    from staffopt.plan import Plan


def _pct(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def plan_message(plan: Plan, lang: str = "en") -> str:
    """The plan's message in ``lang``: rebuilt from its facts where they say it all.

    ``plan.message`` is stored in English; an infeasible plan's message is
    rebuilt from its conflicts so Vietnamese output has no English sentence.
    """
    if plan.status == "infeasible":
        return conflict_message(plan.conflicts, lang)
    if plan.stopped_by is not None:
        # Why the search stopped, in the reader's language.
        return stop_text(plan.stopped_by, plan.status, plan.solver, lang) or plan.message
    return plan.message


def plan_summary(plan: Plan, lang: str = "en") -> str:
    """A short multi-line summary: status, coverage per zone, unmet by reason, travel."""
    m = plan.metrics
    status = text(f"status.{plan.status}", lang)
    obj = "-" if plan.objective is None else f"{plan.objective:g}"
    gap = "-" if plan.gap is None else f"{plan.gap:.2%}"
    secs, engine = f"{plan.wall_time_s:.2f}", plan.solver.engine
    lines = [
        text("report.plan_for", lang, name=plan.scenario_name, status=status),
        "  " + text("report.plan_run", lang, objective=obj, gap=gap, seconds=secs, engine=engine),
    ]
    message = plan_message(plan, lang)
    if message:
        lines.append("  " + message)
        for c in plan.conflicts:
            lines.append("    - " + requirement_text(c, lang))
    if not m:
        return "\n".join(lines)
    filled, total = m["slots_filled"], m["slots_total"]
    lines.append(
        text("report.slots_filled", lang, filled=filled, total=total, share=_pct(filled, total))
    )
    for zone, z in m["coverage_by_zone"].items():
        share = _pct(z["filled"], z["slots"])
        lines.append(
            "  "
            + text(
                "report.zone_filled",
                lang,
                zone=zone,
                filled=z["filled"],
                slots=z["slots"],
                share=share,
            )
        )
    crit = m["coverage_by_criticality"].get("3", {"filled": 0, "slots": 0})
    lines.append(
        "  " + text("report.critical_filled", lang, filled=crit["filled"], slots=crit["slots"])
    )
    used, n_off = m["officials_used"], m["officials_total"]
    km_all, km_mean, spot = f"{m['km_total']:.0f}", f"{m['km_mean']:.0f}", m["on_the_spot"]
    lines.append(
        text(
            "report.officials_travel",
            lang,
            used=used,
            officials=n_off,
            km_total=km_all,
            km_mean=km_mean,
            on_the_spot=spot,
        )
    )
    lines += cost_lines(m, lang)
    if len(plan.unmet):
        missing = int(plan.unmet["missing_slots"].sum())
        lines.append(text("report.unmet_slots", lang, missing=missing))
        by_reason = plan.unmet.groupby("reason")["missing_slots"].sum()
        for reason, count in by_reason.sort_values(ascending=False).items():
            lines.append(f"  {int(count)}: {text(f'unmet.{reason}', lang)}")
    return "\n".join(lines)


def cost_lines(m: dict[str, Any], lang: str) -> list[str]:
    """The allowance cost in all and each budget's spending (none for a plan without costs)."""
    if "cost_total" not in m:
        return []
    lines = [text("budget.total", lang, total=m["cost_total"])]
    for bid, b in m.get("budget_used", {}).items():
        shown = text("budget.scenario", lang) if bid == "scenario" else bid
        lines.append("  " + text("budget.used", lang, id=shown, **b))
    return lines


# Column headers of the workbook, per language (the catalogue's ``report.column.<column>``).
HEADERS: dict[str, tuple[str, str]] = {
    k.removeprefix("report.column."): v
    for k, v in CATALOGUE.items()
    if k.startswith("report.column.")
}
#: The plan's sheets, per language (the catalogue's ``report.sheet.<key>``).
SHEETS: dict[str, tuple[str, str]] = {
    k: CATALOGUE[f"report.sheet.{k}"]
    for k in ("summary", "assignments", "unmet", "zones", "agencies", "communes", "at_home")
}
#: Sheets a caller adds to a plan's workbook (``plan_to_excel(extra=...)``).
EXTRA_SHEETS: dict[str, tuple[str, str]] = {
    "diff": CATALOGUE["report.sheet.diff"],  # a re-plan's diff (staffopt.replanning)
}
#: Scenarios with more communes get no per-need or per-official explanations
#: in the workbook and the HTML report (the limit of report.txt's,
#: ``plan.REPORT_MAX_COMMUNES``).
EXPLAIN_MAX_COMMUNES = 300
#: Best candidates not free listed per empty post.
CANDIDATES_SHOWN = 3


def plan_frames(plan: Plan, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The workbook's sheets as DataFrames (keys: summary, assignments, unmet, zones,
    agencies, communes, at_home); fields named in ``lang`` by the scenario
    (:meth:`~staffopt.schema.Scenario.field_name`)."""
    s = plan.require_scenario()
    a = plan.assignments.copy()
    officials, communes, agencies = s.official_by_id, s.commune_by_id, s.agency_by_id
    a["official"] = a["official_id"].map(lambda o: officials[o].name)
    a["agency"] = a["official_id"].map(
        lambda o: agencies[officials[o].agency_id].display_name(lang)
    )
    a["commune"] = a["commune_id"].map(lambda c: communes[c].name)
    a["zone"] = a["commune_id"].map(lambda c: communes[c].zone.value)
    arcs = plan.arcs
    if arcs is not None and len(a):
        parts = a[["official_id", "need_id"]].merge(arcs, on=["official_id", "need_id"], how="left")
        a["why"] = [
            ", ".join(
                f"{text(f'explain.part.{col}', lang)} {int(row[col]):+d}"
                for col in SCORE_PARTS
                if int(row[col]) != 0
            )
            for _, row in parts.iterrows()
        ]
    else:
        a["why"] = ""
    a = a[
        [
            "official_id",
            "official",
            "agency",
            "need_id",
            "commune_id",
            "commune",
            "zone",
            "field",
            "distance_km",
            "score",
            "load",
            *(["cost"] if "cost" in a.columns else []),
            "why",
        ]
    ]
    a["distance_km"] = a["distance_km"].round(1)
    a["field"] = a["field"].map(lambda f: s.field_name(f, lang))
    u = plan.unmet.copy()
    u["commune"] = u["commune_id"].map(lambda c: communes[c].name)
    u["zone"] = u["commune_id"].map(lambda c: communes[c].zone.value)
    u["reason"] = u["reason"].map(lambda r: text(f"unmet.{r}", lang))
    u["field"] = u["field"].map(lambda f: s.field_name(f, lang))
    u = u[["need_id", "commune_id", "commune", "zone", "field", "missing_slots", "reason"]]
    ctx = None
    if len(s.communes) <= EXPLAIN_MAX_COMMUNES and plan.status != "infeasible":
        ctx = ExplainContext(plan, as_lang(lang))
    if ctx is not None and len(u):
        needs = [explain_need(ctx, str(n)) for n in u["need_id"]]
        u["candidates"] = [_best_candidates(ctx, e) for e in needs]
        u["explanation"] = [e.text for e in needs]
    m = plan.metrics
    zones = pd.DataFrame(
        [
            {
                "zone": z,
                "slots": v["slots"],
                "filled": v["filled"],
                "coverage": round(v["coverage"], 4),
            }
            for z, v in m.get("coverage_by_zone", {}).items()
        ]
    )
    used = m.get("officials_used_by_agency", {})
    cost_by = m.get("cost_by_agency", {})
    ag = pd.DataFrame(
        [
            {
                "agency": x.display_name(lang),
                "released": used.get(x.agency_id, 0),
                "min_release": x.min_release,
                "ceiling": x.ceiling,
                **({"cost": cost_by.get(x.agency_id, 0)} if "cost_by_agency" in m else {}),
            }
            for x in s.agencies
        ]
    )
    summary: list[tuple[str, Any]] = [
        (text("report.item.scenario", lang), plan.scenario_name),
        (text("report.item.status", lang), text(f"status.{plan.status}", lang)),
        (text("report.item.objective", lang), plan.objective),
        (text("report.item.gap", lang), plan.gap),
        (text("report.item.time", lang), round(plan.wall_time_s, 3)),
        (text("report.item.engine", lang), plan.solver.engine),
        (text("report.item.slots_filled", lang), m.get("slots_filled")),
        (text("report.item.slots_total", lang), m.get("slots_total")),
        (text("report.item.officials_used", lang), m.get("officials_used")),
        (text("report.item.km_total", lang), round(m.get("km_total", 0.0), 1)),
        *[(line.strip(), None) for line in cost_lines(m, lang)],
        (text("report.item.message", lang), plan_message(plan, lang)),
        (text("report.item.data_note", lang), text("report.data_note", lang)),
    ]
    summary_df = pd.DataFrame(summary, columns=["key", "value"])
    return {
        "summary": summary_df,
        "assignments": a,
        "unmet": u,
        "zones": zones,
        "agencies": ag,
        "communes": _commune_frame(plan),
        "at_home": _at_home_frame(plan, ctx, lang),
    }


def _best_candidates(ctx: ExplainContext, exp: Explanation) -> str:
    """The best-scored candidates of an empty post who were not free, and where they went."""
    listed = exp.facts["needs"][0].get("candidates", [])[:CANDIDATES_SHOWN]
    return "\n".join(
        text(
            "explain.candidate",
            ctx.lang,
            official=ctx.official_label(c["official_id"]),
            score=c["score"],
            why=ctx.whereabouts(c["official_id"]),
        )
        for c in listed
    )


def _commune_frame(plan: Plan) -> pd.DataFrame:
    """Per commune: zone, slots, filled, missing, officials received, travel km."""
    s = plan.require_scenario()
    a = plan.assignments
    slots = s.frame("needs").groupby("commune_id")["slots"].sum()
    filled = a.groupby("commune_id").size()
    people = a.groupby("commune_id")["official_id"].nunique()
    km = a.groupby("commune_id")["distance_km"].sum()
    rows = []
    for c in s.communes:
        cid = c.commune_id
        got = int(filled.get(cid, 0))
        rows.append(
            {
                "commune_id": cid,
                "commune": c.name,
                "zone": c.zone.value,
                "slots": int(slots.get(cid, 0)),
                "filled": got,
                "missing_slots": int(slots.get(cid, 0)) - got,
                "officials": int(people.get(cid, 0)),
                "km_total": round(float(km.get(cid, 0.0)), 1),
            }
        )
    return pd.DataFrame(rows)


def _at_home_frame(plan: Plan, ctx: ExplainContext | None, lang: str) -> pd.DataFrame:
    """Officials not seconded, their fields and why (when the scenario is small enough)."""
    s = plan.require_scenario()
    used = set(plan.assignments["official_id"])
    rows = []
    for o in s.officials:
        if o.official_id in used:
            continue
        row = {
            "official_id": o.official_id,
            "official": o.name,
            "agency": s.agency_by_id[o.agency_id].display_name(lang),
            "fields": "; ".join(f"{s.field_name(f, lang)} ({lv})" for f, lv in o.skills.items()),
        }
        if ctx is not None:
            # The first line only names the official; the rest says why.
            lines = explain_official(ctx, o.official_id).lines[1:]
            row["why"] = "\n".join(line.strip() for line in lines)
        rows.append(row)
    columns = ["official_id", "official", "agency", "fields"] + (["why"] if ctx else [])
    return pd.DataFrame(rows, columns=columns)


def plan_to_excel(
    plan: Plan, path: Path, lang: str = "en", extra: Mapping[str, pd.DataFrame] | None = None
) -> Path:
    """Write the planner's workbook atomically (whole or not at all).

    ``extra``: more sheets by key of :data:`EXTRA_SHEETS` (a re-plan's ``diff``).
    """
    from staffopt.io.atomic import atomic_file
    from staffopt.io.excel import write_workbook

    frames = {**plan_frames(plan, lang), **(extra or {})}
    sheets = {}
    for key, df in frames.items():
        header = {c: text(f"report.column.{c}", lang) for c in df.columns if c in HEADERS}
        sheets[text(f"report.sheet.{key}", lang)] = df.rename(columns=header)
    with atomic_file(path) as tmp:
        write_workbook(tmp, sheets)
    return path
