"""Step 8, leaving and learning.

Commitment fades at a rate set by why an actor joined ("Verbinden van partijen met de opgave"):
intrinsic motives last; interest lasts while the return does; external pressure lasts only while
the pressure does, reputation only while the public looks. Members whose pictures of the
challenge lie far apart may split into uncoordinated factions (disagreement about the definition,
one of the essay's sources of versnippering); a regie-holder at the table damps this.
Opgavegevoeligheid grows with time spent in diverse networks ("Opgavegevoeligheid ontwikkelen").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import regie
from sim.model.actors import MOTIVES
from sim.model.coalitions import Ending
from sim.model.decomposition import new_initiative
from sim.model.metrics import blau_index
from sim.model.motives import terms_now
from sim.model.sensemaking import disagreement, perceived_profiles, recognise

if TYPE_CHECKING:
    from sim.config.schema import Motives
    from sim.model.model import OpgaveModel
    from sim.model.perception import View


def dropout_hazard(
    motive: np.ndarray, current: np.ndarray, at_join: np.ndarray, base: Motives, fade: Motives
) -> np.ndarray:
    """Per-step chance of leaving: base[m] + fade[m] · (share of the motive's strength lost).

    ``current`` and ``at_join`` are the weighted motive term now and when the actor joined.
    """
    motive = np.asarray(motive, dtype=np.int64)
    b = np.array([getattr(base, m) for m in MOTIVES])[motive]
    f = np.array([getattr(fade, m) for m in MOTIVES])[motive]
    lost = np.clip(1.0 - np.asarray(current) / np.maximum(at_join, 1e-12), 0.0, 1.0)
    return np.clip(b + f * lost, 0.0, 1.0)


def complete_finished(model: OpgaveModel) -> None:
    """Initiatives with nothing left to do in their scope end; their members are free again."""
    C = model.coalitions
    ini = C.initiatives
    active = np.flatnonzero(ini.active)
    if active.size == 0:
        return
    remaining = np.stack([model.opgaven[u].remaining for u in ini.opgave[active].tolist()])
    left = (remaining * ini.scope[active]).sum(axis=1)  # each row as summed alone
    for j in active[left <= 1e-9].tolist():
        C.close_initiative(j, model.steps, Ending.INITIATIVE_FINISHED)


def drop_out(model: OpgaveModel, view: View) -> None:
    """Each membership ends with the hazard of the motive that holds it, driven by that motive's
    current value against its value at joining (the business case now, the pressure now)."""
    C = model.coalitions
    M = C.memberships
    rows = C.active_rows()
    if rows.size == 0:
        return
    params = model.config.dynamics.leaving
    motives = model.actors.motives
    weighted = motives[M.actor[rows]] * terms_now(model, rows, view)
    current = weighted[np.arange(rows.size), M.motive[rows]]
    M.kept[rows] = current / np.maximum(M.strength[rows], 1e-12)
    hazard = dropout_hazard(
        M.motive[rows], current, M.strength[rows], params.hazard_base, params.hazard_fade
    )
    leavers = rows[model.streams.leaving.random(rows.size) < hazard]
    C.leave(leavers, model.steps, Ending.MOTIVE_FADED)


def split_factions(model: OpgaveModel) -> None:
    """Disagreement about the definition splits an initiative into an uncoordinated faction."""
    params = model.config.dynamics.leaving
    lens = model.actors.lens_eff
    C = model.coalitions
    ini = C.initiatives
    for j in np.flatnonzero(ini.active):
        members = C.members(int(j))
        if members.size < 3:
            continue
        op = model.opgaven[int(ini.opgave[j])]
        profiles = perceived_profiles(lens[members], op.need)
        excess = disagreement(profiles) - params.split_threshold
        if excess <= 0:
            continue
        hazard = params.split_rate * excess * regie.split_damping(model, op, members)
        if model.streams.leaving.random() >= hazard:
            continue
        focus = np.argmax(profiles, axis=1)
        majority = np.bincount(focus).argmax()
        leavers = members[focus != majority]
        if leavers.size == 0 or leavers.size == members.size:
            continue
        scope = ini.scope[j] & recognise(model, leavers, op.need)
        if not scope.any():
            scope = ini.scope[j].copy()
        faction = new_initiative(model, op, scope, lead=int(leavers[0]))
        C.transfer(leavers, int(j), faction, model.steps)


def learn(model: OpgaveModel) -> None:
    """Members of diverse initiatives grow in sensitivity; everyone drifts slowly back."""
    params = model.config.dynamics.leaving
    C = model.coalitions
    rows = C.active_rows()
    s = model.actors.sensitivity
    s -= params.sensitivity_decay * (s - model.actors.sensitivity0)
    if rows.size == 0:
        return
    M, D = C.memberships, model.world.n_domains
    inits = M.initiative[rows]
    actors = M.actor[rows]
    counts = np.bincount(inits * D + model.actors.primary[actors], minlength=C.initiatives.n * D)
    diversity = blau_index(counts.reshape(-1, D))
    gain = np.zeros(model.actors.n)
    np.maximum.at(gain, actors, diversity[inits])
    s += params.learning_rate * gain * (1.0 - s)
    np.clip(s, 0.0, 1.0, out=s)


def leave_and_learn(model: OpgaveModel, view: View) -> None:
    complete_finished(model)
    drop_out(model, view)
    split_factions(model)
    learn(model)
