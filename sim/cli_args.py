"""Checks of command-line values that argparse cannot express on its own."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
from collections.abc import Callable

from sim.errors import Interrupted, UsageError


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (workers, frames, fps)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value}")
    return value


def check_port_free(host: str, port: int) -> None:
    """Refuse at once when ``host:port`` cannot be listened on (in use, or not ours to use)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: cannot be resolved ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise UsageError(
                f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); "
                "choose another --port"
            ) from None


def _terminate(signum, frame):  # SIGTERM ends a command like Ctrl-C does, with code 143
    raise Interrupted(143)


def run_command(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; every refusal, interruption and I/O error becomes one message and an
    exit code (2 for a UsageError or an OSError, 130 for Ctrl-C, 143 for SIGTERM)."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)  # plain: a message is never re-wrapped
        return 2
    except KeyboardInterrupt as exc:
        print("interrupted", file=sys.stderr)
        return getattr(exc, "code", 130)
    except OSError as exc:  # disk full, permissions: name the file, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)
        print(f"error: {where}{reason}", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
