"""Scenario configs: the schema, loading with ``extends`` and ``--set``, and clear errors."""

from sim.config.loader import ConfigError, apply_overrides, load_config, validate
from sim.config.schema import ACTOR_TYPES, Config

__all__ = ["ACTOR_TYPES", "Config", "ConfigError", "apply_overrides", "load_config", "validate"]
