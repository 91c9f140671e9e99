"""The check of ``Policy.stability = "required"``: the plan leaves no blocking pair;
and the recount of the objective term ``blocking_pairs`` (``"preferred"``).

The checker's own code, not :mod:`staffopt.stability` nor the planner's
preferences: the pairs that may be chosen are every (official, need) of
matching field that passes the checker's rule checks, each with the score
of :func:`~staffopt.checker.pair_checks.score_terms` and the checker's road
km. On those, by the documented definition:

* an official ranks needs by the rank of the need's commune in the
  official's wishes (unlisted communes after every listed one), then by km,
  then by need_id; a need ranks officials by score (higher first), then by
  official_id;
* an official would rather have a need when unused, or when it ranks above
  the official's worst post; a need would rather have an official when it
  has a free slot, or when the official ranks above its worst holder;
* a post that is no such pair ranks below every pair, for both sides;
* a blocking pair is a pair not held where both would rather.
"""

from __future__ import annotations

import math
from collections import Counter

from staffopt.checker.context import CheckContext, Pair, Row, as_float, close, num
from staffopt.checker.goal_checks import ELIGIBILITY_CHECKS
from staffopt.checker.goal_checks import check_objective_terms_mismatch as check_row_terms
from staffopt.checker.pair_checks import (
    score_terms,
)
from staffopt.checker.violation import Violation

#: Every pair check that is an eligibility rule: a pair passing all may be chosen
#: (a blocking pair must be a pair the planner could choose).
RULE_CHECKS = ELIGIBILITY_CHECKS

OfficialKey = tuple[float, float, str]
NeedKey = tuple[float, str]
#: Where a post that is no eligible pair ranks: below every pair.
_LAST_OFFICIAL: OfficialKey = (math.inf, math.inf, "\U0010ffff")
_LAST_NEED: NeedKey = (math.inf, "\U0010ffff")


def eligible_pairs(ctx: CheckContext) -> dict[tuple[str, str], tuple[OfficialKey, NeedKey]]:
    """Every pair that passes the rule checks, with both sides' sort keys."""
    wish = {(w.official_id, w.commune_id): w.rank for w in ctx.scenario.wishes}
    out: dict[tuple[str, str], tuple[OfficialKey, NeedKey]] = {}
    for o in ctx.scenario.officials:
        for n in ctx.scenario.needs:
            if n.field not in o.skills:
                continue
            c = ctx.communes[n.commune_id]
            km, source = ctx.road_km(o, c)
            row = Row(0, o.official_id, n.need_id, c.commune_id, n.field, km, math.nan, n.workload)
            pair = Pair(row, o, n, c, ctx.agencies[o.agency_id], km, source)
            if any(check(ctx, pair) is not None for check in RULE_CHECKS):
                continue
            score = sum(score_terms(ctx, pair) or ())
            rank = wish.get((o.official_id, c.commune_id), math.inf)
            out[(o.official_id, n.need_id)] = ((rank, km, n.need_id), (-score, o.official_id))
    return out


def blocking_found(ctx: CheckContext) -> list[tuple[str, str]]:
    """Every blocking pair of the plan, as (official_id, need_id)."""
    pairs = eligible_pairs(ctx)
    held = {
        (p.official.official_id, p.need.need_id) for p in ctx.pairs
    }  # known ids only: unknown ones are their own violations
    worst_post: dict[str, OfficialKey] = {}
    worst_holder: dict[str, NeedKey] = {}
    for o, n in held:
        o_key, n_key = pairs.get((o, n), (_LAST_OFFICIAL, _LAST_NEED))
        worst_post[o] = max(worst_post.get(o, o_key), o_key)
        worst_holder[n] = max(worst_holder.get(n, n_key), n_key)
    holders: Counter[str] = Counter(n for _, n in held)
    out = []
    for (o, n), (o_key, n_key) in pairs.items():
        if (o, n) in held:
            continue
        official_wants = o not in worst_post or o_key < worst_post[o]
        need_wants = holders[n] < ctx.needs[n].slots or n_key < worst_holder[n]
        if official_wants and need_wants:
            out.append((o, n))
    return out


def check_stability(ctx: CheckContext) -> list[Violation]:
    """Under ``Policy.stability = "required"``: one violation per blocking pair."""
    if ctx.policy.stability != "required":
        return []
    out = []
    for o, n in blocking_found(ctx):
        commune = ctx.needs[n].commune_id
        out.append(
            Violation(
                "stability",
                f"official '{o}' and need '{n}' (commune '{commune}') would both rather "
                "have each other: a blocking pair, which Policy.stability = 'required' "
                "rules out",
                official_id=o,
                need_id=n,
                commune_id=commune,
            )
        )
    return out


def check_objective_terms_mismatch(ctx: CheckContext) -> list[Violation]:
    """Each term the plan reports equals its recount: the terms of the rows
    (``goal_checks``), and ``blocking_pairs`` recounted here.

    ``blocking_pairs`` is checked when the plan reports it: plans that do not
    count it (stability off) claim nothing, and the count reads every pair.
    """
    out = check_row_terms(ctx)
    said = ctx.objective_terms.get("blocking_pairs")
    if said is None:
        return out
    value = len(blocking_found(ctx))
    if close(as_float(said), value):
        return out
    detail = (
        f"objective term 'blocking_pairs' is {num(as_float(said))} in the plan but its "
        f"{len(ctx.rows)} assignments leave {value} blocking pairs"
    )
    return [*out, Violation("objective_terms_mismatch", detail)]
