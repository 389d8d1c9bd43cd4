"""Random streams: one for the world, one per behaviour, all spawned from the run's seed.

Everything exogenous (who the actors are, the initial network, which challenges arrive when, with
what shape, and how each drifts) comes from streams that behaviour never draws from; each
behavioural mechanism draws from its own stream. So with the same seed every way of working
meets the same world, and a change in one mechanism's draws does not reshuffle another's
(Starsim's per-module streams are the pattern). Streams are keyed by name, not by order, so
adding one changes none of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from zlib import crc32

import numpy as np


def _key(name: str) -> int:
    return crc32(name.encode())


def seed_sequence(
    seed: int | np.random.SeedSequence | np.random.Generator,
) -> np.random.SeedSequence:
    """The run's root seed sequence (a Generator contributes one draw of entropy)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2**63)))
    return np.random.SeedSequence(int(seed))


def child(root: np.random.SeedSequence, *keys: int) -> np.random.Generator:
    """A generator for the stream named by ``keys`` below ``root``."""
    sequence = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *keys))
    return np.random.default_rng(sequence)


@dataclass(frozen=True)
class Streams:
    """The run's generators, one per source of randomness."""

    population: np.random.Generator  # actors' homes and regions, the initial network
    world: np.random.Generator  # arrivals and the shape of each new challenge
    regie: np.random.Generator  # regie tasks done by chance, links lapsing
    initiatives: np.random.Generator  # each new initiative's solution quality
    recruitment: np.random.Generator  # candidate pools, citizens asking to join
    leaving: np.random.Generator  # dropping out, splitting
    network: np.random.Generator  # who works with whom (tie growth)
    measures: np.random.Generator  # sampled end-of-run measures (betweenness)

    @classmethod
    def spawn(cls, root: np.random.SeedSequence) -> Streams:
        return cls(**{f.name: child(root, _key(f.name)) for f in fields(cls)})


def opgave_path(root: np.random.SeedSequence, uid: int) -> np.random.Generator:
    """Challenge ``uid``'s own world stream: its drift events, step by step while it is open."""
    return child(root, _key("opgave"), uid)
