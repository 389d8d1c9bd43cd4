"""The one error a user sees: bad input or an impossible request, never a traceback.

Every check in the package raises :class:`UsageError` (or its subclass ``ConfigError``) with a
message naming the file, field or option, the value given and what is allowed; ``main()`` in
:mod:`sim.cli` catches it once and exits with code 2.
"""

from __future__ import annotations


class UsageError(ValueError):
    """Input or a request that cannot be carried out; the message says what and why."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM; ``code`` is the exit status the shell expects (130 / 143)."""

    def __init__(self, code: int = 130):
        super().__init__(code)
        self.code = code
