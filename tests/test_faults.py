"""Every case of bench/faults.py under pytest: each bad input or fault is survived, and
nothing is lost (the cases, and what each run must show, are defined there once)."""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_faults():
    spec = importlib.util.spec_from_file_location("faults", ROOT / "bench" / "faults.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("faults", module)
    spec.loader.exec_module(module)
    return module


faults = load_faults()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else [])
                                  for c in faults.CASES])
def test_clean_survives_the_case_and_loses_nothing(case, tmp_path):
    outcome = faults.run_case(case, tmp_path / case.name, Path(os.environ["CLEANER_CACHE_DIR"]))
    assert outcome.problems == [] and outcome.lost == 0, f"{case.what}: {outcome.problems}"
    shutil.rmtree(tmp_path / case.name)  # a case may leave 100,000 files or 200 MB behind


def test_the_runner_finds_a_lost_document_and_a_stray_file(tmp_path):
    """The checks can fail: a run that accounts for fewer inputs than it was given, and
    a file written beside the output folder, are both named."""
    def build(d: Path):
        faults._write(d / "in" / "a.txt", faults.PROSE)
        return faults.Setup(["in"], inputs=2, check=lambda folder, run: [])

    lost = faults.run_case(faults.Case("lost", "two inputs claimed, one given", build), tmp_path / "lost",
                           Path(os.environ["CLEANER_CACHE_DIR"]))
    assert lost.lost == 1 and any("2 inputs given, 1 accounted for" in p for p in lost.problems)

    run = faults.Run(0, b"", "", 0.1)
    folder = tmp_path / "stray"
    (folder / "out").mkdir(parents=True)
    before = faults.snapshot(folder, folder / "out")
    (folder / "escaped.json").write_text("{}")
    problems = faults.judge(faults.Setup([], inputs=0), run, folder, None, before)
    assert problems == ["wrote outside its output folder: escaped.json"]


def test_every_case_of_the_issue_is_tried():
    names = {c.name for c in faults.CASES}
    assert {"empty-files", "binary-files", "encodings", "mixed-encodings", "huge-line", "many-files",
            "nested-folders", "symlink-loop", "unreadable", "odd-names", "read-only-output", "full-output",
            "gzip-bomb", "hostile-html", "malformed-jsonl", "hostile-ids", "catastrophic-rule",
            "sigkill-rerun"} <= names
