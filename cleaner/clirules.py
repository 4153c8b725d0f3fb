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
from .ruletest import check_all, own_rules, shadowed

rules_app = typer.Typer(cls=Group, help="List the rules in force, run their own examples, or write their reference.",
                        no_args_is_help=True)


@rules_app.command("list")
def rules_list(rules: Optional[List[Path]] = RulesOption) -> None:
    """Every rule id that can appear in an output, stage by stage: id, name, what it does, description; plugins' too."""
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    cleaner = make_cleaner(rules)
    typer.echo(render_rule_table(cleaner.rules, width, stages=cleaner.stages))


@rules_app.command("test")
def rules_test(
    rules: Optional[List[Path]] = RulesOption,
    only: bool = typer.Option(False, "--only", help="Run only the examples of the --rules files' rules (the shipped "
                              "rules still load: shadowing is judged against them), and list each. Needs --rules."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Print a line for each example run: ok or FAIL, "
                                 "and its name (RULE-NAME-remove1)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when a rule of yours is shadowed, too."),
) -> None:
    """Run every rule's own examples (shipped rules and --rules files), and report your rules that others shadow.

    Each example is cleaned with its rule alone in force (and the rules it needs). Then each
    rule of the --rules files is checked in a full run, with every rule in force: one whose
    remove examples are all taken by other rules is SHADOWED: it passes its own test, but
    never fires. Use ids that start with U for your rules: no shipped rule takes one.

    Exit codes: 0 every example passed (a shadowed rule is a warning); 1 an example failed,
    or a rule is shadowed under --strict; 2 a usage or rule-file error.
    """
    if only and not rules:
        err("--only runs the examples of your own rules: name their folder or file with --rules DIR.")
        raise typer.Exit(2)
    cleaner = make_cleaner(rules)
    mine = own_rules(cleaner.rules, rules or [])
    results = check_all(cleaner.rules, cleaner.config, only=mine if only else None)
    failed = {ex.rule.id for ex, problem in results if problem and ex.kind == "remove"}
    for ex, problem in results:
        if only or verbose:
            typer.echo(f"ok   {ex.name}" if problem is None else f"FAIL {ex.name}: {problem}")
        elif problem:
            typer.echo(f"FAIL {problem}")
    # a rule that already fails a remove example is reported by that failure
    shadows = [s for rule in mine if rule.id not in failed and (s := shadowed(rule, cleaner)) is not None]
    for s in shadows:
        typer.echo(f"SHADOWED {s.sentence(cleaner.rules)}")
    n_failed = sum(1 for _, problem in results if problem)
    counts = f"{len(results) - n_failed} passed, {n_failed} failed"
    typer.echo(f"{counts}, {len(shadows)} shadowed" if rules else counts)
    raise typer.Exit(1 if n_failed or (strict and shadows) else 0)


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
