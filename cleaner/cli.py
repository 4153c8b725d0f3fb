"""The ``clean`` command: a thin layer over the library (`cleaner.runner.run` and friends).

``clean PATH...`` is short for ``clean run PATH...``: a first argument that is not
a command name is a path, so ``clean ./golden -o out`` cleans a folder called
``golden`` (a misspelled command that names no path is an error with a
suggestion). With no path and a pipe on stdin, stdin is the input. Exit codes: 0
every document cleaned; 1 some inputs failed (each reported on stderr, every
other document written) or none was found; 2 usage or rule-file error (nothing
cleaned), or an output that cannot be written.

This module holds ``run`` and ``explain``; the ``rules`` and ``golden`` commands are
`cleaner.clirules` and `cleaner.cligolden`, and what the commands share (``--rules``, loading the rules) is
`cleaner.clibase`.
"""

from __future__ import annotations

import difflib
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer

from . import __version__
from .batch import GLOB_CHARS, STDIN
from .builtin import BUILTIN_RULES
from .clibase import Group, RulesOption, TextKind, err, make_cleaner
from .clidiff import diff_command
from .cligolden import golden_app
from .clirules import rules_app
from .config import Config
from .explain import clean_for_explaining, explain as render_explanation
from .outputdir import OutputBusy
from .outputs import OutputError
from .pipeline import Cleaner
from .progress import Display, skipped_line
from .records import Failure, Stats
from .runner import run
from .units import format_size, parse_size

DEFAULT_COMMAND = "run"
HELP_OPTIONS = ("-h", "--help")


def stdin_is_piped() -> bool:
    return sys.stdin is not None and not sys.stdin.isatty()


class DefaultToRun(Group):
    """The top group: an argument that names no command is a path for ``run``; no argument
    at all, with a pipe on stdin, is stdin."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and stdin_is_piped():
            args = [STDIN]
        if args and args[0] not in self.commands and args[0] not in (*HELP_OPTIONS, "--version"):
            first = args[0]
            # a word, not a path: no dot, no slash, no wildcard (explain.txt is a missing file, not a typo)
            if not (set(first) & {*GLOB_CHARS, "-", ".", "/", "\\"}) and not Path(first).exists():
                close = difflib.get_close_matches(first, list(self.commands), n=1, cutoff=0.6)
                if close:
                    ctx.fail(f"No such command {first!r}, and no such file or folder. Did you mean {close[0]!r}?")
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return ["[OPTIONS] PATH... | COMMAND [ARGS]..."]


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"clean (cleaner) {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=DefaultToRun,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": list(HELP_OPTIONS)},
    help="Clean scraped news and web text into structured JSON documents.\n\n"
         "clean PATH... is short for clean run PATH...; with no PATH and a pipe on stdin, stdin is read. "
         "Every option of every command: docs/cli.md. The detectors and stages of installed plugins are used "
         "(docs/plugins.md).",
)
app.add_typer(golden_app, name="golden")
app.add_typer(rules_app, name="rules")
app.command("diff")(diff_command)


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Clean scraped news and web text into structured JSON documents."""


class Format(str, Enum):
    auto = "auto"
    json = "json"
    jsonl = "jsonl"
    parquet = "parquet"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


TextKindOption = typer.Option(TextKind.auto, "--text-kind",
                              help="What text inputs are: whole-page (every string of a page, menus and all: its "
                                   "boilerplate is classified line by line), article (an extractor's output), or "
                                   "auto (told per document; recorded as text_kind).")
def seconds_option(text: str) -> float:
    """A time limit: a number of seconds above 0."""
    try:
        seconds = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number of seconds: write one, as in 2.5") from None
    if not seconds > 0:
        raise typer.BadParameter(f"{text} seconds would fail every document: give a time above 0")
    return seconds


TimeoutOption = typer.Option(str(Config.regex_timeout), "--regex-timeout", metavar="SECONDS", parser=seconds_option,
                             help="How long one rule may match one line before the document fails.")
HtmlTimeoutOption = typer.Option(str(Config.html_timeout), "--html-timeout", metavar="SECONDS",
                                 parser=seconds_option,
                                 help="CPU seconds extracting one HTML page may take before the page fails.")


def size_option(text: str) -> int:
    try:
        size = parse_size(text)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    if size <= 0:
        raise typer.BadParameter(f"{text} would skip every file: give a size above 0")
    return size


MaxBytesOption = typer.Option(format_size(Config.max_file_bytes), "--max-file-bytes", metavar="SIZE",
                              parser=size_option,
                              help="Larger files (or JSONL lines, or what a .gz or .zst inflates to) are reported "
                                   "and skipped. Bytes, or with a unit: 300M, 2G (powers of 1,024), 500MB (of 1,000).")
InputFormatOption = typer.Option(InputFormat.auto, "--input-format",
                                 help="How to read stdin and the files named one by one: text, html or jsonl. auto: "
                                      "by the file name; stdin (and a name with no known suffix) by its first bytes.")
TextFieldOption = typer.Option("text", "--text-field", metavar="NAME", help="The field holding a JSONL document's text.")
IdFieldOption = typer.Option("id", "--id-field", metavar="NAME", help="The field holding a JSONL document's id.")


def rule_names(cleaner: Cleaner) -> dict[str, str]:
    stages = {s.id: s.name for s in cleaner.stages if s.id}  # of plugins
    return {**BUILTIN_RULES, **{r.id: r.name for r in cleaner.rules}, **stages}


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


@app.command("run")
def run_command(
    paths: Optional[List[str]] = typer.Argument(None, metavar="PATH...",
                                                help="Files, folders, globs or - for stdin: .txt, .html, .htm and "
                                                     ".jsonl (one document a line), each plain, .gz or .zst. None "
                                                     "with a pipe on stdin: stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="PATH",
                                          help="A folder (a JSON tree, or jsonl or parquet shards), one file "
                                               "(.jsonl, .jsonl.gz, .jsonl.zst, .parquet), or - (or none) for "
                                               "standard output."),
    fmt: Format = typer.Option(Format.auto, "--format", help="json: one <id>.json per document under -o. "
                               "jsonl: one document a line, in shards part-00000.jsonl under -o DIR, in one -o "
                               "FILE.jsonl, or on stdout. parquet: shards part-00000.parquet under -o DIR, or one -o "
                               "FILE.parquet. auto: json for a folder, the file's own format for a file name, and on "
                               "stdout one indented document for a single input, else jsonl."),
    shard_size: int = typer.Option(1000, "--shard-size", min=1, metavar="N", help="Inputs per jsonl or parquet shard."),
    workers: int = typer.Option(0, "--workers", "-j", min=0, metavar="N", help="Processes cleaning documents (0: all cores)."),
    force: bool = typer.Option(False, "--force", help="Redo the documents and shards an earlier run already wrote."),
    input_format: InputFormat = InputFormatOption,
    text_field: str = TextFieldOption,
    id_field: str = IdFieldOption,
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: this machine's cores. ray: a Ray cluster "
                                  "(pip install 'cleaner[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", metavar="ADDRESS", help="With --engine ray: auto, or ray://HOST:PORT "
                                          "(default: start Ray here)."),
    rules: Optional[List[Path]] = RulesOption,
    text_kind: TextKind = TextKindOption,
    regex_timeout: float = TimeoutOption,
    html_timeout: float = HtmlTimeoutOption,
    max_file_bytes: int = MaxBytesOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Clean documents: every .txt, .html, .htm and .jsonl file (plain, .gz or .zst) under each folder, each file named, or stdin (-).

    Exit codes: 0 every document cleaned; 1 some inputs failed (each is reported) or
    none was found; 2 a usage or rule-file error, or an output that cannot be written;
    130 and 143 stopped by Ctrl-C and SIGTERM (run the same command again to finish).
    """
    if not paths:
        if not stdin_is_piped():
            err("no input: name files, folders or globs to clean, or - for standard input "
                "(clean --help shows the commands).")
            raise typer.Exit(2)
        paths = [STDIN]
    cleaner = make_cleaner(rules, regex_timeout, max_file_bytes, text_kind, html_timeout)
    display = Display(quiet, names=rule_names(cleaner), paths=paths, output=output)
    where = None if output is None or str(output) == "-" else output
    try:
        with stopped_by_sigterm():
            stats = run(paths, output, cleaner=cleaner, format=fmt.value, workers=workers, shard_size=shard_size,
                        force=force, text_field=text_field, id_field=id_field,
                        input_format=None if input_format is InputFormat.auto else input_format.value,
                        engine=engine.value, address=address, on_failure=lambda f: display.error(f"clean: error: {f}"),
                        on_progress=display.update)
    except KeyboardInterrupt as e:
        done = display.last or Stats()
        display.finish(done, where, stopped=True)
        kind = "SIGTERM" if isinstance(e, Terminated) else "Ctrl-C"
        so_far = f"stopped by {kind} after {done.written:,} documents written and {done.failed:,} failed"
        if where is None:
            err(f"{so_far}; standard output does not hold all of them: run the command again.")
        else:
            err(f"{so_far}; every file in {where} is complete: run the same command again to do the rest.")
        raise typer.Exit(143 if isinstance(e, Terminated) else 130) from None
    except (OutputError, OutputBusy, ImportError) as e:
        display.finish(Stats(), where, stopped=True)
        err(f"{e}.")
        raise typer.Exit(2) from None
    except OSError as e:
        display.finish(Stats(), where, stopped=True)
        if where is None:
            err(f"cannot write to standard output ({e.strerror or e}), so the run stopped; check where it goes "
                "(a full disk?) and run the command again.")
        else:
            err(f"cannot write to {where} ({e.strerror or e}), so the run stopped. Free space or fix the "
                "permissions, then run the same command again: it keeps what was written and does the rest.")
        raise typer.Exit(2) from None
    if stats.no_inputs:
        display.finish(stats, where, stopped=True)
        skipped = skipped_line(stats)
        err(f"no input found in {', '.join(paths)}{f' ({skipped})' if skipped else ''}: nothing was cleaned, and "
            "no output made. Name .txt, .html, .htm or .jsonl files, plain, .gz or .zst, folders that hold them, or -.")
        raise typer.Exit(stats.exit_code)
    display.finish(stats, where)
    raise typer.Exit(stats.exit_code)


@app.command("explain")
def explain_command(
    path: str = typer.Argument(..., metavar="PATH", help="One file (.txt, .html, .htm, .jsonl, plain, .gz or .zst), "
                               "or - for stdin. A .jsonl file is explained record by record."),
    rules: Optional[List[Path]] = RulesOption,
    text_kind: TextKind = TextKindOption,
    input_format: InputFormat = InputFormatOption,
    text_field: str = TextFieldOption,
    id_field: str = IdFieldOption,
    changes_only: bool = typer.Option(False, "--changes", help="Show only the lines something happened to."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the marks (default: on a terminal)."),
) -> None:
    """Show the text with every removed or moved span labelled with its rule.

    Each line of the repaired input is printed with its number and a mark: '-' the
    whole line was dropped as residue, '>' it moved to a field (title, date, authors,
    captions, embeds), '~' part of it was taken out (the part is shown in ⟦ ⟧), '*' its
    encoding was repaired, ' ' it stayed. Then the labels of the rules that acted on
    it, as [C101 please-enter-your-comment] or [M001 glued-date-line → date], with the
    reason when the removal gives one. The fields found follow the text.
    """
    cleaner = make_cleaner(rules, text_kind=text_kind)
    use_color = sys.stdout.isatty() if color is None else color
    colours = {"drop": "red", "move": "cyan", "partial": "yellow", "repair": "magenta"}
    style = (lambda text, kind: typer.style(text, fg=colours.get(kind))) if use_color else None
    failed = shown = 0
    names = rule_names(cleaner)
    try:
        for result in clean_for_explaining(path, cleaner, text_field=text_field, id_field=id_field,
                                           input_format=None if input_format is InputFormat.auto else input_format.value):
            if isinstance(result, Failure) or result.rejected:
                failed += 1
                err(f"error: {result if isinstance(result, Failure) else f'{result.source}: {result.rejected}'}")
                continue
            if shown:
                typer.echo("")
            typer.echo(render_explanation(result, cleaner.rules, changes_only=changes_only, style=style,
                                          names=names))
            shown += 1
    except ValueError as e:
        err(f"error: {e}")
        raise typer.Exit(2) from None
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app(prog_name="clean")
