"""The ``staffopt`` command.

Exit codes tell the outcomes apart: 0 done, 2 invalid input (bad files or
arguments), 3 infeasible (hard requirements clash), 4 no solution within the
time limit, 130 stopped by the user (Ctrl-C: the best plan found is written
whole; a second Ctrl-C abandons it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from staffopt.errors import OutputError, PlanError, ScenarioError, StaffoptError

if TYPE_CHECKING:
    from staffopt.plan import Plan

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 2, 3, 4
#: 128 + SIGINT, as shells report a process Ctrl-C ended.
EXIT_INTERRUPTED = 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="staffopt",
        description="Plan who is seconded where: officials to communes, optimal and explained.",
        epilog="Exit codes: 0 done, 2 invalid input, 3 infeasible, 4 no solution in time, "
        "130 stopped by the user (Ctrl-C; the best plan found is written).",
    )
    from staffopt import __version__

    p.add_argument("--version", action="version", version=f"staffopt {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("example", help="write a bundled example scenario into a folder")
    ex.add_argument("name", help="example name: dien-bien")
    ex.add_argument("directory", type=Path)
    ex.add_argument("--overwrite", action="store_true", help="replace existing files")

    va = sub.add_parser("validate", help="check a scenario and report every problem")
    va.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario")

    so = sub.add_parser("solve", help="solve a scenario and write the plan")
    so.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario")
    so.add_argument("--out", type=Path, required=True, help="folder for the plan")
    so.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="solver time limit in seconds (default: the scenario's options, else 60)",
    )
    so.add_argument("--lang", choices=("en", "vi"), default="en")
    so.add_argument(
        "--excel",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the planner's workbook (.xlsx)",
    )
    so.add_argument("--engine", choices=("auto", "cpsat", "flow"), default=None)
    so.add_argument(
        "--gap",
        type=float,
        default=None,
        metavar="F",
        help="stop once the plan is within this fraction of the bound, e.g. 0.005",
    )
    so.add_argument(
        "--workers", type=int, default=None, metavar="N", help="CP-SAT workers (0 = one per core)"
    )
    so.add_argument("--seed", type=int, default=None, metavar="N", help="CP-SAT random seed")
    so.add_argument(
        "--fast",
        action="store_true",
        help="search by the wall clock instead of in the reproducible mode (the default, "
        "whatever the scenario's options say: the same plan for the same input, seed and "
        "core count, the time limit converted to deterministic work); two runs may differ",
    )

    xp = sub.add_parser("explain", help="explain a plan for an official, a need or a commune")
    xp.add_argument("plan", type=Path, help="folder written by 'staffopt solve'")
    xp.add_argument("--scenario", type=Path, required=True, help="the scenario it was solved on")
    who = xp.add_mutually_exclusive_group(required=True)
    who.add_argument("--official", metavar="ID")
    who.add_argument("--need", metavar="ID")
    who.add_argument("--commune", metavar="ID")
    who.add_argument(
        "--all",
        action="store_true",
        help="every assignment, empty slot and unused official, each with its re-solved cost",
    )
    xp.add_argument("--lang", choices=("en", "vi"), default="en")
    xp.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="CSV",
        help="with --all: write the rows to this CSV file (else print their text)",
    )
    xp.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="with --all: stop re-solving after S seconds (rows left say cost_status skipped)",
    )

    wi = sub.add_parser("what-if", help="what a change would cost: re-solve with locks/forbids")
    wi.add_argument("plan", type=Path, help="folder written by 'staffopt solve'")
    wi.add_argument("--scenario", type=Path, required=True, help="the scenario it was solved on")
    wi.add_argument(
        "--lock",
        action="append",
        default=[],
        metavar="OFFICIAL=NEED",
        help="assign this official to this need (repeatable)",
    )
    wi.add_argument(
        "--forbid",
        action="append",
        default=[],
        metavar="OFFICIAL=NEED",
        help="never assign this official to this need (repeatable)",
    )
    wi.add_argument("--time-limit", type=float, default=None, metavar="S")
    wi.add_argument("--lang", choices=("en", "vi"), default="en")

    ge = sub.add_parser("generate", help="write a synthetic scenario (seeded)")
    ge.add_argument("out", type=Path, help="CSV folder, .xlsx or .json to write")
    ge.add_argument("--scale", choices=("province", "large", "nation"), default="province")
    ge.add_argument("--seed", type=int, default=0)
    ge.add_argument(
        "--part-time-share",
        type=float,
        default=0.0,
        help="share of needs that are part-time shared support (0-1)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args))
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except (PlanError, StaffoptError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error of ours.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        # Before the search (reading, candidates) or a second Ctrl-C: nothing to keep.
        print("interrupted: no plan written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _emit(text: str) -> None:
    """Print ``text``; a reader that went away (``| head``) is not an error."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        _silence_stdout()


def _example(args: argparse.Namespace) -> int:
    from staffopt.scenarios import write_example

    path = write_example(args.name, args.directory, overwrite=args.overwrite)
    print(f"wrote example '{args.name}' to {path}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario

    scenario = load_scenario(args.path)
    print(scenario.summary())
    print("no problems found")
    return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.solver import solve
    from staffopt.texts import text

    # A typo in an output path must not cost a long solve: check them first.
    wrong = [
        problem
        for path, folder in ((args.out, True), (args.excel, False))
        if path is not None and (problem := output_problem(path, folder=folder))
    ]
    if wrong:
        raise OutputError("; ".join(wrong))
    scenario = load_scenario(args.path)
    if args.gap is not None and not 0 <= args.gap < 1:
        raise ValueError(f"--gap expects a fraction in [0, 1), e.g. 0.005; found {args.gap:g}")
    # Flags override the scenario's default solve options (options.json). The
    # command is reproducible unless --fast, whatever the options say (a saved
    # scenario writes every option, so its "deterministic" is no choice).
    options = scenario.options.with_changes(
        engine=args.engine,
        time_limit_s=args.time_limit,
        relative_gap=args.gap,
        workers=args.workers,
        seed=args.seed,
        deterministic=not args.fast,
    )
    plan = solve(scenario, options=options)
    # Write first, talk after: output cut short (a closed pipe) loses no file.
    plan.save(args.out, lang=args.lang)
    wrote = [text("cli.plan_written", args.lang, path=args.out)]
    if args.excel is not None and plan.ok:
        plan.to_excel(args.excel, lang=args.lang)
        wrote.append(text("cli.workbook_written", args.lang, path=args.excel))
    # The exit code says what the plan is, even if nobody reads the summary.
    _emit(plan.summary(args.lang) + "\n" + "\n".join(wrote))
    if plan.stopped_by == "user":
        return EXIT_INTERRUPTED
    if plan.status == "infeasible":
        return EXIT_INFEASIBLE
    if plan.status == "unknown":
        return EXIT_NO_SOLUTION
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.plan import load_plan

    if (args.out is not None or args.time_limit is not None) and not args.all:
        raise ValueError("--out and --time-limit go with --all")
    if args.out is not None and (problem := output_problem(args.out, folder=False)):
        raise OutputError(problem)
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan, scenario=scenario)
    if args.all:
        return _explain_all(plan, args)
    exp = plan.explain(official=args.official, need=args.need, commune=args.commune, lang=args.lang)
    print(exp.text)
    return EXIT_OK


def _explain_all(plan: Plan, args: argparse.Namespace) -> int:
    from staffopt.explain_all import write_explanations
    from staffopt.texts import text

    rows = plan.explain_all(args.lang, time_limit_s=args.time_limit)
    if args.out is None:
        print("\n".join(rows["text"]))
    else:
        write_explanations(rows, args.out)
        print(text("cli.explanations_written", args.lang, rows=len(rows), path=args.out))
    return EXIT_OK


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        official, sep, need = item.partition("=")
        if not sep or not official.strip() or not need.strip():
            raise ValueError(f"{flag} expects OFFICIAL=NEED, found '{item}'")
        pairs.append((official.strip(), need.strip()))
    return pairs


def _what_if(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.plan import load_plan

    locks, forbids = _pairs(args.lock, "--lock"), _pairs(args.forbid, "--forbid")
    if not locks and not forbids:
        raise ValueError("give at least one --lock or --forbid")
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan, scenario=scenario)
    result = plan.what_if(lock=locks, forbid=forbids, time_limit_s=args.time_limit)
    print(result.text(args.lang))
    if result.plan.stopped_by == "user":
        return EXIT_INTERRUPTED
    if result.plan.status == "infeasible":
        return EXIT_INFEASIBLE
    if result.plan.status == "unknown":
        return EXIT_NO_SOLUTION
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    from staffopt.scenarios.synthetic import synthetic

    scenario = synthetic(args.scale, seed=args.seed, part_time_share=args.part_time_share)
    path = scenario.save(args.out)
    print(scenario.summary())
    print(f"written to {path}")
    return EXIT_OK


_COMMANDS = {
    "example": _example,
    "validate": _validate,
    "solve": _solve,
    "explain": _explain,
    "generate": _generate,
    "what-if": _what_if,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
