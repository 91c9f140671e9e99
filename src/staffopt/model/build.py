"""build_model: one ArcModel with every constraint piece, then the objective terms.

Apart from :mod:`.arcmodel` so the pieces (which import ArcModel) and the
assembly (which imports the pieces) form no import circle.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import numpy.typing as npt
import pandas as pd

from staffopt.model.arcmodel import ArcModel
from staffopt.model.constraints import CONSTRAINTS
from staffopt.model.objective import score
from staffopt.schema import Scenario


def build_model(
    scenario: Scenario,
    arcs: pd.DataFrame,
    *,
    guarded: bool = False,
    objective: bool = True,
    need_scope: npt.NDArray[np.bool_] | None = None,
    agency_scope: npt.NDArray[np.bool_] | None = None,
    without: Collection[str] = (),
) -> ArcModel:
    """Assemble the model: every constraint piece in order, then (unless not wanted) the score.

    The other objective terms are added stage by stage by :mod:`staffopt.solver.goals`.

        ``guarded``: each planner requirement behind its own literal (conflicts);
        ``need_scope`` / ``agency_scope``: the needs and agencies of one
        independent part (None = all); ``without``: pieces left out by name (a
        relaxation: every plan of the whole model is a plan of it).
    """
    unknown = set(without) - {piece.__name__ for piece in CONSTRAINTS}
    if unknown:
        raise ValueError(f"no constraint piece named {sorted(unknown)}")
    m = ArcModel(scenario, arcs, guarded=guarded, need_scope=need_scope, agency_scope=agency_scope)
    for piece in CONSTRAINTS:
        if piece.__name__ not in without:
            piece(m)
    if objective:
        score(m)
    return m
