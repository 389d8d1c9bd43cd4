"""The social network that forms around the challenges: ties grow by working together and fade
when unused ("Netwerken vullen instituties aan"; docs/ODD.md, social network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim.model.actors import SPANNER

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


def collaboration_pairs(model: OpgaveModel) -> tuple[np.ndarray, np.ndarray]:
    """Pairs who worked together this step: each member with its initiative's lead (or first
    member) and with one fellow member drawn at random; linear in the number of memberships."""
    C = model.coalitions
    M = C.memberships
    rows = C.active_rows()
    if rows.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    inits, actors = M.initiative[rows], M.actor[rows]
    order = np.lexsort((actors, inits))
    inits, actors = inits[order], actors[order]
    starts = np.searchsorted(inits, inits, side="left")
    ends = np.searchsorted(inits, inits, side="right")
    lead = C.initiatives.lead[inits]
    anchor = np.where(lead >= 0, lead, actors[starts])
    fellow = actors[
        starts + (model.streams.network.random(rows.size) * (ends - starts)).astype(np.int64)
    ]
    return np.concatenate([actors, actors]), np.concatenate([anchor, fellow])


def update_ties(model: OpgaveModel) -> None:
    """Decay every tie, strengthen the ties of those who worked together, drop the weakest.

    Worked on as sorted flat keys (row x N + column) rather than sparse-matrix operations,
    whose checks cost more than the work in a small world; the sums are the same: a pair's
    gains add up first, then join the decayed tie. ``model.ties`` is canonical, as the model
    keeps it (each tie once, in order); one that is not is made so first."""
    params = model.config.dynamics.network
    n = model.actors.n
    old = model.ties
    if not old.has_canonical_format:  # each tie once, in order (as this function leaves them)
        old = old.copy()
        old.sum_duplicates()
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(old.indptr)) * n + old.indices
    weights = old.data * (1.0 - params.tie_decay)
    i, j = collaboration_pairs(model)
    mutual = i != j
    if mutual.any():
        i, j = i[mutual], j[mutual]
        pairs, at = np.unique(np.concatenate([i * n + j, j * n + i]), return_inverse=True)
        gains = np.bincount(at, weights=np.full(at.size, params.tie_gain / 2.0))
        at = np.searchsorted(keys, pairs)
        tied = at < keys.size
        tied[tied] = keys[at[tied]] == pairs[tied]
        weights[at[tied]] += gains[tied]
        keys = np.insert(keys, at[~tied], pairs[~tied])
        weights = np.insert(weights, at[~tied], gains[~tied])
    keep = (weights >= params.tie_min) & (weights != 0)  # a tie of weight 0 is no tie
    keys, weights = keys[keep], weights[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // n, minlength=n), out=indptr[1:])
    ties = sp.csr_array((weights, keys % n, indptr), shape=(n, n))
    ties.has_canonical_format = True  # sorted keys, each once
    model.ties = ties


def measure(model: OpgaveModel, every: int = 1) -> None:
    """Density and the share of ties across domains (cheap: read off the sparse matrix), on
    steps that are a multiple of ``every``."""
    if model.steps % every:
        return
    n = model.actors.n
    ties = model.ties  # symmetric: each tie once, above the diagonal (no copy of the matrix)
    row = np.repeat(np.arange(n, dtype=ties.indices.dtype), np.diff(ties.indptr))
    upper = row < ties.indices
    n_ties = int(np.count_nonzero(upper))
    possible = n * (n - 1) / 2
    model.network_stats["density"] = n_ties / possible if possible else 0.0
    primary = model.actors.primary
    cross = np.count_nonzero(primary[row[upper]] != primary[ties.indices[upper]])
    model.network_stats["cross_domain"] = cross / n_ties if n_ties else 0.0


def to_networkx(model: OpgaveModel) -> nx.Graph:
    """The actor network with node attributes, ready for GraphML (Gephi)."""
    upper = sp.triu(model.ties, k=1, format="coo")
    G = nx.Graph()
    count = model.coalitions.count
    for row in range(model.actors.n):
        G.add_node(
            int(row),
            type=model.actor_at(row).key,
            region=int(model.actors.region[row]),
            domain=model.world.domains[int(model.actors.primary[row])],
            sensitivity=float(model.actors.sensitivity[row]),
            memberships=int(count[row]),
        )
    G.add_weighted_edges_from(
        (int(a), int(b), float(w)) for a, b, w in zip(upper.row, upper.col, upper.data, strict=True)
    )
    return G


def summary(
    model: OpgaveModel, betweenness_samples: int | None = None, G: nx.Graph | None = None
) -> dict[str, float]:
    """End-of-run network measures: modularity by domain and boundary spanners' betweenness.

    Betweenness is estimated from ``betweenness_samples`` source nodes (default: all up to
    500 actors, 200 up to 2,000, then 50), drawn from the model's generator. ``G``: the
    model's :func:`to_networkx` graph when the caller has built it already.
    """
    G = to_networkx(model) if G is None else G
    if G.number_of_edges() == 0:
        return {"modularity_by_domain": 0.0, "spanner_betweenness": 0.0, "mean_betweenness": 0.0}
    groups: dict[str, set[int]] = {}
    for node, data in G.nodes(data=True):
        groups.setdefault(data["domain"], set()).add(node)
    modularity = nx.community.modularity(G, list(groups.values()), weight="weight")
    n = G.number_of_nodes()
    if betweenness_samples is None:
        betweenness_samples = n if n <= 500 else (200 if n <= 2000 else 50)
    k = min(betweenness_samples, n)
    bc = nx.betweenness_centrality(G, k=k, seed=int(model.streams.measures.integers(2**31)))
    values = np.array([bc[n] for n in range(model.actors.n)])
    spanners = model.actors.type == SPANNER
    return {
        "modularity_by_domain": float(modularity),
        "spanner_betweenness": float(values[spanners].mean()) if spanners.any() else 0.0,
        "mean_betweenness": float(values.mean()),
    }
