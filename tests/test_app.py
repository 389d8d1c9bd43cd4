"""The classroom app without a browser: the demo model, the network view, its calm layout,
the components rendered with solara.render, and the animation for slides."""

import ipyvuetify as v
import numpy as np
import pytest
import solara
from PIL import Image

from sim.app import app
from sim.app.animate import animate
from sim.app.labels import LABELS, label
from sim.app.network_view import StableLayout, build_graph
from sim.config import load_config


def test_labels_exist_in_both_languages():
    assert set(LABELS["nl"]) == set(LABELS["en"])
    assert label("fragmentation", "nl") == "versnippering"
    assert label("sensitivity", "nl") == "opgavegevoeligheid"


def test_a_seed_typed_as_text_works_and_reset_rebuilds():
    a = app.DemoModel(seed="7")
    b = app.DemoModel(seed=7)
    assert a.config.seed == b.config.seed == 7
    assert np.array_equal(a.ties.toarray(), b.ties.toarray())
    assert app.DemoModel(seed="not a number").config.seed == 0
    # what SolaraViz's Reset does: the same class with the parameters and a scenario
    again = type(a)(preset="institutional", seed="7", scenario=a.scenario)
    assert again.config.strategy.preset == "institutional" and again.steps == 0


def test_knob_controls_override_the_preset():
    m = app.DemoModel(preset="opgave_centred", citizens="excluded", follows_drift="no")
    knobs = m.strategy.as_dict()
    assert knobs["citizens"] == "excluded" and knobs["follows_drift"] is False
    assert knobs["decomposition"] == "integral"


def test_network_graph_holds_challenges_initiatives_and_members():
    m = app.DemoModel(preset="institutional", third_share=0.0, seed=3)
    m.run_for(30)
    G = build_graph(m)
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"opgave", "initiative", "actor"} <= kinds
    for node, d in G.nodes(data=True):
        if d["kind"] == "initiative":  # every initiative hangs on its challenge
            assert any(G.nodes[n]["kind"] == "opgave" for n in G.neighbors(node))
    members = [n for n, d in G.nodes(data=True) if d["kind"] == "actor" and d["member"]]
    assert members
    # by-mandate pieces of one challenge that share no member are shown as not coordinated
    assert any(not d["coordinated"] for _, d in G.nodes(data=True) if d["kind"] == "initiative")


def test_layout_stays_calm_between_frames():
    m = app.DemoModel(seed=2)
    layout = StableLayout(seed=0)
    m.run_for(10)
    before = dict(layout.update(build_graph(m)))
    m.step()
    G = build_graph(m)
    after = layout.update(G)
    kept = [n for n in G if n in before]
    moved = np.median([np.linalg.norm(after[n] - before[n]) for n in kept])
    extent = np.ptp(np.array(list(before.values())), axis=0).max()
    assert moved < 0.1 * extent
    for node in G:  # new nodes start next to a neighbour, not at random
        if node not in before and any(n in before for n in G.neighbors(node)):
            near = min(np.linalg.norm(after[node] - after[n]) for n in G.neighbors(node))
            assert near < 0.5 * extent


def texts(rc) -> str:
    return " ".join(" ".join(map(str, w.widget.children)) for w in rc.find(v.Html))


def test_page_renders_and_language_switches():
    _box, rc = solara.render(app.page, handle_error=False)
    toggle = rc.find(v.BtnToggle).widget
    assert "versnippering" in texts(rc)
    toggle.v_model = 1  # what clicking "en" does in the browser
    try:
        assert app.language.value == "en"
        assert "fragmentation" in texts(rc) and "versnippering" not in texts(rc)
    finally:
        app.language.value = "nl"


def test_headline_follows_the_model():
    model = app.DemoModel(seed=1)
    _, rc = solara.render(app.Headline(model), handle_error=False)
    assert "verweesd deel van de opgaven: 1.00" in texts(rc)
    model.run_for(30)
    _box, rc = solara.render(app.Headline(model), handle_error=False)
    value = model.datacollector.model_vars["collective_effectiveness"][-1]
    assert f"collectieve effectiviteit: {value:.2f}" in texts(rc)


def test_side_by_side_steps_both_models():
    model = app.DemoModel(seed=4)
    _box, rc = solara.render(app.SideBySide(model), handle_error=False)
    rc.find(v.Btn, children=[label("step_both", "nl")]).widget.click()
    rc.find(v.Btn, children=[label("ten_steps", "nl")]).widget.click()
    flat = texts(rc)
    assert flat.count("stap 11") == 2, flat
    assert "institutioneel" in flat and "opgavegericht" in flat


def test_animation_writes_a_gif(tmp_path):
    cfg = load_config(None, ["steps=12", "actors.citizen.count=40"])
    out = animate(cfg, tmp_path / "net.gif", every=3)
    with Image.open(out) as im:
        assert im.n_frames == 5
    with pytest.raises(ValueError, match=r"\.gif or \.mp4"):
        animate(cfg, tmp_path / "net.avi")


def test_chart_legends_follow_the_language():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], label="fragmentation")
    ax.plot([0, 1], label="participation_citizen")
    ax.legend()
    app.translate_legend(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["versnippering", "burger"]
    plt.close(fig)
