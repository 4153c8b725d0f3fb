"""The integrations (docs/integrations.md): each example runs as written, against the real
package, and gives the fields ``clean`` writes for the same texts."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.integrations import NOT_ADDED, compact_removed, fields

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.integrations

#: A text that cleaning leaves without a word: datatrove's step drops it with drop_empty.
EMPTIED = "Leave a Reply\n\nYour email address will not be published."


def need(module: str, extra: str):
    """The package ``module``, or the test skipped: a developer may leave an extra out.
    With CLEANER_REQUIRE_INTEGRATIONS set (as CI sets it), a missing package fails."""
    if os.environ.get("CLEANER_REQUIRE_INTEGRATIONS"):
        import importlib

        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"needs pip install 'cleaner[{extra}]'")


def examples() -> dict[str, str]:
    """The examples of docs/integrations.md, by the name their marker gives."""
    import re

    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- example: (\w+) -->\n```python\n(.*?)```", text, re.S))


def test_every_integration_has_its_example():
    assert set(examples()) == {"datatrove", "datasets", "ray", "nemo"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, jsonl_lines):
    """A folder with raw/ (200 generated documents and one that cleaning empties, in two
    JSONL files) and what ``clean raw -o cli.jsonl`` wrote for them, by id."""
    folder = tmp_path_factory.mktemp("integrations")
    raw = folder / "raw"
    raw.mkdir()
    lines = jsonl_lines(200, seed=7, mean_bytes=2500)
    lines.append(json.dumps({"id": "emptied", "text": EMPTIED}) + "\n")
    (raw / "a.jsonl").write_text("".join(lines[:100]), encoding="utf-8")
    (raw / "b.jsonl").write_text("".join(lines[100:]), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "cleaner", "raw", "-o", "cli.jsonl"], cwd=folder, check=True,
                   capture_output=True)
    return folder


def cli_documents(folder: Path) -> dict[str, dict]:
    docs = (json.loads(line) for line in (folder / "cli.jsonl").read_text(encoding="utf-8").splitlines())
    return {d["id"]: d for d in docs}


def run_example(name: str, folder: Path) -> None:
    env = {**os.environ, "HF_HOME": str(folder / "hf"), "HF_DATASETS_OFFLINE": "1", "RAY_DEDUP_LOGS": "0"}
    done = subprocess.run([sys.executable, "-c", examples()[name]], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def expected_columns(doc: dict) -> dict:
    """What a `datasets` or Ray row holds for a document ``clean`` wrote (its own columns
    are the record's fields)."""
    return {k: v for k, v in doc.items() if k not in ("id", "source", "record")}


def test_datatrove_example_gives_the_fields_clean_writes(workdir):
    need("datatrove", "datatrove")
    run_example("datatrove", workdir)
    cli = cli_documents(workdir)
    out = [json.loads(line) for part in sorted((workdir / "clean").glob("*.jsonl.gz"))
           for line in gzip.decompress(part.read_bytes()).decode("utf-8").splitlines()]
    assert len(out) == 200 and len(list((workdir / "clean").glob("*.jsonl.gz"))) == 2  # two tasks
    for doc in out:
        mine = cli[str(doc["id"])]
        assert doc["text"] == mine["body"]
        meta = doc["metadata"]
        for key, value in mine.items():
            if key not in (*NOT_ADDED, "removed"):  # the record's fields are datatrove's own metadata
                assert meta[key] == value, key
        assert meta["removed"] == [{k: v for k, v in s.items() if k in ("rule", "line", "text") or (k == "to" and v)}
                                   for s in mine["removed"]]
    empty = [json.loads(line) for part in (workdir / "empty").glob("*.jsonl.gz")
             for line in gzip.decompress(part.read_bytes()).decode("utf-8").splitlines()]
    assert [d["id"] for d in empty] == ["emptied"] and cli["emptied"]["body"] == ""
    stats = json.loads((workdir / "logs" / "stats.json").read_text())
    mine = next(s for s in stats if s["name"].endswith("cleaner"))["stats"]
    assert mine["dropped_empty_after_cleaning"] == 1
    counted = sum(v["total"] if isinstance(v, dict) else v for k, v in mine.items() if k.startswith("removed_"))
    assert counted == sum(len(d["removed"]) for d in cli.values())


def arrow_rows(table) -> dict[str, dict]:
    return {str(row["id"]): row for row in table.to_pylist()}


def assert_columns_match(rows: dict[str, dict], cli: dict[str, dict]) -> None:
    assert set(rows) == set(cli)
    for key, doc in cli.items():
        row = rows[key]
        assert row["text"] is not None and row["rejected"] is None
        for name, value in expected_columns(doc).items():
            assert row[name] == value, (key, name)


def test_datasets_example_gives_the_columns_clean_writes(workdir):
    need("datasets", "datasets")
    import pyarrow.parquet as pq

    run_example("datasets", workdir)
    assert_columns_match(arrow_rows(pq.read_table(workdir / "clean.parquet")), cli_documents(workdir))


def test_ray_example_gives_the_columns_clean_writes(workdir):
    need("ray", "ray")
    import pyarrow.parquet as pq

    run_example("ray", workdir)
    assert_columns_match(arrow_rows(pq.read_table(workdir / "clean-ray")), cli_documents(workdir))


def test_nemo_curator_example_gives_the_columns_clean_writes(workdir):
    need("nemo_curator", "nemo")
    import pyarrow.parquet as pq

    run_example("nemo", workdir)
    rows = arrow_rows(pq.read_table(workdir / "clean-nemo"))
    assert_columns_match(rows, cli_documents(workdir))
    assert all(row["cleaned"] == row["body"] for row in rows.values())


def test_the_nemo_modifier_gives_the_body_and_a_blank_for_no_text():
    need("nemo_curator", "nemo")
    import pandas as pd
    from nemo_curator.stages.text.modifiers import Modify
    from nemo_curator.tasks import DocumentBatch

    from cleaner.integrations.nemo import CleanModifier

    text = "Leave a Reply\n\nThe council met on Friday and voted to close the old bridge for repairs."
    batch = DocumentBatch(dataset_name="d", data=pd.DataFrame({"text": [text, None]}))
    assert Modify(CleanModifier()).process(batch).to_pandas()["text"].tolist() == [clean_text(text).body, ""]


def test_a_batch_with_a_missing_text_is_cleaned_around_it_and_says_why():
    from cleaner.integrations.huggingface import CleanBatch

    columns = CleanBatch()({"id": [1, 2], "text": [None, EMPTIED.replace("Leave", "Post")]})
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    assert rows[0]["rejected"].startswith("no text to clean") and rows[0]["body"] == ""
    assert rows[1]["rejected"] is None and rows[1]["removed"]


def test_a_batch_without_its_text_column_names_the_columns_it_has():
    from cleaner.integrations.huggingface import CleanBatch

    with pytest.raises(KeyError, match="no column 'text' .*it has content.*text_column="):
        CleanBatch()({"content": ["The council met."]})


def test_a_prefix_keeps_the_columns_a_dataset_has():
    from cleaner.integrations.huggingface import CleanBatch

    step = CleanBatch(prefix="cleaner_")
    columns = step({"text": ["The council met on Friday to vote on the bridge."]})
    assert {"cleaner_body", "cleaner_date", "cleaner_url", "cleaner_rejected"} <= set(columns)
    assert set(columns) == set(step.features())


def test_a_first_batch_without_titles_does_not_fix_the_columns_type(tmp_path):
    datasets = need("datasets", "datasets")
    from cleaner.integrations.huggingface import CleanBatch

    texts = ["The council met on Friday to vote on the bridge.",
             "Bridge to close\n\nThe council met on Friday and voted to close the bridge.\n\nBy Jo Smith"]
    dataset = datasets.Dataset.from_dict({"text": texts})
    step = CleanBatch()
    cleaned = dataset.map(step, batched=True, batch_size=1, features=step.features(dataset.features),
                          cache_file_name=str(tmp_path / "cache.arrow"))
    assert cleaned["title"] == [clean_text(t).title for t in texts] and cleaned["title"][1]


def test_the_ray_step_takes_numpy_and_pandas_batches_and_keeps_their_columns():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    from cleaner.integrations.ray import CleanBatches

    step = CleanBatches(config=Config())
    text = "Leave a Reply\n\nThe council met on Friday and voted to close the old bridge for repairs."
    for batch in ({"text": np.array([text], dtype=object), "lang_hint": np.array(["en"])},
                  pd.DataFrame({"text": [text], "lang_hint": ["en"]})):
        table = step(batch)
        assert table.column("lang_hint").to_pylist() == ["en"]
        assert table.column("body").to_pylist() == [clean_text(text).body]
        assert [s["rule"] for s in table.column("removed").to_pylist()[0]] == ["C104"]


def test_the_fields_are_the_contract_but_id_source_body_and_record():
    doc = clean_text("Leave a Reply\n\nThe council met on Friday and voted to close the old bridge.")
    assert set(fields(doc)) == set(doc.to_dict()) - {"id", "source", "body", "record"}
    assert compact_removed(doc) == [{"rule": "C104", "line": 1, "text": "Leave a Reply"}]


def test_a_step_carries_its_rule_folders_not_a_loaded_cleaner(tmp_path):
    """What a pipeline sends to each worker process is small; each process loads the rules
    once, on its first document, and keeps them for the next."""
    import pickle

    from cleaner.integrations import cleaner_for
    from cleaner.integrations.huggingface import CleanBatch

    (tmp_path / "mine.toml").write_text('''
[[rule]]
id = "U001"
name = "ferry-notice"
stage = "strip_comments"
description = "A notice of the ferry timetable."
action = "drop"
pattern = 'Ferry times: see the board\\.'
remove = ["Ferry times: see the board."]
keep = ["The ferry times changed on Monday."]
''', encoding="utf-8")
    step = CleanBatch(rules=[tmp_path])
    assert len(pickle.dumps(step)) < 1000
    out = step({"text": ["Ferry times: see the board.\n\nThe council met on Friday to vote on the bridge."]})
    assert [s["rule"] for s in out["removed"][0]] == ["U001"]
    assert cleaner_for([tmp_path]) is cleaner_for([str(tmp_path)]) is not cleaner_for()


#: A user's rule that drops one notice ("Ferry", "Bus"): edited between runs by the tests below.
NOTICE_RULE = '''
[[rule]]
id = "U001"
name = "timetable-notice"
stage = "strip_comments"
description = "A notice of a timetable."
action = "drop"
pattern = '{0} times: see the board\\.'
remove = ["{0} times: see the board."]
keep = ["The ferry times changed on Monday."]
'''
NOTICES = "Ferry times: see the board.\n\nBus times: see the board.\n\nThe council met on Friday to vote on the bridge."


def test_a_dataset_cleaned_again_after_its_rules_changed_is_not_served_from_the_cache(tmp_path):
    """`datasets` keeps a map's result under a fingerprint of the function: the step's
    fingerprint holds what its rules do, so an edited rule file is a new computation,
    not the cached result of the old rules."""
    datasets = need("datasets", "datasets")
    from cleaner.integrations.huggingface import CleanBatch

    rules = tmp_path / "rules"
    rules.mkdir()
    datasets.Dataset.from_dict({"text": [NOTICES]}).save_to_disk(str(tmp_path / "data"))
    dataset = datasets.load_from_disk(str(tmp_path / "data"))  # on disk: map caches its results

    def removed() -> list[str]:
        step = CleanBatch(rules=[rules])
        out = dataset.map(step, batched=True, features=step.features(dataset.features))
        return [s["rule"] + ":" + s["text"] for s in out["removed"][0]]

    (rules / "mine.toml").write_text(NOTICE_RULE.format("Ferry"), encoding="utf-8")
    assert removed() == ["U001:Ferry times: see the board."]
    assert removed() == ["U001:Ferry times: see the board."]  # the same rules: the same result, cached or not
    (rules / "mine.toml").write_text(NOTICE_RULE.format("Bus"), encoding="utf-8")
    assert removed() == ["U001:Bus times: see the board."]


def test_a_process_that_lives_on_loads_an_edited_rule_file_again(tmp_path):
    from cleaner.integrations import cleaner_for

    (tmp_path / "mine.toml").write_text(NOTICE_RULE.format("Ferry"), encoding="utf-8")
    first = cleaner_for([tmp_path])
    assert cleaner_for([tmp_path]) is first  # unchanged: loaded once
    assert [s.text for s in first.clean_text(NOTICES).removed] == ["Ferry times: see the board."]
    (tmp_path / "mine.toml").write_text(NOTICE_RULE.format("Bus"), encoding="utf-8")
    again = cleaner_for([tmp_path])
    assert again is not first and [s.text for s in again.clean_text(NOTICES).removed] == ["Bus times: see the board."]
