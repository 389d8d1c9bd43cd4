"""Step 5, sensemaking (duiding): what the actors around a challenge recognise of it.

A challenge is a social construction ("Agenderen van opgaven", after Weick): only what someone
at the table sees becomes part of its definition. Made by the owner alone, the definition is what
the owner's lens sees; made collectively, an aspect counts when any member sees it, so a more
diverse table sees more (meervoudig kijken, requisite variety). Aspects nobody recognises get
no work.
"""

from __future__ import annotations

import numpy as np


def recognised(lens_rows: np.ndarray, need: np.ndarray, threshold: float) -> np.ndarray:
    """(D,) bool: aspects of the true need that at least one definer's lens reaches."""
    lens_rows = np.atleast_2d(lens_rows)
    if lens_rows.shape[0] == 0:
        return np.zeros(need.shape, dtype=bool)
    return (lens_rows >= threshold).any(axis=0) & (need > 0)


def completeness(need: np.ndarray, definition: np.ndarray) -> float:
    """Share of the true need that the definition recognises (1 when nothing is needed)."""
    total = need.sum()
    return float((need * definition).sum() / total) if total > 0 else 1.0


def perceived_profiles(lens_rows: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Each definer's picture of the challenge: need seen through its lens, as shares."""
    seen = np.atleast_2d(lens_rows) * need[None, :]
    totals = seen.sum(axis=1, keepdims=True)
    return np.divide(seen, totals, out=np.zeros_like(seen), where=totals > 0)


def disagreement(profiles: np.ndarray) -> float:
    """Mean total-variation distance of members' pictures from their average, in [0, 1]."""
    if profiles.shape[0] < 2:
        return 0.0
    centre = profiles.mean(axis=0)
    return float(0.5 * np.abs(profiles - centre).sum(axis=1).mean())
