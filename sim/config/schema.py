"""The config schema: every parameter of a scenario, its default and its allowed range.

Defaults are stylised, not calibrated (see docs/ODD.md). A YAML file only names what it changes;
``extends`` and ``--set`` are resolved before validation (see :mod:`sim.config.loader`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Share = float  # documentary alias: a value in [0, 1]

ACTOR_TYPES = ("citizen", "institution", "company", "boundary_spanner")


class Strict(BaseModel):
    """Base for every config section: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class WorldConfig(Strict):
    """Policy domains, the ones no institution holds, and the number of regions."""

    domains: list[str] = Field(
        default_factory=lambda: ["care", "housing", "energy", "mobility", "work", "safety"],
        min_length=1,
    )
    unmandated: list[str] = Field(
        default_factory=lambda: ["energy"],
        description="domains no institution holds: where orphaned aspects come from",
    )
    regions: int = Field(3, ge=1, le=1000)

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


class Motives(Strict):
    """Weights of the three motives in the joining utility (MODEL.md, mobilisation)."""

    intrinsic: float = Field(0.5, ge=0, le=10)
    interest: float = Field(0.5, ge=0, le=10)
    external: float = Field(0.5, ge=0, le=10)


class ActorTypeConfig(Strict):
    """Parameters shared by every actor type; each type below has its own defaults."""

    count: int = Field(0, ge=0, le=10_000_000)
    capacity: float = Field(1.0, gt=0, description="effort an actor can spend per step")
    execution_power: float = Field(0.5, ge=0, description="work produced per unit of effort")
    lens_home: Share = Field(0.9, ge=0, le=1, description="perception of its own domains")
    lens_other: Share = Field(0.1, ge=0, le=1, description="perception of other domains")
    regional_reach: Share = Field(
        0.3, ge=0, le=1, description="how much it perceives of challenges outside its region"
    )
    sensitivity: Share = Field(0.1, ge=0, le=1, description="initial opgavegevoeligheid")
    home_domains: int = Field(1, ge=1, description="number of home domains (capped at D)")
    motives: Motives = Field(default_factory=Motives)
    cost: float = Field(0.2, ge=0, description="utility cost of joining an initiative")
    max_memberships: int = Field(3, ge=1, description="initiatives it can carry at once")
    influence: float = Field(1.0, gt=0, description="weight of its voice in others' opinions")
    stubbornness: Share = Field(
        0.3, gt=0, le=1, description="anchoring on its own perception (1 - FJ susceptibility)"
    )


class CitizenConfig(ActorTypeConfig):
    count: int = Field(240, ge=0, le=10_000_000)
    capacity: float = Field(1.0, gt=0)
    execution_power: float = Field(0.4, ge=0)
    lens_home: Share = Field(0.6, ge=0, le=1)
    lens_other: Share = Field(0.35, ge=0, le=1)
    regional_reach: Share = Field(0.1, ge=0, le=1)
    sensitivity: Share = Field(0.2, ge=0, le=1)
    motives: Motives = Field(
        default_factory=lambda: Motives(intrinsic=1.0, interest=0.4, external=0.1)
    )
    cost: float = Field(0.25, ge=0)
    max_memberships: int = Field(1, ge=1)
    influence: float = Field(1.0, gt=0)
    stubbornness: Share = Field(0.4, gt=0, le=1)
    cooperative_gain: float = Field(
        0.5, ge=0, description="execution power grows with log(1 + citizens in the initiative)"
    )
    self_mobilisation: Share = Field(
        0.05,
        ge=0,
        le=1,
        description="chance per step a citizen who carries a challenge asks to join",
    )


class InstitutionConfig(ActorTypeConfig):
    count: int = Field(24, ge=0, le=10_000_000)
    capacity: float = Field(8.0, gt=0)
    execution_power: float = Field(1.0, ge=0)
    lens_home: Share = Field(0.95, ge=0, le=1)
    lens_other: Share = Field(0.05, ge=0, le=1)
    regional_reach: Share = Field(0.2, ge=0, le=1)
    sensitivity: Share = Field(0.1, ge=0, le=1)
    motives: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.2, interest=0.6, external=1.0)
    )
    cost: float = Field(0.2, ge=0)
    max_memberships: int = Field(6, ge=1)
    influence: float = Field(3.0, gt=0)
    stubbornness: Share = Field(0.6, gt=0, le=1)
    energy_loss: Share = Field(
        0.35, ge=0, le=1, description="share of effort lost on work outside its mandate"
    )


class CompanyConfig(ActorTypeConfig):
    count: int = Field(24, ge=0, le=10_000_000)
    capacity: float = Field(5.0, gt=0)
    execution_power: float = Field(0.9, ge=0)
    lens_home: Share = Field(0.85, ge=0, le=1)
    lens_other: Share = Field(0.1, ge=0, le=1)
    regional_reach: Share = Field(0.4, ge=0, le=1)
    sensitivity: Share = Field(0.1, ge=0, le=1)
    motives: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.1, interest=1.0, external=0.5)
    )
    cost: float = Field(0.3, ge=0)
    max_memberships: int = Field(3, ge=1)
    influence: float = Field(1.5, gt=0)
    stubbornness: Share = Field(0.5, gt=0, le=1)


class BoundarySpannerConfig(ActorTypeConfig):
    count: int = Field(8, ge=0, le=10_000_000)
    capacity: float = Field(3.0, gt=0)
    execution_power: float = Field(0.3, ge=0)
    lens_home: Share = Field(0.8, ge=0, le=1)
    lens_other: Share = Field(0.55, ge=0, le=1)
    regional_reach: Share = Field(0.7, ge=0, le=1)
    sensitivity: Share = Field(0.5, ge=0, le=1)
    home_domains: int = Field(2, ge=1)
    motives: Motives = Field(
        default_factory=lambda: Motives(intrinsic=1.0, interest=0.1, external=0.1)
    )
    cost: float = Field(0.1, ge=0)
    max_memberships: int = Field(4, ge=1)
    influence: float = Field(4.0, gt=0)
    stubbornness: Share = Field(0.3, gt=0, le=1)
    extra_ties: int = Field(10, ge=0, description="ties across domains beyond the homophilous ones")


class ActorsConfig(Strict):
    citizen: CitizenConfig = Field(default_factory=CitizenConfig)
    institution: InstitutionConfig = Field(default_factory=InstitutionConfig)
    company: CompanyConfig = Field(default_factory=CompanyConfig)
    boundary_spanner: BoundarySpannerConfig = Field(default_factory=BoundarySpannerConfig)

    @model_validator(mode="after")
    def _someone(self) -> ActorsConfig:
        if sum(getattr(self, t).count for t in ACTOR_TYPES) == 0:
            raise ValueError("at least one actor is needed: every count is 0")
        return self


class OrderMix(Strict):
    """Shares of first-, second- and third-order challenges among new ones; they sum to 1."""

    first: Share = Field(0.3, ge=0, le=1)
    second: Share = Field(0.4, ge=0, le=1)
    third: Share = Field(0.3, ge=0, le=1)

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

    first: tuple[Share, Share] = (0.0, 0.1)
    second: tuple[Share, Share] = (0.3, 0.6)
    third: tuple[Share, Share] = (0.6, 0.9)

    @model_validator(mode="after")
    def _ranges(self) -> Interdependence:
        for name in ("first", "second", "third"):
            low, high = getattr(self, name)
            if not (0 <= low <= high <= 1):
                raise ValueError(f"{name} must be [low, high] with 0 <= low <= high <= 1")
        return self


class OpgavenConfig(Strict):
    initial: int = Field(6, ge=0, description="challenges present at step 0")
    arrival_rate: float = Field(0.15, ge=0, description="mean new challenges per step (Poisson)")
    max_total: int = Field(100_000, ge=1, description="cap on challenges emerging in a run")
    order_mix: OrderMix = Field(default_factory=OrderMix)
    interdependence: Interdependence = Field(default_factory=Interdependence)
    size: float = Field(200.0, gt=0, description="mean need per domain a challenge spans")
    unmandated_share: Share = Field(
        0.35, ge=0, le=1, description="part of a third-order challenge's need in unmandated domains"
    )
    drift_rate: Share = Field(0.05, ge=0, le=1, description="chance per step that a shape shifts")
    drift_size: Share = Field(0.25, ge=0, le=1, description="share of remaining need that moves")
    new_aspect: Share = Field(
        0.5, ge=0, le=1, description="chance that drifting need lands in a domain it did not span"
    )
    urgency_initial: tuple[Share, Share] = (0.2, 0.5)
    urgency_growth: float = Field(0.02, ge=0, le=1, description="growth per step while unresolved")
    public_attention_decay: Share = Field(0.1, ge=0, le=1)


KnobDefinition = Literal["owner", "collective"]
KnobTable = Literal["interest", "added_value"]
KnobDecomposition = Literal["by_mandate", "integral", "coordinated_pieces"]
KnobCitizens = Literal["excluded", "members"]
KnobRegie = Literal["owner", "boundary_spanner", "shared"]
PresetName = Literal["institutional", "opgave_centred", "hybrid"]


class StrategyConfig(Strict):
    """A preset plus any knob set on its own (a knob given here overrides the preset)."""

    preset: PresetName = "institutional"
    definition: KnobDefinition | None = None
    table: KnobTable | None = None
    decomposition: KnobDecomposition | None = None
    follows_drift: bool | None = None
    citizens: KnobCitizens | None = None
    regie: KnobRegie | None = None


class DynamicsConfig(Strict):
    """Everything else: the constants of the mechanisms (docs/ODD.md, submodels)."""

    fj_iterations: int = Field(3, ge=1, description="Friedkin-Johnsen iterations per step")
    attention: int = Field(3, ge=1, description="challenges an actor actively carries")
    signal_threshold: float = Field(0.05, ge=0, description="salience at which a challenge is seen")
    agenda_threshold: float = Field(
        0.1,
        ge=0,
        description="share of eligible capability, salience-weighted, that sets the agenda",
    )
    mandate_fit: Share = Field(
        0.2, ge=0, le=1, description="share of need an institution must see in its mandate to own"
    )
    recognition: Share = Field(0.5, ge=0, le=1, description="lens needed to recognise an aspect")
    seed_members: int = Field(4, ge=1, description="supporters who start a collective initiative")
    parallel_approaches: int = Field(3, ge=1, description="parallel initiatives when kept whole")
    invites_per_step: int = Field(3, ge=0, description="candidates a regie-holder asks per step")
    pool_size: int = Field(40, ge=1, description="candidates considered per invitation round")
    chance_regie: Share = Field(
        0.1, ge=0, le=1, description="chance per step that regie tasks happen without a holder"
    )
    coordination_size: float = Field(0.06, ge=0, description="overhead per log(1 + members)")
    coordination_diversity: float = Field(0.25, ge=0, description="overhead per unit diversity")
    coordination_link: float = Field(0.03, ge=0, description="overhead per coordination link")
    coordination_scale: float = Field(
        1.0, ge=0, description="multiplies all three coordination costs (for sweeps)"
    )
    coordination_max: Share = Field(0.8, ge=0, le=1)
    coordination_lapse: Share = Field(
        0.1, ge=0, le=1, description="chance per step an unheld coordination link lapses"
    )
    portfolio_learning: Share = Field(
        0.5, ge=0, le=1, description="how far coordinated initiatives shift to the best approach"
    )
    quality_spread: Share = Field(0.8, ge=0, le=1, description="spread of solution quality")
    split_threshold: Share = Field(
        0.1, ge=0, le=1, description="disagreement above which a split can happen"
    )
    split_rate: float = Field(0.5, ge=0, description="split hazard per unit of excess disagreement")
    regie_mediation: Share = Field(
        0.7, ge=0, le=1, description="how much a regie-holder damps splits"
    )
    hazard_base: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.005, interest=0.015, external=0.02)
    )
    hazard_fade: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.0, interest=0.15, external=0.3)
    )
    learning_rate: Share = Field(
        0.02, ge=0, le=1, description="sensitivity growth per diverse step"
    )
    sensitivity_decay: Share = Field(0.002, ge=0, le=1)
    mean_degree: float = Field(6.0, ge=0, description="initial ties per actor")
    homophily: Share = Field(
        0.8, ge=0, le=1, description="share of initial ties in own domain and region"
    )
    tie_gain: float = Field(0.2, ge=0, description="tie weight added per step of working together")
    tie_decay: Share = Field(0.01, ge=0, le=1, description="share of tie weight lost per step")
    tie_min: float = Field(0.05, ge=0, description="ties below this weight are dropped")
    resolve_threshold: Share = Field(
        0.05, ge=0, le=1, description="remaining share that counts as resolved"
    )
    orphan_urgency: Share = Field(0.6, ge=0, le=1)
    orphan_patience: int = Field(20, ge=1, description="steps urgent and uncovered before orphaned")
    network_metrics_every: int = Field(1, ge=1, description="steps between network metrics")


class Config(Strict):
    """A full scenario: a YAML file in configs/ once its extends and --set are applied."""

    name: str = "base"
    description: str = ""
    seed: int = Field(0, ge=0)
    steps: int = Field(200, ge=1, le=1_000_000)
    world: WorldConfig = Field(default_factory=WorldConfig)
    actors: ActorsConfig = Field(default_factory=ActorsConfig)
    opgaven: OpgavenConfig = Field(default_factory=OpgavenConfig)
    strategy: StrategyConfig = Field(default_factory=StrategyConfig)
    dynamics: DynamicsConfig = Field(default_factory=DynamicsConfig)
