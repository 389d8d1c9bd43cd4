"""Interdependence as behaviour, and execution instruments: what work actually does to a challenge.

Table 2's institutional weaknesses: challenges "te smal gedefinieerd; er vindt suboptimalisatie
plaats" and "versnipperd in de institutionele verdeelmachine". Work on an interdependent
challenge (σ) removes need only as far as it is integrated: an initiative whose own scope and
coordinated partners (:mod:`sim.model.coordination`) hold a share I of the challenge's need
removes ``1 − σ(1 − I)`` per unit of work,
and a share ``λ·σ(1 − I)`` of its work reappears as need in the aspects it left out (the waterbed:
a problem pushed from one domain into the next). A fragmented challenge therefore shrinks more
slowly and can grow. At σ = 0, or when one cluster holds the whole challenge, nothing is lost.

Execution instruments (permits, budgets, legal powers: "daad- en executiekracht"): a share of each
challenge's need is bound to them; only clusters with an institution among their members can
work it (an institution among its members, or a link to an initiative with one: formal backing).
Others can work only the free part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.sensemaking import completeness


def integration(need: np.ndarray, cover: np.ndarray) -> float:
    """Share of a challenge's need that work is integrated with: ``cover`` (D,) is 1 (or True)
    for aspects in the work's own scope or a fully coordinated partner's, and the coupling
    ``c`` in [0, 1] for a partially coordinated one; 1 without need. With a bool ``cover`` it is
    the same measure as a definition's completeness."""
    return completeness(need, cover)


def integration_of(need: np.ndarray, cover: np.ndarray) -> np.ndarray:
    """(C,) :func:`integration` of each row of ``cover`` (C, D); 1 without need."""
    total = need.sum()
    cover = np.asarray(cover, dtype=float)
    return (cover @ need) / total if total > 0 else np.ones(cover.shape[0])


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
    cover: np.ndarray,
    backed: np.ndarray,
    displacement: float,
    integrated: np.ndarray | None = None,
) -> Outcome:
    """The effect of each initiative's work on one challenge.

    ``work`` (C, D) is each initiative's nominal work per domain, ``cover`` (C, D) how far it is
    integrated with each aspect (:func:`sim.model.coordination.cover`; a bool scope is full
    integration within it), ``backed`` (C,) whether it holds instruments. Unbacked work
    is removed from the free part first; backed work from what is left, instrument-bound need in
    proportion. Removal is capped by what remains; the displaced need of an initiative is
    ``λ·σ(1 − I)`` times the work it could spend, spread over the aspects outside its scope in
    proportion to their need and to how far it is not integrated with them. ``integrated``:
    :func:`integration_of` ``(need, cover)`` when the caller has it already.
    """
    D = remaining.size
    C = work.shape[0]
    cover = np.asarray(cover, dtype=float)
    if integrated is None:
        integrated = integration_of(need, cover)
    shortfall = sigma * (1.0 - integrated)  # σ(1 − I)
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
    amount = displacement * shortfall * spent.sum(axis=1)  # (C,)
    outside = need[None, :] * (1.0 - cover)  # (C, D)
    room = outside.sum(axis=1)
    per = np.divide(amount, room, out=np.zeros(C), where=(room > 0) & (amount > 0))
    displaced = per @ outside
    return Outcome(removed, displaced, np.minimum(unlocked, locked))
