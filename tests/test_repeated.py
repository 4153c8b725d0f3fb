"""A text's paragraphs printed again (H024, `cleaner.detectors.repeated_paragraph`): later
copies of a paragraph, and a block that glues the paragraphs into one line."""

from cleaner import clean_text

PARAGRAPHS = [
    "The council voted on Friday to close the old bridge for two months of repairs, after engineers found cracks in two of its supports.",
    "Buses will take the ring road while it is closed, and a ferry will carry cyclists and people on foot across the river.",
    "The shops on the old quay will get help with their rent until the bridge opens again in the summer, the mayor told reporters.",
]
SUBHEADING = "Help for the quay"


def removed_by_h024(doc):
    return [s.text for s in doc.removed if s.rule == "H024"]


def test_a_block_that_starts_inside_a_paragraph_and_holds_a_subheading_goes_and_the_paragraphs_stay():
    first = PARAGRAPHS[0]
    # the block begins halfway through the first paragraph and glues the rest together
    block = first[first.index("after engineers"):] + " " + PARAGRAPHS[1] + " " + SUBHEADING + " " + PARAGRAPHS[2]
    text = "\n\n".join([PARAGRAPHS[0], PARAGRAPHS[1], SUBHEADING, PARAGRAPHS[2], block])
    doc = clean_text(text)
    assert removed_by_h024(doc) == [block]
    assert doc.body.split("\n\n") == [PARAGRAPHS[0], PARAGRAPHS[1], SUBHEADING, PARAGRAPHS[2]]


def test_a_block_above_the_paragraphs_goes_as_well():
    block = " ".join(PARAGRAPHS)
    doc = clean_text("\n\n".join([block, *PARAGRAPHS]))
    assert removed_by_h024(doc) == [block]


def test_a_summary_with_a_sentence_of_its_own_stays():
    own = "Engineers will inspect every other bridge in the town before the end of the year, starting with the two railway crossings in the east."
    summary = " ".join([own, PARAGRAPHS[1], PARAGRAPHS[2]])
    doc = clean_text("\n\n".join([summary, *PARAGRAPHS]))
    assert removed_by_h024(doc) == []
    assert summary in doc.body


LEAD = ("The council has decided to close the old bridge over the river for two months while engineers repair "
        "the cracks found in two of its piers, the mayor said on Friday.")
REST = ("Buses will use the ring road while the bridge is closed, and a ferry will carry cyclists and people on "
        "foot across the river every half hour.\n"
        "The shops on the old quay will get help with their rent until the bridge opens again in the summer, "
        "the council said.")


def test_a_lead_printed_twice_at_the_top_keeps_one_copy():
    """A page's description above its first paragraph, which is the same: not a caption
    printed twice (both copies would leave the body), nor the page's title."""
    doc = clean_text(LEAD + "\n" + LEAD + "\n" + REST)
    assert doc.body.split("\n")[0] == LEAD and doc.body.count(LEAD) == 1
    assert doc.title is None and not doc.captions


def test_a_headline_printed_twice_at_the_top_is_the_title():
    headline = "Old bridge to close for two months"
    doc = clean_text(headline + "\n" + headline + "\n" + LEAD + "\n" + REST)
    assert doc.title == headline and doc.body.startswith(LEAD)
