"""Builders of tiny scenarios shared by the tests."""

from __future__ import annotations

from collections.abc import Sequence

from staffopt import Affinity, Agency, Commune, Need, Official, Policy, Scenario

#: A policy where the score is exactly the affinity: every other weight 0.
AFFINITY_ONLY = Policy(
    base_points=0,
    zone_points={"I": 0, "II": 0, "III": 0},
    criticality_points={1: 0, 2: 0, 3: 0},
    level_points={1: 0, 2: 0, 3: 0},
    border_points=0,
    travel_points_per_km=0,
    time_limit_s=20,
    workers=2,
)


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
    )
