"""Speed of the classroom demo at its default size (configs' defaults: 296 actors).

Target (issue 15): at least 4 steps a second while playing, drawing included.

    python benchmarks/bench_demo.py             # one session's work per step, in process
    python benchmarks/bench_demo.py --browser   # and the page itself in headless Chromium

In process: a model step, the frame (graph, layout, moments) and the page's SVG and HTML, per
step. In the browser: ``opgaven demo`` on localhost, the speed set to its maximum (10 steps a
second), play for a while and read the step counter: what a class actually sees.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sim.app.events import CHART_KEYS
from sim.app.session import Runner, build_config, initial_params
from sim.app.svg import chart_svg, legend_html, network_svg

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip


def in_process(steps: int = 60) -> tuple[float, dict[str, float]]:
    """Steps per second of one session's work, and the median milliseconds of each part."""
    runner = Runner([build_config(initial_params(None))])
    parts: dict[str, list[float]] = {"step + frame": [], "svg + html": []}
    start = time.perf_counter()
    for _ in range(steps):
        t0 = time.perf_counter()
        frame = runner.step()[0]
        t1 = time.perf_counter()
        network_svg(frame.graph, frame.pos)
        legend_html("nl", frame.stages)
        chart_svg([(k, "#000", frame.series[k]) for k in CHART_KEYS], "stap", "aandeel")
        t2 = time.perf_counter()
        parts["step + frame"].append(t1 - t0)
        parts["svg + html"].append(t2 - t1)
    rate = steps / (time.perf_counter() - start)
    return rate, {k: 1000 * statistics.median(v) for k, v in parts.items()}


def in_browser(seconds: float = 15.0) -> float:
    """Steps per second the page shows while playing at full speed in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "demo", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.locator(".opgaven-play").wait_for(timeout=60_000)
            page.locator(".opgaven-controls .v-slider__thumb-container").first.focus()
            page.keyboard.press("End")  # the speed slider to its maximum
            page.wait_for_timeout(500)
            play = page.locator(".opgaven-play")
            play.click()
            page.wait_for_timeout(2000)  # the first steps, then measure
            first, t0 = step_shown(page), time.perf_counter()
            page.wait_for_timeout(seconds * 1000)
            last, t1 = step_shown(page), time.perf_counter()
            play.click()
            browser.close()
        return (last - first) / (t1 - t0)
    finally:
        server.terminate()
        server.wait(10)


def step_shown(page) -> int:
    return int(page.locator(".opgaven-step").inner_text().split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium")
    args = parser.parse_args()
    rate, parts = in_process()
    detail = ", ".join(f"{k} {v:.0f} ms" for k, v in parts.items())
    print(f"in process: {rate:.1f} steps/s ({detail})")
    ok = rate >= 4
    if args.browser:
        shown = in_browser()
        print(f"in the browser (speed at maximum): {shown:.1f} steps/s")
        ok = ok and shown >= 4
    print("target (>= 4 steps/s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
