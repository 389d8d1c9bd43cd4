"""Step 4, agenda setting and framing ("Agenderen van opgaven").

Salience spreads over the social network by Friedkin–Johnsen dynamics, with influential actors
(boundary spanners, opinion leaders) weighing more. Only actors whose own lens picks a challenge
up start with any salience for it (sim/model/perception.py); everyone else can only hear of it
through their ties. An actor notices a challenge when its salience after talk passes the signal
threshold, and attention is scarce: it carries only its top few of those. A challenge reaches the
agenda when the carried salience of relevant and capable actors passes a threshold (the essay's
"drempelwaarde"), so without talk fewer carry it. When the owner defines the challenge
(institutional), only an institution whose mandate frames enough of it can put it on the agenda,
so a challenge that falls between mandates waits, until urgency and public attention force the
institution that sees most of it to take it up. The stage has two parts: ``talk`` (salience
spreads, attention is scarce) makes the step's :class:`View`; ``set_agenda`` reads it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from sim.model.actors import INSTITUTION
from sim.model.opgave import Status
from sim.model.perception import Perception, View, home_share, perceive
from sim.opinion import (
    COLUMNS,
    RowSplit,
    blas_threads,
    column_blocks,
    friedkin_johnsen_equilibrium,
    friedkin_johnsen_iterate,
    listening_weights,
)

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave


def influence_matrix(ties: sp.csr_array, influence: np.ndarray) -> sp.csr_array:
    """Row-stochastic W: actor i listens to its ties j in proportion to tie weight x influence_j."""
    return listening_weights(ties, influence)


def talk(model: OpgaveModel, seen: Perception) -> View:
    """Salience spreads over the ties; each actor then carries only its most salient challenges
    among those it notices (salience after talk at least ``signal_threshold``)."""
    params = model.config.dynamics.agenda
    x = spread(model, seen)
    attention = scarce_attention(x, params.attention, params.signal_threshold)
    # Talk does not read the home shares: computed only now, the step never holds them beside
    # last step's salience and this step's (one (N, M) array less at the step's peak).
    return View(
        **{f.name: getattr(seen, f.name) for f in fields(seen) if f.init},
        x=x,
        attention=attention,
        home_share=home_share(model, seen),
    )


def spread(model: OpgaveModel, seen: Perception) -> np.ndarray:
    """Run ``fj_iterations`` Friedkin–Johnsen steps from last step's salience (x0 for new ones)."""
    if not seen.opgaven:
        model.salience = None
        return seen.raw_salience()
    x = carried_salience(model.salience, seen)
    model.salience = None  # let last step's matrix go before the iterations need room
    W = influence_matrix(model.ties, model.actors.influence)
    lam = 1.0 - model.actors.stubbornness
    iterations = model.config.dynamics.agenda.fj_iterations
    with RowSplit(W, talk_threads(model, W.nnz * min(x.shape[1], COLUMNS))) as product:
        for cols in column_blocks(x.shape[1]):  # x(0) a block at a time; x changes in place
            friedkin_johnsen_iterate(x[:, cols], seen.raw_salience(cols), product, lam, iterations)
    model.salience = (x, {op.uid: k for k, op in enumerate(seen.opgaven)})
    return x


SPLIT_WORK = 2_000_000  # multiply-adds of one product (ties x challenges) worth a second thread


def talk_threads(model: OpgaveModel, work: int) -> int:
    """Threads for talk's product of ``work`` multiply-adds: one for a small one (a thread's
    start costs more than it saves), else the model's ``talk_threads``: as given by a lone run
    (``engine.threads.lone_run``), or found once as the threads BLAS may use in this process
    (one in an engine worker, where the workers are the parallelism)."""
    if work < SPLIT_WORK:
        return 1
    if model.talk_threads is None:
        model.talk_threads = blas_threads()
    return model.talk_threads


def salience_of(model: OpgaveModel, op: Opgave) -> np.ndarray | None:
    """(N,) each actor's salience of ``op`` after the last talk (None: it was not in the talk)."""
    if model.salience is None or op.uid not in model.salience[1]:
        return None
    matrix, column = model.salience
    return matrix[:, column[op.uid]]


def carried_salience(last: tuple[np.ndarray, dict[int, int]] | None, seen: Perception):
    """(N, M): the salience each challenge in view had after last step's talk (``last``: that
    matrix and each challenge's column in it), x(0) for a challenge new to the talk."""
    column = last[1] if last is not None else {}
    source = np.array([column.get(op.uid, -1) for op in seen.opgaven])
    x = np.empty(seen.relevance.shape)
    if source.size == 0:
        return x
    # Copied in blocks of neighbouring columns: one strided column at a time is ~4x slower at
    # city scale. A block runs on while the source column goes up by one (or stays x(0)).
    new = source < 0
    step = np.diff(source)
    breaks = np.flatnonzero((new[1:] != new[:-1]) | (~new[1:] & (step != 1))) + 1
    for start, stop in zip(np.r_[0, breaks], np.r_[breaks, source.size], strict=True):
        if new[start]:
            x[:, start:stop] = seen.raw_salience(slice(start, stop))
        else:
            first = source[start]
            x[:, start:stop] = last[0][:, first : first + stop - start]
    return x


ROWS = 4096  # actors ranked together: the ranking's temporaries stay small at city scale


def scarce_attention(x: np.ndarray, slots: int, notice: float = 0.0) -> np.ndarray:
    """(N, M) bool: each actor carries its ``slots`` most salient challenges among those it
    notices (salience > 0 and at least ``notice``). Each actor ranks its own row, so the rows
    are ranked ``ROWS`` at a time."""
    N, M = x.shape
    noticed = x > 0
    noticed &= x >= notice
    if slots >= M:
        return noticed
    for start in range(0, N, ROWS):
        rows = slice(start, start + ROWS)
        top = np.argpartition(-x[rows], slots - 1, axis=1)[:, :slots]
        carried = np.zeros((top.shape[0], M), dtype=bool)
        np.put_along_axis(carried, top, True, axis=1)
        noticed[rows] &= carried
    return noticed


def support(
    x: np.ndarray,
    att: np.ndarray,
    capability: np.ndarray,
    eligible: np.ndarray,
    relevance: np.ndarray,
) -> np.ndarray:
    """(M,) how far the relevant, capable actors carry each challenge:
    Σ_i att·x·cap / Σ_i relevance·cap, both sums over the eligible actors.

    ``relevance`` (N, M) is how much of the challenge an actor sees (lens x proximity), whether
    or not it has heard of it, so the support does not shrink as the population grows or a
    challenge concerns few actors, and those who have not heard of it count as not carrying it.
    ``eligible`` (N, M) says whose voice counts (everyone for a collective definition;
    institutions whose mandate frames it for an owner).
    """
    carried, mass = np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for cols in column_blocks(x.shape[1]):  # each column's sums alone: the same in blocks
        weight = eligible[:, cols] * capability[:, None]
        mass[cols] = (weight * relevance[:, cols]).sum(axis=0)
        carried[cols] = (weight * att[:, cols] * x[:, cols]).sum(axis=0)
    return np.divide(carried, mass, out=np.zeros_like(carried), where=mass > 0)


def owner_eligible(model: OpgaveModel, seen: View, k: int | None = None) -> np.ndarray:
    """(N, M) bool: institutions seeing at least ``mandate_fit`` of a challenge in their mandate
    (only column ``k``, shape (N,), when given)."""
    institutions, fits = mandate_fits(model, seen)
    eligible = np.zeros(seen.inside.shape if k is None else seen.inside.shape[0], dtype=bool)
    eligible[institutions] = fits if k is None else fits[:, k]
    return eligible


def mandate_fits(model: OpgaveModel, seen: View) -> tuple[np.ndarray, np.ndarray]:
    """The institutions' rows and, (institutions, M) bool, whether each sees at least
    ``mandate_fit`` of each challenge in its mandate: once per step, kept with the view (only
    institutions can be eligible, so only their rows are computed)."""
    memo = seen.memo.get("mandate_fits")
    if memo is None:
        institutions = model.actors.rows_of(INSTITUTION)
        in_mandate = seen.home_share[institutions] * seen.proximity(institutions)
        fits = in_mandate >= model.config.dynamics.agenda.mandate_fit
        fits.flags.writeable = False  # shared by every reader this step
        memo = seen.memo["mandate_fits"] = institutions, fits
    return memo


def forced_owner(model: OpgaveModel, seen: View, k: int) -> int:
    """The institution forced to take up challenge ``k`` (-1: none): once urgency x public
    attention reaches ``forcing``, the institution that sees the largest share of it in its
    mandate must act, even when that share falls short of ``mandate_fit``."""
    op = seen.opgaven[k]
    if op.urgency * op.public_attention < model.config.dynamics.agenda.forcing:
        return -1
    institutions = model.actors.rows_of(INSTITUTION)
    if institutions.size == 0:
        return -1
    in_mandate = seen.home_share[institutions, k] * seen.proximity(institutions, k)
    if in_mandate.max() <= 0:
        return -1  # none holds any of it: nobody can be made to act
    return int(institutions[np.argmax(in_mandate)])


def set_agenda(model: OpgaveModel, view: View) -> list[Opgave]:
    """Move challenges latent -> signalled -> on the agenda; return those newly on the agenda.

    Whose support counts, who owns the challenge, who must take it up and whether urgency and
    public attention can force it are the ``definition`` knob's (:mod:`sim.model.sensemaking`).
    """
    params = model.config.dynamics.agenda
    definition = model.strategy.definition
    x, att = view.x, view.attention
    actors = model.actors
    capability = actors.capacity * actors.power
    eligible = definition.agenda_voice(model, view)
    supp = support(x, att, capability, eligible, view.relevance)

    newly = []
    for k, op in enumerate(view.opgaven):
        if op.status == Status.LATENT and x[:, k].max(initial=0.0) >= params.signal_threshold:
            op.status = Status.SIGNALLED
        if op.status != Status.SIGNALLED:
            continue
        backers = att[:, k] & eligible[:, k]
        if (
            supp[k] >= params.agenda_threshold
            and backers.any()
            and definition.takes_up(model, backers)
        ):
            strength = np.where(backers, x[:, k] * capability, -np.inf)
            op.owner = definition.owner_among(strength)
            order = np.argsort(-strength, kind="stable")
            op.supporters = order[: int(backers.sum())][: params.seed_members]
        else:
            forced = definition.forced_owner(model, view, k)
            if forced < 0:
                continue
            op.owner, op.supporters, op.forced = forced, np.array([forced]), True
        op.status = Status.AGENDA
        op.agenda_step = model.steps
        newly.append(op)
    return newly


def equilibrium_gap(model: OpgaveModel, iterations: int = 300) -> float:
    """Largest gap between the model's Friedkin–Johnsen dynamics, iterated from x(0) with x(0)
    held fixed, and the closed form x* = (I − ΛW)⁻¹(I − Λ)x(0), using the model's own W and Λ."""
    seen = perceive(model, model.active_opgaven)
    W = influence_matrix(model.ties, model.actors.influence)
    lam = 1.0 - model.actors.stubbornness
    x0 = seen.raw_salience()
    x = friedkin_johnsen_iterate(x0.copy(), x0, W, lam, iterations)
    return float(np.abs(x - friedkin_johnsen_equilibrium(W, lam, x0)).max(initial=0.0))
