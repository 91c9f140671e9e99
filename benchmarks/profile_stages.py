"""Where time and memory go inside one ``staffopt.solve`` call, stage by stage.

Usage::

    .venv/bin/python benchmarks/profile_stages.py --scale nation
    .venv/bin/python benchmarks/profile_stages.py --scale nation --part-time 0.3 --time-limit 120
    .venv/bin/python benchmarks/profile_stages.py --scale large --cprofile 25

Stages are timed by wrapping staffopt's own functions (candidates, the
engine choice, the flow engine, the CP-SAT part split / model build / solver
call, decode); a background thread samples VmRSS every 20 ms and keeps the
peak per stage. ``--cprofile N`` also prints the N most expensive functions
(cumulative time) of the whole call.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import threading
import time
from collections.abc import Callable
from typing import Any


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Stages:
    """Current stage label plus peak RSS and time per stage (nested stages count once)."""

    def __init__(self) -> None:
        self.stack: list[str] = ["setup"]
        self.peak: dict[str, int] = {}
        self.time: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            label = self.stack[-1]
            self.peak[label] = max(self.peak.get(label, 0), rss_kb())
            time.sleep(0.02)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            self.stack.append(label)
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                dt = time.perf_counter() - t0
                self.stack.pop()
                if label not in self.stack:  # do not double-count recursion
                    self.time[label] = self.time.get(label, 0.0) + dt
                self.calls[label] = self.calls.get(label, 0) + 1
                self.peak[label] = max(self.peak.get(label, 0), rss_kb())

        return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", default="nation", choices=["province", "large", "nation"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--part-time", type=float, default=0.0)
    ap.add_argument("--provinces", type=int, default=None)
    ap.add_argument("--engine", default="auto", choices=["auto", "cpsat", "flow"])
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = ap.parse_args()

    st = Stages()
    st.start()
    from staffopt.scenarios.synthetic import synthetic

    t0 = time.perf_counter()
    st.stack.append("generate")
    s = synthetic(
        args.scale, seed=args.seed, part_time_share=args.part_time, provinces=args.provinces
    )
    st.stack.pop()
    gen_s = time.perf_counter() - t0
    st.peak["generate"] = max(st.peak.get("generate", 0), rss_kb())
    print(s.summary())
    print(f"generate {gen_s:.2f} s, RSS after {rss_kb() / 1024:.0f} MB")

    import staffopt.decode as decode_mod
    import staffopt.eligibility as elig
    import staffopt.solver as solve_mod
    import staffopt.solver.cpsat as cpsat_mod
    import staffopt.solver.search as search_mod
    import staffopt.solver.starts as starts_mod

    # Wrap the stages where their callers look them up (module globals).
    solve_mod.candidates = st.wrap("candidates", solve_mod.candidates)  # type: ignore[attr-defined]
    solve_mod.choose_engine = st.wrap("choose_engine", solve_mod.choose_engine)
    solve_mod.solve_flow = st.wrap("flow engine", solve_mod.solve_flow)  # type: ignore[attr-defined]
    search_mod.solve_flow = st.wrap("flow engine", search_mod.solve_flow)  # type: ignore[attr-defined]
    starts_mod.solve_flow = st.wrap("flow engine", starts_mod.solve_flow)  # type: ignore[attr-defined]
    search_mod.independent_parts = st.wrap("split parts", search_mod.independent_parts)
    cpsat_mod.build_model = st.wrap("cpsat build", cpsat_mod.build_model)  # type: ignore[attr-defined]
    starts_mod.build_model = st.wrap("lp build", starts_mod.build_model)  # type: ignore[attr-defined]
    solve_mod.decode = st.wrap("decode", solve_mod.decode)  # type: ignore[attr-defined]
    elig._exclusions = st.wrap("candidates: exclusions table", elig._exclusions)
    elig._pairs = st.wrap("candidates: field join", elig._pairs)
    decode_mod.unmet_slots = st.wrap("decode: unmet reasons", decode_mod.unmet_slots)
    decode_mod.compute_metrics = st.wrap("decode: metrics", decode_mod.compute_metrics)
    orig_solver = cpsat_mod.cpsat_solver

    def solver_factory(*a: Any, **k: Any) -> Any:
        solver = orig_solver(*a, **k)
        solver.solve = st.wrap("cpsat solver call", solver.solve)  # type: ignore[method-assign]
        return solver

    cpsat_mod.cpsat_solver = solver_factory  # type: ignore[assignment]
    options = s.options.with_changes(engine=args.engine, time_limit_s=args.time_limit or None)
    prof = cProfile.Profile() if args.cprofile else None
    st.stack.append("solve (other)")
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    plan = solve_mod.solve(s, options=options)
    if prof:
        prof.disable()
    total = time.perf_counter() - t0
    st.stack.pop()
    st.stop()
    print(repr(plan))
    facts = {k: v for k, v in plan.solver.to_dict().items() if k not in ("pieces", "guided")}
    print("plan.solver:", facts)
    print()
    print("| stage | calls | seconds | share | peak RSS MB |")
    print("|---|--:|--:|--:|--:|")
    for label in sorted(st.time, key=lambda k: -st.time[k]):
        print(
            f"| {label} | {st.calls[label]} | {st.time[label]:.2f} | "
            f"{st.time[label] / total:.0%} | {st.peak.get(label, 0) / 1024:.0f} |"
        )
    print(f"| solve() total | 1 | {total:.2f} | 100% | {max(st.peak.values()) / 1024:.0f} |")
    print(f"\ngenerate (not in total): {gen_s:.2f} s, peak {st.peak['generate'] / 1024:.0f} MB")
    if prof:
        print()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
