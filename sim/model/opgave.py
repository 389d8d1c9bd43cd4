"""An opgave (societal challenge): its true need, its shape now, its lifecycle status.

How challenges arise, drift and grow urgent is :mod:`sim.model.emergence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np


class Status(IntEnum):
    LATENT = 0
    SIGNALLED = 1
    AGENDA = 2
    MOBILISED = 3
    REALISING = 4
    RESOLVED = 5
    ORPHANED = 6

    @property
    def ended(self) -> bool:
        return self in (Status.RESOLVED, Status.ORPHANED)


ORDER_NAMES = {1: "first", 2: "second", 3: "third"}


@dataclass
class Opgave:
    """One challenge. ``need`` is its true shape now (drift moves it); ``definition`` is what
    the actors around it recognise, which may differ."""

    uid: int
    order: int
    need: np.ndarray  # (D,) true work per domain, as the challenge is shaped now
    remaining: np.ndarray  # (D,) work still to do
    sigma: float  # interdependence: how much only integrated work removes need (see realisation)
    regions: np.ndarray  # (R,) bool
    urgency: float
    business_case: float  # the business case's level when the challenge emerges
    emerged: int
    total_need: float = 0.0  # need that arose with it (exogenous; drift moves need, adds none)
    instrument_share: float = 0.0  # part of the need only initiatives with instruments can work
    locked: np.ndarray = field(default=None)  # (D,) remaining need bound to instruments
    spans: np.ndarray = field(default=None)  # (D,) bool: domains it has touched (world only)
    n_domains0: int = 0  # domains it spanned when it emerged
    path: np.random.Generator | None = None  # its own world stream (drift, business case)
    spans_at_take_up: np.ndarray | None = None  # (D,) bool: its shape when it was taken up
    displaced: float = 0.0  # need pushed into other aspects by non-integrated work
    status: Status = Status.LATENT
    definition: np.ndarray = field(default=None)  # (D,) bool, recognised aspects
    owner: int = -1  # the institution that owns it (definition = owner)
    regie: tuple[int, ...] = ()  # actors holding the regie
    agenda_step: int = -1
    forced: bool = False  # put on the agenda by urgency and public attention (owner definition)
    ended_step: int = -1
    value: float = 0.0
    effort: float = 0.0
    fragmentation: float = 0.0
    uncovered_steps: int = 0
    public_attention: float = 0.0  # a stock: builds while citizens carry it, then decays
    business: np.ndarray = field(default=None)  # (D,) business case per domain now (it walks)
    supporters: np.ndarray | None = None  # who put it on the agenda, strongest first

    def __post_init__(self) -> None:
        if self.definition is None:
            self.definition = np.zeros_like(self.need, dtype=bool)
        if not self.total_need:
            self.total_need = float(self.need.sum())
        if self.locked is None:
            self.locked = self.instrument_share * self.remaining
        if self.spans is None:
            self.spans = self.need > 0
        if self.business is None:
            self.business = np.full(self.need.shape, self.business_case)
        if not self.n_domains0:
            self.n_domains0 = int(self.spans.sum())

    @property
    def complexity(self) -> float:
        """Effective number of domains: exp(entropy of the need shares)."""
        return effective_domains(self.need)

    @property
    def active(self) -> bool:
        return not self.status.ended


def effective_domains(need: np.ndarray) -> float:
    """exp(Shannon entropy) of ``need / sum(need)``; 1 for one domain, D for an even spread."""
    total = need.sum()
    if total <= 0:
        return 0.0
    p = need[need > 0] / total
    return float(np.exp(-(p * np.log(p)).sum()))
