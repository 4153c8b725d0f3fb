"""bench/throughput.py runs end to end on a tiny corpus of the evaluation layout, built here
from the seeds: every row it is asked for, and every target line, comes with its figure."""

import gzip
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_bench():
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "bench" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["throughput"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def tiny_eval(folder: Path) -> Path:
    """One corpus: the seeds' texts as text/, and three pages as html/ (gzipped, as the
    shared corpora keep them): the seed page with the seeds' paragraphs added to its
    article, many times over, so that each page costs an extractor some CPU time."""
    corpus = folder / "tiny"
    (corpus / "text").mkdir(parents=True)
    (corpus / "html").mkdir()
    texts = sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("seeds/cases/*.txt"))
    for i, path in enumerate(texts):
        (corpus / "text" / f"{i}.txt").write_bytes(path.read_bytes())
    page = (ROOT / "seeds" / "cases" / "page.html").read_text(encoding="utf-8")
    paragraphs = [p for path in texts[:2] for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    for i in range(3):
        more = "".join(f"<p>{p} ({i}, {k})</p>\n" for k in range(80) for p in paragraphs)
        html = page.replace("</article>", more + "</article>", 1)
        (corpus / "html" / f"{i}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    return folder


def test_every_row_and_target_line_has_its_figure(tmp_path, capsys):
    bench = load_bench()
    eval_dir = tiny_eval(tmp_path / "eval")
    code = bench.main(["--docs", "5", "--mb", "0.01", "--html-pages", "3", "--eval", str(eval_dir),
                       "--systems", "floor,ftfy,cleaner,html", "--pairs", "2", "--workdir", str(tmp_path / "work")])
    assert code == 0
    out = capsys.readouterr().out
    rows = {tuple(cell.strip() for cell in line.split("|")[1:3]): [cell.strip() for cell in line.split("|")[3:-1]]
            for line in out.splitlines() if line.startswith("| ") and not line.startswith("| system")}
    number = re.compile(r"-?\d+(\.\d+)?$")
    for row in [("floor", "1 process"), ("ftfy", "1 process"), ("cleaner", "1 worker"), ("cleaner", "2 workers")]:
        seconds, mb_per_s = rows[row][:2]
        assert number.match(seconds) and number.match(mb_per_s), (row, rows[row])
    assert "× ftfy (1 process)" in rows[("cleaner", "1 worker")][-1]
    for system in ("cleaner", "trafilatura"):
        every, first = rows[(system, "3 pages")], rows[(system, "1 page (start-up)")]
        assert number.match(every[1]) and number.match(every[2]) and every[5] == "3", every  # CPU, a page, documents
        assert first[2] == "–" and first[5] == "1", first
    assert "× trafilatura's CPU a page" in rows[("cleaner", "3 pages")][-1]
    assert "- HTML pages: 3 pages" in out
    targets = out.split("## Targets\n", 1)[1].split("\n## ", 1)[0]
    expected = [r"one worker ≥ 10 MB/s \(20 MB/s is where we are going\): [\d.]+ MB/s",
                r"one worker ≥ 4× ftfy alone: [\d.]+×",
                r"two workers ≥ 1.8× one worker: [\d.]+×, the median of 2 A/B pairs, [\d.]+–[\d.]+× pair by pair; "
                r"the main runs [\d.]+×",
                r"peak memory of the whole process tree < 500 MB \(clean on the corpus and on the pages, summed "
                r"(PSS|RSS)\): \d+ MB",
                r"HTML: CPU per page ≤ 1.2× trafilatura alone: [\d.]+×, the median of 2 A/B pairs, [\d.]+–[\d.]+× "
                r"pair by pair; the main runs [\d.]+ s against [\d.]+ s a page, start-up taken off"]
    for pattern in expected:
        assert re.search(r"^- \[[x ]\] " + pattern, targets, re.MULTILINE), (pattern, targets)
    assert "not measured" not in targets
    assert re.search(r"^- the floor \(read \+ write alone\) is [\d.]+× one worker$", out, re.MULTILINE)
    assert not any("failed" in cells for cells in rows.values())
    profile = out.split("## Where one worker's time goes (bench/stages.py)\n", 1)[1]
    assert re.search(r"^\d+ documents, [\d.]+ MB, cleaned in one process: [\d.]+ CPU seconds", profile, re.MULTILINE)
    for stage in ("repair_encoding", "split_metadata", "classify_page"):
        assert re.search(rf"^\| {stage} \| [\d.]+ \| \d+% \|$", profile, re.MULTILINE), stage
    assert re.search(r"^- the prefilter \(`GateTable.hits`\): [\d.]+ s", profile, re.MULTILINE)


def test_html_rows_are_left_out_with_no_pages(tmp_path, capsys):
    bench = load_bench()
    eval_dir = tiny_eval(tmp_path / "eval")
    assert bench.main(["--docs", "5", "--mb", "0.01", "--html-pages", "0", "--eval", str(eval_dir),
                       "--systems", "floor,html", "--workdir", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    assert "- HTML pages: none (--html-pages 0): no HTML rows" in out and "## HTML pages" not in out
    assert "- [ ] HTML: CPU per page ≤ 1.2× trafilatura alone: not measured" in out
    assert not (tmp_path / "work" / "pages").exists()


def test_a_system_it_does_not_know_is_refused_by_name(capsys):
    import pytest

    bench = load_bench()
    with pytest.raises(SystemExit):
        bench.parse_args(["--systems", "floor,clenaer"])
    assert "no system named clenaer" in capsys.readouterr().err
    assert bench.parse_args(["--systems", "floor, html"]).systems == "floor, html"


def test_the_stage_profile_names_an_empty_corpus_and_what_to_give(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("stages", ROOT / "bench" / "stages.py")
    stages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stages)
    assert stages.main([str(tmp_path)]) == 2
    assert f"no JSONL records in {tmp_path}" in capsys.readouterr().err
