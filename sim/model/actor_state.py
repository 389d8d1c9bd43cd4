"""The actors' state as one struct of arrays, indexed by an actor's row.

Every per-actor field is named here, once. The Mesa agents (:mod:`sim.model.actors`) own their
row and their type's behaviour; the mechanisms work on these arrays for all actors at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import ACTOR_CLASSES, MOTIVES, Actor
from sim.model.incentives import market_fit
from sim.model.perception import effective_lens

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


@dataclass
class ActorState:
    """Per-actor arrays; N actors, D domains."""

    type: np.ndarray  # (N,) type code: CITIZEN, INSTITUTION, COMPANY, SPANNER
    home: np.ndarray  # (N, D) bool: home domains (an institution's mandate)
    primary: np.ndarray  # (N,) first home domain
    region: np.ndarray  # (N,)
    lens: np.ndarray  # (N, D) how well it perceives each domain (Miles' law)
    lens_eff: np.ndarray  # (N, D) the lens widened by sensitivity (perception refreshes it)
    sensitivity: np.ndarray  # (N,) opgavegevoeligheid, grows in diverse networks
    sensitivity0: np.ndarray  # (N,) its initial value, which it drifts back to
    capacity: np.ndarray  # (N,) effort per step
    discretionary: np.ndarray  # (N,) share of capacity free for challenges (the rest: regular work)
    power: np.ndarray  # (N,) execution power: work per unit of effort
    reach: np.ndarray  # (N,) perception of challenges outside its region
    influence: np.ndarray  # (N,) weight of its voice in others' opinions
    stubbornness: np.ndarray  # (N,) anchoring on its own perception (1 − FJ susceptibility)
    cost: np.ndarray  # (N,) utility cost of joining
    max_memberships: np.ndarray  # (N,) initiatives it can carry at once
    motives: np.ndarray  # (N, 3) weights of the motives, in the order of MOTIVES
    market_fit: np.ndarray  # (N,) fixed factor on a business case (what a company makes of it)
    committed: np.ndarray  # (N,) discretionary effort already spent this step (recruiting)
    _rows: dict[int, np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def n(self) -> int:
        return int(self.type.size)

    def rows_of(self, type_code: int) -> np.ndarray:
        """The rows of the actors of one type, ascending (read-only: a type never changes)."""
        rows = self._rows.get(type_code)
        if rows is None:
            rows = self._rows[type_code] = np.flatnonzero(self.type == type_code)
            rows.flags.writeable = False
        return rows


def build_actors(model: OpgaveModel) -> tuple[ActorState, dict[int, Actor]]:
    """Draw every actor's state from its type's parameters; create the Mesa agents.

    Returns the arrays and the agent of each row. Types are laid out in the order of
    ``ACTOR_CLASSES``; homes and regions come from the type's own rules.
    """
    cfg = model.config.actors
    counts = [getattr(cfg, cls.key).count for cls in ACTOR_CLASSES]
    n, D = sum(counts), model.world.n_domains
    home = np.zeros((n, D), dtype=bool)
    region = np.zeros(n, dtype=np.int64)
    lens = np.zeros((n, D))
    scalars = {k: np.zeros(n) for k in ("sensitivity", "capacity", "discretionary", "power")}
    scalars |= {k: np.zeros(n) for k in ("reach",)}
    scalars |= {k: np.zeros(n) for k in ("influence", "stubbornness", "cost")}
    max_memberships = np.zeros(n, dtype=np.int64)
    motives = np.zeros((n, len(MOTIVES)))
    agents: dict[int, Actor] = {}
    start = 0
    for cls, count in zip(ACTOR_CLASSES, counts, strict=True):
        rows = np.arange(start, start + count)
        start += count
        if count == 0:
            continue
        p = getattr(cfg, cls.key)
        home[rows] = cls.assign_home(count, model)
        region[rows] = cls.assign_region(count, model)
        lens[rows] = cls.build_lens(home[rows], model)
        scalars["sensitivity"][rows] = p.sensitivity
        scalars["capacity"][rows] = p.capacity
        scalars["discretionary"][rows] = p.discretionary
        scalars["power"][rows] = p.execution_power
        scalars["reach"][rows] = p.regional_reach
        scalars["influence"][rows] = p.influence
        scalars["stubbornness"][rows] = p.stubbornness
        scalars["cost"][rows] = p.cost
        max_memberships[rows] = p.max_memberships
        motives[rows] = [getattr(p.motives, m) for m in MOTIVES]
        for row in rows:
            agents[int(row)] = cls(model, int(row))
    state = ActorState(
        type=np.repeat([cls.type_code for cls in ACTOR_CLASSES], counts),
        home=home,
        primary=np.argmax(home, axis=1),
        region=region,
        lens=lens,
        lens_eff=effective_lens(lens, scalars["sensitivity"]),
        sensitivity0=scalars["sensitivity"].copy(),
        max_memberships=max_memberships,
        motives=motives,
        market_fit=market_fit(
            n, model.config.dynamics.incentives.company_spread, model.streams.population
        ),
        committed=np.zeros(n),
        **scalars,
    )
    return state, agents
