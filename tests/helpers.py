"""Builders of tiny scenarios shared by the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from staffopt import (
    Affinity,
    Agency,
    Commune,
    Distance,
    Lock,
    Need,
    Official,
    Policy,
    Scenario,
    SolveOptions,
)

if TYPE_CHECKING:
    from staffopt.plan import Plan

#: A policy where the score is exactly the affinity: every other weight 0.
AFFINITY_ONLY = Policy(
    base_points=0,
    zone_points={"I": 0, "II": 0, "III": 0},
    criticality_points={1: 0, 2: 0, 3: 0},
    level_points={1: 0, 2: 0, 3: 0},
    border_points=0,
    travel_points_per_km=0,
)
#: Solve options of the tiny test scenarios: two workers, a generous limit.
TEST_OPTIONS = SolveOptions(time_limit_s=20, workers=2)


def cost_scenario(
    cost: Sequence[Sequence[int]],
    *,
    agency_of: Sequence[int] | None = None,
    max_release: Sequence[int] | None = None,
    workloads: Sequence[float] | None = None,
    capacity: float = 1.0,
    mandatory: bool = True,
) -> Scenario:
    """OR-Tools style assignment: workers x tasks with costs; affinity = -cost."""
    n_workers, n_tasks = len(cost), len(cost[0])
    agency_of = agency_of or [0] * n_workers
    n_agencies = max(agency_of) + 1
    communes = [
        Commune(commune_id=f"c{t}", name=f"Task {t}", province="P", lat=21.0, lon=103.0, zone="I")
        for t in range(n_tasks)
    ]
    agencies = [
        Agency(
            agency_id=f"a{a}",
            name=f"Agency {a}",
            headcount=n_workers,
            max_release=None if max_release is None else max_release[a],
        )
        for a in range(n_agencies)
    ]
    officials = [
        Official(
            official_id=f"w{w}",
            name=f"Worker {w}",
            agency_id=f"a{agency_of[w]}",
            skills={"task": 1},
            home_lat=21.0,
            home_lon=103.0,
            capacity=capacity,
        )
        for w in range(n_workers)
    ]
    needs = [
        Need(
            need_id=f"t{t}",
            commune_id=f"c{t}",
            field="task",
            slots=1,
            mandatory=mandatory,
            workload=1.0 if workloads is None else workloads[t],
        )
        for t in range(n_tasks)
    ]
    affinity = [
        Affinity(official_id=f"w{w}", need_id=f"t{t}", score=-cost[w][t])
        for w in range(n_workers)
        for t in range(n_tasks)
    ]
    return Scenario(
        name="cost",
        communes=communes,
        agencies=agencies,
        officials=officials,
        needs=needs,
        affinity=affinity,
        policy=AFFINITY_ONLY,
        options=TEST_OPTIONS,
    )


# -- small record builders with defaults (every test spells out what matters) ----

#: AFFINITY_ONLY plus a base of 100 points: every pair scores 100 + affinity.
BASE_100 = AFFINITY_ONLY.model_copy(update={"base_points": 100})


def commune(
    cid: str = "c1",
    *,
    province: str = "P",
    lat: float = 21.0,
    lon: float = 103.0,
    zone: str = "I",
    border: bool = False,
) -> Commune:
    return Commune(
        commune_id=cid,
        name=f"Commune {cid}",
        province=province,
        lat=lat,
        lon=lon,
        zone=zone,
        border=border,
    )


def agency(
    aid: str = "a1",
    *,
    headcount: int = 10,
    min_release: int = 0,
    max_release: int | None = None,
    province: str | None = None,
) -> Agency:
    return Agency(
        agency_id=aid,
        name=f"Agency {aid}",
        headcount=headcount,
        min_release=min_release,
        max_release=max_release,
        province=province,
    )


def official(oid: str, *, agency_id: str = "a1", skills: str = "it:2", **kw: object) -> Official:
    """An official living at (21.0, 103.0) unless ``home_*`` is given."""
    if "home_commune_id" not in kw and "home_lat" not in kw:
        kw["home_lat"], kw["home_lon"] = 21.0, 103.0
    return Official(
        official_id=oid, name=f"Official {oid}", agency_id=agency_id, skills=skills, **kw
    )


def need(
    nid: str, *, commune_id: str = "c1", field: str = "it", slots: int = 1, **kw: object
) -> Need:
    return Need(need_id=nid, commune_id=commune_id, field=field, slots=slots, **kw)


def scenario(
    officials: Sequence[Official],
    needs: Sequence[Need],
    *,
    communes: Sequence[Commune] | None = None,
    agencies: Sequence[Agency] | None = None,
    affinity: dict[tuple[str, str], int] | None = None,
    locks: Sequence[tuple[str, str, str]] = (),
    distances: Sequence[tuple[str, str, float]] = (),
    policy: Policy = BASE_100,
    options: SolveOptions = TEST_OPTIONS,
    name: str = "tiny",
) -> Scenario:
    """A scenario from records; one commune ``c1`` and one agency ``a1`` by default.

    ``affinity`` maps (official_id, need_id) to points; ``locks`` are
    (official_id, need_id, kind) and ``distances`` (official_id, commune_id, km).
    """
    return Scenario(
        name=name,
        communes=list(communes) if communes is not None else [commune()],
        agencies=list(agencies) if agencies is not None else [agency()],
        officials=list(officials),
        needs=list(needs),
        affinity=[
            Affinity(official_id=o, need_id=n, score=v) for (o, n), v in (affinity or {}).items()
        ],
        locks=[Lock(official_id=o, need_id=n, kind=k) for o, n, k in locks],
        distances=[Distance(official_id=o, commune_id=c, km=km) for o, c, km in distances],
        policy=policy,
        options=options,
    )


def solve_checked(s: Scenario, policy: Policy | None = None, **kw: object) -> Plan:
    """solve(), then assert the independent checker finds nothing wrong with the plan."""
    from staffopt.checker import check, format_violations
    from staffopt.solver import solve

    plan = solve(s, policy, **kw)  # type: ignore[arg-type]
    violations = check(s, plan)
    assert violations == [], format_violations(violations)
    return plan
