"""Text from anywhere comes out as the same composed (NFC) text, whatever encoding it
was saved in, with the encoding recorded; UTF-8 with a few invalid bytes stays UTF-8.
Paragraphs written for these tests."""

import unicodedata

import pytest

from cleaner import Config, clean_bytes
from cleaner.stages.decode import LEGACY_LINE, REPLACED, bomless_utf16, mostly_utf8

PARAGRAPHS = {
    "fr": "Le conseil municipal a décidé jeudi de fermer le vieux pont pendant six mois ; les réparations "
          "coûteront cher, a précisé la maire à l'équipe.",
    "cs": "Městská rada ve čtvrtek rozhodla, že starý most bude na šest měsíců uzavřen; opravy budou drahé, "
          "řekla starostka.",
    "ru": "Городской совет в четверг решил закрыть старый мост на шесть месяцев; ремонт будет дорогим, "
          "сказала мэр.",
    "ja": "市議会は木曜日、古い橋を六か月間閉鎖することを決めた。修理には費用がかかると市長は述べた。",
    "zh-hans": "市议会星期四决定将旧桥关闭六个月。市长说，维修费用很高。",
    "zh-hant": "市議會星期四決定將舊橋關閉六個月。市長說，維修費用很高。",
    "ko": "시의회는 목요일에 오래된 다리를 6개월 동안 폐쇄하기로 결정했다. 시장은 수리 비용이 많이 든다고 말했다.",
}

LEGACY = [("fr", "cp1252"), ("fr", "latin-1"), ("cs", "cp1250"), ("cs", "iso8859_2"), ("ru", "cp1251"),
          ("ru", "koi8_r"), ("ja", "shift_jis"), ("ja", "euc_jp"), ("zh-hans", "gb18030"), ("zh-hant", "big5"),
          ("ko", "euc_kr")]


@pytest.mark.parametrize("lang, encoding", LEGACY)
def test_a_legacy_encoded_paragraph_comes_out_as_written(lang, encoding):
    text = PARAGRAPHS[lang]
    raw = text.encode(encoding)
    doc = clean_bytes(raw)
    assert doc.body == text
    assert raw.decode(doc.encoding) == text  # the recorded encoding reads the bytes as written


@pytest.mark.parametrize("lang", list(PARAGRAPHS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_unicode_encoded_paragraph_comes_out_composed(lang, encoding):
    text = PARAGRAPHS[lang]
    doc = clean_bytes(unicodedata.normalize("NFD", text).encode(encoding))
    assert doc.body == text and doc.encoding == encoding
    assert unicodedata.is_normalized("NFC", doc.body)


@pytest.mark.parametrize("lang", list(PARAGRAPHS))
@pytest.mark.parametrize("bad", [b"\xff", "é".encode()[:1], b"\x80"])
def test_utf8_with_one_invalid_byte_stays_utf8_with_the_byte_replaced(lang, bad):
    text = PARAGRAPHS[lang]
    half = len(text) // 2
    doc = clean_bytes(text[:half].encode() + bad + text[half:].encode())
    assert doc.encoding == "utf-8"
    assert doc.body == text[:half] + "\ufffd" + text[half:]
    assert [r.fixes for r in doc.repairs] == [(REPLACED,)]
    assert "\\x" in doc.repairs[0].before


def test_a_legacy_text_with_an_accidental_utf8_pair_is_still_legacy():
    text = "Il était déjà là, près du café, quand l'équipe est arrivée à Montréal."
    assert mostly_utf8(text.encode("cp1252")) is None
    assert clean_bytes(text.encode("cp1252")).encoding == "cp1252"


@pytest.mark.parametrize("lang, encoding", [("fr", "cp1252"), ("cs", "cp1250"), ("ru", "cp1251")])
def test_utf8_with_whole_lines_in_a_legacy_code_page_reads_each_line_as_written(lang, encoding):
    """A page's UTF-8 template around an article in a legacy code page, or two files joined
    into one: the UTF-8 lines stay UTF-8, the others are read in their code page, each
    recorded; the file was refused as fitting no encoding."""
    utf8 = ["Die Brücke über den Fluss bleibt bis Mai gesperrt, sagte die Bürgermeisterin.",
            "Нажмите здесь, чтобы подписаться на рассылку."]
    legacy = PARAGRAPHS[lang]
    raw = b"\n".join([utf8[0].encode(), legacy.encode(encoding), utf8[1].encode()])
    doc = clean_bytes(raw)
    assert doc.rejected is None and doc.encoding == "utf-8"
    assert doc.body.split("\n")[:2] == [utf8[0], legacy]
    assert [(r.line, r.fixes) for r in doc.repairs] == [(2, (LEGACY_LINE.format(encoding),))]


def test_composition_is_a_setting_and_leaves_compatibility_forms_alone():
    decomposed = unicodedata.normalize("NFD", PARAGRAPHS["fr"])
    assert clean_bytes(decomposed.encode(), config=Config(nfc=False)).body == decomposed
    doc = clean_bytes(("Le ﬁnancement ｆｕｌｌ atteint 10² euros. " + decomposed).encode())
    assert doc.body.startswith("Le ﬁnancement ｆｕｌｌ atteint 10² euros.") and doc.repairs[0].fixes == ("nfc",)


def test_gzip_is_read_member_after_member_and_a_cut_one_is_refused():
    import gzip

    first = "The ferry runs again from Monday, after a winter of repairs to its engines."
    second = "The summer timetable adds a crossing at night from the first week of June."
    doc = clean_bytes(gzip.compress(first.encode()) + gzip.compress((" " + second).encode()), format="text")
    assert first in doc.body and second in doc.body
    whole = gzip.compress(f"{first} {second}".encode())
    cut = clean_bytes(whole[:len(whole) // 2], format="text")
    assert cut.rejected.startswith("cut short: its gzip data ends inside a member") and cut.body is None
    bomb = clean_bytes(gzip.compress(b"A" * 5000), config=Config(max_file_bytes=1000), format="text")
    assert "inflates past the size limit (1,000 bytes)" in bomb.rejected


def test_zstd_bytes_are_read_frame_after_frame_and_a_cut_frame_is_refused():
    import zstandard

    first = "The ferry runs again from Monday, after a winter of repairs to its engines."
    second = "The summer timetable adds a crossing at night from the first week of June."
    z = zstandard.ZstdCompressor()
    doc = clean_bytes(z.compress(first.encode()) + z.compress((" " + second).encode()), format="text")
    assert first in doc.body and second in doc.body
    whole = z.compress(f"{first} {second}".encode())
    assert clean_bytes(whole[:len(whole) // 2], format="text").rejected.startswith("cut short: its zstd data")
    bomb = clean_bytes(z.compress(b"A" * 5000), config=Config(max_file_bytes=1000), format="text")
    assert "decompresses past the size limit (1,000 bytes)" in bomb.rejected


@pytest.mark.parametrize("text", ["Ça va très bien, merci.", "Très bien, à demain."])
def test_a_short_latin_text_is_not_read_as_ideographs(text):
    # a double-byte page reads each accented letter and the letter after it as one ideograph
    doc = clean_bytes(text.encode("latin-1"), format="text")
    assert doc.body == text and doc.encoding == "cp1252"


def test_a_short_text_is_never_read_as_utf16_without_its_mark_and_a_tied_guess_says_so():
    # pairs of ASCII bytes read as UTF-16 are ideographs: no text without NUL bytes is that
    doc = clean_bytes("iPhone的".encode("big5"), format="text")  # too short to tell its code page
    assert not doc.encoding.startswith("utf_16") and doc.body.startswith("iPhone") and doc.encoding_rivals
    short = clean_bytes("Москва — столица.".encode("cp1251"), format="text")
    assert short.body == "Москва — столица." and short.encoding == "cp1251"
    assert short.encoding_rivals  # charset-normalizer ties on so few words: the doubt is recorded


@pytest.mark.parametrize("lang", ["fr", "cs"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("format", ["text", "html"])
def test_latin_script_utf16_without_its_mark_is_read(lang, encoding, format):
    """Every other byte NUL is no binary file but UTF-16 written without its byte-order
    mark; the encoding recorded reads the bytes as written."""
    text = PARAGRAPHS[lang]
    raw = (f"<html><body><article><p>{text}</p></article></body></html>" if format == "html" else text).encode(encoding)
    doc = clean_bytes(raw, format=format)
    assert doc.rejected is None and doc.encoding == encoding
    assert doc.body == text


@pytest.mark.parametrize("raw", [
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 8,  # an archive: NULs at both places of the pairs
    "The ferry sails.".encode("utf-16-le") + b"\x01\x00\x02\x00",  # control characters are no text
    "The ferry sails.".encode("utf-16-le") + b"\x00",  # an odd length is no UTF-16
])
def test_nul_bytes_that_are_not_bomless_utf16_are_not_read_so(raw):
    assert bomless_utf16(raw) is None
    assert clean_bytes(raw).rejected.startswith("binary file")


def test_utf8_and_legacy_bytes_mixed_inside_a_line_are_read_as_utf8_with_the_rest_replaced():
    """No code page reads the whole, and the legacy half is too large a share for `mostly_utf8`:
    the file was refused; now its UTF-8 is read, each other byte replaced, and the line recorded."""
    utf8, legacy = "Déjà vu, à Noël. " * 6, "Déjà vu, à Noël. " * 6
    raw = utf8.encode() + legacy.encode("cp1252")
    doc = clean_bytes(raw)
    assert doc.rejected is None and doc.encoding == "utf-8"
    assert doc.body.startswith(utf8.strip()) and "D\ufffdj\ufffd vu" in doc.body
    assert [r.fixes for r in doc.repairs] == [(REPLACED,)]
