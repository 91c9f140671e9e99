"""The catalogue of words: every code of every kind has its text in both languages."""

from __future__ import annotations

import string

import pytest

from staffopt.results import (
    BLOCKERS,
    OBSTACLES,
    REQUIREMENT_KINDS,
    STATUSES,
    UNMET_REASONS,
    Requirement,
)
from staffopt.rules import RULES
from staffopt.texts import CATALOGUE, LANGS, as_lang, requirement_text, text

CODES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "unmet": UNMET_REASONS,
    "blocker": BLOCKERS,
    "requirement": REQUIREMENT_KINDS,
    "obstacle": OBSTACLES,
    "rule": tuple(r.code for r in RULES),
}


@pytest.mark.parametrize("kind", sorted(CODES))
def test_every_code_has_a_text_in_both_languages(kind: str) -> None:
    for code in CODES[kind]:
        en, vi = CATALOGUE[f"{kind}.{code}"]
        assert en.strip() and vi.strip(), f"{kind}.{code}"


def test_both_languages_of_an_entry_take_the_same_fields() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, (en, vi) in CATALOGUE.items():
        assert fields(en) == fields(vi), key


def test_every_catalogue_entry_belongs_to_a_known_code() -> None:
    known = {f"{kind}.{code}" for kind, codes in CODES.items() for code in codes}
    known |= {f"rule_detail.{r.code}" for r in RULES}
    free = ("message.", "whatif.", "cli.")  # sentences of one feature, not codes
    stray = [k for k in CATALOGUE if k not in known and not k.startswith(free)]
    assert stray == []


def test_requirement_sentences() -> None:
    floor = Requirement("agency_floor", "A1", 2)
    assert requirement_text(floor) == "agency A1 must release at least 2 people"
    assert requirement_text(floor, "vi") == "cơ quan A1 phải cử ít nhất 2 người"
    lock = Requirement("lock", "o1->n1")
    assert requirement_text(lock) == "lock: o1 must be assigned to n1"
    for kind in REQUIREMENT_KINDS:
        for lang in LANGS:
            assert "{" not in requirement_text(Requirement(kind, "x->y", 3), lang)


def test_text_fills_fields_and_checks_the_language() -> None:
    assert text("message.time_limit", "en", limit=10.0).startswith("time limit of 10 s")
    assert text("status.optimal", "vi") == "tối ưu (đã chứng minh)"
    with pytest.raises(ValueError, match="lang must be"):
        as_lang("fr")
