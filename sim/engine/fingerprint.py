"""What made a results folder: the resolved inputs that decide its results, and their hash.

The manifest stores both; ``--resume`` compares them with the spec at hand and refuses (naming
each difference) when they would mix results of different experiments. Growing the number of
replications is the one change allowed, and only when asked for with ``--extend``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from sim.errors import UsageError

MAX_SHOWN = 8  # differences named in one message
# config keys that do not change results: the seed comes from the replication, names are labels
NOT_RESULTS = ("seed", "name", "description")


def identity(spec: Any, configs: dict[str, dict], design: pd.DataFrame) -> dict[str, Any]:
    """The inputs that decide the results: resolved scenario configs (without the seed, which
    comes from the replication, and the labels), the design table, root seed, replications and
    outputs."""
    return {
        "seed": spec.seed,
        "replications": spec.replications,
        "outputs": spec.outputs.model_dump(mode="json"),
        "design": json.loads(design.to_json(orient="records", double_precision=15)),
        "scenarios": {
            name: {k: v for k, v in config.items() if k not in NOT_RESULTS}
            for name, config in configs.items()
        },
    }


def digest(ident: dict[str, Any]) -> str:
    text = json.dumps(ident, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _flatten(node: Any, prefix: str) -> dict[str, Any]:
    if isinstance(node, dict) and node:
        flat: dict[str, Any] = {}
        for key, value in node.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: node}


def differences(stored: dict[str, Any], asked: dict[str, Any]) -> list[str]:
    """One line per input that differs: ``key: X stored, Y asked``."""
    lines = []
    if len(stored.get("design", [])) != len(asked.get("design", [])):
        lines.append(
            f"design: {len(stored.get('design', []))} points stored, "
            f"{len(asked.get('design', []))} asked"
        )
        stored = {k: v for k, v in stored.items() if k != "design"}
        asked = {k: v for k, v in asked.items() if k != "design"}
    else:  # compare point by point, as design.<point>.<parameter>
        stored = {**stored, "design": dict(enumerate(stored.get("design", [])))}
        asked = {**asked, "design": dict(enumerate(asked.get("design", [])))}
    old, new = _flatten(stored, ""), _flatten(asked, "")
    for key in sorted(set(old) | set(new)):
        if old.get(key, "(absent)") != new.get(key, "(absent)"):
            lines.append(
                f"{key}: {old.get(key, '(absent)')!r} stored, {new.get(key, '(absent)')!r} asked"
            )
    return lines


def check_same(stored_manifest: dict, asked: dict[str, Any], out: str, extend: bool) -> None:
    """Refuse to add to ``out`` what a different experiment would produce."""
    stored = (stored_manifest.get("fingerprint") or {}).get("identity")
    if stored is None:
        raise UsageError(
            f"{out}: its manifest records no fingerprint of what made it (an older or foreign "
            "folder), so resuming could mix results; start over with --force or choose another "
            "--out"
        )
    if digest(stored) == digest(asked):
        return
    diffs = differences(stored, asked)
    grow = [d for d in diffs if d.startswith("replications:")]
    others = [d for d in diffs if not d.startswith("replications:")]
    if grow and not others and extend:
        if asked["replications"] > stored["replications"]:
            return
        raise UsageError(
            f"--extend {out}: replications {stored['replications']} stored, "
            f"{asked['replications']} asked; --extend only adds replications"
        )
    shown = diffs[:MAX_SHOWN] + (
        [f"... and {len(diffs) - MAX_SHOWN} more"] if len(diffs) > MAX_SHOWN else []
    )
    hint = (
        "; to add replications and change nothing else, pass --extend"
        if grow and not others
        else "; a different experiment needs its own --out (or --force to discard these results)"
    )
    raise UsageError(
        f"{out}: these results were made by a different experiment; resuming would mix them. "
        "What differs:\n  " + "\n  ".join(shown) + f"\n{hint.lstrip('; ')}"
    )
