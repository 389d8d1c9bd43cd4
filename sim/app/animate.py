"""Render the network forming over a run, for slides: GIF (Pillow) or MP4 (when ffmpeg exists).

The legend sits in the right-hand part of the figure, outside the network's axes, so no node
ever covers it; the calm layout (gravity, capped moves) keeps loose actors off the border.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.app.network_view import StableLayout, draw
from sim.config.schema import Config
from sim.model.model import OpgaveModel


def frame_figure() -> tuple[Figure, Axes]:
    """A figure for frames: the network on the left, the room for the legend on the right."""
    fig = plt.figure(figsize=(10, 6))
    return fig, fig.add_axes((0.01, 0.01, 0.6, 0.92))


def animate(config: Config, out: Path, every: int = 2, fps: int = 8, language: str = "nl") -> Path:
    """Run ``config`` and write one frame every ``every`` steps to ``out`` (.gif or .mp4), with
    labels in ``language`` ("nl" or "en")."""
    if out.suffix == ".mp4" and not shutil.which("ffmpeg"):
        raise ValueError("writing .mp4 needs ffmpeg on the PATH; write a .gif instead")
    if out.suffix not in (".gif", ".mp4"):
        raise ValueError(f"{out}: the output must end in .gif or .mp4")
    model = OpgaveModel(config)
    layout = StableLayout(seed=config.seed)
    fig, ax = frame_figure()

    def frame(i: int):
        if i:
            for _ in range(every):
                model.step()
        draw(model, layout, ax, language)
        return []

    frames = config.steps // every + 1
    anim = FuncAnimation(fig, frame, frames=frames, blit=False, repeat=False)
    writer = FFMpegWriter(fps=fps) if out.suffix == ".mp4" else PillowWriter(fps=fps)
    out.parent.mkdir(parents=True, exist_ok=True)
    anim.save(out, writer=writer, dpi=90)
    plt.close(fig)
    return out
