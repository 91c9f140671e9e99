"""What a change would cost: re-solve with extra locks or forbids and compare.

A planner asks "what if Lò Văn A went to Sín Thầu instead?" or "what if we
keep B at home?". :func:`what_if` adds those decisions as locks / forbids,
solves again with the same policy, and reports the change in total score
and which assignments move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from staffopt.schema import Lock

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

    @property
    def delta(self) -> float | None:
        """New objective minus old (negative = the change costs score points)."""
        if self.plan.objective is None or self.base.objective is None:
            return None
        return self.plan.objective - self.base.objective

    def text(self, lang: str = "en") -> str:
        vi = lang == "vi"
        asked = [f"lock {o} -> {n}" for o, n in self.locks]
        asked += [f"forbid {o} -> {n}" for o, n in self.forbids]
        lines = [("Thay đổi: " if vi else "Change: ") + "; ".join(asked)]
        if not self.plan.ok:
            lines.append(
                ("Không khả thi: " if vi else "Not possible: ")
                + (self.plan.message or self.plan.status)
            )
            return "\n".join(lines)
        delta = self.delta
        assert delta is not None
        filled_old = self.base.metrics.get("slots_filled", 0)
        filled_new = self.plan.metrics.get("slots_filled", 0)
        if vi:
            lines.append(
                f"Tổng điểm {self.base.objective:g} -> {self.plan.objective:g} ({delta:+g}); "
                f"vị trí được bố trí {filled_old} -> {filled_new}"
            )
        else:
            lines.append(
                f"Total score {self.base.objective:g} -> {self.plan.objective:g} ({delta:+g}); "
                f"slots filled {filled_old} -> {filled_new}"
            )
        for label, pairs in (("+", self.added), ("-", self.removed)):
            for o, n in pairs:
                lines.append(f"  {label} {o} -> {n}")
        if self.plan.status != "optimal":
            lines.append(
                "(chưa chứng minh tối ưu)"
                if vi
                else "(not proven optimal: the delta is an estimate)"
            )
        return "\n".join(lines)


def what_if(
    plan: Plan,
    *,
    lock: Iterable[Pair] = (),
    forbid: Iterable[Pair] = (),
    time_limit_s: float | None = None,
) -> WhatIf:
    """Re-solve ``plan``'s scenario with extra locks and forbids; compare the plans.

    A new lock or forbid replaces any existing row for the same pair.
    """
    from staffopt.solver import solve

    scenario = plan.require_scenario()
    locks, forbids = list(lock), list(forbid)
    changed = set(locks) | set(forbids)
    kept = [lk for lk in scenario.locks if (lk.official_id, lk.need_id) not in changed]
    extra = [Lock(official_id=o, need_id=n, kind="lock") for o, n in locks]
    extra += [Lock(official_id=o, need_id=n, kind="forbid") for o, n in forbids]
    # Validate the ids through the Scenario itself: unknown ids raise ScenarioError.
    changed_scenario = type(scenario).model_validate({**dict(scenario), "locks": (*kept, *extra)})
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
    )
