"""Step 9, ends: a challenge is resolved when little remains, or orphaned (verweesd) when it
stays urgent while no one works on it for a while (its uncovered aspects show meanwhile in the
orphaned share) ("Kenmerkend aan het
huidige tijdperk"; table 2: the regie is not self-evidently held, so orphaned issues arise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model.coalitions import Ending
from sim.model.metrics import covered_domains, row_totals
from sim.model.opgave import Status

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


def end(model: OpgaveModel) -> None:
    params = model.config.dynamics.lifecycle
    still = []
    lefts = row_totals([op.remaining for op in model.active_opgaven])
    for op, left in zip(model.active_opgaven, lefts, strict=True):
        if left <= params.resolve_threshold * op.total_need:
            close(model, op, Status.RESOLVED)
            continue
        if op.urgency >= params.orphan_urgency and not covered_domains(model, op.uid).any():
            op.uncovered_steps += 1
        else:
            op.uncovered_steps = 0
        if op.uncovered_steps >= params.orphan_patience:
            close(model, op, Status.ORPHANED)
            continue
        still.append(op)
    model.active_opgaven = still


def close(model: OpgaveModel, op, status: Status) -> None:
    op.status = status
    op.ended_step = model.steps
    why = Ending.CHALLENGE_RESOLVED if status == Status.RESOLVED else Ending.CHALLENGE_ORPHANED
    for j in model.coalitions.initiatives_of(op.uid):
        model.coalitions.close_initiative(j, model.steps, why)
