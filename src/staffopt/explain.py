"""Explanations: structured facts first, text in English or Vietnamese last.

``explain(plan, official=..)`` says where an official goes and why (the
score's parts, the runner-up candidates for the same need), or why the
official stays home. ``need=..`` says who fills it, or why slots stay empty:
no eligible candidate (and which rule removed each official of the field),
candidates taken by other needs (who, where, with what score), or an agency
ceiling reached. ``commune=..`` does both for every need of the commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from staffopt.allowance import BudgetGroup, budget_groups
from staffopt.decode import candidate_blockers
from staffopt.eligibility import SCORE_PART_COLUMNS
from staffopt.errors import PlanError
from staffopt.results import Blocker
from staffopt.rules import exclusion_detail
from staffopt.schema.limits import COST_UNIT
from staffopt.texts import CATALOGUE, Lang, Phrase, as_lang, text

if TYPE_CHECKING:
    from staffopt.plan import Plan
    from staffopt.schema import Scenario

RUNNERS_UP = 3

# Score part columns of the arcs frame and their names in each language (the
# catalogue's ``explain.part.<column>``).
SCORE_PARTS: dict[str, tuple[str, str]] = {
    col: CATALOGUE[f"explain.part.{col}"] for col in SCORE_PART_COLUMNS
}


@dataclass
class Explanation:
    """A structured explanation; ``text`` is the rendered form, ``facts`` the data."""

    kind: str  # "official", "need" or "commune"
    subject: str
    lang: Lang
    facts: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def __str__(self) -> str:
        return self.text


_NONE = np.zeros(0, dtype=np.int64)


def _positions(keys: pd.Series) -> dict[str, np.ndarray]:
    """Key -> row positions (0-based) of a column."""
    return {
        str(k): np.asarray(v, dtype=np.int64)
        for k, v in keys.groupby(keys.to_numpy()).indices.items()
    }


class ExplainContext:
    """Lookups shared by the explanation builders."""

    def __init__(self, plan: Plan, lang: Lang):
        self.plan = plan
        self.lang = lang
        self.s: Scenario = plan.require_scenario()
        if plan.arcs is None or plan.exclusions is None:
            plan.attach(self.s)
        assert plan.arcs is not None and plan.exclusions is not None
        self.arcs = plan.arcs
        self.excl = plan.exclusions
        key = self.arcs["official_id"] + "\x00" + self.arcs["need_id"]
        chosen_keys = set(plan.assignments["official_id"] + "\x00" + plan.assignments["need_id"])
        self.chosen = key.isin(chosen_keys).to_numpy()
        self.assigned_to: dict[str, list[str]] = {
            str(k): list(v)
            for k, v in plan.assignments.groupby("official_id")["need_id"].apply(list).items()
        }
        # Row positions by id: explanations look up many small slices.
        self._arcs_by_need = _positions(self.arcs["need_id"])
        self._arcs_by_official = _positions(self.arcs["official_id"])
        self._excl_by_need = _positions(self.excl["need_id"])
        self._excl_by_official = _positions(self.excl["official_id"])
        self._taken_by_need = _positions(plan.assignments["need_id"])
        self._arc_pos = {
            k: i
            for i, k in enumerate(zip(self.arcs["official_id"], self.arcs["need_id"], strict=True))
        }
        #: Per arc: the official's and the need's id, as plain lists (fast to index).
        self.pair_ids: tuple[list[str], list[str]] = (
            [str(v) for v in self.arcs["official_id"].tolist()],
            [str(v) for v in self.arcs["need_id"].tolist()],
        )
        #: The planner's locks, (official_id, need_id).
        self.locked = {(lk.official_id, lk.need_id) for lk in self.s.locks if lk.kind == "lock"}
        b = candidate_blockers(self.s, self.arcs, self.chosen)
        #: (official_id, need_id) of each arc not chosen -> (agency_full, not_worth, busy,
        #: max_communes, max_km_between).
        self.blockers: dict[tuple[str, str], tuple[bool, bool, bool, bool, bool]] = {
            (o, n): (bool(full), bool(worthless), bool(busy), bool(many), bool(far))
            for o, n, full, worthless, busy, many, far in zip(
                b["official_id"],
                b["need_id"],
                b["agency_full"],
                b["not_worth"],
                b["busy"],
                b["max_communes"],
                b["max_km_between"],
                strict=True,
            )
        }
        #: (official_id, need_id) of each arc not chosen that costs more than its
        #: budget has left -> that least amount left (VND).
        over = b[b["over_budget"]]
        self.over_budget: dict[tuple[str, str], int] = {
            (o, n): int(left)
            for o, n, left in zip(
                over["official_id"], over["need_id"], over["budget_left"], strict=True
            )
        }

    def official_label(self, official_id: str) -> str:
        o = self.s.official_by_id[official_id]
        agency = self.s.agency_by_id[o.agency_id].display_name(self.lang)
        return f"{o.name} [{official_id}, {agency}]"

    def need_label(self, need_id: str) -> str:
        n = self.s.need_by_id[need_id]
        c = self.s.commune_by_id[n.commune_id]
        zone = text("explain.zone", self.lang, zone=c.zone.value)
        return f"{need_id} ({self.s.field_name(n.field, self.lang)}, {c.name}, {zone})"

    def arc(self, official_id: str, need_id: str) -> pd.Series | None:
        pos = self._arc_pos.get((official_id, need_id))
        return None if pos is None else self.arcs.iloc[pos]

    def arc_position(self, official_id: str, need_id: str) -> int:
        """The row position of an arc (KeyError if the pair is not an arc)."""
        return self._arc_pos[(official_id, need_id)]

    def arcs_of_need(self, need_id: str) -> pd.DataFrame:
        return self.arcs.iloc[self._arcs_by_need.get(need_id, _NONE)]

    def arcs_of_official(self, official_id: str) -> pd.DataFrame:
        return self.arcs.iloc[self._arcs_by_official.get(official_id, _NONE)]

    def exclusions_of_need(self, need_id: str) -> pd.DataFrame:
        return self.excl.iloc[self._excl_by_need.get(need_id, _NONE)]

    def exclusions_of_official(self, official_id: str) -> pd.DataFrame:
        return self.excl.iloc[self._excl_by_official.get(official_id, _NONE)]

    def taken(self, need_id: str) -> pd.DataFrame:
        """The plan's assignments to a need."""
        return self.plan.assignments.iloc[self._taken_by_need.get(need_id, _NONE)]

    def score_breakdown(self, arc: pd.Series) -> str:
        parts = []
        for col in SCORE_PARTS:
            value = int(arc[col])
            if value == 0 and col not in ("base_pts", "travel_pts"):
                continue
            name = text(f"explain.part.{col}", self.lang)
            if col == "travel_pts":
                parts.append(f"{name} {value:+d} ({arc['distance_km']:.0f} km)")
            else:
                parts.append(f"{name} {value:+d}")
        return f"{int(arc['score'])} = " + ", ".join(parts)

    def budget_move(self, official_id: str, need_id: str) -> tuple[int, int] | None:
        """Whether a budget also keeps an official who takes one post from this pair.

        Moving the official here frees their post's cost and pays the pair's;
        for each budget covering the pair the spend grows by ``extra`` = the
        pair's cost less the freed cost that budget covers. The first budget
        where ``extra`` exceeds what it has left: (extra, left), VND. None when
        every budget could pay the move, or the official holds several posts.
        """
        held = self.assigned_to.get(official_id, [])
        pos = self._arc_pos.get((official_id, need_id))
        if len(held) != 1 or pos is None:
            return None
        now = self.arc_position(official_id, held[0])
        for group, left in self._budget_lefts:
            members = set(group.arcs.tolist())
            if pos not in members:
                continue
            freed = int(self._cost[now]) if now in members else 0
            extra = int(self._cost[pos]) - freed
            # A move that costs nothing more, or a plan already over this
            # budget (explained against another scenario), says nothing.
            if left >= 0 and extra > 0 and extra > left:
                return extra, left
        return None

    @cached_property
    def _cost(self) -> np.ndarray:
        return np.asarray(self.arcs["cost"].to_numpy(np.int64))

    @cached_property
    def _budget_lefts(self) -> list[tuple[BudgetGroup, int]]:
        """Each budget that can bind on the arcs and what the plan leaves of it (VND)."""
        return [
            (g, g.limit_units * COST_UNIT - int(self._cost[g.arcs][self.chosen[g.arcs]].sum()))
            for g in budget_groups(self.s, self.arcs)
        ]

    def whereabouts(self, official_id: str) -> str:
        """Where an official is assigned in this plan, as text."""
        needs = self.assigned_to.get(official_id, [])
        if not needs:
            return text("explain.not_assigned", self.lang)
        parts = []
        for n in needs:
            arc = self.arc(official_id, n)
            score = (
                ""
                if arc is None
                else ", " + text("explain.score_of", self.lang, score=int(arc["score"]))
            )
            parts.append(f"{self.need_label(n)}{score}")
        return text("explain.assigned_to", self.lang, needs="; ".join(parts))


def explain(
    plan: Plan,
    *,
    official: str | None = None,
    need: str | None = None,
    commune: str | None = None,
    lang: str = "en",
) -> Explanation:
    """Explain one official, one need or one commune of a plan (give exactly one)."""
    given = [k for k, v in (("official", official), ("need", need), ("commune", commune)) if v]
    if len(given) != 1:
        raise ValueError("give exactly one of official=, need=, commune=")
    lg = as_lang(lang)
    ctx = ExplainContext(plan, lg)
    if official is not None:
        if official not in ctx.s.official_by_id:
            raise PlanError(Phrase("plan_error.unknown_official", id=official))
        return explain_official(ctx, official)
    if need is not None:
        if need not in ctx.s.need_by_id:
            raise PlanError(Phrase("plan_error.unknown_need", id=need))
        return explain_need(ctx, need)
    assert commune is not None
    if commune not in ctx.s.commune_by_id:
        raise PlanError(Phrase("plan_error.unknown_commune", id=commune))
    return explain_commune(ctx, commune)


def _assignment_lines(
    ctx: ExplainContext, official_id: str, need_id: str
) -> tuple[list[str], dict[str, Any]]:
    """Why this official fills this need: score parts and runner-ups."""
    lg = ctx.lang
    arc = ctx.arc(official_id, need_id)
    assert arc is not None
    lines = [
        text(
            "explain.goes_to",
            lg,
            official=ctx.official_label(official_id),
            need=ctx.need_label(need_id),
        ),
        "  " + text("explain.score_line", lg, breakdown=ctx.score_breakdown(arc)),
    ]
    others = ctx.arcs_of_need(need_id)
    others = others[others["official_id"] != official_id]
    others = others.sort_values("score", ascending=False).head(RUNNERS_UP)
    runners = []
    if others.empty:
        lines.append("  " + text("explain.no_other_candidate", lg))
    else:
        lines.append("  " + text("explain.runners_up", lg))
        for _, r in others.iterrows():
            oid = r["official_id"]
            # A candidate chosen for this need too has no blocker: it fills another slot.
            also = (oid, need_id) not in ctx.blockers
            code = None if also else blocker(ctx, oid, need_id)
            why = text("explain.also_chosen", lg) if also else blocker_text(ctx, oid, need_id)
            diff = int(arc["score"]) - int(r["score"])
            lines.append(
                "    - "
                + text(
                    "explain.runner_up",
                    lg,
                    official=ctx.official_label(oid),
                    score=int(r["score"]),
                    difference=score_difference(lg, diff),
                    why=why,
                )
            )
            runners.append(
                {
                    "official_id": oid,
                    "score": int(r["score"]),
                    "assigned_to": ctx.assigned_to.get(oid, []),
                    "blocker": code,
                }
            )
        lines.append("  " + text("explain.maximises_total", lg))
    facts = {
        "official_id": official_id,
        "need_id": need_id,
        "score": int(arc["score"]),
        "parts": {c: int(arc[c]) for c in SCORE_PARTS},
        "distance_km": float(arc["distance_km"]),
        "runners_up": runners,
    }
    return lines, facts


def explain_official(ctx: ExplainContext, official_id: str) -> Explanation:
    lg = ctx.lang
    exp = Explanation("official", official_id, lg)
    needs = ctx.assigned_to.get(official_id, [])
    if needs:
        exp.facts["assignments"] = []
        for n in needs:
            lines, facts = _assignment_lines(ctx, official_id, n)
            exp.lines += lines
            exp.facts["assignments"].append(facts)
        return exp
    exp.lines.append(text("explain.not_seconded", lg, official=ctx.official_label(official_id)))
    o = ctx.s.official_by_id[official_id]
    my_arcs = ctx.arcs_of_official(official_id)
    my_excl = ctx.exclusions_of_official(official_id)
    reasons: list[dict[str, Any]] = []
    if my_arcs.empty and my_excl.empty:
        fields = "; ".join(ctx.s.field_name(f, lg) for f in o.skills) or "-"
        exp.lines.append("  " + text("explain.no_need_for_fields", lg, fields=fields))
        reasons.append({"reason": "no_matching_need"})
    for _, r in my_excl.iterrows():
        detail = exclusion_detail(r["rule"], r["value"], r["limit"], lg)
        exp.lines.append(f"  - {ctx.need_label(r['need_id'])}: {detail}")
        reasons.append({"need_id": r["need_id"], "reason": r["rule"]})
    for _, r in my_arcs.sort_values("score", ascending=False).iterrows():
        why = blocker_text(ctx, official_id, r["need_id"])
        exp.lines.append(f"  - {ctx.need_label(r['need_id'])}: {why}")
        reasons.append({"need_id": r["need_id"], "reason": "not_chosen", "score": int(r["score"])})
    exp.facts["reasons"] = reasons
    return exp


def blocker(ctx: ExplainContext, official_id: str, need_id: str) -> Blocker:
    """Why the eligible pair (official, need) was not chosen: one code, decided once.

    In this order: the agency is at its ceiling, the score is not worth it,
    the official's time is used elsewhere, the official already covers as
    many communes as allowed, or one too far from this one, the pair costs
    more than its budget has left, the need's slots went to others, else the
    rule of the allocation mechanism that made the plan passed it by, or (for
    the optimum) other requirements (floors, mandatory needs, locks) decided it.
    """
    agency_full, not_worth, busy, too_many, too_far = ctx.blockers[(official_id, need_id)]
    if agency_full:
        return "agency_ceiling"
    if not_worth:
        arc = ctx.arc(official_id, need_id)
        assert arc is not None
        return not_worth_code(int(arc["score"]), int(arc["travel_pts"]), int(arc["affinity"]))
    if busy:
        return "busy"
    if too_many:
        return "max_communes"
    if too_far:
        return "max_km_between"
    if (official_id, need_id) in ctx.over_budget:
        return "budget"
    if len(ctx.taken(need_id)):
        return "slot_taken"
    if ctx.plan.mechanism != "optimal":
        return "mechanism_rule"
    return "other_requirements"


def not_worth_code(score: int, travel_pts: int, affinity: int) -> Blocker:
    """Why a pair of score <= 0 is not worth sending: travel, affinity, or both.

    ``too_far`` only when travel is what makes the score <= 0 (without the
    travel points it would be positive) and it weighs more than any negative
    affinity; ``low_affinity`` when a negative affinity does so and weighs
    more than travel; otherwise the plain ``not_worth_it``.
    """
    if score > 0:
        raise ValueError(f"score {score} > 0 is worth sending")
    if score - travel_pts > 0 and travel_pts <= min(affinity, 0):
        return "too_far"
    if affinity < 0 and score - affinity > 0 and affinity < travel_pts:
        return "low_affinity"
    return "not_worth_it"


#: Blockers an empty post's candidate list words with the blocker's own sentence
#: (the others say where the candidate is instead).
_WORDED_BLOCKERS = ("agency_ceiling", "not_worth_it", "too_far", "low_affinity", "busy", "budget")


def blocker_text(ctx: ExplainContext, official_id: str, need_id: str) -> str:
    """The blocker of an eligible pair not chosen, worded with its numbers."""
    lg = ctx.lang
    code = blocker(ctx, official_id, need_id)
    arc = ctx.arc(official_id, need_id)
    assert arc is not None
    who = ", ".join(
        text(
            "explain.taker",
            lg,
            official=ctx.official_label(r["official_id"]),
            score=int(r["score"]),
        )
        for _, r in ctx.taken(need_id).iterrows()
    )
    why = text(
        f"blocker.{code}",
        lg,
        score=int(arc["score"]),
        who=who,
        travel=int(arc["travel_pts"]),
        km=float(arc["distance_km"]),
        affinity=int(arc["affinity"]),
        **budget_facts(ctx, official_id, need_id),
    )
    if code == "busy":
        why += ": " + ctx.whereabouts(official_id)
        move = ctx.budget_move(official_id, need_id)
        if move is not None:
            # Millions to one decimal, as a planner reads a budget.
            extra, left = (round(v / 1e6, 1) for v in move)
            why += "; " + text("explain.busy_budget", lg, extra=extra, left=left)
    return why


def score_difference(lang: Lang, diff: int) -> str:
    """A runner-up's score against the chosen one's, worded plainly (never as a cost)."""
    if diff > 0:
        return text("explain.scores_less", lang, diff=diff)
    if diff < 0:
        return text("explain.scores_more", lang, diff=-diff)
    return text("explain.scores_same", lang)


def explain_need(ctx: ExplainContext, need_id: str) -> Explanation:
    """Why a need is (un)filled: who fills it and why its empty slots stay empty."""
    exp = Explanation("need", need_id, ctx.lang)
    _explain_need_into(ctx, need_id, exp)
    return exp


def budget_facts(ctx: ExplainContext, official_id: str, need_id: str) -> dict[str, float]:
    """What a pair would cost and what its budget has left, in millions of VND (the
    ``blocker.budget`` sentence's values); empty when no budget blocks the pair."""
    left = ctx.over_budget.get((official_id, need_id))
    arc = ctx.arc(official_id, need_id)
    if left is None or arc is None:
        return {}
    # Millions to one decimal, as a planner reads a budget.
    return {"cost": round(int(arc["cost"]) / 1e6, 1), "left": round(left / 1e6, 1)}


def _explain_need_into(ctx: ExplainContext, need_id: str, exp: Explanation) -> None:
    lg = ctx.lang
    n = ctx.s.need_by_id[need_id]
    filled = ctx.taken(need_id)
    exp.lines.append(
        text(
            "explain.need_filled",
            lg,
            need=ctx.need_label(need_id),
            filled=len(filled),
            slots=n.slots,
        )
    )
    assignments = []
    for oid in filled["official_id"]:
        lines, facts = _assignment_lines(ctx, oid, need_id)
        exp.lines += ["  " + ln for ln in lines]
        assignments.append(facts)
    exp.facts.setdefault("needs", []).append(
        {
            "need_id": need_id,
            "slots": n.slots,
            "filled": len(filled),
            "assignments": assignments,
            **_unmet_facts(ctx, need_id, exp),
        }
    )


def _unmet_facts(ctx: ExplainContext, need_id: str, exp: Explanation) -> dict[str, Any]:
    """Why a need has empty slots; appends the text to ``exp``."""
    lg = ctx.lang
    row = ctx.plan.unmet[ctx.plan.unmet["need_id"] == need_id]
    if row.empty:
        return {}
    reason = str(row.iloc[0]["reason"])
    missing = int(row.iloc[0]["missing_slots"])
    why = text(f"unmet.{reason}", lg)
    exp.lines.append("  " + text("explain.slots_empty", lg, missing=missing, why=why))
    facts: dict[str, Any] = {"missing_slots": missing, "reason": reason}
    n = ctx.s.need_by_id[need_id]
    if reason == "no_eligible_candidate":
        excl = ctx.exclusions_of_need(need_id)
        if len(ctx.taken(need_id)):
            exp.lines.append("    " + text("explain.all_candidates_here", lg))
        elif excl.empty:
            wanted = ctx.s.field_name(n.field, lg)
            exp.lines.append("    " + text("explain.no_official_in_field", lg, field=wanted))
        for _, r in excl.iterrows():
            detail = exclusion_detail(r["rule"], r["value"], r["limit"], lg)
            exp.lines.append(f"    - {ctx.official_label(r['official_id'])}: {detail}")
        facts["excluded"] = excl[["official_id", "rule"]].to_dict("records")
    else:
        need_arcs = ctx._arcs_by_need.get(need_id, _NONE)
        cand = ctx.arcs.iloc[need_arcs[~ctx.chosen[need_arcs]]]
        listed = []
        for _, r in cand.sort_values("score", ascending=False).iterrows():
            oid = r["official_id"]
            code = blocker(ctx, oid, need_id)
            if code in (
                "agency_ceiling",
                "not_worth_it",
                "too_far",
                "low_affinity",
                "busy",
                "max_communes",
                "max_km_between",
                "budget",
            ):
                why = blocker_text(ctx, oid, need_id)
            else:  # free: say where the candidate is
                why = ctx.whereabouts(oid)
            exp.lines.append(
                "    - "
                + text(
                    "explain.candidate",
                    lg,
                    official=ctx.official_label(oid),
                    score=int(r["score"]),
                    why=why,
                )
            )
            listed.append(
                {
                    "official_id": oid,
                    "score": int(r["score"]),
                    "assigned_to": ctx.assigned_to.get(oid, []),
                    "agency_full": code == "agency_ceiling",
                }
            )
        facts["candidates"] = listed
    return facts


def explain_commune(ctx: ExplainContext, commune_id: str) -> Explanation:
    lg = ctx.lang
    c = ctx.s.commune_by_id[commune_id]
    exp = Explanation("commune", commune_id, lg)
    needs = [n.need_id for n in ctx.s.needs if n.commune_id == commune_id]
    got = ctx.plan.assignments[ctx.plan.assignments["commune_id"] == commune_id]
    exp.lines.append(
        text(
            "explain.commune",
            lg,
            name=c.name,
            commune=commune_id,
            zone=c.zone.value,
            needs=len(needs),
            assigned=len(got),
        )
    )
    for need_id in needs:
        _explain_need_into(ctx, need_id, exp)
    exp.facts["commune_id"] = commune_id
    exp.facts["assigned"] = len(got)
    exp.facts["km_total"] = float(np.sum(got["distance_km"])) if len(got) else 0.0
    return exp


def explain_all_communes(plan: Plan, lang: str = "en") -> str:
    """Every commune's explanation, one block each (for report.txt)."""
    ctx = ExplainContext(plan, as_lang(lang))
    return "\n\n".join(explain_commune(ctx, c.commune_id).text for c in ctx.s.communes)
