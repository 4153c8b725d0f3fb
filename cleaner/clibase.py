"""What the commands of ``clean`` share: the layout of their help, the ``--rules`` option,
and loading the rules (or exiting 2 with every rule-file problem).

`cleaner.cli` is the command itself; `cleaner.clirules` and `cleaner.cligolden` hold the
commands that check the rules and the golden files.
"""

from __future__ import annotations

import warnings
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer
from typer.core import TyperGroup

from .config import Config
from .pipeline import Cleaner
from .plugins import PluginError
from .ruleload import RuleFileError, RuleWarning, load_rules


def summary(command: Any) -> str:
    """A command's one-line summary: the first paragraph of its help, whole."""
    text = (command.help or "").strip().split("\n\n")[0]
    return " ".join(text.split())


class Group(TyperGroup):
    """A command group whose ``--help`` lists each command's summary whole, not cut at 45 characters."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, summary(cmd)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class TextKind(str, Enum):
    auto = "auto"
    whole_page = "whole-page"
    article = "article"


RulesOption = typer.Option(None, "--rules", metavar="DIR",
                           help="A folder (or file) of your own rule files, added to the shipped ones. Repeatable.")


def err(message: str) -> None:
    typer.echo(f"clean: {message}", err=True)


def make_cleaner(rules: Optional[List[Path]], regex_timeout: float = Config.regex_timeout,
                 max_file_bytes: int = Config.max_file_bytes, text_kind: TextKind = TextKind.auto,
                 html_timeout: float = Config.html_timeout) -> Cleaner:
    """The rules, the plugins and the configuration, or exit 2 with every rule-file or plugin problem listed.

    A warning about the rule files (`RuleWarning`: an id of the shipped kind, an empty folder) is shown once as ``clean: warning: ...``.
    """
    config = Config(regex_timeout=regex_timeout, html_timeout=html_timeout, max_file_bytes=max_file_bytes,
                    text_kind=TextKind(text_kind).value)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuleWarning)
            loaded = load_rules(rules or [])
        show_warnings(caught)
        return Cleaner(loaded, config)
    except RuleFileError as e:
        for problem in e.problems:
            err(f"rule file error: {problem}")
        err(f"{len(e.problems)} problem{'s' * (len(e.problems) != 1)} in the rule files; nothing was cleaned.")
        raise typer.Exit(2) from None
    except PluginError as e:
        for problem in e.problems:
            err(f"plugin error: {problem}")
        err(f"{e.advice + ' ' if e.advice else ''}Nothing was cleaned.")
        raise typer.Exit(2) from None


def show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Each rule-file warning once, as a line of ``clean``; any other warning as Python shows it."""
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, RuleWarning)):
        err(f"warning: {message}")
    for w in caught:
        if not issubclass(w.category, RuleWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)
