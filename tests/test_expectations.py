"""The hand-written expectations of tests/expectations.toml, checked against the seeds
as cleaned now (not against the golden files, which an update could rewrite)."""

import tomllib
from pathlib import Path

import pytest

from cleaner.golden import documents
from cleaner.records import Failure

ROOT = Path(__file__).resolve().parent.parent
EXPECT = tomllib.loads((Path(__file__).parent / "expectations.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs(cleaner):
    """Each seed's document (or failure) by where a JSON tree puts it: a file's id, and
    ``<file id>/<record id>`` for each record of a JSONL file."""
    return {name: Failure(item.name, doc.rejected) if doc.rejected else doc
            for name, item, doc in documents(ROOT / "seeds", cleaner, [])}


def test_every_seed_has_expectations(docs):
    assert sorted(docs) == sorted(EXPECT)


@pytest.mark.parametrize("seed", sorted(EXPECT))
def test_seed_meets_its_expectations(seed, docs):
    want = EXPECT[seed]
    doc = docs[seed]
    assert not isinstance(doc, Failure), doc
    for key in ("title", "date", "authors", "captions"):
        if key in want:
            have = getattr(doc, key)
            assert (list(have) if isinstance(have, tuple) else have) == want[key], key
    assert doc.body.startswith(want.get("body_starts", ""))
    assert doc.body.endswith(want.get("body_ends", ""))
    for phrase in want.get("keep", []):
        assert phrase in doc.body, f"{phrase!r} must stay in the body"
    for phrase in want.get("drop", []):
        assert phrase not in doc.body, f"{phrase!r} must be gone from the body"
    for caption in doc.captions:
        assert caption not in doc.body
    rules = {s.rule for s in doc.removed}
    assert set(want.get("removed_by", [])) <= rules
    for key, value in want.get("record", {}).items():
        assert doc.record.get(key) == value, key
    if "url" in want:
        assert doc.url == want["url"]
    if "embeds" in want:
        assert len(doc.embeds) == len(want["embeds"])
        for have, w in zip(doc.embeds, want["embeds"]):
            assert (have.handle, have.date) == (w["handle"], w["date"])
            assert have.text.startswith(w["text_starts"])
