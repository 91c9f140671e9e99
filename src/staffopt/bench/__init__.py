"""Experiments comparing allocation mechanisms and policies (``staffopt bench``).

- :mod:`~staffopt.bench.spec`: the TOML spec (scenarios, mechanisms, policy grid);
- :mod:`~staffopt.bench.runner`: :func:`run`, resumable, local pool or Dask;
- :mod:`~staffopt.bench.summary`: means with intervals, the price of a rule, Pareto fronts.
"""

from __future__ import annotations

from staffopt.bench.runner import BenchResult, compute, run, runs, same_table
from staffopt.bench.spec import BenchSpec, SpecError, load_spec, spec_from_dict
from staffopt.bench.summary import pareto_front, price_of_rule, summarise, t_interval

__all__ = [
    "BenchResult",
    "BenchSpec",
    "SpecError",
    "compute",
    "load_spec",
    "pareto_front",
    "price_of_rule",
    "run",
    "runs",
    "same_table",
    "spec_from_dict",
    "summarise",
    "t_interval",
]
