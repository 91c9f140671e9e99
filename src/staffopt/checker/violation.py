"""What the checker reports: a :class:`Violation` per broken rule, and how a
list of them reads (:func:`format_violations`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: a short ``rule`` code and an English ``message``.

    The ids say where: the official, need, agency and commune concerned (those
    that apply). ``str(violation)`` is the message.
    """

    rule: str
    message: str
    official_id: str | None = None
    need_id: str | None = None
    agency_id: str | None = None
    commune_id: str | None = None

    def __str__(self) -> str:
        return self.message


def format_violations(violations: Sequence[Violation]) -> str:
    """A readable block: a head line, then one ``- [rule] message`` line each."""
    if not violations:
        return "plan check: every hard rule holds"
    n = len(violations)
    counts = Counter(v.rule for v in violations)
    by_rule = ", ".join(f"{rule} {k}" for rule, k in sorted(counts.items()))
    head = f"plan check: {n} violation{'s' if n != 1 else ''} ({by_rule})"
    return "\n".join([head, *(f"  - [{v.rule}] {v.message}" for v in violations)])
