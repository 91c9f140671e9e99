"""An experiment spec: which scenarios, which mechanisms, which policy grid (``BenchSpec``).

A spec is a TOML file read with :mod:`tomllib`::

    version = 1                      # part of every run key: bump it to redo all rows
    mechanisms = ["optimal", "greedy"]
    seeds = [0]                      # mechanism seeds (the lottery's draw)
    time_limit_s = 5.0               # per solve, reproducible mode
    [scenarios]
    scale = "province"               # the synthetic generator's scale ...
    seeds = [0, 1, 2]                # ... and its seeds
    # paths = ["a_folder", "b.xlsx"] # or scenario folders / workbooks (relative to the spec)
    [grid]
    zone_points.III = [0, 20, 40, 80]
    max_km = ["none", 100, 150]      # "none": the field's null (no limit)

TOML has no null, so the string ``"none"`` stands for Python's ``None`` in
the grid. Every problem of a spec is reported at once as a :class:`SpecError`
naming the file, the key, what was expected and what was found.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from staffopt.errors import Problem, ScenarioError
from staffopt.schema import Policy
from staffopt.texts import Phrase, text

#: How a spec writes a null in the grid (TOML has none).
NONE = "none"
_TOP_KEYS = ("version", "mechanisms", "seeds", "time_limit_s", "workers", "scenarios", "grid")
_SCENARIO_KEYS = ("scale", "seeds", "paths")
_SCALES = ("province", "large", "nation")


class SpecError(ScenarioError):
    """The spec is invalid: ``problems`` names each bad key (file, key, expected, found).

    A problem's ``column`` holds the spec's key (dotted: ``grid.max_km``).
    """

    def text(self, lang: str = "en") -> str:
        where = f" {self.source}" if self.source else ""
        head = text("problem.spec_head", lang, where=where, count=len(self.problems))
        return "\n".join([head, *(f"  - {_line(p, lang)}" for p in self.problems)])


def _line(p: Problem, lang: str) -> str:
    # The problem's own line, with "key" for the place instead of a table's "column".
    plain = Problem(p.table, p.message, expected=p.expected, found=p.found, source=p.source)
    line = plain.text(lang)
    if p.column is None:
        return line
    place = p.source or p.table
    key = text("problem.spec_key", lang, key=p.column)
    return f"{place}, {key}" + line[len(place) :]


class BenchSpec(BaseModel):
    """A validated experiment spec (see the module docstring for the TOML form)."""

    model_config = ConfigDict(frozen=True)

    version: int = 1
    mechanisms: tuple[str, ...]
    seeds: tuple[int, ...] = (0,)
    time_limit_s: float = 10.0
    #: CP-SAT workers per solve (1: a process pool runs one solve per core).
    workers: int = 1
    scale: str | None = None
    scenario_seeds: tuple[int, ...] = ()
    paths: tuple[str, ...] = ()
    #: Policy field path (dotted: ``zone_points.III``) -> the values it takes.
    grid: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def scenario_keys(self) -> list[str]:
        """One stable key per scenario: ``province:7`` or the path as written."""
        if self.scale is not None:
            return [f"{self.scale}:{s}" for s in self.scenario_seeds]
        return list(self.paths)

    def grid_points(self) -> list[dict[str, Any]]:
        """Every combination of the grid's values (one empty point without a grid)."""
        names = [name for name, _ in self.grid]
        return [
            dict(zip(names, values, strict=True))
            for values in itertools.product(*(values for _, values in self.grid))
        ]


def grid_label(point: dict[str, Any]) -> str:
    """A grid point as stable text (the key of its rows): ``{"max_km": null}``."""
    return json.dumps(point, sort_keys=True, ensure_ascii=False)


def policy_at(base: Policy, point: dict[str, Any]) -> Policy:
    """``base`` with the grid point's fields set (dotted paths reach into dicts)."""
    data = base.model_dump()
    for path, value in point.items():
        *parents, last = path.split(".")
        target = data
        for name in parents:
            target = target[name]
        target[last] = value
    return Policy.model_validate(data)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _whole_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    )


def load_spec(path: str | Path) -> BenchSpec:
    """The spec in the TOML file ``path``; a :class:`SpecError` lists every problem."""
    path = Path(path)
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise SpecError(
            Problem(
                source,
                Phrase("problem.cannot_read_file"),
                expected=Phrase("expected.readable_file"),
            )
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(
            Problem(
                source,
                Phrase("problem.spec_not_toml"),
                expected=Phrase("expected.toml"),
                found=str(exc),
            )
        ) from None
    return spec_from_dict(raw, source=source, base=path.parent)


def spec_from_dict(
    raw: dict[str, Any], *, source: str = "spec", base: Path | None = None
) -> BenchSpec:
    """A validated spec from a parsed TOML table (paths resolved against ``base``)."""
    from staffopt.allocation import MECHANISMS

    problems: list[Problem] = []

    def bad(key: str, message: str, expected: Phrase | None, found: Any, **values: Any) -> None:
        shown = None if found is None else json.dumps(found, ensure_ascii=False, default=str)
        problems.append(
            Problem(source, Phrase(message, **values), column=key, expected=expected, found=shown)
        )

    def one_of(items: tuple[str, ...] | list[str]) -> Phrase:
        return Phrase("expected.one_of", items=", ".join(items))

    def check_keys(table: dict[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                bad(f"{prefix}{key}", "problem.spec_unknown_key", one_of(allowed), None)

    check_keys(raw, _TOP_KEYS)
    version = raw.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        bad("version", "problem.not_whole", Phrase("expected.whole"), version)
    mechanisms = raw.get("mechanisms")
    known = ", ".join(MECHANISMS)
    if not isinstance(mechanisms, list) or not mechanisms:
        bad(
            "mechanisms",
            "problem.spec_missing_list",
            Phrase("expected.one_of_list", items=known),
            mechanisms,
        )
        mechanisms = []
    for name in mechanisms:
        if name not in MECHANISMS:
            bad(
                "mechanisms",
                "problem.spec_unknown_mechanism",
                Phrase("expected.one_of_list", items=known),
                name,
            )
    seeds = raw.get("seeds", [0])
    if not _whole_list(seeds) or not seeds:
        bad("seeds", "problem.spec_not_whole_list", Phrase("expected.whole_list"), seeds)
        seeds = [0]
    time_limit = raw.get("time_limit_s", 10.0)
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int | float)
        or not time_limit > 0
    ):
        bad("time_limit_s", "problem.out_of_range", Phrase("expected.positive_seconds"), time_limit)
        time_limit = 10.0
    workers = raw.get("workers", 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        bad("workers", "problem.not_whole", Phrase("expected.whole"), workers)
        workers = 1

    scenarios = raw.get("scenarios")
    scale, scenario_seeds, paths = None, [], []
    if not isinstance(scenarios, dict):
        bad("scenarios", "problem.spec_missing_scenarios", Phrase("expected.scenarios"), scenarios)
    else:
        check_keys(scenarios, _SCENARIO_KEYS, "scenarios.")
        if ("scale" in scenarios) == ("paths" in scenarios):
            bad(
                "scenarios",
                "problem.spec_missing_scenarios",
                Phrase("expected.scenarios"),
                scenarios,
            )
        elif "scale" in scenarios:
            scale = scenarios["scale"]
            if scale not in _SCALES:
                bad("scenarios.scale", "problem.not_allowed", one_of(_SCALES), scale)
            scenario_seeds = scenarios.get("seeds", [0])
            if not _whole_list(scenario_seeds) or not scenario_seeds:
                bad(
                    "scenarios.seeds",
                    "problem.spec_not_whole_list",
                    Phrase("expected.whole_list"),
                    scenario_seeds,
                )
                scenario_seeds = []
        else:
            given = scenarios["paths"]
            if (
                not isinstance(given, list)
                or not given
                or not all(isinstance(p, str) for p in given)
            ):
                bad(
                    "scenarios.paths",
                    "problem.spec_missing_list",
                    Phrase("expected.scenario_paths"),
                    given,
                )
            else:
                for p in given:
                    full = Path(p) if base is None or Path(p).is_absolute() else base / p
                    if not full.exists():
                        bad(
                            "scenarios.paths",
                            "problem.missing_file",
                            Phrase("expected.scenario_paths"),
                            p,
                        )
                    paths.append(str(full))

    grid_raw = raw.get("grid", {})
    grid: list[tuple[str, tuple[Any, ...]]] = []
    if not isinstance(grid_raw, dict):
        bad("grid", "problem.not_object", Phrase("expected.grid"), grid_raw)
        grid_raw = {}
    fields = Policy.model_fields
    base_policy = Policy().model_dump()
    for name, values in _flatten(grid_raw).items():
        key = f"grid.{name}"
        head = name.split(".")[0]
        if head not in fields:
            bad(key, "problem.spec_unknown_policy_field", Phrase("expected.policy_field"), None)
            continue
        if not isinstance(values, list) or not values:
            bad(key, "problem.spec_missing_list", Phrase("expected.grid"), values)
            continue
        values = [None if v == NONE else v for v in values]
        for value in values:
            try:
                policy_at(Policy.model_validate(base_policy), {name: value})
            except (ValidationError, KeyError, TypeError):
                shown = NONE if value is None else value
                bad(
                    key,
                    "problem.spec_bad_policy_value",
                    Phrase("expected.policy_value", field=name),
                    shown,
                )
        grid.append((name, tuple(values)))

    if problems:
        raise SpecError(problems, source=source)
    return BenchSpec(
        version=version,
        mechanisms=tuple(mechanisms),
        seeds=tuple(seeds),
        time_limit_s=float(time_limit),
        workers=workers,
        scale=scale,
        scenario_seeds=tuple(scenario_seeds),
        paths=tuple(paths),
        grid=tuple(grid),
    )
