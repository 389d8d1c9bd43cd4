"""Interdependence as behaviour, and execution instruments: what work actually does to a challenge.

Table 2's institutional weaknesses: challenges "te smal gedefinieerd; er vindt suboptimalisatie
plaats" and "versnipperd in de institutionele verdeelmachine". Work on an interdependent
challenge (σ) removes need only as far as it is integrated: a coordinated cluster of initiatives
whose scopes hold a share I of the challenge's need removes ``1 − σ(1 − I)`` per unit of work,
and a share ``λ·σ(1 − I)`` of its work reappears as need in the aspects it left out (the waterbed:
a problem pushed from one domain into the next). A fragmented challenge therefore shrinks more
slowly and can grow. At σ = 0, or when one cluster holds the whole challenge, nothing is lost.

Execution instruments (permits, budgets, legal powers: "daad- en executiekracht"): a share of each
challenge's need is bound to them; only clusters with an institution among their members can
work it. Others can work only the free part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.sensemaking import completeness


def integration(need: np.ndarray, scope: np.ndarray) -> float:
    """Share of a challenge's need that lies within ``scope`` ((D,) bool); 1 without need: the
    same measure as a definition's completeness, applied to what a cluster works on."""
    return completeness(need, scope)


@dataclass(frozen=True)
class Outcome:
    """What a step's work did to one challenge (all (D,) arrays are per domain)."""

    removed: np.ndarray  # need removed
    displaced: np.ndarray  # need added to other aspects
    unlocked: np.ndarray  # instrument-bound need among the removed

    @property
    def net(self) -> float:
        """Need actually taken off the challenge: removed minus displaced."""
        return float(self.removed.sum() - self.displaced.sum())


def apply_work(
    remaining: np.ndarray,
    locked: np.ndarray,
    need: np.ndarray,
    sigma: float,
    work: np.ndarray,
    scopes: np.ndarray,
    backed: np.ndarray,
    displacement: float,
) -> Outcome:
    """The effect of each cluster's work on one challenge.

    ``work`` (C, D) is each coordinated cluster's nominal work per domain, ``scopes`` (C, D) the
    union of its initiatives' scopes, ``backed`` (C,) whether it holds instruments. Unbacked work
    is removed from the free part first; backed work from what is left, instrument-bound need in
    proportion. Removal is capped by what remains; the displaced need of a cluster is
    ``λ·σ(1 − I)`` times the work it could spend, spread over the aspects outside its scope in
    proportion to their need.
    """
    D = remaining.size
    C = work.shape[0]
    shortfall = sigma * (1.0 - np.array([integration(need, s) for s in scopes]))  # σ(1 − I)
    effective = work * (1.0 - shortfall)[:, None]
    spent = np.zeros((C, D))  # nominal work that found need to remove
    removed = np.zeros(D)
    unlocked = np.zeros(D)
    free = np.maximum(remaining - locked, 0.0)
    for is_backed, available in ((False, free), (True, None)):
        rows = backed == is_backed
        if not rows.any():
            continue
        if available is None:  # backed work: everything still there, locked or free
            available = remaining - removed
        wanted = effective[rows].sum(axis=0)
        scale = np.divide(np.minimum(wanted, available), wanted, out=np.zeros(D), where=wanted > 0)
        taken = wanted * scale
        if is_backed:  # bound need goes in proportion to its share of what is still there
            unlocked += taken * np.divide(locked, available, out=np.zeros(D), where=available > 0)
        removed += taken
        spent[rows] = work[rows] * scale[None, :]
    displaced = np.zeros(D)
    for c in range(C):
        amount = displacement * shortfall[c] * spent[c].sum()
        outside = need * ~scopes[c]
        if amount > 0 and outside.sum() > 0:
            displaced += amount * outside / outside.sum()
    return Outcome(removed, displaced, np.minimum(unlocked, locked))
