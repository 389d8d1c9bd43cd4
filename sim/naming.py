"""Names that show what ``--set`` changed: in run folder names, summaries and manifests."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Sequence

from sim.config.loader import parse_override

# Overrides shown by their value in a folder name; any other override goes into a short hash.
NAMED_KEYS = ("strategy.preset",)


def overrides_hash(overrides: Iterable[str]) -> str:
    """Six hex digits that identify a set of ``--set`` overrides (order does not matter)."""
    pairs = sorted((".".join(k), v) for k, v in map(parse_override, overrides))
    text = json.dumps(pairs, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def overrides_label(overrides: Iterable[str]) -> str:
    """A short, folder-safe label of ``--set`` overrides: a preset by its name, the rest as
    ``set-<hash>``; empty when there are none. ``name=`` is left out (it renames the run)."""
    named, rest = [], []
    for text in overrides:
        parts, value = parse_override(text)
        key = ".".join(parts)
        if key == "name":
            continue
        if key in NAMED_KEYS:
            named.append(re.sub(r"[^A-Za-z0-9_.]+", "_", str(value)))
        else:
            rest.append(text)
    if rest:
        named.append(f"set-{overrides_hash(rest)}")
    return "-".join(named)


def check_names(given: Iterable[str], known: Sequence[str], what: str) -> str | None:
    """None when every name in ``given`` is known; else one message per unknown name with the
    closest known name ("did you mean") and the list of known names."""
    lines = []
    for name in given:
        if name in known:
            continue
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        lines.append(f"unknown {what} {name!r}{hint}")
    if not lines:
        return None
    return "\n".join([*lines, f"known {what}s: {', '.join(known)}"])
