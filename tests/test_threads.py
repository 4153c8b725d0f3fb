"""Comment threads and comment counters, on small hand-written texts: a thread told by
its signed posts, with or without a heading, is taken out post by post; a counter above
an article never takes the article with it."""

import textwrap

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


def test_a_list_shaped_post_that_furniture_ends_lets_its_thread_go():
    post = ("The new ferry timetable starts on Monday, and the council has listed what changes for people who "
            "cross the river every day on foot, by bike or by car:\n" +
            "".join(f"- Change number {i}: the morning service leaves ten minutes earlier on weekdays than it did "
                    f"before the closure was announced\n" for i in range(6)) +
            "This entry was posted in Transport. Bookmark the permalink.\n")
    posts = "".join(f"Comment number {i} says the bridge should have been fixed years ago, and that the buses "
                    f"will be late every day it is shut.\n" for i in range(12))
    doc = clean_text(post + "12 Comments\n" + posts)
    assert removed_by(doc, "H029") and removed_by(doc, "C122")[0] == "12 Comments"
    assert "Comment number" not in doc.body and "Change number 5" in doc.body


def test_a_counter_under_a_standfirst_and_a_share_bar_keeps_the_article():
    more = "".join(f"In week {i} of the works, the crews will replace the bearings of pier {i} and repaint its "
                   f"railings, the engineers said.\n" for i in range(8))
    text = ("The old bridge in the town centre closes for two months of repairs from Monday morning.\n"
            "Share on Facebook\n53 Comments\n"
            + ARTICLE + more)
    doc = clean_text(text)
    assert removed_by(doc, "H005") and not removed_by(doc, "C122")
    assert "Engineers found cracks" in doc.body and "pier 7" in doc.body


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
    assert _first_run([1, 5, 9, 50], min_posts=3, max_post_lines=15) == [1, 5, 9]


def test_a_long_reply_inside_a_thread_stays_in_it():
    # three posts show the thread; the fourth signature, after a post of 20 lines, is its
    assert _first_run([1, 5, 9, 30], min_posts=3, max_post_lines=15) == [1, 5, 9, 30]
    # before the thread is shown, a post is no longer than max_post_lines
    assert _first_run([1, 22, 26, 30], min_posts=3, max_post_lines=15) == [22, 26, 30]


@pytest.mark.parametrize("share, kept", [(1 / 3, True), (1.0, False)])
def test_the_share_a_counter_may_take_is_a_setting(share, kept):
    text = "Bridge to close for repairs\n\n" + ARTICLE.split("\n", 1)[0] + "\n53 Comments\n" + ARTICLE.split("\n", 1)[1]
    doc = clean_text(text, config=Config(max_unproven_cut=share))
    assert ("ferry will carry cyclists" in doc.body) is kept


def test_one_time_stamped_post_after_the_article_goes():
    doc = clean_text(ARTICLE + "Jo Smith on March 3, 2012 at 4:15 pm said:\nAbout time, the cracks have been there "
                     "for years.\n")
    assert doc.body.endswith("across the river.")
    assert removed_by(doc, "C126")[0] == "Jo Smith on March 3, 2012 at 4:15 pm said:"


def test_one_post_under_its_permalink_stamp_goes():
    doc = clean_text(ARTICLE + "October 12th, 2012 at 6:14 am (#)\nThanks for this, I cross it every day.\n")
    assert doc.body.endswith("across the river.")


def test_a_date_line_at_the_end_of_an_article_is_no_post():
    doc = clean_text(ARTICLE + "Posted on March 3, 2012 at 4:15 pm\nFiled under the old bridge and its repairs.\n")
    assert "Filed under the old bridge" in doc.body and not removed_by(doc, "C126")


def test_one_post_that_would_take_most_of_the_text_stays():
    first = ARTICLE.split("\n", 1)[0]
    text = first + "\nJo Smith on March 3, 2012 at 4:15 pm said:\n" + ARTICLE.split("\n", 1)[1]
    doc = clean_text(text)
    assert "ferry will carry cyclists" in doc.body


def test_a_thread_of_dates_and_names_goes():
    thread = "".join(f"November {d}, 2012\n{name}\n{post}\n" for d, name, post in [
        (12, "Jo Smith", "About time, the cracks have been there for years."),
        (12, "Sam Lee", "Will the buses still run across it?"),
        (13, "Kim Ho", "Yes, a replacement bus runs every ten minutes.")])
    doc = clean_text(ARTICLE + thread)
    assert doc.body.endswith("across the river.") and len(removed_by(doc, "C127")) == 9


def test_a_diary_of_dated_entries_is_no_thread():
    diary = ("November 12, 2012\nThe council met to discuss the repairs for the first time that autumn.\n"
             "November 19, 2012\nEngineers presented their report on the cracks to the council.\n"
             "November 26, 2012\nThe vote was held and the closure approved by a large majority.\n")
    doc = clean_text(ARTICLE + diary)
    assert "The vote was held" in doc.body and "Engineers presented" in doc.body


def test_a_thread_of_time_stamps_goes_after_an_article():
    thread = ("1 November 2012 9:37PM\nAbout time, the cracks have been there for years.\nLink to this comment:\n"
              "1 November 2012 9:48PM\nWill the buses still run across it?\n"
              "2 November 2012 8:02AM\nYes, a replacement bus runs every ten minutes.\n")
    doc = clean_text(ARTICLE + thread)
    assert doc.body.endswith("across the river.") and removed_by(doc, "C128")


def test_a_live_report_of_time_stamps_is_kept():
    report = ("1 November 2012 9:37PM\nThe council has voted to close the old bridge for two months of repairs.\n"
              "1 November 2012 9:48PM\nThe mayor says the work starts in May and will take all summer.\n"
              "2 November 2012 8:02AM\nBuses are already using the ring road this morning, officials say.\n")
    doc = clean_text("Live: the old bridge closes\n" + report)
    assert "Buses are already using the ring road" in doc.body and "The mayor says" in doc.body


def test_a_list_of_links_ends_at_the_comment_heading_under_it():
    text = ARTICLE + "Related\nCouncil to vote on parking charges\nFloods close two schools\nOne comment\n" \
        "Great news, we needed this.\n"
    doc = clean_text(text)
    assert doc.body.endswith("across the river.") and removed_by(doc, "C122")[0] == "One comment"


def test_if_you_follow_me_on_a_network_is_prose_not_a_prompt():
    line = "Now if you follow me on Twitter then you know which team I support this season."
    doc = clean_text(ARTICLE + line + "\n")
    assert line in doc.body


def test_unsigned_replies_go_from_the_first_one_that_opens_as_a_reply():
    replies = ("I cross it twice a day, so this is going to hurt.\n"
               "Hi Sam, the ferry is free for people on foot, so it may not be that bad.\n"
               "Will the shops on the quay stay open all summer?\n"
               "Great article, the map of the bus detour helped a lot.\n")
    doc = clean_text(ARTICLE + replies)
    assert removed_by(doc, "C129") == [
        "Hi Sam, the ferry is free for people on foot, so it may not be that bad.",
        "Will the shops on the quay stay open all summer?",
        "Great article, the map of the bus detour helped a lot."]
    assert "I cross it twice a day" in doc.body, "an unmarked first reply stays: nothing says where it starts"
    assert "ferry will carry cyclists" in doc.body


def test_one_reply_alone_is_no_thread():
    doc = clean_text(ARTICLE + "Hi Sam, the ferry is free for people on foot, so it may not be that bad.\n")
    assert not removed_by(doc, "C129")


def test_replies_that_would_take_most_of_the_text_need_an_article_above_them():
    quoted = ("The mayor answered the letters that readers sent about the closure of the old bridge this week.\n"
              "Hi Sam, she wrote to one reader, the buses will run every ten minutes.\n"
              "Thanks for sharing your worry about the ferry, she told another.\n")
    doc = clean_text(quoted + ARTICLE)
    assert not removed_by(doc, "C129") and "Engineers found cracks" in doc.body


@pytest.mark.parametrize("reply", ["Wow, that is a long time to wait. I cross it every day on my way to work.",
                                   "Agreed. The buses were late all of last winter too.",
                                   "What a mess! The ring road is jammed already.",
                                   "Sue – Thanks for the map of the detour!",
                                   "Awesome! I can't wait to try the ferry."])
def test_one_reply_that_opens_as_a_reaction_goes_from_the_end(reply):
    doc = clean_text(ARTICLE + reply + "\n")
    assert removed_by(doc, "C141") == [reply]
    share = [s.reason for s in doc.removed if s.rule == "C141"][0]
    assert share.startswith("from its first line to the end of the text: ") and "within the 33%" in share
    assert "ferry will carry cyclists" in doc.body


def test_a_reaction_that_would_take_a_large_part_stays_even_below_an_article():
    more = ("What a week for the quay! The shops there lose their busiest route for two months.\n"
            "Traders said they would ask the council for help with their rent, as they did during the last "
            "closure in 2009, when the bridge was shut for six weeks.\n"
            "The council said it would look at every request, and that a market on the quay could run on "
            "Saturdays while the work went on.\n"
            "The ferry will run every twenty minutes from six in the morning until midnight.\n")
    doc = clean_text(ARTICLE + more)
    assert not removed_by(doc, "C141") and "What a week for the quay!" in doc.body


def test_a_reaction_word_that_hard_wrapping_put_at_a_line_start_is_no_reply():
    first = ("The council voted on Friday to close the old bridge for two months of repairs, after engineers "
             "found cracks in two of its supports during an inspection in the spring, and the mayor said the "
             "work could not wait for the summer, when the bridge carries the most traffic of the year.")
    second = ("Buses will use the ring road while the bridge is closed, and the shopkeepers on the old quay, who "
              "lose their busiest route for two months, said after a long meeting with the council that they had "
              "finally agreed that a ferry for cyclists and people on foot would be the best way to keep their "
              "customers coming across the river until the bridge opens again.")
    lines = textwrap.wrap(first, 72) + textwrap.wrap(second, 72)
    assert any(line.startswith("agreed that") for line in lines[-4:]), "the premise: a wrapped line opens so"
    doc = clean_text("\n".join(lines))
    assert not removed_by(doc, "C141") and "opens again." in doc.body


def test_a_reply_that_opens_as_a_reaction_does_not_hide_the_thread_around_it():
    article = ("Bridge closure: what changes for you\n\nBy Jo Smith, City DeskOctober 30, 2012\n\n"
               "The council voted on Friday to close the old bridge for two months of repairs, the mayor said after "
               "the meeting on Thursday night, and engineers found cracks in two of its supports during an "
               "inspection in the spring, so the work cannot wait for the summer, officials said.\n\n"
               "Related:\nHow the ferry works\n\n")
    thread = ("Sarah Jones says:\nNovember 12, 2012 at 3:27 PM\n"
              "Wow that definitely is a long time to wait! Thanks for writing it up for us Jo.\n"
              "    I looked at the map of the detour, here:\n    http://example.org/detour-map.htm\nReply\n"
              "dave_r says:\nJuly 21, 2012 at 10:02 am\n"
              "I cross it every day, and the buses are slow already, so the ring road will be jammed. Thanks again,\n"
              "    Mike\nReply\n")
    doc = clean_text(article + thread)
    assert "dave_r says:" in removed_by(doc, "C125"), "the reply's first line is a post, not a heading above one"
    assert "ring road will be jammed" not in doc.body and "Wow that definitely" not in doc.body
    assert "engineers found cracks" in doc.body


def test_a_counter_right_above_the_first_post_of_a_reply_thread_starts_it():
    # (a thread of a third of the text or less goes with its counter, as a section: C122)
    short = ARTICLE.split("\n")[0]
    posts = ("Great news for cyclists, who had to go the long way round all spring.\nReply\n"
             "Will the ferry take bikes at the busy times, or only in the evening?\nReply\n"
             "Yes, at no charge, the operator told me on the phone this morning.\nReply\n")
    doc = clean_text(short + "\n3 Comments\n" + posts)
    assert doc.body == short
    assert removed_by(doc, "C125")[0].startswith("Great news") and removed_by(doc, "C110") == ["3 Comments"]


def test_a_counter_above_the_article_does_not_make_it_a_post():
    # the counter stands over the article and the first reply: a post longer than any
    # other of the thread, so only the replies go
    posts = "Great news for cyclists.\nReply\nWill the ferry take bikes?\nReply\nYes, at no charge.\nReply\n"
    doc = clean_text("Bridge to close for repairs\n\n3 Comments\n" + ARTICLE + posts)
    assert all(line in doc.body for line in ARTICLE.strip().split("\n"))
    assert "Will the ferry take bikes?" not in doc.body


def test_a_reply_thread_below_a_tags_line_starts_right_below_it():
    posts = ("Great news for cyclists, who had to go the long way round all spring.\nReply\n"
             "Will the ferry take bikes at the busy times, or only in the evening?\nReply\n"
             "Yes, at no charge, the operator told me on the phone this morning.\nReply\n")
    doc = clean_text(ARTICLE + "Tags: bridge, ferry, council\n" + posts)
    assert doc.body == ARTICLE.strip()
    assert removed_by(doc, "C125")[0].startswith("Great news") and removed_by(doc, "H015")


@pytest.mark.parametrize("opener", ["{} says:", "{} • 3 years ago", "{}"])
def test_a_thread_signed_below_starts_where_its_first_post_opens_as_the_others_do(opener):
    """Each post opens with the commenter's line and ends with its controls: the first
    post's controls have no signature before them, but its opening line has the shape of
    the others' (a name and "says:", "3 years ago", a name alone)."""
    names = ["jo_smith", "Sam Lee", "kimho", "Ann K."]
    posts = [f"{opener.format(name)}\nPost number {i} says the bridge should have been fixed years ago.\nReply\n"
             for i, name in enumerate(names)]
    doc = clean_text(ARTICLE + "".join(posts))
    assert doc.body.strip() == ARTICLE.strip()


def test_two_signed_posts_that_end_the_text_are_a_thread():
    posts = "".join(f"{name} says:\nPost number {i} says the bridge should have been fixed years ago.\n"
                    for i, name in enumerate(["jo_smith", "Sam Lee"]))
    doc = clean_text(ARTICLE + posts)
    assert doc.body.strip() == ARTICLE.strip()
    assert all(r.reason.endswith("of 2 signed posts in a row") for r in doc.removed)


def test_two_signed_posts_above_more_of_the_article_are_kept():
    posts = "".join(f"{name} says:\nPost number {i} says the bridge should have been fixed years ago.\n"
                    for i, name in enumerate(["jo_smith", "Sam Lee"]))
    more = ("The shops on the old quay will get help with their rent until the bridge opens again in the summer, "
            "the council said.\n" +
            "A public meeting about the closure will be held in the library on Tuesday evening, and the plans can "
            "be read there until the end of the month.\n" +
            "The last time the bridge closed, in 2009, the work took six weeks longer than planned and cost twice "
            "as much as the council had set aside for it.\n" +
            "Divers will check the footings of the piers, which have not been looked at since the flood of 1953 "
            "left silt banked against them.\n" +
            "Cyclists will be able to cross on the ferry free of charge until the bridge opens again, the operator "
            "said on Friday.\n" +
            "Traders hope the ferry will bring shoppers to the quay, which has lost trade since the market moved "
            "to the square.\n" +
            "The mayor said she would ask the region for money to rebuild the bridge within ten years if the "
            "repairs do not last.\n" +
            "Engineers expect to know by June whether steel collars are enough or whether a whole pier has to be "
            "rebuilt from its footing.\n" +
            "Until then the ring road will carry the buses, and the council has asked drivers to leave their cars "
            "at home where they can.\n" +
            "The bridge was opened in 1887 and has been repaired three times since, the last time after the flood "
            "of 1953 damaged its northern pier.\n" +
            "A small exhibition about the history of the bridge will open in the town museum next month, with "
            "photographs of each of the repairs.\n" +
            "School buses will leave ten minutes earlier during the closure, and the first ferry will run at six "
            "in the morning.\n" +
            "Residents of the north bank have started a petition asking for a temporary footbridge to be built "
            "next to the old one.\n" +
            "The council said a temporary bridge would cost more than the repairs themselves and could not be built "
            "in time.\n" +
            "The works will be reviewed by the regional inspectorate in the autumn before the bridge opens to "
            "traffic again.\n" +
            "Until then, the council has promised weekly updates on its website and in the library.\n")
    doc = clean_text(ARTICLE + posts + more)
    assert "Post number 1" in doc.body and doc.body.rstrip().endswith("in the library.")


def test_pronouns_saying_something_are_no_commenters():
    text = ARTICLE + "She says:\nThe cracks are older than anyone thought.\nHe says:\nTwo piers need steel collars.\n" \
                     "She says:\nThen the bridge closes on Monday.\n"
    assert clean_text(text).body.strip() == text.strip()


def test_posts_under_a_name_and_a_time_stamp_go_however_long_the_thread():
    """A name over each time stamp is no live report's entry: the thread goes, though it is
    most of the text (a time stamp alone goes only where the harm guard allows)."""
    first = ARTICLE.split("\n")[0] + "\n"
    posts = "".join(f"{name}\nMarch {i + 3}, 2012 at 4:1{i} pm\nPost number {i} says the bridge should have been "
                    f"fixed years ago, and that the buses on the ring road are always late in the morning.\n"
                    for i, name in enumerate(["jo_smith", "Sam Lee", "kimho", "Ann K."]))
    doc = clean_text(first + posts)
    assert doc.body.strip() == first.strip()
    assert set(removed_by(doc, "C138")) >= {"jo_smith", "Sam Lee", "kimho"}


def test_a_live_report_stamped_with_the_time_alone_is_kept():
    entries = "".join(f"10:1{i} am\nEntry number {i}: the council has now voted on the closure of the bridge, and "
                      f"the mayor will speak at noon.\n" for i in range(4))
    doc = clean_text(ARTICLE + entries)
    assert "Entry number 3" in doc.body
