"""A user's own rules under ``clean rules test``: a rule that another rule takes the text
of in a full run (shadowed), ``--only`` and ``-v``, and the ids left to users (U...)."""

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import ruleload
from cleaner.builtin import BUILTINS
from cleaner.cli import app
from cleaner.pipeline import Cleaner
from cleaner.ruleload import RuleFileError, RuleIdWarning, load_rules
from cleaner.ruletest import own_rules, shadowed

ROOT = Path(__file__).resolve().parent.parent
SEED0 = ROOT / "seeds" / "000_3e7eae248d537d0f.txt"


def invoke(*args, input=None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=input, prog_name="clean")
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def rule_toml(rule_id, name, pattern, remove, keep, stage="strip_header", extra=""):
    return (f'[[rule]]\nid = "{rule_id}"\nname = "{name}"\nstage = "{stage}"\n'
            f'description = "A rule of a user\'s own, for the tests."\naction = "drop"\n'
            f"pattern = '''{pattern}'''\nremove = {json.dumps(remove)}\nkeep = {json.dumps(keep)}\n{extra}")


#: Photo credits of the Associated Press: the shipped image-credit rule (H013) takes them first.
AP_CREDIT = rule_toml("UAP1", "ap-photo-credit", r"(?i)photo:\s*(?:[\w .]+/)?(?:the\s+)?associated\s+press",
                      ["Photo: Associated Press", "Photo: Jo Smith/Associated Press"],
                      ["The Associated Press reported on Friday that the council had voted to close the old bridge."])
#: No shipped rule takes these lines: the rule fires in a full run.
ADVERTISER = rule_toml("UADS1", "advertiser-content", r"(?i)advertiser\s+content\s+from\s+.{1,60}",
                       ["Advertiser content from Acme Corp"],
                       ["The council said advertiser content from Acme Corp had misled readers about the bridge."])


def folder(tmp_path, name="mine", **files):
    where = tmp_path / name
    where.mkdir()
    for stem, text in files.items():
        (where / f"{stem}.toml").write_text(text, encoding="utf-8")
    return where


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Folders of rules shared by the tests of this module, so that the rule set each makes
    is compiled once (`cleaner.cache`): ``ap``, ``ads`` and ``both``."""
    base = tmp_path_factory.mktemp("user-rules")
    return {"ap": folder(base, "ap", ap=AP_CREDIT), "ads": folder(base, "ads", ads=ADVERTISER),
            "both": folder(base, "both", ap=AP_CREDIT, ads=ADVERTISER)}


# --- shadowed rules ------------------------------------------------------------------------------------


def test_a_rule_whose_text_a_shipped_rule_takes_first_is_reported_as_shadowed(made):
    mine = made["ap"]
    result, shown = invoke("rules", "test", "--rules", mine)
    assert result.exit_code == 0, shown  # its own examples pass: a warning, not a failure
    shadows = [line for line in result.stdout.splitlines() if line.startswith("SHADOWED ")]
    assert shadows == [
        f"SHADOWED {mine / 'ap.toml'}: rule UAP1 (ap-photo-credit) is shadowed: in a full run, each of its 2 remove "
        f"examples is taken by H013 (image-credit) instead, so it never fires. Narrow or disable H013 for your "
        f'corpus (disable = ["H013"]), or drop this rule.'], shown
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed, 1 shadowed"), shown
    result, shown = invoke("rules", "test", "--rules", mine, "--only", "--strict")
    assert result.exit_code == 1 and "SHADOWED " in result.stdout, shown


def test_a_rule_that_fires_in_a_full_run_is_not_shadowed(made):
    result, shown = invoke("rules", "test", "--rules", made["ads"], "--only", "--strict")
    assert result.exit_code == 0, shown
    assert "SHADOWED" not in result.stdout and result.stdout.splitlines()[-1].endswith(" 0 failed, 0 shadowed"), shown


def test_shadowed_names_the_rules_that_take_the_text():
    rules = load_rules()
    ap, ads = (ruleload.load_rule_text(text, "mine.toml").rules[0] for text in (AP_CREDIT, ADVERTISER))
    for rule in (ap, ads):
        rules = type(rules)(rules.rules + (rule,))
    cleaner = Cleaner(rules)
    found = shadowed(ap, cleaner)
    assert found is not None and found.takers == ("H013",)
    assert shadowed(ads, cleaner) is None
    assert shadowed(rules.get("H013"), cleaner) is None  # the rule that takes the text fires


def test_a_rule_that_fails_its_own_remove_example_is_reported_as_failing_not_shadowed(tmp_path):
    never = AP_CREDIT.replace("(?i)photo:", "(?i)picture:")
    result, shown = invoke("rules", "test", "--rules", folder(tmp_path, ap=never))
    assert result.exit_code == 1, shown
    assert "rule UAP1 (ap-photo-credit), remove example 1: took nothing out" in result.stdout, shown
    assert "SHADOWED" not in result.stdout and result.stdout.splitlines()[-1].endswith(" 2 failed, 0 shadowed"), shown


def test_only_the_folders_rules_are_the_users(made):
    mine = made["both"]
    rules = load_rules([mine])
    assert sorted(r.id for r in own_rules(rules, [mine])) == ["UADS1", "UAP1"]
    assert [r.id for r in own_rules(rules, [mine / "ads.toml"])] == ["UADS1"]
    assert own_rules(rules, []) == ()


# --- --only and -v -------------------------------------------------------------------------------------


def test_only_runs_and_lists_the_examples_of_the_users_rules(made):
    result, shown = invoke("rules", "test", "--rules", made["both"], "--only")
    assert result.exit_code == 0, shown
    lines = result.stdout.splitlines()
    assert [line for line in lines if not line.startswith("SHADOWED ")] == [
        "ok   UADS1-advertiser-content-remove1", "ok   UADS1-advertiser-content-keep1",
        "ok   UAP1-ap-photo-credit-remove1", "ok   UAP1-ap-photo-credit-remove2", "ok   UAP1-ap-photo-credit-keep1",
        "5 passed, 0 failed, 1 shadowed"], shown


def test_only_lists_a_failing_example_with_its_problem(tmp_path):
    broad = ADVERTISER.replace(r"(?i)advertiser\s+content\s+from\s+.{1,60}", r"(?i).*advertiser\s+content.*")
    result, shown = invoke("rules", "test", "--rules", folder(tmp_path, ads=broad), "--only")
    assert result.exit_code == 1, shown
    assert result.stdout.splitlines()[:2] == [
        "ok   UADS1-advertiser-content-remove1",
        f"FAIL UADS1-advertiser-content-keep1: {tmp_path / 'mine' / 'ads.toml'}: rule UADS1 (advertiser-content), "
        f"keep example 1: took out ['The council said advertiser content from Acme Corp had misled readers about "
        f"the bridge.'] from 'The council said advertiser content from Acme Corp had misled readers about the "
        f"bridge.', which it must leave alone. Narrow the pattern or fix the example."], shown


def test_verbose_lists_every_example_and_without_it_only_failures(made):
    mine = made["ads"]
    result, shown = invoke("rules", "test", "--rules", mine, "-v")
    assert result.exit_code == 0, shown
    lines = result.stdout.splitlines()
    assert "ok   C101-please-enter-your-comment-remove1" in lines and "ok   UADS1-advertiser-content-keep1" in lines
    passed = int(lines[-1].split()[0])
    assert sum(1 for line in lines if line.startswith("ok   ")) == passed > 1000, shown
    result, shown = invoke("rules", "test", "--rules", mine)
    assert result.stdout.splitlines() == [f"{passed} passed, 0 failed, 0 shadowed"], shown


def test_only_without_rules_is_a_usage_error():
    result, shown = invoke("rules", "test", "--only")
    assert result.exit_code == 2 and result.stdout == "", shown
    assert "--only runs the examples of your own rules: name their folder or file with --rules DIR" in result.stderr


# --- the ids left to users ---------------------------------------------------------------------------


def id_rule(rule_id, extra=""):
    return ADVERTISER.replace('id = "UADS1"', f'id = "{rule_id}"') + extra


def test_no_shipped_rule_id_starts_with_u():
    assert [r.id for r in load_rules() if r.id.upper().startswith("U")] == []


def test_no_built_in_removal_id_starts_with_u():
    assert [b.id for b in BUILTINS if b.id.upper().startswith("U")] == []


def test_a_user_rule_cannot_take_a_built_in_removal_id(tmp_path):
    mine = folder(tmp_path, ads=id_rule("X001"))
    with pytest.raises(RuleFileError, match=r"ads\.toml: rule X001: this id is the built-in removal X001 "
                                            r"\(extracted-comment-section\)"):
        load_rules([mine])


@pytest.mark.parametrize("rule_id", ["C999", "ZH100", "CS020"])
def test_a_user_rule_with_an_id_of_the_shipped_kind_warns_fresh_and_cached(rule_id, tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    mine = folder(tmp_path, ads=id_rule(rule_id))
    expected = rf"ads\.toml: rule {rule_id}: its id is in the range of the shipped rules' ids .* starts with U"
    with pytest.warns(RuleIdWarning, match=expected):
        assert load_rules([mine]).get(rule_id) is not None  # it loads all the same

    def not_again(*args):
        raise AssertionError("the second load was to come from the cache")

    monkeypatch.setattr(ruleload, "_build_rules", not_again)
    with pytest.warns(RuleIdWarning, match=expected):
        load_rules([mine])


@pytest.mark.parametrize("rule_id, extra", [("U001", ""), ("UACME-1", ""), ("ZZ101", ""), ("C99a", ""),
                                            ("C101", "replace = true\n")])
def test_ids_left_to_users_and_a_replacement_do_not_warn(rule_id, extra, tmp_path):
    mine = folder(tmp_path, ads=id_rule(rule_id, extra))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuleIdWarning)
        assert load_rules([mine]).get(rule_id).file == str(mine / "ads.toml")
    result, shown = invoke("rules", "list", "--rules", mine)
    assert result.exit_code == 0 and "warning" not in result.stderr, shown


@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "test", "--only"], [SEED0, "-q"],
                                     ["explain", SEED0]])
def test_every_command_that_loads_rules_shows_the_warning_once(command, tmp_path):
    mine = folder(tmp_path, ads=id_rule("C999"))
    result, shown = invoke(*command, "--rules", mine)
    assert result.exit_code == 0, shown
    assert result.stderr.count("clean: warning:") == 1, shown
    assert (f"clean: warning: {mine / 'ads.toml'}: rule C999: its id is in the range of the shipped rules' ids "
            f"(C, then digits), so a later release may ship a rule C999, and this file would then stop loading with a "
            f"duplicate-id error. Give the rule an id that starts with U (like UC999): no shipped rule will ever "
            f"take one.") in result.stderr, shown
