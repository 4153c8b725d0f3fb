"""The ``clean`` command, driven through typer's CliRunner; every assertion shows the output on failure."""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.batch import find_inputs
from cleaner.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED0 = ROOT / "seeds" / "000_3e7eae248d537d0f.txt"
SEED1 = ROOT / "seeds" / "001_3771d5a176e2eb79.txt"
N_SEEDS = len(find_inputs([str(ROOT / "seeds")])[0])
BAD_RULE = '''
[[rule]]
id = "B001"
name = "broken"
stage = "strip_comments"
description = "A pattern that does not compile."
action = "drop"
pattern = '(unclosed'
remove = ["x"]
keep = ["y"]
'''


def invoke(*args, input=None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=input, prog_name="clean")
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_clean_a_folder_to_a_json_tree(tmp_path):
    result, shown = invoke(ROOT / "seeds", "-o", tmp_path / "out")
    assert result.exit_code == 0, shown
    d0 = json.loads((tmp_path / "out" / "000_3e7eae248d537d0f.json").read_text(encoding="utf-8"))
    d1 = json.loads((tmp_path / "out" / "001_3771d5a176e2eb79.json").read_text(encoding="utf-8"))
    assert d0["id"] == "000_3e7eae248d537d0f" and d0["source"] == "000_3e7eae248d537d0f.txt"
    assert d0["title"].startswith("‘Airstrikes target")
    assert d1["date"] == "2020-01-03" and [e["handle"] for e in d1["embeds"]] == ["ZekeJMiller", "LucasFoxNews"]
    assert (tmp_path / "out" / "cases" / "mojibake.json").exists()
    assert f"{N_SEEDS} inputs: {N_SEEDS} documents written" in result.stderr


def test_jsonl_on_stdout_in_input_order():
    result, shown = invoke(ROOT / "seeds", "--format", "jsonl")
    assert result.exit_code == 0, shown
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids[:2] == ["000_3e7eae248d537d0f", "001_3771d5a176e2eb79"] and len(ids) == N_SEEDS


def test_dash_as_output_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, shown = invoke(ROOT / "seeds", "-o", "-")
    assert result.exit_code == 0, shown
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == N_SEEDS and not (tmp_path / "-").exists()


def test_output_files_have_the_permissions_the_umask_gives(tmp_path):
    """Read once per process (`cleaner.sinks.FILE_MODE`): a run under umask 027 is a process
    started under it."""
    for out in (tmp_path / "tree", tmp_path / "one.jsonl"):
        done = subprocess.run([sys.executable, "-m", "cleaner", str(SEED1), "-o", str(out), "-q"], capture_output=True,
                              text=True, preexec_fn=lambda: os.umask(0o027))
        assert done.returncode == 0, done.stderr
    written = [tmp_path / "tree" / "001_3771d5a176e2eb79.json", tmp_path / "tree" / "stats.json", tmp_path / "one.jsonl"]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in written} == {oct(0o640)}


def test_stdin_gives_one_json_document():
    result, shown = invoke("-", input=SEED1.read_bytes())
    assert result.exit_code == 0, shown
    doc = json.loads(result.stdout)
    assert doc["id"] == "stdin" and doc["source"] == "-" and doc["date"] == "2020-01-03"


def test_a_path_named_like_a_command_is_still_a_path(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "golden")
    monkeypatch.chdir(tmp_path)
    result, shown = invoke("./golden", "-o", "out")
    assert result.exit_code == 0, shown
    assert (tmp_path / "out" / "000_3e7eae248d537d0f.json").exists()


def test_bad_inputs_are_reported_and_the_rest_is_written(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED0, src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result, shown = invoke(src, "-o", tmp_path / "out")
    assert result.exit_code == 1, shown
    assert "binary.txt: binary file" in result.stderr and "empty.txt: empty" in result.stderr
    assert "3 inputs: 1 document written" in result.stderr and "2 failed" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".cleaner-setup", "good.json", "stats.json"]
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert (stats["inputs"], stats["written"], stats["failed"]) == (3, 1, 2)


def test_a_missing_path_is_reported():
    result, shown = invoke("no/such/folder")
    assert result.exit_code == 1, shown
    assert "no/such/folder: no such file or folder" in result.stderr


def test_a_broken_user_rule_stops_the_run_before_any_document(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.toml").write_text(BAD_RULE, encoding="utf-8")
    result, shown = invoke(ROOT / "seeds", "-o", tmp_path / "x", "--rules", tmp_path / "bad")
    assert result.exit_code == 2, shown
    assert "broken.toml: rule B001: pattern does not compile" in result.stderr
    assert "Traceback" not in shown
    assert not (tmp_path / "x").exists()


def test_a_user_rule_applies_and_can_disable_a_shipped_one(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "off.toml").write_text('disable = ["C101"]\n', encoding="utf-8")
    result, shown = invoke(SEED0, "--rules", tmp_path / "mine")
    assert result.exit_code == 0, shown
    assert "Please enter your comment!" in json.loads(result.stdout)["body"]


def test_explain_labels_every_span_with_its_rule():
    result, shown = invoke("explain", SEED1)
    assert result.exit_code == 0, shown
    assert "[M001 glued-date-line → date]  ⟦date 2020-01-03⟧ The United States" in result.stdout  # the input line starts with a space
    assert result.stdout.count("[S002 tweet-signature → embeds]") == 2
    result, shown = invoke("explain", SEED0, "--changes")
    assert "60 - [C101 please-enter-your-comment] Please enter your comment!" in result.stdout
    assert "AIRSTRIKES" not in result.stdout


def test_explain_marks_a_line_with_tabs_as_taken_whole(tmp_path):
    """The rules read lines tidied: a line taken whole is shown as whole (``-``) though
    the input has tabs or runs of spaces in it, and a piece cut from such a line is
    marked in the line as the body would show it."""
    page = tmp_path / "page.txt"
    page.write_text("date\t2020-01-03  The council voted on Friday to close the old bridge for two months of repairs.\n"
                    "Please\tenter your  comment!\n"
                    "Work starts in May, the mayor told reporters pic.twitter.com/AbC123\tyesterday.\n", encoding="utf-8")
    result, shown = invoke("explain", str(page))
    assert result.exit_code == 0, shown
    assert "1 ~ [M001 glued-date-line → date] ⟦date 2020-01-03⟧ The council voted" in result.stdout, shown
    assert "2 - [C101 please-enter-your-comment] Please\tenter your  comment!" in result.stdout, shown
    assert "3 ~ [S001 pic-twitter-link] Work starts in May, the mayor told reporters ⟦pic.twitter.com/AbC123⟧\tyesterday." in result.stdout, shown


def test_golden_check_passes_then_fails_on_one_changed_character(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "golden", tmp_path / "golden")
    monkeypatch.chdir(tmp_path)
    result, shown = invoke("golden", "check")
    assert result.exit_code == 0, shown
    path = tmp_path / "golden" / "001_3771d5a176e2eb79.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Associated Press reported", "Associated Press reportod"), encoding="utf-8")
    result, shown = invoke("golden", "check")
    assert result.exit_code == 1, shown
    assert "-The Associated Press reportod" in result.stdout and "+The Associated Press reported" in result.stdout
    result, shown = invoke("golden", "update")
    assert result.exit_code == 0 and "wrote   golden/001_3771d5a176e2eb79.json" in result.stdout, shown
    assert invoke("golden", "check")[0].exit_code == 0


def test_rules_list_and_test():
    result, shown = invoke("rules", "list")
    assert result.exit_code == 0, shown
    assert any(line.split()[:3] == ["C101", "please-enter-your-comment", "drop"] for line in result.stdout.splitlines())
    result, shown = invoke("rules", "test")
    assert result.exit_code == 0, shown
    assert result.stdout.strip().splitlines()[-1].endswith(" passed, 0 failed")


def test_rules_test_reports_a_users_failing_example(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "weak.toml").write_text(BAD_RULE.replace("(unclosed", "(?i)sponsored").replace('keep = ["y"]', 'keep = ["Sponsored"]'),
                                                 encoding="utf-8")
    result, shown = invoke("rules", "test", "--rules", tmp_path / "mine")
    assert result.exit_code == 1, shown
    assert "FAIL " in result.stdout and "rule B001 (broken), remove example 1: took nothing out of 'x'" in result.stdout
    assert "keep example 1: took out ['Sponsored']" in result.stdout


@pytest.mark.parametrize("args", [["--format", "json", str(SEED0)], ["nonsense-option-value", "--format", "xml"]])
def test_usage_errors_exit_2(args):
    result, shown = invoke(*args)
    assert result.exit_code == 2, shown
