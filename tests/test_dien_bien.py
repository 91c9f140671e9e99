"""The bundled Điện Biên example: data, loader and write_example."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from staffopt.errors import StaffoptError
from staffopt.geo import road_km
from staffopt.scenarios import (
    EXAMPLES,
    ExampleExistsError,
    example_files,
    load_example,
    write_example,
)
from staffopt.scenarios.dien_bien import data_files
from staffopt.schema import RECORD_TYPES, Policy, Scenario, SolveOptions

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "src" / "staffopt" / "scenarios" / "data" / "dien_bien"
EXAMPLE_DATA = ROOT / "examples" / "dien_bien" / "data"
BUILD_SCRIPT = ROOT / "examples" / "dien_bien" / "build_dien_bien.py"
#: One province: its allowance budget is the policy's ``budget``, so the example
#: has no ``budgets`` table (a table of province budgets); its fields are all in the
#: package glossary, so it has no ``fields`` table either.
EXAMPLE_TABLES = [t for t in RECORD_TYPES if t not in ("budgets", "fields")]
TABLE_FILES = {f"{t}.csv" for t in EXAMPLE_TABLES} | {"policy.json", "options.json", "NOTES.md"}


def _has_load_scenario() -> bool:
    try:
        from staffopt.io import load_scenario  # noqa: F401
    except ImportError:
        return False
    return True


def read_folder(folder: Path, name: str = "dien-bien") -> Scenario:
    """A minimal CSV reader, independent of staffopt.io: empty cell = None."""
    tables: dict[str, tuple[object, ...]] = {}
    for table, rtype in RECORD_TYPES.items():
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(fh)]
        tables[table] = tuple(rtype.model_validate(r) for r in rows)
    policy = Policy.model_validate(json.loads((folder / "policy.json").read_text("utf-8")))
    options = SolveOptions.model_validate(json.loads((folder / "options.json").read_text("utf-8")))
    return Scenario.model_validate({"name": name, **tables, "policy": policy, "options": options})


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return read_folder(BUNDLED)


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dien_bien", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# -- the files -----------------------------------------------------------------------
def test_bundled_and_example_copies_are_identical() -> None:
    bundled = sorted(p.name for p in BUNDLED.iterdir() if p.is_file())
    example = sorted(p.name for p in EXAMPLE_DATA.iterdir() if p.is_file())
    assert bundled == example
    assert set(bundled) == TABLE_FILES
    for name in bundled:
        assert (BUNDLED / name).read_bytes() == (EXAMPLE_DATA / name).read_bytes(), name


def test_build_script_reproduces_the_files() -> None:
    build = _load_build_script()
    files = build.render(build.build())
    assert set(files) == TABLE_FILES
    for name, text in files.items():
        assert (BUNDLED / name).read_text(encoding="utf-8") == text, name


def test_columns_are_the_schema_fields() -> None:
    for table in EXAMPLE_TABLES:
        rtype = RECORD_TYPES[table]
        with (BUNDLED / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == list(rtype.model_fields), table


def test_notes_say_synthetic() -> None:
    for folder in (BUNDLED, EXAMPLE_DATA):
        text = (folder / "NOTES.md").read_text(encoding="utf-8")
        assert "SYNTHETIC" in text
        assert "Nậm Nèn" in text


def test_package_resources_hold_the_files() -> None:
    names = {item.name for item in data_files().iterdir() if item.is_file()}
    assert names == TABLE_FILES
    assert set(example_files("dien-bien")) == TABLE_FILES


# -- the content -----------------------------------------------------------------------
def test_units_and_zones(scenario: Scenario) -> None:
    assert len(scenario.communes) == 45
    assert {c.province for c in scenario.communes} == {"Điện Biên"}
    zones = Counter(c.zone.value for c in scenario.communes)
    assert zones == {"I": 2, "II": 5, "III": 38}
    by_zone = {z: {c.name for c in scenario.communes if c.zone.value == z} for z in ("I", "II")}
    assert by_zone["I"] == {"Điện Biên Phủ", "Mường Thanh"}
    assert by_zone["II"] == {"Thanh Nưa", "Thanh An", "Tuần Giáo", "Mường Phăng", "Mường Lay"}
    names = {c.name for c in scenario.communes}
    for real in ("Mường Nhé", "Sín Thầu", "A Pa Chải", "Nậm Nèn", "Sam Mứn", "Xa Dung"):
        assert real in names
    border = {c.name for c in scenario.communes if c.border}
    assert {"Mường Nhé", "Sín Thầu", "A Pa Chải"} <= border
    assert "Điện Biên Phủ" not in border
    tung = next(c for c in scenario.communes if c.name == "Mường Tùng")
    assert (tung.staff_count, tung.staff_quota) == (34, 44)


def test_officials(scenario: Scenario) -> None:
    by_agency = Counter(o.agency_id for o in scenario.officials)
    heads = [o for o in scenario.officials if o.agency_id == "DOH"]
    teachers = [o for o in scenario.officials if o.capacity < 1]
    departmental = [o for o in scenario.officials if o not in heads and o not in teachers]
    assert len(heads) == 45
    assert len(departmental) == 52
    assert 3 <= len(teachers) <= 8
    assert by_agency["DOH"] == 45
    # one health head per unit, at home, matched by a one-slot health need
    assert {o.home_commune_id for o in heads} == set(scenario.commune_by_id)
    health = [n for n in scenario.needs if n.field == "health"]
    assert sorted(n.commune_id for n in health) == sorted(scenario.commune_by_id)
    assert all(n.slots == 1 for n in health)
    assert all(set(o.skills) == {"health"} for o in heads)
    # teachers help part time where they teach
    for t in teachers:
        assert t.agency_id == "DOET" and t.capacity == 0.5
        assert any(n.commune_id == t.home_commune_id and n.workload == 0.5 for n in scenario.needs)
    # a few special cases exist
    assert any(o.protected and not o.volunteer for o in departmental)
    assert any(o.protected and o.volunteer for o in departmental)
    assert any(o.max_km is not None for o in departmental)
    assert any(not o.available for o in departmental)
    assert {o.category.value for o in departmental} == {"civil_servant", "public_employee"}


def test_demand_exceeds_departmental_supply(scenario: Scenario) -> None:
    full_time = sum(n.slots for n in scenario.needs if n.field != "health" and n.workload == 1)
    assert full_time > 52
    nam_nen = {n.field for n in scenario.needs if n.commune_id == "nam-nen"}
    assert {"it", "construction", "justice", "agriculture", "environment"} <= nam_nen
    tung = next(n for n in scenario.needs if n.need_id == "muong-tung-construction")
    assert tung.slots == 2


def test_floors_are_reachable(scenario: Scenario) -> None:
    for a in scenario.agencies:
        able = [
            o
            for o in scenario.officials
            if o.agency_id == a.agency_id and o.available and (not o.protected or o.volunteer)
        ]
        assert a.min_release <= min(len(able), a.ceiling), a.agency_id


def test_distances(scenario: Scenario) -> None:
    given = {(d.official_id, d.commune_id): d.km for d in scenario.distances}
    city = [
        o.official_id
        for o in scenario.officials
        if o.home_commune_id in ("dien-bien-phu", "muong-thanh") and o.agency_id != "DOH"
    ]
    assert city
    for oid in city:
        assert given[oid, "muong-nhe"] == 200.0
        assert given[oid, "sin-thau"] == 280.0
        assert given[oid, "tua-chua"] == 125.0
    # computed estimates stay sensible: nothing beyond Sín Thầu's road distance
    dbp = scenario.commune_by_id["dien-bien-phu"]
    for c in scenario.communes:
        km = float(road_km(dbp.lat, dbp.lon, c.lat, c.lon, scenario.policy.road_factor))
        assert km < 280.0, c.name
    mn = scenario.commune_by_id["muong-nhe"]
    assert 120 < float(road_km(dbp.lat, dbp.lon, mn.lat, mn.lon, 1.5)) < 200


def test_locks_and_affinity_refer_to_sensible_pairs(scenario: Scenario) -> None:
    for lock in scenario.locks:
        o = scenario.official_by_id[lock.official_id]
        n = scenario.need_by_id[lock.need_id]
        if lock.kind == "lock":
            assert o.skills.get(n.field, 0) >= n.min_level
    assert any(a.need_id == "nam-nen-it" and a.score > 0 for a in scenario.affinity)


# -- loader and write_example -------------------------------------------------------------
def test_examples_registry() -> None:
    assert set(EXAMPLES) == {"dien-bien"}
    with pytest.raises(StaffoptError, match="unknown example"):
        write_example("no-such-place", ROOT / "never-written")
    assert not (ROOT / "never-written").exists()


@pytest.mark.skipif(not _has_load_scenario(), reason="staffopt.io.load_scenario not there yet")
def test_dien_bien_loader(scenario: Scenario) -> None:
    loaded = load_example("dien-bien")
    assert loaded.name == "dien-bien"
    assert loaded.communes == scenario.communes
    assert loaded.officials == scenario.officials
    assert loaded.needs == scenario.needs
    assert loaded.distances == scenario.distances
    assert loaded.locks == scenario.locks
    assert loaded.affinity == scenario.affinity
    assert loaded.policy == scenario.policy


def test_write_example(tmp_path: Path, scenario: Scenario) -> None:
    target = tmp_path / "new" / "db"
    assert write_example("dien-bien", target) == target
    assert {p.name for p in target.iterdir()} == TABLE_FILES
    for name in TABLE_FILES:
        assert (target / name).read_bytes() == (BUNDLED / name).read_bytes()
    written = read_folder(target)
    assert written.communes == scenario.communes
    if _has_load_scenario():
        from staffopt.io import load_scenario

        assert load_scenario(target).needs == scenario.needs

    # refuses to overwrite, and writes nothing when it refuses
    (target / "needs.csv").write_text("edited", encoding="utf-8")
    with pytest.raises(ExampleExistsError, match=r"overwrite=True"):
        write_example("dien-bien", target)
    with pytest.raises(FileExistsError):
        write_example("dien-bien", target)
    assert (target / "needs.csv").read_text(encoding="utf-8") == "edited"
    write_example("dien_bien", target, overwrite=True)
    assert (target / "needs.csv").read_bytes() == (BUNDLED / "needs.csv").read_bytes()


def test_write_example_into_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    write_example("dien-bien", tmp_path)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"


# -- the optimiser on the example -------------------------------------------------------------
def test_solves_to_optimal_with_unmet_needs(scenario: Scenario) -> None:
    solve_mod = pytest.importorskip("staffopt.solver")
    plan = solve_mod.solve(scenario, time_limit_s=30)
    assert plan.status == "optimal"
    a = plan.assignments
    assert len(a) < sum(n.slots for n in scenario.needs)
    assert len(plan.unmet) > 0
    pairs = set(zip(a["official_id"], a["need_id"], strict=True))
    # every health head stays at their own station
    for o in scenario.officials:
        if o.agency_id == "DOH":
            assert (o.official_id, f"{o.home_commune_id}-health") in pairs
    # Nậm Nèn gets an IT specialist from Science and Technology and stays short of
    # the rest. (Under the 2.3 billion VND allowance budget DOST-01, its best
    # candidate, goes to zone I's Điện Biên Phủ, where a post costs no zone III
    # allowances; without the budget DOST-01 goes to Nậm Nèn.)
    it = plan.assignments[plan.assignments["need_id"] == "nam-nen-it"]
    assert it["official_id"].str.startswith("DOST-").all() and len(it) == 1
    unmet = set(plan.unmet["need_id"])
    assert {"nam-nen-construction", "nam-nen-justice", "nam-nen-agriculture"} <= unmet
    assert ("DOC-02", "sam-mun-construction") in pairs


def test_the_rules_of_the_round_show_in_the_example(scenario: Scenario) -> None:
    """Each rule of issue 13 excludes somebody here, and one specialist shares two
    part-time IT needs within the shared-support limits (NOTES.md says which)."""
    from staffopt.eligibility import candidates

    assert scenario.policy.min_years_rated_well == 3
    assert (scenario.policy.max_communes, scenario.policy.max_km_between) == (3, 60)
    _, ex = candidates(scenario)
    who = {rule: set(ex.loc[ex["rule"] == rule, "official_id"]) for rule in set(ex["rule"])}
    assert who["record"] == {"DOHA-03"}
    assert who["term"] == {"DCST-03", "DOIT-02"}
    assert who["local_only"] <= {f"DOET-T{i}" for i in range(1, 6)} and who["local_only"]
    assert {n for n in ex.loc[ex["rule"] == "language", "need_id"]} == {"sin-thau-culture"}
    solve_mod = pytest.importorskip("staffopt.solver")
    plan = solve_mod.solve(scenario, time_limit_s=30)
    a = plan.assignments
    shared = a[a["need_id"].isin(["tua-thang-it-pt", "muong-tung-it-pt"])]
    assert list(shared["official_id"]) == ["DOST-03", "DOST-03"]
    teachers = a[a["official_id"].str.startswith("DOET-T")]
    assert (teachers["distance_km"] == 0).all() and len(teachers) == 5


def test_the_allowance_budget_binds(scenario: Scenario) -> None:
    """2.3 billion VND of allowances (policy.json) leave posts empty that 3.3 would fill."""
    solve_mod = pytest.importorskip("staffopt.solver")
    from staffopt.checker import check, format_violations

    assert scenario.policy.budget == 2_300_000_000
    plan = solve_mod.solve(scenario, time_limit_s=30)
    assert plan.status == "optimal"
    assert check(scenario, plan) == [], format_violations(check(scenario, plan))
    assert plan.metrics["cost_total"] <= 2_300_000_000
    assert "budget" in set(plan.unmet["reason"])
    free = solve_mod.solve(scenario.with_policy(budget=None), time_limit_s=30)
    assert free.metrics["cost_total"] > 2_300_000_000
    assert free.objective > plan.objective
    # People on the spot (health heads at their station) cost nothing.
    health = plan.assignments[plan.assignments["need_id"].str.endswith("-health")]
    at_home = health[health["distance_km"] == 0]
    assert len(at_home) >= 40 and (at_home["cost"] == 0).all()
