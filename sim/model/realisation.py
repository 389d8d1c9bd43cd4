"""Step 7, realisation: members spend effort and turn it into work on the aspects in scope.

Effort is scarce: only a discretionary share of each actor's capacity is free for challenges, and
the actor spreads it over its memberships by what each gives it (motive utility). work = effort x
(1 - coordination overhead) x execution power x competence x type factor (an institution outside
its mandate loses energy; citizens gain strength in numbers) x the quality of the initiative's
approach. Overhead grows with size and diversity and with every coordination link
("coördinatie-inspanning", table 2). Initiatives that coordinate shift toward the approach that
works best among them ("op meerdere paarden wedden", "Netwerken vullen instituties aan"). What
the work does to the challenge (integration, the waterbed, execution instruments) is
:mod:`sim.model.interdependence`; value is the need actually removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import coordination
from sim.model.actors import ACTOR_CLASSES, CITIZEN, INSTITUTION
from sim.model.interdependence import Outcome, apply_work_all, integration_of
from sim.model.metrics import blau_index, unintegrated_share
from sim.model.motives import terms_now, utility
from sim.model.opgave import Status

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


def coordination_overhead(
    size: np.ndarray,
    diversity: np.ndarray,
    links: np.ndarray,
    c_size: float,
    c_div: float,
    c_link: float,
    cap: float,
) -> np.ndarray:
    """Share of effort lost to coordination: c_size·ln(size) + c_div·diversity + c_link·links."""
    raw = c_size * np.log(np.maximum(size, 1)) + c_div * diversity + c_link * links
    return np.minimum(raw, cap)


def draw_quality(model: OpgaveModel) -> float:
    """A new initiative's solution quality: uniform around 1 with ``quality_spread``."""
    spread = model.config.dynamics.realisation.quality_spread
    return 1.0 + spread * (model.streams.initiatives.random() - 0.5)


def realise(model: OpgaveModel, view: View) -> None:
    """Spend this step's effort; update remaining need, value, fragmentation and totals."""
    params = model.config.dynamics.realisation
    actors = model.actors
    C = model.coalitions
    M, ini = C.memberships, C.initiatives
    rows = C.active_rows()
    for op in model.active_opgaven:
        op.fragmentation = 0.0
    if rows.size == 0:
        C.record_work(0.0, 0.0)
        return
    members, inits, opg = M.actor[rows], M.initiative[rows], M.opgave[rows]
    n_init, D = ini.n, model.world.n_domains
    effort = allocate_effort(model, view, rows)  # discretionary effort, by what each gives

    size = np.bincount(inits, minlength=n_init)
    n_types = len(ACTOR_CLASSES)
    types = actors.type[members]
    type_counts = np.bincount(inits * n_types + types, minlength=n_init * n_types)
    type_counts = type_counts.reshape(n_init, n_types)
    links = C.all_links()
    link_count = np.bincount(
        np.array([j for ln in links for j in ln], dtype=np.int64), minlength=n_init
    )
    overhead = coordination_overhead(
        size,
        blau_index(type_counts),
        link_count,
        params.coordination_scale * params.coordination_size,
        params.coordination_scale * params.coordination_diversity,
        params.coordination_scale * params.coordination_link,
        params.coordination_max,
    )

    # Formal coordination: initiatives linked (directly or through others) form a component; it
    # holds execution instruments when an institution is a member of one of its initiatives.
    components = coordination.link_components(n_init, links)
    backed_component = np.zeros(components.max() + 1, dtype=bool)
    backed_component[components[type_counts[:, INSTITUTION] > 0]] = True
    backed = backed_component[components]
    init_effort = np.bincount(inits, weights=effort, minlength=n_init)
    staffed = np.unique(inits)
    coupled = couplings(model, staffed, components, init_effort, members, inits, opg, effort)

    # Effort goes to the aspects in scope that it can work (the free part only, without
    # instruments), in proportion to what remains of them (only initiatives with members: the
    # table of past ones grows with the run).
    ops = [model.opgaven[u] for u in ini.opgave[staffed]]
    remaining = np.stack([op.remaining for op in ops])
    free = np.maximum(remaining - np.stack([op.locked for op in ops]), 0.0)
    target = ini.scope[staffed] * np.where(backed[staffed][:, None], remaining, free)
    totals = target.sum(axis=1, keepdims=True)
    weights = np.zeros((n_init, D))
    weights[staffed] = np.divide(target, totals, out=np.zeros_like(target), where=totals > 0)

    # Coordinated initiatives learn from each other's approaches, as far as they are coupled.
    s = params.portfolio_learning
    quality = ini.quality.copy()
    for js, c in coupled.values():
        q = ini.quality[js]
        quality[js] = q + s * (c * np.maximum(q[None, :] - q[:, None], 0.0)).max(axis=1)

    factor = np.ones((rows.size, D))
    for cls in ACTOR_CLASSES:
        mask = types == cls.type_code
        if mask.any():
            factor[mask] = cls.work_factor(model, members[mask], type_counts[inits[mask], CITIZEN])
    competence = 0.5 + 0.5 * actors.lens_eff[members]
    productive = effort * (1.0 - overhead[inits]) * actors.power[members] * quality[inits]
    work = productive[:, None] * competence * factor * weights[inits]
    init_work = np.zeros((n_init, D))
    np.add.at(init_work, inits, work)

    # Per challenge: each initiative's work, how far it is integrated, its backing; the
    # challenge's fragmentation is the share of its effort not integrated with the rest of it.
    worked = [model.opgaven[uid] for uid in coupled]
    covers, integrated = [], []
    for op, (js, c) in zip(worked, coupled.values(), strict=True):
        covers.append(coordination.cover(c, ini.scope[js]))
        integrated.append(integration_of(op.need, covers[-1]))
        op.fragmentation = unintegrated_share(init_effort[js], integrated[-1])
        op.effort += init_effort[js].sum()
    if worked:
        every = np.concatenate([js for js, _ in coupled.values()])
        remaining = np.stack([op.remaining for op in worked])
        locked = np.stack([op.locked for op in worked])
        need = np.stack([op.need for op in worked])
        out = apply_work_all(
            remaining,
            locked,
            need,
            np.array([op.sigma for op in worked], dtype=float),
            init_work[every],
            np.concatenate(covers),
            backed[every],
            params.displacement,
            np.repeat(np.arange(len(worked)), [js.size for js, _ in coupled.values()]),
            np.concatenate(integrated),
        )
        nets = grow(worked, out, remaining, locked, need)
        took = (out.removed.sum(axis=1) > 0).tolist()
        for op, net, removed in zip(worked, nets, took, strict=True):
            model.totals["value"] += net
            if removed and op.status == Status.MOBILISED:
                op.status = Status.REALISING

    C.record_work(init_effort, overhead)
    coordination.upkeep(model, init_effort)
    model.totals["effort"] += effort.sum()
    model.totals["overhead"] += (effort * overhead[inits]).sum()


def couplings(
    model: OpgaveModel,
    staffed: np.ndarray,
    components: np.ndarray,
    init_effort: np.ndarray,
    members: np.ndarray,
    inits: np.ndarray,
    opg: np.ndarray,
    effort: np.ndarray,
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per challenge with staffed initiatives: those initiatives and their coupling (closure):
    1 when linked, else what shared members give both over the pair's effort."""
    n_init = init_effort.size
    lo, hi, both = coordination.shared_pairs(members, inits, opg, effort)
    pair_total = init_effort[lo] + init_effort[hi]
    strength = np.divide(both, pair_total, out=np.zeros(both.size), where=pair_total > 0)
    strength = np.minimum(strength, 1.0)
    by_challenge = model.coalitions.initiatives.opgave
    position = np.zeros(n_init, dtype=np.int64)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    owner = by_challenge[staffed]
    for uid in np.unique(owner):
        js = staffed[owner == uid]
        position[js] = np.arange(js.size)
        out[int(uid)] = (js, (components[js][:, None] == components[js][None, :]).astype(float))
    for j, k, c in zip(lo, hi, strength, strict=True):
        _, m = out[int(by_challenge[j])]
        a, b = position[j], position[k]
        m[a, b] = m[b, a] = max(m[a, b], c)
    return {uid: (js, coordination.closure(m)) for uid, (js, m) in out.items()}


def grow(
    worked: list[Opgave],
    out: Outcome,
    remaining: np.ndarray,
    locked: np.ndarray,
    need: np.ndarray,
) -> list[float]:
    """Apply a step's outcome to the challenges ``worked`` (``out``'s rows; ``remaining``,
    ``locked`` and ``need`` their stacked states, updated here): need removed, need displaced
    into other aspects (which binds instruments in the challenge's own proportion), value as
    the net removal, which is returned per challenge."""
    remaining -= out.removed
    locked -= out.unlocked
    remaining += out.displaced
    need += out.displaced
    locked += np.array([op.instrument_share for op in worked])[:, None] * out.displaced
    np.maximum(remaining, 0.0, out=remaining)
    np.clip(locked, 0.0, remaining, out=locked)
    displaced, net = out.displaced.sum(axis=1).tolist(), out.net.tolist()
    for k, op in enumerate(worked):
        op.remaining[...] = remaining[k]
        op.locked[...] = locked[k]
        op.need[...] = need[k]
        op.displaced += displaced[k]
        op.value += net[k]
    return net


def allocate_effort(model: OpgaveModel, view: View, rows: np.ndarray) -> np.ndarray:
    """Each actor's discretionary effort (capacity x discretionary share) over its memberships
    ``rows``, in proportion to the motive utility each gives it now; a membership that gives
    nothing (utility <= 0) gets nothing, and an actor none of whose memberships gives anything
    spends nothing. Effort already committed this step (recruiting) is not spent twice."""
    M, actors = model.coalitions.memberships, model.actors
    who = M.actor[rows]
    gain = np.maximum(utility(model, who, terms_now(model, rows, view)), 0.0)
    per_actor = np.bincount(who, weights=gain, minlength=actors.n)
    share = np.divide(gain, per_actor[who], out=np.zeros(rows.size), where=per_actor[who] > 0)
    free = np.maximum(actors.capacity * actors.discretionary - actors.committed, 0.0)
    return free[who] * share
