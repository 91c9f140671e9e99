"""``allocate(scenario, mechanism)``: every allocation mechanism behind one interface.

The registry of mechanisms (:data:`MECHANISMS`, names from
:func:`mechanisms`). ``optimal`` is :func:`staffopt.solve`; the others are
the rules of :mod:`staffopt.policies`, run on the same arcs and decoded by
:mod:`staffopt.decode` into the same :class:`~staffopt.plan.Plan`, so
metrics, explanations and :func:`staffopt.check` work on every one. Each
plan names its mechanism (``plan.mechanism``) and the requirements it does
not enforce (``plan.ignores``); the checker's verdict on those is reported
apart (:func:`staffopt.metrics.evaluate`).

An entry point: it imports the solver (for ``optimal``) and the policies.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.decode import decode
from staffopt.eligibility import candidates
from staffopt.plan import Plan
from staffopt.policies import (
    deferred_acceptance,
    greedy_assign,
    lottery_order,
    nearest_assign,
    seniority_order,
    serial_dictatorship,
    zone_quota_assign,
)
from staffopt.results import RequirementKind, SolverFacts
from staffopt.schema import Policy, Scenario
from staffopt.schema.limits import MAX_SEED
from staffopt.texts import text

BoolArray = npt.NDArray[np.bool_]
#: A rule: (scenario, arcs, policy, seed) -> the chosen arcs.
Rule = Callable[[Scenario, pd.DataFrame, Policy, int], BoolArray]

#: What every rule but the optimum leaves to chance: it neither seeks nor keeps these.
_LOWER_BOUNDS: tuple[RequirementKind, ...] = ("agency_floor", "mandatory_need", "lock")


@dataclass(frozen=True)
class Mechanism:
    """One allocation mechanism: its rule (None for ``optimal``) and what it ignores."""

    name: str
    rule: Rule | None
    #: Requirements it does not enforce under a policy.
    ignores: Callable[[Policy], tuple[RequirementKind, ...]]


def _lower_bounds(policy: Policy) -> tuple[RequirementKind, ...]:
    return _LOWER_BOUNDS


def _deferred_ignores(policy: Policy) -> tuple[RequirementKind, ...]:
    # A held proposal may be rejected later, so a budget spent in one round is not
    # spent at the end: deferred acceptance does not keep budgets.
    ignored = (*_LOWER_BOUNDS, "budget")
    return ignored if policy.respect_agency_ceilings else (*ignored, "agency_ceiling")


def _deferred(s: Scenario, arcs: pd.DataFrame, policy: Policy, seed: int) -> BoolArray:
    return deferred_acceptance(
        s,
        arcs,
        zone_caps=dict(policy.zone_caps),
        respect_agency_ceilings=policy.respect_agency_ceilings,
    )


MECHANISMS: dict[str, Mechanism] = {
    m.name: m
    for m in (
        Mechanism("optimal", None, lambda policy: ()),
        Mechanism("greedy", lambda s, arcs, p, seed: greedy_assign(s, arcs), _lower_bounds),
        Mechanism("nearest", lambda s, arcs, p, seed: nearest_assign(s, arcs), _lower_bounds),
        Mechanism(
            "zone_quota",
            lambda s, arcs, p, seed: zone_quota_assign(s, arcs, p.zone_quota_share),
            _lower_bounds,
        ),
        Mechanism(
            "lottery",
            lambda s, arcs, p, seed: serial_dictatorship(s, arcs, lottery_order(s, seed)),
            _lower_bounds,
        ),
        Mechanism(
            "seniority",
            lambda s, arcs, p, seed: serial_dictatorship(s, arcs, seniority_order(s)),
            _lower_bounds,
        ),
        Mechanism("deferred_acceptance", _deferred, _deferred_ignores),
    )
}


def mechanisms() -> list[str]:
    """The names :func:`allocate` accepts."""
    return list(MECHANISMS)


def allocate(
    scenario: Scenario, mechanism: str, policy: Policy | None = None, *, seed: int = 0
) -> Plan:
    """The plan ``mechanism`` makes for ``scenario`` (see :func:`mechanisms`).

    ``policy`` defaults to ``scenario.policy``; it decides the arcs and their
    scores for every mechanism, and the mechanisms' own parameters
    (``zone_quota_share``, ``zone_caps``, ``respect_agency_ceilings``).
    ``seed`` draws the lottery's order (the other mechanisms are
    deterministic and ignore it; ``optimal`` runs with the scenario's solve
    options). A rule's plan has status ``feasible``, its score as objective
    and no bound.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, found {seed!r}")
    if mechanism not in MECHANISMS:
        raise ValueError(
            f"unknown mechanism {mechanism!r}: expected one of {', '.join(MECHANISMS)}"
        )
    from staffopt.solver import solve

    m = MECHANISMS[mechanism]
    policy = policy or scenario.policy
    if m.rule is None:
        return solve(scenario, policy)
    start = time.perf_counter()
    arcs, exclusions = candidates(scenario, policy)
    t_candidates = time.perf_counter() - start
    chosen = m.rule(scenario, arcs, policy, seed)
    score = float(arcs["score"].to_numpy(np.int64)[chosen].sum())
    wall = time.perf_counter() - start
    ignores = list(m.ignores(policy))
    facts = SolverFacts(
        engine=mechanism,
        engine_reason=text("message.mechanism", mechanism=mechanism, ignores=", ".join(ignores)),
        arcs=len(arcs),
        exclusions=len(exclusions),
        candidates_s=t_candidates,
        wall_time_s=wall,
    )
    return decode(
        scenario,
        policy,
        arcs,
        exclusions,
        chosen,
        status="feasible",
        objective=score,
        bound=None,
        wall_time_s=wall,
        solver=facts,
        message=facts.engine_reason,
        mechanism=mechanism,
        ignores=ignores,
    )
