"""Step 3, perception: what each actor sees of each challenge through its lens.

Miles' law ("Agenderen van opgaven"): where you stand depends on where you sit. An actor's lens
says how well it perceives each domain; its opgavegevoeligheid (sensitivity) broadens the lens
("Opgavegevoeligheid ontwikkelen"). What an actor sees of a challenge (its relevance) is the share
of the remaining need its lens sees x regional proximity. An actor hears of a challenge directly
only when that passes a perception floor; its raw salience is then urgency x relevance, and zero
otherwise: everyone else can only come to carry it through talk (sim/model/agenda.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.model.opgave import Status

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


@dataclass(frozen=True)
class Perception:
    """What the actors see of the active challenges this step, before any talk (columns follow
    ``opgaven``): x(0) of the opinion dynamics and the shares the motives read."""

    opgaven: list[Opgave]
    shares: np.ndarray  # (M, D) remaining need as shares
    proximity: np.ndarray  # (N, M)
    home_share: np.ndarray  # (N, M) share of remaining need in each actor's home domains
    relevance: np.ndarray  # (N, M) share of the need the lens sees x proximity (heard of or not)
    x0: np.ndarray  # (N, M) raw salience: urgency x relevance where heard directly, else 0

    _index: dict[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {op.uid: k for k, op in enumerate(self.opgaven)})

    def column(self, op: Opgave) -> int:
        """The column of ``op`` in the (N, M) arrays."""
        return self._index[op.uid]


@dataclass(frozen=True)
class View(Perception):
    """A perception after talk (the agenda stage): salience spread over the network and the
    challenges each actor carries with its scarce attention."""

    x: np.ndarray  # (N, M) salience after talk
    attention: np.ndarray  # (N, M) bool, the challenges each actor carries

    def worked_on(self) -> list[Opgave]:
        """The challenges in view that have initiatives (mobilised or realising)."""
        return [op for op in self.opgaven if op.status in (Status.MOBILISED, Status.REALISING)]


def heard_directly(relevance: np.ndarray, floor: float) -> np.ndarray:
    """(N, M) bool: the challenges an actor's own lens picks up (it sees at least ``floor``)."""
    return relevance >= floor


def perceive(model: OpgaveModel, opgaven: Sequence[Opgave]) -> Perception:
    """Raw salience of each active challenge to each actor: x(0) of the opinion dynamics.

    The lenses are widened by each actor's current sensitivity first. Only an actor whose lens
    sees at least ``perception_floor`` of a challenge (after proximity) hears of it directly.
    """
    actors = model.actors
    actors.lens_eff = effective_lens(actors.lens, actors.sensitivity)
    opgaven = list(opgaven)
    N, D = actors.n, model.world.n_domains
    if not opgaven:
        empty = np.zeros((N, 0))
        return Perception(opgaven, np.zeros((0, D)), empty, empty, empty, empty)
    shares = need_shares(np.stack([op.remaining for op in opgaven]))
    urgency = np.array([op.urgency for op in opgaven])
    prox = proximity(actors.region, actors.reach, np.stack([op.regions for op in opgaven]))
    relevance = actors.lens_eff @ shares.T
    relevance *= prox  # in place: at city scale every (N, M) array is hundreds of megabytes
    x0 = relevance * urgency
    x0[~heard_directly(relevance, model.config.dynamics.agenda.perception_floor)] = 0.0
    return Perception(opgaven, shares, prox, actors.home @ shares.T, relevance, x0)
