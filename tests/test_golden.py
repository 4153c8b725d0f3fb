"""The golden files: the seeds cleaned now must give exactly what golden/ holds."""

import json
import shutil

import pytest

from cleaner import golden
from cleaner.batch import find_inputs


def test_seeds_match_their_golden_files(root, cleaner):
    diffs = golden.check(root / "seeds", root / "golden", cleaner)
    assert not diffs, "\n\n".join(map(str, diffs)) + "\n\nIf intended: review, then run `clean golden update`."


def test_every_seed_has_a_golden_file_and_no_golden_file_is_orphaned(root):
    seeds = {i.id for i in find_inputs([str(root / "seeds")])[0]}
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
