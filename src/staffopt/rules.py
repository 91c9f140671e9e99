"""The catalogue of eligibility rules.

Each rule is one named function over the candidate pairs (vectorised numpy
arrays, one entry per official x need pair of matching field) that returns a
boolean mask of the pairs it rules out, plus the value and limit it compared
so explanations can say "level 1 < required 2" or "212 km > limit 150 km".

Rules are applied in catalogue order; a pair's ``rule`` in the exclusions
table is the first rule that rules it out, ``rules`` lists all of them.
Adding a rule = writing one function and adding one :class:`Rule` entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from staffopt.schema import Policy

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
    excluded = np.round(p.workload * 1000) > np.round(p.capacity * 1000)
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
    """A named eligibility rule with its user-facing names."""

    code: str
    title_en: str
    title_vi: str
    check: Callable[[PairArrays], RuleResult]


#: The catalogue, in the order rules are applied.
RULES: tuple[Rule, ...] = (
    Rule("unavailable", "official unavailable", "cán bộ không sẵn sàng", rule_unavailable),
    Rule("forbidden", "forbidden by the planner", "bị người lập kế hoạch loại trừ", rule_forbidden),
    Rule(
        "protected",
        "protected (pregnant or child under 36 months)",
        "thuộc diện bảo vệ (mang thai hoặc nuôi con dưới 36 tháng)",
        rule_protected,
    ),
    Rule("skill_level", "skill level too low", "trình độ chuyên môn chưa đạt", rule_skill_level),
    Rule(
        "workload",
        "workload above the official's capacity",
        "khối lượng công việc vượt quá khả năng",
        rule_workload,
    ),
    Rule(
        "max_km",
        "beyond the policy's distance limit",
        "vượt giới hạn khoảng cách chung",
        rule_max_km,
    ),
    Rule(
        "personal_max_km",
        "beyond the official's own distance limit",
        "vượt giới hạn khoảng cách cá nhân",
        rule_personal_max_km,
    ),
)
RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
