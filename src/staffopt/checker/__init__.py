"""The independent plan checker: does a plan keep every hard rule of its scenario?

:func:`check` reads only the :class:`~staffopt.schema.Scenario` and the plan's
tables and returns one :class:`Violation` per broken rule; an empty list means
every hard rule holds. It never imports ortools, the model, the solver, the
eligibility filter, the rule catalogue, the plan module or :mod:`staffopt.geo`
(only the standard library, pandas, :mod:`staffopt.schema` and
:mod:`staffopt.errors`): the few formulas it needs (distance, score) are
written again here, straightforwardly, so that a bug there cannot hide itself
by also being in the checker. Of the policy it reads only the scoring and
eligibility fields, never the solver settings.

A plan is duck-typed: anything with ``.assignments`` (a DataFrame with columns
``official_id, need_id, commune_id, field, distance_km, score, load``) and
optionally ``.unmet`` (``need_id, commune_id, field, missing_slots, reason``),
``.status`` (``optimal``, ``feasible``, ``infeasible``, ``unknown``) and
``.objective``; or a bare DataFrame of assignments.

Every rule is one small function named ``check_<code>``; :data:`CHECKS` lists
them in catalogue order, each a :class:`Check` with its code and a one-line
description (:data:`CHECK_BY_CODE` finds one by code), and :func:`check` runs
them from there: adding a check is one function, one entry and one test. The
codes are the names the eligibility rules and the model's constraint pieces
use (``workload``, ``official_capacity``, ``need_slots``, ``mandatory_need``,
``lock``, ``agency_floor``, ...). Workloads and capacities count to 0.001 FTE
(compared as ``round(x * 1000)`` integers); distances, scores and the objective
are compared with a tolerance of 1e-6 (relative and absolute), and a distance
exceeds a ``max_km`` limit only beyond that tolerance.

The modules: :mod:`~staffopt.checker.violation` (what is reported),
:mod:`~staffopt.checker.context` (the plan read once, the scenario's lookups,
the number helpers), :mod:`~staffopt.checker.pair_checks` (one assignment),
:mod:`~staffopt.checker.plan_checks` (the whole plan) and
:mod:`~staffopt.checker.catalogue` (:data:`CHECKS` and :func:`check`).
"""

from staffopt.checker.catalogue import CHECK_BY_CODE, CHECKS, Check, check
from staffopt.checker.violation import Violation, format_violations

__all__ = ["CHECKS", "CHECK_BY_CODE", "Check", "Violation", "check", "format_violations"]
