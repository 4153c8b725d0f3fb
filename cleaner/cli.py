"""The ``clean`` command: a thin layer over the library.

``clean PATH...`` is short for ``clean run PATH...``: any first argument that is
not a command name is a path, so ``clean ./golden -o out`` cleans a folder
called ``golden``. Exit codes: 0 every document cleaned; 1 some inputs failed
(each reported on stderr, every other document written); 2 usage or rule-file
error (nothing cleaned).
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import click
import typer
from typer.core import TyperGroup

from . import batch, executor, golden as golden_files
from .config import Config
from .explain import explain as render_explanation
from .pipeline import Cleaner
from .progress import Display
from .rules import RULE_STAGES, RuleFileError, load_rules
from .ruletest import check_all

DEFAULT_COMMAND = "run"


class DefaultToRun(TyperGroup):
    """A group where an argument that names no command is a path for ``run``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultToRun,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Clean scraped news and web text into structured JSON documents.\n\n"
         "clean PATH... is short for clean run PATH...",
)
golden_app = typer.Typer(help="Check or update the golden files (expected output of seeds/).", no_args_is_help=True)
rules_app = typer.Typer(help="List the rules in force, or run their own examples.", no_args_is_help=True)
app.add_typer(golden_app, name="golden")
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    auto = "auto"
    json = "json"
    jsonl = "jsonl"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class TextKind(str, Enum):
    auto = "auto"
    whole_page = "whole-page"
    article = "article"


RulesOption = typer.Option(None, "--rules", metavar="DIR",
                           help="A folder (or file) of your own rule files, added to the shipped ones. Repeatable.")
SeedsOption = typer.Option(Path("seeds"), "--seeds", help="The seed inputs.")
GoldenOption = typer.Option(Path("golden"), "--golden", help="Their expected outputs.")
TextKindOption = typer.Option(TextKind.auto, "--text-kind",
                              help="What text inputs are: whole-page (every string of a page, menus and all: its "
                                   "boilerplate is classified line by line), article (an extractor's output), or "
                                   "auto (told per document; recorded as text_kind).")
TimeoutOption = typer.Option(Config.regex_timeout, "--regex-timeout", metavar="SECONDS",
                             help="How long one rule may match one line before the document fails.")
HtmlTimeoutOption = typer.Option(Config.html_timeout, "--html-timeout", metavar="SECONDS",
                                 help="CPU seconds extracting one HTML page may take before the page fails.")


def err(message: str) -> None:
    typer.echo(f"clean: {message}", err=True)


def make_cleaner(rules: Optional[List[Path]], regex_timeout: float = Config.regex_timeout,
                 max_file_bytes: int = Config.max_file_bytes, text_kind: TextKind = TextKind.auto,
                 html_timeout: float = Config.html_timeout) -> Cleaner:
    """The rules and configuration, or exit 2 with every rule-file problem listed."""
    try:
        ruleset = load_rules(rules or [])
    except RuleFileError as e:
        for problem in e.problems:
            err(f"rule file error: {problem}")
        err(f"{len(e.problems)} problem{'s' * (len(e.problems) != 1)} in the rule files; nothing was cleaned.")
        raise typer.Exit(2) from None
    return Cleaner(ruleset, Config(regex_timeout=regex_timeout, html_timeout=html_timeout,
                                   max_file_bytes=max_file_bytes, text_kind=TextKind(text_kind).value))


def all_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken as Ctrl-C is: the run stops and cleans up after itself."""


@contextmanager
def stopped_by_sigterm():
    """SIGTERM (from a scheduler, ``timeout``, ``kill``) raises `Terminated` while the block
    runs, so that a run stopped that way removes its temporary files and stops its
    workers, as one stopped by Ctrl-C does."""
    def terminate(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: left as it is
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_engine(engine: Engine, address: Optional[str], paths: List[str], cleaner: Cleaner,
                opts: executor.Options, display: Display) -> executor.Stats:
    if engine is Engine.ray:
        from .ray_engine import run as run_engine
        kwargs = {"address": address}
    else:
        run_engine, kwargs = executor.run, {}
    return run_engine(paths, cleaner, opts, on_failure=lambda f: display.error(f"clean: error: {f}"),
                      on_progress=display.update, **kwargs)


@app.command("run")
def run_command(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Files, folders, globs or - for stdin: .txt, .html, "
                                      ".htm and .jsonl (one document a line), each plain, .gz or .zst."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output folder (json, jsonl shards, parquet), "
                                          "or a .jsonl file; - (or none) is standard output."),
    fmt: Format = typer.Option(Format.auto, "--format", help="json: one <id>.json per document under -o. "
                               "jsonl: one document a line, in shards part-00000.jsonl under -o DIR, in one -o FILE.jsonl, "
                               "or on stdout. parquet: shards part-00000.parquet under -o DIR. auto: json with -o, else "
                               "jsonl (one indented document for a single input)."),
    shard_size: int = typer.Option(1000, "--shard-size", min=1, help="Inputs per jsonl or parquet shard."),
    workers: int = typer.Option(0, "--workers", "-j", min=0, help="Processes cleaning documents (0: all cores)."),
    force: bool = typer.Option(False, "--force", help="Redo the documents and shards an earlier run already wrote."),
    text_field: str = typer.Option("text", "--text-field", help="The field holding a JSONL document's text."),
    id_field: str = typer.Option("id", "--id-field", help="The field holding a JSONL document's id."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: this machine's cores. ray: a Ray cluster "
                                  "(pip install 'cleaner[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", help="With --engine ray: auto, or ray://HOST:PORT "
                                          "(default: start Ray here)."),
    rules: Optional[List[Path]] = RulesOption,
    text_kind: TextKind = TextKindOption,
    regex_timeout: float = TimeoutOption,
    html_timeout: float = HtmlTimeoutOption,
    max_file_bytes: int = typer.Option(Config.max_file_bytes, "--max-file-bytes",
                                       help="Larger files (or JSONL lines, or what a .gz or .zst inflates to) are "
                                            "reported and skipped."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Clean documents: every .txt, .html, .htm and .jsonl (plain, .gz or .zst) under each folder, each file, or stdin (-)."""
    if output is not None and str(output) == "-":  # as for input, - is the standard stream (a folder: -o ./-)
        output = None
    if fmt in (Format.json, Format.parquet) and output is None:
        err(f"--format {fmt.value} writes files and needs an output folder: add -o DIR.")
        raise typer.Exit(2)
    if output is not None and output.suffix != ".jsonl" and output.exists() and not output.is_dir():
        err(f"{output} is a file; -o needs a folder (or a .jsonl file name with --format jsonl).")
        raise typer.Exit(2)
    if output is not None and output.suffix == ".jsonl" and fmt not in (Format.auto, Format.jsonl):
        err(f"{output} names a .jsonl file; use --format jsonl with it, or give a folder.")
        raise typer.Exit(2)
    cleaner = make_cleaner(rules, regex_timeout, max_file_bytes, text_kind, html_timeout)
    if fmt is Format.auto:
        single = len(paths) == 1 and paths[0] != "-" and Path(paths[0]).is_file() and not paths[0].endswith(
            (".jsonl", ".jsonl.gz", ".jsonl.zst"))
        chosen = "jsonl" if output is not None and output.suffix == ".jsonl" else (
            "json" if output is not None else ("pretty" if single else "jsonl"))
    else:
        chosen = fmt.value
    opts = executor.Options(fmt=chosen, output=output, shard_size=shard_size, workers=workers or all_cores(),
                            force=force, text_field=text_field, id_field=id_field)
    display = Display(quiet)
    try:
        with stopped_by_sigterm():
            stats = _run_engine(engine, address, paths, cleaner, opts, display)
    except KeyboardInterrupt as e:
        done = display.last or executor.Stats()
        display.finish(done, output, True)
        kind = "SIGTERM" if isinstance(e, Terminated) else "Ctrl-C"
        so_far = f"stopped by {kind} after {done.written:,} documents written and {done.failed:,} failed"
        if output is None:
            err(f"{so_far}; standard output does not hold all of them: run the command again.")
        else:
            err(f"{so_far}; every file in {output} is complete: run the same command again to do the rest.")
        raise typer.Exit(143 if isinstance(e, Terminated) else 130) from None
    except (executor.OutputBusy, ImportError) as e:
        display.finish(executor.Stats(), output, True)
        err(str(e))
        raise typer.Exit(2) from None
    except OSError as e:
        display.finish(executor.Stats(), output, True)
        if output is None:
            err(f"cannot write to standard output ({e.strerror or e}), so the run stopped; check where it goes "
                "(a full disk?) and run the command again.")
        else:
            err(f"cannot write to {output} ({e.strerror or e}), so the run stopped. Free space or fix the "
                "permissions, then run the same command again: it keeps what was written and does the rest.")
        raise typer.Exit(2) from None
    display.finish(stats, output, quiet)
    raise typer.Exit(stats.exit_code)


@app.command("explain")
def explain_command(
    path: str = typer.Argument(..., help="One text file, or - for stdin."),
    rules: Optional[List[Path]] = RulesOption,
    text_kind: TextKind = TextKindOption,
    changes_only: bool = typer.Option(False, "--changes", help="Show only the lines something happened to."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the marks (default: on a terminal)."),
) -> None:
    """Show the text with every removed or moved span labelled with its rule."""
    cleaner = make_cleaner(rules, text_kind=text_kind)
    inputs, missing = batch.find_inputs([path])
    if missing or len(inputs) != 1:
        err(f"error: {missing[0] if missing else path + ': give one file, not a folder'}")
        raise typer.Exit(2)
    (inp, result), = batch.clean_inputs(cleaner, inputs)
    if isinstance(result, batch.Failure):
        err(f"error: {result}")
        raise typer.Exit(1)
    use_color = sys.stdout.isatty() if color is None else color
    colours = {"drop": "red", "move": "cyan", "partial": "yellow", "repair": "magenta"}
    style = (lambda text, kind: typer.style(text, fg=colours.get(kind))) if use_color else None
    typer.echo(render_explanation(result, cleaner.rules, changes_only=changes_only, style=style))


@golden_app.command("check")
def golden_check(
    seeds: Path = SeedsOption,
    golden: Path = GoldenOption,
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Re-clean the seeds and compare with the golden files; exit 1 on any difference."""
    cleaner = make_cleaner(rules)
    diffs = golden_files.check(seeds, golden, cleaner)
    for d in diffs:
        typer.echo(str(d))
    if diffs:
        err(f"{len(diffs)} golden difference{'s' * (len(diffs) != 1)}. If the change is intended, review it "
            f"and run `clean golden update`.")
        raise typer.Exit(1)
    typer.echo(f"golden: {len(golden_files.stored(golden))} documents match")


@golden_app.command("update")
def golden_update(
    seeds: Path = SeedsOption,
    golden: Path = GoldenOption,
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Rewrite the golden files from the seeds (the only command that writes them)."""
    cleaner = make_cleaner(rules)
    written, deleted, failures = golden_files.update(seeds, golden, cleaner)
    for f in failures:
        err(f"error: {f}")
    if failures:
        err("golden files left unchanged: every seed must clean before the goldens are rewritten.")
        raise typer.Exit(1)
    for doc_id in written:
        typer.echo(f"wrote   {golden / doc_id}.json")
    for doc_id in deleted:
        typer.echo(f"deleted {golden / doc_id}.json")
    typer.echo(f"golden: {len(written)} written, {len(deleted)} deleted")


@rules_app.command("list")
def rules_list(rules: Optional[List[Path]] = RulesOption) -> None:
    """The rules in force, stage by stage: id, name, stage, description."""
    ruleset = make_cleaner(rules).rules
    for stage in RULE_STAGES:
        for r in ruleset.for_stage(stage):
            typer.echo(f"{r.id:<8} {r.name:<30} {r.stage:<16} {r.description}")


@rules_app.command("test")
def rules_test(rules: Optional[List[Path]] = RulesOption) -> None:
    """Run every rule's own examples (shipped rules and --rules files)."""
    cleaner = make_cleaner(rules)
    results = check_all(cleaner.rules, cleaner.config)
    failed = [(ex, problem) for ex, problem in results if problem]
    for _, problem in failed:
        typer.echo(f"FAIL {problem}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app(prog_name="clean")
