"""How the work on a challenge is cut ("De opgave leidend maken"; table 2: "de opgave wordt
opgeknipt in behapbare stukken" against keeping it whole).

The ``decomposition`` knob is a :class:`Decomposition` object with three moments: ``cut`` when a
challenge is taken up (pieces and first members), ``tend`` every step after (pieces claimed,
initiatives convened by the regie and widened as the challenge drifts), and ``recruits`` (who may
recruit for an initiative). Institutional pieces fit one mandate each; integral work keeps the
challenge whole in parallel approaches; coordinated pieces are executed by institutions and held
together through the network. Under every cut nothing is linked at birth: links are made and paid
for by the regie-holder or by two leads when worth it to them (:mod:`sim.model.coordination`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.model import agenda, coordination, regie, sensemaking
from sim.model.actors import INSTITUTION
from sim.model.motives import motive_terms, seat
from sim.model.opgave import Status
from sim.model.realisation import draw_quality

if TYPE_CHECKING:
    from sim.config.schema import KnobDecomposition
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


# -- initiatives and pieces ------------------------------------------------------------------------
def new_initiative(model: OpgaveModel, op: Opgave, scope: np.ndarray, lead: int = -1) -> int:
    """Start an initiative with its own draw of solution quality (mean 1)."""
    return model.coalitions.new_initiative(op.uid, scope, lead, draw_quality(model), model.steps)


def one_domain(model: OpgaveModel, domain: int) -> np.ndarray:
    scope = np.zeros(model.world.n_domains, dtype=bool)
    scope[domain] = True
    return scope


def mandate_holder(model: OpgaveModel, view: View, op: Opgave, domain: int) -> int:
    """The institution holding ``domain`` that sees the challenge most and has a slot free.

    -1 if there is none.
    """
    k = view.column(op)
    actors = model.actors
    room = model.coalitions.count < actors.max_memberships
    rows = np.flatnonzero((actors.type == INSTITUTION) & actors.home[:, domain] & room)
    if rows.size == 0:
        return -1
    score = view.x[rows, k] * view.proximity(rows, k)
    return int(rows[np.argmax(score)])


def start_piece(model: OpgaveModel, view: View, op: Opgave, domain: int) -> int:
    """A mandate-sized piece: one domain, led by an institution holding it. -1 if none can, or
    if the table says it does not form (at an interest table: it does not pay off for its lead)."""
    lead = mandate_holder(model, view, op, domain)
    if lead < 0:
        return -1
    if not model.strategy.table.forms(
        model, lead, motive_terms(model, np.array([lead]), op, view)[0]
    ):
        return -1
    j = new_initiative(model, op, one_domain(model, domain), lead)
    seat(model, view, op, lead, j)
    return j


def seat_definers(model: OpgaveModel, view: View, op: Opgave, definers, pieces: list[int]) -> None:
    """Those who defined the challenge take their seats, spread over the pieces in turn."""
    for i, actor in enumerate(definers):
        seat(model, view, op, int(actor), pieces[i % len(pieces)])


def covered(model: OpgaveModel, op: Opgave) -> np.ndarray:
    """(D,) bool: aspects in the scope of some initiative on ``op``."""
    inits = model.coalitions.initiatives_of(op.uid)
    if not inits:
        return np.zeros(model.world.n_domains, dtype=bool)
    return model.coalitions.initiatives.scope[inits].any(axis=0)


# -- the knob --------------------------------------------------------------------------------------
class Decomposition:
    """How a challenge's work is cut into initiatives, and how they are tended."""

    name: ClassVar[KnobDecomposition]

    def cut(self, model: OpgaveModel, view: View, op: Opgave, definers: np.ndarray) -> list[int]:
        """Start the initiatives of a challenge just taken up; return them."""
        raise NotImplementedError

    def widen(self, model: OpgaveModel, view: View, op: Opgave, added: np.ndarray) -> None:
        """Take in ``added``: aspects now recognised that no initiative's scope holds."""
        raise NotImplementedError

    def keep_together(self, model: OpgaveModel, view: View, op: Opgave, holds: bool) -> None:
        """Every step: the regie convenes the initiatives, or their links lapse without one."""
        if holds:
            regie.convene(model, view, op)
        else:
            regie.lapse(model, op)

    def recruits(self, model: OpgaveModel, j: int, holds: bool) -> bool:
        """Whether initiative ``j`` recruits this step (besides by chance): a regie task."""
        return holds


class ByMandate(Decomposition):
    """Institutional: a piece per mandated aspect, each led by an institution holding it (the
    "verdeelmachine"); coordinated only where the owner or two leads find a link worth it."""

    name = "by_mandate"

    def cut(self, model, view, op, definers):
        pieces = [
            start_piece(model, view, op, d)
            for d in np.flatnonzero(op.definition & model.world.mandated)
        ]
        return [p for p in pieces if p >= 0]

    def widen(self, model, view, op, added):
        for d in np.flatnonzero(added & model.world.mandated):
            start_piece(model, view, op, int(d))

    def keep_together(self, model, view, op, holds):
        # The regie-holder (the owner) convenes as under any cut, when a link is worth it to
        # it; and an institution that sees enough of the challenge in its mandate starts its
        # own piece when none covers its domain yet (one per step).
        super().keep_together(model, view, op, holds)
        k = view.column(op)
        institutions, fits = agenda.mandate_fits(model, view)
        eligible = institutions[fits[:, k] & view.attention[institutions, k]]
        if eligible.size == 0:
            return
        have = covered(model, op) | ~sensemaking.in_view(model, op)
        domains = model.actors.primary[eligible]
        for d in domains[~have[domains] & (op.need[domains] > 0)].tolist():  # in actor order
            if start_piece(model, view, op, d) >= 0:
                op.definition[d] = True
                return

    def recruits(self, model, j, holds):
        # A piece is its lead institution's own business: it recruits while its lead is there.
        lead = int(model.coalitions.initiatives.lead[j])
        return lead >= 0 and model.coalitions.is_member(lead, j)


class Integral(Decomposition):
    """Opgave-centred: the challenge kept whole, worked in parallel approaches that coordinate."""

    name = "integral"

    def cut(self, model, view, op, definers):
        n = model.config.dynamics.mobilisation.parallel_approaches
        pieces = [new_initiative(model, op, op.definition.copy()) for _ in range(n)]
        seat_definers(model, view, op, definers, pieces)
        return pieces

    def widen(self, model, view, op, added):
        inits = model.coalitions.initiatives_of(op.uid)
        for j in inits:
            model.coalitions.widen_scope(j, added)
        if not inits:
            new_initiative(model, op, op.definition.copy())


class CoordinatedPieces(Decomposition):
    """Hybrid: institutions execute their pieces, the network holds them together; aspects no
    institution holds get a piece of their own."""

    name = "coordinated_pieces"

    def piece(self, model: OpgaveModel, view: View, op: Opgave, d: int) -> int:
        j = start_piece(model, view, op, d) if model.world.mandated[d] else -1
        return j if j >= 0 else new_initiative(model, op, one_domain(model, d))

    def cut(self, model, view, op, definers):
        pieces = [self.piece(model, view, op, int(d)) for d in np.flatnonzero(op.definition)]
        seat_definers(model, view, op, definers, pieces)
        return pieces

    def widen(self, model, view, op, added):
        for d in np.flatnonzero(added):
            self.piece(model, view, op, int(d))


DECOMPOSITIONS: dict[str, Decomposition] = {
    d.name: d for d in (ByMandate(), Integral(), CoordinatedPieces())
}


# -- the stage -------------------------------------------------------------------------------------
def cut(model: OpgaveModel, view: View, op: Opgave, definers: np.ndarray) -> None:
    """A challenge taken up: cut it (or not) and seat the first members; each initiative without
    a lead gets its first member as lead."""
    pieces = model.strategy.decomposition.cut(model, view, op, definers)
    op.status = Status.MOBILISED
    for j in pieces:
        if model.coalitions.initiatives.lead[j] < 0:
            members = model.coalitions.members(j)
            if members.size:
                model.coalitions.set_lead(j, int(members[0]))


def tend(model: OpgaveModel, view: View, op: Opgave, holds: bool) -> None:
    """Every step: keep the pieces together (or claim new ones), let the leads agree on links
    that pay off for both, and where someone holds the regie, widen the work to the aspects the
    definition recognises but no initiative holds (whether drifted-in aspects are recognised at
    all is ``follows_drift``, in sensemaking)."""
    decomposition = model.strategy.decomposition
    decomposition.keep_together(model, view, op, holds)
    coordination.agree(model, view, op)
    if holds:
        added = op.definition & ~covered(model, op)
        if added.any():
            decomposition.widen(model, view, op, added)
