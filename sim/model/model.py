"""OpgaveModel: the world, its actors and challenges, and the step that reads as the lifecycle."""

from __future__ import annotations

import mesa
import numpy as np

from sim.config.schema import Config
from sim.model import (
    agenda,
    decomposition,
    emergence,
    incentives,
    leaving,
    lifecycle,
    network,
    outcomes,
    perception,
    realisation,
    recruitment,
    regie,
    sensemaking,
)
from sim.model.actor_state import ActorState, build_actors
from sim.model.actors import Actor
from sim.model.coalitions import Coalitions
from sim.model.opgave import Opgave
from sim.model.strategy import Strategy, resolve_knobs
from sim.model.streams import Streams, seed_sequence
from sim.model.world import World, initial_ties

CONFIG_SEED = object()  # OpgaveModel's default rng: take the seed from the config


class OpgaveModel(mesa.Model):
    """Networks forming around societal challenges (opgaven).

    Randomness comes from ``streams``: a world stream that behaviour never draws from, and one
    stream per behaviour, so every way of working meets the same world for a seed.
    The actors' hot state sits in ``actors`` (:class:`ActorState`, arrays indexed by an actor's
    row); the Mesa agents own their row and their type's behaviour. ``strategy`` holds the knob
    objects the mechanisms call. ``step()`` runs the lifecycle (docs/ODD.md, process overview),
    one line per stage, then collects the metrics of :mod:`sim.model.outcomes`.
    """

    def __init__(
        self,
        config: Config | None = None,
        rng: int | np.random.SeedSequence | object | None = CONFIG_SEED,
    ):
        config = config if config is not None else Config()
        # No rng given: the config's seed. rng=None (what Mesa's batch_run passes per
        # iteration): fresh entropy, so replications differ; ``self.seed`` records it.
        seed = config.seed if rng is CONFIG_SEED else rng
        if seed is None:
            seed = int(np.random.SeedSequence().entropy)
        if isinstance(seed, str):  # Solara passes a typed-in seed as text
            seed = int(seed)
        self.seed = seed
        super().__init__(rng=seed)
        self.seed_sequence = seed_sequence(seed)
        self.streams = Streams.spawn(self.seed_sequence)
        self.config = config
        self.strategy: Strategy = resolve_knobs(config.strategy)
        self.world = World.from_config(config.world)
        self.actors: ActorState
        self.actors, self._agent_of_row = build_actors(self)
        self.ties = initial_ties(self)
        self.opgaven: list[Opgave] = []
        self.active_opgaven: list[Opgave] = []
        self.coalitions = Coalitions(self.actors.n, self.world.n_domains)
        self.totals = {"effort": 0.0, "overhead": 0.0, "value": 0.0, "need": 0.0}
        self.totals["recruiting"] = 0.0  # effort spent asking candidates (part of overhead)
        self.salience: tuple | None = None  # last talk's (N, M) salience and its columns
        self.talk_threads: int | None = None  # threads for talk's product (agenda.talk_threads)
        self.network_stats = {"density": 0.0, "cross_domain": 0.0}
        for _ in range(config.opgaven.initial):
            self.add_opgave(emergence.draw_opgave(self, len(self.opgaven)))
        self.datacollector = mesa.DataCollector(model_reporters=outcomes.MODEL_REPORTERS)
        network.measure(self)
        self.datacollector.collect(self)

    def add_opgave(self, op: Opgave) -> None:
        """A challenge enters the world (and its need the run's total)."""
        self.opgaven.append(op)
        self.active_opgaven.append(op)
        self.totals["need"] += op.total_need

    def capacity_to_need(self) -> float:
        """How scarce the world is: the discretionary work capacity of all actors over the steps
        run (capacity x discretionary share x execution power, summed) divided by the need that
        arose; below 1, not every challenge can be met even if nothing were lost."""
        a = self.actors
        work = float((a.capacity * a.discretionary * a.power).sum()) * max(self.steps, 1)
        return work / self.totals["need"] if self.totals["need"] > 0 else float("inf")

    def actor_at(self, row: int) -> Actor:
        """The Mesa agent that owns array row ``row``."""
        return self._agent_of_row[row]

    # -- the step: the lifecycle, one line per stage ------------------------------------------
    def step(self) -> None:
        emergence.emerge(self)  # 1 new challenges arrive
        emergence.drift_and_urgency(self)  # 2 shapes shift, urgency grows
        seen = perception.perceive(self, self.active_opgaven)  # 3 through each actor's lens
        view = agenda.talk(self, seen)  # 4 salience spreads over ties; attention is scarce
        incentives.update(self, view)  # markets move, public attention builds or fades
        for op in agenda.set_agenda(self, view):  # 4 what passes the threshold is taken up:
            definers = sensemaking.define(self, op)  # 5 defined, by the owner or collectively
            if op.definition.any():
                decomposition.cut(self, view, op, definers)  # 6 cut or kept whole, first seats
                regie.install(self, op)  # the regie taken up
        for op in view.worked_on():  # each challenge being worked on is tended:
            holds = regie.hold(self, op)  # who holds the regie (or chance stands in)
            sensemaking.redefine(self, op, holds)  # 5 the definition follows the table
            decomposition.tend(self, view, op, holds)  # 6 pieces claimed, or convened, widened
            recruitment.mobilise(self, view, op, holds)  # 6 invitations, self-mobilisation
        realisation.realise(self, view)  # 7 scarce effort becomes work; what it does to need
        leaving.leave_and_learn(self, view)  # 8 finished work ends, members leave, split, learn
        network.update_ties(self)  # ties grow by working together and fade
        lifecycle.end(self)  # 9 resolved or orphaned
        network.measure(self, every=self.config.dynamics.network.metrics_every)
        self.datacollector.collect(self)
