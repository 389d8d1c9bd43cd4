"""The regie (table 2: "de regie op het proces van duiding en agendering"): who holds it, and
what holding it does. A regie-holder takes a supported challenge up, convenes its initiatives,
widens the work as the challenge changes shape and recruits; without one these things happen only
by chance, and coordination links lapse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import INSTITUTION, SPANNER

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave

# Who can hold the regie under each value of the ``regie`` knob (actor type codes).
REGIE_TYPES: dict[str, tuple[int, ...]] = {
    "owner": (INSTITUTION,),
    "boundary_spanner": (SPANNER,),
    "shared": (SPANNER, INSTITUTION),
}


def takes_up(model: OpgaveModel, backers: np.ndarray) -> bool:
    """Someone must take a supported challenge up. An owner does so by definition; a collective
    needs a backer who can hold the regie the knob names, or it happens only by chance."""
    if model.knobs.definition == "owner":
        return True
    if np.isin(model.actor_type[backers], REGIE_TYPES[model.knobs.regie]).any():
        return True
    return model.rng.random() < model.config.dynamics.regie.chance


def update_regie(model: OpgaveModel, op: Opgave) -> None:
    """Keep the regie with members who are still at the table; take it up where the knob says.

    Owner: the owner institution, while it is a member. Boundary spanner: a spanner member.
    Shared: a spanner and an institution member.
    """
    present = set(model.coalitions.opgave_members(op.uid).tolist())
    holders = [h for h in op.regie if h in present]
    for code in REGIE_TYPES[model.knobs.regie]:
        if any(model.actor_type[h] == code for h in holders):
            continue
        candidates = sorted(a for a in present if model.actor_type[a] == code)
        if candidates:
            holders.append(max(candidates, key=lambda a: model.capacity[a]))
    op.regie = tuple(holders)


def regie_holds(model: OpgaveModel, op: Opgave) -> bool:
    """True when someone holds the regie; otherwise regie tasks happen only by chance."""
    return bool(op.regie) or model.rng.random() < model.config.dynamics.regie.chance


def convene(model: OpgaveModel, op: Opgave) -> None:
    """The regie-holder ties one loose initiative back to the rest (one per step: it takes work)."""
    inits = model.coalitions.initiatives_of(op.uid)
    if len(inits) < 2:
        return
    linked = {j for ln in model.coalitions.links_of(op.uid) for j in ln}
    hub = inits[0]
    for j in inits[1:]:
        if j not in linked:
            model.coalitions.link(op.uid, hub, j)
            return
    if hub not in linked:
        model.coalitions.link(op.uid, hub, inits[1])


def lapse(model: OpgaveModel, op: Opgave) -> None:
    """Without anyone to hold them, coordination links lapse one by one."""
    chance = model.config.dynamics.regie.lapse
    for a, b in sorted(model.coalitions.links_of(op.uid)):
        if model.rng.random() < chance:
            model.coalitions.unlink(op.uid, a, b)
