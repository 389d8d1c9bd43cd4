"""Sensemaking: recognition through lenses, owner versus collective definitions, disagreement."""

import numpy as np
import pytest

from sim.model.sensemaking import completeness, disagreement, perceived_profiles, recognised
from tests.conftest import run_model, small_config


def test_recognised_needs_a_lens_above_threshold_and_real_need():
    lens = np.array([[0.9, 0.2, 0.6], [0.1, 0.4, 0.1]])
    need = np.array([1.0, 1.0, 0.0])
    assert recognised(lens, need, 0.5).tolist() == [True, False, False]
    assert recognised(np.zeros((0, 3)), need, 0.5).tolist() == [False, False, False]


def test_completeness_by_hand():
    assert completeness(np.array([3.0, 1.0]), np.array([True, False])) == pytest.approx(0.75)


def test_disagreement_by_hand():
    same = perceived_profiles(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([1.0, 1.0]))
    assert disagreement(same) == 0.0
    # pictures (1, 0) and (0, 1): centre (.5, .5), each TV distance 0.5
    apart = perceived_profiles(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 1.0]))
    assert disagreement(apart) == pytest.approx(0.5)


def test_an_owner_never_defines_what_its_lens_cannot_see():
    """Institutions blind outside their mandate (lens 0, no sensitivity, no learning) never put
    an unmandated domain into a definition, whatever happens during the run."""
    cfg = small_config(
        "strategy.preset=institutional",
        "actors.institution.lens_other=0",
        "actors.institution.sensitivity=0",
        "dynamics.leaving.learning_rate=0",
        "opgaven.order_mix.first=0",
        "opgaven.order_mix.second=0",
        "opgaven.order_mix.third=1",
        "steps=60",
    )
    model = run_model(cfg)
    unmandated = ~model.world.mandated
    defined = [op for op in model.opgaven if op.agenda_step >= 0]
    assert defined, "some challenge must reach the agenda for the test to mean anything"
    assert any((op.need[unmandated] > 0).any() for op in defined)
    assert not any(op.definition[unmandated].any() for op in defined)


def test_a_diverse_table_recognises_more():
    cfg = small_config(
        "opgaven.order_mix.first=0",
        "opgaven.order_mix.second=0",
        "opgaven.order_mix.third=1",
        "steps=60",
    )
    owner = run_model(
        cfg.model_copy(
            update={"strategy": cfg.strategy.model_copy(update={"preset": "institutional"})}
        )
    )
    collective = run_model(
        cfg.model_copy(
            update={"strategy": cfg.strategy.model_copy(update={"preset": "opgave_centred"})}
        )
    )

    def score(m):
        return np.mean(
            [completeness(op.need, op.definition) for op in m.opgaven if op.agenda_step >= 0]
        )

    assert score(collective) > score(owner)
