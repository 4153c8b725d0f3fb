"""bench/accuracy.py runs end to end on a corpus of the evaluation layout, built here from the seeds."""

import gzip
import importlib.util
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_harness():
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "bench" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_harness_scores_every_input_kind_and_the_baselines(tmp_path, capsys):
    corpus = tmp_path / "tiny"
    (corpus / "text_trafilatura").mkdir(parents=True)
    (corpus / "html").mkdir()
    shutil.copy(ROOT / "seeds" / "cases" / "comment-thread.txt", corpus / "text_trafilatura" / "a.txt")
    (corpus / "html" / "a.html.gz").write_bytes(gzip.compress((ROOT / "seeds" / "cases" / "page.html").read_bytes()))
    truth = {"id": "a", "title": "Harbour ferry returns after winter repairs", "date": "2026-04-02 07:45:00+01:00",
             "author": "Priya Raman", "body": "The regional rail operator will run extra late-night trains.",
             "comments": "Finally! I have been waiting for this for years."}
    (corpus / "truth.jsonl").write_text(json.dumps(truth) + "\n", encoding="utf-8")
    per_doc = tmp_path / "per-doc.jsonl"
    assert load_harness().main(["--corpus", str(corpus), "--per-doc", str(per_doc)]) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n")[0].splitlines()
    systems = [(row.split("|")[2].strip(), row.split("|")[3].strip()) for row in table[2:]]
    assert systems == [("text_trafilatura", "uncleaned"), ("text_trafilatura", "cleaner"),
                       ("html", "uncleaned"), ("html", "trafilatura"), ("html", "trafilatura-precise"),
                       ("html", "cleaner")]
    cells = {(row.split("|")[2].strip(), row.split("|")[3].strip()): [x.strip() for x in row.split("|")[7:-1]]
             for row in table[2:]}
    assert cells[("html", "cleaner")][:3] == ["1.000", "1.000", "1.000"]  # title, date, author
    # the comment leak: the thread is in the uncleaned text, and the cleaner takes it out
    assert cells[("text_trafilatura", "uncleaned")][3] == "1.000" and cells[("text_trafilatura", "cleaner")][3] == "0.000"
    assert cells[("text_trafilatura", "cleaner")][4:7] == ["0", "0", "0.0%"]  # harmed, refused, whole-page
    assert "## Targets" in out and "tiny text_trafilatura: comment leak 0.000 <= 0.15" in out
    rows = [json.loads(line) for line in per_doc.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6 and {r["system"] for r in rows} == {"uncleaned", "trafilatura", "trafilatura-precise", "cleaner"}
    cleaned = next(r for r in rows if r["input"] == "text_trafilatura" and r["system"] == "cleaner")
    uncleaned = next(r for r in rows if r["input"] == "text_trafilatura" and r["system"] == "uncleaned")
    assert cleaned["p"] > uncleaned["p"] and cleaned["r"] == uncleaned["r"] == 1.0
