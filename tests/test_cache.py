"""The rule-set cache: the same rules from it as from the files, never a stale or
broken entry, and no run that fails because of it."""

import os
import pickle
import textwrap
from pathlib import Path

import pytest

from cleaner import cache
from cleaner import ruleload
from cleaner.pipeline import Cleaner
from cleaner.ruleload import RuleFileError, load_rules

RULE = '''
[[rule]]
id = "U001"
name = "house-footer"
stage = "strip_comments"
description = "Our site's footer line."
action = "drop"
pattern = '(?i){phrase}\\.?'
remove = ["{example}."]
keep = ["The council met on Friday and voted to close the old bridge for repairs."]
'''
TEXT = ("Leave a Reply\n\nThe council met on Friday and voted to close the old bridge for repairs.\n\n"
        "Our gazette thanks the Quill and Anchor.\n\nOur gazette thanks the Valley Press.")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    return folder


def user_rules(tmp_path: Path, phrase: str, example: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "house.toml").write_text(textwrap.dedent(RULE.format(phrase=phrase, example=example)), encoding="utf-8")
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.pickle"))


def cleaned(rules, text: str = TEXT) -> dict:
    doc = Cleaner(rules).clean_text(text, id="t")
    return doc.to_dict()


def test_a_second_load_comes_from_the_cache_and_cleans_the_same(cache_dir, root, monkeypatch):
    first = load_rules()
    assert len(entries(cache_dir)) == 1

    def not_read(*args):
        raise AssertionError("the rule files were compiled again")

    monkeypatch.setattr(ruleload, "_build_rules", not_read)
    second = load_rules()
    monkeypatch.undo()
    assert second is not first
    assert "gates" in second.__dict__, "the cached rule set holds its worked-out gates"
    assert [r.id for r in second] == [r.id for r in first]
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    fresh = load_rules()
    assert "gates" not in fresh.__dict__, "not from the cache"
    for path in sorted((root / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert cleaned(second, text) == cleaned(fresh, text), path.name


def test_a_changed_rule_file_is_read_again(cache_dir, tmp_path):
    folder = user_rules(tmp_path, "our gazette thanks the quill and anchor", "Our gazette thanks the Quill and Anchor")
    before = cleaned(load_rules([folder]))
    assert "Quill" not in before["body"]
    assert "Our gazette thanks the Valley Press." in before["body"]
    folder = user_rules(tmp_path, "our gazette thanks the valley press", "Our gazette thanks the Valley Press")
    after = cleaned(load_rules([folder]))
    assert "Our gazette thanks the Quill and Anchor." in after["body"]
    assert "Valley" not in after["body"]
    assert len(entries(cache_dir)) == 2


def test_a_broken_entry_is_rebuilt(cache_dir):
    load_rules()
    (entry,) = entries(cache_dir)
    entry.write_bytes(b"not a pickle")
    rules = load_rules()
    assert cleaned(rules)["body"].startswith("The council met")
    assert isinstance(pickle.loads(entry.read_bytes()), type(rules)), "the broken entry was written again"


def test_a_cache_folder_that_cannot_be_written_fails_nothing(cache_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert cleaned(load_rules())["body"].startswith("The council met")


def test_no_cache_writes_nothing(cache_dir, monkeypatch):
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    load_rules()
    assert not cache_dir.exists()


def test_broken_rules_are_reported_every_time_never_cached(cache_dir, tmp_path):
    folder = user_rules(tmp_path, "(unclosed", "Unclosed")
    for _ in range(2):
        with pytest.raises(RuleFileError, match="U001"):
            load_rules([folder])
    assert entries(cache_dir) == []


def test_only_the_newest_entries_are_kept(cache_dir):
    cache_dir.mkdir()
    for n in range(cache.KEEP + 3):
        old = cache_dir / f"rules-old{n:02d}.pickle"
        old.write_bytes(pickle.dumps(n))
        os.utime(old, ns=(n * 10**9, n * 10**9))
    load_rules()
    kept = entries(cache_dir)
    assert len(kept) == cache.KEEP
    assert not (cache_dir / "rules-old00.pickle").exists()
    assert (cache_dir / f"rules-old{cache.KEEP + 2:02d}.pickle").exists()


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "cleaner"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "cleaner"
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home folder known
    assert cache.cache_dir() is None
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert cache.cache_dir() is None


def test_the_stop_word_index_comes_back_from_the_cache_as_it_was_made(cache_dir, monkeypatch):
    from cleaner import language

    language.stoplists.cache_clear()
    made = language.stoplists()  # read from jusText's files, and kept
    assert list(cache_dir.glob("stoplists-*.pickle"))
    language.stoplists.cache_clear()
    monkeypatch.setattr(language, "_read_stoplists", lambda: pytest.fail("the stop lists were read again"))
    assert language.stoplists() == made
    names, by_word = made
    assert "English" in names and names.index("English") in by_word["the"]
    assert "the" in language.stoplist("English")


def test_without_the_cache_the_stop_lists_are_read_and_nothing_is_written(tmp_path, monkeypatch):
    from cleaner import language

    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    language.stoplists.cache_clear()
    try:
        names, by_word = language.stoplists()
        assert names.index("English") in by_word["the"]
        assert not (tmp_path / "cache").exists()
    finally:
        language.stoplists.cache_clear()
