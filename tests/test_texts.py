"""The catalogue of words: every code of every kind has its text in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import staffopt
from staffopt.replanning import CHANGES, REPLAN_REASONS
from staffopt.results import (
    BLOCKERS,
    OBJECTIVE_TERM_NAMES,
    OBSTACLES,
    REQUIREMENT_KINDS,
    STATUSES,
    STOPPED_BY,
    UNMET_REASONS,
    Requirement,
    SolverFacts,
)
from staffopt.rules import ENTRIES, RULES
from staffopt.schema import RECORD_TYPES, TABLES
from staffopt.texts import (
    CATALOGUE,
    LANGS,
    Phrase,
    as_lang,
    requirement_text,
    say,
    stop_text,
    text,
)

SRC = Path(staffopt.__file__).parent
#: Catalogue kinds of phrases errors carry (Problem, OutputError, PlanError, CLI flags).
PHRASE_KINDS = ("problem.", "expected.", "found.", "output.", "plan_error.", "flag.")

CODES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "unmet": UNMET_REASONS,
    "blocker": BLOCKERS,
    "requirement": REQUIREMENT_KINDS,
    "obstacle": OBSTACLES,
    "rule": tuple(r.code for r in RULES),
    # the catalogue of rules and constraints (staffopt.rules.catalogue)
    "constraint": tuple(e.name for e in ENTRIES if e.kind == "constraint"),
    "about": tuple(e.name for e in ENTRIES),
    "source": tuple(sorted({e.source for e in ENTRIES})),
    "catalogue": ("rule", "constraint", "on", "off", "entry", "source", "policy_keys", "columns"),
    "term": OBJECTIVE_TERM_NAMES,
    "replan_change": CHANGES,
    "replan_reason": REPLAN_REASONS,
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
    # The template's one table of sheet and column names (io/columns.py).
    known |= {f"sheet.{t}" for t in (*TABLES, "policy", "options", "instructions")}
    known |= {f"column.settings.{c}" for c in ("key", "value")}
    known |= {
        "choice.officials.category.civil_servant",
        "choice.officials.category.public_employee",
    }
    known |= {"choice.locks.kind.lock", "choice.locks.kind.forbid"}
    known |= {"choice.officials.kind.seconded", "choice.officials.kind.local"}
    for table, model in RECORD_TYPES.items():
        known |= {f"{k}.{table}.{c}" for k in ("column", "column_help") for c in model.model_fields}
    # Sentences, not codes; validation phrases are checked against the source below.
    free = (
        "message.",
        "whatif.",
        "cli.",
        "stopped.",
        "report.",
        "progress.",
        "field.",
        "stability.",
        "explain.",
        "budget.",
        "template.",
        "replan.",
        *PHRASE_KINDS,
    )
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
    assert text("stopped.time_limit", "en", limit=10.0).startswith("time limit of 10 s")
    assert text("status.optimal", "vi") == "tối ưu (đã chứng minh)"
    with pytest.raises(ValueError, match="lang must be"):
        as_lang("fr")


def _stop_texts() -> dict[tuple[str | None, str, bool, bool, str], str]:
    """stop_text for every reason, status, mode, safety-net cut and language."""
    out = {}
    for stopped_by in (*STOPPED_BY, None):
        for status in STATUSES:
            for deterministic in (False, True):
                for cut in (False, True):
                    facts = SolverFacts(
                        time_limit_s=10.0,
                        relative_gap=0.02,
                        deterministic=deterministic,
                        wall_clock_stop=cut,
                        safety_net_s=20.0 if deterministic else None,
                    )
                    for lang in LANGS:
                        key = (stopped_by, status, deterministic, cut, lang)
                        out[key] = stop_text(stopped_by, status, facts, lang)
    return out


def test_every_stop_has_words_in_both_languages_and_every_stopped_entry_is_used() -> None:
    texts = _stop_texts()
    for (stopped_by, status, _, cut, lang), words in texts.items():
        assert "{" not in words
        needs_words = cut or stopped_by not in (None, "optimal")
        assert bool(words) == needs_words, (stopped_by, status, lang)
        if cut:
            assert ("wall-clock" in words) == (lang == "en")
    for key, (en, vi) in CATALOGUE.items():
        if key.startswith("stopped."):
            # The words before the first field appear in some stop's text.
            for lang, template in (("en", en), ("vi", vi)):
                head = template.split("{")[0]
                assert any(head in w for k, w in texts.items() if k[-1] == lang), key


def test_stop_words_say_what_happened() -> None:
    texts = _stop_texts()
    assert texts[("gap", "feasible", False, False, "en")] == (
        "stopped within the requested gap of 2.00% of the bound; not proven optimal"
    )
    assert "time limit" not in texts[("gap", "feasible", False, False, "en")]
    assert texts[("user", "feasible", False, False, "en")].startswith("stopped by the user")
    assert texts[("user", "feasible", True, False, "vi")].startswith("người dùng đã dừng")
    assert texts[("time_limit", "feasible", False, False, "en")].startswith("time limit of 10 s")
    assert "reproducible" in texts[("time_limit", "feasible", True, False, "en")]
    assert "no plan" in texts[("time_limit", "unknown", False, False, "en")]
    assert "before any plan" in texts[("user", "unknown", False, False, "en")]


def test_every_entry_has_both_languages_with_the_same_fields() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, entry in CATALOGUE.items():
        assert len(entry) == 2, key
        en, vi = entry
        assert en.strip() and vi.strip(), key
        assert fields(en) <= fields(vi), key


def _phrase_keys_in_source() -> dict[str, set[str]]:
    """Catalogue keys the source names as text: ``"problem.x"`` or an f-string head
    ``f"problem.unknown_{what}"`` (file by key)."""
    kinds = "|".join(re.escape(k) for k in PHRASE_KINDS)
    pattern = re.compile(r"""f?["']((?:""" + kinds + r""")[a-z_0-9.{}]*)["']""")
    used: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        if path.name == "texts.py":
            continue
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, set()).add(path.name)
    return used


def test_every_phrase_key_the_source_names_is_in_the_catalogue() -> None:
    used = _phrase_keys_in_source()
    assert len(used) > 100  # the scan finds the phrases, not nothing
    for key, files in used.items():
        if "{" in key or key.endswith("_"):  # f"problem.unknown_{what}", or a prefix
            head = key.split("{")[0]
            assert any(k.startswith(head) for k in CATALOGUE), (key, files)
        else:
            assert key in CATALOGUE, (key, files)


def test_every_phrase_entry_is_used_somewhere() -> None:
    used = _phrase_keys_in_source()
    heads = [k.split("{")[0] for k in used if "{" in k or k.endswith("_")]
    # Entries worded by errors.Problem / ScenarioError themselves.
    own = {"problem.head", "problem.head_one", "problem.at_row", "problem.at_column"}
    own |= {"problem.at_id", "problem.expected", "problem.found"}
    for key in CATALOGUE:
        if key.startswith(PHRASE_KINDS) and key not in own:
            assert key in used or any(key.startswith(h) for h in heads), key


def test_a_phrase_is_its_english_text_and_words_itself_in_vietnamese() -> None:
    inner = Phrase("problem.missing_value")
    outer = Phrase("problem.at", message=inner, where="it")
    assert outer == "missing value (at it)" and isinstance(outer, str)
    assert outer.text("vi") == "thiếu giá trị (tại it)"
    assert outer.key == "problem.at" and outer.params["where"] == "it"
    assert say(outer, "vi") == outer.text("vi") and say("raw cell", "vi") == "raw cell"
    assert say(None) is None


def test_every_column_has_a_header_and_a_meaning_in_both_languages() -> None:
    for table, model in RECORD_TYPES.items():
        assert all(CATALOGUE[f"sheet.{table}"])
        for column in model.model_fields:
            for kind in ("column", "column_help"):
                en, vi = CATALOGUE[f"{kind}.{table}.{column}"]
                assert en.strip() and vi.strip(), f"{kind}.{table}.{column}"
