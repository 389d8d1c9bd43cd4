"""One browser session's world: its parameters (from the file ``opgaven demo`` was given, then
the controls), the models built from them, and a runner that steps them and keeps their frames.

Every session (browser tab) builds its own models; nothing here is shared between sessions.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from sim.app.events import Frame, snapshot
from sim.app.labels import KNOB_CHOICES, LANGUAGES
from sim.app.layout import StableLayout
from sim.config import load_config
from sim.config.schema import Config
from sim.model.model import OpgaveModel

PRESETS = ("institutional", "opgave_centred", "hybrid")
COUNTS = {  # control -> (config actor type, slider min, max, step)
    "n_citizens": ("citizen", 0, 400, 10),
    "n_institutions": ("institution", 1, 60, 1),
    "n_companies": ("company", 0, 60, 1),
    "n_spanners": ("boundary_spanner", 0, 30, 1),
}


@dataclass(frozen=True)
class Params:
    """What the controls set: a way of working, knob values ("preset": the way of working's
    own), actor counts, the share of third-order challenges and the seed."""

    preset: str
    knobs: tuple[tuple[str, str], ...]
    counts: tuple[tuple[str, int], ...]
    third_share: float
    seed: int

    def knob(self, name: str) -> str:
        return dict(self.knobs)[name]

    def count(self, name: str) -> int:
        return dict(self.counts)[name]

    def with_knob(self, name: str, value: str) -> Params:
        return replace(self, knobs=tuple((k, value if k == name else v) for k, v in self.knobs))

    def with_count(self, name: str, value: int) -> Params:
        return replace(self, counts=tuple((k, value if k == name else v) for k, v in self.counts))


def config_path() -> str | None:
    """The file ``opgaven demo CONFIG`` was started with (None: the defaults)."""
    return os.environ.get("OPGAVEN_CONFIG") or None


def default_language() -> str:
    """``opgaven demo --lang``; Dutch unless told otherwise."""
    lang = os.environ.get("OPGAVEN_LANG", "nl")
    return lang if lang in LANGUAGES else "nl"


def language_from_query(search: str | None) -> str | None:
    """The language asked for in the address (``?lang=en``), if any."""
    for part in (search or "").split("&"):
        key, _, value = part.partition("=")
        if key == "lang" and value in LANGUAGES:
            return value
    return None


def parse_seed(text: str) -> int | None:
    """A seed typed in: a whole number, 0 or more; anything else gives None."""
    text = str(text).strip()
    return int(text) if text.isdigit() else None


def initial_params(path: str | None = None) -> Params:
    """The controls' starting values: the file's strategy, counts, mix and seed."""
    cfg = load_config(path)
    knobs = tuple(
        (k, _knob_text(getattr(cfg.strategy, k))) for k in KNOB_CHOICES
    )  # a knob the file sets shows that value; the rest follow the way of working
    counts = tuple(
        (name, getattr(cfg.actors, kind).count) for name, (kind, *_rest) in COUNTS.items()
    )
    return Params(cfg.strategy.preset, knobs, counts, float(cfg.opgaven.order_mix.third), cfg.seed)


def _knob_text(value: object) -> str:
    if value is None:
        return "preset"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def build_config(params: Params, path: str | None = None, preset: str | None = None) -> Config:
    """The file's config with the controls' values (and ``preset`` instead, when given)."""
    base = load_config(path)
    overrides = [f"strategy.preset={preset or params.preset}", f"seed={params.seed}"]
    for name, (kind, *_rest) in COUNTS.items():
        overrides.append(f"actors.{kind}.count={params.count(name)}")
    mix = base.opgaven.order_mix
    if abs(params.third_share - mix.third) > 1e-9:  # keep first : second as the file has it
        rest = 1.0 - params.third_share
        first = rest * mix.first / max(mix.first + mix.second, 1e-9)
        overrides += [
            f"opgaven.order_mix.third={params.third_share}",
            f"opgaven.order_mix.first={first}",
            f"opgaven.order_mix.second={rest - first}",
        ]
    for knob, value in params.knobs:
        if preset is not None:  # a side-by-side model follows its own way of working
            value = "preset"
        if value == "preset":
            overrides.append(f"strategy.{knob}=null")
        else:
            value = {"yes": "true", "no": "false"}.get(value, value)
            overrides.append(f"strategy.{knob}={value}")
    return load_config(path, overrides)


class Runner:
    """Steps one or more models together and keeps the frame of each; a lock keeps a step and
    the snapshot that follows it together, whichever thread asks."""

    def __init__(self, configs: list[Config]) -> None:
        self.models = [OpgaveModel(cfg) for cfg in configs]
        self.layouts = [StableLayout(seed=cfg.seed) for cfg in configs]
        self.lock = threading.Lock()
        self.closed = False
        self.frames: list[Frame] = []
        self.frames = [snapshot(m, lay) for m, lay in self._pairs()]

    def _pairs(self) -> list:
        return list(zip(self.models, self.layouts, strict=True))

    @property
    def steps(self) -> int:
        return self.models[0].steps

    def step(self) -> list[Frame]:
        """One step of every model; returns the new frames."""
        with self.lock:
            for m in self.models:
                m.step()
            self.frames = [snapshot(m, lay) for m, lay in self._pairs()]
            return self.frames

    def close(self) -> None:
        """Stop a play loop still running on this runner (its session built a new one)."""
        self.closed = True


def short_path(path: str | None) -> str:
    """The config file's name as the page shows it."""
    return Path(path).name if path else ""
