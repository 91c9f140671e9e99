"""The CP-SAT model: one Boolean per arc; each constraint piece and objective term is
one named function in :mod:`.constraints` / :mod:`.objective`, assembled by
:func:`.build.build_model` into an :class:`.arcmodel.ArcModel`. The LP and
Lagrangian relaxations (:mod:`.relaxation`, :mod:`.lagrangian`) read the very
rows the model holds."""

from staffopt.model.arcmodel import ArcModel
from staffopt.model.build import build_model

__all__ = ["ArcModel", "build_model"]
