"""Step 3, perception: what each actor sees of each challenge through its lens.

Miles' law ("Agenderen van opgaven"): where you stand depends on where you sit. An actor's lens
says how well it perceives each domain; its opgavegevoeligheid (sensitivity) broadens the lens
("Opgavegevoeligheid ontwikkelen"). Raw salience = urgency x the share of the remaining need the
lens sees x regional proximity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave


def effective_lens(lens: np.ndarray, sensitivity: np.ndarray) -> np.ndarray:
    """Lens broadened by sensitivity: ``1 - (1 - lens)(1 - s)`` per domain.

    Sensitivity closes a share ``s`` of what the lens misses; it never narrows the lens.
    """
    s = np.asarray(sensitivity, dtype=float)
    return 1.0 - (1.0 - lens) * (1.0 - (s[:, None] if s.ndim == 1 else s))


def need_shares(remaining: np.ndarray) -> np.ndarray:
    """Rows of ``remaining`` (M, D) as shares; an empty row stays zero."""
    totals = remaining.sum(axis=1, keepdims=True)
    return np.divide(remaining, totals, out=np.zeros_like(remaining), where=totals > 0)


def proximity(region: np.ndarray, reach: np.ndarray, op_regions: np.ndarray) -> np.ndarray:
    """(N, M): 1 where the actor's region is one the challenge spans, ``reach`` elsewhere."""
    inside = op_regions[:, region].T  # (N, M)
    return np.where(inside, 1.0, reach[:, None])


@dataclass
class View:
    """What the actors perceive of the active challenges this step (columns follow ``opgaven``)."""

    opgaven: list[Opgave]
    shares: np.ndarray  # (M, D) remaining need as shares
    proximity: np.ndarray  # (N, M)
    home_share: np.ndarray  # (N, M) share of remaining need in each actor's home domains
    x0: np.ndarray  # (N, M) raw salience
    x: np.ndarray | None = None  # (N, M) salience after talk (agenda step)
    attention: np.ndarray | None = None  # (N, M) bool, the challenges each actor carries

    def column(self, op: Opgave) -> int:
        return self._index[op.uid]

    def __post_init__(self) -> None:
        self._index = {op.uid: k for k, op in enumerate(self.opgaven)}


def perceive(model: OpgaveModel, opgaven: Sequence[Opgave]) -> View:
    """Raw salience of each active challenge to each actor: x(0) of the opinion dynamics."""
    opgaven = list(opgaven)
    N, D = model.n_actors, model.world.n_domains
    if not opgaven:
        empty = np.zeros((N, 0))
        return View(opgaven, np.zeros((0, D)), empty, empty, empty)
    shares = need_shares(np.stack([op.remaining for op in opgaven]))
    urgency = np.array([op.urgency for op in opgaven])
    prox = proximity(model.region, model.reach, np.stack([op.regions for op in opgaven]))
    seen = model.lens_eff @ shares.T
    x0 = urgency[None, :] * seen * prox
    return View(opgaven, shares, prox, model.home @ shares.T, x0)
