"""The page classifier (`cleaner.page`) on small hand-written pages: each feature, the
main text, the verdicts and their reasons, telling whole pages from articles, and
the stage in the pipeline (`clean explain` shows the reasons)."""

from dataclasses import replace

import pytest

from cleaner import Cleaner, Config
from cleaner.builtin import PAGE_BOILERPLATE
from cleaner.explain import explain
from cleaner.page import classify, is_page_prose, line_features, page_language, read_page
from cleaner.pagekind import is_menu_line, is_whole_page, may_be_whole_page

CONFIG = Config()

ARTICLE = [
    "The town council voted on Tuesday to close the old river bridge for repairs after engineers found cracks in two of its supports.",
    "Drivers will be sent along the ring road for at least six months, and the council said it would add a bus service for people on foot.",
    "Residents who live near the bridge said they had worried about its state for years and welcomed the decision, though some feared the traffic.",
    "The mayor told reporters that the repairs would cost about four million euros and that the work should begin before the end of the summer.",
]
MENU = ["Home", "News", "Sport", "Weather", "Business", "Culture", "Travel", "Opinion"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2024 The Daily Example"]


def verdicts(texts, config=CONFIG):
    return classify(read_page(texts, config), config)


def kept(texts, config=CONFIG):
    return [t for t, v in zip(texts, verdicts(texts, config)) if v.keep]


# --- features of a line -------------------------------------------------------------


def test_the_page_language_is_the_stop_list_its_words_fit_best():
    assert page_language(ARTICLE, CONFIG)[0] == "English"
    german = ["Der Gemeinderat hat am Dienstag beschlossen, die alte Brücke über den Fluss für die Reparatur zu sperren,"
              " weil die Ingenieure Risse in zwei Pfeilern gefunden haben."]
    assert page_language(german, CONFIG)[0] == "German"


def test_a_script_without_spaces_has_no_stop_list_and_counts_its_characters_triple():
    japanese = "先日、不正に改造した端末を販売したとして、二十代の男性が逮捕されたというニュースを耳にしました。"
    lang, stop = page_language([japanese], CONFIG)
    assert lang is None and not stop
    (f,) = line_features([japanese], None)
    assert f.size > 2 * len(japanese)
    assert f.stop_density is None and f.ends_sentence and is_page_prose(f, CONFIG)


def test_stop_word_density_tells_prose_from_a_list_of_names():
    stop = page_language(ARTICLE, CONFIG)[1]
    prose, names = line_features([ARTICLE[0], "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu."],
                                 stop)
    assert prose.stop_density > 0.3 and is_page_prose(prose, CONFIG)
    assert names.stop_density == 0 and not is_page_prose(names, CONFIG)


def test_links_and_separators_make_a_line_link_like():
    stop = page_language(ARTICLE, CONFIG)[1]
    crumbs, with_address = line_features(["Home › World › Europe", ARTICLE[0] + " More at www.example.com/bridge."], stop)
    assert crumbs.link_share > 0
    assert with_address.link_share < CONFIG.page_max_link_share and is_page_prose(with_address, CONFIG)
    (links,) = line_features(["https://example.com/a https://example.com/b"], stop)
    assert links.link_share >= CONFIG.page_max_link_share


def test_an_emoji_ends_a_sentence_after_its_full_stop_or_in_its_place():
    stop = page_language(ARTICLE, CONFIG)[1]
    words = "We all went down to the river on Sunday to watch the boats race past the old bridge"
    smiled, winked, marked, branded = line_features([words + "! 🙂", words + " 😉", words + " ⬇️", words + " Brand™"], stop)
    assert smiled.ends_sentence and winked.ends_sentence and marked.ends_sentence and is_page_prose(smiled, CONFIG)
    assert not branded.ends_sentence  # ™, ©, arrows are text, not emoji


def test_a_full_stop_before_any_language_s_closing_quote_or_a_typed_smiley_ends_a_sentence():
    words = "Der Bürgermeister sagte am Dienstag, die Brücke bleibe sechs Monate gesperrt"
    german, danish, smiley = line_features([f"„{words}.“", f"»{words}.«", words + " :-)"], None)
    assert german.ends_sentence and danish.ends_sentence and smiley.ends_sentence


def test_a_sentence_signed_with_its_writer_s_initials_ends_like_one_and_a_caption_s_credit_does_not():
    words = "Der Bürgermeister sagte am Dienstag, die Brücke bleibe sechs Monate gesperrt"
    signed, slashed, credited = line_features([f"{words}. (ab)", f"{words}. / mk", f"{words}. Photo: Jane Doe"], None)
    assert signed.ends_sentence and slashed.ends_sentence and not credited.ends_sentence
    # a Chinese report's last paragraph, its reporters in brackets after the last sentence
    reported, agency = line_features(["市议会周二决定关闭旧桥六个月进行维修。（记者王明、李华）",
                                      "市议会周二决定关闭旧桥六个月进行维修。（新华社发）"], None)
    assert reported.ends_sentence and not agency.ends_sentence
    # a Japanese report's, its reporters and their cities in lenticular brackets
    signed_ja, unsigned_ja = line_features(["市議会は火曜日、古い橋を半年間閉鎖すると決めた。【ロンドン山田太郎】",
                                            "市議会は火曜日、古い橋を半年間閉鎖すると決めた【関連記事】"], None)
    assert signed_ja.ends_sentence and not unsigned_ja.ends_sentence


def test_a_quote_and_who_said_it_end_a_paragraph_whose_full_stop_is_missing():
    quoted, said, named = line_features([
        "“We will keep the old bridge open for people on foot while the work goes on,” said Jo Roe",
        "“Wir halten die alte Brücke für Fußgänger offen, solange gebaut wird“, sagte Bürgermeisterin Jana Beck",
        "The old bridge will stay open for people on foot while the work goes on, said Jo Roe"], None)
    assert quoted.ends_sentence and said.ends_sentence and not named.ends_sentence
    last = "“The buses will use the ring road from May until the repairs are finished,” the mayor said"
    assert kept([*MENU, *ARTICLE, last, *FOOTER])[-1] == last


def test_an_article_s_last_paragraph_signed_by_its_writer_stays_below_a_caption():
    last = ARTICLE[3] + " (ab)"
    texts = [*MENU, *ARTICLE[:3], "The old bridge in winter. Photo Jane Doe/Example", last, *FOOTER]
    assert kept(texts)[-1] == last


def test_a_short_sentence_inside_the_article_does_not_cut_it():
    short = ["Here is how it works.", "The bridge shuts first.", "Then the buses start."]
    texts = [*MENU, ARTICLE[0], *short, *ARTICLE[1:], *FOOTER]
    assert kept(texts) == [ARTICLE[0], *short, *ARTICLE[1:]]


def test_a_page_whose_one_paragraph_ends_with_a_credit_keeps_it():
    paragraph = ("Singers and actors wore striped swimsuits on the beaches of the coast this summer, and the "
                 "photographers followed them from one resort to the next. (Example Photos)")
    texts = [*MENU, "Beach fashion", paragraph, *FOOTER]
    assert paragraph in kept(texts)


def test_a_blog_with_its_sidebar_below_the_post_is_a_whole_page():
    sidebar = ["Archives", "November 2012", "October 2012", "September 2012", "August 2012", "Categories",
               "Travel", "Food", "Books", "Music"]
    assert is_whole_page(read_page([*ARTICLE, *sidebar], CONFIG), CONFIG)


def test_a_menu_line_is_a_few_words_that_are_not_a_sentence():
    news, sentence, long = line_features(["World news", "It rained.", ARTICLE[0]], None)
    assert is_menu_line(news, CONFIG) and not is_menu_line(sentence, CONFIG) and not is_menu_line(long, CONFIG)


# --- the verdicts ---------------------------------------------------------------------


def test_a_menu_above_and_a_footer_below_the_article_go():
    page = MENU + ARTICLE + FOOTER
    assert kept(page) == ARTICLE
    reasons = {t: v.reason for t, v in zip(page, verdicts(page))}
    assert reasons["Weather"].startswith("above the main text")
    assert reasons["Contact"].startswith("below the main text")


def test_a_cookie_banner_below_the_article_goes():
    banner = ["We use cookies", "Accept all", "Manage settings",
              "We and our partners use cookies to store and access information on your device.", "Reject all"]
    assert kept(MENU + ARTICLE + banner) == ARTICLE


def test_a_comment_thread_under_the_article_goes():
    thread = ["3 comments", "Jane D.", "5 hours ago", "Finally!", "Reply", "Like", "Tom", "2 hours ago",
              "About time.", "Reply", "Like", "Load more comments"]
    assert kept(MENU + ARTICLE + thread) == ARTICLE


def test_a_short_real_paragraph_and_a_subheading_inside_the_article_stay():
    article = [ARTICLE[0], "Nobody was hurt.", ARTICLE[1], "What happens next", ARTICLE[2], ARTICLE[3]]
    page = MENU + article + FOOTER
    assert kept(page) == article
    reasons = {t: v.reason for t, v in zip(page, verdicts(page))}
    assert reasons["Nobody was hurt."] == "a short sentence"
    assert reasons["What happens next"] == "a heading above prose"


def test_a_caption_label_inside_the_article_goes_with_its_reason():
    page = MENU + [ARTICLE[0], ARTICLE[1], "Photo: Jane Doe", "Share", ARTICLE[2], ARTICLE[3]] + FOOTER
    v = dict(zip(page, verdicts(page)))
    assert not v["Share"].keep and v["Share"].reason.startswith("inside the main text")
    assert kept(page) == [t for t in ARTICLE]


def test_a_long_paragraph_that_does_not_end_like_a_sentence_stays_and_a_caption_with_its_credit_goes():
    # a paywall cuts a paragraph mid-sentence; a notice ends on the number to call; a long
    # caption ends with its credit; an archive menu is one long line of months
    cut = ("The council met again on Thursday to hear from the engineers, who said the cracks had grown since the"
           " spring. They asked for the bridge to stay shut until the new supports are in, and warned that the"
           " cost could rise if the river floods again before the autumn, as it did two years ago, when the water")
    number = ("People who live on the ring road can ask for a parking permit for the months of the works. The council"
              " will post a form to every house in the streets that the diversion runs through, and anyone who does"
              " not get one by the end of the month can ask for it by telephone on 0800 123 456")
    caption = ("Engineers from the county inspect the underside of the old river bridge on Monday, after the cracks"
               " were found in two of its supports during the yearly check. The bridge was built in 1904 and was last"
               " repaired in the seventies, when its deck was replaced. (Photo: Jo Roe / Daily Example)")
    archive = ("Select Month " + " ".join(f"{m} 2024" for m in ("December", "November", "October", "September", "August",
               "July", "June", "May", "April", "March", "February", "January")) + " " +
               " ".join(f"{m} 2023" for m in ("December", "November", "October", "September", "August", "July")))
    for line in (cut, number, caption):
        assert len(line.split()) >= CONFIG.page_paragraph_words
    page = MENU + [ARTICLE[0], cut, ARTICLE[1], number, ARTICLE[2], caption, archive, ARTICLE[3]] + FOOTER
    v = dict(zip(page, verdicts(page)))
    assert v[cut].keep and v[number].keep and v[cut].reason.startswith("a paragraph")
    assert not v[caption].keep and not v[archive].keep
    # the threshold is the configuration's
    stricter = replace(CONFIG, page_paragraph_words=200)
    assert not dict(zip(page, verdicts(page, stricter)))[cut].keep


def test_a_first_paragraph_without_its_last_full_stop_opens_the_article():
    # the scraper printed its full stop on a line of its own, which a rule took out
    first = ("The town council met on Monday to hear what the engineers had found. They said two of the bridge's"
             " supports had cracked over the winter and asked for it to be shut before the spring floods came down the valley and reached the old town")
    teaser = "Council votes on parking charges for the old town"
    assert kept(MENU + [first] + ARTICLE + FOOTER) == [first] + ARTICLE
    assert kept(MENU + [teaser] + ARTICLE + FOOTER) == ARTICLE
    # not across furniture a rule took out (a share bar) right above the article
    page = read_page(MENU + [first] + ARTICLE + FOOTER, CONFIG, frozenset({len(MENU) + 1}))
    assert page.region == range(len(MENU) + 1, len(MENU) + 1 + len(ARTICLE))


def test_a_list_the_article_introduces_with_a_colon_stays():
    intro = "The bridge will be closed on these dates, the council said:"
    dates = ["June 9 -- north lane", "June 10 -- south lane", "June 14 -- both lanes"]
    texts = MENU + ARTICLE + [intro] + dates + FOOTER
    blocks = [0] * len(MENU) + [1] * (len(ARTICLE) + 1 + len(dates)) + [2] * len(FOOTER)
    page = read_page(texts, CONFIG)
    out = [t for t, v in zip(texts, classify(page, CONFIG, blocks)) if v.keep]
    assert out == ARTICLE + [intro] + dates


def test_a_numbered_list_below_the_article_stays_with_the_prose_after_it():
    items = ["1. North lane: closed in June", "2. South lane: closed in July",
             "(both with a bus stop moved)", "3. Footpath: open all summer"]
    after = ("The council said it would publish the dates of each closure on its website a week before the work "
             "started, and that buses would keep to their usual times.")
    page = MENU + ARTICLE + items + [after] + FOOTER
    assert kept(page) == ARTICLE + items + [after]
    reasons = {t: v.reason for t, v in zip(page, verdicts(page))}
    assert reasons[items[0]] == "an item of a numbered list"


def test_a_numbered_list_below_furniture_the_rules_took_out_does_not_join_the_article():
    # "Most read" taken out by a rule: the numbered headlines right below it are no article's
    items = ["1. Mayor opens the new market hall", "2. Storm warning for the coast", "3. Local team wins the cup"]
    texts = MENU + ARTICLE + items + FOOTER
    edges = frozenset({len(MENU) + len(ARTICLE)})
    page = read_page(texts, CONFIG, edges)
    assert [t for t, v in zip(texts, classify(page, CONFIG)) if v.keep] == ARTICLE
    assert kept(texts) == ARTICLE + items, "without the edge, the list is the article's"


def test_a_list_that_does_not_count_from_one_nor_through_three_items_does_not_join_the_article():
    lonely = ["1. North lane: closed in June", "2. South lane: closed in July"]
    skipping = ["2. North lane: closed in June", "3. South lane: closed in July", "4. Footpath: open all summer"]
    for items in (lonely, skipping):
        assert kept(MENU + ARTICLE + items + FOOTER) == ARTICLE


def test_short_sentences_of_a_script_without_spaces_do_not_cut_the_article():
    # a how-to in Japanese: two paragraphs, four short steps, one more paragraph
    paragraphs = ["市の図書館は来月から新しい貸出システムを導入すると発表しました。利用者は自分のスマートフォンで本を予約し、"
                  "受け取りの時間を選べるようになります。館長は待ち時間が大きく減るだろうと話しています。",
                  "新しいシステムを使うには、まず図書館のカードを登録する必要があります。登録は窓口でもウェブでもできますが、"
                  "ウェブの方が早く終わるそうです。手順は次の通りです。",
                  "登録が終わると、予約した本の準備ができたときにお知らせが届きます。受け取りは一週間以内にしてください。"
                  "期限を過ぎると予約は取り消されるので注意が必要です。"]
    steps = ["まず図書館のサイトを開きます。", "次にカードの番号を入れます。", "最後に確認のボタンを押します。",
             "これで登録は完了です。"]
    menu = ["ホーム", "ニュース", "スポーツ", "天気", "経済", "文化", "旅行", "意見"]
    page = menu + paragraphs[:2] + steps + paragraphs[2:] + ["会社案内", "お問い合わせ", "利用規約"]
    assert kept(page) == paragraphs[:2] + steps + paragraphs[2:]


def test_a_list_introduced_with_a_colon_and_counted_below_the_article_stays():
    intro = "Here is how to sign up for the new service:"
    steps = ["1. Open the library's website", "2. Enter your card number", "3. Press the button"]
    assert kept(MENU + ARTICLE + [intro] + steps + FOOTER) == ARTICLE + [intro] + steps


def test_a_page_without_prose_keeps_nothing_and_says_so():
    v = verdicts(MENU)
    assert not any(x.keep for x in v) and {x.reason for x in v} == {"no prose on the page"}


def test_teasers_far_below_the_article_stay_out_when_a_long_menu_parts_them():
    teasers = [f"Another story about something else entirely happened in a town far away, number {n}, and people talked."
               for n in range(3)]
    gap = [f"Section {n}" for n in range(12)]
    assert kept(MENU + ARTICLE + gap + teasers[:1]) == ARTICLE


def test_furniture_the_rules_took_out_is_an_edge_the_main_text_does_not_run_across():
    teaser = "Another story about something else entirely happened in a town far away, and people talked."
    page = MENU + ARTICLE[:1] + ["Sport", teaser]
    assert kept(page) == ARTICLE[:1] + [teaser], "one short line alone does not part them"
    edged = read_page(page, CONFIG, edges=frozenset({len(MENU) + 1}))  # a share bar was above "Sport"
    assert [t for t, v in zip(page, classify(edged, CONFIG)) if v.keep] == ARTICLE[:1]


# --- whole page or article --------------------------------------------------------------


def test_a_page_with_its_navigation_above_is_a_whole_page_and_an_article_is_not():
    assert is_whole_page(read_page(MENU + ARTICLE + FOOTER, CONFIG), CONFIG)
    assert not is_whole_page(read_page(ARTICLE, CONFIG), CONFIG)


def test_a_list_between_two_paragraphs_is_no_navigation_bar():
    # a recipe's ingredients, a product's specifications: short lines, as a menu's are,
    # but with the article's prose right above and right below them
    items = ["Flour", "Brown sugar", "Two eggs", "Butter", "Whole milk", "Salt", "Dry yeast", "Warm water"]
    assert not is_whole_page(read_page(ARTICLE[:1] + items + ARTICLE[1:], CONFIG), CONFIG)
    assert not is_whole_page(read_page(ARTICLE[:2] + items + ARTICLE[2:], CONFIG), CONFIG)
    # the same lines above the article, under the site's name, are its navigation
    assert is_whole_page(read_page(["The Daily Example"] + items + ARTICLE, CONFIG), CONFIG)
    # and a page's navigation bar between two teasers is one too
    teaser = "Another story about something else entirely happened in a town far away, and people talked."
    assert is_whole_page(read_page(MENU + [teaser] + MENU + ARTICLE + FOOTER, CONFIG), CONFIG)
    table = ["| Pos | Player | Plays |", "| DL | Larry | 63 |", "| DL | Myles | 57 |", "| DL | Chad | 57 |"]
    assert not is_whole_page(read_page(ARTICLE[:2] + table * 3 + ARTICLE[2:], CONFIG), CONFIG)


# --- the stage ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


def test_the_stage_records_the_kind_and_each_removal_with_its_reason(cleaner):
    text = "\n".join(MENU) + "\n\n" + "\n".join(ARTICLE) + "\n\n" + "\n".join(FOOTER)
    doc = cleaner.clean_text(text)
    assert doc.text_kind == "whole-page"
    assert doc.body == "\n".join(ARTICLE)
    ours = [s for s in doc.removed if s.rule == PAGE_BOILERPLATE]
    assert {s.text for s in ours} | {s.text for s in doc.removed if s.rule != PAGE_BOILERPLATE} >= set(MENU[1:]) | set(FOOTER[:-1])
    assert all(s.reason and s.stage == "classify_page" for s in ours)
    shown = explain(doc, cleaner.rules)
    assert "[W001 whole-page-boilerplate: above the main text (the densest run of prose)] Sport" in shown


def test_an_article_passes_untouched_and_the_kind_can_be_forced(cleaner):
    article = "\n\n".join(ARTICLE)
    doc = cleaner.clean_text(article)
    assert doc.text_kind == "article" and doc.body == article
    forced = Cleaner(cleaner.rules, replace(cleaner.config, text_kind="article"))
    page = "\n".join(MENU + ARTICLE)
    doc = forced.clean_text(page)
    assert doc.text_kind == "article" and not any(s.rule == PAGE_BOILERPLATE for s in doc.removed)
    forced = Cleaner(cleaner.rules, replace(cleaner.config, text_kind="whole-page"))
    assert forced.clean_text(article).text_kind == "whole-page"


def test_the_rules_hits_at_an_article_s_edge_reach_the_classifier(cleaner):
    """A share bar, which the rules take out (`Rule.page_edge`), keeps a teaser below it
    out of the main text; without that evidence it stays."""
    from cleaner.ruleset import RuleSet

    teaser = "Another story about something else entirely happened in a town far away, and people talked."
    text = "\n".join(MENU) + f"\n\n{ARTICLE[0]}\n\nShare this article\nFacebook\nTwitter\n\nAround the region\n\n{teaser}"
    doc = cleaner.clean_text(text)
    assert {s.rule for s in doc.removed} == {"H005", PAGE_BOILERPLATE} and "H005" in cleaner.rules.page_edges
    assert doc.body == ARTICLE[0]
    blind = Cleaner(RuleSet(tuple(replace(r, page_edge=False) for r in cleaner.rules)), cleaner.config)
    assert teaser in blind.clean_text(text).body


HEADLINE = "Old river bridge to close for repairs"


def _page_with_lead(lead, headline_again=True, between="Jo Smith"):
    again = f"{HEADLINE}\n\n" if headline_again else ""
    return (f"{HEADLINE}\n\n" + "\n".join(MENU) + f"\n\n{again}{lead}\n\n{between}\n\nListen to this article\n0:00\n\n"
            + "\n\n".join(ARTICLE))


def test_the_lead_right_below_the_headline_stays_above_the_main_text(cleaner):
    """The standfirst under the article's headline (printed again below the menu, so the
    rules took it out as the title) stays, though a byline and a player part it from the
    main text; a short name between headline and lead does not hide it."""
    lead = "Drivers face six months of detours on the ring road."
    doc = cleaner.clean_text(_page_with_lead(lead))
    assert doc.text_kind == "whole-page" and doc.title == HEADLINE
    assert doc.body == "\n\n".join([lead, *ARTICLE])
    assert "Jo Smith" in {s.text for s in doc.removed if s.rule == PAGE_BOILERPLATE}
    shown = cleaner.clean_text(_page_with_lead("Jo Roe\n\n" + lead))
    assert shown.body.startswith(lead)


def test_a_lead_needs_the_headline_above_it_and_is_no_caption_nor_byline(cleaner):
    lead = "Drivers face six months of detours on the ring road."
    assert lead not in cleaner.clean_text(_page_with_lead(lead, headline_again=False)).body
    caption = "The old bridge from the east bank. Photo: Jo Roe/Example Agency"
    assert caption not in cleaner.clean_text(_page_with_lead(caption)).body
    assert cleaner.clean_text(_page_with_lead("1 of 4 The old bridge from the east bank at dawn.")).body == "\n\n".join(ARTICLE)
    # a long line without a sentence's end is a lead only when the lead runs on into the
    # main text: here a byline with its date, parted from the article by a player
    byline = "By Jo Smith and Sam Roe for the Daily Example | Tuesday 3 March 2026 at 10:15 updated 11:40"
    assert byline not in cleaner.clean_text(_page_with_lead(lead + "\n" + byline, between="Sam")).body


def test_the_date_and_byline_right_above_the_main_text_go_to_their_fields(cleaner):
    """On a page the article's head is right above its main text, far below the top of
    the page where the head rules look: its date and byline lines go to their fields,
    each under its rule's id; the same lines further up stay furniture."""
    head = "By Jo Smith\n\nTuesday 3 March 2026"
    teaser = "Another story about something else entirely happened in a town far away, and people talked."
    top = "\n".join(MENU) + f"\n\n{teaser}\n\n"
    doc = cleaner.clean_text(top + f"{head}\n\n" + "\n\n".join(ARTICLE) + "\n\n" + "\n".join(FOOTER))
    assert doc.text_kind == "whole-page" and doc.body == "\n\n".join(ARTICLE)
    assert doc.date == "2026-03-03" and doc.authors == ("Jo Smith",)
    moved = {s.text: (s.rule, s.stage, s.to) for s in doc.removed if s.action == "move"}
    assert moved["Tuesday 3 March 2026"] == ("M009", "classify_page", "date")
    assert moved["By Jo Smith"] == ("M002", "classify_page", "authors")
    far = top + head + "\n\n" + "\n".join(f"Story {k}" for k in range(12)) + "\n\n"
    doc = cleaner.clean_text(far + "\n\n".join(ARTICLE) + "\n\n" + "\n".join(FOOTER))
    assert doc.text_kind == "whole-page" and doc.date is None and not doc.authors


def test_the_byline_and_date_below_the_lead_at_the_top_of_the_main_text_go_to_their_fields(cleaner):
    """The lead is prose, so the main text starts with it, and the byline and date printed
    below it stand inside the main text: they go to their fields as well, with their own
    reason, and the body keeps the lead and the article."""
    page = ("\n".join(MENU) + "\n\n" + ARTICLE[0] + "\n\nBy Jo Smith\n\nTuesday 3 March 2026, 10:15\n\n"
            + "\n\n".join(ARTICLE[1:]) + "\n\n" + "\n".join(FOOTER))
    doc = cleaner.clean_text(page)
    assert doc.text_kind == "whole-page" and doc.body == "\n\n".join(ARTICLE)
    assert doc.date == "2026-03-03T10:15:00" and doc.authors == ("Jo Smith",)
    moved = {s.text: (s.rule, s.reason) for s in doc.removed if s.action == "move"}
    assert moved["By Jo Smith"] == ("M002", "the article's head, at the top of the main text")
    assert moved["Tuesday 3 March 2026, 10:15"][1] == "the article's head, at the top of the main text"


def test_a_byline_that_ends_with_its_date_gives_both_fields_with_a_rule_each(cleaner):
    """ "By Jo Smith, 3 March 2026": the date rule of the span (M011) takes the date, the
    byline rule (M002) the names, each recorded with the part it took."""
    teaser = "Another story about something else entirely happened in a town far away, and people talked."
    top = "\n".join(MENU) + f"\n\n{teaser}\n\nPrint\nEmail\nSave\n\n"
    page = top + "By Jo Smith, 3 March 2026\n\n" + "\n\n".join(ARTICLE) + "\n\n" + "\n".join(FOOTER)
    doc = cleaner.clean_text(page)
    assert doc.text_kind == "whole-page" and doc.body == "\n\n".join(ARTICLE)
    assert doc.date == "2026-03-03" and doc.authors == ("Jo Smith",)
    moved = [(s.rule, s.text, s.to) for s in doc.removed if s.stage == "classify_page" and s.action == "move"]
    assert moved == [("M011", ", 3 March 2026", "date"), ("M002", "By Jo Smith", "authors")]


def test_the_article_s_head_runs_from_its_headline_down_to_the_main_text(cleaner):
    """Below the headline (the title printed again), a byline may stand far above the main
    text, a paywall's blurbs between them: the head runs from the headline down."""
    furniture = "\n".join(f"Story {k}" for k in range(12))
    notice = "Another story about something else entirely happened in a town far away, and people talked."
    page = ("Bridge to close for repairs | The Daily Example\n" + "\n".join(MENU) + f"\n\n{notice}"
            + "\n\nBridge to close for repairs\n\nBy Jo Smith\n\n" + furniture + "\n\n"
            + "\n\n".join(ARTICLE) + "\n\n" + "\n".join(FOOTER))
    doc = cleaner.clean_text(page)
    assert doc.text_kind == "whole-page" and doc.title == "Bridge to close for repairs"
    assert doc.authors == ("Jo Smith",) and doc.body == "\n\n".join(ARTICLE)


def test_the_date_right_above_the_main_text_wins_over_the_page_s_date_of_the_day(cleaner):
    """A news site prints the date of the day at the top of every page, where the head
    rules read it first; the article's own date, right above its main text, is the
    document's date."""
    page = ("Monday 9 March 2026\n\n" + "\n".join(MENU) + "\n\nTuesday 3 March 2026\n\n" + "\n\n".join(ARTICLE)
            + "\n\n" + "\n".join(FOOTER))
    doc = cleaner.clean_text(page)
    assert doc.text_kind == "whole-page" and doc.body == "\n\n".join(ARTICLE)
    assert doc.date == "2026-03-03"
    assert cleaner.clean_text(page.replace("Tuesday 3 March 2026\n\n", "")).date == "2026-03-09"


def test_html_is_an_article(cleaner):
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</article></body></html>"
    doc = cleaner.clean_bytes(html.encode(), format="html")
    assert doc.text_kind == "article"


def test_the_quick_check_lets_every_whole_page_through():
    """`may_be_whole_page` decides most articles without reading the page; it must never
    turn away a text that `is_whole_page` would take for a page."""
    import random

    pool = MENU + FOOTER + ARTICLE + ["Nobody was hurt.", "| a | b | c |", "Home › World", "What happens next",
                                      "Photo: Jane Doe", "June 9 -- north lane", "", "   "]
    rng = random.Random(5)
    pages = 0
    for _ in range(3000):
        texts = [t for t in rng.choices(pool, k=rng.randint(1, 40)) if t.strip()]
        if not texts:
            continue
        whole = is_whole_page(read_page(texts, CONFIG), CONFIG)
        pages += whole
        if whole:
            assert may_be_whole_page(texts, [len(t.split()) for t in texts], CONFIG), texts
    assert pages > 100  # the check was put to the test


def test_an_unknown_text_kind_is_refused_when_the_configuration_is_made():
    with pytest.raises(ValueError, match="text_kind is 'page'; use one of auto, whole-page, article"):
        Config(text_kind="page")
