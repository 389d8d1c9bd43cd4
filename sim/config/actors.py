"""The actors section: one sub-section per actor type, defaults per type in one table."""

from __future__ import annotations

from pydantic import Field, create_model, model_validator
from pydantic.fields import FieldInfo

from sim.config.base import Motives, Share, Strict

ACTOR_TYPES = ("citizen", "institution", "company", "boundary_spanner")


class ActorTypeConfig(Strict):
    """Parameters shared by every actor type; the defaults per type are in ``ACTOR_DEFAULTS``."""

    count: int = Field(0, ge=0, le=1_000_000, description="number of actors of this type")
    capacity: float = Field(1.0, gt=0, le=1000, description="effort an actor can spend per step")
    discretionary: Share = Field(
        0.2,
        ge=0,
        le=1,
        description="share of capacity free for challenges; the rest goes to regular work",
    )
    execution_power: float = Field(
        0.5, ge=0, le=100, description="work produced per unit of effort"
    )
    lens_home: Share = Field(0.9, ge=0, le=1, description="perception of its own domains")
    lens_other: Share = Field(0.1, ge=0, le=1, description="perception of other domains")
    regional_reach: Share = Field(
        0.3, ge=0, le=1, description="how much it perceives of challenges outside its region"
    )
    sensitivity: Share = Field(0.1, ge=0, le=1, description="initial opgavegevoeligheid")
    home_domains: int = Field(1, ge=1, le=1000, description="number of home domains (capped at D)")
    motives: Motives = Field(
        default_factory=Motives, description="weight of each motive in the joining utility"
    )
    cost: float = Field(0.2, ge=0, le=100, description="utility cost of joining an initiative")
    max_memberships: int = Field(3, ge=1, le=1000, description="initiatives it can carry at once")
    influence: float = Field(
        1.0, gt=0, le=1000, description="weight of its voice in others' opinions"
    )
    stubbornness: Share = Field(
        0.3, gt=0, le=1, description="anchoring on its own perception (1 - FJ susceptibility)"
    )


# The defaults that differ by actor type, one row per type (docs/ODD.md, entities): citizens
# broad but shallow and many; institutions sharp in their mandate with execution power; companies
# sharp in their sector, led by interest; boundary spanners broad, light, intrinsic, influential.
# Discretionary shares: regular work (an institution's mandate tasks, a company's business, a
# citizen's life) takes most capacity; spanning is a boundary spanner's own work.
ACTOR_DEFAULTS: dict[str, dict[str, object]] = {
    "citizen": dict(
        count=240, capacity=1.0, discretionary=0.15, execution_power=0.4,
        lens_home=0.6, lens_other=0.35,
        regional_reach=0.1, sensitivity=0.2, home_domains=1, motives=(1.0, 0.4, 0.1),
        cost=0.25, max_memberships=1, influence=1.0, stubbornness=0.4,
    ),
    "institution": dict(
        count=24, capacity=8.0, discretionary=0.2, execution_power=1.0,
        lens_home=0.95, lens_other=0.05,
        regional_reach=0.2, sensitivity=0.1, home_domains=1, motives=(0.2, 0.6, 1.0),
        cost=0.2, max_memberships=6, influence=3.0, stubbornness=0.6,
    ),
    "company": dict(
        count=24, capacity=5.0, discretionary=0.1, execution_power=0.9,
        lens_home=0.85, lens_other=0.1,
        regional_reach=0.4, sensitivity=0.1, home_domains=1, motives=(0.1, 1.0, 0.5),
        cost=0.3, max_memberships=3, influence=1.5, stubbornness=0.5,
    ),
    "boundary_spanner": dict(
        count=8, capacity=3.0, discretionary=0.5, execution_power=0.3,
        lens_home=0.8, lens_other=0.55,
        regional_reach=0.7, sensitivity=0.5, home_domains=2, motives=(1.0, 0.1, 0.1),
        cost=0.1, max_memberships=4, influence=4.0, stubbornness=0.3,
    ),
}  # fmt: skip


def _with_type_defaults(cls: type[ActorTypeConfig], key: str) -> type[ActorTypeConfig]:
    """``cls`` with the shared fields' defaults taken from ``ACTOR_DEFAULTS[key]`` (the fields'
    bounds and descriptions stay those of ActorTypeConfig)."""
    fields = {}
    for name, default in ACTOR_DEFAULTS[key].items():
        base = ActorTypeConfig.model_fields[name]
        if name == "motives":
            weights = dict(zip(("intrinsic", "interest", "external"), default, strict=True))
            info = FieldInfo.merge_field_infos(base, default_factory=lambda w=weights: Motives(**w))
        else:
            info = FieldInfo.merge_field_infos(base, default=default)
        fields[name] = (base.annotation, info)
    return create_model(
        cls.__name__, __base__=cls, __module__=__name__, __doc__=cls.__doc__, **fields
    )


class _Citizen(ActorTypeConfig):
    """Broad but shallow lens; strength in numbers; may mobilise itself."""

    cooperative_gain: float = Field(
        0.5,
        ge=0,
        le=100,
        description="execution power grows with ln(citizens in the initiative)",
    )
    self_mobilisation: Share = Field(
        0.05,
        ge=0,
        le=1,
        description="chance per step a citizen who carries a challenge asks to join",
    )


class _Institution(ActorTypeConfig):
    """Sharp in its mandate; loses energy on work outside it."""

    energy_loss: Share = Field(
        0.35, ge=0, le=1, description="share of effort lost on work outside its mandate"
    )


class _Company(ActorTypeConfig):
    """Sharp in its sector; joins for a business case or its reputation."""


class _BoundarySpanner(ActorTypeConfig):
    """Broad lens; frames, recruits and holds the regie."""

    extra_ties: int = Field(
        10, ge=0, le=100_000, description="ties across domains beyond the homophilous ones"
    )


CitizenConfig = _with_type_defaults(_Citizen, "citizen")
InstitutionConfig = _with_type_defaults(_Institution, "institution")
CompanyConfig = _with_type_defaults(_Company, "company")
BoundarySpannerConfig = _with_type_defaults(_BoundarySpanner, "boundary_spanner")


class ActorsConfig(Strict):
    """The four actor types; each column holds one type's defaults."""

    citizen: CitizenConfig = Field(default_factory=CitizenConfig)
    institution: InstitutionConfig = Field(default_factory=InstitutionConfig)
    company: CompanyConfig = Field(default_factory=CompanyConfig)
    boundary_spanner: BoundarySpannerConfig = Field(default_factory=BoundarySpannerConfig)

    @model_validator(mode="after")
    def _someone(self) -> ActorsConfig:
        if sum(getattr(self, t).count for t in ACTOR_TYPES) == 0:
            raise ValueError("at least one actor is needed: every count is 0")
        return self
