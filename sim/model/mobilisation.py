"""Step 6, mobilisation ("Verbinden van partijen met de opgave", "De opgave leidend maken").

An actor joins an initiative when its motive utility beats its cost and it has room:
U = β_intrinsic·fit + β_interest·own return + β_external·pressure − cost. Connection to the
challenge comes on top of own interest; it does not replace it. Who is asked depends on the
``table`` knob: partners by mutual interest, or invited for their added value to aspects not yet
covered (boundary spanners extend the reach of invitations through their ties).

How the work is cut (``decomposition``) is decided here too, when a challenge reaches the agenda;
the regie (:mod:`sim.model.regie`) tends it every step after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import ACTOR_CLASSES, CITIZEN, INSTITUTION, SPANNER, Context
from sim.model.opgave import Status
from sim.model.regie import convene, lapse, regie_holds, update_regie
from sim.model.sensemaking import recognised

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


# -- motives --------------------------------------------------------------------------------
def motive_terms(model: OpgaveModel, rows: np.ndarray, op: Opgave, view: View) -> np.ndarray:
    """(n, 3) unweighted motive terms [intrinsic, interest, external] of ``rows`` for ``op``.

    Intrinsic fit: the share of the challenge in the actor's home domains, near home, widened
    by its sensitivity (identification with the challenge as a whole).
    """
    rows = np.asarray(rows, dtype=np.int64)
    k = view.column(op)
    hs = view.home_share[rows, k]
    prox = view.proximity[rows, k]
    s = model.sensitivity[rows]
    terms = np.zeros((rows.size, 3))
    terms[:, 0] = prox * (hs + s * (1.0 - hs))
    types = model.actor_type[rows]
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
    return (model.motives[rows] * terms).sum(axis=1) - model.cost[rows]


# -- joining ----------------------------------------------------------------------------------
def has_room(model: OpgaveModel) -> np.ndarray:
    """(N,) bool: actors with a membership slot free."""
    return model.coalitions.count < model.max_memberships


def may_sit(model: OpgaveModel) -> np.ndarray:
    """(N,) bool: actors the ``citizens`` knob allows at a table."""
    if model.knobs.citizens == "excluded":
        return model.actor_type != CITIZEN
    return np.ones(model.n_actors, dtype=bool)


def join(model: OpgaveModel, actor: int, initiative: int, terms: np.ndarray) -> None:
    """Record a membership; its motive is the strongest weighted term at joining."""
    weighted = model.motives[actor] * terms
    motive = int(np.argmax(weighted))
    model.coalitions.join(
        actor, initiative, motive, max(float(weighted[motive]), 1e-9), model.steps
    )


def new_initiative(model: OpgaveModel, op: Opgave, scope: np.ndarray, lead: int = -1) -> int:
    """Start an initiative with its own draw of solution quality (mean 1)."""
    spread = model.config.dynamics.realisation.quality_spread
    quality = 1.0 + spread * (model.rng.random() - 0.5)
    return model.coalitions.new_initiative(op.uid, scope, lead, quality, model.steps)


def seat(model: OpgaveModel, view: View, op: Opgave, actor: int, initiative: int) -> bool:
    """Seat an actor who starts or must join (a lead, a supporter) if it has a slot free."""
    if model.coalitions.count[actor] >= model.max_memberships[actor]:
        return False
    join(model, actor, initiative, motive_terms(model, np.array([actor]), op, view)[0])
    return True


def mandate_holder(model: OpgaveModel, view: View, op: Opgave, domain: int) -> int:
    """The institution holding ``domain`` that sees the challenge most and has a slot free.

    -1 if there is none.
    """
    k = view.column(op)
    rows = np.flatnonzero(
        (model.actor_type == INSTITUTION) & model.home[:, domain] & has_room(model)
    )
    if rows.size == 0:
        return -1
    score = view.x[rows, k] * view.proximity[rows, k]
    return int(rows[np.argmax(score)])


def start_piece(model: OpgaveModel, view: View, op: Opgave, domain: int) -> int:
    """A mandate-sized piece: one domain, led by an institution holding it. -1 if none can."""
    lead = mandate_holder(model, view, op, domain)
    if lead < 0:
        return -1
    scope = np.zeros(model.world.n_domains, dtype=bool)
    scope[domain] = True
    j = new_initiative(model, op, scope, lead)
    seat(model, view, op, lead, j)
    return j


# -- from the agenda to initiatives ------------------------------------------------------------
def start(model: OpgaveModel, view: View, op: Opgave) -> None:
    """A challenge on the agenda: define it, cut it (or not), seat the first members."""
    knobs = model.knobs
    threshold = model.config.dynamics.sensemaking.recognition
    sitting = may_sit(model)
    if knobs.definition == "owner" and op.owner >= 0:
        definers = np.array([op.owner])
    else:
        definers = np.array([s for s in op.supporters if sitting[s]], dtype=np.int64)
    op.definition = recognised(model.lens_eff[definers], op.need, threshold)
    if not op.definition.any():
        return  # nothing recognised: nothing to work on; it may become orphaned

    if knobs.decomposition == "by_mandate":
        pieces = [
            start_piece(model, view, op, d)
            for d in np.flatnonzero(op.definition & model.world.mandated)
        ]
        pieces = [p for p in pieces if p >= 0]
    elif knobs.decomposition == "integral":
        n = model.config.dynamics.mobilisation.parallel_approaches
        pieces = [new_initiative(model, op, op.definition.copy()) for _ in range(n)]
        for i, actor in enumerate(definers):
            seat(model, view, op, int(actor), pieces[i % n])
        for j in pieces[1:]:
            model.coalitions.link(op.uid, pieces[0], j)
    else:  # coordinated_pieces: institutions execute their pieces, the network holds them together
        pieces = []
        for d in np.flatnonzero(op.definition):
            j = start_piece(model, view, op, d) if model.world.mandated[d] else -1
            if j < 0:
                scope = np.zeros(model.world.n_domains, dtype=bool)
                scope[d] = True
                j = new_initiative(model, op, scope)
            pieces.append(j)
        for i, actor in enumerate(definers):
            seat(model, view, op, int(actor), pieces[i % len(pieces)])
        for j in pieces[1:]:
            model.coalitions.link(op.uid, pieces[0], j)

    if knobs.regie == "owner" and op.owner >= 0:
        op.regie = (op.owner,)
    op.status = Status.MOBILISED
    for j in pieces:
        if model.coalitions.initiatives.lead[j] < 0:
            m = model.coalitions.members(j)
            if m.size:
                model.coalitions.initiatives.lead[j] = int(m[0])
    update_regie(model, op)


# -- every step: tending the initiatives ---------------------------------------------------------
def redefine(model: OpgaveModel, op: Opgave, holds: bool) -> None:
    """Sensemaking goes on: a collective definition takes in what everyone now at the table sees;
    an owner re-defines (with its own lens) only when it follows the challenge and holds the regie.
    Aspects that no longer carry need drop out; recognised ones are not forgotten."""
    threshold = model.config.dynamics.sensemaking.recognition
    if model.knobs.definition == "collective":
        definers = np.union1d(
            model.coalitions.opgave_members(op.uid), np.array(op.regie, dtype=np.int64)
        )
    elif model.knobs.follows_drift and holds and op.owner >= 0:
        definers = np.array([op.owner])
    else:
        op.definition &= op.need > 0
        return
    op.definition = recognised(model.lens_eff[definers], op.need, threshold) | (
        op.definition & (op.need > 0)
    )


def widen(model: OpgaveModel, view: View, op: Opgave) -> None:
    """The work follows the definition: aspects recognised but in no initiative's scope are
    taken in (integral), or given a piece of their own (coordinated when the knob says so)."""
    C = model.coalitions
    inits = C.initiatives_of(op.uid)
    in_scope = (
        C.initiatives.scope[inits].any(axis=0)
        if inits
        else np.zeros(model.world.n_domains, dtype=bool)
    )
    added = op.definition & ~in_scope
    if not added.any():
        return
    if model.knobs.decomposition == "integral":
        for j in inits:
            C.initiatives.scope[j] |= added
        if not inits:
            new_initiative(model, op, op.definition.copy())
        return
    hub = inits[0] if inits else -1
    coordinated = model.knobs.decomposition == "coordinated_pieces"
    for d in np.flatnonzero(added):
        j = start_piece(model, view, op, d) if model.world.mandated[d] else -1
        if j < 0 and coordinated:
            scope = np.zeros(model.world.n_domains, dtype=bool)
            scope[d] = True
            j = new_initiative(model, op, scope)
        if j >= 0 and hub >= 0 and coordinated:
            C.link(op.uid, hub, j)


def claim_pieces(model: OpgaveModel, view: View, op: Opgave) -> None:
    """By mandate: an institution that sees enough of the challenge in its mandate starts its own
    piece when none exists yet (the institutional "verdeelmachine"; uncoordinated by design)."""
    k = view.column(op)
    inits = model.coalitions.initiatives_of(op.uid)
    covered = (
        model.coalitions.initiatives.scope[inits].any(axis=0)
        if inits
        else np.zeros(model.world.n_domains, dtype=bool)
    )
    eligible = (
        (model.actor_type == INSTITUTION)
        & view.attention[:, k]
        & (view.home_share[:, k] * view.proximity[:, k] >= model.config.dynamics.agenda.mandate_fit)
    )
    for actor in np.flatnonzero(eligible):
        d = int(model.primary[actor])
        if covered[d] or op.need[d] <= 0:
            continue
        op.definition[d] = True
        start_piece(model, view, op, d)
        return


def recruit(model: OpgaveModel, view: View, op: Opgave, j: int) -> None:
    """Ask up to ``invites_per_step`` candidates to join initiative ``j``; each decides itself."""
    dyn = model.config.dynamics
    if dyn.mobilisation.invites_per_step == 0:
        return
    k = view.column(op)
    current = model.coalitions.members(j)
    scope = model.coalitions.initiatives.scope[j]
    ties = model.ties
    lead = int(model.coalitions.initiatives.lead[j])
    if model.knobs.table == "interest":
        # Partners by mutual interest: the lead's own contacts and parties at home in the piece.
        hubs = [lead] if lead >= 0 else list(current)
        pool = [ties.indices[ties.indptr[h] : ties.indptr[h + 1]] for h in hubs]
        pool.append(np.flatnonzero(model.home[:, scope].any(axis=1)))
    else:
        # By added value: whoever carries the challenge, plus the reach of spanners at the table.
        pool = [np.flatnonzero(view.attention[:, k])]
        for s in current[model.actor_type[current] == SPANNER]:
            pool.append(ties.indices[ties.indptr[s] : ties.indptr[s + 1]])
    pool = np.unique(np.concatenate(pool)) if pool else np.zeros(0, np.int64)
    count, cap = model.coalitions.count, model.max_memberships
    pool = pool[(count[pool] < cap[pool]) & may_sit(model)[pool] & ~np.isin(pool, current)]
    if pool.size == 0:
        return
    if pool.size > dyn.mobilisation.pool_size:
        pool = model.rng.choice(pool, size=dyn.mobilisation.pool_size, replace=False)
    terms = motive_terms(model, pool, op, view)
    if model.knobs.table == "interest":
        score = terms[:, 1]
    else:
        score = added_value(model, pool, current, op)
    order = np.argsort(-score, kind="stable")[: dyn.mobilisation.invites_per_step]
    asked = order[score[order] > 0]
    for i in asked:
        actor = int(pool[i])
        if (
            count[actor] < cap[actor]
            and utility(model, np.array([actor]), terms[i : i + 1])[0] >= 0
        ):
            join(model, actor, j, terms[i])


def added_value(
    model: OpgaveModel, pool: np.ndarray, current: np.ndarray, op: Opgave
) -> np.ndarray:
    """What each candidate brings: remaining need that the table does not yet see, weighted by
    how well the candidate sees it (so it can bring that aspect to the table), times its
    execution power (plus a little for sight alone: perception counts even without power)."""
    lens = model.lens_eff
    covered = lens[current].max(axis=0) if current.size else np.zeros(model.world.n_domains)
    gap = op.remaining * (1.0 - covered)
    total = op.remaining.sum()
    if total <= 0:
        return np.zeros(pool.size)
    return (lens[pool] * gap[None, :]).sum(axis=1) / total * (0.2 + model.power[pool])


def self_mobilise(model: OpgaveModel, view: View, op: Opgave) -> None:
    """Citizens who carry a challenge may join an open table on their own ("Vindplaatsen van
    de toekomst": citizens mobilising themselves), when their utility says so. They join the
    initiative whose scope holds their home domain, else the oldest."""
    chance = model.config.actors.citizen.self_mobilisation
    inits = model.coalitions.initiatives_of(op.uid)
    if chance <= 0 or not inits or model.knobs.citizens == "excluded":
        return
    k = view.column(op)
    count, cap = model.coalitions.count, model.max_memberships
    rows = np.flatnonzero((model.actor_type == CITIZEN) & view.attention[:, k] & (count < cap))
    rows = rows[model.rng.random(rows.size) < chance]
    if rows.size == 0:
        return
    terms = motive_terms(model, rows, op, view)
    willing = utility(model, rows, terms) >= 0
    scopes = model.coalitions.initiatives.scope[inits]
    for actor, t in zip(rows[willing], terms[willing], strict=True):
        fits = np.flatnonzero(scopes[:, model.primary[actor]])
        join(model, int(actor), inits[int(fits[0])] if fits.size else inits[0], t)


def mobilise(model: OpgaveModel, view: View, newly_on_agenda: list) -> None:
    """Start initiatives for challenges that just reached the agenda; tend all the others."""
    for op in newly_on_agenda:
        start(model, view, op)
    chance = model.config.dynamics.regie.chance
    for op in view.opgaven:
        if op.status not in (Status.MOBILISED, Status.REALISING):
            continue
        update_regie(model, op)
        holds = regie_holds(model, op)
        redefine(model, op, holds)
        if model.knobs.decomposition == "by_mandate":
            claim_pieces(model, view, op)
        elif holds:
            convene(model, op)
        else:
            lapse(model, op)
        if model.knobs.follows_drift and holds:
            widen(model, view, op)
        # A piece cut by mandate is its lead institution's own business; otherwise recruiting
        # is a regie task, done by whoever holds the regie, or only by chance.
        by_mandate = model.knobs.decomposition == "by_mandate"
        for j in model.coalitions.initiatives_of(op.uid):
            lead = int(model.coalitions.initiatives.lead[j])
            lead_present = lead >= 0 and model.coalitions.is_member(lead, j)
            if (lead_present if by_mandate else holds) or model.rng.random() < chance:
                recruit(model, view, op, int(j))
        self_mobilise(model, view, op)
