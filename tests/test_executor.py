"""The local engine: parallel output identical to one worker, inputs and
output formats, stats, resuming (after SIGKILL too), and the limits."""

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.batch import find_inputs
from cleaner.batch import TMP_DIR
from cleaner.executor import run
from cleaner.records import STATS_FILE, Options
from cleaner.resume import SETUP_FILE, SHARDS_FILE
from cleaner.pipeline import Cleaner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
N_SEEDS = len(find_inputs([str(SEEDS)])[0])


@pytest.fixture(scope="module")
def generated(tmp_path_factory, jsonl_lines):
    """A generated corpus of 120 documents in three JSONL files (one gzipped, one zstd)."""
    import zstandard

    folder = tmp_path_factory.mktemp("generated")
    docs = jsonl_lines(120, seed=7, mean_bytes=4000)
    (folder / "a.jsonl").write_text("".join(docs[:40]), encoding="utf-8")
    (folder / "b.jsonl.gz").write_bytes(gzip.compress("".join(docs[40:80]).encode("utf-8")))
    (folder / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress("".join(docs[80:]).encode("utf-8")))
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but the run's stats, shard keys and fingerprint, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (STATS_FILE, SHARDS_FILE, SETUP_FILE)}


def stream(paths, cleaner, **options) -> tuple[str, object]:
    import io

    out = io.StringIO()
    stats = run([str(p) for p in paths], cleaner, Options(**options), stdout=out)
    return out.getvalue(), stats


def test_two_workers_write_what_one_writes_on_stdout(cleaner, generated, bench_corpus):
    one, s1 = stream([SEEDS, generated], cleaner, fmt="jsonl", workers=1)
    two, s2 = stream([SEEDS, generated], cleaner, fmt="jsonl", workers=2)
    assert one == two
    assert s1.rules == s2.rules and (s1.written, s1.bytes_in) == (s2.written, s2.bytes_in)
    assert (s1.inputs, s1.written, s1.failed) == (N_SEEDS + 120, N_SEEDS + 120, 0)
    ids = [json.loads(line)["id"] for line in one.splitlines()]
    expected = [i for i, _ in bench_corpus.documents(120, seed=7, mean_bytes=4000)]
    assert ids[N_SEEDS:] == expected, "JSONL output follows input order"


def test_a_run_gives_back_to_the_collector_what_it_froze_for_its_workers(cleaner, generated):
    """Forked workers run with what they inherit frozen out of garbage collection
    (`gc.freeze`); once the pool is shut, a library caller's objects, garbage cycles
    included, are collected again."""
    import gc

    gc.unfreeze()
    out, stats = stream([generated], cleaner, fmt="jsonl", workers=2)
    assert stats.written == 120
    assert gc.get_freeze_count() == 0


def test_a_run_leaves_a_callers_own_frozen_objects_frozen(cleaner, generated):
    """A caller that froze objects of its own (before forking workers of its own) finds
    them still frozen after a run."""
    import gc

    mine = [["the caller's"]]
    gc.freeze()
    try:
        out, stats = stream([generated], cleaner, fmt="jsonl", workers=2)
        assert stats.written == 120
        collected = (o for generation in range(3) for o in gc.get_objects(generation))
        assert not any(o is mine for o in collected), "the caller's object is collected again"
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet"])
def test_two_workers_write_the_same_files_as_one(cleaner, generated, tmp_path, fmt):
    for workers in (1, 2):
        stats = run([str(generated)], cleaner, Options(fmt=fmt, output=tmp_path / str(workers), workers=workers,
                                                       shard_size=50))
        assert stats.written == 120 and stats.failed == 0
    assert tree(tmp_path / "1") == tree(tmp_path / "2")
    if fmt != "json":
        assert sorted(tree(tmp_path / "1")) == [f"part-0000{k}.{fmt}" for k in range(3)]
        assert (tmp_path / "1" / SHARDS_FILE).read_bytes() == (tmp_path / "2" / SHARDS_FILE).read_bytes()


def test_parquet_rows_are_the_jsonl_documents(cleaner, generated, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    run([str(generated)], cleaner, Options(fmt="parquet", output=tmp_path / "pq", shard_size=1000))
    text, _ = stream([generated], cleaner, fmt="jsonl")
    rows = pq.read_table(tmp_path / "pq" / "part-00000.parquet").to_pylist()
    for row in rows:  # a record's fields, of any type, are a JSON text in Parquet
        row["record"] = json.loads(row["record"])
    assert rows == [json.loads(line) for line in text.splitlines()]


def test_a_records_other_fields_pass_through_and_its_url_fills_the_documents(cleaner, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    fields = {"url": "https://news.example.org/ferry", "crawled": "2026-03-02T08:15:00Z", "tags": ["harbour"],
              "meta": {"words": 31, "ok": True}, "note": None}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ferry", "text": "The ferry sails again on Monday, the operator said.", **fields}) + "\n"
                   + json.dumps({"doc": "bare", "text": "The ferry sails again on Tuesday, the operator said."}) + "\n",
                   encoding="utf-8")
    text, _ = stream([src], cleaner, fmt="jsonl")
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["record"] == fields and first["url"] == fields["url"] and first["id"] == "ferry"
    assert second["record"] == {"doc": "bare"} and second["url"] is None  # all but the text and id fields
    run([str(src)], cleaner, Options(fmt="parquet", output=tmp_path / "one.parquet"))
    [row, _] = pq.read_table(tmp_path / "one.parquet").to_pylist()
    assert json.loads(row["record"]) == fields


def test_a_file_has_no_record_fields(cleaner, tmp_path):
    (tmp_path / "a.txt").write_text("The ferry sails again on Monday, the operator said.\n", encoding="utf-8")
    text, _ = stream([tmp_path / "a.txt"], cleaner, fmt="jsonl")
    assert json.loads(text)["record"] == {}


def test_stats_json_counts_documents_rules_and_stages(cleaner, tmp_path):
    run([str(SEEDS)], cleaner, Options(fmt="json", output=tmp_path / "out"))
    stats = json.loads((tmp_path / "out" / STATS_FILE).read_text())
    assert stats["inputs"] == stats["written"] + stats["failed"] + stats["resumed"] == N_SEEDS
    c101 = stats["rules"]["C101"]
    assert c101["documents"] >= 1 and c101["lines"] >= 1 and c101["characters"] >= len("Please enter your comment!")
    assert set(stats["stages"]) >= {"decode", "repair_encoding", "strip_comments", "tidy"}
    assert not (tmp_path / "out" / TMP_DIR).exists()


def test_jsonl_lines_that_are_broken_are_reported_with_their_line_and_the_rest_cleaned(cleaner, tmp_path):
    src = tmp_path / "in.jsonl"
    good = json.dumps({"id": "ok", "text": "Leave a Reply\n\nThe council met on Friday and voted to close the bridge."})
    src.write_text("\n".join([good, "{not json", json.dumps([1, 2]), json.dumps({"id": "x", "body": "?"}),
                              "", json.dumps({"doc": "y", "content": "The bridge will reopen in May, the council said."}),
                              json.dumps({"id": "z", "text": None})]) + "\n", encoding="utf-8")
    text, stats = stream([src], cleaner, fmt="jsonl", workers=1)
    out = [json.loads(line) for line in text.splitlines()]
    assert [d["id"] for d in out] == ["ok"] and out[0]["source"] == "in.jsonl:1"
    assert stats.inputs == 6 and stats.failed == 5, "the blank line is no document"
    reasons = {f.source.rsplit(":", 1)[1]: f.reason for f in stats.failures}
    assert "not valid JSON" in reasons["2"] and "not an object" in reasons["3"] and "--text-field" in reasons["4"]
    assert "is null" in reasons["7"] and "--text-field" not in reasons["7"]
    text, stats = stream([src], cleaner, fmt="jsonl", text_field="content", id_field="doc")
    assert [json.loads(line)["id"] for line in text.splitlines()] == ["y"]


def test_ids_from_jsonl_never_leave_the_output_folder(cleaner, tmp_path):
    src = tmp_path / "in.jsonl"
    text = "The council met on Friday and voted to close the old bridge for repairs."
    ids = ["../../escape", "/etc/absolute", "nul\x00byte", "..", "a/../../b"]
    src.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    stats = run([str(src)], cleaner, Options(fmt="json", output=out))
    assert stats.written == len(ids)
    written = [p for p in tmp_path.rglob("*.json") if p.name != STATS_FILE]
    assert len(written) == len(ids) and all(out in p.parents for p in written)


def test_globs_and_files_are_inputs(cleaner, tmp_path):
    text, stats = stream([f"{SEEDS}/cases/*.txt", SEEDS / "000_3e7eae248d537d0f.txt"], cleaner, fmt="jsonl")
    cases = sorted(p.name for p in (SEEDS / "cases").glob("*.txt"))
    assert stats.written == len(cases) + 1
    assert [json.loads(line)["source"] for line in text.splitlines()][:len(cases)] == cases


def test_a_file_over_the_size_limit_is_reported_not_read(tmp_path):
    import zstandard

    small = Cleaner()
    small = Cleaner(small.rules, type(small.config)(max_file_bytes=1000))
    (tmp_path / "big.txt").write_text("The council voted. " * 100)
    (tmp_path / "bomb.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(b"a" * 100_000))
    (tmp_path / "ok.txt").write_text("The council met on Friday and voted to close the old bridge for repairs.")
    _, stats = stream([tmp_path], small, fmt="jsonl")
    assert stats.written == 1 and stats.failed == 2
    assert all("size limit" in f.reason for f in stats.failures)


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_write_the_tree_files_of_whole_files_and_the_main_process_those_of_records(tmp_path, workers):
    from cleaner.plan import iter_items
    from cleaner.worker import clean_batch

    text = "The council met on Friday and voted to close the old bridge for repairs."
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(text)
    (tmp_path / "in" / "r.jsonl").write_text(json.dumps({"id": "x", "text": text}) + "\n")
    out = tmp_path / "out"
    (out / TMP_DIR).mkdir(parents=True)
    items = list(iter_items([str(tmp_path / "in")], Options(), [], 1 << 20))
    results, _ = clean_batch(items, Options(fmt="json", output=out), Cleaner(), write=True)
    (whole, record), (file_item, record_item) = results, items
    assert file_item.input.format != "jsonl" and record_item.input.format == "jsonl"
    assert whole.written and whole.output is None
    assert (out / TMP_DIR / str(os.getpid())).is_dir(), "each process writes through a temporary folder of its own"
    assert not list((out / TMP_DIR).rglob("*.tmp"))
    assert json.loads((out / whole.path).read_text())["body"] == text
    assert not record.written and not (out / record.path).exists(), \
        "a record's id may repeat: its file is left to the main process, which writes in input order"
    stats = run([str(tmp_path / "in")], Cleaner(), Options(fmt="json", output=tmp_path / "run", workers=workers))
    assert (stats.written, stats.failed) == (2, 0)
    written = tree(tmp_path / "run")
    assert sorted(written) == sorted([whole.path, record.path]) and written[whole.path] == (out / whole.path).read_bytes()
    assert json.loads(written[record.path])["body"] == text


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_whose_file_cannot_be_written_is_reported_and_the_others_written(tmp_path, workers):
    text = "The council met on Friday and voted to close the old bridge for repairs."
    (tmp_path / "in" / "sub").mkdir(parents=True)
    for name in ("a", "sub/b", "sub/c"):
        (tmp_path / "in" / f"{name}.txt").write_text(text)
    (tmp_path / "in" / "r.jsonl").write_text(json.dumps({"id": "x", "text": text}) + "\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").write_text("a file where the tree needs a folder")
    (out / "r").write_text("another one")
    stats = run([str(tmp_path / "in")], Cleaner(), Options(fmt="json", output=out, workers=workers))
    assert (stats.inputs, stats.written, stats.failed) == (4, 1, 3)
    assert sorted(f.source for f in stats.failures) == sorted(
        [str(tmp_path / "in" / "sub" / "b.txt"), str(tmp_path / "in" / "sub" / "c.txt"), f"{tmp_path / 'in' / 'r.jsonl'}:1"])
    assert all("cannot write its output" in f.reason and "permissions" in f.reason for f in stats.failures)
    assert json.loads((out / "a.json").read_text())["body"] == text


def test_a_second_run_skips_what_is_done_and_force_redoes_it(cleaner, generated, tmp_path):
    out = tmp_path / "out"
    first = run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    before = tree(out)
    (out / "part-00001.jsonl").unlink()
    again = run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    assert (first.written, again.resumed, again.written) == (120, 70, 50)
    assert tree(out) == before
    forced = run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50, force=True))
    assert (forced.resumed, forced.written) == (0, 120) and tree(out) == before
    tree_out = tmp_path / "tree"
    run([str(SEEDS)], cleaner, Options(fmt="json", output=tree_out))
    again = run([str(SEEDS)], cleaner, Options(fmt="json", output=tree_out))
    assert (again.resumed, again.written) == (N_SEEDS, 0)


def test_shards_of_other_inputs_in_the_same_folder_are_written_again_not_taken_as_done(cleaner, generated, tmp_path):
    """A shard holds inputs ``[k * size, (k + 1) * size)`` of the run that wrote it: a run
    with other inputs into the same folder, or with a file added before others, must not
    take it as its own (which lost every document of the shard)."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "z.jsonl").write_text("".join(json.dumps({"id": f"z{k}", "text": f"Other text number {k}, the council said."})
                                           + "\n" for k in range(120)), encoding="utf-8")
    out = tmp_path / "out"
    run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    second = run([str(other)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    assert (second.resumed, second.written) == (0, 120)
    ids = [json.loads(line)["id"] for k in range(3) for line in (out / f"part-0000{k}.jsonl").read_text().splitlines()]
    assert ids == [f"z{k}" for k in range(120)]
    again = run([str(other)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    assert (again.resumed, again.written) == (120, 0)
    # a file sorted before the others shifts every input by one: every shard is written again
    (other / "a.jsonl").write_text(json.dumps({"id": "a0", "text": "First of all, the council said."}) + "\n")
    shifted = run([str(other)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    assert (shifted.resumed, shifted.written) == (0, 121)
    # the same shards under another shard size are another layout: written again
    resized = run([str(other)], cleaner, Options(fmt="jsonl", output=out, shard_size=40))
    assert resized.resumed == 0


def test_the_output_inside_an_input_folder_is_never_an_input(cleaner, tmp_path):
    for n, (fmt, name) in enumerate([("jsonl", "out"), ("jsonl", "all.jsonl"), ("json", "tree"), ("jsonl", "")]):
        data = tmp_path / f"data{n}"
        shutil.copytree(SEEDS, data)
        for pattern in (str(data), str(data / "**" / "*.*"), str(data)):
            stats = run([pattern], cleaner, Options(fmt=fmt, output=data / name if name else data))
            assert stats.failed == 0 and stats.inputs == N_SEEDS, stats.failures
    # a shard that another run wrote is said to be cleaned output, if given as an input
    stats = run([str(tmp_path / "data0" / "out")], cleaner, Options(fmt="jsonl", output=tmp_path / "again"))
    assert stats.failed == N_SEEDS and "clean wrote" in stats.failures[0].reason


def test_a_shard_too_large_to_hold_while_it_is_checked_is_written_again(cleaner, generated, tmp_path, monkeypatch):
    import cleaner.resume as resume

    out = tmp_path / "out"
    run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    before = tree(out)
    monkeypatch.setattr(resume, "HOLD_BYTES", 1000)
    again = run([str(generated)], cleaner, Options(fmt="jsonl", output=out, shard_size=50))
    assert (again.resumed, again.written) == (0, 120) and tree(out) == before


def test_a_run_killed_with_sigkill_and_rerun_ends_as_an_uninterrupted_run(generated, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    lines = (generated / "a.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (big / "docs.jsonl").write_text("".join(lines * 15), encoding="utf-8")  # 600 documents
    command = [sys.executable, "-m", "cleaner", str(big), "--format", "jsonl", "--shard-size", "40", "--workers", "2",
               "--quiet", "-o"]
    subprocess.run(command + [str(tmp_path / "whole")], check=True)
    out = tmp_path / "killed"
    proc = subprocess.Popen(command + [str(out)], start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("part-*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    shards_at_kill = len(list(out.glob("part-*.jsonl")))
    assert 0 < shards_at_kill < 15, "the run was killed partway"
    rerun = subprocess.run(command + [str(out)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert tree(out) == tree(tmp_path / "whole")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == TMP_DIR]
    stats = json.loads((out / STATS_FILE).read_text())
    assert stats["resumed"] >= 40 * shards_at_kill and stats["inputs"] == 600


def test_a_second_run_on_the_same_output_folder_is_refused(cleaner, tmp_path):
    import fcntl

    from cleaner.outputdir import OutputBusy

    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(OutputBusy, match="another clean run"):
            run([str(SEEDS)], cleaner, Options(fmt="json", output=out))
    finally:
        os.close(fd)
    assert list(out.iterdir()) == []


def test_documents_are_written_in_the_standard_library_s_layout_and_survive_a_lone_surrogate():
    from cleaner.sinks import dump_bytes

    d = {"id": "a/1", "body": "Zoë said “yes”.\nTab\there, NUL \x00, line sep \u2028", "authors": [], "n": 3,
         "removed": [{"rule": "H001", "to": None}]}
    assert dump_bytes(d, indent=2).decode("utf-8") == json.dumps(d, ensure_ascii=False, indent=2)
    assert dump_bytes(d, indent=None).decode("utf-8") == json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    odd = {**d, "body": "half a pair \ud83d here"}
    for indent, separators in ((2, None), (None, (",", ":"))):
        written = dump_bytes(odd, indent=indent).decode("utf-8", "surrogatepass")
        assert written == json.dumps(odd, ensure_ascii=False, indent=indent, separators=separators)
        assert json.loads(written) == odd


def test_workers_are_forked_only_from_a_process_without_other_threads(cleaner, generated, tmp_path):
    probe = ("import threading, sys; from cleaner.localengine import start_method; a = start_method(); "
             "e = threading.Event(); t = threading.Thread(target=e.wait); t.start(); "
             "b = start_method(); e.set(); t.join(); print(a, b)")
    alone, threaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                     check=True).stdout.split()
    if alone != "fork":
        pytest.skip("this platform cannot fork")
    assert threaded in ("forkserver", "spawn")
    # Workers started the other way write the same files.
    import threading

    from cleaner import localengine
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert localengine.start_method() == threaded
        run([str(generated)], cleaner, Options(fmt="jsonl", output=tmp_path / "2", workers=2, shard_size=50))
    finally:
        stop.set()
        other.join()
    run([str(generated)], cleaner, Options(fmt="jsonl", output=tmp_path / "1", workers=1, shard_size=50))
    assert tree(tmp_path / "1") == tree(tmp_path / "2")


def test_a_threaded_script_read_from_stdin_still_gets_its_workers(generated, tmp_path):
    """A worker started by forkserver imports ``__main__`` again, which a script read from
    standard input cannot give: there workers are forked."""
    script = f"""
import threading
from pathlib import Path
from cleaner.executor import run
from cleaner.localengine import start_method
from cleaner.pipeline import Cleaner
from cleaner.records import Options
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
stats = run([{str(generated)!r}], Cleaner(), Options(fmt="jsonl", output=Path({str(tmp_path / 'out')!r}), workers=2))
stop.set()
print(start_method(), stats.written, stats.failed)
"""
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["fork", "120", "0"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_jsonl_record_repeating_an_earlier_id_is_reported_not_written_over_it(cleaner, tmp_path, workers):
    text = "The council met on Friday and voted to close the old bridge for repairs, the mayor said."
    lines = [{"id": "a", "text": "First. " + text}, {"id": "b", "text": text}, {"id": "a", "text": "Second. " + text}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    out = tmp_path / "out"
    stats = run([str(src)], cleaner, Options(fmt="json", output=out, workers=workers))
    assert (stats.inputs, stats.written, stats.failed) == (3, 2, 1)
    assert stats.failures[0].source.endswith("in.jsonl:3") and "same id as line 1" in stats.failures[0].reason
    assert json.loads((out / "in" / "a.json").read_text())["body"].startswith("First.")
    again = run([str(src)], cleaner, Options(fmt="json", output=out, workers=workers))
    assert (again.resumed, again.failed) == (2, 1), "a rerun reports the repeat again, and resumes the others"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_jsonl_record_without_an_id_goes_to_its_line_number_in_its_file_s_folder(cleaner, tmp_path, workers):
    text = "The council met on Friday and voted to close the old bridge for repairs, the mayor said."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": text}) + "\n" + json.dumps({"id": "x7", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    stats = run([str(src)], cleaner, Options(fmt="json", output=out, workers=workers))
    assert (stats.written, stats.failed) == (2, 0)
    assert sorted(p.relative_to(out).as_posix() for p in (out / "in").iterdir()) == ["in/1.json", "in/x7.json"]
    assert json.loads((out / "in" / "1.json").read_text())["id"] == "in/1", "its id still names its file"


def test_a_path_that_gives_no_input_is_counted_as_an_input_that_failed(cleaner, tmp_path):
    (tmp_path / "a.txt").write_text("The council met on Friday and voted to close the old bridge.")
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"The same id as a.txt, which comes first."))
    os.mkfifo(tmp_path / "pipe.txt")  # opening it to read would wait for a writer forever
    stats = run([str(tmp_path), str(tmp_path / "missing.txt")], cleaner, Options(fmt="json", output=tmp_path / "out"))
    assert (stats.inputs, stats.written, stats.failed) == (4, 1, 3)
    reasons = " | ".join(f.reason for f in stats.failures)
    assert "same id" in reasons and "not a regular file" in reasons and "no such file" in reasons


HALF_A_RESULT = """
import os, struct, time
from concurrent.futures import ProcessPoolExecutor
from cleaner.localengine import _shut

pool = ProcessPoolExecutor(max_workers=1)
assert pool.submit(abs, -1).result() == 1
# what a worker killed while sending its result leaves: a length, then less than it says
os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x")
time.sleep(0.5)  # the pool's manager thread is now reading the rest
_shut(pool, kill=True)
print("stopped")
"""


def test_stopping_the_workers_ends_even_when_one_was_killed_halfway_through_sending_a_result():
    """Ctrl-C or SIGTERM kills the workers; one killed while sending its result leaves half a
    message in the pipe, which the pool used to wait for forever, keeping the run alive."""
    done = subprocess.run([sys.executable, "-c", HALF_A_RESULT], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "stopped", done.stderr[-2000:]


def test_a_rerun_with_other_rules_or_settings_writes_every_document_again(tmp_path):
    """Resuming keeps only what a cleaner of the same fingerprint (rules, settings, code)
    wrote; a rerun after a rule edit must not mix old documents with new ones."""
    from cleaner import Config
    from cleaner.ruleload import load_rules

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.toml").write_text('[[rule]]\nid = "U001"\nname = "mine"\nstage = "strip_header"\n'
                                     'description = "A line saying Sponsored."\naction = "drop"\npattern = "Sponsored"\n'
                                     'remove = ["Sponsored"]\nkeep = ["Sponsored content is on the rise."]\n')
    old, new, other = Cleaner(), Cleaner(rules=load_rules([rules])), Cleaner(config=Config(text_kind="whole-page"))
    assert len({old.fingerprint, new.fingerprint, other.fingerprint}) == 3
    assert Cleaner().fingerprint == old.fingerprint
    inputs = sorted(str(p) for p in SEEDS.rglob("*.txt"))
    assert len(inputs) > 3
    for fmt in ("json", "jsonl"):
        out = tmp_path / fmt
        assert run(inputs, old, Options(fmt=fmt, output=out, shard_size=5)).resumed == 0
        assert run(inputs, old, Options(fmt=fmt, output=out, shard_size=5)).resumed == len(inputs)
        assert run(inputs, new, Options(fmt=fmt, output=out, shard_size=5)).resumed == 0, "a rule was added"
        assert run(inputs, new, Options(fmt=fmt, output=out, shard_size=5)).resumed == len(inputs)
    # a run of other settings stopped after a few documents: the rest are still the new rules'
    out, fresh = tmp_path / "json", tmp_path / "fresh"
    run(inputs, other, Options(fmt="json", output=fresh))
    assert tree(out) != tree(fresh), "the settings change some document"
    assert run(inputs[:3], other, Options(fmt="json", output=out)).resumed == 0
    again = run(inputs, other, Options(fmt="json", output=out))
    assert again.resumed <= 3 and again.written >= len(inputs) - 3
    assert tree(out) == tree(fresh)


KILLED_HALFWAY = """
import os, signal, struct, time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from cleaner.localengine import _result

pool = ProcessPoolExecutor(max_workers=1)
future = pool.submit(time.sleep, 600)
time.sleep(0.5)
# a worker killed while sending its result: a length, then less than it says, then nothing
os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x")
(worker,) = pool._processes.values()
worker.kill()
try:
    _result(future, pool)
except BrokenProcessPool:
    print("broken")
"""


def test_a_worker_killed_halfway_through_sending_a_result_breaks_its_pool_rather_than_hanging_the_run():
    """The pool itself would wait for the rest of the message forever; the run takes the
    pool for broken, and cleans the batches in flight again one input at a time."""
    done = subprocess.run([sys.executable, "-c", KILLED_HALFWAY], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "broken", done.stderr[-2000:]


def test_a_rerun_cleans_again_the_inputs_changed_since_and_keeps_the_rest(tmp_path):
    """A scraper fetches some pages again: the rerun into the same output must not keep
    their old documents (for a JSON tree, per document; for shards, per shard)."""
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {f"{k}.txt": f"Story {k}: the council met on Friday to vote on the old bridge and its repairs."
             for k in range(4)}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    cleaner = Cleaner()
    for fmt in ("json", "jsonl"):
        out = tmp_path / fmt
        assert run([str(folder)], cleaner, Options(fmt=fmt, output=out, shard_size=2)).written == 4
    changed = folder / "1.txt"
    changed.write_text("Story 1, fetched again: the library opens next week with a reading room.", encoding="utf-8")
    later = changed.stat().st_mtime_ns + 10**9  # later than any document written, on any clock
    os.utime(changed, ns=(later, later))
    tree_run = run([str(folder)], cleaner, Options(fmt="json", output=tmp_path / "json", shard_size=2))
    assert (tree_run.written, tree_run.resumed) == (1, 3)
    assert "library" in json.loads((tmp_path / "json" / "1.json").read_text(encoding="utf-8"))["body"]
    shard_run = run([str(folder)], cleaner, Options(fmt="jsonl", output=tmp_path / "jsonl", shard_size=2))
    assert (shard_run.written, shard_run.resumed) == (2, 2)  # the shard that holds it
    assert "library" in (tmp_path / "jsonl" / "part-00000.jsonl").read_text(encoding="utf-8")


def test_ids_that_differ_in_case_alone_clash_in_a_tree_where_the_file_system_folds_case(tmp_path, monkeypatch):
    """On macOS or Windows, "Ferry.json" and "ferry.json" are one file: the second record
    would be written over the first. There it is reported; elsewhere both are written."""
    import cleaner.executor
    from cleaner.outputdir import folds_case

    text = "The harbour ferry returned to service on Monday after a winter of repairs, the operator said."
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "Ferry", "text": text}) + "\n"
                                       + json.dumps({"id": "ferry", "text": text}) + "\n", encoding="utf-8")
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "a").touch()
    assert folds_case(tmp_path / "probe") == (tmp_path / "probe" / "A").exists()
    here = run([str(tmp_path / "in.jsonl")], Cleaner(), Options(fmt="json", output=tmp_path / "here"))
    if not folds_case(tmp_path / "probe"):
        assert (here.written, here.failed) == (2, 0)
    monkeypatch.setattr(cleaner.executor, "folds_case", lambda tmp: True)
    failures = []
    folded = run([str(tmp_path / "in.jsonl")], Cleaner(), Options(fmt="json", output=tmp_path / "folded"),
                 on_failure=failures.append)
    assert (folded.written, folded.failed) == (1, 1)
    assert "same id as line 1 of this file" in failures[0].reason and failures[0].source.endswith("in.jsonl:2")
