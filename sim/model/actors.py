"""The four actor types as Mesa agents.

Each agent owns a row in the model's actor arrays (lens, sensitivity, capacity, ...), so the
mechanisms can work on all actors at once. What differs by type lives in the class: where its
home domains and region come from, what it expects to gain (interest), what pressure it feels
(external), and how its execution power behaves. The mechanisms call these class methods on
the rows of one type at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel

MOTIVES = ("intrinsic", "interest", "external")


@dataclass(frozen=True)
class Context:
    """What a group of actors knows of one challenge when it weighs joining or staying."""

    home_share: np.ndarray  # (n,) share of remaining need in the actor's home domains
    proximity: np.ndarray  # (n,) 1 in the challenge's regions, regional_reach elsewhere
    urgency: np.ndarray | float  # (n,) of the challenge each actor weighs (or one for all)
    public_attention: np.ndarray | float  # (n,) what the public carries of it (a decaying stock)
    business_of: Callable[[], np.ndarray]  # computes business_case, for the types that read it

    @cached_property
    def business_case(self) -> np.ndarray:
        """(n,) how much the actor can earn on the challenge in its sector now."""
        return self.business_of()


class Actor(mesa.Agent):
    """Base class: a row in the model's actor arrays plus type-specific behaviour."""

    type_code: ClassVar[int]
    key: ClassVar[str]  # the config section and column suffix

    def __init__(self, model: OpgaveModel, row: int):
        super().__init__(model)
        self.row = row

    # -- the agent's view of its own row -------------------------------------------------
    @property
    def region(self) -> int:
        return int(self.model.actors.region[self.row])

    @property
    def home_domains(self) -> list[str]:
        return [
            d
            for d, h in zip(self.model.world.domains, self.model.actors.home[self.row], strict=True)
            if h
        ]

    @property
    def sensitivity(self) -> float:
        return float(self.model.actors.sensitivity[self.row])

    @property
    def capacity(self) -> float:
        return float(self.model.actors.capacity[self.row])

    @property
    def memberships(self) -> int:
        return int(self.model.coalitions.count[self.row])

    # -- type-specific behaviour, vectorised over the rows of one type --------------------
    @classmethod
    def assign_home(cls, n: int, model: OpgaveModel) -> np.ndarray:
        """(n, D) home-domain mask: ``home_domains`` distinct domains drawn at random."""
        D = model.world.n_domains
        k = min(getattr(model.config.actors, cls.key).home_domains, D)
        picks = np.argsort(model.streams.population.random((n, D)), axis=1)[:, :k]
        home = np.zeros((n, D), dtype=bool)
        np.put_along_axis(home, picks, True, axis=1)
        return home

    @classmethod
    def assign_region(cls, n: int, model: OpgaveModel) -> np.ndarray:
        return model.streams.population.integers(0, model.world.n_regions, size=n)

    @classmethod
    def build_lens(cls, home: np.ndarray, model: OpgaveModel) -> np.ndarray:
        """(n, D) lens: ``lens_home`` on its home domains, ``lens_other`` elsewhere (Miles' law:
        a citizen's broad but shallow lens, an institution's sharp mandate are set by these)."""
        params = getattr(model.config.actors, cls.key)
        return np.where(home, params.lens_home, params.lens_other)

    @classmethod
    def own_return(cls, model: OpgaveModel, rows: np.ndarray, ctx: Context) -> np.ndarray:
        """Expected own return of joining (the interest motive), in [0, 1]."""
        return np.zeros(rows.size)

    @classmethod
    def external_pressure(cls, model: OpgaveModel, rows: np.ndarray, ctx: Context) -> np.ndarray:
        """Pressure from law, mandate or public attention (the external motive), in [0, 1]."""
        return np.zeros(rows.size)

    @classmethod
    def work_factor(
        cls, model: OpgaveModel, rows: np.ndarray, citizens_in_initiative: np.ndarray
    ) -> np.ndarray:
        """(n, D) multiplier on execution power per domain; 1 by default."""
        return np.ones((rows.size, model.world.n_domains))


class Citizen(Actor):
    """Broad but shallow lens, strongest in its own region; strength in numbers (cooperatives)."""

    type_code = 0
    key = "citizen"

    @classmethod
    def own_return(cls, model, rows, ctx):
        # A citizen gains when a problem in its own life domain, close to home, is solved.
        return ctx.home_share * ctx.proximity

    @classmethod
    def work_factor(cls, model, rows, citizens_in_initiative):
        gain = model.config.actors.citizen.cooperative_gain
        boost = 1.0 + gain * np.log1p(np.maximum(citizens_in_initiative - 1, 0))
        return np.repeat(boost[:, None], model.world.n_domains, axis=1)


class Institution(Actor):
    """Sharp in its mandate, blind elsewhere; holds execution power; acts under its mandate."""

    type_code = 1
    key = "institution"

    @classmethod
    def assign_home(cls, n, model):
        # Mandates are dealt round-robin over the mandated domains so each has its holders.
        mandated = np.flatnonzero(model.world.mandated)
        home = np.zeros((n, model.world.n_domains), dtype=bool)
        home[np.arange(n), mandated[np.arange(n) % mandated.size]] = True
        return home

    @classmethod
    def assign_region(cls, n, model):
        # Every region has its own institutions (a territorial division).
        return (np.arange(n) // max(1, int(model.world.mandated.sum()))) % model.world.n_regions

    @classmethod
    def own_return(cls, model, rows, ctx):
        # Credit for performing on its mandate, in its own territory.
        return ctx.home_share * ctx.proximity

    @classmethod
    def external_pressure(cls, model, rows, ctx):
        # Law, mandate and politics: the more of a challenge lies in its mandate, the more it
        # must act when the challenge is urgent or the public watches (either pushes).
        push = 1.0 - (1.0 - ctx.urgency) * (1.0 - ctx.public_attention)
        return ctx.home_share * ctx.proximity * push

    @classmethod
    def work_factor(cls, model, rows, citizens_in_initiative):
        # Work outside its own routine (mandate) loses energy ("energieverlies", table 2).
        loss = model.config.actors.institution.energy_loss
        return np.where(model.actors.home[rows], 1.0, 1.0 - loss)


class Company(Actor):
    """Sharp in its sector; joins for a business case or for its reputation."""

    type_code = 2
    key = "company"

    @classmethod
    def own_return(cls, model, rows, ctx):
        return ctx.home_share * ctx.business_case

    @classmethod
    def external_pressure(cls, model, rows, ctx):
        # Reputation: public attention matters more when the challenge touches its sector.
        return ctx.public_attention * (0.5 + 0.5 * ctx.home_share)


class BoundarySpanner(Actor):
    """Broad lens across domains; little execution power; frames, recruits, holds the regie."""

    type_code = 3
    key = "boundary_spanner"


ACTOR_CLASSES: tuple[type[Actor], ...] = (Citizen, Institution, Company, BoundarySpanner)
CITIZEN, INSTITUTION, COMPANY, SPANNER = (c.type_code for c in ACTOR_CLASSES)


def overrides(cls: type[Actor], method: str) -> bool:
    """Whether ``cls`` has its own ``method`` (else the base class's zero applies)."""
    return getattr(cls, method).__func__ is not getattr(Actor, method).__func__
