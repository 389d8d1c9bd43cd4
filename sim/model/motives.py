"""Motives (step 6, "Verbinden van partijen met de opgave"): what joining gives an actor.

U = β_intrinsic·fit + β_interest·own return + β_external·pressure − cost. Connection to the
challenge comes on top of own interest; it does not replace it. What differs by actor type (own
return, pressure) lives in the actor classes; this module weighs the terms and records a joining.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import ACTOR_CLASSES, COMPANY, Context, overrides
from sim.model.coalitions import Ending
from sim.model.incentives import case_of

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


def motive_terms(model: OpgaveModel, rows: np.ndarray, op: Opgave, seen: View) -> np.ndarray:
    """(n, 3) unweighted motive terms [intrinsic, interest, external] of ``rows`` for ``op``."""
    rows = np.asarray(rows, dtype=np.int64)
    k = seen.column(op)
    return terms_of(
        model,
        rows,
        seen.home_share[rows, k],
        seen.proximity(rows, k),
        op.urgency,  # one challenge: the same for every row
        op.public_attention,
        op.business[None, :],
    )


def membership_terms(model: OpgaveModel, rows: np.ndarray, seen: View) -> np.ndarray:
    """(n, 3) motive terms of the memberships ``rows`` (each actor for its challenge)."""
    M = model.coalitions.memberships
    actors = M.actor[rows]
    uids, at = np.unique(M.opgave[rows], return_inverse=True)
    ops = [model.opgaven[int(u)] for u in uids]
    columns = np.array([seen.column(op) for op in ops], dtype=np.int64)[at]
    return terms_of(
        model,
        actors,
        seen.home_share[actors, columns],
        seen.proximity(actors, columns),
        np.array([op.urgency for op in ops])[at],
        np.array([op.public_attention for op in ops])[at],
        np.stack([op.business for op in ops])[at],
    )


@dataclass
class StepMotives:
    """This step's motive terms of memberships, each computed once: make_room (during
    mobilisation), realisation and leaving read the same terms, since nothing they depend on
    (the view, the challenges' urgency, attention and markets, the actors' sensitivity) changes
    between them. Also make_room's values of held memberships and each actor's weakest."""

    known: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # by row
    terms: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # by membership row
    values: dict[int, float] = field(default_factory=dict)  # membership row -> Σ β·term
    weakest: dict[int, tuple[int, int, float]] = field(default_factory=dict)  # see weakest_held


def step_motives(seen: View) -> StepMotives:
    """The cache of the step whose view is ``seen`` (kept with the view)."""
    return seen.memo.setdefault("motives", StepMotives())


def terms_now(model: OpgaveModel, rows: np.ndarray, seen: View) -> np.ndarray:
    """:func:`membership_terms` of the memberships ``rows``, each computed once per step (a
    membership's terms are its own, row by row, so computing them with others or alone gives
    the same numbers)."""
    cache = step_motives(seen)
    rows = np.asarray(rows, dtype=np.int64)
    n = model.coalitions.memberships.n
    if cache.known.size < n:  # room for the memberships begun since, and some more
        room = max(n, 2 * cache.known.size)
        cache.known = np.concatenate([cache.known, np.zeros(room - cache.known.size, bool)])
        cache.terms = np.concatenate([cache.terms, np.empty((room - len(cache.terms), 3))])
    new = rows[~cache.known[rows]]
    if new.size:
        new = np.unique(new)
        cache.terms[new] = membership_terms(model, new, seen)
        cache.known[new] = True
    return cache.terms[rows]


def terms_of(
    model: OpgaveModel,
    rows: np.ndarray,
    home_share: np.ndarray,
    proximity: np.ndarray,
    urgency: np.ndarray | float,
    attention: np.ndarray | float,
    business: np.ndarray,
) -> np.ndarray:
    """(n, 3) motive terms of actor ``rows[i]`` for a challenge as the i-th entries describe it
    (``urgency`` and ``attention``: (n,), or one value for all; ``business``: the challenge's
    business case per domain, (n, D), or (1, D) for all).

    Intrinsic fit: the share of the challenge in the actor's home domains, near home, widened
    by its sensitivity (identification with the challenge as a whole). Interest and external
    pressure are the actor type's own (:mod:`sim.model.actors`); a type without its own is 0.
    """
    s = model.actors.sensitivity[rows]
    terms = np.zeros((rows.size, 3))
    terms[:, 0] = proximity * (home_share + s * (1.0 - home_share))
    types = model.actors.type[rows]
    # Each type's terms are computed for every row and kept for the type's own: every term is
    # the actor's own (row by row), and one context for all costs less than one per type.
    ctx = Context(home_share, proximity, urgency, attention, lambda: case_of(model, rows, business))
    for cls, own_return, external_pressure in TYPE_MOTIVES:
        mine = types == cls.type_code
        if not mine.any():
            continue
        if own_return:
            np.copyto(terms[:, 1], cls.own_return(model, rows, ctx), where=mine)
        if external_pressure:
            np.copyto(terms[:, 2], cls.external_pressure(model, rows, ctx), where=mine)
    return np.clip(terms, 0.0, 1.0, out=terms)


# per actor type: whether it has an interest term and an external term of its own
TYPE_MOTIVES = [
    (cls, overrides(cls, "own_return"), overrides(cls, "external_pressure"))
    for cls in ACTOR_CLASSES
    if overrides(cls, "own_return") or overrides(cls, "external_pressure")
]


# What a membership is held by, as the records name it: a company's external term is its
# reputation; for everyone else it is legal, political or mandate pressure.
MOTIVE_LABELS = ("intrinsic", "interest", "reputation", "external")


def motive_label(types: np.ndarray, motive: np.ndarray) -> np.ndarray:
    """(n,) index into MOTIVE_LABELS of memberships held by ``motive`` (0..2) of actor ``types``."""
    motive = np.asarray(motive, dtype=np.int64)
    return np.where(motive == 2, np.where(np.asarray(types) == COMPANY, 2, 3), motive)


def utility(model: OpgaveModel, rows: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """U = Σ_m β_m · term_m − cost, per actor."""
    return (model.actors.motives[rows] * terms).sum(axis=1) - model.actors.cost[rows]


def join(
    model: OpgaveModel,
    actor: int,
    initiative: int,
    terms: np.ndarray,
    recruit_effort: float = 0.0,
) -> None:
    """Record a membership; its motive is the strongest weighted term at joining (and what
    recruiting it cost, when it was asked)."""
    weighted = model.actors.motives[actor] * terms
    motive = int(np.argmax(weighted))
    strength = max(float(weighted[motive]), 1e-9)
    model.coalitions.join(actor, initiative, motive, strength, model.steps, recruit_effort)


def held_values(model: OpgaveModel, seen: View, rows: np.ndarray) -> np.ndarray:
    """Σ β·term now of the active memberships ``rows``: what each gives its holder, before the
    (spent) cost of joining. Valued once per step for every active membership (nothing it
    depends on changes within the step); memberships begun since are valued when first asked."""
    values = step_motives(seen).values
    wanted = model.coalitions.active_rows() if not values else rows
    missing = np.array([r for r in wanted.tolist() if r not in values], dtype=np.int64)
    if missing.size:
        actors = model.coalitions.memberships.actor[missing]
        new = (model.actors.motives[actors] * terms_now(model, missing, seen)).sum(1)
        values.update(zip(missing.tolist(), new.tolist(), strict=True))
    return np.array([values[r] for r in rows.tolist()])


def weakest_held(model: OpgaveModel, seen: View, actor: int) -> tuple[int, float]:
    """The active membership of ``actor`` that gives it least now (the oldest of equals), and
    its value; (-1, inf) when it holds none. Kept until the actor's memberships change."""
    C = model.coalitions
    weakest = step_motives(seen).weakest
    cached = weakest.get(actor)
    if cached is not None and cached[0] == C.changes[actor]:
        return cached[1], cached[2]
    held = C.held_by(actor)
    if held.size == 0:
        return -1, float("inf")
    now = held_values(model, seen, held)
    at = int(np.argmin(now))
    weakest[actor] = (int(C.changes[actor]), int(held[at]), float(now[at]))
    return int(held[at]), float(now[at])


def make_room(model: OpgaveModel, seen: View, actor: int, gain: float) -> bool:
    """Whether ``actor`` has a slot for a membership whose utility (``Σβ·term − cost``) is
    ``gain``.

    At its cap an actor chooses: it gives up its weakest membership (lowest motive value now)
    when the new one gives it more after the cost of joining, and that membership ends for
    ``capacity``; else it declines. The cost of a membership already held is spent, so it counts
    only against the new one; ties keep what the actor has. Without ``trade_at_cap`` an actor at
    its cap always declines.
    """
    C = model.coalitions
    if C.count[actor] < model.actors.max_memberships[actor]:
        return True
    if not model.config.dynamics.mobilisation.trade_at_cap:
        return False
    row, value = weakest_held(model, seen, actor)
    if row < 0 or gain <= value:
        return False
    C.leave(np.array([row]), model.steps, Ending.CAPACITY)
    return True


def seat(model: OpgaveModel, seen: View, op: Opgave, actor: int, initiative: int) -> bool:
    """Seat an actor who starts or must join (a lead, a supporter) if it has a slot free."""
    if model.coalitions.count[actor] >= model.actors.max_memberships[actor]:
        return False
    join(model, actor, initiative, motive_terms(model, np.array([actor]), op, seen)[0])
    return True
