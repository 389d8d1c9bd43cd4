"""Motives (step 6, "Verbinden van partijen met de opgave"): what joining gives an actor.

U = β_intrinsic·fit + β_interest·own return + β_external·pressure − cost. Connection to the
challenge comes on top of own interest; it does not replace it. What differs by actor type (own
return, pressure) lives in the actor classes; this module weighs the terms and records a joining.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import ACTOR_CLASSES, Context

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import Perception


def motive_terms(model: OpgaveModel, rows: np.ndarray, op: Opgave, seen: Perception) -> np.ndarray:
    """(n, 3) unweighted motive terms [intrinsic, interest, external] of ``rows`` for ``op``.

    Intrinsic fit: the share of the challenge in the actor's home domains, near home, widened
    by its sensitivity (identification with the challenge as a whole).
    """
    rows = np.asarray(rows, dtype=np.int64)
    k = seen.column(op)
    hs = seen.home_share[rows, k]
    prox = seen.proximity[rows, k]
    s = model.actors.sensitivity[rows]
    terms = np.zeros((rows.size, 3))
    terms[:, 0] = prox * (hs + s * (1.0 - hs))
    types = model.actors.type[rows]
    for cls in ACTOR_CLASSES:
        mask = types == cls.type_code
        if not mask.any():
            continue
        ctx = Context(hs[mask], prox[mask], op.urgency, op.public_attention, op.business_case)
        terms[mask, 1] = cls.own_return(model, rows[mask], ctx)
        terms[mask, 2] = cls.external_pressure(model, rows[mask], ctx)
    return np.clip(terms, 0.0, 1.0)


def utility(model: OpgaveModel, rows: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """U = Σ_m β_m · term_m − cost, per actor."""
    return (model.actors.motives[rows] * terms).sum(axis=1) - model.actors.cost[rows]


def join(model: OpgaveModel, actor: int, initiative: int, terms: np.ndarray) -> None:
    """Record a membership; its motive is the strongest weighted term at joining."""
    weighted = model.actors.motives[actor] * terms
    motive = int(np.argmax(weighted))
    model.coalitions.join(
        actor, initiative, motive, max(float(weighted[motive]), 1e-9), model.steps
    )


def seat(model: OpgaveModel, seen: Perception, op: Opgave, actor: int, initiative: int) -> bool:
    """Seat an actor who starts or must join (a lead, a supporter) if it has a slot free."""
    if model.coalitions.count[actor] >= model.actors.max_memberships[actor]:
        return False
    join(model, actor, initiative, motive_terms(model, np.array([actor]), op, seen)[0])
    return True
