"""The ``opgaven`` command: thin, it parses and calls the engine."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sim.config import ACTOR_TYPES, ConfigError, load_config
from sim.engine.run import run_config, write_run
from sim.model.outcomes import HEADLINE, SUMMARY

console = Console(stderr=True)


def default_out_dir(name: str, seed: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("results") / f"{name}-seed{seed}-{stamp}"


def cmd_run(args: argparse.Namespace) -> int:
    overrides = list(args.set or [])
    if args.steps is not None:
        overrides.append(f"steps={args.steps}")
    if args.seed is not None:
        overrides.append(f"seed={args.seed}")
    config = load_config(args.config, overrides)
    out_dir = Path(args.out) if args.out else default_out_dir(config.name, config.seed)
    if out_dir.exists() and any(out_dir.iterdir()) and not args.force:
        print(
            f"error: {out_dir} already holds results; pass --force to overwrite or choose "
            "another --out",
            file=sys.stderr,
        )
        return 2

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=args.quiet) as bar:
        task = bar.add_task(config.name, total=config.steps)
        output = run_config(config, progress=lambda done, total: bar.update(task, completed=done))
    write_run(output, out_dir, source=str(args.config))

    final = output.steps.iloc[-1]
    table = Table(
        title=f"{config.name} (seed {config.seed}, {config.steps} steps, {output.seconds:.1f} s)"
    )
    table.add_column("metric")
    table.add_column("final", justify="right")
    for name in SUMMARY:
        value = final[name]
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    Console().print(table)
    console.print(f"results in {out_dir}")
    return 0


def cmd_experiment(args: argparse.Namespace) -> int:
    from sim.engine.runner import dry_run, plan_experiment, run_experiment

    plan = plan_experiment(args.spec)
    workers = args.workers or (os.cpu_count() or 1)
    if args.dry_run:
        est = dry_run(plan, workers)
        table = Table(title=f"plan: {plan.spec.name} (nothing run)")
        table.add_column("")
        table.add_column("", justify="right")
        table.add_row("runs", f"{est['runs']:,}")
        table.add_row(
            "scenarios x design points x replications",
            f"{est['scenarios']} x {est['design_points']} x {est['replications']}",
        )
        table.add_row("seconds per run (pilot)", f"{est['seconds_per_run']:.2f}")
        table.add_row(
            f"estimated time on {workers} workers", human_seconds(est["estimated_seconds"])
        )
        table.add_row("estimated output size", f"{est['estimated_bytes'] / 1e6:.1f} MB")
        Console().print(table)
        return 0

    out = Path(args.out) if args.out else Path("results") / plan.spec.name
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} runs, {task.fields[failed]} failed"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=args.quiet) as bar:
        task = bar.add_task(plan.spec.name, total=None, failed=0)

        def report(done: int, failed: int, total: int) -> None:
            bar.update(task, completed=done + failed, total=total, failed=failed)

        outcome = run_experiment(
            plan,
            out,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            retry_failed=args.retry_failed,
            force=args.force,
            progress=report,
        )
    console.print(
        f"{plan.spec.name}: {outcome.done} runs done, {len(outcome.failed)} failed, "
        f"{outcome.skipped} already stored, in {human_seconds(outcome.seconds)}; "
        f"results in {out}"
    )
    if outcome.interrupted:
        console.print(f"{outcome.reason}: run again with --resume to complete it")
        return 130
    if outcome.failed:
        console.print(
            f"failed runs (tracebacks in {out / 'failures.jsonl'}): "
            + ", ".join(outcome.failed[:10])
            + (" ..." if len(outcome.failed) > 10 else "")
            + "; --retry-failed re-runs them"
        )
        return 1
    return 0


def human_seconds(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def cmd_compare(args: argparse.Namespace) -> int:
    from sim import results
    from sim.analysis.compare import Reading
    from sim.analysis.report import write_report

    res = results.load(args.results)
    out = Path(args.out) if args.out else Path(args.results) / "report"
    metrics = [m.strip() for m in args.metrics.split(",")] if args.metrics else None
    try:
        reading = Reading(at=args.at, mean=args.mean)
        paths = write_report(res, out, baseline=args.baseline, metrics=metrics, reading=reading)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    console.print(f"report in {paths['html']} (and report.md, comparison.csv, figures)")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from sim import results
    from sim.analysis.sensitivity import write_sensitivity

    res = results.load(args.results)
    out = Path(args.out) if args.out else Path(args.results) / "sensitivity"
    metrics = [m.strip() for m in args.metrics.split(",")] if args.metrics else list(HEADLINE)
    try:
        paths = write_sensitivity(res, out, metrics)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    notes = paths["notes"].read_text().strip()
    console.print(f"indices in {paths['csv']}" + (f"\n{notes}" if notes else ""))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.analysis.validation import validate_patterns

    mode = "quick" if args.quick else "full"
    console.print(f"validating the model's patterns ({mode} mode) ...")
    table = validate_patterns(quick=args.quick, executor=args.executor, workers=args.workers)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out, index=False)
    view = Table(title=f"pattern-oriented validation ({mode})")
    for column in ("#", "pattern", "essay", "expected", "effect [95% CI]", "p", "verdict"):
        view.add_column(column, overflow="fold")
    for row in table.itertuples():
        view.add_row(
            str(row.pattern),
            row.name,
            row.source,
            row.expected,
            f"{row.effect:+.3g} [{row.ci_low:+.3g}, {row.ci_high:+.3g}]",
            f"{row.p_value:.2g}",
            "[green]pass[/green]" if row.passed else "[red]FAIL[/red]",
        )
    Console(width=160).print(view)
    return 0 if table.passed.all() else 1


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (for ``opgaven demo --port``)."""
    port = int(text) if text.strip().isdigit() else -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (a whole number, 1 to 65535)")
    return port


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on ``host:port`` (say so at once, not after 10 s)."""
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the classroom app (Solara) on localhost; works offline."""
    if args.config:
        load_config(args.config)  # a bad file stops here, with a clear message
    if port_in_use(args.host, args.port):
        print(f"error: port {args.port} on {args.host} is in use; choose another with --port",
              file=sys.stderr)  # fmt: skip
        return 2
    app = Path(__file__).resolve().parent / "app" / "app.py"
    env = {
        **os.environ,
        "OPGAVEN_CONFIG": str(Path(args.config).resolve()) if args.config else "",
        "OPGAVEN_LANG": args.lang,
        "SOLARA_THEME_SHOW_BANNER": "False",  # no English "runs on Solara" line on the page
    }
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--port",
        str(args.port),
        "--host",
        args.host,
        "--production",
        "--no-check-version",  # offline: never ask pypi.org for a newer Solara
    ]
    if not args.open:
        command.append("--no-open")
    console.print(f"opgaven demo on http://{args.host}:{args.port} (Ctrl-C stops it)")
    sys.stdout.flush()
    # become the server, so stopping this process stops it (no orphan keeps the port)
    os.execve(sys.executable, command, env)
    return 0  # not reached


def cmd_animate(args: argparse.Namespace) -> int:
    from sim.app.animate import animate

    overrides = list(args.set or [])
    if args.steps is not None:
        overrides.append(f"steps={args.steps}")
    config = load_config(args.config, overrides)
    try:
        out = animate(
            config, Path(args.out), every=args.every, fps=args.fps, language=args.language
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    console.print(f"animation in {out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a config file, or an experiment spec (with its scenarios and design)."""
    from sim.config.loader import read_yaml

    if "scenarios" in read_yaml(Path(args.file)):
        from sim.engine.runner import plan_experiment

        plan = plan_experiment(args.file)
        console.print(
            f"[green]ok[/green] {args.file}: experiment {plan.spec.name}, {len(plan.runs)} runs"
        )
        return 0
    config = load_config(args.file, list(args.set or []))
    actors = sum(getattr(config.actors, t).count for t in ACTOR_TYPES)
    console.print(
        f"[green]ok[/green] {args.file}: {config.name}, {actors} actors, "
        f"{config.steps} steps, preset {config.strategy.preset}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opgaven",
        description="Networks forming around societal challenges (after de Caluwé & Kaats).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one model from a config file")
    run.add_argument("config", help="a YAML scenario, e.g. configs/hybrid.yaml")
    run.add_argument("--steps", type=int, help="override the number of steps")
    run.add_argument("--seed", type=int, help="override the seed")
    run.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override any config key, e.g. strategy.preset=hybrid (repeatable)",
    )
    run.add_argument("--out", help="output folder (default: a new folder under results/)")
    run.add_argument("--force", action="store_true", help="overwrite an output folder in use")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    exp = sub.add_parser("experiment", help="run an experiment spec (sweeps with replications)")
    exp.add_argument("spec", help="a YAML spec, e.g. experiments/strategy_comparison.yaml")
    exp.add_argument("--out", help="results folder (default: results/<spec name>)")
    exp.add_argument("--executor", choices=["serial", "local", "dask"], default="local")
    exp.add_argument("--workers", type=int, help="processes (default: all cores)")
    exp.add_argument("--scheduler", help="dask scheduler address (default: a LocalCluster)")
    exp.add_argument("--resume", action="store_true", help="complete an interrupted experiment")
    exp.add_argument("--retry-failed", action="store_true", help="re-run only failed runs")
    exp.add_argument("--force", action="store_true", help="discard the folder's results first")
    exp.add_argument("--dry-run", action="store_true", help="print the plan and estimates only")
    exp.add_argument("--quiet", action="store_true", help="no progress bar")
    exp.set_defaults(func=cmd_experiment)

    cmp_ = sub.add_parser("compare", help="compare the scenarios of an experiment's results")
    cmp_.add_argument("results", help="an experiment's results folder")
    cmp_.add_argument("--baseline", help="scenario to compare against (default: the first)")
    cmp_.add_argument("--metrics", help="comma-separated metrics (default: the headline six)")
    cmp_.add_argument("--at", type=int, help="compare at this step instead of the end")
    cmp_.add_argument(
        "--mean",
        action="store_true",
        help="compare each run's mean over its kept steps (steadier for state "
        "metrics such as fragmentation)",
    )
    cmp_.add_argument("--out", help="report folder (default: RESULTS/report)")
    cmp_.set_defaults(func=cmd_compare)

    sens = sub.add_parser("sensitivity", help="Sobol or Morris indices of an experiment")
    sens.add_argument("results", help="results of an experiment with a sobol or morris design")
    sens.add_argument("--metrics", help="comma-separated metrics (default: the headline six)")
    sens.add_argument("--out", help="output folder (default: RESULTS/sensitivity)")
    sens.set_defaults(func=cmd_sensitivity)

    val = sub.add_parser("validate", help="test the essay's patterns over paired seeds")
    val.add_argument("--quick", action="store_true", help="10 replications of 120 steps")
    val.add_argument("--executor", choices=["serial", "local", "dask"], default="local")
    val.add_argument("--workers", type=int)
    val.add_argument("--out", help="write the results table as CSV")
    val.set_defaults(func=cmd_validate)

    demo = sub.add_parser("demo", help="serve the classroom app in the browser")
    demo.add_argument("config", nargs="?", help="a scenario to start from (default: defaults)")
    demo.add_argument("--port", type=port_number, default=8765, help="1 to 65535")
    demo.add_argument("--host", default="localhost")
    demo.add_argument("--open", action="store_true", help="open a browser window")
    demo.add_argument("--lang", choices=["nl", "en"], default="nl", help="the page's language")
    demo.set_defaults(func=cmd_demo)

    anim = sub.add_parser("animate", help="render the network forming over a run (GIF or MP4)")
    anim.add_argument("config")
    anim.add_argument("--out", required=True, help="FILE.gif, or FILE.mp4 where ffmpeg exists")
    anim.add_argument("--steps", type=int)
    anim.add_argument("--every", type=int, default=2, help="steps per frame")
    anim.add_argument("--fps", type=int, default=8)
    anim.add_argument("--lang", "--language", dest="language", choices=["nl", "en"], default="nl")
    anim.add_argument("--set", action="append", metavar="KEY=VALUE")
    anim.set_defaults(func=cmd_animate)

    check = sub.add_parser("check", help="validate a config or experiment spec, run nothing")
    check.add_argument("file")
    check.add_argument("--set", action="append", metavar="KEY=VALUE")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"config error\n{exc}", file=sys.stderr)  # plain: a message is never re-wrapped
        return 2


if __name__ == "__main__":
    sys.exit(main())
