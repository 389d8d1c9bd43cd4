"""Step 4, agenda setting and framing ("Agenderen van opgaven").

Salience spreads over the social network by Friedkin–Johnsen dynamics, with influential actors
(boundary spanners, opinion leaders) weighing more. Attention is scarce: an actor carries only its
top few challenges. A challenge reaches the agenda when the support of relevant and capable
actors passes a threshold (the essay's "drempelwaarde"). When the owner defines the challenge
(institutional), only an institution whose mandate frames enough of it can put it on the agenda,
so a challenge that falls between mandates waits. The stage has two parts: ``talk`` (salience
spreads, attention is scarce) makes the step's :class:`View`; ``set_agenda`` reads it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from sim.model.actors import INSTITUTION
from sim.model.opgave import Status
from sim.model.perception import Perception, View, perceive
from sim.opinion import friedkin_johnsen_equilibrium, friedkin_johnsen_step, row_stochastic

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave


def influence_matrix(ties: sp.csr_array, influence: np.ndarray) -> sp.csr_array:
    """Row-stochastic W: actor i listens to its ties j in proportion to tie weight x influence_j."""
    return row_stochastic(ties @ sp.diags_array(influence))


def talk(model: OpgaveModel, seen: Perception) -> View:
    """Salience spreads over the ties; each actor then carries only its most salient challenges."""
    x = spread(model, seen)
    attention = scarce_attention(x, model.config.dynamics.agenda.attention)
    return View(
        **{f.name: getattr(seen, f.name) for f in fields(seen) if f.init}, x=x, attention=attention
    )


def spread(model: OpgaveModel, seen: Perception) -> np.ndarray:
    """Run ``fj_iterations`` Friedkin–Johnsen steps from last step's salience (x0 for new ones)."""
    if not seen.opgaven:
        return seen.x0
    x = np.column_stack(
        [
            op.salience if op.salience is not None else seen.x0[:, k]
            for k, op in enumerate(seen.opgaven)
        ]
    )
    W = influence_matrix(model.ties, model.actors.influence)
    lam = 1.0 - model.actors.stubbornness
    for _ in range(model.config.dynamics.agenda.fj_iterations):
        x = friedkin_johnsen_step(x, seen.x0, W, lam)
    for k, op in enumerate(seen.opgaven):
        op.salience = x[:, k]
    return x


def scarce_attention(x: np.ndarray, slots: int) -> np.ndarray:
    """(N, M) bool: each actor carries its ``slots`` most salient challenges (salience > 0)."""
    N, M = x.shape
    if slots >= M:
        return x > 0
    top = np.argpartition(-x, slots - 1, axis=1)[:, :slots]
    att = np.zeros((N, M), dtype=bool)
    np.put_along_axis(att, top, True, axis=1)
    return att & (x > 0)


def support(
    x: np.ndarray,
    att: np.ndarray,
    capability: np.ndarray,
    eligible: np.ndarray,
    relevance: np.ndarray,
) -> np.ndarray:
    """(M,) how far the relevant, capable actors carry each challenge:
    Σ_i att·x·cap / Σ_i relevance·cap, both sums over the eligible actors.

    ``relevance`` (N, M) is how much of the challenge an actor sees (lens x proximity), so the
    support does not shrink as the population grows or a challenge concerns few actors.
    ``eligible`` (N, M) says whose voice counts (everyone for a collective definition;
    institutions whose mandate frames it for an owner).
    """
    weight = eligible * capability[:, None]
    mass = (weight * relevance).sum(axis=0)
    carried = (weight * att * x).sum(axis=0)
    return np.divide(carried, mass, out=np.zeros_like(carried), where=mass > 0)


def owner_eligible(model: OpgaveModel, seen: Perception, k: int | None = None) -> np.ndarray:
    """(N, M) bool: institutions seeing at least ``mandate_fit`` of a challenge in their mandate
    (only column ``k``, shape (N,), when given)."""
    is_inst = model.actors.type == INSTITUTION
    cols = slice(None) if k is None else k
    seen_in_mandate = seen.home_share[:, cols] * seen.proximity[:, cols]
    if k is None:
        is_inst = is_inst[:, None]
    return is_inst & (seen_in_mandate >= model.config.dynamics.agenda.mandate_fit)


def set_agenda(model: OpgaveModel, view: View) -> list[Opgave]:
    """Move challenges latent -> signalled -> on the agenda; return those newly on the agenda.

    Whose support counts, who owns the challenge and who must take it up are the ``definition``
    knob's (:mod:`sim.model.sensemaking`).
    """
    params = model.config.dynamics.agenda
    definition = model.strategy.definition
    x, att = view.x, view.attention
    actors = model.actors
    capability = actors.capacity * actors.power
    eligible = definition.agenda_voice(model, view)
    urgency = np.array([op.urgency for op in view.opgaven])
    relevance = view.x0 / np.maximum(urgency, 1e-12)[None, :]
    supp = support(x, att, capability, eligible, relevance)

    newly = []
    for k, op in enumerate(view.opgaven):
        if op.status == Status.LATENT and x[:, k].max(initial=0.0) >= params.signal_threshold:
            op.status = Status.SIGNALLED
        if op.status == Status.SIGNALLED and supp[k] >= params.agenda_threshold:
            backers = att[:, k] & eligible[:, k]
            if not backers.any() or not definition.takes_up(model, backers):
                continue
            op.status = Status.AGENDA
            op.agenda_step = model.steps
            strength = np.where(backers, x[:, k] * capability, -np.inf)
            op.owner = definition.owner_among(strength)
            order = np.argsort(-strength, kind="stable")
            op.supporters = order[: int(backers.sum())][: params.seed_members]
            newly.append(op)
    return newly


def equilibrium_gap(model: OpgaveModel, iterations: int = 300) -> float:
    """Largest gap between the model's Friedkin–Johnsen dynamics, iterated from x(0) with x(0)
    held fixed, and the closed form x* = (I − ΛW)⁻¹(I − Λ)x(0), using the model's own W and Λ."""
    seen = perceive(model, model.active_opgaven)
    W = influence_matrix(model.ties, model.actors.influence)
    lam = 1.0 - model.actors.stubbornness
    x = seen.x0.copy()
    for _ in range(iterations):
        x = friedkin_johnsen_step(x, seen.x0, W, lam)
    return float(np.abs(x - friedkin_johnsen_equilibrium(W, lam, seen.x0)).max(initial=0.0))
