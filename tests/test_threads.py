"""Comment threads and comment counters, on small hand-written texts: a thread told by
its signed posts, with or without a heading, is taken out post by post; a counter above
an article never takes the article with it."""

import pytest

from cleaner import Config, clean_text
from cleaner.threads import _first_run

ARTICLE = ("The council voted on Friday to close the old bridge for two months of repairs, the mayor said after "
           "the meeting on Thursday night.\n"
           "Engineers found cracks in two of its supports during an inspection in the spring, and the work cannot "
           "wait for the summer, officials said.\n"
           "Buses will use the ring road while the bridge is closed, and a ferry will carry cyclists and people on "
           "foot across the river.\n")


def removed_by(doc, rule):
    return [s.text for s in doc.removed if s.rule == rule]


def test_a_counter_above_the_article_is_a_counter():
    text = "Bridge to close for repairs\n\nBy Jo Smith\n\n53 Comments\n\n" + ARTICLE
    doc = clean_text(text)
    assert "Engineers found cracks" in doc.body and "ferry will carry cyclists" in doc.body


def test_a_counter_beside_the_first_paragraph_takes_nothing_below_it():
    first, rest = ARTICLE.split("\n", 1)
    doc = clean_text(first + "\n31 comments\n" + rest)
    assert "Engineers found cracks" in doc.body and "ferry will carry cyclists" in doc.body


def test_a_counter_under_the_article_takes_the_comments():
    doc = clean_text(ARTICLE + "12 Comments\nGreat news, we needed this.\nAbout time too.\n")
    assert doc.body.endswith("across the river.") and removed_by(doc, "C122")[0] == "12 Comments"


def test_a_large_thread_under_a_counter_below_an_article_goes():
    posts = "".join(f"Comment number {i} says the bridge should have been fixed years ago, and that the buses "
                    f"will be late every day it is shut.\n" for i in range(12))
    doc = clean_text(ARTICLE + "12 Comments\n" + posts)
    assert doc.body.endswith("across the river.")


def test_a_thread_signed_above_each_post_goes_with_reasons():
    thread = ("Jo Smith 07.15.12 at 11:59\nAbout time, the cracks have been there for years.\n"
              "Sam Lee 07.15.12 at 12:43\nWill the buses still run across it?\nI hope so.\n"
              "Kim Ho 07.16.12 at 09:02\nYes, a replacement bus runs every ten minutes.\n")
    doc = clean_text(ARTICLE + thread)
    assert doc.body.endswith("across the river.")
    reasons = [s.reason for s in doc.removed if s.rule == "C123"]
    assert reasons[0] == "post 1 of 3 signed posts in a row" and reasons[-1] == "post 3 of 3 signed posts in a row"


def test_a_blog_thread_signed_below_each_post_goes_from_the_greeting():
    thread = ("Hi Jo,\nGreat piece, and the photos of the cracks are frightening.\n"
              "Posted by: Sam Lee | July 15, 2012 at 11:59 AM\n"
              "Will the ferry take bikes?\nPosted by: Kim Ho | July 15, 2012 at 12:43 PM\n"
              "Yes it will.\nPosted by: Jo Smith | July 16, 2012 at 09:02 AM\n")
    doc = clean_text(ARTICLE + thread)
    assert doc.body.endswith("across the river.") and "Hi Jo" not in doc.body


def test_a_slashdot_style_thread_goes_with_its_posts():
    thread = ("Re: Two months? (Score:5, Funny)\nThey said two months last time too.\n"
              "Re: Two months? (Score:4, Insightful)\nThe last closure ran six weeks over.\nAnd cost twice as much.\n"
              "Bridges are hard (Score:2)\nSteel does not repair itself.\n")
    doc = clean_text(ARTICLE + thread)
    assert doc.body.endswith("across the river.") and "Steel does not repair itself." not in doc.body


def test_two_signed_lines_in_an_article_are_no_thread():
    text = ("By Jo Smith on March 3, 2012 at 9:15 am\n" + ARTICLE +
            "Sam Lee, a resident, on March 4, 2012 at 10:00 said:\nThe bridge matters to the whole town.\n")
    doc = clean_text(text)
    assert "The bridge matters to the whole town." in doc.body


def test_posts_too_far_apart_are_no_thread():
    assert _first_run([1, 30, 60], min_posts=3, max_post_lines=15) is None
    assert _first_run([1, 5, 9, 40], min_posts=3, max_post_lines=15) == [1, 5, 9]


@pytest.mark.parametrize("share, kept", [(1 / 3, True), (1.0, False)])
def test_the_share_a_counter_may_take_is_a_setting(share, kept):
    text = "Bridge to close for repairs\n\n" + ARTICLE.split("\n", 1)[0] + "\n53 Comments\n" + ARTICLE.split("\n", 1)[1]
    doc = clean_text(text, config=Config(max_unproven_cut=share))
    assert ("ferry will carry cyclists" in doc.body) is kept
