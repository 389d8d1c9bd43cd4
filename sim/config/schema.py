"""The config schema: every parameter of a scenario, its default and its allowed range.

Defaults are stylised, not calibrated (see docs/ODD.md). A YAML file only names what it changes;
``extends`` and ``--set`` are resolved before validation (see :mod:`sim.config.loader`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.config.actors import ACTOR_TYPES, ActorsConfig
from sim.config.base import MAX_SEED, Motives, SafeName, Share, Strict
from sim.config.dynamics import MOVED_KEYS, DynamicsConfig

__all__ = [
    "ACTOR_TYPES",
    "MOVED_KEYS",
    "ActorsConfig",
    "Config",
    "DynamicsConfig",
    "Motives",
    "OpgavenConfig",
    "PerOrder",
    "Share",
    "StrategyConfig",
    "Strict",
    "WorldConfig",
]


class WorldConfig(Strict):
    """Policy domains, the ones no institution holds, and the number of regions."""

    domains: list[str] = Field(
        default_factory=lambda: ["care", "housing", "energy", "mobility", "work", "safety"],
        min_length=1,
        max_length=100,
        description="policy domains, unique names",
    )
    unmandated: list[str] = Field(
        default_factory=lambda: ["energy"],
        description="domains no institution holds: where orphaned aspects come from",
    )
    regions: int = Field(3, ge=1, le=1000, description="number of regions")

    @model_validator(mode="after")
    def _check_domains(self) -> WorldConfig:
        if len(set(self.domains)) != len(self.domains):
            raise ValueError(f"domains must be unique, got {self.domains}")
        unknown = [d for d in self.unmandated if d not in self.domains]
        if unknown:
            raise ValueError(
                f"unmandated names {unknown}, which are not among the domains {self.domains}"
            )
        if len(self.unmandated) == len(self.domains):
            raise ValueError("at least one domain must be mandated (held by an institution)")
        return self


class OrderMix(Strict):
    """Shares of first-, second- and third-order challenges among new ones; they sum to 1."""

    first: Share = Field(
        0.3, ge=0, le=1, description="share of first-order challenges (the three sum to 1)"
    )
    second: Share = Field(
        0.4, ge=0, le=1, description="share of second-order challenges (the three sum to 1)"
    )
    third: Share = Field(
        0.3, ge=0, le=1, description="share of third-order challenges (the three sum to 1)"
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> OrderMix:
        total = self.first + self.second + self.third
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"first + second + third must sum to 1, got {self.first} + {self.second} + "
                f"{self.third} = {total:g}"
            )
        return self


class Interdependence(Strict):
    """Range of σ (the value only an integrated approach delivers) per order."""

    first: tuple[Share, Share] = Field(
        (0.0, 0.1), description="σ range of first-order challenges; 0 <= low <= high <= 1"
    )
    second: tuple[Share, Share] = Field(
        (0.3, 0.6), description="σ range of second-order challenges; 0 <= low <= high <= 1"
    )
    third: tuple[Share, Share] = Field(
        (0.6, 0.9), description="σ range of third-order challenges; 0 <= low <= high <= 1"
    )

    @model_validator(mode="after")
    def _ranges(self) -> Interdependence:
        for name in ("first", "second", "third"):
            low, high = getattr(self, name)
            if not (0 <= low <= high <= 1):
                raise ValueError(f"{name} must be [low, high] with 0 <= low <= high <= 1")
        return self


class PerOrder(Strict):
    """A share per order of challenge."""

    first: Share = Field(ge=0, le=1)
    second: Share = Field(ge=0, le=1)
    third: Share = Field(ge=0, le=1)

    def of(self, order: int) -> float:
        """The share for order 1, 2 or 3."""
        return (self.first, self.second, self.third)[order - 1]


class InstrumentShare(PerOrder):
    """Execution instruments per order; an override of one order keeps the others' defaults."""

    first: Share = Field(0.2, ge=0, le=1)
    second: Share = Field(0.35, ge=0, le=1)
    third: Share = Field(0.5, ge=0, le=1)


class OpgavenConfig(Strict):
    """Challenges: how many, how they arrive, their order, size, drift and urgency."""

    initial: int = Field(6, ge=0, le=100_000, description="challenges present at step 0")
    arrival_rate: float = Field(
        0.15, ge=0, le=10_000, description="mean new challenges per step (Poisson)"
    )
    max_total: int = Field(
        100_000, ge=1, le=1_000_000, description="cap on challenges emerging in a run"
    )
    order_mix: OrderMix = Field(default_factory=OrderMix)
    interdependence: Interdependence = Field(default_factory=Interdependence)
    size: float = Field(200.0, gt=0, le=1e6, description="mean need per domain a challenge spans")
    unmandated_share: Share = Field(
        0.35, ge=0, le=1, description="part of a third-order challenge's need in unmandated domains"
    )
    drift_rate: Share = Field(0.05, ge=0, le=1, description="chance per step that a shape shifts")
    drift_size: Share = Field(0.25, ge=0, le=1, description="share of remaining need that moves")
    new_aspect: Share = Field(
        0.5, ge=0, le=1, description="chance that drifting need lands in a domain it did not span"
    )
    urgency_initial: tuple[Share, Share] = Field(
        (0.2, 0.5), description="range of a new challenge's urgency (uniform), within [0, 1]"
    )
    urgency_growth: float = Field(0.02, ge=0, le=1, description="growth per step while unresolved")
    instrument_share: InstrumentShare = Field(
        default_factory=InstrumentShare,
        description="part of a challenge's need only an initiative with an institution (among its "
        "members or in its coordinated cluster) can work: permits, budgets, legal powers",
    )

    @model_validator(mode="after")
    def _urgency_range(self) -> OpgavenConfig:
        low, high = self.urgency_initial
        if not (0 <= low <= high <= 1):
            raise ValueError("urgency_initial must be [low, high] with 0 <= low <= high <= 1")
        return self


KnobDefinition = Literal["owner", "collective"]
KnobTable = Literal["interest", "added_value"]
KnobDecomposition = Literal["by_mandate", "integral", "coordinated_pieces"]
KnobCitizens = Literal["excluded", "members"]
KnobRegie = Literal["owner", "boundary_spanner", "shared"]
PresetName = Literal["institutional", "opgave_centred", "hybrid"]


class StrategyConfig(Strict):
    """A preset plus any knob set on its own (a knob given here overrides the preset)."""

    preset: PresetName = Field(
        "institutional", description="a bundle of the six knobs (sim/model/strategy.py)"
    )
    definition: KnobDefinition | None = Field(
        None, description="who defines a challenge: its owner institution or the collective"
    )
    table: KnobTable | None = Field(
        None, description="who is asked to join: by interest or by the need they add"
    )
    decomposition: KnobDecomposition | None = Field(
        None, description="how a challenge is cut: per mandate, kept whole, or linked pieces"
    )
    follows_drift: bool | None = Field(
        None, description="whether the definition and the work follow a challenge's drift"
    )
    citizens: KnobCitizens | None = Field(None, description="whether citizens can join initiatives")
    regie: KnobRegie | None = Field(
        None, description="who holds the regie: the owner, a boundary spanner, or both"
    )


class Config(Strict):
    """A full scenario: a YAML file in configs/ once its extends and --set are applied."""

    name: SafeName = Field("base", description="the scenario's name (run folders start with it)")
    description: str = Field("", description="what the scenario is about, in words")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="seed of every random draw in a run")
    steps: int = Field(200, ge=1, le=1_000_000, description="steps per run")
    world: WorldConfig = Field(default_factory=WorldConfig)
    actors: ActorsConfig = Field(default_factory=ActorsConfig)
    opgaven: OpgavenConfig = Field(default_factory=OpgavenConfig)
    strategy: StrategyConfig = Field(default_factory=StrategyConfig)
    dynamics: DynamicsConfig = Field(default_factory=DynamicsConfig)
