"""Plugins (docs/plugins.md): the example of the docs works by hand and as an installed
package, found through its entry points; a broken plugin is named, never a traceback; a
stage of one runs where it says and fails one document only; the fingerprint and the
rule cache know which plugins are in force."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, RuleFileError, load_rules, run
from cleaner.cli import app
from cleaner.detectors import DETECTORS
from cleaner.plugins import PluginError, Stage, installed, register_detector, take_lines

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
#: The docs' files (``<!-- file: NAME -->``) and examples (``<!-- example: NAME -->``), by name.
FILES = dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)^```", DOC, re.S | re.M))
EXAMPLES = dict(re.findall(r"<!-- example: (\S+) -->\n```python\n(.*?)^```", DOC, re.S | re.M))
MODULE = "cleaner_extras"
TEXT = ("The council met on Friday and voted to close the old bridge for repairs.\n"
        "oooooooooo\n"
        "CALL NOW FOR A FREE QUOTE!\n"
        "Work starts in May and should take about six weeks, the council said.\n")
ARTICLE = "The council met on Friday and voted to close the old bridge for repairs, which start in May."


@pytest.fixture(autouse=True)
def registry():
    """Every test starts and ends with the shipped detectors only, the installed plugins
    to be found again, and no plugin module imported."""
    saved = dict(DETECTORS)
    installed.cache_clear()
    yield
    DETECTORS.clear()
    DETECTORS.update(saved)
    installed.cache_clear()
    for name in [m for m in sys.modules if m in (MODULE, "example_plugin")]:
        del sys.modules[name]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A folder holding the docs' files: the module, the rule file, the pyproject.toml."""
    for name, body in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


def install(site: Path, name: str, version: str, entry_points: dict[str, dict[str, str]],
            modules: dict[str, str]) -> Path:
    """What pip leaves for a package: its modules and a ``NAME-VERSION.dist-info`` folder
    with METADATA and entry_points.txt, in ``site`` (then put on sys.path)."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
                for group, eps in entry_points.items()), encoding="utf-8")
    for module, source in modules.items():
        (site / f"{module}.py").write_text(source, encoding="utf-8")
    return site


@pytest.fixture
def installed_example(example: Path, monkeypatch) -> Path:
    """The docs' package installed as its pyproject.toml declares it, on sys.path."""
    project = tomllib.loads(FILES["pyproject.toml"])["project"]
    site = install(example / "site", project["name"], project["version"], project["entry-points"],
                   {MODULE: FILES[f"{MODULE}.py"]})
    monkeypatch.syspath_prepend(str(site))
    return example


def test_the_docs_show_every_file_and_example():
    assert set(FILES) == {f"{MODULE}.py", "my-rules/extras.toml", "pyproject.toml"}
    assert set(EXAMPLES) == {"by-hand"}


def test_the_docs_example_runs_by_hand(example):
    # by hand, whatever plugins this machine has installed
    done = subprocess.run([sys.executable, "-c", EXAMPLES["by-hand"]], cwd=example, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "CLEANER_NO_PLUGINS": "1"})
    assert done.returncode == 0, done.stderr


def test_the_docs_example_installed_is_found_and_used(installed_example):
    cleaner = Cleaner(rule_dirs=[installed_example / "my-rules"])
    assert DETECTORS["repeated-character"].origin == "cleaner-extras 0.1.0"
    assert [(s.name, s.origin) for s in cleaner.stages] == [("drop_shouting", "cleaner-extras 0.1.0")]
    doc = cleaner.clean_text(TEXT)
    assert [(s.rule, s.stage, s.text) for s in doc.removed] == [
        ("P001", "strip_header", "oooooooooo"), ("P002", "drop_shouting", "CALL NOW FOR A FREE QUOTE!")]
    assert cleaner.clean_text(ARTICLE).body == ARTICLE


def test_clean_uses_an_installed_plugin_and_lists_it(installed_example):
    rules = str(installed_example / "my-rules")
    listed = CliRunner().invoke(app, ["rules", "list", "--rules", rules])
    assert listed.exit_code == 0, listed.output
    assert "drop_shouting: 1 rule" in listed.stdout and "P001" in listed.stdout
    assert "Detectors of plugins: repeated-character (cleaner-extras 0.1.0)." in listed.stdout
    tested = CliRunner().invoke(app, ["rules", "test", "--rules", rules])
    assert tested.exit_code == 0 and " 0 failed" in tested.stdout
    # a process of its own, as a user runs it: found without being told
    (installed_example / "a.txt").write_text(TEXT, encoding="utf-8")
    path = os.pathsep.join([str(installed_example / "site"), str(ROOT)])
    done = subprocess.run([sys.executable, "-m", "cleaner", "a.txt", "--rules", rules, "--format", "jsonl"],
                          cwd=installed_example, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 0, done.stderr
    assert '"rule":"P001"' in done.stdout and '"rule":"P002","stage":"drop_shouting"' in done.stdout


def test_explain_names_a_plugin_stage_s_removals(installed_example):
    (installed_example / "a.txt").write_text(TEXT, encoding="utf-8")
    shown = CliRunner().invoke(app, ["explain", str(installed_example / "a.txt"),
                                     "--rules", str(installed_example / "my-rules")])
    assert shown.exit_code == 0, shown.output
    assert "[P002 drop_shouting]" in shown.stdout and "[P001 " in shown.stdout


BROKEN = {
    "no module": ("cleaner.detectors", "no_such_module:SPEC", "ModuleNotFoundError: No module named 'no_such_module'"),
    "fails on import": ("cleaner.detectors", "example_plugin:SPEC", "RuntimeError: needs a GPU"),
    "wrong object": ("cleaner.detectors", "cleaner.plugins:register_detector", "function <function register_detector"),
    "stage is no Stage": ("cleaner.stages", "cleaner.plugins:PluginError", "not a Stage"),
    "a table, not a spec": ("cleaner.detectors", "cleaner.detectors:DETECTORS", "it loads dict {'comment-thread'"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_entry_point_is_named_with_its_distribution(case, tmp_path, monkeypatch):
    group, target, cause = BROKEN[case]
    module = "raise RuntimeError('needs a GPU')\n" if case == "fails on import" else ""
    site = install(tmp_path, "example-plugin", "0.1", {group: {"broken": target}}, {"example_plugin": module})
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(PluginError) as e:
        load_rules()
    assert len(e.value.problems) == 1
    where = f"plugin example-plugin 0.1: entry point broken = '{target}' in group {group}"
    assert e.value.problems[0].startswith(where)
    assert cause in e.value.problems[0]
    assert "CLEANER_NO_PLUGINS=1" in str(e.value)
    assert "broken" not in DETECTORS
    result = CliRunner().invoke(app, ["rules", "list"])
    assert result.exit_code == 2 and "clean: plugin error: plugin example-plugin 0.1" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv("CLEANER_NO_PLUGINS", "1")
    installed.cache_clear()
    assert load_rules() and installed().stages == ()


def test_an_entry_point_that_takes_a_shipped_name_is_refused(tmp_path, monkeypatch):
    site = install(tmp_path, "example-plugin", "0.1", {"cleaner.detectors": {"headline": "example_plugin:SPEC"}},
                   {"example_plugin": "from cleaner.plugins import DetectorSpec\nSPEC = DetectorSpec(print, {})\n"})
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(PluginError, match="the detector name 'headline' is taken by a shipped detector"):
        installed()
    assert DETECTORS["headline"].origin == ""


def words_stage(name: str, after: str, seen: list[str]) -> Stage:
    def look(doc, ctx):
        seen.append(" | ".join(ln.text for ln in doc.lines if ln.text.strip()))
        return doc
    return Stage(name, look, after=after)


@pytest.mark.parametrize("after, sees_the_comment_heading", [
    ("repair_again", True), ("tidy_lines", True),
    ("split_metadata", False),  # a rule stage: after the rounds, so after strip_comments too
    ("social_embeds", False), ("classify_page", False),
])
def test_a_stage_runs_where_it_says(after, sees_the_comment_heading):
    seen: list[str] = []
    doc = Cleaner(stages=[words_stage("look", after, seen)]).clean_text(f"Leave a Reply\n\n{ARTICLE}")
    assert doc.body == ARTICLE
    assert len(seen) == 1 and ("Leave a Reply" in seen[0]) is sees_the_comment_heading


def test_the_rounds_run_again_after_a_stage_takes_something_out():
    def drop_marker(doc, ctx):
        return MARKER.take(doc, [i for i, ln in enumerate(doc.lines) if ln.text == "MARKER"])
    MARKER = Stage("drop_marker", drop_marker, after="strip_comments", id="U1")
    # the date line is glued at the head (M001) only once the marker above it has gone
    text = f"MARKER\ndate 2020-01-03 {ARTICLE}"
    assert Cleaner(stages=()).clean_text(text).date is None
    doc = Cleaner(stages=[MARKER]).clean_text(text)
    assert doc.date == "2020-01-03" and [s.rule for s in doc.removed] == ["U1", "M001"]


def boom(doc, ctx):
    if any("boom" in ln.text for ln in doc.lines):
        raise KeyError("boom")
    return doc


def test_a_stage_that_fails_rejects_only_that_document(tmp_path):
    stage = Stage("explode", boom, after="tidy_lines")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(f"{ARTICLE}\nboom", encoding="utf-8")
    stats = run(tmp_path / "in", tmp_path / "out", cleaner=Cleaner(stages=[stage]))
    assert (stats.written, stats.failed) == (1, 1)
    assert stats.failures[0].source.endswith("b.txt")
    assert f"error in stage explode of {__name__}.boom: KeyError: 'boom'" in stats.failures[0].reason


def take_unrecorded(doc, ctx):
    return doc.changed(lines=doc.lines[1:])


def record_as_a_rule(doc, ctx):
    return take_lines(doc, load_rules().get("C104"), [0])


@pytest.mark.parametrize("run, problem", [
    (take_unrecorded, "took line 2 out without recording it"),
    (record_as_a_rule, "recorded a removal under 'C104' in stage 'strip_comments'"),
    (lambda doc, ctx: doc.changed(removed=()), "changed the removals recorded before it"),
    (lambda doc, ctx: doc.body, "returned NoneType, not a Document"),
])
def test_a_stage_must_record_what_it_takes(run, problem):
    # after the comment rules took "Leave a Reply" out
    sloppy = Stage("sloppy", run, after="strip_comments", id="U1")
    doc = Cleaner(stages=[sloppy]).clean_text(f"Leave a Reply\n\n{ARTICLE}")
    assert doc.rejected and problem in doc.rejected


@pytest.mark.parametrize("stage, problem", [
    (Stage("look", boom, after="strip_coments"), "Did you mean 'strip_comments'?"),
    (Stage("look", boom, after="tidy"), "which is no stage it can follow"),
    (Stage("tidy", boom, after="decode"), "a stage named 'tidy' is already in the pipeline"),
    (Stage("look", boom, after="decode", id="C104"), "its id 'C104' is already a rule's"),
    (Stage("look", boom, after="decode", id="W001"), "its id 'W001' is already a rule's"),
])
def test_a_stage_that_cannot_be_placed_is_refused(stage, problem):
    with pytest.raises(PluginError, match=re.escape(problem)):
        Cleaner(stages=[stage])


@pytest.mark.parametrize("kwargs, problem", [
    ({"name": "Bad Name"}, "is not a stage name"),
    ({"run": "not a function"}, "`run` must be a function"),
    ({"id": "has space"}, "is not an id"),
])
def test_a_stage_is_checked_when_made(kwargs, problem):
    with pytest.raises(PluginError, match=problem):
        Stage(**{"name": "look", "run": boom, "after": "decode", **kwargs})


def lines_of(doc, rule, ctx):
    return take_lines(doc, rule, [i for i, ln in enumerate(doc.lines) if len(ln.text) == rule.param("length")])


RULE = """[[rule]]
id = "U1"
name = "lines-of-a-length"
stage = "strip_header"
description = "Lines of a given length."
action = "drop"
detector = "lines-of"
remove = ["xyzxyzxyz"]
keep = ["The council met on Friday and voted to close the old bridge."]
"""


@pytest.mark.parametrize("args, problem", [
    (("headline", lines_of, {}), "the name is taken by a shipped detector. Choose another name, or pass replace=True"),
    (("Lines Of", lines_of), "is not a detector name"),
    (("lines-of", "not a function"), "`run` must be a function"),
    (("lines-of", lines_of, {"sign": 3}, ["sign"]), "pattern parameter 'sign' needs a string default"),
    (("lines-of", lines_of, {"side": "up"}, (), {"side": ("before", "after")}), "needs a default that is one of"),
])
def test_register_detector_refuses_with_a_sentence(args, problem):
    with pytest.raises(PluginError, match=re.escape(problem)):
        register_detector(*args)


def test_a_registered_detector_is_named_by_rules_and_replaced_only_when_asked(tmp_path):
    (tmp_path / "r.toml").write_text(RULE, encoding="utf-8")
    with pytest.raises(RuleFileError, match="unknown detector 'lines-of'"):
        load_rules([tmp_path])
    register_detector("lines-of", lines_of, {"length": 9})
    register_detector("lines-of", lines_of, {"length": 9})  # the same again: nothing to refuse
    assert load_rules([tmp_path]).get("U1").param("length") == 9
    with pytest.raises(PluginError, match=f"taken by the detector of {__name__}.lines_of"):
        register_detector("lines-of", lines_of, {"length": 4})
    # replaced: the rule cache does not give the rule set checked against the old one
    register_detector("lines-of", lines_of, {"length": 4}, replace=True)
    rules = load_rules([tmp_path])
    assert rules.get("U1").param("length") == 4
    assert [s.text for s in Cleaner(rules, stages=()).clean_text(f"abcd\n{ARTICLE}").removed] == ["abcd"]
    del DETECTORS["lines-of"]
    with pytest.raises(RuleFileError, match="unknown detector 'lines-of'"):
        load_rules([tmp_path])


def test_the_fingerprint_changes_with_the_plugins_in_force(tmp_path):
    (tmp_path / "r.toml").write_text(RULE, encoding="utf-8")
    shipped = load_rules()
    plain = Cleaner(shipped, stages=()).fingerprint
    assert Cleaner(shipped, stages=()).fingerprint == plain
    staged = Cleaner(shipped, stages=[Stage("explode", boom, after="decode")]).fingerprint
    assert staged != plain
    assert Cleaner(shipped, stages=[Stage("explode", boom, after="decode", origin="mine 2.0")]).fingerprint != staged
    register_detector("lines-of", lines_of, {"length": 9}, origin="mine 1.0")
    first = Cleaner(rule_dirs=[tmp_path], stages=()).fingerprint
    register_detector("lines-of", lines_of, {"length": 9}, origin="mine 1.1", replace=True)
    assert Cleaner(rule_dirs=[tmp_path], stages=()).fingerprint != first
    # a detector that no rule names is not in force
    assert Cleaner(shipped, stages=()).fingerprint == plain


def test_a_cleaner_keeps_the_detectors_it_was_made_with_when_one_is_replaced(tmp_path):
    """A cleaner runs the detectors it was made with, as its fingerprint says: replacing
    one in the registry changes the cleaners made after, not one already made."""
    (tmp_path / "r.toml").write_text(RULE, encoding="utf-8")
    text = f"xyzxyzxyz\n{ARTICLE}"
    register_detector("lines-of", lines_of, {"length": 9}, origin="mine 1.0")
    before = Cleaner(rule_dirs=[tmp_path], stages=())
    register_detector("lines-of", lambda doc, rule, ctx: doc, {"length": 9}, origin="mine 2.0", replace=True)
    after = Cleaner(rule_dirs=[tmp_path], stages=())
    assert [s.text for s in before.clean_text(text).removed] == ["xyzxyzxyz"]
    assert after.clean_text(text).removed == ()
    assert before.fingerprint != after.fingerprint
    # and a worker process gets the detector its cleaner was made with
    again = pickle.loads(pickle.dumps(before))
    assert [s.text for s in again.clean_text(text).removed] == ["xyzxyzxyz"]


def test_a_resumed_run_redoes_what_was_cleaned_without_a_stage(example, tmp_path):
    sys.path.insert(0, str(example))
    try:
        from cleaner_extras import DROP_SHOUTING
    finally:
        sys.path.remove(str(example))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert run(tmp_path / "in", out, cleaner=Cleaner(stages=())).written == 1
    with_stage = Cleaner(stages=[DROP_SHOUTING])
    stats = run(tmp_path / "in", out, cleaner=with_stage)
    assert (stats.written, stats.resumed) == (1, 0)
    assert "P002" in (out / "a.json").read_text(encoding="utf-8")
    assert run(tmp_path / "in", out, cleaner=with_stage).resumed == 1


def test_a_cleaner_carries_its_plugin_detectors_to_a_worker(tmp_path):
    (tmp_path / "r.toml").write_text(RULE, encoding="utf-8")
    register_detector("lines-of", lines_of, {"length": 9})
    cleaner = Cleaner(rule_dirs=[tmp_path], stages=[Stage("explode", boom, after="decode")])
    data = pickle.dumps(cleaner)
    del DETECTORS["lines-of"]  # a worker process that never registered it
    copy = pickle.loads(data)
    assert [s.rule for s in copy.clean_text(f"xyzxyzxyz\n{ARTICLE}").removed] == ["U1"]
    assert copy.fingerprint == cleaner.fingerprint and copy.stages == cleaner.stages


def test_import_cleaner_does_not_look_for_plugins():
    code = ("import cleaner, cleaner.plugins as p; assert p.installed.cache_info().currsize == 0; "
            "cleaner.Cleaner(); assert p.installed.cache_info().currsize == 1")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
