"""Progress of a long job: a live bar on a terminal, plain lines when output goes to a log.

A sweep redirected to a file (a batch job, ``> log 2>&1``) gets one line every few seconds with
done/total, failed, elapsed and remaining time, so a log shows where a job stands. Nothing is
drawn before the total is known, so a job that stops early never shows ``0/None``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

# Seconds between plain progress lines; a batch job can ask for more or fewer.
DEFAULT_INTERVAL = float(os.environ.get("OPGAVEN_PROGRESS_EVERY", "10"))


def human_seconds(seconds: float) -> str:
    """``42 s``, ``3.5 min`` or ``1.2 h``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


class ProgressReport:
    """Reports ``update(done, failed, total)`` calls as a bar (terminal) or as plain lines.

    Use as a context manager; ``quiet`` reports nothing. ``interval`` is the minimum number of
    seconds between plain lines (the first and the last line are always printed).
    """

    def __init__(
        self,
        description: str,
        unit: str = "runs",
        console: Console | None = None,
        quiet: bool = False,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.description = description
        self.unit = unit
        self.console = console or Console(stderr=True)
        self.quiet = quiet
        self.interval = DEFAULT_INTERVAL if interval is None else interval
        self.clock = clock
        self.live = self.console.is_terminal
        self.done = self.failed = 0
        self.total: int | None = None
        self._start = clock()
        self._last_line: float | None = None
        self._last_state: tuple[int, int, int | None] | None = None
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    # -- context -------------------------------------------------------------------------------
    def __enter__(self) -> ProgressReport:
        self._start = self.clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the bar, or print the last state if it was not printed yet."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif (
            not self.quiet
            and not self.live
            and self.total is not None
            and self._last_state != (self.done, self.failed, self.total)
        ):
            self._line()

    # -- reporting -----------------------------------------------------------------------------
    def update(self, done: int, failed: int = 0, total: int | None = None) -> None:
        """``done`` finished well and ``failed`` failed, out of ``total`` (None: unchanged)."""
        self.done, self.failed = done, failed
        if total is not None:
            self.total = total
        if self.quiet or self.total is None:
            return
        if self.live:
            self._draw()
            return
        now = self.clock()
        finished = self.done + self.failed >= self.total
        if self._last_line is None or finished or now - self._last_line >= self.interval:
            self._line()

    def __call__(self, done: int, failed: int = 0, total: int | None = None) -> None:
        self.update(done, failed, total)

    def _draw(self) -> None:
        if self._bar is None:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn(
                    "{task.completed}/{task.total} " + self.unit + "{task.fields[failed_text]}"
                ),
                TimeElapsedColumn(),
                TextColumn("remaining"),
                TimeRemainingColumn(),
                console=self.console,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total, failed_text="")
        assert self._task is not None
        self._bar.update(
            self._task,
            completed=self.done + self.failed,
            total=self.total,
            failed_text=f", {self.failed} failed" if self.failed else "",
        )

    def line(self) -> str:
        """The plain progress line for the current state."""
        elapsed = self.clock() - self._start
        completed = self.done + self.failed
        total = self.total or 0
        parts = [f"{self.description}: {completed}/{total} {self.unit}"]
        if self.unit == "runs":
            parts.append(f"{self.failed} failed")
        parts.append(f"{human_seconds(elapsed)} elapsed")
        if completed >= total:
            parts.append("done")
        elif completed >= max(2, total // 20):  # runs land in chunks: one run says little
            parts.append(f"about {human_seconds(elapsed / completed * (total - completed))} left")
        else:
            parts.append("remaining time not known yet")
        return ", ".join(parts)

    def _line(self) -> None:
        self.console.print(self.line(), highlight=False, soft_wrap=True)
        self._last_line = self.clock()
        self._last_state = (self.done, self.failed, self.total)
