"""The README and docs/ cannot lie: their Python examples run, their before/after is what
`clean` gives now, their links lead somewhere, the command reference is current, and
the README's set-up commands are the ones CI and newcomers run.

README conventions, read here: a fenced block after ``<!-- file: NAME -->`` is a file
the examples use (written into the temporary folder first); after ``<!-- output of:
COMMAND -->`` it is exactly what ``COMMAND`` prints; after ``<!-- fields of: COMMAND
-->`` it is a JSON object whose keys have the values of the document ``COMMAND`` prints.
"""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.clidoc import render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"(?:<!-- (file|output of|fields of): (.+?) -->\n)?```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(text: str) -> list[tuple[str | None, str | None, str, str]]:
    """(marker, its argument, language, body) of every fenced block."""
    return [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in BLOCK.finditer(text)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A folder holding the README's files."""
    where = tmp_path_factory.mktemp("readme")
    for marker, name, _, body in blocks(README):
        if marker == "file":
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            (where / name).write_text(body, encoding="utf-8")
    return where


def clean_in(folder: Path, command: str) -> str:
    words = shlex.split(command)
    assert words[0] == "clean", command
    result = CliRunner().invoke(app, words[1:], prog_name="clean")
    assert result.exit_code == 0, result.output
    return result.stdout


def run_python(code: str, where: Path) -> None:
    done = subprocess.run([sys.executable, "-c", code], cwd=where, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"


def test_the_readme_is_a_front_door():
    assert len(README.splitlines()) <= 250


def test_the_readme_python_examples_run(folder):
    code = "\n".join(body for _, _, lang, body in blocks(README) if lang == "python")
    assert code.count("assert ") >= 5, "the examples check what they show"
    run_python(code, folder)


#: Docs whose examples need data and packages of their own, and a test that gives them those.
RUN_ELSEWHERE = {"integrations.md": "tests/test_integrations.py", "plugins.md": "tests/test_plugins.py"}


@pytest.mark.parametrize("doc", [d for d in DOCS if "```python" in d.read_text(encoding="utf-8")
                                 and d.name not in RUN_ELSEWHERE], ids=lambda d: d.name)
def test_the_docs_python_examples_run(doc, tmp_path):
    for _, _, lang, body in blocks(doc.read_text(encoding="utf-8")):
        if lang == "python":
            run_python(body, tmp_path)


def test_the_readme_before_and_after_is_what_clean_gives(folder, monkeypatch):
    monkeypatch.chdir(folder)
    checked = 0
    for marker, command, _, body in blocks(README):
        if marker == "output of":
            assert clean_in(folder, command).rstrip("\n") == body.rstrip("\n"), command
            checked += 1
        elif marker == "fields of":
            doc = json.loads(clean_in(folder, command))
            shown = json.loads(body)
            assert {k: doc[k] for k in shown} == shown, command
            checked += 1
    assert checked == 2


def test_links_lead_to_files_that_exist():
    for page in [ROOT / "README.md", *DOCS]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://")):
                assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"


def test_the_command_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), \
        "docs/cli.md is out of date: python -m cleaner.clidoc > docs/cli.md"


def test_every_option_of_every_command_is_in_the_reference():
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for option in re.findall(r'"(--[a-z-]+)"', (ROOT / "cleaner" / "cli.py").read_text(encoding="utf-8")):
        assert f"{option}" in reference, option


def test_ci_runs_the_readme_test_command_and_the_plain_install():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "python -m pip install -e '.[test]' && python -m pytest"
    assert test_command in README and test_command in ci.replace(" -q", "")
    assert "bash .ci/plain-install" in ci and (ROOT / ".ci" / "plain-install").is_file()


def test_the_readme_run_command_installs_only_what_running_needs():
    assert "python -m pip install . && clean seeds -o out" in README
