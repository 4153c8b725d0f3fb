"""``clean golden``: the commands that check what the rules make of the seeds
(``golden check``), rewrite the expected outputs (``golden update``) and start a golden
set for a user's own cases (``golden init``).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import golden as golden_files
from .builtin import BUILTIN_RULES
from .clibase import Group, RulesOption, err, make_cleaner
from .pipeline import Cleaner

golden_app = typer.Typer(cls=Group, help="Check, update or start golden files (the expected output of the seeds).",
                         no_args_is_help=True)
SeedsOption = typer.Option(Path("seeds"), "--seeds", metavar="DIR",
                           help="The folder of inputs to clean: the project's seeds, or your own cases "
                                "(.txt, .html, .jsonl... as `clean` reads them).")
GoldenOption = typer.Option(Path("golden"), "--golden", metavar="DIR",
                            help="The folder of their golden files, one <id>.json each (the expected documents).")
CasesArgument = typer.Argument(..., metavar="CASES_DIR", show_default=False,
                               help="The folder of your example inputs (.txt, .html, .jsonl... as `clean` reads them).")
InitGoldenOption = typer.Option(None, "--golden", metavar="DIR", show_default=False,
                                help="The folder to write their golden files into, which must hold none yet. "
                                     "[default: golden, beside CASES_DIR]")


def golden_command(action: str, seeds: Path, golden: Path, rules: Optional[List[Path]], always: bool = False) -> str:
    """The golden command with the options it was given, as hints repeat it (``always``:
    name the folders even where they are the defaults)."""
    words = ["clean", "golden", action]
    if always or seeds != Path("seeds"):
        words += ["--seeds", str(seeds)]
    if always or golden != Path("golden"):
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
    diffs, changes = golden_files.compare(seeds, golden, cleaner, update=update)
    for d in diffs:
        typer.echo(str(d))
    show_changes(changes, cleaner, "net change by rule (now minus the golden files):")
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
    before = golden_files.stored(golden)
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
    show_changes(golden_files.rule_changes(before, golden_files.stored(golden)), cleaner,
                 "net change by rule (the new golden files minus the old):")


@golden_app.command("init")
def golden_init(
    cases: Path = CasesArgument,
    golden: Optional[Path] = InitGoldenOption,
    rules: Optional[List[Path]] = RulesOption,
) -> None:
    """Start a golden set for your own cases: write the document of every input in CASES_DIR
    into a new golden folder, for you to review and commit.

    Refuses a golden folder that already holds golden files (exit 1: `update` rewrites
    those), and writes nothing unless every case cleans (exit 1). Prints the commands that
    check and update the set later.
    """
    golden = cases.parent / "golden" if golden is None else golden
    check = golden_command("check", cases, golden, rules, always=True)
    update = golden_command("update", cases, golden, rules, always=True)
    cleaner = make_cleaner(rules)
    try:
        written, failures = golden_files.init(cases, golden, cleaner)
    except golden_files.GoldenExists as e:
        err(f"{e.golden}/ already holds {e.count} golden file{'s' * (e.count != 1)}; init only starts a new set. "
            f"To compare your cases with them run `{check}`, and to rewrite them `{update}`; to start another set, "
            f"name a new folder with --golden.")
        raise typer.Exit(1) from None
    except ValueError as e:
        err(f"{e}.")
        raise typer.Exit(2) from None
    for f in failures:
        err(f"error: {f}")
    if failures:
        err(f"no golden file written: every case must clean before a golden set is made; fix or remove the "
            f"case{'s' * (len(failures) != 1)} named above, then run init again.")
        raise typer.Exit(1)
    for doc_id in written:
        typer.echo(f"wrote   {golden / doc_id}.json")
    typer.echo(f"golden: {len(written)} written to {golden}/. Review them (each is what the rules make of a case "
               f"now) and commit them. Then, after a change to the rules:\n"
               f"  check:  {check}\n"
               f"  update: {update}   (after reviewing check's diff)")


def show_changes(changes: list[golden_files.RuleChange], cleaner: Cleaner, heading: str) -> None:
    """The per-rule net change under ``heading``; nothing when no rule's removals changed."""
    if changes:
        typer.echo(heading)
        names = {**BUILTIN_RULES, **{r.id: r.name for r in cleaner.rules}}
        for line in golden_files.render_changes(changes, names):
            typer.echo(line)
