"""The staffopt command end to end on the bundled example, with exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from staffopt.cli import (
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_NO_SOLUTION,
    EXIT_OK,
    main,
)
from staffopt.io import load_scenario
from staffopt.plan import load_plan


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ex") / "dien_bien"
    assert main(["example", "dien-bien", str(folder)]) == EXIT_OK
    return folder


@pytest.fixture(scope="module")
def solved(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "plan"
    xlsx = out.parent / "plan.xlsx"
    code = main(["solve", str(example), "--out", str(out), "--excel", str(xlsx), "--lang", "vi"])
    assert code == EXIT_OK
    return out


def test_example_refuses_to_overwrite(example: Path) -> None:
    assert main(["example", "dien-bien", str(example)]) == EXIT_INVALID
    assert main(["example", "dien-bien", str(example), "--overwrite"]) == EXIT_OK


def test_validate_ok_and_bad(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(example)]) == EXIT_OK
    assert "45 communes" in capsys.readouterr().out
    bad = tmp_path / "bad"
    shutil.copytree(example, bad)
    needs = pd.read_csv(bad / "needs.csv", dtype=str, keep_default_na=False)
    needs.loc[0, "commune_id"] = "atlantis"
    needs.to_csv(bad / "needs.csv", index=False)
    assert main(["validate", str(bad)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "atlantis" in err and "needs" in err and "row 2" in err


def test_solve_writes_plan_that_checks(example: Path, solved: Path) -> None:
    from staffopt.checker import check

    meta = json.loads((solved / "plan.json").read_text(encoding="utf-8"))
    assert meta["status"] == "optimal"
    assert meta["gap"] == 0
    assert meta["stopped_by"] == "optimal"
    # staffopt solve is reproducible by default.
    assert meta["solver"]["deterministic"] is True and meta["reproducible"] is True
    scenario = load_scenario(example)
    plan = load_plan(solved, scenario=scenario)
    assert check(scenario, plan) == []
    assert plan.objective == plan.assignments["score"].sum()
    assert len(plan.unmet) > 0  # the example leaves some needs unmet, with reasons
    assert set(plan.unmet["reason"]) <= {
        "candidates_taken",
        "agency_ceiling",
        "no_eligible_candidate",
        "not_worth_it",
        "budget",  # the example's allowance budget binds
    }
    report = (solved / "report.txt").read_text(encoding="utf-8")
    assert "Nậm Nèn" in report and "vùng III" in report


def test_workbook_has_sheets(solved: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(solved.parent / "plan.xlsx", read_only=True)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Phân công",
        "Chưa đáp ứng",
        "Theo vùng",
        "Cơ quan",
        "Theo xã",
        "Cán bộ không được biệt phái",
    ]


def test_explain_commune(example: Path, solved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", str(solved), "--scenario", str(example), "--commune", "nam-nen"])
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "Nậm Nèn" in out and "Score" in out
    code = main(
        ["explain", str(solved), "--scenario", str(example), "--need", "nam-nen-it", "--lang", "vi"]
    )
    assert code == EXIT_OK
    assert "Điểm" in capsys.readouterr().out


def test_explain_unknown_id(
    example: Path, solved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["explain", str(solved), "--scenario", str(example), "--official", "nobody"])
    assert code == EXIT_INVALID
    assert "nobody" in capsys.readouterr().err


def test_infeasible_exit_code(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "tight"
    shutil.copytree(example, bad)
    agencies = pd.read_csv(bad / "agencies.csv", dtype=str, keep_default_na=False)
    # A floor above the number of people who could go at all.
    agencies.loc[0, "min_release"] = agencies.loc[0, "max_release"]
    agencies.loc[0, "headcount"] = "500"
    agencies.loc[0, "max_release"] = "400"
    agencies.loc[0, "min_release"] = "300"
    agencies.to_csv(bad / "agencies.csv", index=False)
    code = main(["solve", str(bad), "--out", str(tmp_path / "out")])
    assert code == EXIT_INFEASIBLE
    out = capsys.readouterr().out
    assert agencies.loc[0, "agency_id"] in out and "infeasible" in out
    # In Vietnamese, no English sentence: the message is rebuilt from the conflicts.
    code = main(["solve", str(bad), "--out", str(tmp_path / "out-vi"), "--lang", "vi"])
    assert code == EXIT_INFEASIBLE
    vi = capsys.readouterr().out
    assert "không khả thi" in vi and "phải cử ít nhất 300 người" in vi
    assert "must release" not in vi and "written to" not in vi
    assert "đã ghi phương án vào" in vi


def test_no_solution_within_limit_exits_4(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import staffopt.solver as solve_module

    real_solve = solve_module.solve

    def out_of_time(*args: object, **kwargs: object) -> object:
        plan = real_solve(*args, **kwargs)  # type: ignore[arg-type]
        # What a run that found nothing before its limit returns.
        plan.status = "unknown"
        plan.objective = plan.bound = None
        plan.assignments = plan.assignments.iloc[:0]
        plan.message = "no plan found within the time limit of 1 s; raise time_limit_s"
        plan.stopped_by = "time_limit"
        plan.solver.deterministic = False
        return plan

    monkeypatch.setattr(solve_module, "solve", out_of_time)
    code = main(["solve", str(example), "--out", str(tmp_path / "out")])
    assert code == EXIT_NO_SOLUTION
    assert "no plan found within the time limit of 10 s" in capsys.readouterr().out
    assert len({EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_SOLUTION, EXIT_INTERRUPTED}) == 5


def test_fast_turns_the_reproducible_mode_off(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "fast"
    assert main(["solve", str(example), "--out", str(out), "--fast"]) == EXIT_OK
    meta = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert meta["solver"]["deterministic"] is False and meta["reproducible"] is False


def test_ctrl_c_before_the_search_writes_nothing(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import staffopt.solver as solve_module

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt  # e.g. while candidates are generated

    monkeypatch.setattr(solve_module, "solve", interrupted)
    code = main(["solve", str(example), "--out", str(tmp_path / "out")])
    assert code == EXIT_INTERRUPTED
    assert "no plan written" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_path_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == EXIT_INVALID
    assert "nope" in capsys.readouterr().err


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "staffopt.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "staffopt" in result.stdout


def _solve_with_closed_stdout(scenario: Path, out: Path) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "staffopt.cli", "solve", str(scenario), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away at once, like `| head -0`
    err = proc.stderr.read().decode()
    return proc.wait(), err


def test_output_cut_short_writes_everything_and_no_traceback(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    code, err = _solve_with_closed_stdout(example, out)
    assert code == EXIT_OK
    assert "Traceback" not in err
    assert (out / "plan.json").is_file() and (out / "assignments.csv").is_file()


def test_output_cut_short_keeps_the_infeasible_exit_code(example: Path, tmp_path: Path) -> None:
    bad = tmp_path / "tight"
    shutil.copytree(example, bad)
    agencies = pd.read_csv(bad / "agencies.csv", dtype=str, keep_default_na=False)
    agencies.loc[0, ["headcount", "max_release", "min_release"]] = ["500", "400", "300"]
    agencies.to_csv(bad / "agencies.csv", index=False)
    code, err = _solve_with_closed_stdout(bad, tmp_path / "plan")
    assert code == EXIT_INFEASIBLE
    assert "Traceback" not in err


def test_solve_with_a_gap_stop(example: Path, tmp_path: Path) -> None:
    from staffopt.checker import check

    out = tmp_path / "plan"
    assert main(["solve", str(example), "--out", str(out), "--gap", "0.05"]) == EXIT_OK
    meta = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert meta["status"] in ("optimal", "feasible")
    assert meta["gap"] <= 0.05
    scenario = load_scenario(example)
    assert check(scenario, load_plan(out, scenario=scenario)) == []


def test_a_gap_outside_0_1_is_refused(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["solve", str(example), "--out", str(tmp_path / "p"), "--gap", "1.5"])
    assert code == EXIT_INVALID
    err = capsys.readouterr().err
    assert err == (
        "staffopt solve: error: argument --gap: out of range; expected >= 0 and < 1, found 1.5\n"
    )
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        (
            ["--seed", "2147483648"],
            "argument --seed: out of range; expected >= 0 and <= 2147483647, found 2147483648",
        ),
        (["--seed", "-1"], "argument --seed: out of range; expected >= 0 and <= 2147483647"),
        (["--workers", "1025"], "argument --workers: out of range; expected >= 0 and <= 1024"),
        (
            ["--time-limit", "-1"],
            "argument --time-limit: out of range; expected > 0 and <= 1000000, found -1.0",
        ),
        (["--time-limit", "nan"], "argument --time-limit: not a finite number; expected > 0"),
        (["--gap", "2"], "argument --gap: out of range; expected >= 0 and < 1, found 2.0"),
    ],
)
def test_a_flag_out_of_its_range_names_the_flag_the_range_and_the_value(
    example: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    line: str,
) -> None:
    code = main(["solve", str(example), "--out", str(tmp_path / "p"), *flags])
    assert code == EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith("staffopt solve: error: " + line), err
    assert "pydantic" not in err and "validation error" not in err
    assert not (tmp_path / "p").exists()


def test_several_bad_flags_each_get_a_line_in_the_users_language(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "p")
    argv = ["solve", str(example), "--out", out, "--seed", "-5", "--gap", "2", "--lang", "vi"]
    assert main(argv) == EXIT_INVALID
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "staffopt solve: lỗi: tham số --gap: nằm ngoài phạm vi cho phép; cần >= 0 và < 1, "
        "nhận được 2.0",
        "staffopt solve: lỗi: tham số --seed: nằm ngoài phạm vi cho phép; "
        "cần >= 0 và <= 2147483647, nhận được -5",
    ]


def test_a_bad_scenario_is_reported_in_vietnamese_with_lang_vi(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(example, bad)
    needs = pd.read_csv(bad / "needs.csv", dtype=str)
    needs.loc[0, "slots"] = "many"
    needs.loc[1, "commune_id"] = "NOWHERE"
    needs.to_csv(bad / "needs.csv", index=False)
    for argv in (
        ["validate", str(bad), "--lang", "vi"],
        ["solve", str(bad), "--out", str(tmp_path / "p"), "--lang", "vi"],
    ):
        assert main(argv) == EXIT_INVALID
        err = capsys.readouterr().err
        head, *lines = err.splitlines()
        assert head == f"kịch bản không hợp lệ: {len(lines)} lỗi"
        assert len(lines) == 2
        assert "dòng 2, cột 'slots'" in lines[0] and "không phải số nguyên" in lines[0]
        assert "nhận được 'many'" in lines[0] and "cần một số nguyên" in lines[0]
        assert "dòng 3, cột 'commune_id'" in lines[1]
        assert "xã không có trong bảng communes" in lines[1]
        for english in ("row", "column", "expected", "found", "not a whole", "unknown"):
            assert english not in err
    assert not (tmp_path / "p").exists()
    assert main(["validate", str(bad)]) == EXIT_INVALID
    assert "row 2, column 'slots'" in capsys.readouterr().err


def test_output_and_plan_errors_in_the_users_language(
    example: Path, solved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    argv = ["solve", str(example), "--out", str(file), "--lang", "vi"]
    assert main(argv) == EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith("lỗi: không ghi được thư mục phương án") and "cannot" not in err
    argv = ["explain", str(solved), "--scenario", str(example), "--official", "X", "--lang", "vi"]
    assert main(argv) == EXIT_INVALID
    assert capsys.readouterr().err == "lỗi: không có cán bộ 'X'\n"
    argv = ["what-if", str(solved), "--scenario", str(example), "--lock", "a", "--lang", "vi"]
    assert main(argv) == EXIT_INVALID
    assert "cần OFFICIAL=NEED, nhận được 'a'" in capsys.readouterr().err


# -- output paths are checked before the solve ----------------------------------------


def _solve_to(example: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    import staffopt.solver

    real = staffopt.solver.solve
    calls: list[object] = []

    def counting(*a: object, **k: object) -> object:
        calls.append(a)
        return real(*a, **k)  # type: ignore[arg-type]

    staffopt.solver.solve = counting  # type: ignore[assignment]
    try:
        code = main(["solve", str(example), *extra])
    finally:
        staffopt.solver.solve = real
    err = capsys.readouterr().err
    if code == EXIT_INVALID:
        assert calls == [], "the output path must be refused before the solve"
    return code, err


def test_out_that_is_a_file_is_refused_before_the_solve(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "plan"
    taken.write_text("not a folder")
    code, err = _solve_to(example, capsys, "--out", str(taken))
    assert code == EXIT_INVALID and "Traceback" not in err
    assert str(taken) in err and "a file of that name exists" in err
    assert taken.read_text() == "not a folder"  # left alone


def test_out_in_a_missing_folder_is_refused(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no" / "such" / "plan"
    code, err = _solve_to(example, capsys, "--out", str(out))
    assert code == EXIT_INVALID and "does not exist" in err and str(out.parent) in err
    assert not (tmp_path / "no").exists()


def test_excel_that_is_a_folder_is_refused(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "plan.xlsx"
    book.mkdir()
    code, err = _solve_to(example, capsys, "--out", str(tmp_path / "p"), "--excel", str(book))
    assert code == EXIT_INVALID and "a folder of that name exists" in err
    assert not (tmp_path / "p").exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root writes anywhere: permissions cannot be tested",
)
def test_read_only_folder_is_refused(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, err = _solve_to(example, capsys, "--out", str(locked / "plan"))
    finally:
        locked.chmod(0o700)
    assert code == EXIT_INVALID and "no permission" in err


def test_output_problem_for_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permissions checked through os.access (as root, the test fakes a refusal)."""
    import staffopt.io.atomic as atomic

    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(atomic.os, "access", lambda p, mode: Path(p) != locked)
    assert "no permission to write in" in str(atomic.output_problem(locked / "plan", folder=True))
    assert atomic.output_problem(tmp_path / "plan", folder=True) is None


def test_a_write_error_names_the_path_not_a_traceback(tmp_path: Path) -> None:
    from staffopt.errors import OutputError
    from staffopt.io.atomic import atomic_dir

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="file"), atomic_dir(blocker / "plan"):
        pass


def test_allocate_writes_a_checked_plan_of_the_mechanism(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lottery"
    assert main(["allocate", str(example), "--mechanism", "lottery", "--out", str(out)]) == EXIT_OK
    said = capsys.readouterr().out
    assert "checker: 0 broken rules the mechanism keeps" in said
    plan = load_plan(out)
    assert (plan.mechanism, plan.status) == ("lottery", "feasible")
    again = tmp_path / "again"
    assert main(["allocate", str(example), "--mechanism", "lottery", "--out", str(again)]) == 0
    assert plan.assignments.equals(load_plan(again).assignments)
    code = main(["allocate", str(example), "--mechanism", "draw", "--out", str(tmp_path / "x")])
    assert code == EXIT_INVALID
    assert "unknown mechanism 'draw'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
