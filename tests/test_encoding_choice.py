"""Which legacy code page a text that is not UTF-8 is read in: windows-1252 unless the
evidence for another is clear, and a doubtful guess names its rivals. Sentences written
for these tests."""

import pytest

from cleaner import Config, Document
from cleaner.context import Context
from cleaner.ruleset import RuleSet
from cleaner.stages.decode import detect, latin_choice, unexplained
from cleaner.stages.decode import decode as decode_stage

NO_RULES = Context(Config(), RuleSet(()))


@pytest.mark.parametrize("text, encoding", [
    # Western European text reads as windows-1252, however short
    ("Il était déjà là, près du café.", "cp1252"),
    ("Le conseil a décidé jeudi de fermer le vieux pont ; ça coûte cher, dit-elle à l'équipe.", "cp1252"),
    ("Die Brücke über den Fluss wird für sechs Monate geschlossen.", "cp1252"),
    ("Los inspectores encontraron grietas. ¿Cuándo abrirá? Nadie lo sabe.", "cp1252"),
    ("Il ponte resterà chiuso per sei mesi, ha detto il sindaco.", "cp1252"),
    ("De brug wordt zes maanden gesloten; één rijstrook blijft open.", "cp1252"),
    ("The prize went to Søren Holm and Zoë Lefèvre, who opened a café in Muñoz Street.", "cp1252"),
    ("It was 25°C in the shade, and the £5 tickets sold out.", "cp1252"),
    # ... and text that only another code page fits reads in that one
    ("Most będzie zamknięty przez pół roku, powiedział burmistrz Łodzi.", "cp1250"),  # ł -> ³, Ł -> £
    ("Mesto uzavrie most na šesť mesiacov, povedal starosta.", "cp1250"),  # ť: no cp1252 byte
    ("Městská rada ve čtvrtek rozhodla, že starý most bude na šest měsíců uzavřen.", "cp1250"),  # ì, è, ø, ù together
    ("Consiliul local a votat închiderea podului timp de şase luni.", "cp1250"),  # ş -> º
    ("A felügyelők repedéseket találtak két pilléren, ezért a képviselő-testület döntött.", "cp1250"),
    ("Miesto taryba nusprendė uždaryti tiltą šešiems mėnesiams.", "cp1257"),
    ("Belediye meclisi perşembe günü köprüyü altı ay kapatmaya karar verdi.", "cp1254"),
    # other scripts are read as charset-normalizer tells
    ("Городской совет в четверг решил закрыть старый мост на шесть месяцев.", "cp1251"),
    ("Το δημοτικό συμβούλιο αποφάσισε να κλείσει τη γέφυρα για έξι μήνες.", "cp1253"),
])
def test_each_text_is_read_in_the_code_page_it_was_written_in(text, encoding):
    guess = detect(text.encode(encoding))
    assert (guess.text, guess.encoding) == (text, encoding)


@pytest.mark.parametrize("text, encoding, rivals", [
    ("Il était déjà là, près du café.", "cp1252", ("cp1250",)),  # "déjŕ lŕ, prčs" reads as well
    ("Il était déjà là, près du café ; le maître d'hôtel a répondu où il était.", "cp1252", ()),
    ("Die Brücke über den Fluss wird für sechs Monate geschlossen.", "cp1252", ()),  # the same in every page
    ("Most będzie zamknięty przez pół roku, powiedział burmistrz Łodzi.", "cp1250", ()),
])
def test_a_doubtful_guess_names_the_code_pages_that_read_the_text_as_well(text, encoding, rivals):
    guess = latin_choice(text.encode(encoding))
    assert (guess.encoding, guess.rivals) == (encoding, rivals)


def test_the_decode_stage_records_the_code_page_it_chose():
    text = "Il était déjà là, près du café."
    doc = decode_stage(Document(id="t", source="t.txt", raw=text.encode("cp1252")), NO_RULES)
    assert (doc.text, doc.encoding) == (text, "cp1252")


@pytest.mark.parametrize("reading, count", [
    ("pó³ roku", 2),  # a number against a letter
    ("mo¿e", 2),  # punctuation between two letters
    ("¿Qué?", 0),  # punctuation at a word's edge
    ("déjà là", 0),  # French letters
    ("Mìsto øekl", 1),  # ì (Italian) and ø (Danish) in one text
])
def test_unexplained_counts_what_one_language_does_not_explain(reading, count):
    high = [i for i, c in enumerate(reading) if ord(c) > 127]
    assert unexplained(reading, high, high) == count
