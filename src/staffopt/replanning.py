"""Re-planning with the least change: a new plan that keeps the previous one where it can.

The scenario changed (someone quit or went on leave, a need was added,
removed or resized, a rule or a weight changed) and the planner wants a new
plan that moves as few people as possible. :func:`replan` solves the new
scenario with each arc that is a pair of the previous plan marked ``kept``
(:func:`staffopt.solver.solve` with ``previous``):

* ``keep="first"``: a first stage keeps the most previous pairs still
  allowed, then the policy's goals (the score) among the plans keeping that
  many; exact and lexicographic like ``Policy.goals``, each stage proven or
  its gap reported in ``plan.stages``.
* ``keep=<points>``: each kept pair earns that many points in the search;
  ``plan.objective`` stays the true score and :attr:`Replan.bonus` is reported
  apart (``keep=0`` is a fresh solve's score).

:attr:`Replan.diff` says, per official of either plan, what changed and why.
Rows are per (official, need): a need the official keeps is a ``kept`` row;
the needs they leave and the needs they take, each in id order, are paired
into ``moved`` rows (``need_before`` -> ``need_after``); what is left over is
``dropped`` (no ``need_after``) or ``added`` (no ``need_before``). A
part-time official on two needs who keeps one and trades the other has one
``kept`` and one ``moved`` row.

The ``reason`` of a row that is not kept, first that applies:

* why the previous pair could not stay (``official_left``,
  ``official_unavailable``, ``need_removed``, ``need_shrank``,
  ``rule_excludes`` with the rule);
* ``freed_by``: a chain, with ``by`` the official whose change caused it:
  the previous need was taken by ``by``, who had lost their own previous
  post (by force, or in a chain that starts with one); or the need taken was
  left by ``by`` so. A swap made by choice is no chain;
* ``trade_off``: the previous pair was still possible; the goals (or the
  keep points) preferred this plan;
* ``new_place`` (added rows): a place the previous plan left empty, or a new need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import pandas as pd

from staffopt.errors import Problem, ScenarioError
from staffopt.rules import exclusion_detail
from staffopt.schema import Policy, Scenario
from staffopt.schema.limits import MAX_POINTS
from staffopt.texts import Phrase, text

if TYPE_CHECKING:
    from staffopt.plan import Plan

Keep = Literal["first"] | int
Change = Literal["kept", "moved", "added", "dropped"]
CHANGES: tuple[Change, ...] = get_args(Change)
ReplanReason = Literal[
    "kept",
    "official_left",
    "official_unavailable",
    "need_removed",
    "need_shrank",
    "rule_excludes",
    "freed_by",
    "trade_off",
    "new_place",
    "extended",
    "term_limit",
]
REPLAN_REASONS: tuple[ReplanReason, ...] = get_args(ReplanReason)
#: Reasons that say the previous pair could not stay.
FORCED: frozenset[ReplanReason] = frozenset(
    {
        "official_left",
        "official_unavailable",
        "need_removed",
        "need_shrank",
        "rule_excludes",
        "term_limit",
    }
)
#: The columns of :attr:`Replan.diff` (and of diff.csv).
DIFF_COLUMNS = ["official_id", "need_before", "need_after", "change", "reason", "by", "text"]

Pair = tuple[str, str]


@dataclass(frozen=True)
class Why:
    """A row's reason and what its sentence names (the need, the other official, the rule)."""

    reason: ReplanReason
    need: str = ""
    by: str = ""
    #: ``rule_excludes``: (rule code, value, limit) of each exclusion; empty = no skill.
    rules: tuple[tuple[str, float, float], ...] = ()
    slots: int = 0

    def text(self, official: str, lang: str) -> str:
        rule = "; ".join(exclusion_detail(c, v, lim, lang) for c, v, lim in self.rules)
        if self.reason in ("rule_excludes", "term_limit") and not self.rules:
            rule = text("replan.no_field", lang)
        return text(
            f"replan_reason.{self.reason}",
            lang,
            official=official,
            need=self.need,
            by=self.by,
            rule=rule,
            slots=self.slots,
        )


@dataclass(frozen=True)
class DiffRow:
    official_id: str
    need_before: str
    need_after: str
    change: Change
    why: Why


@dataclass
class Replan:
    """The new plan and, per official of either plan, what changed and why."""

    previous: Plan
    plan: Plan
    rows: list[DiffRow]
    keep: Keep
    lang: str = "en"
    #: A next round's scenario (history added, round moved on; None otherwise):
    #: no input file holds it, so :meth:`save` writes it beside the plan.
    round_scenario: Scenario | None = None

    @property
    def diff(self) -> pd.DataFrame:
        """One row per (official, need) of either plan (:data:`DIFF_COLUMNS`), text in ``lang``."""
        return diff_frame(self.rows, self.lang)

    @property
    def kept(self) -> int:
        """Previous assignments the new plan keeps."""
        return sum(r.change == "kept" for r in self.rows)

    @property
    def bonus(self) -> int:
        """The keep points the search counted on top of the score (0 with ``keep="first"``)."""
        return 0 if self.keep == "first" else self.keep * self.kept

    def counts(self) -> dict[Change, int]:
        """Rows per change, every change named (0 when none)."""
        return {c: sum(r.change == c for r in self.rows) for c in CHANGES}

    def text(self, lang: str | None = None) -> str:
        """The summary line, the bonus (keep points), then every row that is not kept."""
        lang = lang or self.lang
        counts = self.counts()
        lines = [
            text(
                "replan.summary",
                lang,
                kept=counts["kept"],
                previous=len(self.previous.assignments),
                moved=counts["moved"],
                added=counts["added"],
                dropped=counts["dropped"],
                old=_number(self.previous.objective),
                new=_number(self.plan.objective),
            )
        ]
        if self.keep != "first":
            lines.append(text("replan.bonus", lang, bonus=self.bonus, points=self.keep))
        changed = [r for r in self.rows if r.change != "kept"]
        if changed:
            lines.append(text("replan.header", lang))
            for r in changed:
                change = text(f"replan_change.{r.change}", lang)
                before, after = r.need_before or "-", r.need_after or "-"
                why = r.why.text(r.official_id, lang)
                lines.append(f"{r.official_id} | {before} | {after} | {change} | {why}")
        return "\n".join(lines)

    def save(self, directory: str | Path, *, lang: str | None = None) -> Path:
        """The plan folder with ``diff.csv`` beside the plan, whole or not at all; a
        next round's scenario in its ``scenario/`` folder
        (:data:`staffopt.plan.ROUND_SCENARIO_DIR`), the one to explain, report on or
        check the new plan against."""
        lang = lang or self.lang
        return self.plan.save(
            directory,
            lang=lang,
            tables={"diff": diff_frame(self.rows, lang)},
            scenario=self.round_scenario,
        )

    def to_excel(self, path: str | Path, lang: str | None = None) -> Path:
        """The planner's workbook with the diff as one more sheet."""
        from staffopt.report import plan_to_excel

        lang = lang or self.lang
        return plan_to_excel(self.plan, Path(path), lang, {"diff": diff_frame(self.rows, lang)})


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def diff_frame(rows: list[DiffRow], lang: str = "en") -> pd.DataFrame:
    """The diff rows as a DataFrame (:data:`DIFF_COLUMNS`), each reason worded in ``lang``."""
    return pd.DataFrame(
        [
            [
                r.official_id,
                r.need_before,
                r.need_after,
                r.change,
                r.why.reason,
                r.why.by,
                r.why.text(r.official_id, lang),
            ]
            for r in rows
        ],
        columns=DIFF_COLUMNS,
        dtype=str,
    )


def keep_problem(keep: object) -> Problem | None:
    """Why ``keep`` is not ``"first"`` or a whole number of points from 0 to MAX_POINTS."""
    if keep == "first":
        return None
    if isinstance(keep, int) and not isinstance(keep, bool) and 0 <= keep <= MAX_POINTS:
        return None
    return Problem(
        "keep",
        Phrase("problem.replan_keep"),
        expected=Phrase("expected.replan_keep", limit=MAX_POINTS),
        found=repr(keep),
        source="replan keep",
    )


def replan(
    scenario: Scenario,
    previous: Plan | str | Path,
    policy: Policy | None = None,
    *,
    keep: Keep = "first",
    time_limit_s: float | None = None,
    lang: str = "en",
    next_round: bool = False,
) -> Replan:
    """A new plan for ``scenario`` that keeps as much of ``previous`` as ``keep`` asks.

    ``previous`` is a Plan or a plan folder (:func:`staffopt.plan.load_plan`);
    it may name officials and needs the scenario no longer has: those pairs
    simply cannot be kept, and the diff says why. ``keep``: ``"first"`` (the
    most previous pairs, then the best score) or a whole number of points per
    kept pair (0 to ``MAX_POINTS``); anything else raises a ScenarioError
    naming ``keep``. ``lang`` words the diff's ``text`` column.

    ``next_round=True``: ``previous`` is the round before, now history
    (:func:`next_round_scenario`): its months are added to each person's
    ``months_seconded_before`` and the round starts after it, so the ``term``
    rule decides who may be extended and ``keep`` favours those who may.
    """
    from staffopt.plan import load_plan
    from staffopt.solver import solve

    problem = keep_problem(keep)
    if problem is not None:
        raise ScenarioError([problem])
    if isinstance(previous, (str, Path)):
        previous = load_plan(Path(previous))
    before = _pairs(previous.assignments)
    if next_round:
        scenario = next_round_scenario(scenario, previous, policy)
        policy = None  # the moved round_start is in the scenario's policy now
    new = solve(scenario, policy, time_limit_s=time_limit_s, previous=before, keep=keep)
    rows = diff_rows(scenario, new, before, next_round=next_round) if new.ok else []
    return Replan(previous, new, rows, keep, lang, scenario if next_round else None)


def history_months(
    scenario: Scenario, previous: Plan, policy: Policy | None = None
) -> dict[str, int]:
    """Per official of ``previous``: the months that plan seconded them.

    Only the previous plan's pairs (official_id, need_id) count, never its
    saved scenario or policy. A need's months are its term months
    (:func:`staffopt.allowance.term_months`, as the ``term`` rule and the
    allowance cost count them) in ``scenario``, the new one, because a plan
    folder does not carry them; a need the new scenario no longer has counts
    the policy's ``round_months``. The needs of one official run side by side
    in one round (part-time support), so an official counts the longest, not
    the sum.
    """
    from staffopt.allowance import term_months

    policy = policy or scenario.policy
    months = dict(
        zip(
            (n.need_id for n in scenario.needs),
            (int(m) for m in term_months(scenario, policy)),
            strict=True,
        )
    )
    served: dict[str, int] = {}
    for o, n in _pairs(previous.assignments):
        served[o] = max(served.get(o, 0), months.get(n, policy.round_months))
    return served


def next_round_scenario(
    scenario: Scenario, previous: Plan, policy: Policy | None = None
) -> Scenario:
    """``scenario`` as the round after ``previous``: history added, the round moved on.

    Each official's months in ``previous`` (:func:`history_months`) are added
    to their ``months_seconded_before``, and their ``current_communes`` become
    the communes ``previous`` sends them to (none for those it leaves at home):
    a pair kept in the new round pays no second one-off allowance. When the
    previous plan saved a policy with a ``round_start``, the new policy's
    ``round_start`` is that date plus the previous ``round_months``; otherwise
    (no saved policy, or no round_start in it) the new policy's own ``round_start`` stands. Needs
    with their own ``start`` keep it. ``policy`` (else the scenario's) is the
    new round's policy. The inputs are not modified.
    """
    from staffopt.rules import add_months
    from staffopt.schema.records import MAX_MONTHS

    policy = policy or scenario.policy
    served = history_months(scenario, previous, policy)
    # Where each official serves as the new round opens: kept there, no new
    # one-off allowance is due (allowance.arc_costs).
    serving: dict[str, list[str]] = {}
    for oid, cid in zip(
        previous.assignments["official_id"], previous.assignments["commune_id"], strict=True
    ):
        serving.setdefault(str(oid), []).append(str(cid))
    officials = tuple(
        o.model_copy(
            update={
                "months_seconded_before": min(
                    MAX_MONTHS, o.months_seconded_before + served.get(o.official_id, 0)
                ),
                "current_communes": tuple(dict.fromkeys(serving.get(o.official_id, []))),
            }
        )
        for o in scenario.officials
    )
    old = previous.policy
    if old is not None and old.round_start is not None:
        policy = policy.model_copy(
            update={"round_start": add_months(old.round_start, old.round_months)}
        )
    return scenario.replace(officials=officials, policy=policy)


def _pairs(assignments: pd.DataFrame) -> list[Pair]:
    return [
        (str(o), str(n))
        for o, n in zip(assignments["official_id"], assignments["need_id"], strict=True)
    ]


def _holders(pairs: list[Pair]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(needs by official, officials by need), each in id order."""
    needs: dict[str, list[str]] = {}
    people: dict[str, list[str]] = {}
    for o, n in sorted(pairs):
        needs.setdefault(o, []).append(n)
        people.setdefault(n, []).append(o)
    return needs, people


def diff_rows(
    scenario: Scenario, plan: Plan, before: list[Pair], *, next_round: bool = False
) -> list[DiffRow]:
    """The diff of ``before`` (the previous plan's pairs) and ``plan`` (solved on ``scenario``).

    ``next_round``: ``before`` is the round before, so a kept pair is
    ``extended`` (the person serves one more round in the same place).
    """
    stayed: ReplanReason = "extended" if next_round else "kept"
    after = _pairs(plan.assignments)
    ctx = _Context(scenario, plan, before, after)
    rows: list[DiffRow] = []
    for o in sorted(set(ctx.needs_before) | set(ctx.needs_after)):
        was, now = ctx.needs_before.get(o, []), ctx.needs_after.get(o, [])
        stay = [n for n in was if n in now]
        left = [n for n in was if n not in now]
        took = [n for n in now if n not in was]
        rows += [DiffRow(o, n, n, "kept", Why(stayed, need=n)) for n in stay]
        for b, a in zip(left, took, strict=False):
            rows.append(DiffRow(o, b, a, "moved", ctx.moved(o, b, a)))
        rows += [DiffRow(o, b, "", "dropped", ctx.departure(o, b)) for b in left[len(took) :]]
        rows += [DiffRow(o, "", a, "added", ctx.arrival(o, a)) for a in took[len(left) :]]
    return rows


class _Context:
    """What the reasons read: the new scenario, its arcs and exclusions, both plans' pairs."""

    def __init__(
        self, scenario: Scenario, plan: Plan, before: list[Pair], after: list[Pair]
    ) -> None:
        self.scenario = scenario
        self.needs_before, self.people_before = _holders(before)
        self.needs_after, self.people_after = _holders(after)
        self.pairs_before, self.pairs_after = set(before), set(after)
        self.arcs: set[Pair] = set()
        if plan.arcs is not None:
            self.arcs = set(zip(plan.arcs["official_id"], plan.arcs["need_id"], strict=True))
        self.excluded: dict[Pair, list[tuple[str, float, float]]] = {}
        if plan.exclusions is not None:
            e = plan.exclusions
            for o, n, rule, value, limit in zip(
                e["official_id"], e["need_id"], e["rule"], e["value"], e["limit"], strict=True
            ):
                self.excluded.setdefault((o, n), []).append((str(rule), float(value), float(limit)))

    def forced(self, o: str, b: str) -> Why | None:
        """Why the previous pair (o, b) could not stay, or None if it still could."""
        official = self.scenario.official_by_id.get(o)
        need = self.scenario.need_by_id.get(b)
        if official is None:
            return Why("official_left", need=b)
        if not official.available:
            return Why("official_unavailable", need=b)
        if need is None:
            return Why("need_removed", need=b)
        if need.slots < len(self.people_before.get(b, [])):
            return Why("need_shrank", need=b, slots=need.slots)
        if (o, b) not in self.arcs:
            rules = tuple(self.excluded.get((o, b), []))
            # Months past the limit (the term rule with a number) means the
            # person's secondment is over: they return home, whatever else applies.
            term = tuple(r for r in rules if r[0] == "term" and r[1] == r[1])
            if term:
                return Why("term_limit", need=b, rules=term)
            return Why("rule_excludes", need=b, rules=rules)
        return None

    def pushed_out(self, x: str, seen: frozenset[str]) -> bool:
        """Whether ``x`` lost a previous pair by force or in a chain that starts with one."""
        if x in seen:
            return False  # a swap by choice is no chain
        return any(
            self.departure(x, n, seen | {x}).reason != "trade_off"
            for n in self.needs_before.get(x, [])
            if (x, n) not in self.pairs_after
        )

    def departure(self, o: str, b: str, seen: frozenset[str] = frozenset()) -> Why:
        """Why the previous pair (o, b) is not in the new plan: forced, a chain, or a choice."""
        forced = self.forced(o, b)
        if forced is not None:
            return forced
        for x in self.people_after.get(b, []):
            if (x, b) not in self.pairs_before and self.pushed_out(x, seen | {o}):
                return Why("freed_by", need=b, by=x)
        return Why("trade_off", need=b)

    def arrival(self, o: str, a: str) -> Why:
        """Why ``o`` takes need ``a``: a place someone had to leave, or an empty or new place."""
        for y in self.people_before.get(a, []):
            if (y, a) in self.pairs_after or y == o:
                continue
            if self.departure(y, a, frozenset({o})).reason != "trade_off":
                return Why("freed_by", need=a, by=y)
        return Why("new_place", need=a)

    def moved(self, o: str, b: str, a: str) -> Why:
        """A move: why the official left ``b`` if they had to or a chain pushed them,
        else the chain that opened ``a``, else a trade-off."""
        gone = self.departure(o, b)
        if gone.reason in FORCED or gone.reason == "freed_by":
            return gone
        came = self.arrival(o, a)
        return came if came.reason == "freed_by" else gone
