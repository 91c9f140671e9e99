"""Baseline allocation policies: simple rules to compare with the optimum.

They read only the scenario and the arcs (never the CP-SAT model), and the
solver also uses them as starting points (hints) for CP-SAT.
:func:`staffopt.allocate` runs each one by name and decodes its plan.
"""

from staffopt.policies.deferred import deferred_acceptance
from staffopt.policies.greedy import fill_in_order, greedy_assign, need_priority
from staffopt.policies.nearest import nearest_assign
from staffopt.policies.preferences import Preferences, preferences
from staffopt.policies.serial import lottery_order, seniority_order, serial_dictatorship
from staffopt.policies.zone_quota import zone_quota_assign

__all__ = [
    "Preferences",
    "deferred_acceptance",
    "fill_in_order",
    "greedy_assign",
    "lottery_order",
    "nearest_assign",
    "need_priority",
    "preferences",
    "seniority_order",
    "serial_dictatorship",
    "zone_quota_assign",
]
