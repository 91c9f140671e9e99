"""Objective terms.

CP-SAT takes integer coefficients only. Scores are integers by construction
(see :class:`staffopt.Policy`), so no scaling factor is needed: the objective
value *is* the sum of the chosen arcs' scores.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from staffopt.model.arcmodel import ArcModel


def objective_column(arcs: pd.DataFrame) -> str:
    """``weight`` when solve() added tie-breaking weights, else ``score``."""
    return "weight" if "weight" in arcs.columns else "score"


def score(m: ArcModel) -> None:
    """Maximise the sum of the chosen arcs' scores.

    With ``prefer`` (see :func:`staffopt.solver.solve`) the arcs carry a
    ``weight = score * (K + 1) + preferred`` with K preferred pairs: the same
    optimum of score first, then as many preferred pairs as possible.

    CP-SAT minimises, so the proto stores the negated coefficients with a
    scaling factor of -1; the reported objective is then the maximised sum.
    """
    score = m.arcs[objective_column(m.arcs)].to_numpy(np.int64)
    nz = np.flatnonzero(score)
    o = m.proto.objective
    o.vars.extend(nz.tolist())
    o.coeffs.extend((-score[nz]).tolist())
    o.scaling_factor = -1.0
    m.gains = score
    m.record("score", 1)


#: Every objective term, in the order they are added (today one: ``score``).
OBJECTIVE_TERMS: tuple[Callable[[ArcModel], None], ...] = (score,)
