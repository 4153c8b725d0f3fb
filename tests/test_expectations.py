"""The hand-written expectations of tests/expectations.toml, checked against the seeds
as cleaned now (not against the golden files, which an update could rewrite)."""

import tomllib
from pathlib import Path

import pytest

from cleaner.batch import find_inputs
from cleaner.reading import clean_inputs
from cleaner.records import Failure

ROOT = Path(__file__).resolve().parent.parent
EXPECT = tomllib.loads((Path(__file__).parent / "expectations.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs(cleaner):
    inputs, _ = find_inputs([str(ROOT / "seeds")])
    return {inp.id: result for inp, result in clean_inputs(cleaner, inputs)}


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
    if "embeds" in want:
        assert len(doc.embeds) == len(want["embeds"])
        for have, w in zip(doc.embeds, want["embeds"]):
            assert (have.handle, have.date) == (w["handle"], w["date"])
            assert have.text.startswith(w["text_starts"])
