"""The base of every config section, and the motive weights several sections share."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Share = float  # documentary alias: a value in [0, 1]


class Strict(BaseModel):
    """Base for every config section: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Motives(Strict):
    """Weights of the three motives in the joining utility (MODEL.md, mobilisation)."""

    intrinsic: float = Field(
        0.5, ge=0, le=10, description="intrinsic (connection to the challenge itself)"
    )
    interest: float = Field(0.5, ge=0, le=10, description="interest (the actor's own return)")
    external: float = Field(
        0.5, ge=0, le=10, description="external (pressure: law, mandate or reputation)"
    )
