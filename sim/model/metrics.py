"""Outputs: pure functions (easy to check by hand) and the model-level reporters built on them.

Every reporter is a module-level function of the model (picklable, as Mesa's DataCollector
wants); :mod:`sim.model.outcomes` registers them with their labels and how to read them.
Shares are in [0, 1]; ``definition_completeness`` is NaN until some challenge has been defined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.opgave import Status
from sim.model.sensemaking import completeness_of

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


# -- pure functions ------------------------------------------------------------------------------
def blau_index(counts: np.ndarray) -> np.ndarray:
    """Diversity per row of category counts: 1 − Σ p²; 0 for an empty row."""
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    totals = counts.sum(axis=1, keepdims=True)
    p = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return np.where(totals[:, 0] > 0, 1.0 - (p**2).sum(axis=1), 0.0)


def unintegrated_share(effort: np.ndarray, integrated: np.ndarray) -> float:
    """Versnippering of one challenge: the share of the effort spent on it that is not
    integrated with the rest of it, ``Σ_j E_j (1 − I_j) / Σ_j E_j``, ``I_j`` the share of the
    challenge's need initiative ``j``'s work is integrated with (its own scope and its coupled
    partners'); 0 without effort. Parallel approaches that each hold the whole challenge are
    not fragmented; mandate-sized pieces nobody links are, as far as each misses the rest.
    This is what interdependence penalises: work on the challenge loses ``σ`` times it."""
    effort = np.asarray(effort, dtype=float)
    total = effort.sum()
    if total <= 0:
        return 0.0
    return float(np.clip((effort * (1.0 - np.asarray(integrated))).sum() / total, 0.0, 1.0))


def row_totals(rows: list[np.ndarray]) -> list[float]:
    """Each (D,) array's sum, all in one stacked sum (each row's sum is the same number as the
    array's own ``.sum()``, to the last bit; a test checks it)."""
    return np.stack(rows).sum(axis=1).tolist() if rows else []


def plain_sum(values: list[float]) -> float:
    """Left to right, as ``+`` adds (Python's ``sum`` compensates the rounding of floats since
    3.12, so it can differ from numpy's and from earlier results in the last bit)."""
    total = 0.0
    for v in values:
        total += v
    return total


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean; 0 when the weights sum to 0."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    return float((np.asarray(values) * w).sum() / total) if total > 0 else 0.0


# -- model reporters ---------------------------------------------------------------------------
def fragmentation(model: OpgaveModel) -> float:
    """Need-weighted mean fragmentation over challenges with effort spent on them this step."""
    return fragmentation_of(model, model.active_opgaven)


def fragmentation_of(model: OpgaveModel, opgaven) -> float:
    """:func:`fragmentation` over the challenges ``opgaven`` only (0 when none is worked on)."""
    ops = [op for op in opgaven if op.fragmentation > 0 or has_effort(model, op)]
    if not ops:
        return 0.0
    return weighted_mean(
        np.array([op.fragmentation for op in ops]), np.array([op.total_need for op in ops])
    )


def has_effort(model: OpgaveModel, op) -> bool:
    """Whether any initiative on ``op`` spent effort this step."""
    inits = model.coalitions.initiatives_of(op.uid)
    return bool(inits) and model.coalitions.initiatives.effort[inits].sum() > 0


def covered_domains(model: OpgaveModel, uid: int) -> np.ndarray:
    """(D,) bool: aspects in the scope of an initiative on challenge ``uid`` that has members."""
    C = model.coalitions
    covered = np.zeros(model.world.n_domains, dtype=bool)
    for j in C.initiatives_of(uid):
        if C.size(j):
            covered |= C.initiatives.scope[j]
    return covered


def orphaned_share(model: OpgaveModel) -> float:
    """Share of the true remaining need (unresolved challenges) in aspects no initiative covers."""
    unresolved = [op for op in model.opgaven if op.status != Status.RESOLVED]
    total = uncovered = 0.0
    for op, left in zip(unresolved, row_totals([op.remaining for op in unresolved]), strict=True):
        total += left
        uncovered += op.remaining[~covered_domains(model, op.uid)].sum() if op.active else left
    return float(uncovered / total) if total > 0 else 0.0


def open_backlog(model: OpgaveModel) -> float:
    """Remaining need of the challenges still open (neither resolved nor orphaned)."""
    return plain_sum(row_totals([op.remaining for op in model.active_opgaven]))


def orphaned_count(model: OpgaveModel) -> int:
    """Number of orphaned challenges (verweesde vraagstukken) so far."""
    return sum(op.status == Status.ORPHANED for op in model.opgaven)


def collective_effectiveness(model: OpgaveModel) -> float:
    """Value delivered so far / total need that has arisen so far, in [0, 1]."""
    need = model.totals["need"]
    return float(model.totals["value"] / need) if need > 0 else 0.0


def efficiency(model: OpgaveModel) -> float:
    """Value delivered per unit of effort spent, over the run so far (0 before any effort)."""
    effort = model.totals["effort"]
    return float(model.totals["value"] / effort) if effort > 0 else 0.0


def definition_completeness(model: OpgaveModel) -> float:
    """Need-weighted share of the true need recognised, over challenges that have been defined."""
    taken_up = [op for op in model.opgaven if op.agenda_step >= 0]
    some = np.stack([op.definition for op in taken_up]).any(axis=1) if taken_up else []
    defined = [op for op, has in zip(taken_up, some, strict=True) if has]
    if not defined:
        return float("nan")
    return weighted_mean(
        completeness_of(
            np.stack([op.need for op in defined]), np.stack([op.definition for op in defined])
        ),
        np.array([op.total_need for op in defined]),
    )


def agenda_latency(model: OpgaveModel) -> float:
    """Mean steps from emergence to the agenda; a challenge still waiting counts its wait so far
    (and an ended one its wait until it ended), so slow agendas are not hidden by censoring."""
    if not model.opgaven:
        return 0.0
    waits = []
    for op in model.opgaven:
        if op.agenda_step >= 0:
            until = op.agenda_step
        elif op.ended_step >= 0:
            until = op.ended_step
        else:
            until = model.steps
        waits.append(until - op.emerged)
    return float(np.mean(waits))


def coordination_cost_share(model: OpgaveModel) -> float:
    """Share of all effort spent so far that went into coordination overhead."""
    effort = model.totals["effort"]
    return float(model.totals["overhead"] / effort) if effort > 0 else 0.0


def mean_sensitivity(model: OpgaveModel) -> float:
    """Mean opgavegevoeligheid over all actors."""
    return float(model.actors.sensitivity.mean())


def active_opgaven(model: OpgaveModel) -> int:
    """Challenges that have emerged and are neither resolved nor orphaned."""
    return len(model.active_opgaven)


def resolved_opgaven(model: OpgaveModel) -> int:
    """Challenges resolved so far."""
    return sum(op.status == Status.RESOLVED for op in model.opgaven)


def participation(model: OpgaveModel, type_code: int) -> float:
    """Share of actors of a type with at least one active membership (0 if there are none)."""
    rows = model.actors.type == type_code
    if not rows.any():
        return 0.0
    return float((model.coalitions.count[rows] > 0).mean())


def network_density(model: OpgaveModel) -> float:
    """Ties / possible ties in the actor network."""
    return model.network_stats["density"]


def cross_domain_tie_share(model: OpgaveModel) -> float:
    """Share of ties between actors whose primary domains differ."""
    return model.network_stats["cross_domain"]
