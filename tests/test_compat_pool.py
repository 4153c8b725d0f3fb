"""The process pool's part of `cleaner.compat` (`process_pool`), the one door into private
internals: on a Python whose pool has none of them, every function gives its public fallback, and a run
still cleans every document, stops when told, and survives a worker that dies."""

import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

import cleaner
from cleaner.compat import process_pool

ROOT = Path(__file__).resolve().parent.parent
PRIVATE = ("PROCESSES", "RESULT_QUEUE", "WRITER", "BROKEN")
TEXTS = {
    "a.txt": "Leave a Reply\n\nThe council met on Friday and voted to close the old bridge for repairs.",
    "b.txt": "The mayor said the bridge would reopen in May, once the repairs are done.",
    "c.txt": "Share this:\n\nResidents asked the council for a ferry while the bridge is closed.",
    "d.txt": "The ferry will run every half hour from Monday, the council said on Friday.",
}


@pytest.fixture
def without_private_names(monkeypatch):
    """`process_pool` as it is on a Python whose pool has none of the private attributes."""
    for constant in PRIVATE:
        monkeypatch.setattr(process_pool, constant, f"_not_there_{constant.lower()}")


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "stats.json"}


def test_with_the_private_attributes_a_pool_s_workers_are_seen():
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        assert pool.submit(abs, -1).result() == 1
        (worker,) = process_pool.worker_processes(pool)
        assert worker.exitcode is None and process_pool.is_broken(pool) is False
    finally:
        pool.shutdown()
    assert process_pool.worker_processes(pool) == [], "a pool shut down has no workers"


@pytest.mark.parametrize("pool", [SimpleNamespace(), SimpleNamespace(_processes=5, _broken=None,
                                                                      _result_queue=SimpleNamespace(_writer=3))],
                         ids=["missing", "another-shape"])
def test_without_the_private_attributes_every_function_gives_its_fallback(pool):
    assert process_pool.worker_processes(pool) == []
    assert process_pool.is_broken(pool) is False
    assert process_pool.kill_workers(pool) is False
    assert process_pool.close_result_writer(pool) is False


def test_a_real_pool_under_other_names_gives_the_fallbacks(without_private_names):
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        assert pool.submit(abs, -1).result() == 1
        assert process_pool.worker_processes(pool) == [] and process_pool.is_broken(pool) is False
        assert process_pool.kill_workers(pool) is (callable(getattr(pool, "kill_workers", None)))
        assert process_pool.close_result_writer(pool) is False
    finally:
        pool.shutdown()


def test_a_run_without_the_private_attributes_writes_what_a_run_with_them_writes(folder, tmp_path, monkeypatch):
    with_them = cleaner.run(folder, tmp_path / "with", workers=2)
    for constant in PRIVATE:
        monkeypatch.setattr(process_pool, constant, f"_not_there_{constant.lower()}")
    without = cleaner.run(folder, tmp_path / "without", workers=2)
    assert (without.inputs, without.written, without.failed) == (with_them.inputs, with_them.written, 0) == (4, 4, 0)
    assert files(tmp_path / "without") == files(tmp_path / "with")
    assert sorted(p for p in files(tmp_path / "without") if p.endswith(".json")) == ["a.json", "b.json", "c.json",
                                                                                     "d.json"]


class Stop(Exception):
    """What a caller's progress callback raises to stop a run (as Ctrl-C would)."""


def test_a_run_stopped_without_the_private_attributes_stops_and_a_rerun_finishes_it(folder, tmp_path,
                                                                                    without_private_names):
    """The workers cannot be killed at once: the pool is shut down the public way,
    waiting for the batches in flight; nothing half-written is left, and a rerun ends
    as an uninterrupted run."""
    out = tmp_path / "out"

    def stop(stats):
        raise Stop

    with pytest.raises(Stop):
        cleaner.run(folder, out, format="jsonl", workers=2, shard_size=1, on_progress=stop)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == ".cleaner-tmp"]
    again = cleaner.run(folder, out, format="jsonl", workers=2, shard_size=1)
    assert again.inputs == 4 and again.written + again.resumed == 4 and again.failed == 0
    whole = cleaner.run(folder, tmp_path / "whole", format="jsonl", workers=1, shard_size=1)
    assert whole.written == 4
    shards = {k: v for k, v in files(out).items() if k.startswith("part-")}
    assert shards == {k: v for k, v in files(tmp_path / "whole").items() if k.startswith("part-")}


A_WORKER_DIES = """
import os, sys
from pathlib import Path
import cleaner
from cleaner import localengine, worker
from cleaner.compat import process_pool

if localengine.start_method() != "fork":
    print("no fork")
    sys.exit(0)
for constant in {private!r}:
    setattr(process_pool, constant, "_not_there")
clean_item = worker.clean_item

def dies_on_c(cleaner_, item, opts, stats):
    if item.input.relative == "c.txt":
        os._exit(1)  # as the out-of-memory killer would end it
    return clean_item(cleaner_, item, opts, stats)

worker.clean_item = dies_on_c  # forked workers inherit it
stats = cleaner.run({src!r}, {out!r}, workers=2)
print(stats.written, stats.failed, stats.failures[0].source.endswith("c.txt"), "died" in stats.failures[0].reason)
print(sorted(p.name for p in Path({out!r}).glob("*.json") if p.name != "stats.json"))
"""


def test_a_worker_that_dies_without_the_private_attributes_costs_only_its_input(folder, tmp_path):
    script = A_WORKER_DIES.format(private=PRIVATE, src=str(folder), out=str(tmp_path / "out"))
    # read from standard input, the script's workers are always forked (`start_method`), and inherit the fault
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    if done.stdout.strip() == "no fork":
        pytest.skip("this platform cannot fork, and the fault is injected by forking")
    counts, written = done.stdout.strip().splitlines()
    assert counts.split() == ["3", "1", "True", "True"]
    assert written == "['a.json', 'b.json', 'd.json']"
