"""Output folders: checked writable before anything is computed, and only ever cleared when
they are results folders of this tool (their manifest is there)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from sim.errors import UsageError

MANIFEST = "manifest.json"
LOCK = ".opgaven.lock"


def ensure_writable(path: Path, option: str = "--out") -> None:
    """Create ``path`` (a folder) if needed and prove a file can be written in it."""
    for parent in (path, *path.parents):
        if parent.exists():
            if not parent.is_dir():
                where = "is a file" if parent == path else f"lies under {parent}, which is a file"
                raise UsageError(f"{option} {path}: {where}; expected a folder")
            break
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write there ({exc.strerror})") from None


def contents(path: Path) -> list[Path]:
    """What a folder holds, ignoring our lock file."""
    if not path.is_dir():
        return []
    return [p for p in path.iterdir() if p.name != LOCK]


def read_manifest(path: Path) -> dict | None:
    """The manifest of a results folder, or None when there is none (or it is not ours)."""
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_results_folder(path: Path, kind: str) -> bool:
    """Whether ``path`` holds a manifest written by ``opgaven run`` or ``opgaven experiment``."""
    manifest = read_manifest(path)
    if manifest is None:
        return False
    key = "runs_planned" if kind == "experiment" else "config"
    return key in manifest and "versions" in manifest


def refuse_unless_ours(path: Path, kind: str) -> None:
    """``--force`` deletes only a results folder of this tool; anything else stays untouched."""
    if contents(path) and not is_results_folder(path, kind):
        raise UsageError(
            f"--force {path}: this folder holds files but no {kind} manifest, so it is not a "
            "results folder of opgaven; nothing was deleted. Choose another --out"
        )


def clear(path: Path) -> None:
    """Delete everything in a results folder except our lock file (we may hold it)."""
    for entry in contents(path):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
