"""Provenance: which code, which packages and which machine produced a result."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("opgaven", "mesa", "numpy", "scipy", "networkx", "pandas", "pyarrow", "pydantic")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=10
    ).stdout.strip()


def git_state(path: Path | None = None) -> dict[str, str | bool | None]:
    """The commit of the source tree and whether it had uncommitted changes."""
    cwd = path or Path(__file__).resolve().parent
    try:
        commit = _git(cwd, "rev-parse", "HEAD")
        dirty = bool(_git(cwd, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def provenance() -> dict:
    """Everything a result should carry about where it came from."""
    return {
        "versions": package_versions(),
        "git": git_state(),
        "host": platform.node(),
        "platform": platform.platform(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
