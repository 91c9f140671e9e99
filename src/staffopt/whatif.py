"""What a change would cost: re-solve with extra locks or forbids and compare.

A planner asks "what if Lò Văn A went to Sín Thầu instead?" or "what if we
keep B at home?". :func:`what_if` adds those decisions as locks / forbids,
solves again with the same policy, and reports the change in total score
and which assignments move. Unknown ids are refused naming the argument; a
lock on a pair no rule lets be an arc says which rule rules it out; a lock
that replaces a planner's forbid says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from staffopt.errors import Problem, ScenarioError
from staffopt.rules import exclusion_detail
from staffopt.schema import Lock, Scenario
from staffopt.texts import Phrase, pick, requirement_text, text

if TYPE_CHECKING:
    from staffopt.plan import Plan

Pair = tuple[str, str]  # (official_id, need_id)


@dataclass
class WhatIf:
    """The outcome of a change: the new plan and how it differs from the old."""

    base: Plan
    plan: Plan
    locks: list[Pair]
    forbids: list[Pair]
    added: list[Pair] = field(default_factory=list)
    removed: list[Pair] = field(default_factory=list)
    #: Locks that replace a forbid the planner had set on the same pair.
    overridden: list[Pair] = field(default_factory=list)
    #: Locks on pairs that are not arcs: the pair -> why (rule codes, or "field").
    not_arcs: dict[Pair, list[tuple[str, float, float]]] = field(default_factory=dict)

    @property
    def delta(self) -> float | None:
        """New objective minus old (negative = the change costs score points)."""
        if self.plan.objective is None or self.base.objective is None:
            return None
        return self.plan.objective - self.base.objective

    def text(self, lang: str = "en") -> str:
        asked = [text("whatif.lock", lang, official=o, need=n) for o, n in self.locks]
        asked += [text("whatif.forbid", lang, official=o, need=n) for o, n in self.forbids]
        lines = [text("whatif.change", lang, items="; ".join(asked))]
        for o, n in self.overridden:
            lines.append("  " + text("whatif.overrides_forbid", lang, official=o, need=n))
        for (o, n), why in self.not_arcs.items():
            reasons = (
                "; ".join(exclusion_detail(code, value, limit, lang) for code, value, limit in why)
                if why
                else text("whatif.no_field", lang)
            )
            lines.append("  " + text("whatif.not_an_arc", lang, official=o, need=n, why=reasons))
        if not self.plan.ok:
            clash = "; ".join(requirement_text(c, lang) for c in self.plan.conflicts)
            clash = clash or text(f"status.{self.plan.status}", lang)
            lines.append(text("whatif.not_possible", lang, why=clash))
            return "\n".join(lines)
        delta = self.delta
        assert delta is not None and self.base.objective is not None
        assert self.plan.objective is not None
        lines.append(
            text(
                "whatif.delta",
                lang,
                old=self.base.objective,
                new=self.plan.objective,
                delta=delta,
                filled_old=self.base.metrics.get("slots_filled", 0),
                filled_new=self.plan.metrics.get("slots_filled", 0),
            )
        )
        for label, pairs in (("+", self.added), ("-", self.removed)):
            for o, n in pairs:
                lines.append(f"  {label} {o} -> {n}")
        if self.plan.status != "optimal":
            lines.append(
                pick(
                    lang,
                    "(not proven optimal: the delta is an estimate)",
                    "(chưa chứng minh tối ưu: mức chênh lệch là ước tính)",
                )
            )
        return "\n".join(lines)


def _unknown_ids(scenario: Scenario, asked: dict[str, list[Pair]]) -> list[Problem]:
    """Every unknown id in the lock / forbid arguments, named by the argument."""
    problems = []
    for argument, pairs in asked.items():
        for k, (o, n) in enumerate(pairs, start=1):
            for column, value, known in (
                ("official_id", o, scenario.official_by_id),
                ("need_id", n, scenario.need_by_id),
            ):
                if value not in known:
                    problems.append(
                        Problem(
                            argument,
                            Phrase(
                                "problem.unknown_in_pair", what=column.removesuffix("_id"), number=k
                            ),
                            column=column,
                            id=value,
                            expected=Phrase("expected.scenario_id", column=column),
                            found=f"'{value}'",
                            source=f"what-if {argument}",
                        )
                    )
    return problems


def what_if(
    plan: Plan,
    *,
    lock: Iterable[Pair] = (),
    forbid: Iterable[Pair] = (),
    time_limit_s: float | None = None,
) -> WhatIf:
    """Re-solve ``plan``'s scenario with extra locks and forbids; compare the plans.

    A new lock or forbid replaces any existing row for the same pair. Unknown
    ids raise one ScenarioError naming the argument (``lock``, ``forbid``).
    """
    from staffopt.solver import solve

    scenario = plan.require_scenario()
    locks, forbids = list(lock), list(forbid)
    problems = _unknown_ids(scenario, {"lock": locks, "forbid": forbids})
    if problems:
        raise ScenarioError(problems)
    changed = set(locks) | set(forbids)
    planner_forbids = {(lk.official_id, lk.need_id) for lk in scenario.locks if lk.kind == "forbid"}
    kept = [lk for lk in scenario.locks if (lk.official_id, lk.need_id) not in changed]
    extra = [Lock(official_id=o, need_id=n, kind="lock") for o, n in locks]
    extra += [Lock(official_id=o, need_id=n, kind="forbid") for o, n in forbids]
    changed_scenario = scenario.replace(locks=(*kept, *extra))
    policy = plan.policy or scenario.policy
    old_pairs = set(zip(plan.assignments["official_id"], plan.assignments["need_id"], strict=True))
    # Among the best plans under the change, keep as much of the old plan as possible.
    new = solve(changed_scenario, policy, time_limit_s=time_limit_s, prefer=old_pairs)
    new_pairs = set(zip(new.assignments["official_id"], new.assignments["need_id"], strict=True))
    return WhatIf(
        base=plan,
        plan=new,
        locks=locks,
        forbids=forbids,
        added=sorted(new_pairs - old_pairs),
        removed=sorted(old_pairs - new_pairs),
        overridden=[p for p in locks if p in planner_forbids],
        not_arcs=_why_not_arcs(new, locks),
    )


def _why_not_arcs(plan: Plan, locks: list[Pair]) -> dict[Pair, list[tuple[str, float, float]]]:
    """For each lock that is not an arc of the changed scenario: the rules that exclude it.

    An empty list means the pair is not even a candidate: the official has no
    skill in the need's field (or works for another province).
    """
    if plan.arcs is None or plan.exclusions is None or not locks:
        return {}
    arcs = set(zip(plan.arcs["official_id"], plan.arcs["need_id"], strict=True))
    e = plan.exclusions
    excluded = {
        (o, n): (str(rule), float(value), float(limit))
        for o, n, rule, value, limit in zip(
            e["official_id"], e["need_id"], e["rule"], e["value"], e["limit"], strict=True
        )
    }
    return {
        pair: [excluded[pair]] if pair in excluded else [] for pair in locks if pair not in arcs
    }
