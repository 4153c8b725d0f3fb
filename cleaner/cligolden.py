"""``clean golden``: the commands that check what the rules make of the seeds
(``golden check``) and rewrite the expected outputs (``golden update``).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import golden as golden_files
from .clibase import Group, RulesOption, err, make_cleaner

golden_app = typer.Typer(cls=Group, help="Check or update the golden files (the expected output of the seeds).",
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
