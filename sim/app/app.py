"""The classroom demo: ``opgaven demo [CONFIG]`` serves this page with Solara.

A page of our own rather than Mesa's SolaraViz: one model per browser session, the network view
as the largest element, an HTML legend, Dutch or English throughout, a guided tour, and a play
loop that draws SVG (fast enough for several steps a second). Model state is only read here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import solara
import solara.lab

from sim.app import panels
from sim.app.compare import SideBySideTab
from sim.app.labels import label
from sim.app.session import (
    Params,
    Runner,
    build_config,
    config_path,
    default_language,
    initial_params,
    language_from_query,
)
from sim.app.style import CSS
from sim.app.texts import SCENES, TOUR_LIMIT

language = solara.reactive(default_language())  # one value per browser session
TABS = ("tab_model", "tab_side", "tab_info")


def play_loop(
    runner: Runner,
    playing: solara.Reactive,
    rate: Callable[[], float],
    tick: solara.Reactive,
    after: Callable[[], None] | None,
) -> None:
    """Step ``runner`` while ``playing``, at ``rate()`` steps per second (drawing included)."""
    while playing.value and not runner.closed:
        start = time.perf_counter()
        runner.step()
        tick.set(runner.steps)
        if after is not None:
            after()
        time.sleep(max(0.0, 1.0 / rate() - (time.perf_counter() - start)))


@solara.component
def Page():
    """The whole page: the top bar and the chosen tab."""
    router = solara.use_router()
    asked = language_from_query(router.search)
    solara.use_effect(lambda: language.set(asked) if asked else None, dependencies=[])
    lang = language.value
    tab = solara.use_reactive("tab_model")
    path = config_path()
    params = solara.use_reactive(solara.use_memo(lambda: initial_params(path), []))
    version = solara.use_reactive(0)
    tour = solara.use_reactive(-1)  # the tour's scene, -1: no tour

    def make_runner() -> Runner:
        return Runner([build_config(params.value, path)])

    runner = solara.use_memo(make_runner, dependencies=[params.value, version.value])
    solara.use_effect(lambda: runner.close, dependencies=[runner])
    tick = solara.use_reactive(0)
    tick.get()  # read it, so each new step re-renders this component
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(4)
    waiting = solara.use_reactive(False)  # the tour plays on until its scene's moment
    tour_start = solara.use_reactive(0)

    def after_step() -> None:
        if not waiting.value or tour.value < 0:
            return
        scene = SCENES[tour.value]
        frame = runner.frames[0]
        if scene.waits_for in frame.events or frame.step - tour_start.value >= TOUR_LIMIT:
            waiting.set(False)
            playing.set(False)

    def tour_rate() -> float:
        """While the tour waits for its moment it plays at least 8 steps a second."""
        return max(speed.value, 8) if waiting.value else speed.value

    solara.lab.use_task(
        lambda: play_loop(runner, playing, tour_rate, tick, after_step),
        dependencies=[playing.value, runner],
    )

    def reset(new: Params | None = None) -> None:
        playing.set(False)
        if new is not None and new != params.value:
            params.set(new)
        else:
            version.set(version.value + 1)

    def start_scene(i: int) -> None:
        playing.set(False)
        tour.set(i)
        if i >= len(SCENES) or i < 0:
            tour.set(-1)
            waiting.set(False)
            return
        scene = SCENES[i]
        fresh = scene.preset is not None  # the scene starts the same world afresh
        if fresh:
            knobs = tuple((k, "preset") for k, _ in params.value.knobs)
            params.set(replace(params.value, preset=scene.preset, knobs=knobs))
            version.set(version.value + 1)
        tour_start.set(0 if fresh else runner.steps)
        seen = scene.waits_for in runner.frames[0].events
        if scene.waits_for is not None and (fresh or not seen):
            waiting.set(True)
            playing.set(True)

    def end_tour() -> None:
        tour.set(-1)
        waiting.set(False)
        playing.set(False)

    solara.Style(CSS)
    solara.Title(label("title", lang))
    with solara.Div(classes=["opgaven-page"]):
        with solara.Div(classes=["opgaven-top"]):
            solara.HTML(tag="h1", unsafe_innerHTML=label("title", lang))
            for key in TABS:
                solara.Button(
                    label(key, lang),
                    on_click=lambda key=key: tab.set(key),
                    text=tab.value != key,
                    color="primary",
                    classes=[f"opgaven-tab-{key}"],
                )
            solara.Button(
                label("tour", lang),
                on_click=lambda: (tab.set("tab_model"), start_scene(0)),
                outlined=True,
                color="primary",
                classes=["opgaven-tour"],
            )
            solara.Div(style="flex: 1")
            solara.ToggleButtonsSingle(value=language, values=["nl", "en"])
        if tab.value == "tab_model":
            panels.ModelTab(
                frame=runner.frames[0],
                params=params.value,
                on_params=reset,
                playing=playing,
                speed=speed,
                on_step=lambda: tick.set(runner.step()[0].step),
                on_reset=lambda: (end_tour(), reset()),
                tour=tour.value,
                waiting=waiting.value,
                on_next=lambda: start_scene(tour.value + 1),
                on_end_tour=end_tour,
                lang=lang,
            )
        elif tab.value == "tab_side":
            SideBySideTab(params=params.value, lang=lang, play_loop=play_loop)
        else:
            panels.InfoTab(lang=lang)


page = Page
