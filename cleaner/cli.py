"""The ``clean`` command: a thin layer over the library.

``clean PATH...`` is short for ``clean run PATH...``: any first argument that is
not a command name is a path, so ``clean ./golden -o out`` cleans a folder
called ``golden``. Exit codes: 0 every document cleaned; 1 some inputs failed
(each reported on stderr, every other document written); 2 usage or rule-file
error (nothing cleaned).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import click
import typer
from typer.core import TyperGroup

from . import batch, golden as golden_files
from .config import Config
from .explain import explain as render_explanation
from .pipeline import Cleaner
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


RulesOption = typer.Option(None, "--rules", metavar="DIR",
                           help="A folder (or file) of your own rule files, added to the shipped ones. Repeatable.")
SeedsOption = typer.Option(Path("seeds"), "--seeds", help="The seed inputs.")
GoldenOption = typer.Option(Path("golden"), "--golden", help="Their expected outputs.")
TimeoutOption = typer.Option(Config.regex_timeout, "--regex-timeout", metavar="SECONDS",
                             help="How long one rule may match one line before the document fails.")


def err(message: str) -> None:
    typer.echo(f"clean: {message}", err=True)


def make_cleaner(rules: Optional[List[Path]], regex_timeout: float = Config.regex_timeout,
                 max_file_bytes: int = Config.max_file_bytes) -> Cleaner:
    """The rules and configuration, or exit 2 with every rule-file problem listed."""
    try:
        ruleset = load_rules(rules or [])
    except RuleFileError as e:
        for problem in e.problems:
            err(f"rule file error: {problem}")
        err(f"{len(e.problems)} problem{'s' * (len(e.problems) != 1)} in the rule files; nothing was cleaned.")
        raise typer.Exit(2) from None
    return Cleaner(ruleset, Config(regex_timeout=regex_timeout, max_file_bytes=max_file_bytes))


@app.command("run")
def run_command(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Files, folders (every .txt, .html and .htm below, plain or .gz) or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output folder (json) or file (jsonl)."),
    fmt: Format = typer.Option(Format.auto, "--format", help="json: one <id>.json per document under -o. "
                               "jsonl: one document a line, to -o FILE or stdout. auto: json with -o, else jsonl "
                               "(one indented document for a single input)."),
    rules: Optional[List[Path]] = RulesOption,
    regex_timeout: float = TimeoutOption,
    max_file_bytes: int = typer.Option(Config.max_file_bytes, "--max-file-bytes", help="Larger files are reported and skipped."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Clean documents: every .txt, .html and .htm (plain or .gz) under each folder, each file, or stdin (-)."""
    if fmt is Format.json and output is None:
        err("--format json writes one file per document and needs an output folder: add -o DIR.")
        raise typer.Exit(2)
    if output is not None and fmt is not Format.jsonl and output.exists() and not output.is_dir():
        err(f"{output} is a file; -o needs a folder for JSON output (or use --format jsonl to write one file).")
        raise typer.Exit(2)
    cleaner = make_cleaner(rules, regex_timeout, max_file_bytes)
    report = batch.run(paths, cleaner, output=output, fmt=fmt.value,
                       on_failure=lambda f: err(f"error: {f}"))
    if not quiet:
        where = f" to {output}" if output is not None else ""
        err(f"{report.inputs} input{'s' * (report.inputs != 1)}: {report.written} document"
            f"{'s' * (report.written != 1)} written{where}, {len(report.failures)} failed")
    raise typer.Exit(report.exit_code)


@app.command("explain")
def explain_command(
    path: str = typer.Argument(..., help="One text file, or - for stdin."),
    rules: Optional[List[Path]] = RulesOption,
    changes_only: bool = typer.Option(False, "--changes", help="Show only the lines something happened to."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the marks (default: on a terminal)."),
) -> None:
    """Show the text with every removed or moved span labelled with its rule."""
    cleaner = make_cleaner(rules)
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
