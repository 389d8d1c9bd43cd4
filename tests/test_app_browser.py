"""End to end in a real headless Chromium (Debian's package, driven by Playwright; no downloaded
browser): start `opgaven demo` on localhost, load the page offline, step and play, watch the step
counter and a chart change, switch the strategy and reset. Screenshots go to
results/screenshots/ as test artefacts."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "results" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (.ci/run does)", pytrace=False)
    pytest.skip("Debian's chromium is not installed here", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "demo", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail(f"the demo server stopped: {proc.stdout.read()}")
    else:
        proc.kill()
        pytest.fail("the demo server did not answer")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(server)
        page.get_by_role("button", name="Step").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        page.failed_requests = failed
        yield page
        browser.close()


def time_shown(page) -> float:
    text = page.get_by_text("Time:").first.inner_text()
    return float(text.split(":")[1])


def chart_sources(page) -> list[str]:
    return [img.get_attribute("src") or "" for img in page.locator("img").all()]


def test_the_page_loads_offline_with_network_and_charts(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "01-loaded.png", full_page=True)
    assert not [u for u in page.failed_requests if not u.startswith("http://127.0.0.1")]
    body = page.inner_text("body")
    assert "versnippering" in body  # the Dutch headline
    assert len(page.locator("img").all()) >= 3  # network view and two charts
    assert time_shown(page) == 0.0


def test_step_and_play_change_the_counter_and_the_charts(page):
    before = chart_sources(page)
    for _ in range(3):
        page.get_by_role("button", name="Step").click()
        page.wait_for_timeout(600)
    page.wait_for_function("() => document.body.innerText.includes('Time: 3.0')", timeout=30_000)
    page.wait_for_timeout(1500)
    after = chart_sources(page)
    changed = sum(a != b for a, b in zip(before, after, strict=False))
    assert changed >= 2, "the network view and the charts must redraw after a step"
    page.get_by_role("button", name="▶").click()
    page.wait_for_timeout(4000)
    page.get_by_role("button", name="❚❚").click()  # pause
    page.wait_for_timeout(1000)
    assert time_shown(page) > 3.0
    page.screenshot(path=SHOTS / "02-played.png", full_page=True)


def test_switch_the_strategy_and_reset(page):
    page.locator(".v-select").first.click()  # the first select is the preset
    page.get_by_role("option", name="institutional", exact=True).click()
    page.wait_for_timeout(500)
    page.locator("button:visible", has_text="Reset").first.click()
    page.wait_for_function("() => document.body.innerText.includes('Time: 0.0')", timeout=30_000)
    page.get_by_role("button", name="Step").click()
    page.wait_for_function("() => document.body.innerText.includes('Time: 1.0')", timeout=30_000)
    page.screenshot(path=SHOTS / "03-institutional.png", full_page=True)


def test_side_by_side_page(page):
    page.get_by_role("tab", name="Page 1").click()
    page.get_by_role("button", name="10 stappen").click()
    page.wait_for_function("() => document.body.innerText.includes('stap 10')", timeout=60_000)
    page.screenshot(path=SHOTS / "04-side-by-side.png", full_page=True)
    assert "institutioneel" in page.inner_text("body")
