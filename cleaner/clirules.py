"""``clean rules``: the commands that check the rules by their own examples (``rules
test``), and list and describe them (``rules list``, ``rules reference``). What the
rules make of the seeds is `cleaner.cligolden`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .clibase import Group, RulesOption, err, make_cleaner
from .rulereference import render as render_rule_reference
from .ruletable import render as render_rule_table
from .ruletest import check_all

rules_app = typer.Typer(cls=Group, help="List the rules in force, run their own examples, or write their reference.",
                        no_args_is_help=True)


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
