"""An opgave (societal challenge): its true need, its shape over time and its lifecycle.

Emergence, drift and urgency live here (MODEL.md steps 1 and 2). The essay's orders
(De Witte & Jonker, cited in "De opgave leidend maken"): first-order challenges fit one
organisation; second-order ones cross several mandates; third-order ones question the existing
arrangements, so part of their need lies where no institution holds a mandate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


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
    sigma: float  # interdependence: share of value only an integrated approach delivers
    regions: np.ndarray  # (R,) bool
    urgency: float
    business_case: float
    emerged: int
    total_need: float = 0.0  # need that arose (drift moves need, it does not add any)
    status: Status = Status.LATENT
    definition: np.ndarray = field(default=None)  # (D,) bool, recognised aspects
    owner: int = -1  # the institution that owns it (definition = owner)
    regie: tuple[int, ...] = ()  # actors holding the regie
    agenda_step: int = -1
    ended_step: int = -1
    value: float = 0.0
    effort: float = 0.0
    fragmentation: float = 0.0
    uncovered_steps: int = 0
    salience: np.ndarray | None = None  # (N,) Friedkin–Johnsen state
    public_attention: float = 0.0
    supporters: np.ndarray | None = None  # who put it on the agenda, strongest first

    def __post_init__(self) -> None:
        if self.definition is None:
            self.definition = np.zeros_like(self.need, dtype=bool)
        if not self.total_need:
            self.total_need = float(self.need.sum())

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


def draw_opgave(model: OpgaveModel, uid: int) -> Opgave:
    """A new challenge with its order drawn from the scenario's mix."""
    cfg = model.config.opgaven
    rng = model.rng
    mix = cfg.order_mix
    order = int(rng.choice([1, 2, 3], p=[mix.first, mix.second, mix.third]))
    mandated = np.flatnonzero(model.world.mandated)
    unmandated = np.flatnonzero(~model.world.mandated)
    D, R = model.world.n_domains, model.world.n_regions

    if order == 1:
        doms = rng.choice(mandated, size=1, replace=False)
    elif order == 2:
        k = min(int(rng.integers(2, 4)), mandated.size)
        doms = rng.choice(mandated, size=k, replace=False)
    else:
        k = min(int(rng.integers(2, 5)), mandated.size)
        doms = rng.choice(mandated, size=k, replace=False)

    need = np.zeros(D)
    scale = cfg.size * rng.gamma(4.0, 0.25)
    need[doms] = rng.dirichlet(np.full(doms.size, 4.0)) * scale * doms.size
    if order == 3 and unmandated.size:
        # Part of a third-order challenge lies outside every mandate.
        u = rng.choice(
            unmandated, size=min(unmandated.size, int(rng.integers(1, 3))), replace=False
        )
        total = need.sum()
        need *= 1.0 - cfg.unmandated_share
        need[u] += rng.dirichlet(np.full(u.size, 4.0)) * total * cfg.unmandated_share

    n_regions = 1 if order == 1 else int(rng.integers(1, min(order, R) + 1))
    if order == 3 and R >= 2:
        n_regions = max(2, n_regions)
    regions = np.zeros(R, dtype=bool)
    regions[rng.choice(R, size=n_regions, replace=False)] = True

    low, high = getattr(cfg.interdependence, ORDER_NAMES[order])
    u0, u1 = cfg.urgency_initial
    return Opgave(
        uid=uid,
        order=order,
        need=need,
        remaining=need.copy(),
        sigma=float(rng.uniform(low, high)),
        regions=regions,
        urgency=float(rng.uniform(u0, u1)),
        business_case=float(rng.uniform(0.0, 1.0)),
        emerged=model.steps,
    )


def emerge(model: OpgaveModel) -> None:
    """Step 1: new challenges arrive at the scenario's rate."""
    cfg = model.config.opgaven
    count = int(model.rng.poisson(cfg.arrival_rate))
    count = min(count, cfg.max_total - len(model.opgaven))
    for _ in range(max(count, 0)):
        model.add_opgave(draw_opgave(model, len(model.opgaven)))


def drift_and_urgency(model: OpgaveModel) -> None:
    """Step 2: shapes shift (need moves between domains, new aspects appear); urgency grows."""
    cfg = model.config.opgaven
    rng = model.rng
    D = model.world.n_domains
    for op in model.active_opgaven:
        if rng.random() < cfg.drift_rate:
            drift(op, rng, cfg.drift_size, cfg.new_aspect, D)
        left = op.remaining.sum() / op.total_need if op.total_need > 0 else 0.0
        op.urgency = min(1.0, op.urgency + cfg.urgency_growth * left * (1.0 - op.urgency))


def drift(op: Opgave, rng: np.random.Generator, size: float, new_aspect: float, D: int) -> None:
    """Move ``size`` of one domain's remaining need to another domain, maybe a new one."""
    sources = np.flatnonzero(op.remaining > 0)
    if sources.size == 0:
        return
    src = int(rng.choice(sources))
    spanned = op.need > 0
    fresh = np.flatnonzero(~spanned)
    if fresh.size and rng.random() < new_aspect:
        dst = int(rng.choice(fresh))
    else:
        others = np.flatnonzero(spanned & (np.arange(D) != src))
        if others.size == 0:
            if fresh.size == 0:
                return
            dst = int(rng.choice(fresh))
        else:
            dst = int(rng.choice(others))
    moved = op.remaining[src] * size
    op.remaining[src] -= moved
    op.need[src] -= moved
    op.remaining[dst] += moved
    op.need[dst] += moved
