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
    """What a step's work did to a challenge ((D,) arrays, per domain) or to several ((U, D))."""

    removed: np.ndarray  # need removed
    displaced: np.ndarray  # need added to other aspects
    unlocked: np.ndarray  # instrument-bound need among the removed

    @property
    def net(self) -> float | np.ndarray:
        """Need actually taken off the challenge: removed minus displaced (per challenge, as an
        array, when the outcome holds several)."""
        net = self.removed.sum(axis=-1) - self.displaced.sum(axis=-1)
        return float(net) if net.ndim == 0 else net


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
    cover = np.asarray(cover, dtype=float)
    if integrated is None:
        integrated = integration_of(need, cover)
    out = apply_work_all(
        remaining[None, :],
        locked[None, :],
        need[None, :],
        np.array([sigma], dtype=float),
        np.asarray(work, dtype=float),
        cover,
        np.asarray(backed, dtype=bool),
        displacement,
        np.zeros(cover.shape[0], dtype=np.int64),
        integrated,
    )
    return Outcome(out.removed[0], out.displaced[0], out.unlocked[0])


def apply_work_all(
    remaining: np.ndarray,
    locked: np.ndarray,
    need: np.ndarray,
    sigma: np.ndarray,
    work: np.ndarray,
    cover: np.ndarray,
    backed: np.ndarray,
    displacement: float,
    challenge: np.ndarray,
    integrated: np.ndarray,
) -> Outcome:
    """:func:`apply_work` for several challenges at once (realisation's step: one call instead
    of one per challenge, each entry the same number). Per challenge: ``remaining``, ``locked``,
    ``need`` (U, D), ``sigma`` (U,); per initiative: ``work``, ``cover`` (R, D), ``backed``,
    ``integrated`` (R,) and ``challenge`` (R,), its challenge's row, in nondecreasing order.
    Returns an :class:`Outcome` of (U, D) arrays."""
    n_challenges, D = remaining.shape
    shortfall = sigma[challenge] * (1.0 - integrated)  # σ(1 − I)
    effective = work * (1.0 - shortfall)[:, None]
    spent = np.zeros(work.shape)  # nominal work that found need to remove
    removed = np.zeros((n_challenges, D))
    unlocked = np.zeros((n_challenges, D))
    free = np.maximum(remaining - locked, 0.0)
    for is_backed, available in ((False, free), (True, None)):
        rows = backed == is_backed
        if not rows.any():
            continue
        if available is None:  # backed work: everything still there, locked or free
            available = remaining - removed
        wanted = sums_by(effective[rows], challenge[rows], n_challenges)
        scale = np.divide(
            np.minimum(wanted, available), wanted, out=np.zeros_like(wanted), where=wanted > 0
        )
        taken = wanted * scale
        if is_backed:  # bound need goes in proportion to its share of what is still there
            share = np.divide(locked, available, out=np.zeros_like(wanted), where=available > 0)
            unlocked += taken * share
        removed += taken
        spent[rows] = work[rows] * scale[challenge[rows]]
    amount = displacement * shortfall * spent.sum(axis=1)  # (R,)
    outside = need[challenge] * (1.0 - cover)  # (R, D)
    room = outside.sum(axis=1)
    per = np.divide(amount, room, out=np.zeros_like(amount), where=(room > 0) & (amount > 0))
    displaced = np.zeros((n_challenges, D))
    bounds = np.searchsorted(challenge, np.arange(n_challenges + 1))
    for u in range(n_challenges):  # a matrix product per challenge: grouped, its last bit moves
        a, b = bounds[u], bounds[u + 1]
        displaced[u] = per[a:b] @ outside[a:b]
    return Outcome(removed, displaced, np.minimum(unlocked, locked))


def sums_by(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """(n, D) the sum of the rows of ``values`` (R, D) in each group, added row after row as
    ``values[group == g].sum(axis=0)`` adds them (numpy sums a lone column pairwise, so with
    one domain each group is summed by itself)."""
    out = np.zeros((n, values.shape[1]))
    if values.shape[1] == 1:
        for g in np.unique(group):
            out[g] = values[group == g].sum(axis=0)
    else:
        np.add.at(out, group, values)
    return out
