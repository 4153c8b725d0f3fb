"""The metric of the evaluation corpora, on small cases worked by hand."""

import pytest

from cleaner.evaluate import Scores, body_counts, prf, same_day, same_text


@pytest.mark.parametrize(
    "pred, truth, counts",
    [
        ("The cat sat.", "the cat sat on the mat", (3, 3, 6)),
        ("the the the", "the cat", (1, 3, 2)),
        ("Zoë’s café", "zoë s café", (3, 3, 3)),
        ("", "some text", (0, 0, 2)),
    ],
)
def test_bag_of_words_counts(pred, truth, counts):
    assert body_counts(pred, truth) == counts


@pytest.mark.parametrize(
    "counts, expected",
    [((3, 3, 6), (1.0, 0.5, 2 / 3)), ((0, 0, 2), (0.0, 0.0, 0.0)), ((0, 0, 0), (1.0, 1.0, 1.0)), ((0, 4, 2), (0.0, 0.0, 0.0))],
)
def test_precision_recall_f1(counts, expected):
    assert prf(*counts) == pytest.approx(expected)


def test_title_author_and_date_matching():
    assert same_text("Trump ‘congratulates’ China\u00a0", "trump congratulates china")
    assert not same_text("Trump congratulates China today", "trump congratulates china")
    assert same_day("2024-01-07T01:20:00+00:00", "2024-01-07 23:59:00-04:00")
    assert not same_day(None, "2024-01-07") and not same_day("January 7, 2024", "2024-01-07")


def test_macro_and_micro_differ_as_they_should():
    s = Scores()
    s.add({"id": "a", "body": "one two three four"}, "one two three four")
    s.add({"id": "b", "body": "x y"}, "x z z z z z")
    assert s.macro()[0] == pytest.approx((1.0 + 1 / 6) / 2)
    assert s.micro()[0] == pytest.approx(5 / 10)
    assert s.rate("title") is None


def test_metadata_is_scored_only_where_the_truth_has_it():
    s = Scores()
    s.add({"body": "a", "title": "A title", "date": None, "author": "Jane Doe; John Roe"}, "a", "a title", None, ["Jane Doe", "John Roe"])
    assert (s.rate("title"), s.rate("date"), s.rate("author")) == (1.0, None, 1.0)
