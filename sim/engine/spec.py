"""Experiment specs: which scenarios, which design, how many replications, which outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from sim.config.base import MAX_SEED, SafeName
from sim.config.loader import (
    ConfigError,
    apply_overrides,
    format_validation_error,
    read_yaml,
    resolve_extends,
    validate,
)
from sim.config.schema import Config, Strict


class Scenario(Strict):
    """A config file plus optional dotted overrides."""

    config: str
    set: dict[str, Any] = Field(default_factory=dict)


class Range(Strict):
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low must be below high, got low={self.low}, high={self.high}")
        return self


class Design(Strict):
    """Applied within every scenario. Grid values are a list, or a mapping of named levels
    (``{third_order: {first: 0, second: 0, third: 1}}``) when a value is not a number."""

    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    parameters: dict[str, list[Any] | dict[str, Any] | Range] = Field(default_factory=dict)
    samples: int = Field(
        16, ge=1, le=1_000_000, description="lhs points; sobol base N; morris trajectories"
    )
    second_order: bool = Field(True, description="sobol: second-order indices too")
    levels: int = Field(4, ge=2, le=1000, description="morris grid levels")

    @model_validator(mode="after")
    def _parameters_fit_kind(self) -> Design:
        for key, value in list(self.parameters.items()):
            if self.kind != "grid" and isinstance(value, dict) and set(value) == {"low", "high"}:
                value = self.parameters[key] = Range(**value)  # a mapping read as a range
            if self.kind == "grid" and isinstance(value, dict) and set(value) == {"low", "high"}:
                raise ValueError(
                    f"parameters.{key}: a grid takes a list of values (or named "
                    "levels), not a range {low, high}; ranges are for lhs, sobol "
                    "and morris"
                )
            if self.kind == "grid" and isinstance(value, Range):
                raise ValueError(f"parameters.{key}: a grid takes a list of values, not a range")
            if self.kind != "grid" and not isinstance(value, Range):
                raise ValueError(f"parameters.{key}: {self.kind} takes {{low: , high: }}")
            if isinstance(value, list | dict) and not value:
                raise ValueError(f"parameters.{key}: no values given")
        if self.kind == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"samples must be a power of two for sobol, got {self.samples}")
        if self.kind != "grid" and not self.parameters:
            raise ValueError(f"a {self.kind} design needs at least one parameter")
        return self


class Outputs(Strict):
    steps_every: int = Field(
        5, ge=1, le=1_000_000, description="keep every k-th step (and the last)"
    )
    opgaven: bool = True
    actors: bool = False
    memberships: bool = Field(
        False, description="one row per membership: who, when, why it held, why it ended"
    )
    network: bool = False


class Analysis(Strict):
    """How ``opgaven compare`` judges this experiment's differences."""

    sesoi: dict[str, float] = Field(
        default_factory=dict,
        description="smallest effect size of interest per metric, e.g. {fragmentation: 0.05}; "
        "metrics not named keep their documented default (docs/statistics.md)",
    )

    @model_validator(mode="after")
    def _known_positive(self) -> Analysis:
        from sim.model.outcomes import METRICS
        from sim.naming import check_names

        unknown = [m for m in self.sesoi if m not in METRICS]
        problem = check_names(unknown, list(METRICS), "metric")
        if problem:
            raise ValueError(f"sesoi: {problem}")
        for metric, value in self.sesoi.items():
            if not value > 0:
                raise ValueError(f"sesoi.{metric}: expected a positive number, got {value}")
        return self


class ExperimentSpec(Strict):
    name: SafeName
    description: str = ""
    scenarios: dict[SafeName, Scenario] = Field(min_length=1, max_length=1000)
    design: Design = Field(default_factory=Design)
    replications: int = Field(10, ge=1, le=1_000_000)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    steps: int | None = Field(
        None, ge=1, le=1_000_000, description="overrides every scenario's steps"
    )
    outputs: Outputs = Field(default_factory=Outputs)
    analysis: Analysis = Field(default_factory=Analysis)


def find_config(name: str, spec_path: Path) -> Path:
    """A scenario's config path, like ``extends``: relative to the spec file's folder. A path not
    found there is tried from the working directory, then from the spec folder's parent (how
    specs in ``experiments/`` named ``configs/x.yaml`` before), so older specs keep working."""
    given = Path(name)
    if given.is_absolute():
        candidates = [given]
    else:
        candidates = [spec_path.parent / given, given, spec_path.parent.parent / given]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise ConfigError(f"{spec_path}: scenario config {name!r} not found (looked for {tried})")


def load_spec(path: str | Path) -> ExperimentSpec:
    """Read and validate an experiment spec (errors name the file and the field)."""
    path = Path(path)
    return spec_from_mapping(read_yaml(path), str(path))


def spec_from_mapping(data: Any, source: str) -> ExperimentSpec:
    """Validate a spec given as a mapping (errors name ``source`` and the field)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a spec must be a mapping, got {type(data).__name__}")
    try:
        return ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source, ExperimentSpec)) from None


def scenario_configs(spec: ExperimentSpec, spec_path: Path) -> dict[str, dict]:
    """Each scenario's raw config mapping (extends resolved, its ``set`` and the spec's steps
    applied), validated once so a bad scenario stops the experiment before any run."""
    raws = {}
    for name, scenario in spec.scenarios.items():
        path = find_config(scenario.config, spec_path)
        raw = apply_overrides(resolve_extends(path), scenario.set)
        if spec.steps is not None:
            raw["steps"] = spec.steps
        validate(raw, f"{spec_path}: scenarios.{name} ({path})")
        raws[name] = raw
    return raws


def check_parameters(spec: ExperimentSpec, spec_path: Path) -> None:
    """Every design parameter must name a config key: try each on the defaults."""
    for key, value in spec.design.parameters.items():
        if key == "seed":
            raise ConfigError(
                f"{spec_path}: design.parameters.seed: a design may not vary the seed; every "
                "run's seed comes from the spec's root seed and its replication (raise "
                "replications for more seeds)"
            )
        sample = (
            value.low
            if isinstance(value, Range)
            else (next(iter(value.values())) if isinstance(value, dict) else value[0])
        )
        source = f"{spec_path}: design.parameters"
        try:
            validate(apply_overrides({}, {key: sample}), source)
        except ConfigError as exc:  # one prefix per line: <spec>: design.parameters.<key>: ...
            raise ConfigError(str(exc).replace(f"{source}: ", f"{source}.")) from None


__all__ = ["Config", "ExperimentSpec", "load_spec", "scenario_configs", "spec_from_mapping"]
