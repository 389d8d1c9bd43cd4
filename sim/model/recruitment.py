"""Recruitment (step 6, "Verbinden van partijen met de opgave"; table 2: who sits at the table).

Initiatives ask candidates to join; each candidate decides for itself by its motive utility
(:mod:`sim.model.motives`). Who is asked is the ``table`` knob (a :class:`Table`): partners by
mutual interest, or invited for their added value to aspects not yet covered (boundary spanners
extend the reach of invitations through their ties). Whether citizens may sit at all is the
``citizens`` knob (:class:`Citizens`); those who may can also ask to join by themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.model import incentives, regie
from sim.model.actors import CITIZEN, SPANNER
from sim.model.motives import join, make_room, motive_terms, utility

if TYPE_CHECKING:
    from sim.config.schema import KnobCitizens, KnobTable
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


# -- who may sit: the ``citizens`` knob -----------------------------------------------------------
class Citizens:
    """Whether citizens sit at the tables (and can mobilise themselves)."""

    name: ClassVar[KnobCitizens]
    at_the_table: ClassVar[bool]

    def may_sit(self, model: OpgaveModel) -> np.ndarray:
        """(N,) bool: actors allowed at a table."""
        if self.at_the_table:
            return np.ones(model.actors.n, dtype=bool)
        return model.actors.type != CITIZEN


class CitizensExcluded(Citizens):
    name = "excluded"
    at_the_table = False


class CitizensAsMembers(Citizens):
    name = "members"
    at_the_table = True


CITIZENS: dict[str, Citizens] = {c.name: c for c in (CitizensExcluded(), CitizensAsMembers())}


# -- who is asked: the ``table`` knob --------------------------------------------------------------
class Table:
    """Where an initiative looks for candidates and how it ranks them."""

    name: ClassVar[KnobTable]
    ranks_by_motives: ClassVar[bool] = False  # whether ``score`` reads the candidates' terms

    def pool(
        self, model: OpgaveModel, view: View, op: Opgave, j: int, current: np.ndarray
    ) -> list[np.ndarray]:
        """Candidate rows (possibly repeated, members included) for initiative ``j`` (whose
        members are ``current``)."""
        raise NotImplementedError

    def score(
        self,
        model: OpgaveModel,
        pool: np.ndarray,
        terms: np.ndarray | None,
        current: np.ndarray,
        op: Opgave,
    ) -> np.ndarray:
        """(n,) how much the initiative wants each candidate (only those > 0 are asked);
        ``terms``: the candidates' motive terms for a table that ``ranks_by_motives``."""
        raise NotImplementedError

    def accepts(
        self,
        model: OpgaveModel,
        rows: np.ndarray,
        terms: np.ndarray,
        gain: np.ndarray | None = None,
    ) -> np.ndarray:
        """(n,) bool: whether actor ``rows[i]`` with motive ``terms[i]`` joins when asked: its
        whole motive utility (``gain``, when the caller has it) covers its cost."""
        return (utility(model, rows, terms) if gain is None else gain) >= 0

    def forms(self, model: OpgaveModel, lead: int, terms: np.ndarray) -> bool:
        """Whether a piece its ``lead`` (motive ``terms``) would start forms at this table."""
        return True


def contacts(model: OpgaveModel, actor: int) -> np.ndarray:
    """The actor's ties in the social network."""
    ties = model.ties
    return ties.indices[ties.indptr[actor] : ties.indptr[actor + 1]]


class InterestTable(Table):
    """Partners by mutual interest: the lead's own contacts and parties at home in the piece,
    ranked by what they stand to gain."""

    name = "interest"
    ranks_by_motives = True

    def pool(self, model, view, op, j, current):
        lead = int(model.coalitions.initiatives.lead[j])
        hubs = [lead] if lead >= 0 else current.tolist()
        scope = model.coalitions.initiatives.scope[j]
        return [
            *(contacts(model, h) for h in hubs),
            np.flatnonzero(model.actors.home[:, scope].any(axis=1)),
        ]

    def score(self, model, pool, terms, current, op):
        return terms[:, 1]

    def accepts(self, model, rows, terms, gain=None):
        # Only what pays off for the party itself: its own stake (its return and the pressure on
        # it: its own goals, mandate and reputation), not its connection to the collective
        # challenge, covers its cost. The same stake decides bilateral links (coordination.py).
        stake = (model.actors.motives[rows, 1:] * terms[:, 1:]).sum(axis=1)
        return stake - model.actors.cost[rows] >= 0

    def forms(self, model, lead, terms):
        return bool(self.accepts(model, np.array([lead]), terms[None, :])[0])


class AddedValueTable(Table):
    """By added value: whoever carries the challenge, plus the reach of spanners at the table,
    ranked by what they add to what the table does not yet see."""

    name = "added_value"

    def pool(self, model, view, op, j, current):
        spanners = current[model.actors.type[current] == SPANNER]
        return [np.flatnonzero(view.attention[:, view.column(op)])] + [
            contacts(model, s) for s in spanners
        ]

    def score(self, model, pool, terms, current, op):
        return added_value(model, pool, current, op)


TABLES: dict[str, Table] = {t.name: t for t in (InterestTable(), AddedValueTable())}


def added_value(
    model: OpgaveModel, pool: np.ndarray, current: np.ndarray, op: Opgave
) -> np.ndarray:
    """What each candidate brings: remaining need that the table does not yet see, weighted by
    how well the candidate sees it (so it can bring that aspect to the table), times its
    execution power (plus a little for sight alone: perception counts even without power)."""
    lens = model.actors.lens_eff
    covered = lens[current].max(axis=0) if current.size else np.zeros(model.world.n_domains)
    gap = op.remaining * (1.0 - covered)
    total = op.remaining.sum()
    if total <= 0:
        return np.zeros(pool.size)
    return (lens[pool] * gap[None, :]).sum(axis=1) / total * (0.2 + model.actors.power[pool])


# -- the stage -------------------------------------------------------------------------------------
def recruit(model: OpgaveModel, view: View, op: Opgave, j: int) -> None:
    """Ask up to ``invites_per_step`` candidates to join initiative ``j``; each decides itself."""
    params = model.config.dynamics.mobilisation
    if params.invites_per_step == 0:
        return
    table = model.strategy.table
    current = model.coalitions.members(j)
    # candidates: each once, in row order; those allowed to sit, not members (those at their
    # membership cap included: they may give up a weaker membership, see make_room)
    candidate = np.zeros(model.actors.n, dtype=bool)
    for part in table.pool(model, view, op, j, current):
        candidate[part] = True
    candidate[current] = False
    candidate &= model.strategy.citizens.may_sit(model)
    pool = np.flatnonzero(candidate)
    if pool.size == 0:
        return
    if pool.size > params.pool_size:
        pool = model.streams.recruitment.choice(pool, size=params.pool_size, replace=False)
    # each candidate's terms are its own (row by row), so only those asked need them unless
    # the table ranks by them
    ranked = motive_terms(model, pool, op, view) if table.ranks_by_motives else None
    score = table.score(model, pool, ranked, current, op)
    order = np.argsort(-score, kind="stable")[: params.invites_per_step]
    asked = order[score[order] > 0]
    if asked.size == 0:
        return
    terms = ranked[asked] if ranked is not None else motive_terms(model, pool[asked], op, view)
    gain = utility(model, pool[asked], terms)
    willing = table.accepts(model, pool[asked], terms, gain)
    who = recruiter(model, op, j, current)
    price = model.config.dynamics.incentives.recruit_cost * model.actors.motives[pool[asked], 1]
    for n, (yes, u) in enumerate(zip(willing, gain.tolist(), strict=True)):
        actor = int(pool[asked[n]])
        if who >= 0 and not incentives.charge(model, who, op, float(price[n])):
            return  # the recruiter has no effort left this step to persuade anyone else
        if yes and make_room(model, view, actor, u):
            join(model, actor, j, terms[n], float(price[n]) if who >= 0 else 0.0)


def recruiter(model: OpgaveModel, op: Opgave, j: int, current: np.ndarray) -> int:
    """Who spends the effort of asking for initiative ``j``: its lead, else a regie-holder of the
    challenge, else its first member; -1 when nobody is there (the ask then happens by chance
    and costs nobody)."""
    lead = int(model.coalitions.initiatives.lead[j])
    if lead >= 0:
        return lead
    if op.regie:
        return int(op.regie[0])
    return int(current[0]) if current.size else -1


def self_mobilise(model: OpgaveModel, view: View, op: Opgave) -> None:
    """Citizens who carry a challenge may join an open table on their own ("Vindplaatsen van
    de toekomst": citizens mobilising themselves), when their utility says so. They join the
    initiative whose scope holds their home domain, else the oldest."""
    chance = model.config.actors.citizen.self_mobilisation
    inits = model.coalitions.initiatives_of(op.uid)
    if chance <= 0 or not inits or not model.strategy.citizens.at_the_table:
        return
    k = view.column(op)
    actors = model.actors
    rows = np.flatnonzero((actors.type == CITIZEN) & view.attention[:, k])
    rows = rows[model.streams.recruitment.random(rows.size) < chance]
    if rows.size == 0:
        return
    terms = motive_terms(model, rows, op, view)
    gain = utility(model, rows, terms)
    willing = gain >= 0
    rows = rows[willing]
    fits = model.coalitions.initiatives.scope[inits][:, actors.primary[rows]]  # (inits, rows)
    targets = np.asarray(inits)[fits.argmax(axis=0)]  # the first that fits, else the oldest
    targets[~fits.any(axis=0)] = inits[0]
    for actor, target, t, u in zip(
        rows.tolist(), targets.tolist(), terms[willing], gain[willing].tolist(), strict=True
    ):
        if model.coalitions.is_member(actor, target):
            continue
        if make_room(model, view, actor, u):
            join(model, actor, target, t)


def mobilise(model: OpgaveModel, view: View, op: Opgave, holds: bool) -> None:
    """Every step: each initiative recruits when the way of working says it may (or by chance);
    then citizens may join by themselves."""
    decomposition = model.strategy.decomposition
    for j in model.coalitions.initiatives_of(op.uid):
        if decomposition.recruits(model, int(j), holds) or regie.by_chance(model):
            recruit(model, view, op, int(j))
    self_mobilise(model, view, op)
