"""The LP relaxation of an arc model, and bounds that stay valid.

The relaxation is read from the very rows the CP-SAT model holds
(:attr:`ArcModel.rows`), with every Boolean relaxed to ``[0, 1]``, and solved
by the HiGHS LP solver that ships inside OR-Tools. It serves two purposes:

* a **bound**: for *any* row multipliers ``y`` (Lagrangian duality),

  ``max c.x  s.t. lb <= A x <= ub, 0 <= x <= 1``
  ``<= sum_j max(0, c_j - (A^T y)_j) + sum_r max(y_r lb_r, y_r ub_r)``,

  so :func:`dual_bound` turns the LP solver's duals into an upper bound that
  is valid whatever their accuracy: floating-point tolerances of the LP solver
  can make a bound weaker, never wrong.
* **guidance** for the search: the LP's values and reduced costs
  ``c - A^T y`` say which arcs a near-optimal plan is likely to use
  (see :func:`staffopt.solver._solve_cpsat`), and an arc whose reduced cost is
  below ``-(bound - incumbent)`` cannot be in any better plan (reduced-cost
  fixing, :func:`fixable_arcs`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from staffopt.model.arcmodel import ArcModel

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Relaxation:
    """``max gains.x  s.t.  lb <= matrix x <= ub,  0 <= x <= 1``."""

    matrix: Any  # scipy.sparse.csr_matrix (rows x variables); scipy has no stubs
    lb: FloatArray
    ub: FloatArray
    gains: FloatArray


@dataclass(frozen=True)
class LpResult:
    """One LP solve: ``bound`` is valid (see :func:`dual_bound`) or None."""

    status: str  # "optimal", "infeasible" or "not solved"
    x: FloatArray
    duals: FloatArray
    objective: float
    bound: float | None
    wall_s: float


def relaxation(m: ArcModel) -> Relaxation:
    """The LP relaxation of ``m``'s rows (a model without enforced rows)."""
    from scipy.sparse import csr_matrix

    if any(lit >= 0 for *_, lit in m.rows):
        raise ValueError("the LP relaxation needs a model without enforcement literals")
    lengths = np.fromiter((len(v) for v, *_ in m.rows), dtype=np.int64, count=len(m.rows))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    if m.rows:
        cols = np.concatenate([v for v, *_ in m.rows])
        vals = np.concatenate([c for _, c, *_ in m.rows]).astype(np.float64)
    else:
        cols, vals = np.zeros(0, np.int64), np.zeros(0, np.float64)
    matrix = csr_matrix((vals, cols, indptr), shape=(len(m.rows), m.n_vars))
    lb = np.array([r[2] for r in m.rows], dtype=np.float64)
    ub = np.array([r[3] for r in m.rows], dtype=np.float64)
    gains = np.zeros(m.n_vars, dtype=np.float64)
    gains[: len(m.gains)] = m.gains
    return Relaxation(matrix, lb, ub, gains)


def with_row(
    rel: Relaxation, columns: npt.ArrayLike, coeffs: npt.ArrayLike, lb: float, ub: float
) -> Relaxation:
    """``rel`` with one more row ``lb <= sum(coeffs * x[columns]) <= ub`` (a copy)."""
    from scipy.sparse import csr_matrix, vstack

    cols = np.asarray(columns, dtype=np.int64)
    row = csr_matrix(
        (np.asarray(coeffs, dtype=np.float64), cols, [0, len(cols)]),
        shape=(1, rel.matrix.shape[1]),
    )
    return Relaxation(
        vstack([rel.matrix, row]).tocsr(),
        np.append(rel.lb, lb),
        np.append(rel.ub, ub),
        rel.gains,
    )


def reduced_costs(rel: Relaxation, duals: FloatArray) -> FloatArray:
    """``gains - A^T y``: what one more unit of each variable is worth at prices ``y``."""
    return np.asarray(rel.gains - rel.matrix.T @ duals)


def dual_bound(rel: Relaxation, duals: FloatArray) -> float:
    """An upper bound on the relaxation (so on the model) valid for any ``duals``."""
    y = np.asarray(duals, dtype=np.float64)
    # y * bound where the row can bind that way; 0 otherwise (an infinite bound
    # with a zero price adds nothing, not nan).
    row_part = np.zeros_like(y)
    up, down = y > 0, y < 0
    row_part[up] = y[up] * rel.ub[up]
    row_part[down] = y[down] * rel.lb[down]
    d = reduced_costs(rel, y)
    return float(np.maximum(d, 0.0).sum() + row_part.sum())


def _glop(rel: Relaxation, gains: FloatArray, time_limit_s: float) -> Any:
    """GLOP run on ``max gains.x`` over the relaxation's rows (a solved helper)."""
    from ortools.linear_solver.python import model_builder_helper as mbh

    n = rel.gains.shape[0]
    model = mbh.ModelBuilderHelper()
    # OR-Tools' stubs spell the array type wrongly (ndarray[float64, ...]).
    model.fill_model_from_sparse_data(
        np.zeros(n),  # type: ignore[arg-type]
        np.ones(n),  # type: ignore[arg-type]
        gains,  # type: ignore[arg-type]
        rel.lb,  # type: ignore[arg-type]
        rel.ub,  # type: ignore[arg-type]
        rel.matrix,
    )
    model.set_maximize(True)
    solver = mbh.ModelSolverHelper("glop")
    solver.set_time_limit_in_seconds(float(time_limit_s))
    solver.solve(model)
    return solver


def lp_feasible(rel: Relaxation, time_limit_s: float = 30.0) -> bool | None:
    """Whether the relaxation has a solution (None: not decided in time).

    An infeasible relaxation proves the integer model infeasible.
    """
    solver = _glop(rel, np.zeros(rel.gains.shape[0]), time_limit_s)
    if solver.has_solution():
        return True
    return False if int(solver.status()) == 2 else None


def solve_lp(rel: Relaxation, time_limit_s: float = 60.0) -> LpResult:
    """Solve the relaxation with GLOP (inside OR-Tools); never raises on the LP."""
    t0 = time.perf_counter()
    solver = _glop(rel, rel.gains, time_limit_s)
    wall = time.perf_counter() - t0
    empty = np.zeros(0, dtype=np.float64)
    if not solver.has_solution():
        # 2 = INFEASIBLE in MPSolverResponseStatus.
        status = "infeasible" if int(solver.status()) == 2 else "not solved"
        return LpResult(status, empty, empty, float("nan"), None, wall)
    x = np.asarray(solver.variable_values(), dtype=np.float64)
    duals = np.asarray(solver.dual_values(), dtype=np.float64)
    bound = dual_bound(rel, duals)
    status = "optimal" if int(solver.status()) == 0 else "not solved"
    return LpResult(status, x, duals, float(rel.gains @ x), bound, wall)


def fixable_arcs(bound: float, reduced: FloatArray, incumbent: float) -> npt.NDArray[np.bool_]:
    """Arcs no plan scoring more than ``incumbent`` can use (reduced-cost fixing).

    ``bound = dual_bound(y)`` and ``reduced`` the reduced costs at the same
    ``y``: a plan that uses arc ``j`` scores at most ``bound + min(0, d_j)``,
    and with integer scores a plan better than the incumbent scores at least
    ``incumbent + 1``. The tolerance keeps arcs on the edge (never drops one
    wrongly because of rounding in ``bound``).
    """
    tol = 1e-6 * max(1.0, abs(bound))
    return np.asarray(bound + np.minimum(reduced, 0.0) < incumbent + 1 - tol)
