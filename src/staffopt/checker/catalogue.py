"""The catalogue of checks (:data:`CHECKS`) and :func:`check`, which runs it.

Adding a check is one function (in :mod:`~staffopt.checker.pair_checks` or
:mod:`~staffopt.checker.plan_checks`, named ``check_<code>``), one entry here
and one test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from staffopt.checker.context import CheckContext, Pair, Row, read_plan
from staffopt.checker.goal_checks import (
    check_commune_floor,
    check_zone_coverage_floor,
)
from staffopt.checker.pair_checks import (
    check_commune_mismatch,
    check_cost_mismatch,
    check_distance_mismatch,
    check_field_mismatch,
    check_forbidden,
    check_home,
    check_language,
    check_load_mismatch,
    check_local_only,
    check_max_km,
    check_other_province,
    check_personal_max_km,
    check_protected,
    check_record,
    check_score_mismatch,
    check_skill_level,
    check_term,
    check_unavailable,
    check_unknown_need,
    check_unknown_official,
    check_workload,
)
from staffopt.checker.plan_checks import (
    check_agency_ceiling,
    check_agency_floor,
    check_budget,
    check_duplicate_assignment,
    check_lock,
    check_mandatory_need,
    check_max_communes,
    check_max_km_between,
    check_need_slots,
    check_objective_mismatch,
    check_official_capacity,
    check_unmet_mismatch,
)
from staffopt.checker.stability_checks import check_objective_terms_mismatch, check_stability
from staffopt.checker.violation import Violation
from staffopt.schema import Scenario

RowFunction = Callable[[CheckContext, Row], Violation | None]
PairFunction = Callable[[CheckContext, Pair], Violation | None]
PlanFunction = Callable[[CheckContext], list[Violation]]


@dataclass(frozen=True)
class Check:
    """One hard rule the checker verifies: its ``code`` (the ``rule`` of its
    violations), a one-line ``description`` and the ``function`` that looks,
    named ``check_<code>``.

    An entry of :data:`CHECKS` is a :class:`RowCheck`, :class:`PairCheck` or
    :class:`PlanCheck`, which says what the function is given.
    """

    code: str
    description: str
    function: Callable[..., Any]


@dataclass(frozen=True)
class RowCheck(Check):
    """Run on each assignment row, whether its ids are known or not."""

    function: RowFunction


@dataclass(frozen=True)
class PairCheck(Check):
    """Run on each row whose official and need both exist."""

    function: PairFunction


@dataclass(frozen=True)
class PlanCheck(Check):
    """Run once on the whole plan."""

    function: PlanFunction


#: Every check, in catalogue order. :func:`check` runs the row checks on each
#: row, then the pair checks on each pair, then the plan checks, each group in
#: this order.
CHECKS: tuple[Check, ...] = (
    RowCheck(
        "unknown_official",
        "an assignment names an official who is not in the scenario",
        check_unknown_official,
    ),
    RowCheck(
        "unknown_need",
        "an assignment (or unmet row) names a need that is not in the scenario",
        check_unknown_need,
    ),
    PlanCheck(
        "duplicate_assignment",
        "the same official is assigned to the same need more than once",
        check_duplicate_assignment,
    ),
    PairCheck(
        "commune_mismatch",
        "an assignment's commune_id differs from its need's commune",
        check_commune_mismatch,
    ),
    PairCheck(
        "field_mismatch",
        "an assignment's field differs from its need's field, "
        "or the official has no skill in that field",
        check_field_mismatch,
    ),
    PairCheck("unavailable", "the official is marked not available", check_unavailable),
    PairCheck("forbidden", "a locks row with kind 'forbid' rules the pair out", check_forbidden),
    PairCheck(
        "protected",
        "the official is protected (pregnant or raising a child under 36 months) "
        "and the policy does not let them be seconded",
        check_protected,
    ),
    PairCheck(
        "skill_level",
        "the official's level in the field is below the need's min_level",
        check_skill_level,
    ),
    PairCheck(
        "workload",
        "the need's workload exceeds the official's capacity",
        check_workload,
    ),
    PairCheck(
        "other_province",
        "the official's agency sends only within its province, and the commune is in another",
        check_other_province,
    ),
    PairCheck("max_km", "the distance exceeds the policy's max_km", check_max_km),
    PairCheck(
        "personal_max_km",
        "the distance exceeds the official's own max_km",
        check_personal_max_km,
    ),
    PairCheck(
        "term",
        "the term does not fit the official's availability, or earlier plus new months "
        "exceed the policy's max_months_seconded",
        check_term,
    ),
    PairCheck(
        "record",
        "the official has fewer years rated well than the policy's min_years_rated_well",
        check_record,
    ),
    PairCheck("language", "the need wants a language the official does not list", check_language),
    PairCheck(
        "local_only",
        "a local (on-the-spot) official is assigned outside their home commune",
        check_local_only,
    ),
    PairCheck(
        "home",
        "the official is sent to their home commune and the policy's home_commune is forbid",
        check_home,
    ),
    PairCheck(
        "distance_mismatch",
        "an assignment's distance_km differs from the recomputed distance",
        check_distance_mismatch,
    ),
    PairCheck(
        "score_mismatch",
        "an assignment's score differs from the policy score formula",
        check_score_mismatch,
    ),
    PairCheck(
        "load_mismatch",
        "an assignment's load differs from its need's workload",
        check_load_mismatch,
    ),
    PairCheck(
        "cost_mismatch",
        "an assignment's cost differs from the allowances for the need's term",
        check_cost_mismatch,
    ),
    PlanCheck(
        "official_capacity",
        "an official's total workload exceeds their capacity",
        check_official_capacity,
    ),
    PlanCheck("need_slots", "a need has more assignments than slots", check_need_slots),
    PlanCheck(
        "mandatory_need",
        "a mandatory need has fewer assignments than slots",
        check_mandatory_need,
    ),
    PlanCheck(
        "agency_floor",
        "an agency releases fewer distinct officials than its min_release",
        check_agency_floor,
    ),
    PlanCheck(
        "agency_ceiling",
        "an agency releases more distinct officials than its ceiling (max_release, else headcount)",
        check_agency_ceiling,
    ),
    PlanCheck(
        "lock",
        "a locks row with kind 'lock' is not among the assignments",
        check_lock,
    ),
    PlanCheck(
        "max_communes",
        "an official covers more communes than max_communes (their own, else the policy's)",
        check_max_communes,
    ),
    PlanCheck(
        "max_km_between",
        "two communes one official covers are farther apart than max_km_between "
        "(their own, else the policy's)",
        check_max_km_between,
    ),
    PlanCheck(
        "budget",
        "the assignments' allowances (re-derived from the scenario) exceed the policy's "
        "budget or a province's budget",
        check_budget,
    ),
    PlanCheck(
        "objective_mismatch",
        "the plan's objective differs from the sum of its scores",
        check_objective_mismatch,
    ),
    PlanCheck(
        "unmet_mismatch",
        "the unmet table disagrees with the slots left open",
        check_unmet_mismatch,
    ),
    # -- goals and fairness (issue 10) --
    PlanCheck(
        "objective_terms_mismatch",
        "a value in the plan's objective_terms differs from the one its assignments give",
        check_objective_terms_mismatch,  # stability_checks': with blocking_pairs
    ),
    PlanCheck(
        "zone_coverage_floor",
        "a zone has a smaller share of its slots filled than Policy.zone_coverage_floor",
        check_zone_coverage_floor,
    ),
    PlanCheck(
        "commune_floor",
        "a commune has fewer slots filled than Policy.commune_floor, clamped to its slots "
        "and its eligible officials",
        check_commune_floor,
    ),
    # -- stability as a hard rule (issue 10) --
    PlanCheck(
        "stability",
        "Policy.stability is 'required' and an official and a need would both rather have "
        "each other (a blocking pair)",
        check_stability,
    ),
)
#: The entries of :data:`CHECKS` by code.
CHECK_BY_CODE: dict[str, Check] = {c.code: c for c in CHECKS}


def check(scenario: Scenario, plan: Any) -> list[Violation]:
    """Every hard rule the plan breaks; ``[]`` when all hold.

    ``plan`` has ``.assignments`` (and optionally ``.unmet``, ``.status``,
    ``.objective``) or is a DataFrame of assignments. A plan whose status is
    ``infeasible`` or ``unknown`` and that has no assignments claims nothing
    and gives ``[]``. Raises :class:`~staffopt.errors.PlanError` when a table
    is not a DataFrame or lacks a column.
    """
    ctx = read_plan(scenario, plan)
    if ctx is None:
        return []
    row_checks = [c for c in CHECKS if isinstance(c, RowCheck)]
    pair_checks = [c for c in CHECKS if isinstance(c, PairCheck)]
    violations: list[Violation] = []
    for row in ctx.rows:
        violations += filter(None, (c.function(ctx, row) for c in row_checks))
    for pair in ctx.pairs:
        violations += filter(None, (c.function(ctx, pair) for c in pair_checks))
    for c in CHECKS:
        if isinstance(c, PlanCheck):
            violations += c.function(ctx)
    return violations
