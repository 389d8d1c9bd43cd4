"""OpgaveModel: the world, its actors and challenges, and the step that reads as the lifecycle."""

from __future__ import annotations

import mesa
import numpy as np

from sim.config.schema import Config
from sim.model import (
    agenda,
    leaving,
    lifecycle,
    mobilisation,
    network,
    outcomes,
    perception,
    realisation,
)
from sim.model.actors import ACTOR_CLASSES, MOTIVES, Actor
from sim.model.coalitions import Coalitions
from sim.model.opgave import Opgave, draw_opgave, drift_and_urgency, emerge
from sim.model.strategy import resolve_knobs
from sim.model.world import World, initial_ties


class OpgaveModel(mesa.Model):
    """Networks forming around societal challenges (opgaven).

    Hot state sits in numpy arrays indexed by an actor's ``row`` (its position in the arrays);
    the Mesa agents read and write their own row. ``step()`` runs the nine mechanisms of
    MODEL.md in order, then collects the metrics.
    """

    def __init__(
        self, config: Config | None = None, rng: int | np.random.SeedSequence | None = None
    ):
        config = config if config is not None else Config()
        seed = config.seed if rng is None else rng
        if isinstance(seed, str):  # Solara passes a typed-in seed as text
            seed = int(seed)
        super().__init__(rng=seed)
        self.config = config
        self.knobs = resolve_knobs(config.strategy)
        self.world = World.from_config(config.world)
        self._build_actors()
        self.ties = initial_ties(self)
        self.opgaven: list[Opgave] = []
        self.active_opgaven: list[Opgave] = []
        self.coalitions = Coalitions(self.n_actors, self.world.n_domains)
        self.totals = {"effort": 0.0, "overhead": 0.0, "value": 0.0, "need": 0.0}
        self.network_stats = {"density": 0.0, "cross_domain": 0.0}
        for _ in range(config.opgaven.initial):
            self.add_opgave(draw_opgave(self, len(self.opgaven)))
        self.datacollector = mesa.DataCollector(model_reporters=outcomes.MODEL_REPORTERS)
        network.measure(self)
        self.datacollector.collect(self)

    # -- construction --------------------------------------------------------------------
    def _build_actors(self) -> None:
        cfg = self.config.actors
        counts = [getattr(cfg, cls.key).count for cls in ACTOR_CLASSES]
        n = sum(counts)
        D = self.world.n_domains
        self.n_actors = n
        self.actor_type = np.repeat([cls.type_code for cls in ACTOR_CLASSES], counts)
        self.home = np.zeros((n, D), dtype=bool)
        self.region = np.zeros(n, dtype=np.int64)
        self.lens = np.zeros((n, D))
        fields = ("sensitivity", "capacity", "power", "reach", "influence", "stubbornness", "cost")
        for name in fields:
            setattr(self, name, np.zeros(n))
        self.max_memberships = np.zeros(n, dtype=np.int64)
        self.motives = np.zeros((n, len(MOTIVES)))
        start = 0
        self._actor_of_row: dict[int, Actor] = {}
        for cls, count in zip(ACTOR_CLASSES, counts, strict=True):
            rows = np.arange(start, start + count)
            start += count
            if count == 0:
                continue
            p = getattr(cfg, cls.key)
            self.home[rows] = cls.assign_home(count, self)
            self.region[rows] = cls.assign_region(count, self)
            self.lens[rows] = cls.build_lens(self.home[rows], self)
            self.sensitivity[rows] = p.sensitivity
            self.capacity[rows] = p.capacity
            self.power[rows] = p.execution_power
            self.reach[rows] = p.regional_reach
            self.influence[rows] = p.influence
            self.stubbornness[rows] = p.stubbornness
            self.cost[rows] = p.cost
            self.max_memberships[rows] = p.max_memberships
            self.motives[rows] = [p.motives.intrinsic, p.motives.interest, p.motives.external]
            for row in rows:
                self._actor_of_row[int(row)] = cls(self, int(row))
        self.sensitivity0 = self.sensitivity.copy()
        self.primary = np.argmax(self.home, axis=1)
        self.lens_eff = perception.effective_lens(self.lens, self.sensitivity)

    def add_opgave(self, op: Opgave) -> None:
        self.opgaven.append(op)
        self.active_opgaven.append(op)
        self.totals["need"] += op.total_need

    # -- state read by several mechanisms -------------------------------------------------
    def membership_count(self) -> np.ndarray:
        """(N,) number of active memberships per actor."""
        return self.coalitions.count

    def actor_at(self, row: int) -> Actor:
        """The Mesa agent that owns array row ``row``."""
        return self._actor_of_row[row]

    # -- the step: one line per mechanism of MODEL.md --------------------------------------
    def step(self) -> None:
        emerge(self)
        drift_and_urgency(self)
        self.lens_eff = perception.effective_lens(self.lens, self.sensitivity)
        view = perception.perceive(self, self.active_opgaven)
        view.x = agenda.spread(self, view)
        view.attention = agenda.scarce_attention(view.x, self.config.dynamics.agenda.attention)
        newly_on_agenda = agenda.set_agenda(self, view)
        mobilisation.mobilise(self, view, newly_on_agenda)
        realisation.realise(self)
        leaving.leave_and_learn(self, view)
        network.update_ties(self)
        lifecycle.end(self)
        if self.steps % self.config.dynamics.network.metrics_every == 0:
            network.measure(self)
        self.datacollector.collect(self)
