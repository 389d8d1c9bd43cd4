"""The parts of the page: the model tab (controls, network view, tour, monitors, legend and
charts) and the Info tab. The side-by-side tab is in :mod:`sim.app.compare`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import markdown
import reacton.ipyvuetify as rv
import solara
from reacton.ipyvue import use_event

from sim.app.events import CHART_KEYS, MONITOR_KEYS, PARTICIPATION_KEYS, Frame
from sim.app.labels import KNOB_CHOICES, knob_name, knob_value, label, number
from sim.app.network_view import TYPE_COLOURS
from sim.app.session import COUNTS, PRESETS, Params, config_path, parse_seed
from sim.app.svg import chart_key_html, chart_svg, legend_html, network_svg
from sim.app.texts import INFO, NOT_SEEN, SCENES, TOUR_LIMIT, WAITING
from sim.model.outcomes import METRICS

CHART_COLOURS = {
    "fragmentation": "#c00000",
    "collective_effectiveness": "#2e75b6",
    "orphaned_share": "#7030a0",
}


@solara.component
def Choice(text: str, value: str, items: list[tuple[str, str]], on_value: Callable) -> None:
    """A drop-down whose values are shown by name (in the page's language)."""
    rv.Select(
        label=text,
        v_model=value,
        items=[{"text": name, "value": key} for key, name in items],
        on_v_model=on_value,
        dense=True,
        hide_details=True,
        outlined=True,
        class_="opgaven-select",
    )


@solara.component
def Slider(text: str, value: int, low: int, high: int, step: int, on_value: Callable) -> None:
    """A slider with its name and current value above it, full width; it reports the value
    when the handle is let go, so dragging does not rebuild the world at every tick."""
    solara.HTML(tag="div", unsafe_innerHTML=text, classes=["opgaven-slider-label"])
    slider = rv.Slider(v_model=value, min=low, max=high, step=step, hide_details=True, dense=True)
    use_event(slider, "change", lambda _w, _e, data: on_value(int(data)))


@solara.component
def PlayButtons(
    playing: solara.Reactive, on_step: Callable, on_reset: Callable, step: int, lang: str
) -> None:
    """Go/pause, one step, reset and the step counter."""
    with solara.Div(classes=["opgaven-buttons"]):
        solara.Button(
            label("pause" if playing.value else "play", lang),
            on_click=lambda: playing.set(not playing.value),
            color="primary",
            classes=["opgaven-play"],
        )
        solara.Button(label("one_step", lang), on_click=on_step, disabled=playing.value)
        solara.Button(label("reset", lang), on_click=on_reset)
        step_text = label("step_n", lang, n=step)
        solara.HTML(tag="div", unsafe_innerHTML=step_text, classes=["opgaven-step"])


@solara.component
def Controls(params: Params, on_params: Callable[[Params], None], speed, lang: str) -> None:
    """The way of working and the world; any change starts the session's world afresh."""
    seed_text = solara.use_reactive(str(params.seed))
    bad_seed = solara.use_reactive("")

    def commit_seed(text: str) -> None:
        seed_text.set(text)
        seed = parse_seed(text)
        if seed is None:
            bad_seed.set(text)
            return
        bad_seed.set("")
        on_params(replace(params, seed=seed))

    Slider(label("speed", lang, n=speed.value), speed.value, 1, 10, 1, speed.set)
    solara.HTML(tag="h3", unsafe_innerHTML=label("way_of_working", lang))
    Choice(
        label("preset", lang),
        params.preset,
        [(p, label(p, lang)) for p in PRESETS],
        lambda p: on_params(replace(params, preset=p)),
    )
    for knob, values in KNOB_CHOICES.items():
        Choice(
            knob_name(knob, lang),
            params.knob(knob),
            [(v, knob_value(knob, v, lang)) for v in ("preset", *values)],
            lambda v, knob=knob: on_params(params.with_knob(knob, v)),
        )
    solara.HTML(tag="h3", unsafe_innerHTML=label("world", lang))
    for name, (_kind, low, high, step) in COUNTS.items():
        Slider(
            label(name, lang, n=params.count(name)),
            params.count(name),
            low,
            high,
            step,
            lambda n, name=name: on_params(params.with_count(name, n)),
        )
    Slider(
        label("third_share", lang, n=round(100 * params.third_share)),
        round(100 * params.third_share),
        0,
        100,
        10,
        lambda n: on_params(replace(params, third_share=n / 100)),
    )
    solara.InputText(
        label("seed", lang), value=seed_text.value, on_value=commit_seed, continuous_update=False
    )
    if bad_seed.value:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=label("bad_seed", lang, value=bad_seed.value),
            classes=["opgaven-error"],
        )
    solara.HTML(tag="div", unsafe_innerHTML=label("applies", lang), classes=["opgaven-note"])
    path = config_path()
    if path:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=label("from_file", lang, file=Path(path).name),
            classes=["opgaven-note"],
        )


def monitor_text(key: str, frame: Frame, lang: str) -> str:
    """A monitor's value: a count as a whole number, a share with two decimals."""
    values = frame.series.get(key) or [0.0]
    return number(values[-1], lang, 0 if METRICS[key].unit == "count" else 2)


@solara.component
def Monitors(frame: Frame, lang: str, keys=MONITOR_KEYS) -> None:
    """NetLogo-style monitors: a name and a large value each."""
    cells = "".join(
        f"<div class='opgaven-monitor'><span>{label(k, lang)}</span>"
        f"<b>{monitor_text(k, frame, lang)}</b></div>"
        for k in keys
    )
    solara.HTML(tag="div", unsafe_innerHTML=cells, classes=["opgaven-monitors"])


@solara.component
def Charts(frame: Frame, lang: str) -> None:
    """Two titled charts with Dutch (or English) axes and a key with the current values."""
    outcomes = [(label(k, lang), CHART_COLOURS[k], frame.series[k]) for k in CHART_KEYS]
    taking_part = [
        (label(k, lang), TYPE_COLOURS[k.removeprefix("participation_")], frame.series[k])
        for k in PARTICIPATION_KEYS
    ]
    for title, series in (("chart_outcomes", outcomes), ("chart_participation", taking_part)):
        html = (
            f"<h3>{label(title, lang)}</h3>"
            + chart_svg(series, label("step", lang), label("axis_share", lang), lang)
            + chart_key_html(series, lang)
        )
        solara.HTML(tag="div", unsafe_innerHTML=html, classes=["opgaven-chart"])


@solara.component
def TourCard(scene_index: int, frame: Frame, waiting: bool, on_next, on_end, lang: str) -> None:
    """The tour's current scene: one or two sentences, then Next."""
    scene = SCENES[scene_index]
    text = scene.text[lang]
    if waiting:  # the text comes when its moment does
        text = f"<i>{WAITING[lang]}</i>"
    elif scene.waits_for and scene.waits_for not in frame.events:
        text = NOT_SEEN[lang].format(n=TOUR_LIMIT)
    with solara.Div(classes=["opgaven-tourcard"]):
        solara.HTML(tag="p", unsafe_innerHTML=text)
        with solara.Div(classes=["opgaven-buttons"]):
            if scene_index + 1 < len(SCENES):
                solara.Button(
                    label("next", lang), on_click=on_next, color="primary", disabled=waiting
                )
            solara.Button(label("end_tour", lang), on_click=on_end, text=True)


@solara.component
def ModelTab(
    frame: Frame,
    params: Params,
    on_params,
    playing,
    speed,
    on_step,
    on_reset,
    tour: int,
    waiting: bool,
    on_next,
    on_end_tour,
    lang: str,
) -> None:
    """Controls on the left, the network in the middle, tour, monitors, legend, charts right."""
    highlight: tuple[str, ...] = ()
    if tour >= 0 and SCENES[tour].waits_for in frame.events:
        highlight = frame.events[SCENES[tour].waits_for].nodes
    with solara.Div(classes=["opgaven-main"]):
        with solara.Div(classes=["opgaven-controls"]):
            PlayButtons(playing, on_step, on_reset, frame.step, lang)
            Controls(params, on_params, speed, lang)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=network_svg(frame.graph, frame.pos, highlight),
            classes=["opgaven-network"],
        )
        with solara.Div(classes=["opgaven-side"]):
            if tour >= 0:
                TourCard(tour, frame, waiting, on_next, on_end_tour, lang)
            Monitors(frame, lang)
            solara.HTML(
                tag="div",
                unsafe_innerHTML=legend_html(lang, frame.stages, bool(highlight)),
                classes=["opgaven-legend"],
            )
            Charts(frame, lang)


@solara.component
def InfoTab(lang: str) -> None:
    """What it is, how it works, things to notice, things to try (as NetLogo's Info tab)."""
    solara.HTML(tag="div", unsafe_innerHTML=info_html(lang), classes=["opgaven-info"])


@cache
def info_html(lang: str) -> str:
    """The Info text as HTML, rendered here: Solara's Markdown component loads KaTeX (for
    formulas this text does not have) from a CDN that a classroom offline cannot reach, and
    solara-assets does not carry it."""
    return markdown.markdown(INFO[lang])
