"""The CP-SAT model: one Boolean per arc; each constraint and objective term is
one named function in :mod:`.constraints` / :mod:`.objective`, assembled by
:func:`build_model`."""

from staffopt.model.builder import ArcModel, Requirement, build_model

__all__ = ["ArcModel", "Requirement", "build_model"]
