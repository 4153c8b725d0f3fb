"""Loading rule files: every broken file is refused with the file, the rule id and the problem."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cleaner.ruleload import RuleFileError, load_rules, shipped_rules_dir, source_rules

ROOT = Path(__file__).resolve().parent.parent

GOOD = '''
[[rule]]
id = "U001"
name = "house-footer"
stage = "strip_comments"
description = "Our site's footer line."
action = "drop"
pattern = '(?i)all rights reserved by the town gazette\\.?'
remove = ["All rights reserved by the Town Gazette."]
keep = ["The council said all rights reserved by the town gazette were sold in May."]
'''


def write(tmp_path: Path, text: str, name: str = "user.toml") -> Path:
    d = tmp_path / "rules"
    d.mkdir(exist_ok=True)
    (d / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return d


def problems(tmp_path, text, name="user.toml"):
    with pytest.raises(RuleFileError) as e:
        load_rules([write(tmp_path, text, name)])
    return "\n".join(e.value.problems)


def test_a_good_user_rule_is_added_after_the_shipped_ones(tmp_path):
    rules = load_rules([write(tmp_path, GOOD)])
    assert rules.get("U001").name == "house-footer"
    assert rules.rules[-1].id == "U001"
    assert len(rules) == len(load_rules()) + 1


@pytest.mark.parametrize(
    "change, expected",
    [
        (("pattern = '(?i)all rights", "pattern = '(?i)(all rights"), ["user.toml", "rule U001", "pattern does not compile"]),
        (('action = "drop"', 'action = "delete"'), ["rule U001", "`action` is 'delete'"]),
        (('stage = "strip_comments"', 'stage = "comments"'), ["rule U001", "`stage` is 'comments'"]),
        (('pattern =', 'patern ='), ["unknown key 'patern'", "Did you mean 'pattern'?"]),
        (('keep = [', 'kept = ['), ["unknown key 'kept'", "missing examples: `keep`"]),
        (('remove = ["All rights reserved by the Town Gazette."]', 'remove = []'), ["rule U001", "missing examples: `remove`"]),
        (('description = "Our site\'s footer line."', ''), ["rule U001", "`description` is missing"]),
        (('id = "U001"', 'id = "U 1"'), ["`id` is missing or malformed"]),
        (('[[rule]]', '[[rule]\n'), ["user.toml", "not valid TOML"]),
        (('action = "drop"', 'action = "drop"\npage_edge = "yes"'), ["rule U001", "`page_edge` must be true or false"]),
        (('action = "drop"', 'action = "drop"\narticle_end = 1'), ["rule U001", "`article_end` must be true or false"]),
        (('action = "drop"', 'action = "drop"\nscope = "rest"\nevidence = "Hi .*"\nstart = "middle"'),
         ["rule U001", "`start` must be \"first\" or \"last\""]),
        (('action = "drop"', 'action = "drop"\nscope = "rest"\nstart = "first"'), ["rule U001", "`start` only goes with `evidence`"]),
    ],
)
def test_a_broken_rule_is_refused_with_file_id_and_problem(tmp_path, change, expected):
    text = problems(tmp_path, GOOD.replace(*change))
    for piece in expected:
        assert piece in text


def test_a_rule_may_say_its_hits_mark_an_article_s_edge(tmp_path):
    rules = load_rules([write(tmp_path, GOOD.replace('action = "drop"', 'action = "drop"\npage_edge = true'))])
    assert rules.get("U001").page_edge and "U001" in rules.page_edges
    assert not load_rules([write(tmp_path, GOOD)]).get("U001").page_edge, "off unless the rule says so"


def test_a_rule_that_marks_an_article_s_end_marks_its_edge_too(tmp_path):
    rules = load_rules([write(tmp_path, GOOD.replace('action = "drop"', 'action = "drop"\narticle_end = true'))])
    assert rules.get("U001").article_end and "U001" in rules.article_ends and "U001" in rules.page_edges


def test_a_duplicate_id_in_one_folder_is_refused(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    text = problems(tmp_path, GOOD, "b.toml")
    assert "rule U001: duplicate id, also used in" in text and "a.toml" in text


def test_a_user_rule_needs_replace_to_take_a_shipped_id(tmp_path):
    text = problems(tmp_path, GOOD.replace('id = "U001"', 'id = "C101"'))
    assert "rule C101: this id is already used by" in text and "replace = true" in text


def test_replace_takes_the_shipped_rules_place(tmp_path):
    rules = load_rules([write(tmp_path, GOOD.replace('id = "U001"', 'id = "C101"\nreplace = true'))])
    assert rules.get("C101").name == "house-footer"
    assert [r.id for r in rules] == [r.id for r in load_rules()]


def test_disable_removes_a_shipped_rule(tmp_path):
    rules = load_rules([write(tmp_path, 'disable = ["C101", "H003"]\n')])
    assert rules.get("C101") is None and rules.get("H003") is None


def test_disabling_an_unknown_id_is_refused(tmp_path):
    assert "disable: no rule C1O1 is loaded" in problems(tmp_path, 'disable = ["C1O1"]\n')


def test_a_rule_that_is_not_a_table_is_refused_with_its_place(tmp_path):
    with pytest.raises(RuleFileError) as e:
        load_rules([write(tmp_path, 'rule = [1, "x"]\n' + GOOD.replace("[[rule]]", "[[other]]"))])
    found = e.value.problems
    assert any("user.toml: rule #1 is 1, not a table" in p for p in found)
    assert any("user.toml: rule #2 is 'x', not a table" in p for p in found)


def test_every_problem_is_reported_at_once(tmp_path):
    text = problems(tmp_path, GOOD.replace('action = "drop"', 'action = "x"').replace("pattern = '(?i)all", "pattern = '(?i)(all"))
    assert "`action` is 'x'" in text and "pattern does not compile" in text


def test_an_unknown_detector_parameter_is_refused(tmp_path):
    pattern_line = next(line for line in GOOD.splitlines() if line.startswith("pattern ="))
    text = problems(tmp_path, GOOD.replace(pattern_line, 'detector = "headline"\nparams = { max_word = 3 }'))
    assert "detector 'headline' has no parameter 'max_word'. Did you mean 'max_words'?" in text


def test_a_missing_rules_folder_is_refused(tmp_path):
    with pytest.raises(RuleFileError, match="no such rule file or folder"):
        load_rules([tmp_path / "nowhere"])


def test_shipped_rules_are_found_and_have_unique_ids():
    files = {p.name for p in shipped_rules_dir().iterdir() if p.name.endswith(".toml")}
    assert {"comments.toml", "embeds.toml", "header.toml", "metadata.toml"} <= files
    assert {r.file.rsplit("/", 1)[-1] for r in load_rules()} == files
    ids = [r.id for r in load_rules()]
    assert len(ids) == len(set(ids))


def test_a_rule_that_needs_an_unknown_rule_is_refused(tmp_path):
    text = problems(tmp_path, GOOD.replace('action = "drop"', 'action = "drop"\nneeds = ["Z999"]'))
    assert "rule U001: it needs rule Z999, which is not loaded" in text


def test_code_run_from_a_source_tree_reads_that_tree_s_rules():
    """Not those of another checkout that an editable install maps ``cleaner.rules`` to."""
    assert Path(str(shipped_rules_dir())) == ROOT / "rules"


def test_the_source_tree_s_rules_are_those_beside_a_package_without_rules_of_its_own(tmp_path):
    package = tmp_path / "cleaner"
    package.mkdir()
    assert source_rules(package) is None, "no rules/ beside it"
    (tmp_path / "rules").mkdir()
    assert source_rules(package) is None, "a rules/ folder without rule files"
    (tmp_path / "rules" / "mine.toml").write_text("", encoding="utf-8")
    assert source_rules(package) == tmp_path / "rules"
    (package / "rules").mkdir()
    assert source_rules(package) is None, "an installed package carries its own"


def test_an_installed_package_reads_its_rule_files_as_package_data(tmp_path):
    """As a wheel lays it out: cleaner/rules/*.toml, read with importlib.resources."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "cleaner", site / "cleaner", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "cleaner" / "rules").mkdir()
    for name in ("embeds.toml", "metadata.toml"):
        shutil.copy(ROOT / "rules" / name, site / "cleaner" / "rules" / name)
    code = ("import cleaner; from cleaner.ruleload import load_rules, shipped_rules_dir; "
            "print(cleaner.__file__, shipped_rules_dir(), sorted({r.file for r in load_rules()}), sep='\\n')")
    env = {**os.environ, "PYTHONPATH": str(site), "CLEANER_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    imported, where, files = done.stdout.splitlines()
    assert imported == str(site / "cleaner" / "__init__.py")
    assert str(site / "cleaner" / "rules") in where
    assert files == str([str(site / "cleaner" / "rules" / name) for name in ("embeds.toml", "metadata.toml")])
