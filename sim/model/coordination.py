"""Coordination as work that someone chooses and pays for (table 2: "Collectieve actie vraagt een
relatief grote coördinatie-inspanning"; "versnipperd in de institutionele verdeelmachine").

Two initiatives on a challenge are coordinated in two ways, neither of them given at birth:

* a **link**, made by whoever holds the regie (:func:`sim.model.regie.convene`) or agreed
  bilaterally by the two leads when each one's own stake covers the cost (:func:`agree`). A link
  costs both initiatives effort every step (the overhead in :mod:`sim.model.realisation`) and
  lapses when either side stops paying (:func:`upkeep`), when a bilateral agreement no longer pays
  off for a lead, or, for a regie link, when nobody holds the regie;
* a **shared member**, who integrates the two only in proportion to the effort it gives both:
  ``c_jk = Σ_m 2·min(e_mj, e_mk) / (E_j + E_k)``.

Coupling is transitive along its weakest step (the bottleneck closure), so a chain of links is one
coordinated whole and a loose shared member couples weakly. What coupling does to the work is
:mod:`sim.model.interdependence`; fragmentation is measured from it (:mod:`sim.model.metrics`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.interdependence import integration
from sim.model.motives import motive_terms

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View

BILATERAL = "bilateral"  # a link two leads agreed on; a regie-holder's is ``regie.REGIE``


# -- pure functions ------------------------------------------------------------------------------
def link_components(n_initiatives: int, links: list[tuple[int, int]]) -> np.ndarray:
    """(n,) label of each initiative's component over the links alone (formal coordination):
    two initiatives have the same label exactly when links join them. A step has a few dozen
    links among thousands of initiatives (past ones included), so a union-find over the linked
    ones is some ten times quicker than building a sparse graph."""
    labels = np.arange(n_initiatives)
    parent: dict[int, int] = {}

    def root(j: int) -> int:
        while parent.get(j, j) != j:
            parent[j] = parent.get(parent[j], parent[j])  # path halving
            j = parent[j]
        return j

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    for j in parent:
        labels[j] = root(j)
    return labels


def shared_pairs(
    actors: np.ndarray, initiatives: np.ndarray, opgaven: np.ndarray, effort: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of initiatives on one challenge that share members, with ``Σ_m 2·min(e_mj, e_mk)``:
    the effort shared members give both. Returns (j, k, shared effort), j < k, each pair once."""
    order = np.lexsort((initiatives, opgaven, actors))
    a, o, j, e = actors[order], opgaven[order], initiatives[order], effort[order]
    src, dst, both = [], [], []
    for gap in range(1, a.size):
        same = (a[gap:] == a[:-gap]) & (o[gap:] == o[:-gap])
        if not same.any():
            break  # rows of one actor and challenge are adjacent: no longer gap can match
        src.append(j[:-gap][same])
        dst.append(j[gap:][same])
        both.append(2.0 * np.minimum(e[:-gap][same], e[gap:][same]))
    if not src:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    lo = np.minimum(np.concatenate(src), np.concatenate(dst))
    hi = np.maximum(np.concatenate(src), np.concatenate(dst))
    base = int(hi.max()) + 1
    key, inverse = np.unique(lo * base + hi, return_inverse=True)
    return key // base, key % base, np.bincount(inverse, weights=np.concatenate(both))


def closure(coupling: np.ndarray) -> np.ndarray:
    """Bottleneck closure of a symmetric coupling matrix: the strongest path between two
    initiatives, a path as strong as its weakest step; the diagonal is 1."""
    c = np.array(coupling, dtype=float)
    np.fill_diagonal(c, 1.0)
    for m in range(c.shape[0]):
        np.maximum(c, np.minimum(c[:, m, None], c[None, m, :]), out=c)
    return c


def cover(coupling: np.ndarray, scopes: np.ndarray) -> np.ndarray:
    """(k, D) how far each initiative's work is integrated with work on each aspect: 1 in its own
    scope, ``c_jk`` where a partner coupled by ``c_jk`` covers it (the strongest partner)."""
    return (coupling[:, :, None] * scopes[None, :, :]).max(axis=1)


def link_gain(sigma: float, need: np.ndarray, own: np.ndarray, partner: np.ndarray) -> float:
    """Share of an initiative's work a link saves: σ times the integration it adds,
    ``σ·(I(own ∪ partner) − I(own))``."""
    return sigma * (integration(need, own | partner) - integration(need, own))


# -- behaviour -----------------------------------------------------------------------------------
def link_cost(model: OpgaveModel) -> float:
    """What a link costs each side per step, as a share of its effort."""
    p = model.config.dynamics.realisation
    return p.coordination_scale * p.coordination_link


def stakes(model: OpgaveModel, view: View, op: Opgave, leads: np.ndarray) -> np.ndarray:
    """(n,) each lead's own stake in the challenge: its weighted interest and pressure terms
    (not its intrinsic fit: an agreement must pay off for the organisation itself)."""
    terms = motive_terms(model, leads, op, view)
    return (model.actors.motives[leads, 1:] * terms[:, 1:]).sum(axis=1)


def agree(model: OpgaveModel, view: View, op: Opgave) -> None:
    """Leads of two initiatives at work on ``op`` that no links join yet link them bilaterally
    when, for each lead, what the link saves its own initiative, valued by its own stake,
    exceeds the link's cost; a bilateral link ends when that no longer holds for either lead.
    Possible under every way of working."""
    C = model.coalitions
    ini = C.initiatives
    inits = [j for j in C.initiatives_of(op.uid) if C.is_member(int(ini.lead[j]), j)]
    for a, b in C.links_of(op.uid):
        if C.link_kind(op.uid, a, b) == BILATERAL and not (a in inits and b in inits):
            C.unlink(op.uid, a, b)
    working = [j for j in inits if ini.effort[j] > 0]
    if len(working) < 2 or not model.config.dynamics.regie.bilateral:
        return
    stake = dict(zip(working, stakes(model, view, op, ini.lead[working]), strict=True))
    cost = link_cost(model)
    for x, a in enumerate(working):
        for b in working[x + 1 :]:
            kind = C.link_kind(op.uid, a, b)
            if kind is None and b in reachable(C.links_of(op.uid), a):
                continue  # already joined through others: a second link would save nothing
            pays = all(
                stake[j] * link_gain(op.sigma, op.need, ini.scope[j], ini.scope[k]) > cost
                for j, k in ((a, b), (b, a))
            )
            if pays and kind is None:
                C.link(op.uid, a, b, BILATERAL)
            elif not pays and kind == BILATERAL:
                C.unlink(op.uid, a, b)


def reachable(links: set[tuple[int, int]], start: int) -> set[int]:
    """Initiatives reachable from ``start`` over ``links`` (``start`` included)."""
    seen, frontier = {start}, [start]
    while frontier:
        j = frontier.pop()
        for a, b in links:
            other = b if a == j else a if b == j else None
            if other is not None and other not in seen:
                seen.add(other)
                frontier.append(other)
    return seen


def upkeep(model: OpgaveModel, effort: np.ndarray) -> None:
    """Links are paid from both sides each step: a link one side spent no effort on lapses."""
    C = model.coalitions
    for op in model.active_opgaven:
        for a, b in C.links_of(op.uid):
            if effort[a] <= 0 or effort[b] <= 0:
                C.unlink(op.uid, a, b)
