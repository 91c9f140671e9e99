"""Every item of a plan explained, with costs that are re-solved, not estimated.

:func:`explain_all` gives one row per assignment, per empty slot and per
official left at home. Each row's ``cost`` is the score the plan would lose
under one change, found by an actual re-solve:

* ``assignment``: the pair is forbidden; ``alternative`` is who takes the
  post then (empty: the post stays empty);
* ``unmet``: the need must get ``extra_slots`` more people than it has
  (the k-th empty slot of a need asks for k more); ``alternative`` is who
  would fill them;
* ``unused``: the official must be sent; ``alternative`` is where to.

``moves`` lists every other pair that changes (``+official->need`` or
``-official->need``). The cost is ``base - new`` in score points of the
part the change touches (:mod:`staffopt.solver.parts`): other parts keep
their value, so only that part is re-solved
(:class:`staffopt.solver.resolve.PartResolver`). When the base plan is
optimal, the cost is the exact price of the item (>= 0). When it is not, the
cost is measured against the plan's own score and may be negative.

``cost_status``: ``exact`` (the re-solve is proven optimal), ``bound`` (not
proven within the time limit: the true cost lies in ``[cost_low, cost]``),
``impossible`` (no plan keeps the hard rules under the change; ``cost`` is
empty), ``unknown`` (no plan found in time) or ``skipped`` (explain_all's
own time limit ran out before this row's re-solve).

Words come last: every row's ``text`` is worded from the row's own fields
by :func:`row_text`, from the catalogue in :mod:`staffopt.texts`.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from staffopt.explain import ExplainContext, blocker, blocker_text, score_difference
from staffopt.results import SOLVED, Requirement
from staffopt.solver.cpsat import available_cores
from staffopt.solver.engine import network_obstacles
from staffopt.solver.parts import independent_parts
from staffopt.solver.residual import NetworkResolver
from staffopt.solver.resolve import Answer, Change, PartResolver
from staffopt.texts import Lang, as_lang, requirement_text, text

if TYPE_CHECKING:
    from staffopt.plan import Plan

#: Columns of the frame :func:`explain_all` returns (and of explanations.csv).
EXPLAIN_ALL_COLUMNS = [
    "kind",
    "official_id",
    "need_id",
    "commune_id",
    "reason",
    "score",
    "extra_slots",
    "cost",
    "cost_low",
    "cost_status",
    "alternative",
    "moves",
    "text",
]

ItemKind = Literal["assignment", "unmet", "unused"]
CostStatus = Literal["exact", "bound", "impossible", "unknown", "skipped"]

#: Default time limit of one re-solve (seconds of wall clock).
RESOLVE_SECONDS = 10.0


@dataclass
class Item:
    """One row before words: the item, its reason code and its re-solved cost."""

    kind: ItemKind
    official_id: str
    need_id: str
    commune_id: str
    reason: str
    score: int | None = None
    extra_slots: int | None = None
    #: The code's detail in words, worded once by the explanation helpers.
    why: str = ""
    cost: int | None = None
    cost_low: int | None = None
    cost_status: CostStatus = "impossible"
    alternative: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()


def explain_all(
    plan: Plan,
    lang: str = "en",
    *,
    seconds_per_resolve: float = RESOLVE_SECONDS,
    time_limit_s: float | None = None,
) -> pd.DataFrame:
    """One row per assignment, per empty slot and per official left at home (see module doc).

    ``seconds_per_resolve`` limits each re-solve; ``time_limit_s`` (None: no
    limit) all of them: once it has run out, the rows not yet re-solved say
    ``skipped``.

    Raises :class:`staffopt.errors.PlanError` when the plan has no scenario
    attached, and ValueError when it has no solution to explain or its policy
    ranks goals other than the score or sets fairness floors (not handled yet).
    """
    lg = as_lang(lang)
    if not plan.ok:
        raise ValueError(f"a plan with status '{plan.status}' has no assignments to explain")
    policy = plan.policy or plan.require_scenario().policy
    if not policy.default_goals:
        # The re-solves maximise the score alone: under ranked goals or fairness
        # floors their numbers would not be this plan's costs.
        raise ValueError(
            "explain_all re-solves with the score as the only goal; this plan's policy has "
            "ranked goals or fairness floors (Policy.goals, zone_coverage_floor, "
            "commune_floor), which it does not handle yet"
        )
    ctx = ExplainContext(plan, lg)
    items = _items(ctx)
    deadline = None if time_limit_s is None else time.perf_counter() + time_limit_s
    _resolve_costs(ctx, items, seconds_per_resolve, deadline)
    optimal = plan.status == "optimal"
    rows = [
        {
            "kind": it.kind,
            "official_id": it.official_id,
            "need_id": it.need_id,
            "commune_id": it.commune_id,
            "reason": it.reason,
            "score": it.score,
            "extra_slots": it.extra_slots,
            "cost": it.cost,
            "cost_low": it.cost_low,
            "cost_status": it.cost_status,
            "alternative": ";".join(it.alternative),
            "moves": "; ".join(it.moves),
            "text": row_text(ctx, it, seconds_per_resolve, time_limit_s, base_optimal=optimal),
        }
        for it in items
    ]
    out = pd.DataFrame(rows, columns=EXPLAIN_ALL_COLUMNS)
    for c in ("score", "extra_slots", "cost", "cost_low"):
        out[c] = out[c].astype("Int64")
    return out


def write_explanations(rows: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`explain_all`'s rows to a CSV file, whole or not at all, spreadsheet-safe
    (:mod:`staffopt.io.csvsafe`: text never becomes a formula)."""
    from staffopt.io.atomic import atomic_file
    from staffopt.io.csvsafe import protect

    with atomic_file(path) as tmp:
        protect(rows).to_csv(tmp, index=False)
    return Path(path)


# -- the items and their reasons ------------------------------------------------------


def _items(ctx: ExplainContext) -> list[Item]:
    s, plan = ctx.s, ctx.plan
    items: list[Item] = []
    for oid, nid, cid in zip(
        plan.assignments["official_id"],
        plan.assignments["need_id"],
        plan.assignments["commune_id"],
        strict=True,
    ):
        items.append(_assignment_item(ctx, str(oid), str(nid), str(cid)))
    for nid, cid, missing, reason in zip(
        plan.unmet["need_id"],
        plan.unmet["commune_id"],
        plan.unmet["missing_slots"],
        plan.unmet["reason"],
        strict=True,
    ):
        why = text(f"unmet.{reason}", ctx.lang)
        for k in range(1, int(missing) + 1):
            items.append(Item("unmet", "", str(nid), str(cid), str(reason), extra_slots=k, why=why))
    for o in s.officials:
        if o.official_id not in ctx.assigned_to:
            items.append(_unused_item(ctx, o.official_id))
    return items


def _assignment_item(ctx: ExplainContext, oid: str, nid: str, cid: str) -> Item:
    """The reason of an assignment: alone, the best score, or why a higher one lost."""
    arc = ctx.arc(oid, nid)
    assert arc is not None
    score = int(arc["score"])
    # Runner-ups: the need's candidates not chosen for it (others chosen fill other slots).
    others = ctx.arcs_of_need(nid)
    others = others[others["official_id"] != oid]
    others = others[[(str(o), nid) in ctx.blockers for o in others["official_id"]]]
    item = Item("assignment", oid, nid, cid, "best_score", score=score)
    if (oid, nid) in ctx.locked:
        item.reason = "lock"
        lock = requirement_text(Requirement("lock", f"{oid}->{nid}"), ctx.lang)
        item.why = text("explain.locked", ctx.lang, lock=lock)
        return item
    if others.empty:
        item.reason = "only_candidate"
        return item
    best = others.sort_values("score", ascending=False, kind="stable").iloc[0]
    runner = str(best["official_id"])
    if int(best["score"]) > score:
        item.reason = blocker(ctx, runner, nid)
        item.why = text(
            "explain.higher_runner_up",
            ctx.lang,
            runner=ctx.official_label(runner),
            difference=score_difference(ctx.lang, score - int(best["score"])),
            why=blocker_text(ctx, runner, nid),
        )
    return item


def _unused_item(ctx: ExplainContext, oid: str) -> Item:
    """Why an official stays home: no need of their fields, a rule, or their best post's
    blocker."""
    arcs = ctx.arcs_of_official(oid)
    if arcs.empty:
        excl = ctx.exclusions_of_official(oid)
        if excl.empty:
            code, why = "no_matching_need", text("explain.no_matching_need", ctx.lang)
        else:
            code = Counter(str(r) for r in excl["rule"]).most_common(1)[0][0]
            why = text(f"rule.{code}", ctx.lang)
        return Item("unused", oid, "", "", code, why=why)
    best = arcs.sort_values("score", ascending=False, kind="stable").iloc[0]
    nid = str(best["need_id"])
    why = text(
        "explain.best_post",
        ctx.lang,
        need=ctx.need_label(nid),
        why=blocker_text(ctx, oid, nid),
    )
    return Item("unused", oid, "", "", blocker(ctx, oid, nid), why=why)


# -- the re-solves ---------------------------------------------------------------------


def _resolve_costs(
    ctx: ExplainContext, items: list[Item], seconds: float, deadline: float | None
) -> None:
    """Re-solve each item's change on its part alone, part by part (one model per part)."""
    s, arcs = ctx.s, ctx.arcs
    chosen = ctx.chosen
    parts = independent_parts(s, arcs, batch_arcs=0)
    part_of_arc = np.full(len(arcs), -1, dtype=np.int64)
    for k, p in enumerate(parts):
        part_of_arc[p.arcs] = k
    o_idx = arcs["o_idx"].to_numpy(np.int64)
    n_idx = arcs["n_idx"].to_numpy(np.int64)
    part_of_need = {int(n): int(k) for n, k in zip(n_idx, part_of_arc, strict=True)}
    part_of_official = {int(o): int(k) for o, k in zip(o_idx, part_of_arc, strict=True)}
    need_pos = {n.need_id: i for i, n in enumerate(s.needs)}
    official_pos = {o.official_id: i for i, o in enumerate(s.officials)}
    filled = np.bincount(n_idx[chosen], minlength=len(s.needs))
    # Costs must be exact: no gap limit; wall-clock limits per re-solve.
    options = s.options.model_copy(update={"relative_gap": 0.0, "deterministic": False})
    # Questions grouped by part: each part's model is built once.
    asked: dict[int, list[tuple[Item, Change]]] = {}
    for it in items:
        if it.kind == "assignment":
            pos = ctx.arc_position(it.official_id, it.need_id)
            asked.setdefault(int(part_of_arc[pos]), []).append((it, Change("forbid", pos)))
        elif it.kind == "unmet":
            n = need_pos[it.need_id]
            assert it.extra_slots is not None
            change = Change("fill", n, int(filled[n]) + it.extra_slots)
            if n in part_of_need:
                asked.setdefault(part_of_need[n], []).append((it, change))
            else:
                it.cost_status = "impossible"
        else:
            o = official_pos[it.official_id]
            if o in part_of_official:
                asked.setdefault(part_of_official[o], []).append((it, Change("send", o)))
            else:
                it.cost_status = "impossible"
    # One single-worker re-solve per core at a time (CP-SAT releases the GIL while it
    # searches); results are recorded in the items' order, so the frame does not
    # depend on which thread finished first.
    with ThreadPoolExecutor(max(1, available_cores())) as pool:
        for k in sorted(asked):
            part, questions = parts[k], asked[k]
            base_value = int(arcs["score"].to_numpy()[part.arcs][chosen[part.arcs]].sum())
            answers: list[Answer | None] = [None] * len(questions)
            if not network_obstacles(s, arcs.iloc[part.arcs], part):
                # A pure network: exact answers by residual cycles, no solver run.
                network = NetworkResolver(s, arcs, part, chosen)
                answers = network.answer_all([change for _, change in questions])
            rest = [i for i, a in enumerate(answers) if a is None]
            if rest:
                resolver = PartResolver(s, arcs, part, chosen, options, seconds, deadline)
                for i, a in zip(
                    rest, pool.map(resolver.answer, [questions[i][1] for i in rest]), strict=True
                ):
                    answers[i] = a
            for (it, _), answer in zip(questions, answers, strict=True):
                if answer is None:  # the time limit of explain_all ran out first
                    it.cost_status = "skipped"
                else:
                    _record(ctx, it, answer, base_value, chosen)


def _record(
    ctx: ExplainContext, it: Item, answer: Answer, base_value: int, chosen: np.ndarray
) -> None:
    """Fill an item's cost, alternative and moves from its part's re-solve."""
    if answer.status not in SOLVED:
        it.cost_status = "impossible" if answer.status == "infeasible" else "unknown"
        return
    assert answer.value is not None and answer.picked is not None
    it.cost = base_value - answer.value
    it.cost_low = it.cost if answer.bound is None else base_value - int(np.floor(answer.bound))
    it.cost_status = "exact" if answer.status == "optimal" else "bound"
    # Only the part changes: compare the base plan and the answer on its arcs.
    part = answer.part_arcs
    new = np.zeros(len(chosen), dtype=bool)
    new[answer.picked] = True
    was, now = chosen[part], new[part]
    oid_col, nid_col = ctx.pair_ids
    added = [(oid_col[i], nid_col[i]) for i in part[now & ~was]]
    removed = [(oid_col[i], nid_col[i]) for i in part[was & ~now]]
    if it.kind == "assignment":
        direct_add = [p for p in added if p[1] == it.need_id]
        direct_rm = [(it.official_id, it.need_id)]
        it.alternative = tuple(o for o, _ in direct_add)
    elif it.kind == "unmet":
        direct_add = [p for p in added if p[1] == it.need_id]
        direct_rm = []
        it.alternative = tuple(o for o, _ in direct_add)
    else:
        direct_add = [p for p in added if p[0] == it.official_id]
        direct_rm = []
        it.alternative = tuple(n for _, n in direct_add)
    it.moves = tuple(
        [f"+{o}->{n}" for o, n in sorted(added) if (o, n) not in direct_add]
        + [f"-{o}->{n}" for o, n in sorted(removed) if (o, n) not in direct_rm]
    )


# -- words, from the row --------------------------------------------------------------


def row_text(
    ctx: ExplainContext,
    it: Item,
    seconds: float,
    time_limit_s: float | None,
    *,
    base_optimal: bool,
) -> str:
    """The row in words (``ctx.lang``): what it is, why, and what the change would cost."""
    lg: Lang = ctx.lang
    parts: list[str] = []
    if it.kind == "assignment":
        parts.append(
            text(
                "explain.assignment",
                lg,
                official=ctx.official_label(it.official_id),
                need=ctx.need_label(it.need_id),
                score=it.score,
            )
        )
        if it.reason in ("only_candidate", "best_score"):
            parts.append(text(f"explain.{it.reason}", lg))
        else:
            parts.append(it.why)
    elif it.kind == "unmet":
        missing = int(
            ctx.plan.unmet.loc[ctx.plan.unmet["need_id"] == it.need_id].iloc[0]["missing_slots"]
        )
        parts.append(
            text(
                "explain.unmet",
                lg,
                need=ctx.need_label(it.need_id),
                slot=it.extra_slots,
                missing=missing,
                why=it.why,
            )
        )
    else:
        parts.append(
            text("explain.unused", lg, official=ctx.official_label(it.official_id), why=it.why)
        )
    parts.append(_cost_text(ctx, it, seconds, time_limit_s))
    if not base_optimal and it.cost is not None:
        parts.append(text("explain.base_not_optimal", lg))
    return " ".join(p for p in parts if p)


def _cost_text(ctx: ExplainContext, it: Item, seconds: float, time_limit_s: float | None) -> str:
    lg = ctx.lang
    if it.cost_status == "skipped":
        return text("explain.cost_skipped", lg, limit=time_limit_s)
    if it.cost_status == "unknown":
        return text("explain.cost_unknown", lg, seconds=seconds)
    if it.cost_status == "impossible":
        if it.kind == "assignment":
            return text("explain.impossible_forbid", lg)
        few = it.kind == "unmet" and it.reason == "no_eligible_candidate"
        why = text("explain.too_few_candidates" if few else "explain.hard_rules", lg)
        if (
            it.kind == "unused"
            and it.cost is None
            and not len(ctx.arcs_of_official(it.official_id))
        ):
            why = text("explain.no_eligible_post", lg)
        key = "explain.impossible_fill" if it.kind == "unmet" else "explain.impossible_send"
        return text(key, lg, extra=it.extra_slots, why=why)
    values: dict[str, Any] = {"cost": it.cost, "extra": it.extra_slots}
    who = ", ".join(ctx.official_label(o) for o in it.alternative if it.kind != "unused")
    if it.kind == "assignment":
        alt = text("explain.takes_post", lg, who=who) if who else text("explain.stays_empty", lg)
        sentence = text("explain.forbid_cost", lg, alternative=alt, **values)
    elif it.kind == "unmet":
        sentence = text(
            "explain.fill_cost", lg, alternative=text("explain.would_fill", lg, who=who), **values
        )
    else:
        where = ", ".join(ctx.need_label(n) for n in it.alternative)
        sentence = text("explain.send_cost", lg, alternative=where, **values)
    if it.moves:
        sentence += " " + text("explain.moves", lg, moves="; ".join(it.moves)) + "."
    if it.cost_status == "bound":
        sentence += " " + text(
            "explain.cost_bound", lg, seconds=seconds, low=it.cost_low, cost=it.cost
        )
    return sentence
