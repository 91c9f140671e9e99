"""The ``staffopt`` command.

Exit codes tell the outcomes apart: 0 done, 2 invalid input (bad files or
arguments), 3 infeasible (hard requirements clash), 4 no solution within the
time limit, 130 stopped by the user (Ctrl-C: the best plan found is written
whole; a second Ctrl-C abandons it).

Every error staffopt words itself (a bad scenario, a bad flag value, an output
path that cannot be written, a plan that cannot be read) is printed in the
command's ``--lang`` (English by default), from the catalogue.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from staffopt.errors import ScenarioError, StaffoptError
from staffopt.texts import Phrase, text

if TYPE_CHECKING:
    from staffopt.plan import Plan
    from staffopt.replanning import Keep

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 2, 3, 4
#: 128 + SIGINT, as shells report a process Ctrl-C ended.
EXIT_INTERRUPTED = 130


_LANG_HELP = "language of the output and of error messages: en (default) or vi"


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

    tp = sub.add_parser(
        "template",
        help="write an Excel workbook to fill in: a sheet per table, headers in en or vi",
    )
    tp.add_argument("path", type=Path, help="the .xlsx file to write")
    tp.add_argument(
        "--lang", choices=("en", "vi"), default="vi", help="language of the sheets: vi (default)"
    )
    tp.add_argument("--example", default=None, help="fill it with a bundled example: dien-bien")

    va = sub.add_parser("validate", help="check a scenario and report every problem")
    va.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario")
    va.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)

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
    so.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)
    so.add_argument(
        "--excel",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the planner's workbook (.xlsx)",
    )
    so.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the HTML report (.html; needs the 'report' extra)",
    )
    so.add_argument(
        "--quiet",
        action="store_true",
        help="no progress display (it is also off when stdout is not a terminal)",
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

    al = sub.add_parser(
        "allocate", help="allocate with a named mechanism (optimal, lottery ...) and write the plan"
    )
    al.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario")
    al.add_argument(
        "--mechanism", required=True, metavar="NAME", help="one of staffopt.mechanisms()"
    )
    al.add_argument("--out", type=Path, required=True, help="folder for the plan")
    al.add_argument("--seed", type=int, default=0, metavar="N", help="the lottery's seed")
    al.add_argument("--lang", choices=("en", "vi"), default="en")

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
    xp.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)
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

    rp = sub.add_parser("report", help="write a plan's HTML report: figures, a map, tables")
    rp.add_argument("plan", type=Path, help="folder written by 'staffopt solve'")
    rp.add_argument("--scenario", type=Path, required=True, help="the scenario it was solved on")
    rp.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    rp.add_argument("--lang", choices=("en", "vi"), default="en")

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
    wi.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)

    ru = sub.add_parser(
        "rules", help="list every eligibility rule and constraint: source, default, policy keys"
    )
    ru.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)

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

    # -- pareto (issue 10) --
    from staffopt.results import OBJECTIVE_TERM_NAMES

    rn = sub.add_parser("replan", help="re-plan a changed scenario, keeping the previous plan")
    rn.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario (changed)")
    rn.add_argument("--previous", type=Path, required=True, help="folder of the previous plan")
    rn.add_argument("--out", type=Path, required=True, help="folder for the new plan + diff.csv")
    rn.add_argument(
        "--keep",
        default="first",
        metavar="first|POINTS",
        help="'first': keep the most previous assignments, then the best score (default); "
        "POINTS: each kept assignment earns that many points",
    )
    rn.add_argument(
        "--next-round",
        action="store_true",
        dest="next_round",
        help="the previous plan is the round before: its months count as months seconded "
        "before, the round starts after it, the term rule decides who is extended",
    )
    rn.add_argument("--excel", type=Path, default=None, metavar="FILE", help="also a workbook")
    rn.add_argument("--time-limit", type=float, default=None, metavar="S", dest="time_limit")
    rn.add_argument("--lang", choices=("en", "vi"), default="en", help=_LANG_HELP)

    pa = sub.add_parser("pareto", help="non-dominated plans trading one objective term for another")
    pa.add_argument("path", type=Path, help="CSV folder, .xlsx or .json scenario")
    pa.add_argument("--x", choices=OBJECTIVE_TERM_NAMES, default="slots", help="term across")
    pa.add_argument("--y", choices=OBJECTIVE_TERM_NAMES, default="travel_km", help="term up")
    pa.add_argument("--points", type=int, default=5, help="plans to solve (at least 2)")
    pa.add_argument("--out", type=Path, required=True, help="CSV file of the points")
    pa.add_argument("--plot", type=Path, default=None, metavar="FILE", help="also draw them")
    pa.add_argument("--time-limit", type=float, default=None, metavar="S", help="per plan")
    pa.add_argument("--lang", choices=("en", "vi"), default="en")

    be = sub.add_parser(
        "bench", help="compare mechanisms and policies on many scenarios (a TOML spec)"
    )
    be.add_argument("spec", type=Path, help="the experiment spec (TOML)")
    be.add_argument("--out", type=Path, default=Path("bench_out"), help="folder of the results")
    be.add_argument("--jobs", type=int, default=1, metavar="N", help="local processes")
    be.add_argument("--scheduler", default=None, metavar="ADDRESS", help="a Dask scheduler")
    be.add_argument("--report", type=Path, default=None, metavar="FILE", help="an HTML report")
    be.add_argument("--lang", choices=("en", "vi"), default="en")
    return p


class FlagError(StaffoptError):
    """Flag values outside their range: one argparse-style line per flag."""

    def __init__(self, lines: list[Phrase]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def text(self, lang: str = "en") -> str:
        return "\n".join(line.text(lang) for line in self.lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", "en")
    try:
        return int(_COMMANDS[args.command](args))
    except (ScenarioError, FlagError) as exc:
        print(exc.text(lang), file=sys.stderr)
        return EXIT_INVALID
    except StaffoptError as exc:
        print(text("flag.error", lang, message=exc.text(lang)), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as exc:  # an API refusal not worded in the catalogue (generate)
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


def _template(args: argparse.Namespace) -> int:
    from staffopt.io.atomic import output_problem
    from staffopt.io.template import write_template

    wrong = output_problem(args.path, folder=False)
    if wrong:
        raise FlagError([Phrase("flag.error", message=wrong)])
    example = None
    if args.example is not None:
        from staffopt.scenarios import load_example

        example = load_example(args.example)
    write_template(args.path, args.lang, example)
    _emit(text("cli.template_written", args.lang, path=args.path))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario

    scenario = load_scenario(args.path)
    print(scenario.summary())
    unnamed = scenario.unnamed_fields()
    if unnamed:
        print(text("message.unnamed_fields", args.lang, fields=", ".join(unnamed)))
    print("no problems found")
    return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.solver import solve

    # A bad flag or a typo in an output path must not cost reading and solving.
    _check_flags(args)
    wrong = [
        problem
        for path, folder in ((args.out, True), (args.excel, False), (args.report, False))
        if path is not None and (problem := output_problem(path, folder=folder))
    ]
    if wrong:
        raise FlagError([Phrase("flag.error", message=p) for p in wrong])
    scenario = load_scenario(args.path)
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
    from staffopt.progress_view import live_progress

    with live_progress(args.lang, quiet=args.quiet) as progress:
        plan = solve(scenario, options=options, progress=progress)
    # Write first, talk after: output cut short (a closed pipe) loses no file.
    plan.save(args.out, lang=args.lang)
    wrote = [text("cli.plan_written", args.lang, path=args.out)]
    if args.excel is not None and plan.ok:
        plan.to_excel(args.excel, lang=args.lang)
        wrote.append(text("cli.workbook_written", args.lang, path=args.excel))
    if args.report is not None:
        plan.to_html(args.report, lang=args.lang)
        wrote.append(text("cli.report_written", args.lang, path=args.report))
    # The exit code says what the plan is, even if nobody reads the summary.
    _emit(plan.summary(args.lang) + "\n" + "\n".join(wrote))
    if plan.stopped_by == "user":
        return EXIT_INTERRUPTED
    if plan.status == "infeasible":
        return EXIT_INFEASIBLE
    if plan.status == "unknown":
        return EXIT_NO_SOLUTION
    return EXIT_OK


#: The solve flags that set a SolveOptions field with a range, by field.
_SOLVE_FLAGS = {
    "time_limit_s": ("--time-limit", "time_limit"),
    "relative_gap": ("--gap", "gap"),
    "workers": ("--workers", "workers"),
    "seed": ("--seed", "seed"),
}


def _check_flags(args: argparse.Namespace, command: str = "solve") -> None:
    """Each solve flag outside its documented range as an argparse-style line naming the
    flag, the range and the value (:class:`FlagError`); before any file is read."""
    from pydantic import ValidationError

    from staffopt.io.problems import describe_error, show_value, value_range
    from staffopt.schema import SolveOptions

    given = {
        f: v
        for f, (_, attr) in _SOLVE_FLAGS.items()
        if (v := getattr(args, attr, None)) is not None
    }
    try:
        SolveOptions.model_validate(given)
        return
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    lines = []
    for err in errors:
        field = str(err["loc"][0])
        message, expected = describe_error(err, None, value_range(SolveOptions, err["loc"]))
        lines.append(
            Phrase(
                "flag.invalid",
                command=command,
                flag=_SOLVE_FLAGS[field][0],
                message=message,
                expected=expected or Phrase("expected.a_value"),
                found=show_value(err["input"]),
            )
        )
    raise FlagError(lines)


def _allocate(args: argparse.Namespace) -> int:
    from staffopt.allocation import allocate
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.metrics import evaluate
    from staffopt.texts import text

    wrong = output_problem(args.out, folder=True)
    if wrong:
        raise FlagError([Phrase("flag.error", message=wrong)])
    scenario = load_scenario(args.path)
    plan = allocate(scenario, args.mechanism, seed=args.seed)
    plan.save(args.out, lang=args.lang)
    m = evaluate(scenario, plan)
    verdict = text(
        "cli.mechanism_verdict",
        args.lang,
        kept=m["violations"],
        ignored=m["violations_ignored"],
        ignores=", ".join(plan.ignores) or "-",
    )
    wrote = text("cli.plan_written", args.lang, path=args.out)
    _emit(f"{plan.summary(args.lang)}\n{verdict}\n{wrote}")
    return {"infeasible": EXIT_INFEASIBLE, "unknown": EXIT_NO_SOLUTION}.get(plan.status, EXIT_OK)


def _explain(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.plan import load_plan

    alone = [
        f for f, v in (("--out", args.out), ("--time-limit", args.time_limit)) if v is not None
    ]
    if alone and not args.all:
        raise FlagError([Phrase("flag.with_all", flags=", ".join(alone))])
    if args.out is not None and (problem := output_problem(args.out, folder=False)):
        raise FlagError([Phrase("flag.error", message=problem)])
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan, scenario=scenario)
    if args.all:
        return _explain_all(plan, args)
    exp = plan.explain(official=args.official, need=args.need, commune=args.commune, lang=args.lang)
    print(exp.text)
    return EXIT_OK


def _explain_all(plan: Plan, args: argparse.Namespace) -> int:
    from staffopt.explain_all import write_explanations

    rows = plan.explain_all(args.lang, time_limit_s=args.time_limit)
    if args.out is None:
        print("\n".join(rows["text"]))
    else:
        write_explanations(rows, args.out)
        print(text("cli.explanations_written", args.lang, rows=len(rows), path=args.out))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.plan import load_plan
    from staffopt.texts import text

    problem = output_problem(args.out, folder=False)
    if problem:
        raise FlagError([Phrase("flag.error", message=problem)])
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan, scenario=scenario)
    plan.to_html(args.out, lang=args.lang)
    print(text("cli.report_written", args.lang, path=args.out))
    return EXIT_OK


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        official, sep, need = item.partition("=")
        if not sep or not official.strip() or not need.strip():
            raise FlagError([Phrase("flag.pair", command="what-if", flag=flag, found=item)])
        pairs.append((official.strip(), need.strip()))
    return pairs


def _what_if(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.plan import load_plan

    locks, forbids = _pairs(args.lock, "--lock"), _pairs(args.forbid, "--forbid")
    if not locks and not forbids:
        raise FlagError([Phrase("flag.lock_or_forbid")])
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan, scenario=scenario)
    result = plan.what_if(lock=locks, forbid=forbids, time_limit_s=args.time_limit)
    print(result.text(args.lang))
    return _exit_code(result.plan)


def _exit_code(plan: Plan) -> int:
    """What a re-solved plan is, as the exit code (stopped, infeasible, no solution, done)."""
    if plan.stopped_by == "user":
        return EXIT_INTERRUPTED
    if plan.status == "infeasible":
        return EXIT_INFEASIBLE
    if plan.status == "unknown":
        return EXIT_NO_SOLUTION
    return EXIT_OK


def _keep_flag(value: str) -> Keep:
    """``--keep``: ``first`` or a whole number of points (see ``replanning.keep_problem``)."""
    from staffopt.replanning import keep_problem

    given = value.strip()
    keep: Keep | str = int(given) if given.isdigit() else given
    problem = keep_problem(keep)
    if problem is None and (keep == "first" or isinstance(keep, int)):
        return "first" if keep == "first" else int(keep)
    assert problem is not None
    raise FlagError(
        [
            Phrase(
                "flag.invalid",
                command="replan",
                flag="--keep",
                message=problem.message,
                expected=problem.expected,
                found=f"'{value}'",
            )
        ]
    )


def _replan(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import output_problem
    from staffopt.plan import load_plan
    from staffopt.replanning import replan

    _check_flags(args, "replan")
    keep = _keep_flag(args.keep)
    wrong = [
        problem
        for path, folder in ((args.out, True), (args.excel, False))
        if path is not None and (problem := output_problem(path, folder=folder))
    ]
    if wrong:
        raise FlagError([Phrase("flag.error", message=p) for p in wrong])
    scenario = load_scenario(args.path)
    # The previous plan was made on the old scenario: read it without this one.
    previous = load_plan(args.previous)
    result = replan(
        scenario,
        previous,
        keep=keep,
        time_limit_s=args.time_limit,
        lang=args.lang,
        next_round=args.next_round,
    )
    result.save(args.out)
    wrote = [text("cli.plan_written", args.lang, path=args.out)]
    if result.round_scenario is not None:
        from staffopt.plan import ROUND_SCENARIO_DIR

        folder = Path(args.out) / ROUND_SCENARIO_DIR
        wrote.append(text("cli.round_scenario_written", args.lang, path=folder))
    if args.excel is not None and result.plan.ok:
        result.to_excel(args.excel)
        wrote.append(text("cli.workbook_written", args.lang, path=args.excel))
    _emit(result.plan.summary(args.lang) + "\n\n" + result.text() + "\n" + "\n".join(wrote))
    return _exit_code(result.plan)


def _generate(args: argparse.Namespace) -> int:
    from staffopt.scenarios.synthetic import synthetic

    scenario = synthetic(args.scale, seed=args.seed, part_time_share=args.part_time_share)
    path = scenario.save(args.out)
    print(scenario.summary())
    print(f"written to {path}")
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from staffopt.rules import catalogue_text

    _emit(catalogue_text(args.lang))
    return EXIT_OK


def _pareto(args: argparse.Namespace) -> int:
    from staffopt.io import load_scenario
    from staffopt.io.atomic import atomic_file, output_problem
    from staffopt.texts import text
    from staffopt.tradeoffs import pareto, plot_pareto

    wrong = [
        problem
        for path in (args.out, args.plot)
        if path is not None and (problem := output_problem(path, folder=False))
    ]
    if wrong:
        raise FlagError([Phrase("flag.error", message=p) for p in wrong])
    scenario = load_scenario(args.path)
    frame = pareto(scenario, args.x, args.y, args.points, time_limit_s=args.time_limit)
    with atomic_file(args.out) as tmp:
        frame.to_csv(tmp, index=False)
    wrote = [text("cli.pareto_written", args.lang, n=len(frame), path=args.out)]
    if args.plot is not None and len(frame):
        plot_pareto(frame, args.plot, lang=args.lang)
        wrote.append(text("cli.plot_written", args.lang, path=args.plot))
    _emit(frame.to_string(index=False) + "\n" + "\n".join(wrote))
    return EXIT_OK if len(frame) else EXIT_INFEASIBLE


def _bench(args: argparse.Namespace) -> int:
    from staffopt.bench import run

    if args.jobs < 1:
        raise FlagError([Phrase("flag.bench_jobs", found=args.jobs)])
    from staffopt.io.atomic import output_problem

    # A typo in an output path must not cost the whole experiment. The report may
    # go into the results folder, which run() makes.
    checks = [(args.out, True)]
    if args.report is not None and args.report.parent.resolve() != args.out.resolve():
        checks.append((args.report, False))
    wrong = [problem for path, folder in checks if (problem := output_problem(path, folder=folder))]
    if wrong:
        raise FlagError([Phrase("flag.error", message=p) for p in wrong])
    try:
        result = run(args.spec, args.out, jobs=args.jobs, scheduler=args.scheduler)
    except KeyboardInterrupt:
        # Finished rows are saved one by one: the same command resumes.
        print(text("cli.bench_interrupted", args.lang, path=args.out), file=sys.stderr)
        return EXIT_INTERRUPTED
    print(
        text(
            "cli.bench_written",
            args.lang,
            rows=len(result.table),
            computed=result.computed,
            path=args.out,
        )
    )
    if args.report is not None:
        from staffopt.bench.report import bench_to_html

        bench_to_html(result.table, args.report, lang=args.lang)
        print(text("cli.bench_report_written", args.lang, path=args.report))
    return EXIT_OK


_COMMANDS = {
    "example": _example,
    "template": _template,
    "validate": _validate,
    "solve": _solve,
    "allocate": _allocate,
    "explain": _explain,
    "generate": _generate,
    "what-if": _what_if,
    "report": _report,
    "pareto": _pareto,
    "rules": _rules,
    "replan": _replan,
    "bench": _bench,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
