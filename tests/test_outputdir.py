"""The output folder's lock: a run that cannot hold it stops with `OutputBusy`, never
with a lock it does not hold."""

import os

import pytest

from cleaner.outputdir import OutputBusy, prepare_output, release_output
from cleaner.records import Options


def test_a_one_file_output_locks_its_own_temporary_folder(tmp_path):
    tmp, lock = prepare_output(Options(fmt="jsonl", output=tmp_path / "docs.jsonl"))
    try:
        assert tmp == tmp_path / ".docs.jsonl.cleaner-tmp" and tmp.is_dir()
        os.fstat(lock)  # open: the lock is held
    finally:
        release_output(tmp, lock)
    assert not tmp.exists()


def test_a_folder_that_goes_away_under_every_lock_is_busy_not_a_closed_lock(tmp_path, monkeypatch):
    # another run removing the temporary folder each time we lock it: after three tries
    # the run must say the output is busy, not go on with a descriptor already closed
    monkeypatch.setattr(os.path, "samestat", lambda a, b: False)
    with pytest.raises(OutputBusy, match="another clean run is writing .*docs.jsonl"):
        prepare_output(Options(fmt="jsonl", output=tmp_path / "docs.jsonl"))
