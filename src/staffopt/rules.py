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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from staffopt.indices import fte_units
from staffopt.schema import Policy
from staffopt.texts import CATALOGUE, text

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
        if key not in CATALOGUE:
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
)
RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def exclusion_detail(rule: str, value: float, limit: float, lang: str = "en") -> str:
    """The detail sentence of one exclusion (see :meth:`Rule.detail`)."""
    return RULE_BY_CODE[rule].detail(value, limit, lang)
