"""The golden files: the seeds cleaned now must give exactly what golden/ holds."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from cleaner import golden
from cleaner.batch import find_inputs
from cleaner.cli import app


def test_seeds_match_their_golden_files(root, cleaner):
    diffs = golden.check(root / "seeds", root / "golden", cleaner)
    assert not diffs, "\n\n".join(map(str, diffs)) + "\n\nIf intended: review, then run `clean golden update`."


def test_every_seed_has_a_golden_file_and_no_golden_file_is_orphaned(root, cleaner):
    # each file's document, and each record's of a JSONL file (<file id>/<record id>)
    docs, failures = golden.current(root / "seeds", cleaner)
    seeds = set(docs)
    assert not failures and len(seeds) >= len(find_inputs([str(root / "seeds")])[0])
    goldens = {p.relative_to(root / "golden").with_suffix("").as_posix() for p in (root / "golden").rglob("*.json")}
    assert seeds == goldens


@pytest.fixture
def copy(tmp_path, root):
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copytree(root / "golden", tmp_path / "golden")
    return tmp_path


def test_a_changed_body_shows_a_readable_diff_and_the_rules(copy, cleaner):
    path = copy / "golden" / "000_3e7eae248d537d0f.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["body"] = d["body"].replace("Three were found", "Three were fonud")
    d["removed"] = [s for s in d["removed"] if s["rule"] != "C101"]
    path.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (diff,) = golden.check(copy / "seeds", copy / "golden", cleaner)
    text = str(diff)
    assert diff.kind == "changed"
    assert "-Three were fonud critically injured among six incinerated corpses." in text
    assert "+Three were found critically injured among six incinerated corpses." in text
    assert "+ C101 now drops line 60: 'Please enter your comment!'" in text


def test_a_missing_and_an_orphaned_golden_are_differences(copy, cleaner):
    (copy / "golden" / "cases" / "mojibake.json").rename(copy / "golden" / "cases" / "gone.json")
    kinds = sorted((d.kind, d.id) for d in golden.check(copy / "seeds", copy / "golden", cleaner))
    assert kinds == [("missing", "cases/mojibake"), ("orphaned", "cases/gone")]


def test_update_rewrites_only_what_changed_and_deletes_orphans(copy, cleaner):
    (copy / "golden" / "cases" / "mojibake.json").rename(copy / "golden" / "cases" / "gone.json")
    written, deleted, failures = golden.update(copy / "seeds", copy / "golden", cleaner)
    assert (written, deleted, failures) == (["cases/mojibake"], ["cases/gone"], [])
    assert golden.check(copy / "seeds", copy / "golden", cleaner) == []


# --- golden sets for a user's own cases: init, and the net change by rule --------------------------------------

WIRE = """Bridge to close for repairs

The council voted on Friday to close the old bridge for two months of repairs, the mayor said after the meeting.

Work starts in May, and buses will use the ring road while the bridge is closed.

More stories from The Associated Press
"""
RECORDS = [{"id": "a", "text": "Leave a Reply\n\nThe council met on Friday and voted to close the old bridge."},
           {"id": "b", "text": "The ferry to the island runs again from Thursday, after three months of repairs."}]
#: A user's rule: the agency's line under a story. A user's ids start with U (no rule file
#: of the project's does); not X001, the id of a built-in removal (`cleaner.builtin`).
AGENCY_RULE = '''
[[rule]]
id = "U101"
name = "agency-more-stories"
stage = "strip_header"
description = "The news agency's link to more of its stories, alone on a line under the article."
action = "drop"
pattern = \'\'\'(?i)(?:more|other)\\s+stories\\s+from\\s+(?:the\\s+)?associated\\s+press\\.?\'\'\'
remove = ["More stories from The Associated Press"]
keep = ["The Associated Press has more stories from the region, its editor said on Friday."]
'''


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], prog_name="clean")
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture
def cases(tmp_path, monkeypatch):
    """A user's project in tmp_path (the working folder): cases/ with a text and a JSONL
    file of two records, and mine/ with a rule of their own."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "cases" / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "agency.toml").write_text(AGENCY_RULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_writes_a_golden_file_per_case_and_the_commands_it_prints_pass(cases):
    result, shown = invoke("golden", "init", "cases")
    assert result.exit_code == 0, shown
    written = sorted(p.relative_to(cases / "golden").as_posix() for p in (cases / "golden").rglob("*.json"))
    assert written == ["docs/a.json", "docs/b.json", "wire.json"], shown
    assert json.loads((cases / "golden" / "docs" / "a.json").read_text(encoding="utf-8"))["source"] == "docs.jsonl:1"
    assert "  check:  clean golden check --seeds cases --golden golden\n" in result.stdout, shown
    assert "  update: clean golden update --seeds cases --golden golden " in result.stdout, shown
    result, shown = invoke("golden", "check", "--seeds", "cases", "--golden", "golden")
    assert result.exit_code == 0 and result.stdout == "golden: 3 documents match\n", shown


def test_init_repeats_the_options_it_was_given_in_the_commands_it_prints(cases):
    result, shown = invoke("golden", "init", "cases", "--golden", "expected", "--rules", "mine")
    assert result.exit_code == 0 and (cases / "expected" / "wire.json").is_file(), shown
    (command,) = [line.split("check:")[1].split() for line in result.stdout.splitlines() if "check:" in line]
    assert command == ["clean", "golden", "check", "--seeds", "cases", "--golden", "expected", "--rules", "mine"], shown
    result, shown = invoke(*command[1:])
    assert result.exit_code == 0 and "3 documents match" in result.stdout, shown


def test_init_refuses_a_golden_folder_that_holds_golden_files(cases):
    (cases / "golden").mkdir()
    (cases / "golden" / "old.json").write_text("{}\n", encoding="utf-8")
    result, shown = invoke("golden", "init", "cases")
    assert result.exit_code == 1, shown
    assert "golden/ already holds 1 golden file;" in result.stderr, shown
    assert "`clean golden update --seeds cases --golden golden`" in result.stderr, shown
    assert "name a new folder with --golden." in result.stderr, shown
    assert [p.name for p in (cases / "golden").iterdir()] == ["old.json"]


@pytest.mark.parametrize("folder, problem", [("nowhere", "nowhere: no such folder"),
                                             ("empty", "empty/ holds no input to clean")])
def test_init_refuses_a_cases_folder_with_nothing_to_clean(cases, folder, problem):
    (cases / "empty").mkdir()
    (cases / "empty" / "notes.json").write_text("{}\n", encoding="utf-8")  # an output, not an input
    result, shown = invoke("golden", "init", folder)
    assert result.exit_code == 2 and problem in result.stderr, shown
    assert not (cases / "golden").exists()


def test_init_writes_nothing_when_a_case_does_not_clean(cases):
    (cases / "cases" / "blank.txt").write_bytes(b"")
    result, shown = invoke("golden", "init", "cases")
    assert result.exit_code == 1, shown
    assert "blank.txt: empty" in result.stderr and "no golden file written" in result.stderr, shown
    assert not (cases / "golden").exists()


def test_check_and_update_print_the_net_change_of_a_new_rule(cases):
    assert invoke("golden", "init", "cases")[0].exit_code == 0
    result, shown = invoke("golden", "check", "--seeds", "cases", "--rules", "mine")
    assert result.exit_code == 1, shown
    change = "  U101 agency-more-stories: +1 line, +6 words (1 document; new)\n"
    assert "net change by rule (now minus the golden files):\n" + change in result.stdout, shown
    result, shown = invoke("golden", "update", "--seeds", "cases", "--rules", "mine")
    assert result.exit_code == 0, shown
    assert result.stdout.endswith("net change by rule (the new golden files minus the old):\n" + change), shown
    result, shown = invoke("golden", "check", "--seeds", "cases", "--rules", "mine")
    assert result.exit_code == 0 and "net change" not in result.stdout, shown
    result, shown = invoke("golden", "check", "--seeds", "cases")
    assert result.exit_code == 1, shown
    assert "  U101: -1 line, -6 words (1 document; stopped)\n" in result.stdout, shown


def test_a_case_that_no_longer_cleans_is_no_net_change(cases):
    assert invoke("golden", "init", "cases")[0].exit_code == 0
    (cases / "cases" / "wire.txt").write_bytes(b"")
    result, shown = invoke("golden", "check", "--seeds", "cases")
    assert result.exit_code == 1 and "wire.txt: this seed no longer cleans" in result.stdout, shown
    assert "net change" not in result.stdout, shown


def span(rule, line, text):
    return {"rule": rule, "line": line, "action": "drop", "to": None, "text": text, "reason": None}


def test_rule_changes_counts_documents_lines_and_words_before_and_after():
    before = {"a": {"removed": [span("H1", 1, "Share this article"), span("H1", 2, "Facebook Twitter"),
                                span("C1", 9, "Leave a Reply"), span("M1", 1, "Old title here")]},
              "b": {"removed": [span("H1", 1, "Share")]},
              "gone": {"removed": [span("S1", 4, "pic.twitter.com/x")]}}
    after = {"a": {"removed": [span("H1", 1, "Share this article"), span("H1", 2, "Facebook Twitter"),
                               span("H1", 3, "Email"), span("C1", 9, "Leave a Reply"), span("M1", 1, "New title here"),
                               span("N1", 5, "By the AP"), span("N1", 5, "AP Photo")]},
             "b": {"removed": [span("H1", 1, "Share")]},
             "new": {"removed": [span("H1", 7, "Print this page")]}}
    changes = golden.rule_changes(before, after)
    assert [(c.rule, c.docs_before, c.docs_after, c.lines_before, c.lines_after, c.words_before, c.words_after,
             c.docs_changed) for c in changes] == [
        ("N1", 0, 1, 0, 1, 0, 5, 1),  # two pieces of one line: one line
        ("H1", 2, 3, 3, 5, 6, 10, 2),
        ("S1", 1, 0, 1, 0, 1, 0, 1),  # one word: words are white-space separated
        ("M1", 1, 1, 1, 1, 3, 3, 1),  # takes another line of the same size: changed, no net change
    ]
    assert [(c.new, c.stopped) for c in changes] == [(True, False), (False, False), (False, True), (False, False)]
    assert golden.render_changes(changes, {"N1": "agency-credit", "H1": "share-buttons", "M1": "title"}) == [
        "  N1 agency-credit: +1 line, +5 words (1 document; new)",
        "  H1 share-buttons: +2 lines, +4 words (2 documents)",
        "  S1: -1 line, -1 word (1 document; stopped)",
        "  M1 title: +0 lines, +0 words (1 document)",
    ]
    assert golden.rule_changes(before, before) == [] and golden.rule_changes({}, {}) == []
