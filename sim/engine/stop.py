"""Stopping an experiment cleanly: SIGINT (Ctrl-C) and SIGTERM ask it to stop, they do not kill.

Inside ``with StopSignals() as stop:`` a signal only sets ``stop.event``; the executors see it,
stop dispatching, cancel what has not started and hand back what finished, and the runner then
writes the manifest's true state. ``stop.code`` is the exit status the shell expects.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class StopSignals:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.code = 0
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.code = self.code or CODES.get(signum, 130)
        self.event.set()

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():  # signals reach only it
            for signum in CODES:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
