"""The README's two set-up commands are the ones CI and newcomers run."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci.replace(" -q", "") in readme


def test_readme_shows_the_run_command_on_the_seeds():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install -e '.[test]' && clean seeds -o out" in readme
