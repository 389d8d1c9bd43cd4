"""Shared helpers: small, fast scenarios built from the defaults plus overrides."""

from __future__ import annotations

import pytest

from sim import OpgaveModel, load_config

SMALL = [
    "actors.citizen.count=40",
    "actors.institution.count=10",
    "actors.company.count=6",
    "actors.boundary_spanner.count=3",
    "opgaven.initial=4",
    "opgaven.arrival_rate=0.1",
    "steps=40",
]


def small_config(*overrides: str):
    """A small world (59 actors, a handful of challenges, 40 steps) with extra overrides."""
    return load_config(None, [*SMALL, *overrides])


def run_model(config, steps: int | None = None) -> OpgaveModel:
    model = OpgaveModel(config)
    model.run_for(config.steps if steps is None else steps)
    return model


@pytest.fixture
def small():
    return small_config
