"""The dynamics section: the constants of the mechanisms, one sub-section per mechanism."""

from __future__ import annotations

from pydantic import Field

from sim.config.base import Motives, Share, Strict


class AgendaParams(Strict):
    """Hearing of challenges, salience spread by talk, scarce attention, the agenda threshold
    and what forces an owner's hand (sim/model/perception.py, agenda.py)."""

    perception_floor: Share = Field(
        0.5,
        ge=0,
        le=1,
        description="share of a challenge's need an actor's lens must see (x regional "
        "proximity) to hear of it directly; others hear of it only through their ties",
    )
    fj_iterations: int = Field(3, ge=1, le=100, description="Friedkin-Johnsen iterations per step")
    attention: int = Field(3, ge=1, le=1000, description="challenges an actor actively carries")
    signal_threshold: float = Field(
        0.05,
        ge=0,
        le=10,
        description="salience at which an actor notices a challenge and can carry it; the "
        "challenge is signalled once someone does",
    )
    agenda_threshold: float = Field(
        0.1,
        ge=0,
        le=10,
        description="share of eligible capability, salience-weighted, that sets the agenda",
    )
    mandate_fit: Share = Field(
        0.2, ge=0, le=1, description="share of need an institution must see in its mandate to own"
    )
    forcing: float = Field(
        0.1,
        gt=0,
        le=10,
        description="urgency x public attention at which the institution that sees most of a "
        "challenge in its mandate must take it up, even short of mandate_fit (owner "
        "definition; above 1 it never happens)",
    )
    seed_members: int = Field(
        4, ge=1, le=1000, description="supporters who start a collective initiative"
    )


class SensemakingParams(Strict):
    """What it takes to recognise an aspect of a challenge (sim/model/sensemaking.py)."""

    recognition: Share = Field(0.5, ge=0, le=1, description="lens needed to recognise an aspect")


class MobilisationParams(Strict):
    """How initiatives start and recruit (sim/model/decomposition.py, recruitment.py)."""

    parallel_approaches: int = Field(
        3, ge=1, le=100, description="parallel initiatives when kept whole"
    )
    invites_per_step: int = Field(
        3, ge=0, le=10_000, description="candidates a regie-holder asks per step"
    )
    pool_size: int = Field(
        40, ge=1, le=100_000, description="candidates considered per invitation round"
    )
    trade_at_cap: bool = Field(
        True,
        description="an actor at its membership cap may give up its weakest membership for a "
        "better one (false: it declines)",
    )


class RegieParams(Strict):
    """What happens without a regie-holder, and what holding it damps (sim/model/regie.py)."""

    chance: Share = Field(
        0.1, ge=0, le=1, description="chance per step that regie tasks happen without a holder"
    )
    lapse: Share = Field(
        0.1, ge=0, le=1, description="chance per step an unheld coordination link lapses"
    )
    mediation: Share = Field(0.7, ge=0, le=1, description="how much a regie-holder damps splits")
    convene: int = Field(
        1, ge=0, le=1000, description="coordination links a regie-holder makes per step (0: none)"
    )
    bilateral: bool = Field(
        True,
        description="leads may agree on coordination links between their initiatives "
        "(false: only a regie-holder makes links)",
    )


class RealisationParams(Strict):
    """Turning effort into work: coordination overhead and approaches (sim/model/realisation.py)."""

    coordination_size: float = Field(0.06, ge=0, le=100, description="overhead per ln(members)")
    coordination_diversity: float = Field(
        0.25, ge=0, le=100, description="overhead per unit diversity"
    )
    coordination_link: float = Field(
        0.03, ge=0, le=100, description="overhead per coordination link"
    )
    coordination_scale: float = Field(
        1.0, ge=0, le=100, description="multiplies all three coordination costs (for sweeps)"
    )
    coordination_max: Share = Field(0.8, ge=0, le=1, description="cap on the overhead share")
    portfolio_learning: Share = Field(
        0.5, ge=0, le=1, description="how far coordinated initiatives shift to the best approach"
    )
    quality_spread: Share = Field(0.8, ge=0, le=1, description="spread of solution quality")
    displacement: Share = Field(
        0.5,
        ge=0,
        le=1,
        description="share of the non-integrated part of work that reappears as need in the "
        "challenge's other aspects (the waterbed of sub-optimisation)",
    )


class LeavingParams(Strict):
    """Dropping out by motive, splits over disagreement, learning (sim/model/leaving.py)."""

    hazard_base: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.005, interest=0.015, external=0.02),
        description="chance per step of leaving, by the motive an actor joined for",
    )
    hazard_fade: Motives = Field(
        default_factory=lambda: Motives(intrinsic=0.0, interest=0.15, external=0.3),
        description="extra chance of leaving as that motive fades, by motive",
    )
    split_threshold: Share = Field(
        0.1, ge=0, le=1, description="disagreement above which a split can happen"
    )
    split_rate: float = Field(
        0.5, ge=0, le=100, description="split hazard per unit of excess disagreement"
    )
    learning_rate: Share = Field(
        0.02, ge=0, le=1, description="sensitivity growth per diverse step"
    )
    sensitivity_decay: Share = Field(
        0.002, ge=0, le=1, description="pull back toward initial sensitivity per step"
    )


class IncentiveParams(Strict):
    """The moving parts of motives: business cases, public attention, the price of mobilising
    (sim/model/incentives.py)."""

    business_drift: Share = Field(
        0.03, ge=0, le=1, description="largest step of a challenge's business case per domain"
    )
    business_shock_chance: Share = Field(
        0.02, ge=0, le=1, description="chance per step that a market shock hits a challenge"
    )
    business_shock_size: Share = Field(
        0.4, ge=0, le=1, description="how far a shock moves one domain's business case, up or down"
    )
    company_spread: Share = Field(
        0.5, ge=0, le=1, description="spread of a company's own factor on the business case"
    )
    attention_decay: Share = Field(
        0.1,
        ge=0,
        le=1,
        description="share of public attention renewed per step: it decays toward what citizens "
        "carry now (1: no memory; 0: attention never builds, so no reputation, political "
        "pressure or forcing)",
    )
    recruit_cost: float = Field(
        0.1,
        ge=0,
        le=100,
        description="effort a recruiter spends per candidate asked, per unit of the candidate's "
        "interest weight",
    )


class NetworkParams(Strict):
    """The social network: its start, ties growing and fading (sim/model/network.py, world.py)."""

    mean_degree: float = Field(6.0, ge=0, le=1000, description="initial ties per actor")
    homophily: Share = Field(
        0.8, ge=0, le=1, description="share of initial ties in own domain and region"
    )
    tie_gain: float = Field(
        0.2, ge=0, le=100, description="tie weight added per step of working together"
    )
    tie_decay: Share = Field(0.01, ge=0, le=1, description="share of tie weight lost per step")
    tie_min: float = Field(0.05, ge=0, le=100, description="ties below this weight are dropped")
    metrics_every: int = Field(1, ge=1, le=1_000_000, description="steps between network metrics")


class LifecycleParams(Strict):
    """When a challenge ends: resolved or orphaned (sim/model/lifecycle.py)."""

    resolve_threshold: Share = Field(
        0.05, ge=0, le=1, description="remaining share that counts as resolved"
    )
    orphan_urgency: Share = Field(
        0.6, ge=0, le=1, description="urgency from which an uncovered challenge counts as waiting"
    )
    orphan_patience: int = Field(
        20, ge=1, le=1_000_000, description="steps urgent and uncovered before orphaned"
    )


class DynamicsConfig(Strict):
    """The constants of the mechanisms, one section per mechanism (docs/ODD.md, submodels)."""

    agenda: AgendaParams = Field(default_factory=AgendaParams)
    sensemaking: SensemakingParams = Field(default_factory=SensemakingParams)
    mobilisation: MobilisationParams = Field(default_factory=MobilisationParams)
    regie: RegieParams = Field(default_factory=RegieParams)
    realisation: RealisationParams = Field(default_factory=RealisationParams)
    leaving: LeavingParams = Field(default_factory=LeavingParams)
    incentives: IncentiveParams = Field(default_factory=IncentiveParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    lifecycle: LifecycleParams = Field(default_factory=LifecycleParams)


# Keys of the flat ``dynamics`` section of version 1 and where they live now (the loader names the
# new key when an old config uses one); ``None``: removed, nothing read it.
MOVED_KEYS: dict[str, str | None] = {
    **{
        f"dynamics.{k}": f"dynamics.{section}.{k}"
        for section, params in (
            ("agenda", AgendaParams),
            ("sensemaking", SensemakingParams),
            ("mobilisation", MobilisationParams),
            ("realisation", RealisationParams),
            ("leaving", LeavingParams),
            ("network", NetworkParams),
            ("lifecycle", LifecycleParams),
        )
        for k in params.model_fields
    },
    "dynamics.chance_regie": "dynamics.regie.chance",
    "dynamics.coordination_lapse": "dynamics.regie.lapse",
    "dynamics.regie_mediation": "dynamics.regie.mediation",
    "dynamics.network_metrics_every": "dynamics.network.metrics_every",
    "opgaven.public_attention_decay": None,
}
del MOVED_KEYS["dynamics.metrics_every"]
