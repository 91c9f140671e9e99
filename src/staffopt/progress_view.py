"""The terminal display of a solve's progress (``staffopt solve``), with rich.

One live line, redrawn as :class:`~staffopt.solver.progress.Progress`
events arrive: stage, parts done of total, the plan's score, the bound, the
gap, elapsed of the limit, in the user's language (:mod:`staffopt.texts`).
It is shown only on a terminal, not with ``--quiet``, and only when rich is
installed (the ``progress`` extra); otherwise the solve runs silently, as
before. The display is transient: when the solve ends (or a Ctrl-C stops
it, the search keeping its best plan) the line goes and the summary follows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from staffopt.texts import text

if TYPE_CHECKING:
    from staffopt.solver.progress import Progress, ProgressFn


def progress_line(event: Progress, lang: str = "en") -> str:
    """One event as one line of text."""

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:,.0f}"

    return text(
        "progress.line",
        lang,
        stage=text(f"progress.{event.stage}", lang),
        done=event.parts_done,
        total=event.parts_total,
        incumbent=number(event.incumbent),
        bound=number(event.bound),
        gap="-" if event.gap is None else f"{event.gap:.2%}",
        elapsed=event.elapsed_s,
        limit=event.limit_s,
    )


@contextmanager
def live_progress(lang: str = "en", *, quiet: bool = False) -> Iterator[ProgressFn | None]:
    """A progress callback drawing on the terminal, or None (quiet, a pipe, no rich)."""
    if quiet or not sys.stdout.isatty():
        yield None
        return
    try:
        from rich.console import Console
        from rich.live import Live
        from rich.text import Text
    except ImportError:
        yield None
        return
    with Live(console=Console(), transient=True, refresh_per_second=4) as live:
        stages: list[str] = []

        def show(event: Progress) -> None:
            # A new stage is drawn at once; a better plan or bound within a
            # stage waits for the next refresh (four a second).
            new_stage = not stages or stages[-1] != event.stage
            stages.append(event.stage)
            live.update(Text(progress_line(event, lang)), refresh=new_stage)

        yield show
