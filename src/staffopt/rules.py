"""The catalogue of eligibility rules.

Each rule is one named function over the candidate pairs (vectorised numpy
arrays, one entry per official x need pair of matching field) that returns a
boolean mask of the pairs it rules out, plus the value and limit it compared
so explanations can say "level 1 < required 2" or "212 km > limit 150 km".

Rules are applied in catalogue order; a pair's ``rule`` in the exclusions
table is the first rule that rules it out, ``rules`` lists all of them.
Adding a rule = one function here, one :class:`Rule` entry in :data:`RULES`,
its title (and, if it compares a value with a limit, its detail sentence) in
:mod:`staffopt.texts`, and one test in ``tests/test_rules.py``. The
checker's code for the same rule is the rule's code.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.indices import fte_units
from staffopt.schema import Policy
from staffopt.texts import CATALOGUE, as_lang, text

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PairArrays:
    """Per-pair facts the rules read; all arrays have one entry per pair."""

    available: BoolArray
    forbidden: BoolArray
    protected: BoolArray
    volunteer: BoolArray
    civil_servant: BoolArray
    level: FloatArray
    min_level: FloatArray
    workload: FloatArray
    capacity: FloatArray
    distance_km: FloatArray
    personal_max_km: FloatArray  # NaN = no personal limit
    policy: Policy
    # rule term: days since 1970-01-01 (NaN = not given) and months
    start_day: FloatArray  # the need's start, else the policy's round_start
    last_day: FloatArray  # the last day served: start + months, minus one day
    available_from_day: FloatArray
    available_until_day: FloatArray
    months: FloatArray  # the need's months, else the policy's round_months
    months_before: FloatArray
    years_rated_well: FloatArray  # NaN = not given (counts as 0)
    language_missing: BoolArray  # the need names a language the official does not list
    local: BoolArray  # kind = local (on-the-spot)
    at_home: BoolArray  # the need is in the official's home commune

    def __len__(self) -> int:
        return len(self.available)


@dataclass(frozen=True)
class RuleResult:
    """Pairs ruled out, and per pair the compared value and limit (NaN if none)."""

    excluded: BoolArray
    value: FloatArray
    limit: FloatArray


def _no_values(p: PairArrays) -> tuple[FloatArray, FloatArray]:
    nan = np.full(len(p), np.nan)
    return nan, nan


def rule_unavailable(p: PairArrays) -> RuleResult:
    """The official is marked unavailable (leave, illness, other duty)."""
    return RuleResult(~p.available, *_no_values(p))


def rule_forbidden(p: PairArrays) -> RuleResult:
    """The planner forbade this pair in the locks table (kind = forbid)."""
    return RuleResult(p.forbidden.copy(), *_no_values(p))


def rule_protected(p: PairArrays) -> RuleResult:
    """Pregnant or raising a child under 36 months: not seconded (Law on Public
    Employees art. 36.7) unless the person volunteers and the policy lets
    volunteers go. Applies to civil servants only if ``protect_civil_servants``."""
    waived = p.volunteer & p.policy.protected_may_volunteer
    applies = ~p.civil_servant | p.policy.protect_civil_servants
    return RuleResult(p.protected & ~waived & applies, *_no_values(p))


def rule_skill_level(p: PairArrays) -> RuleResult:
    """The official's level in the field is below the need's minimum level."""
    return RuleResult(p.level < p.min_level, p.level, p.min_level)


def rule_workload(p: PairArrays) -> RuleResult:
    """One slot of the need takes more time than the official can give at all."""
    excluded = fte_units(p.workload) > fte_units(p.capacity)
    return RuleResult(excluded, p.workload, p.capacity)


def rule_max_km(p: PairArrays) -> RuleResult:
    """The distance exceeds the policy's global limit."""
    limit = p.policy.max_km
    if limit is None:
        return RuleResult(np.zeros(len(p), dtype=bool), *_no_values(p))
    return RuleResult(p.distance_km > limit, p.distance_km, np.full(len(p), float(limit)))


def rule_personal_max_km(p: PairArrays) -> RuleResult:
    """The distance exceeds the official's own stated limit."""
    with np.errstate(invalid="ignore"):
        excluded = p.distance_km > p.personal_max_km  # NaN compares False
    return RuleResult(excluded, p.distance_km, p.personal_max_km)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def last_day(start: date, months: int) -> date:
    """The last day of a term of ``months`` from ``start``: 20 Oct + 6 months -> 19 Apr."""
    return add_months(start, months) - timedelta(days=1)


def rule_term(p: PairArrays) -> RuleResult:
    """The secondment must fit the person's availability (available_from <= start,
    last day <= available_until), and earlier plus new months stay within
    ``max_months_seconded`` (36: Decree 170/2025 art. 26; Law on Public
    Employees art. 36). Value and limit are the months when those are what
    fails; a date that does not fit has no number to show (NaN)."""
    total = p.months_before + p.months
    limit = float(p.policy.max_months_seconded)
    too_long = total > limit
    with np.errstate(invalid="ignore"):  # NaN (no date given) compares False
        early = p.start_day < p.available_from_day
        late = p.last_day > p.available_until_day
    nan = np.full(len(p), np.nan)
    return RuleResult(
        too_long | early | late,
        np.where(too_long, total, nan),
        np.where(too_long, limit, nan),
    )


def rule_record(p: PairArrays) -> RuleResult:
    """Fewer consecutive years rated 'completed tasks well' than the policy's
    ``min_years_rated_well`` (0 = off); a record not given counts as 0 years."""
    need = p.policy.min_years_rated_well
    if need == 0:
        return RuleResult(np.zeros(len(p), dtype=bool), *_no_values(p))
    years = np.nan_to_num(p.years_rated_well, nan=0.0)
    return RuleResult(years < need, years, np.full(len(p), float(need)))


def rule_language(p: PairArrays) -> RuleResult:
    """The need names a language (Thái, Hmông ...) the official does not list
    (names compared without case or accents)."""
    return RuleResult(p.language_missing.copy(), *_no_values(p))


def rule_local_only(p: PairArrays) -> RuleResult:
    """A local (on-the-spot) official serves only needs of their home commune."""
    return RuleResult(p.local & ~p.at_home, *_no_values(p))


def rule_home(p: PairArrays) -> RuleResult:
    """Under ``home_commune = forbid`` a seconded official is not sent to their
    own home commune (local officials are exactly that, and are exempt)."""
    if p.policy.home_commune != "forbid":
        return RuleResult(np.zeros(len(p), dtype=bool), *_no_values(p))
    return RuleResult(p.at_home & ~p.local, *_no_values(p))


@dataclass(frozen=True)
class Rule:
    """A named eligibility rule: its code, its check, and how its detail shows numbers.

    ``whole_numbers``: the detail shows the compared value and limit rounded
    to whole numbers (levels, km). Titles and detail sentences, in English and
    Vietnamese, are the catalogue's ``rule.<code>`` and ``rule_detail.<code>``.
    """

    code: str
    check: Callable[[PairArrays], RuleResult]
    whole_numbers: bool = False

    def title(self, lang: str = "en") -> str:
        return text(f"rule.{self.code}", lang)

    def detail(self, value: float, limit: float, lang: str = "en") -> str:
        """A short sentence for one exclusion: the title, and value vs limit if compared."""
        title = self.title(lang)
        key = f"rule_detail.{self.code}"
        if key not in CATALOGUE or math.isnan(value):
            return title
        return text(key, lang, title=title, value=value, limit=limit)


#: The catalogue, in the order rules are applied.
RULES: tuple[Rule, ...] = (
    Rule("unavailable", rule_unavailable),
    Rule("forbidden", rule_forbidden),
    Rule("protected", rule_protected),
    Rule("skill_level", rule_skill_level, whole_numbers=True),
    Rule("workload", rule_workload),
    Rule("max_km", rule_max_km, whole_numbers=True),
    Rule("personal_max_km", rule_personal_max_km, whole_numbers=True),
    Rule("term", rule_term, whole_numbers=True),
    Rule("record", rule_record, whole_numbers=True),
    Rule("language", rule_language),
    Rule("local_only", rule_local_only),
    Rule("home", rule_home),
)
RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def exclusion_detail(rule: str, value: float, limit: float, lang: str = "en") -> str:
    """The detail sentence of one exclusion (see :meth:`Rule.detail`)."""
    return RULE_BY_CODE[rule].detail(value, limit, lang)


# -- the catalogue of rules and constraint pieces ----------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    """One rule or constraint piece as a planner reads it.

    ``name`` is the rule's code or the piece's function name (the checker's
    code too); ``source`` a key of ``source.*`` in :mod:`staffopt.texts`;
    ``policy_keys`` the :class:`~staffopt.schema.Policy` keys that set it and
    ``columns`` the table columns that feed it. Titles are ``rule.<name>`` /
    ``constraint.<name>``, what it does ``about.<name>``.
    """

    name: str
    kind: str  # "rule" or "constraint"
    source: str
    default_on: bool
    policy_keys: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


#: Every eligibility rule (in :data:`RULES` order), then every constraint piece
#: (in ``model.constraints.CONSTRAINTS`` order: this module sits below the model,
#: so the pieces are described here as data and a test keeps both lists equal).
ENTRIES: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("unavailable", "rule", "practice", True, (), ("officials.available",)),
    CatalogueEntry("forbidden", "rule", "planner", True, (), ("locks.kind",)),
    CatalogueEntry(
        "protected",
        "rule",
        "public_employees_36_7",
        True,
        ("protected_may_volunteer", "protect_civil_servants"),
        ("officials.protected", "officials.volunteer", "officials.category"),
    ),
    CatalogueEntry(
        "skill_level", "rule", "practice", True, (), ("officials.skills", "needs.min_level")
    ),
    CatalogueEntry(
        "workload", "rule", "practice", True, (), ("needs.workload", "officials.capacity")
    ),
    CatalogueEntry("max_km", "rule", "planner", False, ("max_km", "road_factor"), ()),
    CatalogueEntry("personal_max_km", "rule", "hearing", True, (), ("officials.max_km",)),
    CatalogueEntry(
        "term",
        "rule",
        "term_36_months",
        True,
        ("round_start", "round_months", "max_months_seconded"),
        (
            "needs.start",
            "needs.months",
            "officials.available_from",
            "officials.available_until",
            "officials.months_seconded_before",
        ),
    ),
    CatalogueEntry(
        "record",
        "rule",
        "dien_bien",
        False,
        ("min_years_rated_well",),
        ("officials.years_rated_well",),
    ),
    CatalogueEntry(
        "language", "rule", "practice", True, (), ("needs.language", "officials.languages")
    ),
    CatalogueEntry(
        "local_only",
        "rule",
        "on_the_spot",
        True,
        (),
        ("officials.kind", "officials.home_commune_id"),
    ),
    CatalogueEntry(
        "home",
        "rule",
        "planner",
        False,
        ("home_commune", "home_commune_points"),
        ("officials.home_commune_id",),
    ),
    CatalogueEntry(
        "official_capacity", "constraint", "practice", True, (), ("officials.capacity",)
    ),
    CatalogueEntry("need_slots", "constraint", "practice", True, (), ("needs.slots",)),
    CatalogueEntry("mandatory_need", "constraint", "planner", True, (), ("needs.mandatory",)),
    CatalogueEntry(
        "agency_floor", "constraint", "agency_share", True, (), ("agencies.min_release",)
    ),
    CatalogueEntry(
        "agency_ceiling",
        "constraint",
        "agency_share",
        True,
        (),
        ("agencies.max_release", "agencies.headcount"),
    ),
    CatalogueEntry("lock", "constraint", "planner", True, (), ("locks.kind",)),
    CatalogueEntry(
        "max_communes",
        "constraint",
        "shared_support",
        False,
        ("max_communes",),
        ("officials.max_communes",),
    ),
    CatalogueEntry(
        "max_km_between",
        "constraint",
        "shared_support",
        False,
        ("max_km_between", "road_factor"),
        ("officials.max_km_between",),
    ),
    CatalogueEntry("zone_coverage_floor", "constraint", "planner", False, ("zone_coverage_floor",)),
    CatalogueEntry("commune_floor", "constraint", "planner", False, ("commune_floor",)),
    CatalogueEntry(
        "budget",
        "constraint",
        "allowance_budget",
        False,
        (
            "budget",
            "one_off_allowance",
            "monthly_allowance",
            "travel_allowance_per_month",
            "travel_allowance_per_km",
            "housing_allowance_per_month",
            "round_months",
        ),
        ("budgets.province", "budgets.budget", "needs.months"),
    ),
    CatalogueEntry("stability", "constraint", "planner", False, ("stability",), ("wishes.rank",)),
)

CATALOGUE_COLUMNS = [
    "name",
    "kind",
    "title",
    "what",
    "source",
    "default",
    "policy_keys",
    "columns",
]


def catalogue(lang: str = "en") -> pd.DataFrame:
    """Every eligibility rule and constraint piece: one row each, in ``lang`` (en/vi).

    Columns: ``name`` (the code the exclusions, the checker and explanations
    use), ``kind`` (``rule`` or ``constraint``, codes), ``title``, ``what`` (what it does),
    ``source`` (law article or practice), ``default`` (on / off under the
    default policy), ``policy_keys`` and ``columns`` (``;``-joined).
    """
    lg = as_lang(lang)
    rows = []
    for e in ENTRIES:
        title_key = f"rule.{e.name}" if e.kind == "rule" else f"constraint.{e.name}"
        rows.append(
            [
                e.name,
                e.kind,
                text(title_key, lg),
                text(f"about.{e.name}", lg),
                text(f"source.{e.source}", lg),
                text("catalogue.on" if e.default_on else "catalogue.off", lg),
                ";".join(e.policy_keys),
                ";".join(e.columns),
            ]
        )
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def catalogue_text(lang: str = "en") -> str:
    """The catalogue as plain text, one paragraph per entry (``staffopt rules``)."""
    lg = as_lang(lang)
    paragraphs = []
    frame = catalogue(lg)
    for values in frame.to_numpy(dtype=object).tolist():
        r: dict[str, str] = dict(zip(CATALOGUE_COLUMNS, values, strict=True))
        lines = [
            text(
                "catalogue.entry",
                lg,
                kind=text(f"catalogue.{r['kind']}", lg),
                **{k: r[k] for k in ("name", "default", "title")},
            ),
            f"  {r['what']}",
            "  " + text("catalogue.source", lg, source=r["source"]),
        ]
        if r["policy_keys"]:
            keys = r["policy_keys"].replace(";", ", ")
            lines.append("  " + text("catalogue.policy_keys", lg, keys=keys))
        if r["columns"]:
            columns = r["columns"].replace(";", ", ")
            lines.append("  " + text("catalogue.columns", lg, columns=columns))
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
