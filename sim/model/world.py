"""The world: policy domains (some held by no institution), regions, the initial network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from sim.config.schema import WorldConfig
from sim.model.actors import SPANNER

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


@dataclass(frozen=True)
class World:
    domains: tuple[str, ...]
    mandated: np.ndarray  # (D,) bool: some institution holds this domain
    n_regions: int

    @classmethod
    def from_config(cls, cfg: WorldConfig) -> World:
        mandated = np.array([d not in cfg.unmandated for d in cfg.domains], dtype=bool)
        return cls(tuple(cfg.domains), mandated, cfg.regions)

    @property
    def n_domains(self) -> int:
        return len(self.domains)


def symmetric_ties(i: np.ndarray, j: np.ndarray, w: np.ndarray | float, n: int) -> sp.csr_array:
    """A symmetric weight matrix from pairs (duplicates add up, self-pairs are dropped)."""
    keep = i != j
    i, j = i[keep], j[keep]
    w = np.broadcast_to(np.asarray(w, dtype=float), keep.shape)[keep]
    A = sp.coo_array(
        (np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n)
    )
    return sp.csr_array(A)


def initial_ties(model: OpgaveModel) -> sp.csr_array:
    """Homophilous ties by primary domain and region, plus cross-domain ties of boundary spanners.

    Each actor draws about ``mean_degree / 2`` partners (ties are mutual, so the mean degree
    is about ``mean_degree``): with probability ``homophily`` from its own (domain, region)
    group, otherwise from anyone. Every draw comes from the model's generator.
    """
    params = model.config.dynamics.network
    rng = model.streams.population
    n = model.actors.n
    per_actor = params.mean_degree / 2.0
    draws = rng.poisson(per_actor, size=n)
    src = np.repeat(np.arange(n), draws)
    group = model.actors.primary * model.world.n_regions + model.actors.region
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    starts = np.searchsorted(sorted_groups, group[src], side="left")
    ends = np.searchsorted(sorted_groups, group[src], side="right")
    in_group = order[starts + (rng.random(src.size) * (ends - starts)).astype(int)]
    anyone = rng.integers(0, n, size=src.size)
    dst = np.where(rng.random(src.size) < params.homophily, in_group, anyone)

    spanners = np.flatnonzero(model.actors.type == SPANNER)
    extra = model.config.actors.boundary_spanner.extra_ties
    s_src = np.repeat(spanners, extra)
    s_dst = rng.integers(0, n, size=s_src.size)

    i = np.concatenate([src, s_src])
    j = np.concatenate([dst, s_dst])
    ties = symmetric_ties(i, j, 1.0, n)
    ties.data[:] = np.minimum(ties.data, 1.0)  # a duplicate draw is one tie, not a stronger one
    return ties
