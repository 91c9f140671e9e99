"""How long ``plan.explain_all()`` takes: every item of a plan, each cost re-solved.

Usage::

    .venv/bin/python benchmarks/explain_all.py                      # Điện Biên + large province
    .venv/bin/python benchmarks/explain_all.py --cases dien-bien    # one case
    .venv/bin/python benchmarks/explain_all.py --cases large large-pt30 --seconds-per-resolve 10

Cases: ``dien-bien`` (the bundled example), ``province`` / ``province-pt30``
(synthetic, 45 communes / 300 officials, 0 % or 30 % part-time needs) and
``large`` / ``large-pt30`` (148 communes / 2,500 officials). Each case is
solved first (its scale's time limit, not timed here), then explained; the
table gives the items by kind, the re-solves run, how the costs ended
(exact / bound / impossible / unknown), the slowest re-solve and the total
time against the goal (Điện Biên under 10 s, a province of 150 communes /
2,500 officials under 2 minutes, on 2 cores). Run it alone on the machine.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import staffopt
from staffopt.scenarios import dien_bien
from staffopt.scenarios.synthetic import synthetic
from staffopt.solver import resolve

#: Goal per case (seconds), from issue 10.
GOALS = {"dien-bien": 10.0, "large": 120.0, "large-pt30": 120.0}
CASES = ("dien-bien", "province", "province-pt30", "large", "large-pt30")


def scenario_of(case: str) -> staffopt.Scenario:
    if case == "dien-bien":
        return dien_bien()
    scale, _, pt = case.partition("-pt")
    return synthetic(scale, seed=0, part_time_share=int(pt or 0) / 100)  # type: ignore[arg-type]


def run(case: str, seconds: float) -> dict[str, Any]:
    s = scenario_of(case)
    plan = staffopt.solve(s)
    calls: list[float] = []
    answer = resolve.PartResolver.answer

    def timed(self: resolve.PartResolver, change: resolve.Change) -> resolve.Answer:
        t = time.perf_counter()
        try:
            return answer(self, change)
        finally:
            calls.append(time.perf_counter() - t)

    resolve.PartResolver.answer = timed  # type: ignore[method-assign]
    try:
        t = time.perf_counter()
        rows = plan.explain_all(seconds_per_resolve=seconds)
        total = time.perf_counter() - t
    finally:
        resolve.PartResolver.answer = answer  # type: ignore[method-assign]
    kinds = rows["kind"].value_counts()
    status = rows["cost_status"].value_counts()
    goal = GOALS.get(case)
    return {
        "case": case,
        "arcs": len(plan.arcs) if plan.arcs is not None else 0,
        "plan": plan.status,
        "assign": int(kinds.get("assignment", 0)),
        "unmet": int(kinds.get("unmet", 0)),
        "unused": int(kinds.get("unused", 0)),
        "re-solves": len(calls),
        "exact": int(status.get("exact", 0)),
        "bound": int(status.get("bound", 0)),
        "impossible": int(status.get("impossible", 0)),
        "unknown": int(status.get("unknown", 0)),
        "max re-solve s": f"{max(calls, default=0.0):.2f}",
        "explain s": f"{total:.1f}",
        "goal s": "-" if goal is None else f"{goal:g}",
        "met": "-" if goal is None else ("yes" if total < goal else "no"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", choices=CASES, default=["dien-bien", "large"])
    ap.add_argument("--seconds-per-resolve", type=float, default=10.0)
    args = ap.parse_args()
    rows = []
    for case in args.cases:
        rows.append(run(case, args.seconds_per_resolve))
        print(f"done {case}", flush=True)
    head = list(rows[0])
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(str(r[h]) for h in head) + " |")


if __name__ == "__main__":
    main()
