"""Compressed inputs (`cleaner.compressed`): read to their end, frame after frame and
member after member, and a file cut short refused where it is cut, with the whole
records before the cut kept."""

import gzip
import json
from pathlib import Path

import pytest
import zstandard

from cleaner.batch import Input
from cleaner.compressed import Truncated
from cleaner.reading import iter_lines

ROOT = Path(__file__).resolve().parent.parent

RECORDS = b"".join(json.dumps({"id": f"r{k}", "text": f"Notice {k}: the ferry leaves at {k % 24}:15 from the quay."})
                   .encode() + b"\n" for k in range(20_000))


@pytest.mark.parametrize("compress, suffix", [(zstandard.ZstdCompressor().compress, "zst"), (gzip.compress, "gz")])
def test_a_jsonl_file_cut_short_keeps_its_whole_records_and_says_where_it_is_cut(compress, suffix, tmp_path):
    whole = compress(RECORDS)
    path = tmp_path / f"notices.jsonl.{suffix}"
    path.write_bytes(whole[:len(whole) * 3 // 4])
    lines = list(iter_lines(Input(path, path.name), 1 << 20))
    read = [line for _, line in lines if not isinstance(line, Exception)]
    errors = [(no, e) for no, e in lines if isinstance(e, Exception)]
    assert len(errors) == 1 and errors[0][0] == len(read) + 1 and "cut short" in str(errors[0][1])
    assert 1000 < len(read) < 20_000 and all(json.loads(line)["id"] == f"r{k}" for k, line in enumerate(read))


def test_a_jsonl_file_of_several_frames_is_read_to_its_end(tmp_path):
    z = zstandard.ZstdCompressor()
    half = RECORDS.index(b"\n", len(RECORDS) // 2) + 1
    path = tmp_path / "notices.jsonl.zst"
    path.write_bytes(z.compress(RECORDS[:half]) + z.compress(RECORDS[half:]))
    lines = [line for _, line in iter_lines(Input(path, path.name), 1 << 20)]
    assert len(lines) == 20_000 and not any(isinstance(line, Exception) for line in lines)


def test_truncated_is_a_value_error_that_says_what_to_do():
    from cleaner.compressed import truncated

    e = truncated("zstd", "frame")
    assert isinstance(e, Truncated) and isinstance(e, ValueError)
    assert str(e) == "cut short: its zstd data ends inside a frame; copy or download the file again, or give it uncompressed"


@pytest.mark.parametrize("compress, suffix", [(zstandard.ZstdCompressor().compress, "zst"), (gzip.compress, "gz")])
def test_a_page_saved_as_compressed_text_is_cleaned_as_the_page_it_is(compress, suffix, tmp_path):
    from cleaner.executor import run
    from cleaner.pipeline import Cleaner
    from cleaner.records import Options

    page = (ROOT / "seeds" / "cases" / "page.html").read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"saved.txt.{suffix}").write_bytes(compress(page))
    (tmp_path / "in" / "plain.html").write_bytes(page)
    run([str(tmp_path / "in")], Cleaner(), Options(fmt="json", output=tmp_path / "out"))
    saved, plain = (json.loads((tmp_path / "out" / f"{name}.json").read_text()) for name in ("saved", "plain"))
    assert saved["format"] == "html" and saved["extractor"] == plain["extractor"]
    assert saved["body"] == plain["body"] and saved["title"] == plain["title"]
