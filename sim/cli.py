"""The ``opgaven`` command: thin, it parses and calls the engine."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sim.cli_analysis import cmd_compare, cmd_params, cmd_sensitivity, cmd_validate, print_dry_run
from sim.cli_args import check_port_free, port_number, positive_int, run_command
from sim.cli_check import cmd_check
from sim.config import Config, load_config
from sim.engine.limits import check_run
from sim.engine.outdir import contents, ensure_writable, refuse_unless_ours
from sim.engine.run import run_config, write_run
from sim.errors import UsageError
from sim.model.outcomes import SUMMARY
from sim.naming import overrides_label
from sim.progress import ProgressReport, human_seconds

console = Console(stderr=True, soft_wrap=True)  # long paths stay on one line in logs

LARGE_HELP = "run past the size limits (see `opgaven check` for the estimate)"


def default_out_dir(name: str, seed: int, label: str = "") -> Path:
    """``results/<name>[-<what --set changed>]-seed<seed>-<time>``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("results") / f"{name}{'-' + label if label else ''}-seed{seed}-{stamp}"


def cmd_run(args: argparse.Namespace) -> int:
    """Run one config; the folder is named after what ``--set`` changed, checked before the run."""
    overrides = list(args.set or [])
    if args.steps is not None:
        overrides.append(f"steps={args.steps}")
    if args.seed is not None:
        overrides.append(f"seed={args.seed}")
    config = load_config(args.config, overrides)
    check_run(config, str(args.config), args.allow_large)
    label = overrides_label(args.set or [])
    out_dir = Path(args.out) if args.out else default_out_dir(config.name, config.seed, label)
    if contents(out_dir) and not args.force:
        raise UsageError(
            f"{out_dir} already holds results; pass --force to overwrite or choose another --out"
        )
    if args.force:
        refuse_unless_ours(out_dir, "run")
    created = not out_dir.exists()
    ensure_writable(out_dir)  # before the run: a result is never computed only to be lost
    try:
        return _run_and_write(args, config, out_dir, label)
    except KeyboardInterrupt:
        if created and not contents(out_dir):
            out_dir.rmdir()  # nothing was written: leave no empty folder behind
        raise


def _run_and_write(args: argparse.Namespace, config: Config, out_dir: Path, label: str) -> int:
    """Run ``config``, store it in ``out_dir`` and print the summary (titled with ``label``)."""
    with ProgressReport(config.name, unit="steps", console=console, quiet=args.quiet) as bar:
        output = run_config(
            config,
            progress=lambda done, total: bar.update(done, 0, total),
            network=not args.no_network,
        )
    write_run(output, out_dir, source=str(args.config), overrides=list(args.set or []))

    final = output.steps.iloc[-1]
    table = Table(
        title=f"{config.name}{' ' + label if label else ''} (seed {config.seed}, "
        f"{config.steps} steps, {output.seconds:.1f} s)"
    )
    table.add_column("metric")
    table.add_column("final", justify="right")
    for name in SUMMARY:
        value = final[name]
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    out = Console()
    if args.set:  # what the folder name's label stands for
        out.print("with " + " ".join(f"--set {o}" for o in args.set), soft_wrap=True)
    out.print(table)
    console.print(f"results in {out_dir}")
    return 0


def cmd_experiment(args: argparse.Namespace) -> int:
    """Run an experiment spec (or print its plan with ``--dry-run``); a folder already holding
    results is refused by the runner with a UsageError unless told how to treat it."""
    from sim.engine.runner import plan_experiment, run_experiment

    plan = plan_experiment(args.spec, allow_large=args.allow_large)
    workers = args.workers or (os.cpu_count() or 1)
    if args.dry_run:
        return print_dry_run(plan, args.executor, workers)

    out = Path(args.out) if args.out else Path("results") / plan.spec.name
    with ProgressReport(plan.spec.name, console=console, quiet=args.quiet) as report:
        outcome = run_experiment(
            plan,
            out,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            retry_failed=args.retry_failed,
            force=args.force,
            extend=args.extend,
            progress=report,
        )
    console.print(
        f"{plan.spec.name}: {outcome.done} runs done, {len(outcome.failed)} failed, "
        f"{outcome.skipped} already stored, in {human_seconds(outcome.seconds)}; "
        f"results in {out}"
    )
    if outcome.interrupted:
        console.print(f"{outcome.reason}: run again with --resume to complete it")
        return outcome.code or 130
    if outcome.failed:
        console.print(
            f"failed runs (tracebacks in {out / 'failures.jsonl'}): "
            + ", ".join(outcome.failed[:10])
            + (" ..." if len(outcome.failed) > 10 else "")
            + "; --retry-failed re-runs them"
        )
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the classroom app (Solara) on localhost; works offline."""
    if args.config:
        load_config(args.config)  # a bad file stops here, with a clear message
    check_port_free(args.host, args.port)  # a busy port is reported now, not by Solara later
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
    """Render the network forming over one run as a GIF or MP4."""
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


def add_executor_options(parser: argparse.ArgumentParser) -> None:
    """``--executor`` and ``--workers``, the same for every command that runs many models."""
    parser.add_argument(
        "--executor",
        choices=["serial", "local", "dask"],
        default="local",
        help="where runs are computed: serial (this process), local (a process pool on this "
        "machine; the default) or dask (a dask.distributed cluster)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        help="parallel worker processes for local or a dask LocalCluster (default: all cores)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand; each option carries help text."""
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
    run.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")
    run.add_argument("--allow-large", action="store_true", help=LARGE_HELP)
    run.add_argument(
        "--no-network",
        action="store_true",
        help="skip network.graphml and the end-of-run network measures (for very large runs)",
    )
    run.set_defaults(func=cmd_run)

    exp = sub.add_parser("experiment", help="run an experiment spec (sweeps with replications)")
    exp.add_argument("spec", help="a YAML spec, e.g. experiments/strategy_comparison.yaml")
    exp.add_argument("--out", help="results folder (default: results/<spec name>)")
    add_executor_options(exp)
    exp.add_argument(
        "--scheduler",
        help="address of a running dask scheduler, e.g. tcp://10.1.2.3:8786 "
        "(default: start a LocalCluster)",
    )
    exp.add_argument("--resume", action="store_true", help="complete an interrupted experiment")
    exp.add_argument("--retry-failed", action="store_true", help="re-run only failed runs")
    exp.add_argument("--force", action="store_true", help="discard the folder's results first")
    exp.add_argument(
        "--extend",
        action="store_true",
        help="add replications to a finished experiment, every other setting unchanged",
    )
    exp.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan, and time and size estimates from a pilot of two full-length runs "
        "per worker; store nothing",
    )
    exp.add_argument("--allow-large", action="store_true", help=LARGE_HELP)
    exp.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")
    exp.set_defaults(func=cmd_experiment)

    cmp_ = sub.add_parser("compare", help="compare the scenarios of an experiment's results")
    cmp_.add_argument("results", help="an experiment's results folder")
    cmp_.add_argument("--baseline", help="scenario to compare against (default: the first)")
    cmp_.add_argument("--metrics", help="comma-separated metrics (default: the headline six)")
    cmp_.add_argument(
        "--at",
        type=int,
        help="compare at this step instead of the end (a step the experiment kept; "
        "anything else is refused with the nearest kept steps)",
    )
    reading = cmp_.add_mutually_exclusive_group()
    reading.add_argument(
        "--mean",
        action="store_true",
        help="compare each run's mean over its kept steps, for every metric",
    )
    reading.add_argument(
        "--state-means",
        action="store_true",
        help="state metrics (fragmentation, orphaned share, completeness, ...) as run means "
        "over the kept steps, cumulative ones as final values (what `make main` uses)",
    )
    cmp_.add_argument(
        "--sesoi",
        action="append",
        metavar="METRIC=VALUE",
        help="smallest effect size of interest for a metric, e.g. fragmentation=0.05 "
        "(repeatable or comma-separated; overrides the spec's and the defaults)",
    )
    cmp_.add_argument("--out", help="report folder (default: RESULTS/report)")
    cmp_.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")
    cmp_.set_defaults(func=cmd_compare)

    sens = sub.add_parser("sensitivity", help="Sobol or Morris indices of an experiment")
    sens.add_argument("results", help="results of an experiment with a sobol or morris design")
    sens.add_argument("--metrics", help="comma-separated metrics (default: the headline six)")
    sens.add_argument(
        "--versus",
        metavar="SCENARIO",
        help="read each other scenario's paired difference to this one (same worlds), and "
        "where it changes sign",
    )
    sens.add_argument(
        "--state-means",
        action="store_true",
        help="read state metrics (fragmentation, orphaned share, ...) as run means over the "
        "kept steps, cumulative ones as final values (default: every metric's final value)",
    )
    sens.add_argument("--out", help="output folder (default: RESULTS/sensitivity)")
    sens.set_defaults(func=cmd_sensitivity)

    val = sub.add_parser("validate", help="test the essay's patterns over paired seeds")
    val.add_argument(
        "--quick", action="store_true", help="10 replications of 120 steps (default: 30 of 200)"
    )
    val.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 only when a pattern fails (an open pattern is a documented finding)",
    )
    add_executor_options(val)
    val.add_argument("--out", help="write the results table as CSV")
    val.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")
    val.set_defaults(func=cmd_validate)

    demo = sub.add_parser("demo", help="serve the classroom app in the browser")
    demo.add_argument("config", nargs="?", help="a scenario to start from (default: defaults)")
    demo.add_argument(
        "--port",
        type=port_number,
        default=8765,
        help="port to serve on, 1 to 65535 (default: 8765)",
    )
    demo.add_argument(
        "--host", default="localhost", help="address to serve on (default: localhost only)"
    )
    demo.add_argument("--open", action="store_true", help="open a browser window")
    demo.add_argument("--lang", choices=["nl", "en"], default="nl", help="the page's language")
    demo.set_defaults(func=cmd_demo)

    anim = sub.add_parser("animate", help="render the network forming over a run (GIF or MP4)")
    anim.add_argument("config", help="a YAML scenario, e.g. configs/hybrid.yaml")
    anim.add_argument("--out", required=True, help="FILE.gif, or FILE.mp4 where ffmpeg exists")
    anim.add_argument("--steps", type=int, help="override the number of steps")
    anim.add_argument("--every", type=positive_int, default=2, help="steps per frame (default: 2)")
    anim.add_argument("--fps", type=positive_int, default=8, help="frames per second (default: 8)")
    anim.add_argument(
        "--lang",
        "--language",
        dest="language",
        choices=["nl", "en"],
        default="nl",
        help="language of the labels: nl (Dutch, the default) or en (English)",
    )
    anim.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override any config key, e.g. strategy.preset=hybrid (repeatable)",
    )
    anim.set_defaults(func=cmd_animate)

    check = sub.add_parser("check", help="validate a config or experiment spec, run nothing")
    check.add_argument("file", help="a YAML scenario or an experiment spec")
    check.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override any config key before checking (repeatable; configs only)",
    )
    check.add_argument("--allow-large", action="store_true", help=LARGE_HELP)
    check.set_defaults(func=cmd_check)

    par = sub.add_parser(
        "params", help="list every config parameter: default, allowed range, type, meaning"
    )
    par.add_argument(
        "--section",
        help="only this section: run, world, actors, opgaven, strategy, dynamics or "
        "dynamics.<mechanism> (e.g. dynamics.agenda)",
    )
    par.add_argument(
        "--markdown", action="store_true", help="print Markdown (what docs/parameters.md holds)"
    )
    par.set_defaults(func=cmd_params)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The ``opgaven`` command. Every refusal is a UsageError, reported once (exit 2)."""
    args = build_parser().parse_args(argv)
    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
