"""The regie (table 2: "de regie op het proces van duiding en agendering"): who holds it, and
what holding it does. A regie-holder takes a supported challenge up, convenes its initiatives,
widens the work as the challenge changes shape, recruits and damps splits; without one these
things happen only by chance, and coordination links lapse.

Who may hold it is the ``regie`` knob, a :class:`Regie` object: the owner institution, a boundary
spanner, or both together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.model import coordination
from sim.model.actors import INSTITUTION, SPANNER
from sim.model.motives import motive_terms

REGIE = "regie"  # the kind of link a regie-holder makes (sim.model.coordination)

if TYPE_CHECKING:
    from sim.config.schema import KnobRegie
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


class Regie:
    """Which actor types hold the regie of a challenge, and whether its owner holds it at once."""

    name: ClassVar[KnobRegie]
    holder_types: ClassVar[tuple[int, ...]]  # actor type codes, in the order they take it up
    owner_holds: ClassVar[bool] = False  # the owner institution holds it from the start

    def can_hold(self, types: np.ndarray) -> np.ndarray:
        """(n,) bool: which of the actor ``types`` can hold the regie."""
        return np.isin(types, self.holder_types)


class OwnerRegie(Regie):
    """The owner institution holds the regie (institutional)."""

    name = "owner"
    holder_types = (INSTITUTION,)
    owner_holds = True


class SpannerRegie(Regie):
    """A boundary spanner at the table holds it, if one joins (opgave-centred)."""

    name = "boundary_spanner"
    holder_types = (SPANNER,)


class SharedRegie(Regie):
    """A boundary spanner together with an institution (hybrid)."""

    name = "shared"
    holder_types = (SPANNER, INSTITUTION)


REGIES: dict[str, Regie] = {r.name: r for r in (OwnerRegie(), SpannerRegie(), SharedRegie())}


def by_chance(model: OpgaveModel) -> bool:
    """Regie tasks nobody holds happen only by chance (``dynamics.regie.chance`` per step)."""
    return model.streams.regie.random() < model.config.dynamics.regie.chance


def takes_up(model: OpgaveModel, backers: np.ndarray) -> bool:
    """A collective needs a backer who can hold the regie to take a supported challenge up;
    otherwise it is taken up only by chance."""
    if model.strategy.regie.can_hold(model.actors.type[backers]).any():
        return True
    return by_chance(model)


def install(model: OpgaveModel, op: Opgave) -> None:
    """A challenge taken up: its owner holds the regie where the knob says so; then members who
    can hold it take it up."""
    if model.strategy.regie.owner_holds and op.owner >= 0:
        op.regie = (op.owner,)
    update(model, op)


def update(model: OpgaveModel, op: Opgave) -> None:
    """Keep the regie with members who are still at the table; members of a type the knob names
    take it up where nobody of that type holds it (the one with most capacity)."""
    present = set(model.coalitions.opgave_members(op.uid).tolist())
    types, capacity = model.actors.type, model.actors.capacity
    holders = [h for h in op.regie if h in present]
    for code in model.strategy.regie.holder_types:
        if any(types[h] == code for h in holders):
            continue
        candidates = sorted(a for a in present if types[a] == code)
        if candidates:
            holders.append(max(candidates, key=lambda a: capacity[a]))
    op.regie = tuple(holders)


def hold(model: OpgaveModel, op: Opgave) -> bool:
    """This step's regie: update who holds it; True when someone does (or chance stands in)."""
    update(model, op)
    return bool(op.regie) or by_chance(model)


def convene(model: OpgaveModel, view: View, op: Opgave) -> None:
    """The regie-holder ties initiatives at work (that spent effort last step) to the one doing
    most, ``dynamics.regie.convene`` links per step, each when it is worth its cost to the
    holder: what the link saves (``σ·ΔI``, :func:`sim.model.coordination.link_gain`) times the
    holder's motive value for the challenge exceeds the link's cost (each side pays it every step
    the link lasts). Without a holder (a regie task done by chance) a link is worth what it
    saves."""
    C = model.coalitions
    inits = C.initiatives_of(op.uid)
    working = [j for j in inits if C.initiatives.effort[j] > 0]
    if len(working) < 2:
        return
    hub = max(working, key=lambda j: (C.initiatives.effort[j], -j))
    scope, value = C.initiatives.scope, None
    for _ in range(model.config.dynamics.regie.convene):
        joined = coordination.reachable(C.links_of(op.uid), hub)
        loose = [j for j in working if j not in joined]
        if not loose:
            return
        held = scope[sorted(joined)].any(axis=0)
        gains = [coordination.link_gain(op.sigma, op.need, held, scope[j]) for j in loose]
        value = holder_value(model, view, op) if value is None else value
        if value * max(gains) <= coordination.link_cost(model):
            return
        C.link(op.uid, hub, loose[int(np.argmax(gains))], REGIE)


def holder_value(model: OpgaveModel, view: View, op: Opgave) -> float:
    """What the challenge is worth to its regie-holder: the largest weighted motive value
    (intrinsic, interest and pressure) among those holding it; 1 when nobody does."""
    if not op.regie:
        return 1.0
    holders = np.array(op.regie, dtype=np.int64)
    terms = motive_terms(model, holders, op, view)
    return float((model.actors.motives[holders] * terms).sum(axis=1).max())


def lapse(model: OpgaveModel, op: Opgave) -> None:
    """Without anyone to hold them, the links the regie made lapse one by one (bilateral
    agreements stand or fall with their leads: :func:`sim.model.coordination.agree`)."""
    chance = model.config.dynamics.regie.lapse
    C = model.coalitions
    for a, b in sorted(C.links_of(op.uid)):
        if C.link_kind(op.uid, a, b) == REGIE and model.streams.regie.random() < chance:
            model.coalitions.unlink(op.uid, a, b)


def split_damping(model: OpgaveModel, op: Opgave, members: np.ndarray) -> float:
    """Factor on an initiative's split hazard: a regie-holder among its members mediates."""
    mediated = any(h in members for h in op.regie)
    return (1.0 - model.config.dynamics.regie.mediation) if mediated else 1.0
