"""Baseline allocation policies: simple rules to compare with the optimum.

They read only the scenario and the arcs (never the CP-SAT model), and the
solver also uses them as starting points (hints) for CP-SAT.
"""

from staffopt.policies.greedy import fill_in_order, greedy_assign

__all__ = ["fill_in_order", "greedy_assign"]
