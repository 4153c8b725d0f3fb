"""The rule reference (docs/rules-reference.md): current with the rule files, made by
`clean rules reference`, the same wherever the files are, and readable Markdown."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.ruleload import load_rule_text, load_rules
from cleaner.rulereference import COMMAND, CUT_CHARS, MAX_CHARS, render

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "rules-reference.md"

RULE = '''
[[rule]]
id = "U001"
name = "house-footer"
stage = "strip_comments"
description = "Our footer: a | b <i>not HTML</i>."
action = "drop"
scope = "span"
languages = ["de"]
pattern = '(?i)all rights reserved'
remove = ["All rights reserved", "Line one\\nAll rights reserved", "`code` all rights reserved", "{long}"]
keep = ["The council sold all rights reserved to the gazette."]
'''


@pytest.fixture(scope="module")
def shipped():
    return load_rules()


def test_the_committed_reference_is_current(shipped):
    assert REFERENCE.read_text(encoding="utf-8") == render(shipped), \
        f"docs/rules-reference.md is out of date with the rule files: run `{COMMAND}`"


def test_the_command_prints_it_or_writes_it(shipped, tmp_path):
    result = CliRunner().invoke(app, ["rules", "reference"], prog_name="clean")
    assert result.exit_code == 0 and result.stdout == render(shipped), result.output
    result = CliRunner().invoke(app, ["rules", "reference", "-o", str(tmp_path / "ref.md")], prog_name="clean")
    assert result.exit_code == 0 and (tmp_path / "ref.md").read_bytes() == render(shipped).encode("utf-8")
    assert result.stdout == f"wrote {tmp_path / 'ref.md'}: {len(shipped)} rules\n"


def test_a_file_that_cannot_be_written_is_an_error(tmp_path):
    result = CliRunner().invoke(app, ["rules", "reference", "-o", str(tmp_path / "no" / "ref.md")], prog_name="clean")
    assert result.exit_code == 2 and "cannot write" in result.stderr and "Check that its folder exists" in result.stderr


def test_every_rule_has_its_section_in_pipeline_order(shipped):
    page = render(shipped)
    stages = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    assert stages == ["split_metadata", "strip_header", "strip_comments", "social_embeds"]
    headings = [line for line in page.splitlines() if line.startswith("#### ")]
    assert len(headings) == len(shipped)
    assert "#### C104 leave-a-reply" in headings


def test_the_page_is_the_same_wherever_the_files_are():
    text = RULE.replace("{long}", "x")
    assert render(load_rule_text(text, "/one/place/mine.toml")) == render(load_rule_text(text, "elsewhere/mine.toml"))


def test_a_rule_s_section_shows_what_it_does_and_its_examples_as_code():
    long = " ".join(["word"] * (MAX_CHARS // 4))
    page = render(load_rule_text(RULE.replace("{long}", long), "mine.toml"))
    assert "## strip_comments\n\n1 rule.\n\n### mine.toml\n\n#### U001 house-footer\n" in page
    assert "`drop` · scope `span` · languages: de\n" in page
    assert "Our footer: a | b &lt;i>not HTML&lt;/i>." in page, "a description holds no HTML"
    assert "- `All rights reserved`\n" in page
    assert "- ```text\n  Line one\n  All rights reserved\n  ```\n" in page, "more than a line: a block"
    assert "- ```text\n  `code` all rights reserved\n  ```\n" in page, "a backtick: a block"
    shown, left_out = re.search(r"- `(word[^`]*) …` \*\(cut: ([\d,]+) more characters\)\*\n", page).groups()
    assert shown.endswith("word") and len(shown) <= CUT_CHARS and len(shown) + int(left_out.replace(",", "")) == len(long)
    assert "Leaves alone:\n\n- `The council sold all rights reserved to the gazette.`" in page
