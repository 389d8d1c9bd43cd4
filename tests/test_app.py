"""The classroom app without a browser: labels in two languages, the session's parameters from
a config file, the calm layout, the moments the tour pauses on, the SVG and legend, the page
rendered with solara.render (play, tour, side by side), the GIF and the demo command's checks."""

import itertools
import socket
import time
from pathlib import Path

import ipyvuetify as v
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import solara
from PIL import Image
from solara.widgets import HTML

from sim.app import app
from sim.app.animate import animate, frame_figure
from sim.app.events import FRAGMENTED, ORPHANED, SPANNER_REGIE, detect, snapshot
from sim.app.labels import KNOB_CHOICES, KNOB_VALUES, LABELS, knob_value, label
from sim.app.layout import RADIUS, StableLayout
from sim.app.network_view import build_graph, draw
from sim.app.session import build_config, initial_params, language_from_query, parse_seed
from sim.app.svg import legend_html, network_svg
from sim.cli import main
from sim.config import load_config
from sim.model.model import OpgaveModel
from sim.model.opgave import Status

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_UI = ("Controls", "Model Parameters", "Play Interval", "Render Interval", "Use Threads",
              "Reset", "Step", "Time", "Page 0", "by_mandate", "coordinated_pieces",
              "opgave_centred", "citizens", "step", "fragmentation")  # fmt: skip


def test_labels_exist_in_both_languages_and_dutch_has_no_english_ui_words():
    assert set(LABELS["nl"]) == set(LABELS["en"])
    assert set(KNOB_VALUES["nl"]) == set(KNOB_VALUES["en"])
    for knob, values in KNOB_CHOICES.items():
        for value in ("preset", *values):
            assert knob_value(knob, value, "nl") != value  # never the raw value
    dutch = " ".join([*LABELS["nl"].values(), *KNOB_VALUES["nl"].values()])
    assert not [w for w in ENGLISH_UI if w in dutch]
    assert label("realising", "nl") == "in uitvoering"
    assert label("fragmentation", "nl") == "versnippering"  # from the metric registry
    assert label("step_n", "en", n=3) == "step 3"


def test_the_info_text_is_html_made_here_in_both_languages():
    # rendered in Python, not by Solara's Markdown component, which loads KaTeX from a CDN
    from sim.app.panels import info_html

    for lang, tried in (("en", "Things to try"), ("nl", "Wat kun je proberen?")):
        html = info_html(lang)
        assert html.count("<h3>") == 5 and f"<h3>{tried}</h3>" in html
        assert html.count("<li>") >= 8 and "- " not in html  # the lists became lists
        assert "Manon de Caluwé" in html  # the essay's authors, as the essay names them


def test_the_file_sets_strategy_counts_mix_and_seed():
    path = str(ROOT / "configs" / "institutional.yaml")
    params = initial_params(path)
    file = load_config(path)
    assert params.preset == "institutional"
    assert params.count("n_citizens") == file.actors.citizen.count
    assert params.third_share == pytest.approx(file.opgaven.order_mix.third)
    built = build_config(params, path)
    assert built.model_dump() == file.model_dump()  # untouched controls: exactly the file
    changed = build_config(params.with_count("n_spanners", 3).with_knob("regie", "shared"), path)
    assert changed.actors.boundary_spanner.count == 3 and changed.strategy.regie == "shared"
    other = build_config(params, path, preset="opgave_centred")
    assert other.strategy.preset == "opgave_centred" and other.seed == file.seed


def test_seeds_and_languages_are_checked():
    assert parse_seed("7") == 7 and parse_seed(" 0 ") == 0
    assert parse_seed("abc") is None and parse_seed("-5") is None and parse_seed("1.5") is None
    assert language_from_query("lang=en") == "en"
    assert language_from_query("x=1&lang=nl") == "nl"
    assert language_from_query("lang=fr") is None and language_from_query(None) is None


def run_layout(steps: int, seed: int = 2):
    model = OpgaveModel(load_config(None, [f"seed={seed}"]))
    layout = StableLayout(seed=seed)
    frames = [dict(layout.update(build_graph(model), model.steps))]
    for _ in range(steps):
        model.step()
        frames.append(dict(layout.update(build_graph(model), model.steps)))
    return model, layout, frames


def test_layout_is_calm_and_keeps_loose_actors_off_the_border():
    model, layout, frames = run_layout(40)
    canvas = 2 * RADIUS
    for before, after in itertools.pairwise(frames):
        kept = [n for n in after if n in before]
        moved = np.array([np.linalg.norm(after[n] - before[n]) for n in kept])
        assert (moved > 0.05 * canvas).mean() < 0.02  # was 20–25 % with spring_layout
    radius = np.array([np.linalg.norm(p) for p in frames[-1].values()])
    assert (radius > 0.97 * RADIUS).mean() < 0.05  # no ring of actors on the edge
    # a redraw without a step (a language switch) moves nothing
    again = layout.update(build_graph(model), model.steps)
    assert all(np.array_equal(again[n], frames[-1][n]) for n in again)


def test_moments_are_found_and_reading_them_changes_nothing():
    cfg = load_config(None, ["seed=3"])
    watched, plain = OpgaveModel(cfg), OpgaveModel(cfg)
    seen = {}
    while len(seen) < 2 and watched.steps < 150:
        watched.step()
        plain.step()
        G = build_graph(watched)
        for kind, event in detect(watched, G).items():
            seen.setdefault(kind, event)
            assert all(n in G for n in event.nodes)
    assert FRAGMENTED in seen and ORPHANED in seen  # institutional: pieces, then orphans
    pd.testing.assert_frame_equal(  # the same run, to the last digit
        watched.datacollector.get_model_vars_dataframe(),
        plain.datacollector.get_model_vars_dataframe(),
        check_exact=True,
    )
    centred = OpgaveModel(load_config(None, ["strategy.preset=opgave_centred"]))
    centred.run_for(10)
    assert SPANNER_REGIE in detect(centred, build_graph(centred))


def test_network_svg_and_the_complete_legend():
    model = OpgaveModel(load_config(None, []))
    model.run_for(5)
    frame = snapshot(model, StableLayout())
    svg = network_svg(frame.graph, frame.pos, highlight=["k0"])
    kinds = [d["kind"] for _, d in frame.graph.nodes(data=True)]
    assert svg.count("<rect") == kinds.count("opgave")
    assert svg.count("<circle") == kinds.count("actor") + 1  # and the ring
    for lang in ("nl", "en"):
        legend = legend_html(lang, frame.stages)
        for key in (*(s.name.lower() for s in Status), "initiative", "square_size", "citizen"):
            assert label(key, lang) in legend
    assert f"in uitvoering ({frame.stages[Status.REALISING]})" in legend_html("nl", frame.stages)


def htmls(rc, cls: str) -> list[str]:
    return [w.unsafe_innerHTML for w in rc.find(HTML).widgets if cls in str(w.attributes)]


def wait_for(check, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def settled(read, quiet: float = 3.0, timeout: float = 60.0):
    """What ``read()`` gives once it has not changed for ``quiet`` seconds (a step already in
    flight when the play loop is paused still lands)."""
    deadline = time.monotonic() + timeout
    last, since = read(), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
    return last


def test_page_plays_and_switches_language_without_moving_a_node():
    _box, rc = solara.render(app.Page(), handle_error=False)
    try:
        assert "versnippering" in " ".join(htmls(rc, "opgaven-monitors"))
        play = rc.find(v.Btn, class_="opgaven-play").widget
        play.click()
        wait_for(lambda: "stap 0" not in htmls(rc, "opgaven-step")[0])
        play.click()  # pause
        view = settled(lambda: htmls(rc, "opgaven-network")[0])
        rc.find(v.BtnToggle).widget.v_model = 1  # what clicking "en" does
        assert app.language.value == "en"
        assert htmls(rc, "opgaven-step")[0].startswith("step ")
        assert "fragmentation" in " ".join(htmls(rc, "opgaven-monitors"))
        assert htmls(rc, "opgaven-network")[0] == view
    finally:
        app.language.value = "nl"


def test_changing_a_knob_or_a_count_starts_the_world_afresh():
    _box, rc = solara.render(app.Page(), handle_error=False)
    rc.find(v.Btn, children=[label("one_step", "nl")]).widget.click()
    assert htmls(rc, "opgaven-step") == ["stap 1"]
    rc.find(v.Select, label="werkwijze").widget.v_model = "opgave_centred"
    assert htmls(rc, "opgaven-step") == ["stap 0"]
    rc.find(v.Btn, children=[label("one_step", "nl")]).widget.click()
    citizens = rc.find(v.Slider).widgets[1]  # after the speed slider
    citizens.fire_event("change", 50)  # letting go of the handle
    assert htmls(rc, "opgaven-step") == ["stap 0"]
    assert "burgers: 50" in htmls(rc, "opgaven-slider-label")
    assert "doen mee" in [i["text"] for i in rc.find(v.Select, label="burgers").widget.items]


def test_a_bad_seed_is_refused_with_a_message():
    _box, rc = solara.render(app.Page(), handle_error=False)
    field = rc.find(v.TextField, label="toevalsgetal").widget
    field.v_model = "-5"
    field.fire_event("keyup.enter", None)  # the field commits on enter (or leaving it)
    assert "-5" in " ".join(htmls(rc, "opgaven-error"))
    assert htmls(rc, "opgaven-step") == ["stap 0"]  # the world is not rebuilt with a bad seed
    field.v_model = "abc"
    field.fire_event("keyup.enter", None)
    assert "abc" in " ".join(htmls(rc, "opgaven-error"))
    field.v_model = "12"
    field.fire_event("keyup.enter", None)
    assert not htmls(rc, "opgaven-error")


def test_tour_pauses_on_the_first_fragmented_challenge_and_rings_it():
    _box, rc = solara.render(app.Page(), handle_error=False)
    rc.find(v.Btn, class_="opgaven-tour").widget.click()
    rc.find(v.Btn, children=[label("next", "nl")]).widget.click()
    wait_for(lambda: not rc.find(v.Btn, children=[label("next", "nl")]).widget.disabled)
    assert "opgeknipt" in " ".join(w.unsafe_innerHTML for w in rc.find(HTML, tag="p").widgets)
    assert "opgaven-ring" in htmls(rc, "opgaven-network")[0]


def test_side_by_side_steps_both_worlds():
    params = initial_params(None)
    _box, rc = solara.render(app.SideBySideTab(params, "nl", app.play_loop), handle_error=False)
    assert len(htmls(rc, "opgaven-network")) == 2
    rc.find(v.Btn, children=[label("one_step", "nl")]).widget.click()
    assert htmls(rc, "opgaven-step") == ["stap 1"]
    assert len(rc.find(v.Btn, class_="opgaven-play").widgets) == 1  # one play button


def test_animation_writes_a_gif_in_either_language(tmp_path):
    cfg = load_config(None, ["steps=6", "actors.citizen.count=40"])
    out = animate(cfg, tmp_path / "net.gif", every=3, language="en")
    with Image.open(out) as im:
        assert im.n_frames == 3
    args = [
        "animate",
        str(ROOT / "configs" / "base.yaml"),
        "--out",
        str(tmp_path / "nl.gif"),
        "--lang",
        "nl",
    ]
    assert main([*args, "--steps", "2", "--set", "actors.citizen.count=30"]) == 0
    with pytest.raises(ValueError, match=r"\.gif or \.mp4"):
        animate(cfg, tmp_path / "net.avi")


def test_gif_legend_is_complete_and_beside_the_network():
    model = OpgaveModel(load_config(None, ["actors.citizen.count=60"]))
    fig, ax = frame_figure()
    layout = StableLayout()
    for _ in range(2):  # redrawing replaces the legend, it does not pile up
        model.run_for(3)
        draw(model, layout, ax, "nl")
    fig.canvas.draw()
    assert len(fig.legends) == 1
    legend, network = fig.legends[0].get_window_extent(), ax.get_window_extent()
    assert legend.x0 >= network.x1 and legend.x1 <= fig.bbox.x1  # never covered, never cut
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "opgave: sluimerend" in texts and label("initiative", "nl") in texts
    assert min(t.get_fontsize() for t in fig.legends[0].get_texts()) >= 10
    plt.close(fig)


def test_demo_checks_its_port_at_once(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--port", "80000"])
    assert "1 to 65535" in capsys.readouterr().err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        start = time.monotonic()
        assert main(["demo", "--port", str(port), "--host", "127.0.0.1"]) == 2
        assert time.monotonic() - start < 2
    assert "in use" in capsys.readouterr().err
