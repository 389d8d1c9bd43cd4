"""The base of every config section, and the motive weights several sections share."""

from __future__ import annotations

import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

Share = float  # documentary alias: a value in [0, 1]
MAX_SEED = 2**63 - 1  # replication seeds are 63-bit

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _safe_name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(
            "must be a plain name of at most 64 letters, digits, '_', '-' or '.', starting with "
            "a letter or digit (it becomes part of a file or folder name)"
        )
    return value


# A name that becomes part of a path (config, scenario and spec names): no '/', no '../'.
SafeName = Annotated[str, AfterValidator(_safe_name)]


def _number_kind(annotation: Any) -> str | None:
    """'an integer' or 'a number' when a field holds one (possibly optional), else None."""
    if get_origin(annotation) in (Union, UnionType):
        kinds = {_number_kind(a) for a in get_args(annotation)} - {None}
        if bool in get_args(annotation) or str in get_args(annotation):
            return None
        return kinds.pop() if len(kinds) == 1 else None
    if annotation is int:
        return "an integer"
    if annotation is float:
        return "a number"
    return None


class Strict(BaseModel):
    """Base for every config section: unknown keys are errors, not silently ignored; numbers
    are finite (no .inf or .nan) and true/false is never taken for a number."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        annotation = field.annotation
        items = get_args(annotation) if get_origin(annotation) is tuple else ()
        if items and isinstance(value, list | tuple):  # a pair such as (low, high)
            kind = _number_kind(items[0])
            if kind and any(isinstance(v, bool) for v in value):
                raise ValueError(f"expected {kind} in each place, got {value!r}")
        kind = _number_kind(annotation)
        if kind and isinstance(value, bool):
            raise ValueError(f"expected {kind}, got {str(value).lower()}")
        return value


class Motives(Strict):
    """Weights of the three motives in the joining utility (docs/ODD.md, mobilisation)."""

    intrinsic: float = Field(
        0.5, ge=0, le=10, description="intrinsic (connection to the challenge itself)"
    )
    interest: float = Field(0.5, ge=0, le=10, description="interest (the actor's own return)")
    external: float = Field(
        0.5, ge=0, le=10, description="external (pressure: law, mandate or reputation)"
    )
