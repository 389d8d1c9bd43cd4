"""The side-by-side tab: the session's world under two ways of working, two large views and
one play button that steps both."""

from __future__ import annotations

import solara
import solara.lab

from sim.app.labels import label
from sim.app.panels import Choice, Monitors, PlayButtons, Slider
from sim.app.session import PRESETS, Params, Runner, build_config, config_path
from sim.app.svg import legend_html, network_svg


@solara.component
def SideBySideTab(params: Params, lang: str, play_loop) -> None:
    """Left and right: the same config and seed, each with its own way of working."""
    left = solara.use_reactive("institutional")
    right = solara.use_reactive("opgave_centred")
    version = solara.use_reactive(0)
    path = config_path()

    def make() -> Runner:
        return Runner([build_config(params, path, p) for p in (left.value, right.value)])

    runner = solara.use_memo(make, dependencies=[params, left.value, right.value, version.value])
    solara.use_effect(lambda: runner.close, dependencies=[runner])
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(4)
    tick = solara.use_reactive(0)
    tick.get()  # read it, so each new step re-renders this component
    solara.lab.use_task(
        lambda: play_loop(runner, playing, lambda: speed.value, tick, None),
        dependencies=[playing.value, runner],
    )

    def reset() -> None:
        playing.set(False)
        version.set(version.value + 1)

    frames = runner.frames
    with solara.Div(classes=["opgaven-compare"]):
        with solara.Div(classes=["opgaven-compare-bar"]):
            PlayButtons(
                playing, lambda: tick.set(runner.step()[0].step), reset, runner.frames[0].step, lang
            )
            with solara.Div(classes=["opgaven-compare-speed"]):
                Slider(label("speed", lang, n=speed.value), speed.value, 1, 10, 1, speed.set)
            solara.HTML(tag="span", unsafe_innerHTML=label("same_world", lang))
        with solara.Div(classes=["opgaven-pair"]):
            for side, chosen, frame in zip(("left", "right"), (left, right), frames, strict=True):
                with solara.Div(classes=["opgaven-half"]):
                    Choice(
                        label(side, lang),
                        chosen.value,
                        [(p, label(p, lang)) for p in PRESETS],
                        chosen.set,
                    )
                    solara.HTML(
                        tag="div",
                        unsafe_innerHTML=network_svg(frame.graph, frame.pos),
                        classes=["opgaven-network"],
                    )
                    Monitors(frame, lang)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=legend_html(lang),
            classes=["opgaven-legend", "opgaven-legend-row"],
        )
