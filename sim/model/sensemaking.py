"""Step 5, sensemaking (duiding): what the actors around a challenge recognise of it.

A challenge is a social construction ("Agenderen van opgaven", after Weick): only what someone
at the table sees becomes part of its definition. Made by the owner alone, the definition is what
the owner's lens sees; made collectively, an aspect counts when any member sees it, so a more
diverse table sees more (meervoudig kijken, requisite variety). Aspects nobody recognises get
no work.

Who defines is the ``definition`` knob, a :class:`Definition` object: the owner alone, or the
collective at the table. The same choice says whose voice counts on the agenda and who must take a
challenge up (an owner does so by definition; a collective needs someone to hold the regie).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.model import agenda, regie

if TYPE_CHECKING:
    from sim.config.schema import KnobDefinition
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


def recognised(lens_rows: np.ndarray, need: np.ndarray, threshold: float) -> np.ndarray:
    """(D,) bool: aspects of the true need that at least one definer's lens reaches."""
    lens_rows = np.atleast_2d(lens_rows)
    if lens_rows.shape[0] == 0:
        return np.zeros(need.shape, dtype=bool)
    return (lens_rows >= threshold).any(axis=0) & (need > 0)


def completeness(need: np.ndarray, definition: np.ndarray) -> float:
    """Share of the true need that the definition recognises (1 when nothing is needed)."""
    total = need.sum()
    return float((need * definition).sum() / total) if total > 0 else 1.0


def completeness_of(need: np.ndarray, definition: np.ndarray) -> np.ndarray:
    """:func:`completeness` of each row of ``need`` and ``definition`` ((n, D)): the same numbers,
    each row summed as it would be alone."""
    total = need.sum(axis=1)
    recognised = (need * definition).sum(axis=1)
    return np.divide(recognised, total, out=np.ones_like(total), where=total > 0)


def perceived_profiles(lens_rows: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Each definer's picture of the challenge: need seen through its lens, as shares."""
    seen = np.atleast_2d(lens_rows) * need[None, :]
    totals = seen.sum(axis=1, keepdims=True)
    return np.divide(seen, totals, out=np.zeros_like(seen), where=totals > 0)


def disagreement(profiles: np.ndarray) -> float:
    """Mean total-variation distance of members' pictures from their average, in [0, 1]."""
    if profiles.shape[0] < 2:
        return 0.0
    centre = profiles.mean(axis=0)
    return float(0.5 * np.abs(profiles - centre).sum(axis=1).mean())


def recognise(model: OpgaveModel, definers: np.ndarray, need: np.ndarray) -> np.ndarray:
    """(D,) bool: the aspects of ``need`` that the ``definers`` (actor rows) recognise."""
    threshold = model.config.dynamics.sensemaking.recognition
    return recognised(model.actors.lens_eff[definers], need, threshold)


# -- who defines: the ``definition`` knob ----------------------------------------------------------
class Definition:
    """Who makes sense of a challenge, and what follows from that for the agenda."""

    name: ClassVar[KnobDefinition]

    def agenda_voice(self, model: OpgaveModel, seen: View) -> np.ndarray:
        """(N, M) bool: whose support counts for putting each challenge on the agenda (may be a
        read-only broadcast view: do not write to it)."""
        raise NotImplementedError

    def takes_up(self, model: OpgaveModel, backers: np.ndarray) -> bool:
        """Whether a supported challenge is taken up (``backers``: (N,) bool)."""
        raise NotImplementedError

    def owner_among(self, strength: np.ndarray) -> int:
        """The actor row that owns a challenge put on the agenda (-1: nobody owns it)."""
        return -1

    def forced_owner(self, model: OpgaveModel, seen: View, k: int) -> int:
        """The actor row that urgency and public attention force to take up challenge column
        ``k`` without enough support (-1: nobody is forced)."""
        return -1

    def first_definers(self, model: OpgaveModel, op: Opgave) -> np.ndarray:
        """Actor rows who define a challenge newly on the agenda."""
        raise NotImplementedError

    def redefiners(self, model: OpgaveModel, op: Opgave, holds: bool) -> np.ndarray | None:
        """Actor rows who re-define it this step (None: nobody does)."""
        raise NotImplementedError


class OwnerDefinition(Definition):
    """The institution that owns the challenge defines it through its own lens (institutional)."""

    name = "owner"

    def agenda_voice(self, model, seen):
        return agenda.owner_eligible(model, seen)

    def takes_up(self, model, backers):
        return True  # an owner takes up what it puts on its agenda

    def owner_among(self, strength):
        return int(np.argmax(strength))

    def forced_owner(self, model, seen, k):
        # Institutions attend to their mandate; pressure can still force one to act.
        return agenda.forced_owner(model, seen, k)

    def first_definers(self, model, op):
        if op.owner >= 0:
            return np.array([op.owner])
        return _seated_supporters(model, op)

    def redefiners(self, model, op, holds):
        # The owner re-looks only when it follows the challenge and holds the regie.
        if model.strategy.follows_drift and holds and op.owner >= 0:
            return np.array([op.owner])
        return None


class CollectiveDefinition(Definition):
    """Everyone at the table defines it together: an aspect counts when anyone sees it."""

    name = "collective"

    def agenda_voice(self, model, seen):
        voice = model.strategy.citizens.may_sit(model)
        return np.broadcast_to(voice[:, None], (voice.size, len(seen.opgaven)))  # no copy

    def takes_up(self, model, backers):
        return regie.takes_up(model, backers)

    def first_definers(self, model, op):
        return _seated_supporters(model, op)

    def redefiners(self, model, op, holds):
        members = model.coalitions.opgave_members(op.uid)
        return np.union1d(members, np.array(op.regie, dtype=np.int64))


def _seated_supporters(model: OpgaveModel, op: Opgave) -> np.ndarray:
    sitting = model.strategy.citizens.may_sit(model)
    return np.array([s for s in op.supporters if sitting[s]], dtype=np.int64)


DEFINITIONS: dict[str, Definition] = {
    d.name: d for d in (OwnerDefinition(), CollectiveDefinition())
}


# -- the sensemaking stage -------------------------------------------------------------------------
def define(model: OpgaveModel, op: Opgave) -> np.ndarray:
    """A challenge newly on the agenda gets its definition; returns who defined it."""
    definers = model.strategy.definition.first_definers(model, op)
    op.spans_at_take_up = op.spans.copy()
    op.definition = recognise(model, definers, op.need)
    return definers


def in_view(model: OpgaveModel, op: Opgave) -> np.ndarray:
    """(D,) bool: the aspects a way of working can still take in. Following the challenge
    (``follows_drift``) means every aspect it now has; otherwise only those it had when it was
    taken up: aspects that drift adds later stay outside the definition and the claims."""
    if model.strategy.follows_drift or op.spans_at_take_up is None:
        return np.ones(op.need.shape, dtype=bool)
    return op.spans_at_take_up


def redefine(model: OpgaveModel, op: Opgave, holds: bool) -> None:
    """Sensemaking goes on: a collective definition takes in what everyone now at the table sees;
    an owner re-defines (with its own lens) only when it follows the challenge and holds the regie.
    Aspects drift added are taken in only when the way of working follows the challenge. Aspects
    that no longer carry need drop out; recognised ones are not forgotten."""
    definers = model.strategy.definition.redefiners(model, op, holds)
    if definers is None:
        op.definition &= op.need > 0
        return
    seen = recognise(model, definers, op.need) & in_view(model, op)
    op.definition = seen | (op.definition & (op.need > 0))
