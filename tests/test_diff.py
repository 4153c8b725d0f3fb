"""``clean diff``: two cleanings of a corpus compared, by the command and by the library;
the report's HTML is parsed and its contents checked."""

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import zstandard
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.diff import Diff, compare, from_documents
from cleaner.outputread import Output
from cleaner.rulecounts import RuleTotals, rules_that_changed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: A user's rule: drop every line that names a news agency (our own words).
AGENCY_RULE = '''
[[rule]]
id = "U001"
name = "news-agency-line"
stage = "strip_header"
description = "A line that names the Associated Press."
action = "drop"
pattern = '.*Associated Press.*'
remove = ["Copyright 2020 The Associated Press. All rights reserved."]
keep = ["The council met on Friday."]
'''
STORY = ("The council voted on Friday to close the old bridge for two months of repairs.\n\n"
         "Engineers found cracks in two of its piers during the spring inspection, the mayor said.\n\n"
         "Officials told the Associated Press that the work would start in May.\n")
OTHER = ("A new library opens in the town centre next week, with a reading room for children.\n\n"
         "It holds forty thousand books and a small cafe run by volunteers from the neighbourhood.\n")


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], prog_name="clean")
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture
def agency_rules(tmp_path):
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "agency.toml").write_text(AGENCY_RULE, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path):
    """A corpus in the evaluation layout: corpus/text/*.txt and corpus/truth.jsonl."""
    text = tmp_path / "corpus" / "text"
    text.mkdir(parents=True)
    (text / "bridge.txt").write_text(STORY, encoding="utf-8")
    (text / "library.txt").write_text(OTHER, encoding="utf-8")
    truth = [{"id": "bridge", "body": STORY.replace("Officials told the Associated Press that the work would start in May.\n", "")},
             {"id": "library", "body": OTHER}]
    (tmp_path / "corpus" / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth), encoding="utf-8")
    return text


class Page(HTMLParser):
    """What a test asks of the report page: its text, ids, links, and any script or external resource."""

    def __init__(self):
        super().__init__()
        self.text, self.ids, self.links, self.external = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("script", "link", "img", "iframe") or (a.get("src") or "").startswith(("http", "//")):
            self.external.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_a_user_rule_changes_a_seed_and_the_report_says_which_rule(agency_rules, tmp_path):
    report = tmp_path / "rep"
    result, shown = invoke("diff", SEEDS, "--rules", agency_rules, "-o", report, "--exit-code", "-j", "1")
    assert result.exit_code == 1, shown
    out = result.stdout
    assert "1 changed" in out and "U001 news-agency-line (new)" in out, shown
    assert "001_3771d5a176e2eb79: changed" in out, shown
    data = json.loads((report / "diff.json").read_text(encoding="utf-8"))
    assert data["changed"] == 1 and data["rules"][0]["rule"] == "U001" and data["rules"][0]["mark"] == "new"
    doc = data["documents"][0]
    assert doc["id"] == "001_3771d5a176e2eb79" and doc["rules"] == ["U001"]
    taken = [d for d in doc["body_diff"] if d["op"] == "-" and "Associated Press" in d["line"]]
    assert taken and all(d["rule"] == "U001" for d in taken), doc["body_diff"]
    assert [(x["change"], x["rule"]) for x in doc["spans"]] == [("taken", "U001")]
    assert "now drops line 3: 'The Associated Press reported" in doc["spans"][0]["what"]
    page = Page()
    page.feed((report / "index.html").read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "rule-U001" in page.ids and "doc-001_3771d5a176e2eb79" in page.ids
    assert "#doc-001_3771d5a176e2eb79" in page.links and "#rule-U001" in page.links
    assert "news-agency-line" in text and "Associated Press reported" in text
    assert page.external == [], "the report must need nothing from outside the page"


def test_no_change_exits_0(tmp_path):
    rules = tmp_path / "none"
    rules.mkdir()
    (rules / "off.toml").write_text(AGENCY_RULE.replace("Associated Press.*'", "No agency names this.*'")
                                    .replace("Copyright 2020 The Associated Press", "No agency names this"),
                                    encoding="utf-8")
    result, shown = invoke("diff", SEEDS, "--rules", rules, "--exit-code", "-j", "1")
    assert result.exit_code == 0, shown
    assert "0 changed" in result.stdout and "no rule takes more or less than before" in result.stdout, shown


def test_against_an_earlier_run_with_the_truth_beside_the_corpus(corpus, agency_rules, tmp_path):
    earlier = tmp_path / "earlier"
    result, shown = invoke("run", corpus, "-o", earlier, "-q", "-j", "1")
    assert result.exit_code == 0, shown
    same, shown = invoke("diff", corpus, "--base-output", earlier, "--exit-code", "-j", "1")
    assert same.exit_code == 0 and "2 documents compared: 0 changed" in same.stdout, shown
    result, shown = invoke("diff", corpus, "--base-output", earlier, "--rules", agency_rules, "-j", "1")
    assert result.exit_code == 0, shown
    assert "base: the documents in" in result.stdout and "1 changed" in result.stdout, shown
    assert "accuracy against" in result.stdout and "2 documents with a truth" in result.stdout, shown
    # the agency line is not in the truth: precision goes up
    line = next(x for x in result.stdout.splitlines() if x.startswith("accuracy"))
    p_before, p_after = (float(x) for x in line.split("body P ")[1].split(",")[0].split(" -> "))
    assert p_after > p_before, line


def test_base_rules_against_rules_and_where(corpus, agency_rules, tmp_path):
    other = tmp_path / "other-rules"
    other.mkdir()
    (other / "library.toml").write_text(AGENCY_RULE.replace("U001", "U002").replace("news-agency-line", "cafe-line")
                                        .replace("Associated Press.*'", "cafe.*'")
                                        .replace("Copyright 2020 The Associated Press", "a small cafe"),
                                        encoding="utf-8")
    result, shown = invoke("diff", corpus, "--base-rules", agency_rules, "--rules", other, "-j", "1")
    assert result.exit_code == 0 and "2 changed" in result.stdout, shown
    assert "(2 documents with a truth)" in result.stdout, shown  # both sides cleaned in one pass keep the documents
    assert "U001 news-agency-line (stopped)" in result.stdout and "U002 cafe-line (new)" in result.stdout, shown
    result, shown = invoke("diff", corpus, "--base-rules", agency_rules, "--rules", other, "--where", "U002", "-j", "1")
    assert "limited to the documents where U002" in result.stdout and "1 changed" in result.stdout, shown
    assert "library: changed" in result.stdout and "bridge: changed" not in result.stdout, shown


def sampled_twice(corpus, rules, n, seed, where, says):
    """The reports of two diffs of the same sample (``says``: what the command prints of it)."""
    reports = []
    for k in range(2):
        result, shown = invoke("diff", corpus, "--rules", rules, "--sample", n, "--seed", seed, "-j", "1",
                               "-o", where / f"r{k}")
        assert result.exit_code == 0 and says in result.stdout, shown
        reports.append(json.loads((where / f"r{k}" / "diff.json").read_text(encoding="utf-8")))
    return reports


def test_sample_is_the_same_for_the_same_seed_and_keeps_ids(agency_rules, tmp_path):
    outs = sampled_twice(SEEDS, agency_rules, 5, 3, tmp_path, "sample: 5 of")
    assert outs[0] == outs[1]
    assert outs[0]["compared"] == 5 and outs[0]["only_before"] == [] and outs[0]["only_after"] == []


def test_usage_errors_exit_2(agency_rules, tmp_path):
    result, shown = invoke("diff", SEEDS, "--base-output", tmp_path, "--base-rules", agency_rules)
    assert result.exit_code == 2 and "give one of them" in result.stderr, shown
    result, shown = invoke("diff", SEEDS, "--base-output", tmp_path / "nowhere", "-j", "1")
    assert result.exit_code == 2 and "nowhere: no such file or folder" in result.stderr, shown


def test_both_sides_use_the_workers(agency_rules):
    one, shown = invoke("diff", SEEDS, "--rules", agency_rules, "-j", "1", "-q")
    two, shown2 = invoke("diff", SEEDS, "--rules", agency_rules, "-j", "2", "-q")
    assert one.exit_code == two.exit_code == 0, shown + shown2
    assert one.stdout == two.stdout


def test_compare_counts_each_side():
    base = {"a": {"id": "a", "body": "one two", "removed": [{"rule": "H001", "text": "Menu"}]},
            "b": {"id": "b", "body": "three", "removed": []},
            "c": {"id": "c", "body": "gone", "removed": []}}
    new = {"a": {"id": "a", "body": "one two", "removed": [{"rule": "H001", "text": "Menu"}], "source": "x/a.txt"},
           "b": {"id": "b", "body": "", "removed": [{"rule": "U001", "text": "three"}]},
           "d": {"id": "d", "body": "new here", "removed": []}}
    pairs = [(i, base.get(i), new.get(i)) for i in ("a", "b", "c", "d")]
    diff = compare(from_documents(pairs), Diff("base", "new"))
    assert diff.compared == 2 and diff.unchanged == 1  # `source` is where it was read, not compared
    assert [c.id for c in diff.changed] == ["d", "c", "b"]  # the most changed first
    assert diff.only_before == ["c"] and diff.only_after == ["d"]
    assert diff.body_words == [3, 2] and diff.removed_words == [1, 2]
    assert [(c.rule, c.mark) for c in diff.rules] == [("U001", "new")]
    assert rules_that_changed(base["b"], new["b"]) == ["U001"]


def test_rule_totals_count_documents_lines_and_words():
    t = RuleTotals()
    t.add({"removed": [{"rule": "H1", "line": 1, "text": "Share this"}, {"rule": "H1", "line": 2, "text": "Tweet"}]},
          {"removed": [{"rule": "H1", "line": 1, "text": "Share this"}]})
    t.add(None, {"removed": [{"rule": "H1", "line": 5, "text": "Print"}, {"rule": "H1", "line": 5, "text": "Mail"}]})
    same = {"removed": [{"rule": "C1", "line": 3, "text": "Leave a reply"}]}
    t.add(same, same)
    (c,) = t.changes()  # C1 takes the same on both sides: no change to show
    assert (c.docs_before, c.docs_after, c.lines_before, c.lines_after, c.words_before, c.words_after,
            c.docs_changed) == (1, 2, 2, 2, 3, 4, 2)  # two pieces of line 5 are one line
    assert c.mark == "" and (c.lines, c.words) == (0, 1)


def test_outputs_of_every_layout_are_read_by_id(tmp_path):
    docs = [{"id": "a/one", "body": "x"}, {"id": "two", "body": "y"}]
    tree = tmp_path / "tree"
    (tree / "a").mkdir(parents=True)
    (tree / "a" / "one.json").write_text(json.dumps(docs[0]), encoding="utf-8")
    (tree / "two.json").write_text(json.dumps(docs[1]), encoding="utf-8")
    (tree / "stats.json").write_text("{}", encoding="utf-8")
    lines = "".join(json.dumps(d) + "\n" for d in docs).encode()
    (tmp_path / "docs.jsonl").write_bytes(lines)
    (tmp_path / "docs.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "docs.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "part-00000.jsonl").write_bytes(lines)
    for where in (tree, tmp_path / "docs.jsonl", tmp_path / "docs.jsonl.gz", tmp_path / "docs.jsonl.zst", shards):
        out = Output(where)
        assert sorted(out.ids()) == ["a/one", "two"], where
        assert out.get("two") == docs[1] and out.get("a/one") == docs[0] and out.get("three") is None


def test_an_output_that_is_not_one_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl, line 2: not JSON"):
        Output(bad)
    (tmp_path / "x.csv").write_text("id,body\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x.csv: not an output `clean` writes"):
        Output(tmp_path / "x.csv")


def test_an_empty_rule_folder_changes_nothing_and_says_so(tmp_path):
    empty = tmp_path / "new-rules"
    empty.mkdir()
    result, shown = invoke("diff", SEEDS, "--rules", empty, "--exit-code", "-j", "1")
    assert result.exit_code == 0 and "0 changed" in result.stdout, shown
    assert f"clean: warning: {empty}: no *.toml rule files in this folder" in result.stderr, shown


def test_a_where_rule_that_is_not_loaded_is_named_and_a_bad_truth_is_an_error(agency_rules, corpus, tmp_path):
    result, shown = invoke("diff", corpus, "--rules", agency_rules, "--where", "U01", "-j", "1")
    assert result.exit_code == 0 and "0 changed" in result.stdout, shown
    assert ("clean: warning: --where U01: no rule of that id is loaded here, so no document can show it. "
            "Did you mean 'U001'?") in result.stderr, shown
    truth = tmp_path / "truth.jsonl"
    truth.write_text('{"id": "bridge", "body": "x"}\n{"body": "no id"}\n', encoding="utf-8")
    result, shown = invoke("diff", corpus, "--rules", agency_rules, "--truth", truth, "-j", "1")
    assert result.exit_code == 2 and f"{truth}, line 2: no string `id`" in result.stderr, shown


def test_no_input_is_an_error_that_says_what_to_name(tmp_path):
    (tmp_path / "empty").mkdir()
    for where, why in ((tmp_path / "empty", ":"), (tmp_path / "missing", " (no such file or folder")):
        result, shown = invoke("diff", where, "-j", "1")
        assert result.exit_code == 2, shown
        assert f"clean: no input found in {where}{why}" in result.stderr and "nothing to compare" in result.stderr, shown


def test_a_side_where_every_input_fails_compares_as_empty(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "blank.txt").write_text("", encoding="utf-8")
    result, shown = invoke("diff", corpus, "-j", "1")
    assert result.exit_code == 0 and "0 documents compared" in result.stdout, shown
    assert "1 input failed on the base side" in result.stdout and "1 input failed on the new side" in result.stdout, shown


def test_a_jsonl_corpus_is_sampled_record_by_record_and_keeps_its_ids(agency_rules, tmp_path):
    corpus = tmp_path / "shards"
    corpus.mkdir()
    texts = [STORY.replace("Friday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    # one shard whose records have ids, one (compressed) whose records have none
    (corpus / "a.jsonl").write_text("".join(json.dumps({"id": f"story-{k}", "text": t}) + "\n"
                                            for k, t in enumerate(texts)), encoding="utf-8")
    with gzip.open(corpus / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps({"text": t}) for t in texts) + "\n\n")
    whole = tmp_path / "whole"
    assert invoke("run", corpus, "-o", whole, "-q")[0].exit_code == 0
    ids = set(Output(whole).ids())
    assert len(ids) == 10
    reports = sampled_twice(corpus, agency_rules, 4, 7, tmp_path, "sample: 4 of 10 documents (seed 7)")
    assert reports[0] == reports[1] and reports[0]["compared"] == 4
    sampled = {d["id"] for d in reports[0]["documents"]}
    assert len(sampled) == 4 and sampled <= ids  # the ids a run over the whole corpus gives
    # against that whole run, the sample compares document by document
    result, shown = invoke("diff", corpus, "--base-output", whole, "--rules", agency_rules, "--sample", "4",
                           "--seed", "7", "-j", "1", "-o", tmp_path / "r2")
    assert result.exit_code == 0, shown
    against = json.loads((tmp_path / "r2" / "diff.json").read_text(encoding="utf-8"))
    assert against["compared"] == 4 and against["only_before"] == [] and against["only_after"] == []
    assert {d["id"] for d in against["documents"]} == sampled


def test_an_id_two_inputs_share_is_named_against_an_earlier_output(agency_rules, tmp_path):
    corpus = tmp_path / "shards"
    corpus.mkdir()
    for name, text in (("a", STORY), ("b", OTHER)):  # each shard's record has the id "dup"
        (corpus / f"{name}.jsonl").write_text(json.dumps({"id": "dup", "text": text}) + "\n", encoding="utf-8")
    earlier = tmp_path / "earlier"
    assert invoke("run", corpus, "-o", earlier, "-q")[0].exit_code == 0
    assert Output(earlier).repeated == {"dup"}
    result, shown = invoke("diff", corpus, "--base-output", earlier, "--rules", agency_rules, "-j", "1",
                           "-o", tmp_path / "r")
    assert result.exit_code == 0, shown
    assert "1 id of the base side names more than one document ('dup')" in result.stdout, shown
    assert "1 id of the new side names more than one document ('dup')" in result.stdout, shown
    report = json.loads((tmp_path / "r" / "diff.json").read_text(encoding="utf-8"))
    assert report["repeated_before"] == report["repeated_after"] == ["dup"]
