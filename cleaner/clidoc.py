"""The reference of every command and option (``docs/cli.md``), made from the command itself.

``python -m cleaner.clidoc > docs/cli.md`` writes it again; a test checks that the
file is current, so the reference cannot drift from the command.
"""

from __future__ import annotations

from typing import Any, Iterator

import typer

from .cli import app

HEADER = """# Command reference

Every command and option of `clean`, made from the command itself
(`python -m cleaner.clidoc > docs/cli.md`; a test checks that this file is current).
`clean PATH...` is short for `clean run PATH...`.
"""


def commands(command: Any, path: str, ctx: Any = None) -> Iterator[tuple[str, Any, Any]]:
    """Every command below ``command`` (itself first), with its full name and context."""
    ctx = command.make_context(path, [], parent=ctx, resilient_parsing=True)
    yield path, command, ctx
    subcommands = getattr(command, "commands", None)
    for name in (subcommands or {}):
        yield from commands(subcommands[name], f"{path} {name}", ctx)


def render() -> str:
    out = [HEADER]
    for path, command, ctx in commands(typer.main.get_command(app), "clean"):
        if getattr(command, "commands", None) and path != "clean":
            continue  # a group of commands (golden, rules): its commands have sections of their own
        out.append(f"## `{path}`\n")
        out.append(f"```\n{' '.join(command.collect_usage_pieces(ctx)).join([f'{path} ', ''])}\n```\n")
        help_text = (command.help or "").strip()
        if help_text:
            out.append("\n\n".join(" ".join(p.split()) for p in help_text.split("\n\n")) + "\n")
        rows = []
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, text = record
            cells = (f"`{names}`", " ".join(text.split()).replace("<", "&lt;"))
            rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        if rows:
            out.append("| argument or option | what it does |\n| --- | --- |\n" + "\n".join(rows) + "\n")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
