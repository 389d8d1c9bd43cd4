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

Index = int | slice | np.ndarray


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


def within(region: np.ndarray, op_regions: np.ndarray) -> np.ndarray:
    """(N, M) bool: whether the actor's region is one the challenge spans."""
    return op_regions[:, region].T


@dataclass(frozen=True)
class Perception:
    """What the actors see of the active challenges this step, before any talk (columns follow
    ``opgaven``): x(0) of the opinion dynamics and what the motives read."""

    opgaven: list[Opgave]
    shares: np.ndarray  # (M, D) remaining need as shares
    inside: np.ndarray  # (N, M) bool: the actor lives in a region the challenge spans
    reach: np.ndarray  # (N,) proximity to challenges elsewhere
    relevance: np.ndarray  # (N, M) share of the need the lens sees x proximity (heard of or not)
    urgency: np.ndarray  # (M,)
    floor: float  # the perception floor: the relevance at which an actor hears of it directly

    _index: dict[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {op.uid: k for k, op in enumerate(self.opgaven)})

    def column(self, op: Opgave) -> int:
        """The column of ``op`` in the (N, M) arrays."""
        return self._index[op.uid]

    def proximity(self, rows: Index = slice(None), columns: Index = slice(None)) -> np.ndarray:
        """Regional proximity ``[rows, columns]`` (indexed as a (N, M) array would be, each an
        int, a slice or a 1-D array): 1 inside the challenge's regions, the actor's reach
        elsewhere. Held as ``inside`` and ``reach``, an eighth of the memory of (N, M) floats."""
        inside = self.inside[rows, columns]
        reach = self.reach[rows]
        return np.where(inside, 1.0, reach[:, None] if inside.ndim == 2 else reach)

    def raw_salience(self, columns: Index = slice(None)) -> np.ndarray:
        """x(0) of the opinion dynamics, ``[:, columns]``: urgency x relevance where the actor
        hears of the challenge directly, else 0. Computed when asked (talk asks a block of
        challenges at a time), so the step never holds it for all of them at once."""
        relevance = self.relevance[:, columns]
        x0 = relevance * self.urgency[columns]
        x0[~heard_directly(relevance, self.floor)] = 0.0
        return x0


@dataclass(frozen=True)
class View(Perception):
    """A perception after talk (the agenda stage): salience spread over the network and the
    challenges each actor carries with its scarce attention."""

    x: np.ndarray  # (N, M) salience after talk
    attention: np.ndarray  # (N, M) bool, the challenges each actor carries
    home_share: np.ndarray  # (N, M) share of remaining need in each actor's home domains
    # what the step computes once from this view and reads again (motives.StepMotives,
    # agenda.mandate_fits): it lives and dies with the view, so it never outlives its step
    memo: dict = field(default_factory=dict, compare=False, repr=False)

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
    floor = model.config.dynamics.agenda.perception_floor
    if not opgaven:
        empty = np.zeros((N, 0))
        return Perception(
            opgaven, np.zeros((0, D)), empty.astype(bool), actors.reach, empty, np.zeros(0), floor
        )
    shares = need_shares(np.stack([op.remaining for op in opgaven]))
    urgency = np.array([op.urgency for op in opgaven])
    inside = within(actors.region, np.stack([op.regions for op in opgaven]))
    relevance = actors.lens_eff @ shares.T
    # x proximity, in place (at city scale every (N, M) array is hundreds of megabytes): inside
    # the challenge's regions it is 1, so only the entries elsewhere change
    np.multiply(relevance, actors.reach[:, None], out=relevance, where=~inside)
    return Perception(opgaven, shares, inside, actors.reach, relevance, urgency, floor)


def home_share(model: OpgaveModel, seen: Perception) -> np.ndarray:
    """(N, M) the share of each challenge's remaining need in each actor's home domains."""
    return model.actors.home @ seen.shares.T
