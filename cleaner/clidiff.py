"""``clean diff``: what a rule edit, a new release or a new setting does to a corpus,
before it goes into a pipeline (`cleaner.diff`, rendered by `cleaner.diffreport`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .builtin import BUILTIN_RULES
from .clibase import RulesOption, TextKind, err, make_cleaner
from .diff import REPORT_DOCUMENTS, diff_corpus
from .diffreport import SHOWN, render_text, write_report
from .outputs import OutputError
from .records import Stats
from .tableschema import did_you_mean


def describe_side(rules: Optional[List[Path]]) -> str:
    return "shipped rules" + "".join(f" + {r}" for r in rules or [])


def diff_command(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="The corpus: files, folders or globs, as for "
                                      "clean run."),
    rules: Optional[List[Path]] = RulesOption,
    base_rules: Optional[List[Path]] = typer.Option(None, "--base-rules", metavar="DIR",
                                                    help="The base side's own rule folders (default: the shipped "
                                                         "rules alone). Repeatable."),
    base_output: Optional[Path] = typer.Option(None, "--base-output", metavar="PATH",
                                               help="Compare with the documents an earlier run wrote here (a JSON "
                                                    "tree, JSONL or Parquet) instead of cleaning the base side again."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="DIR",
                                          help="Write the report here: index.html (one self-contained page) and "
                                               "diff.json."),
    sample: Optional[int] = typer.Option(None, "--sample", min=1, metavar="N",
                                         help="Compare N documents chosen at random (files, or records of JSONL "
                                              "files; the same N for the same --seed)."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="The seed of --sample."),
    where: Optional[str] = typer.Option(None, "--where", metavar="RULE",
                                        help="Report only the documents where this rule acts differently."),
    truth: Optional[Path] = typer.Option(None, "--truth", metavar="FILE",
                                         help="A truth.jsonl (id, body, and title, date, author, comments where "
                                              "known) to score both sides against (default: truth.jsonl beside a "
                                              "single input folder, if there is one)."),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when any document changed, as git diff "
                                   "--exit-code."),
    show: int = typer.Option(SHOWN, "--show", min=0, metavar="N", help="Changed documents to print with their diff."),
    workers: int = typer.Option(0, "--workers", "-j", min=0, metavar="N", help="Processes cleaning documents "
                                "(0: all cores)."),
    text_kind: TextKind = typer.Option(TextKind.auto, "--text-kind", help="What text inputs are, as for clean run."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary, no progress."),
) -> None:
    """Compare two cleanings of a corpus: the shipped rules against the shipped rules with --rules, two rule sets
    (--base-rules, --rules), or an earlier run's output (--base-output) against now.

    Prints the documents compared and changed, the words removed and kept, per rule
    the documents, lines and words it takes before and after (the largest change
    first; new rules and rules that stopped firing marked), the accuracy before and
    after where the corpus has a truth.jsonl, and the most changed documents. Exit
    codes: 0 done (with --exit-code: and nothing changed); 1 with --exit-code, some
    document changed; 2 a usage, rule-file or input error.
    """
    if base_output is not None and base_rules:
        err("--base-output and --base-rules both name the base side: give one of them.")
        raise typer.Exit(2)
    cleaner = make_cleaner(rules, text_kind=text_kind)
    base = None if base_output is not None else make_cleaner(base_rules, text_kind=text_kind)
    sides = (f"the documents in {base_output}" if base_output is not None else describe_side(base_rules),
             describe_side(rules))

    known = {r.id for side in (base, cleaner) if side is not None for r in side.rules} | set(BUILTIN_RULES)
    if where is not None and where not in known:
        outcome = ("no document can show it" if base is not None else
                   "only documents of the earlier output where it acted can show it")
        err(f"warning: --where {where}: no rule of that id is loaded here, so {outcome}."
            f"{did_you_mean(where, known)}")

    def progress(side: str, stats: Stats) -> None:
        if not quiet and sys.stderr.isatty():
            typer.echo(f"\r{side}: {stats.written:,} documents cleaned", err=True, nl=False)

    try:
        diff = diff_corpus(paths, cleaner, base=base, base_output=base_output, sides=sides, sample=sample, seed=seed,
                           workers=workers, truth=truth, where=where, keep=max(show, REPORT_DOCUMENTS),
                           on_progress=progress)
    except (ValueError, OutputError, OSError) as e:
        err(f"{e}")
        raise typer.Exit(2) from None
    if not quiet and sys.stderr.isatty():
        typer.echo("\r" + " " * 60 + "\r", err=True, nl=False)
    typer.echo(render_text(diff, show))
    if output is not None:
        try:
            page, data = write_report(diff, output)
        except OSError as e:
            err(f"cannot write the report to {output}: {e.strerror or e}. Check that the folder can be written to.")
            raise typer.Exit(2) from None
        typer.echo(f"\nreport: {page} and {data}")
    raise typer.Exit(1 if exit_code and diff.changed else 0)
