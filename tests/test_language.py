"""The language of a document, told by its script or its stop words and recorded as
``lang``; rules written for some languages apply only to those. Sentences written for
these tests."""

import pytest

from cleaner import Cleaner, Config, clean_text
from cleaner.language import detect, speaks, stoplist_language
from cleaner.ruleload import RuleFileError, load_rule_text

SENTENCES = {
    "en": "The council voted on Friday to close the old bridge for six months, and the mayor said it was needed.",
    "de": "Der Stadtrat hat am Freitag beschlossen, die alte Brücke für sechs Monate zu schließen, sagte die Bürgermeisterin.",
    "fr": "Le conseil a décidé vendredi de fermer le vieux pont pendant six mois, a déclaré la maire de la ville.",
    "es": "El ayuntamiento decidió el viernes cerrar el viejo puente durante seis meses, dijo la alcaldesa de la ciudad.",
    "pl": "Rada miasta zdecydowała w piątek, że stary most zostanie zamknięty na sześć miesięcy, powiedziała burmistrz.",
    "ru": "Городской совет в пятницу решил закрыть старый мост на шесть месяцев, сказала мэр города.",
    "tr": "Belediye meclisi cuma günü eski köprüyü altı ay boyunca kapatmaya karar verdi, dedi belediye başkanı.",
    "ja": "市議会は金曜日、古い橋を六か月間閉鎖することを決めたと市長が述べた。",
    "zh": "市议会星期五决定将旧桥关闭六个月，市长说这是必要的。",
    "ko": "시의회는 금요일에 오래된 다리를 6개월 동안 폐쇄하기로 결정했다고 시장이 말했다.",
}


@pytest.mark.parametrize("lang", list(SENTENCES))
def test_the_language_is_told_and_recorded(lang):
    assert detect(SENTENCES[lang], Config()) == lang
    assert clean_text(SENTENCES[lang]).lang == lang


def test_a_text_of_no_known_language_has_none():
    assert clean_text("12345 67890 ---- ++++").lang is None


@pytest.mark.parametrize("text", ["The ferry sails at noon.", "the", "Bystyret sa at brua skal stenges til våren."])
def test_a_text_two_major_languages_stop_lists_fit_alike_has_no_language(text):
    """"the" and "at" are in the English list and in the Turkish one; the text does not
    tell them apart, and a wrong ``lang`` would keep the right language's rules off it:
    it was the later name of the two, Turkish."""
    assert detect(text, Config()) is None


def test_a_major_language_tied_with_a_smaller_neighbour_is_told():
    assert detect("El puente está cerrado.", Config()) == "es"


def test_norwegian_covers_both_written_forms_and_an_unknown_language_takes_every_rule():
    assert speaks(("no",), "nb") and speaks(("no",), "nn") and not speaks(("de",), "nb")
    assert speaks(("de",), None) and speaks((), "fr")


RULE = '''
[[rule]]
id = "T1"
name = "german-teaser"
stage = "strip_header"
description = "A German read-more line."
action = "drop"
languages = ["de"]
pattern = '(?i)mehr\\s+zum\\s+thema:?'
remove = ["Mehr zum Thema"]
keep = ["Der Stadtrat sprach am Freitag mehr zum Thema Brücken als zu allem anderen, hieß es."]
'''


def test_a_rule_for_one_language_leaves_documents_in_another_alone():
    cleaner = Cleaner(load_rule_text(RULE), Config())
    german = SENTENCES["de"] + "\nMehr zum Thema\n" + SENTENCES["de"]
    english = SENTENCES["en"] + "\nMehr zum Thema\n" + SENTENCES["en"]
    assert [s.rule for s in cleaner.clean_text(german).removed] == ["T1"]
    assert "Mehr zum Thema" in cleaner.clean_text(english).body


def test_an_unknown_language_code_is_a_rule_file_error():
    with pytest.raises(RuleFileError, match="unknown language 'german'"):
        load_rule_text(RULE.replace('["de"]', '["german"]'))


def test_a_page_is_read_in_the_language_of_its_sentences_not_of_its_schedule():
    # a sports page's schedule repeats words that another language's stop list holds
    # ("kanal", "max", "finale" are in jusText's Turkish list): its sentences decide
    prose = "".join(f"Bystyret vedtok på fredag å stenge den gamle brua nummer {i} i to måneder, og arbeidet "
                    f"starter i mai, sa ordføreren til avisen.\n" for i in range(20))
    schedule = "".join(f"{10 + i % 12}:00\nKanal: Max\nTV\nFinale\n" for i in range(80))
    text = prose + schedule
    assert stoplist_language(text, Config()) == "Norwegian_Bokmal"
    assert detect(text, Config()) == "nb"


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_chinese_and_japanese_paragraphs_are_prose_so_the_head_ends_at_the_first(lang):
    """Written without spaces, a paragraph is prose by its characters (two to a word), so
    the head of the text, where the head rules look, ends at its first paragraph: a date
    line above it goes to `date`, the same line below it is the article's and stays."""
    text, date = SENTENCES[lang], "2026年3月3日"
    above = clean_text(f"{date}\n\n{text}\n\n{text}")
    assert above.date == "2026-03-03" and date not in above.body
    below = clean_text(f"{text}\n\n{date}\n\n{text}")
    assert below.date is None and date in below.body


def test_a_sentence_ends_before_any_script_s_closing_quote_for_the_rules_too():
    from cleaner.text import ends_sentence

    assert all(map(ends_sentence, ["Sie sagte: „Die Brücke bleibt zu.“", "Il a dit : « Non. »", "市长说：“必要。”",
                                   "「橋は閉鎖する。」", "क्या पुल बंद रहेगा।"]))
    assert not any(map(ends_sentence, ["Most read", "„Die Brücke“", "Mehr zum Thema"]))
