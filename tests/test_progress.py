"""Progress: a bar on a terminal, plain lines in a log, nothing before the total is known."""

from io import StringIO

from rich.console import Console

from sim.progress import ProgressReport, human_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def plain(interval: float = 10.0) -> tuple[ProgressReport, StringIO, Clock]:
    buf, clock = StringIO(), Clock()
    console = Console(file=buf, force_terminal=False, width=200)
    return ProgressReport("sweep", console=console, interval=interval, clock=clock), buf, clock


def test_plain_lines_every_interval_with_done_failed_elapsed_remaining():
    report, buf, clock = plain()
    with report:
        report.update(0, 0, 10)
        for done in range(1, 4):  # within the interval: no new line
            clock.now += 2
            report.update(done, 0)
        clock.now += 5  # 11 s since the first line
        report.update(3, 1)
        clock.now += 4
        report.update(9, 1)  # the last one always prints
    lines = buf.getvalue().strip().splitlines()
    assert lines == [
        "sweep: 0/10 runs, 0 failed, 0 s elapsed, remaining time not known yet",
        "sweep: 4/10 runs, 1 failed, 11 s elapsed, about 16 s left",
        "sweep: 10/10 runs, 1 failed, 15 s elapsed, done",
    ]


def test_close_prints_the_last_state_once():
    report, buf, clock = plain()
    with report:
        report.update(0, 0, 5)
        clock.now += 1
        report.update(2, 0)  # interrupted here: not printed by update, printed on close
    lines = buf.getvalue().strip().splitlines()
    assert lines[-1].startswith("sweep: 2/5 runs, 0 failed, 1 s elapsed, about 2 s left")
    assert len(lines) == 2


def test_nothing_before_the_total_is_known():
    report, buf, _ = plain()
    with report:
        report.update(0, 0, None)
    assert buf.getvalue() == ""
    assert "None" not in buf.getvalue()


def test_quiet_reports_nothing():
    buf = StringIO()
    with ProgressReport("x", console=Console(file=buf), quiet=True) as report:
        report.update(1, 0, 2)
        report.update(2, 0, 2)
    assert buf.getvalue() == ""


def test_a_terminal_gets_a_live_bar():
    buf = StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    with ProgressReport("sweep", console=console, unit="steps") as report:
        assert report.live
        report.update(0, 0, 4)
        report.update(4, 0, 4)
    out = buf.getvalue()
    assert "4/4 steps" in out and "━" in out  # the bar's glyph
    assert "elapsed" not in out  # plain lines are for logs only


def test_no_remaining_time_from_a_single_run():
    report, buf, clock = plain(interval=0)
    with report:
        report.update(0, 0, 100)
        clock.now = 75
        report.update(1, 0)  # the first of a chunk: far too early to extrapolate
        report.update(5, 0)
    lines = buf.getvalue().strip().splitlines()
    assert lines[1].endswith("75 s elapsed, remaining time not known yet")
    assert lines[2].endswith("75 s elapsed, about 23.8 min left")


def test_human_seconds():
    assert human_seconds(42) == "42 s"
    assert human_seconds(150) == "2.5 min"
    assert human_seconds(3 * 3600) == "3.0 h"
