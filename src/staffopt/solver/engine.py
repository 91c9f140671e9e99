"""Which engine a model needs: min-cost flow for a pure network, CP-SAT otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from staffopt.allowance import budget_groups
from staffopt.indices import indices, single_assignment_officials
from staffopt.results import Obstacle
from staffopt.schema import Scenario, SolveOptions
from staffopt.sharing import spread
from staffopt.solver.parts import Part
from staffopt.texts import text


@dataclass(frozen=True)
class EngineChoice:
    """The engine a solve uses, and why (shown in ``plan.solver``)."""

    engine: Literal["flow", "cpsat"]
    reason: str


def network_obstacles(
    scenario: Scenario, arcs: pd.DataFrame, part: Part | None = None
) -> list[Obstacle]:
    """Why the model (or one independent part of it) is not a pure network.

    An empty list means it is one: min-cost flow solves it exactly.
    """
    s = scenario
    ix = indices(s)
    need_in = np.ones(len(s.needs), dtype=bool) if part is None else part.needs
    agency_in = np.ones(len(s.agencies), dtype=bool) if part is None else part.agencies
    why: list[Obstacle] = []
    if (ix.mandatory & need_in).any():
        why.append("mandatory_need")
    if need_in[ix.locked_needs].any():
        why.append("lock")
    if ((ix.floor > 0) & agency_in).any():
        why.append("agency_floor")
    # Fairness floors (issue 10) count across needs: no min-cost flow states them.
    if any(v > 0 for v in s.policy.zone_coverage_floor.values()):
        why.append("zone_coverage_floor")
    if s.policy.commune_floor > 0:
        why.append("commune_floor")
    if s.policy.stability == "required":
        # A stability row ties an arc to its official's and its need's better arcs.
        why.append("stability")
    if budget_groups(s, arcs):
        # A budget is a side constraint (a knapsack over the arcs it covers): no
        # min-cost flow can state it, CP-SAT does.
        why.append("budget")
    if len(arcs):
        single = single_assignment_officials(s, arcs)
        o_idx = np.unique(arcs["o_idx"].to_numpy(np.int64))
        if not single[o_idx].all():
            why.append("multi_assignment")
            # Side constraints a flow cannot state: only where they can bind.
            sp = spread(s, arcs)
            if sp.count_limits:
                why.append("max_communes")
            if len(sp.far_pairs):
                why.append("max_km_between")
    return why


def obstacle_list(obstacles: list[Obstacle], lang: str = "en") -> str:
    """Obstacles as words: ``mandatory needs, locks``."""
    return ", ".join(text(f"obstacle.{o}", lang) for o in obstacles)


def choose_engine(scenario: Scenario, arcs: pd.DataFrame, options: SolveOptions) -> EngineChoice:
    """``options.engine``, or for ``auto`` flow on a pure network and CP-SAT otherwise."""
    obstacles = network_obstacles(scenario, arcs)
    if options.engine == "flow":
        if obstacles:
            raise ValueError(
                "engine='flow' needs a pure network model, but the scenario has "
                + obstacle_list(obstacles)
                + "; use engine='auto' or 'cpsat'"
            )
        return EngineChoice("flow", "requested; the model is a pure network")
    if options.engine == "cpsat":
        return EngineChoice("cpsat", "requested")
    if obstacles:
        return EngineChoice("cpsat", "side constraints: " + obstacle_list(obstacles))
    return EngineChoice("flow", "pure network model: min-cost flow is exact")
