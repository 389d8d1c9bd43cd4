"""The classroom demo: ``opgaven demo [CONFIG]`` serves this page with Solara.

The network forms around the challenges while the class watches; controls set the way of working
(preset and each knob), actor counts, the challenge mix and the seed; a second page shows two
ways of working side by side on the same world. Labels are Dutch or English.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.utils import update_counter

from sim.app.labels import label
from sim.app.network_view import StableLayout, draw
from sim.config.loader import load_config
from sim.model.model import OpgaveModel

language = solara.reactive("nl")
KNOB_CHOICES = {
    "definition": ["preset", "owner", "collective"],
    "table": ["preset", "interest", "added_value"],
    "decomposition": ["preset", "by_mandate", "integral", "coordinated_pieces"],
    "follows_drift": ["preset", "yes", "no"],
    "citizens": ["preset", "excluded", "members"],
    "regie": ["preset", "owner", "boundary_spanner", "shared"],
}


def demo_config(
    preset="hybrid",
    n_citizens=120,
    n_institutions=18,
    n_companies=12,
    n_spanners=6,
    third_share=0.4,
    seed=0,
    **knobs,
):
    """The demo's config: the file given to ``opgaven demo`` (or the defaults) plus controls."""
    seed = int(seed) if str(seed).strip().lstrip("-").isdigit() else 0  # typed in as text
    rest = round(1.0 - float(third_share), 6)
    overrides = [
        f"strategy.preset={preset}",
        f"seed={max(seed, 0)}",
        f"actors.citizen.count={int(n_citizens)}",
        f"actors.institution.count={int(n_institutions)}",
        f"actors.company.count={int(n_companies)}",
        f"actors.boundary_spanner.count={int(n_spanners)}",
        f"opgaven.order_mix.third={float(third_share)}",
        f"opgaven.order_mix.first={rest / 2}",
        f"opgaven.order_mix.second={rest / 2}",
    ]
    for knob, value in knobs.items():
        if value not in (None, "preset"):
            value = {"yes": "true", "no": "false"}.get(value, value)
            overrides.append(f"strategy.{knob}={value}")
    return load_config(os.environ.get("OPGAVEN_CONFIG") or None, overrides)


class DemoModel(OpgaveModel):
    """OpgaveModel built from the app's controls (keyword arguments, as SolaraViz wants)."""

    def __init__(
        self,
        preset="hybrid",
        definition="preset",
        table="preset",
        decomposition="preset",
        follows_drift="preset",
        citizens="preset",
        regie="preset",
        n_citizens=120,
        n_institutions=18,
        n_companies=12,
        n_spanners=6,
        third_share=0.4,
        seed=0,
        scenario=None,
        rng=None,
    ):
        config = demo_config(
            preset,
            n_citizens,
            n_institutions,
            n_companies,
            n_spanners,
            third_share,
            seed,
            definition=definition,
            table=table,
            decomposition=decomposition,
            follows_drift=follows_drift,
            citizens=citizens,
            regie=regie,
        )
        super().__init__(config)
        self.layout = StableLayout(seed=config.seed)


def select(values, value="preset", label_text=None):
    return {"type": "Select", "value": value, "values": values, "label": label_text}


# Control labels in both languages: SolaraViz builds the controls once, before any toggle.
KNOB_LABELS = {
    "definition": "duiding / definition",
    "table": "tafel / table",
    "decomposition": "opknippen / decomposition",
    "follows_drift": "volgt de opgave / follows drift",
    "citizens": "burgers / citizens",
    "regie": "regie",
}
MODEL_PARAMS = {
    "preset": select(
        ["institutional", "opgave_centred", "hybrid"], "hybrid", "werkwijze / way of working"
    ),
    **{k: select(v, "preset", KNOB_LABELS[k]) for k, v in KNOB_CHOICES.items()},
    "n_citizens": {
        "type": "SliderInt",
        "value": 120,
        "min": 0,
        "max": 400,
        "step": 10,
        "label": "burgers / citizens",
    },
    "n_institutions": {
        "type": "SliderInt",
        "value": 18,
        "min": 1,
        "max": 60,
        "step": 1,
        "label": "instituties / institutions",
    },
    "n_companies": {
        "type": "SliderInt",
        "value": 12,
        "min": 0,
        "max": 60,
        "step": 1,
        "label": "bedrijven / companies",
    },
    "n_spanners": {
        "type": "SliderInt",
        "value": 6,
        "min": 0,
        "max": 30,
        "step": 1,
        "label": "verbinders / boundary spanners",
    },
    "third_share": {
        "type": "SliderFloat",
        "value": 0.4,
        "min": 0.0,
        "max": 1.0,
        "step": 0.1,
        "label": "derde-orde opgaven / third-order share",
    },
    "seed": {"type": "InputText", "value": "0", "label": "seed"},
}


@solara.component
def LanguageToggle(model):
    solara.ToggleButtonsSingle(value=language, values=["nl", "en"])


@solara.component
def NetworkView(model):
    update_counter.get()  # re-render after every step, like Mesa's own components
    fig = Figure(figsize=(8, 7), dpi=110)
    layout = getattr(model, "layout", None) or StableLayout()
    draw(model, layout, fig.add_subplot(), language.value)
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def Headline(model):
    update_counter.get()
    frame = model.datacollector.model_vars
    lang = language.value
    with solara.Row():
        for key in ("fragmentation", "collective_effectiveness", "orphaned_share"):
            value = frame[key][-1] if frame.get(key) else 0.0
            solara.Text(f"{label(key, lang)}: {value:.2f}")


@solara.component
def SideBySide(model):
    """Two ways of working on the same world (same config and seed), stepped together."""
    lang = language.value
    left = solara.use_reactive("institutional")
    right = solara.use_reactive("opgave_centred")
    version = solara.use_reactive(0)

    def build(preset):
        cfg = model.config.model_copy(deep=True)
        cfg.strategy.preset = preset
        for knob in KNOB_CHOICES:
            setattr(cfg.strategy, knob, None)
        m = OpgaveModel(cfg)
        m.layout = StableLayout(seed=cfg.seed)
        return m

    pair = solara.use_memo(
        lambda: [build(left.value), build(right.value)],
        dependencies=[left.value, right.value, model.config, version.value],
    )
    tick = solara.use_reactive(0)

    def step(n):
        for _ in range(n):
            for m in pair:
                m.step()
        tick.value += 1

    with solara.Column():
        solara.Markdown(f"### {label('side_by_side', lang)}")
        with solara.Row():
            solara.Select(
                label=label("left", lang),
                value=left,
                values=["institutional", "opgave_centred", "hybrid"],
            )
            solara.Select(
                label=label("right", lang),
                value=right,
                values=["institutional", "opgave_centred", "hybrid"],
            )
            solara.Button(label("step_both", lang), on_click=lambda: step(1))
            solara.Button(label("ten_steps", lang), on_click=lambda: step(10))
            solara.Button(label("reset", lang), on_click=lambda: version.set(version.value + 1))
        with solara.Row():
            for m in pair:
                with solara.Column():
                    fig = Figure(figsize=(6.5, 6), dpi=100)
                    draw(m, m.layout, fig.add_subplot(), lang)
                    solara.FigureMatplotlib(fig, format="png")
                    last = m.datacollector.model_vars
                    values = ", ".join(
                        f"{label(key, lang)} {last[key][-1]:.2f}"
                        for key in ("fragmentation", "collective_effectiveness")
                    )
                    preset = label(m.config.strategy.preset, lang)
                    when = f"{label('step', lang)} {m.steps}"
                    solara.Text(f"{preset}: {values} ({when}, {tick.value})")


def page_model() -> DemoModel:
    return DemoModel()


def translate_legend(ax) -> None:
    """Mesa's plot labels lines by column name; show the chosen language's terms instead."""
    for line in ax.get_lines():
        key = line.get_label()
        name = key.removeprefix("participation_")
        text = label(key, language.value) if name == key else label(name, language.value)
        line.set_label(text)
    if ax.get_legend() is not None:
        ax.legend(fontsize=8)


charts = make_plot_component(
    ["fragmentation", "collective_effectiveness", "orphaned_share"], post_process=translate_legend
)
participation = make_plot_component(
    [
        "participation_citizen",
        "participation_institution",
        "participation_company",
        "participation_boundary_spanner",
    ],
    post_process=translate_legend,
)

page = SolaraViz(
    page_model(),
    components=[
        (LanguageToggle, 0),
        (Headline, 0),
        (NetworkView, 0),
        charts,
        participation,
        (SideBySide, 1),
    ],
    model_params=MODEL_PARAMS,
    name="opgaven",
    play_interval=300,
)
