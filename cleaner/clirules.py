"""``clean rules`` and ``clean golden``: the commands that check the rules, by their own
examples (``rules test``), by listing and describing them (``rules list``, ``rules
reference``), and by what they make of the seeds (``golden check``, ``golden update``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import golden as golden_files
from .clibase import Group, RulesOption, err, make_cleaner
from .rulereference import render as render_rule_reference
from .ruletable import render as render_rule_table
from .ruletest import check_all

golden_app = typer.Typer(cls=Group, help="Check or update the golden files (the expected output of the seeds).",
                         no_args_is_help=True)
rules_app = typer.Typer(cls=Group, help="List the rules in force, run their own examples, or write their reference.",
                        no_args_is_help=True)
SeedsOption = typer.Option(Path("seeds"), "--seeds", metavar="DIR", help="The seed inputs.")
GoldenOption = typer.Option(Path("golden"), "--golden", metavar="DIR", help="Their expected outputs.")


def golden_command(action: str, seeds: Path, golden: Path, rules: Optional[List[Path]]) -> str:
    """The golden command with the options it was given, as hints repeat it."""
    words = ["clean", "golden", action]
    if seeds != Path("seeds"):
        words += ["--seeds", str(seeds)]
    if golden != Path("golden"):
        words += ["--golden", str(golden)]
    for r in rules or []:
        words += ["--rules", str(r)]
    return " ".join(words)


def need_seeds(seeds: Path, golden: Path, rules: Optional[List[Path]], action: str) -> None:
    """Exit 2 with what to do when there is no seed folder to read."""
    if seeds.is_dir():
        return
    err(f"no seed folder {seeds}/ here ({Path.cwd()}): run this in a clone of the project, which has seeds/ and "
        f"golden/, or point to yours: {golden_command(action, Path('SEEDS'), Path('GOLDEN'), rules)}")
    raise typer.Exit(2)


@golden_app.command("check")
def golden_check(
    seeds: Path = SeedsOption,
    golden: Path = GoldenOption,
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Re-clean the seeds and compare with the golden files; exit 1 on any difference."""
    need_seeds(seeds, golden, rules, "check")
    cleaner = make_cleaner(rules)
    update = golden_command("update", seeds, golden, rules)
    diffs = golden_files.check(seeds, golden, cleaner, update=update)
    for d in diffs:
        typer.echo(str(d))
    if diffs:
        err(f"{len(diffs)} golden difference{'s' * (len(diffs) != 1)}. If the change is intended, review it "
            f"and run `{update}`.")
        raise typer.Exit(1)
    typer.echo(f"golden: {len(golden_files.stored(golden))} documents match")


@golden_app.command("update")
def golden_update(
    seeds: Path = SeedsOption,
    golden: Path = GoldenOption,
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Rewrite the golden files from the seeds (the only command that writes them)."""
    need_seeds(seeds, golden, rules, "update")
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
    """Every rule id that can appear in an output, stage by stage: id, name, what it does, description; plugins' too."""
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    cleaner = make_cleaner(rules)
    typer.echo(render_rule_table(cleaner.rules, width, stages=cleaner.stages))


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


@rules_app.command("reference")
def rules_reference(
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Write the reference to this file instead of printing it."),
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Every rule as a Markdown page, by stage and file, with its examples (docs/rules-reference.md)."""
    cleaner = make_cleaner(rules)
    page = render_rule_reference(cleaner.rules)
    if output is None:
        typer.echo(page, nl=False)
        return
    try:
        output.write_text(page, encoding="utf-8", newline="\n")
    except OSError as e:
        err(f"cannot write {output}: {e.strerror or e}. Check that its folder exists and can be written to.")
        raise typer.Exit(2) from None
    typer.echo(f"wrote {output}: {len(cleaner.rules)} rules")
