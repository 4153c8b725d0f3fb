"""What a user expects of a command line (ruff's, pip's, trafilatura's): version and help,
a misspelled command, a run with nothing to clean, output names that say what they
hold, stdin, sizes with units, a summary that names what happened."""

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cleaner import __version__
from cleaner.cli import app
from cleaner.clibase import summary
from cleaner.records import Stats
from cleaner.progress import Display

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PAGE = SEEDS / "cases" / "page.html"
SEED1 = SEEDS / "001_3771d5a176e2eb79.txt"
N_SEEDS = len(list((ROOT / "seeds").rglob("*.*")))


def invoke(*args, input=None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=input, prog_name="clean")
    return result, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


# --- version and help ---------------------------------------------------------------------


def test_version():
    result, shown = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"clean (cleaner) {__version__}", shown


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["run", "-h"], ["explain", "-h"], ["rules", "-h"],
                                  ["golden", "check", "-h"]])
def test_h_is_help_everywhere(args):
    result, shown = invoke(*args)
    assert result.exit_code == 0 and result.stdout.startswith("Usage: clean"), shown


def test_help_shows_every_summary_whole_and_that_paths_are_many():
    result, shown = invoke("--help")
    assert result.exit_code == 0, shown
    text = " ".join(result.stdout.split())
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"{name} {summary(command)}" in text, (name, shown)
    assert "..." not in text.replace("PATH...", "").replace("[ARGS]...", ""), shown
    assert result.stdout.splitlines()[0] == "Usage: clean [OPTIONS] PATH... | COMMAND [ARGS]...", shown
    result, shown = invoke("run", "--help")
    assert result.stdout.splitlines()[0] == "Usage: clean run [OPTIONS] [PATH...]", shown


def test_explain_help_documents_its_marks():
    result, shown = invoke("explain", "--help")
    text = " ".join(result.stdout.split())
    for mark in ("'-' the whole line was dropped", "'>' it moved to a field", "'~' part of it was taken out",
                 "'*' its encoding was repaired"):
        assert mark in text, shown


# --- a misspelled command --------------------------------------------------------------------


@pytest.mark.parametrize("args, suggestion", [(["explian", "seeds"], "explain"), (["rule", "list"], "rules"),
                                              (["goldn", "check"], "golden")])
def test_a_misspelled_command_is_an_error_with_a_suggestion(args, suggestion, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, shown = invoke(*args)
    assert result.exit_code == 2, shown
    assert f"No such command {args[0]!r}" in result.stderr and f"Did you mean {suggestion!r}?" in result.stderr, shown
    assert result.stdout == "", shown


def test_a_path_that_looks_like_a_misspelled_command_is_still_cleaned(tmp_path, monkeypatch):
    (tmp_path / "explian").mkdir()
    shutil.copy(SEED1, tmp_path / "explian" / "a.txt")
    monkeypatch.chdir(tmp_path)
    result, shown = invoke("explian", "-o", "out")
    assert result.exit_code == 0 and (tmp_path / "out" / "a.json").is_file(), shown


@pytest.mark.parametrize("name", ["explain.txt", "rule/list", "./explian", "golden-2026"])
def test_a_missing_path_close_to_a_command_name_is_a_missing_path(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, shown = invoke(name)
    assert result.exit_code == 1 and "no such file or folder" in result.stderr, shown


def test_a_misspelled_subcommand_is_suggested_too():
    result, shown = invoke("rules", "lst")
    assert result.exit_code == 2 and "Did you mean 'list'?" in result.stderr, shown


# --- nothing to clean ----------------------------------------------------------------------------


def test_an_empty_folder_is_said_to_hold_no_input_and_makes_no_output(tmp_path):
    (tmp_path / "empty").mkdir()
    result, shown = invoke(tmp_path / "empty", "-o", tmp_path / "x")
    assert result.exit_code == 1, shown
    assert "no input found in" in result.stderr and "no output made" in result.stderr, shown
    assert not (tmp_path / "x").exists(), shown


def test_a_folder_of_other_files_names_them(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.pdf", "b.pdf", "c.docx", "d.csv.gz"):
        (src / name).write_bytes(b"x")
    result, shown = invoke(src, "-o", tmp_path / "x")
    assert result.exit_code == 1 and not (tmp_path / "x").exists(), shown
    assert "4 files skipped: .pdf (2), .csv.gz, .docx" in result.stderr, shown


def test_skipped_files_are_counted_beside_the_inputs(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "notes.pdf").write_bytes(b"%PDF")
    (src / "cases" / "table.xlsx").write_bytes(b"PK")
    result, shown = invoke(src, "-o", tmp_path / "out")
    assert result.exit_code == 0, shown
    assert "2 files skipped: .pdf, .xlsx" in result.stderr and f"details: {tmp_path / 'out' / 'stats.json'}" in result.stderr
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["skipped"] == {".pdf": 1, ".xlsx": 1} and stats["written"] == N_SEEDS


def test_a_missing_path_makes_no_output_folder(tmp_path):
    result, shown = invoke(tmp_path / "nope", "-o", tmp_path / "x")
    assert result.exit_code == 1 and "no such file or folder" in result.stderr, shown
    assert not (tmp_path / "x").exists()


def test_no_path_on_a_terminal_is_a_usage_error(monkeypatch):
    monkeypatch.setattr("cleaner.cli.stdin_is_piped", lambda: False)
    result, shown = invoke("run", "-q")
    assert result.exit_code == 2 and "no input: name files, folders or globs" in result.stderr, shown


# --- output names ------------------------------------------------------------------------------


def test_a_parquet_file_name_gives_one_parquet_file(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    result, shown = invoke(SEEDS, "-o", tmp_path / "docs.parquet")
    assert result.exit_code == 0, shown
    table = pq.read_table(tmp_path / "docs.parquet")
    assert table.num_rows == N_SEEDS and table.column("id")[0].as_py() == "000_3e7eae248d537d0f"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.parquet"]


@pytest.mark.parametrize("name, unpack", [("docs.jsonl.gz", gzip.decompress),
                                          ("docs.jsonl.zst", lambda b: __import__("zstandard").ZstdDecompressor()
                                           .stream_reader(io.BytesIO(b)).read())])
def test_a_compressed_jsonl_name_gives_that_file(tmp_path, name, unpack):
    result, shown = invoke(SEEDS, "-o", tmp_path / name, "-j", "1")
    assert result.exit_code == 0, shown
    lines = unpack((tmp_path / name).read_bytes()).decode("utf-8").splitlines()
    plain, _ = invoke(SEEDS, "--format", "jsonl", "-j", "1")
    assert lines == plain.stdout.splitlines() and len(lines) == N_SEEDS


@pytest.mark.parametrize("name, fmt, says", [
    ("docs.json", None, "names a .json file, but clean writes one JSON document per input into a folder"),
    ("docs.csv", None, "names a .csv file"),
    ("docs.parquet", "json", "holds parquet, not json"),
    ("docs.jsonl.gz", "parquet", "holds jsonl, not parquet"),
])
def test_a_file_name_clean_does_not_write_is_refused_with_a_sentence(tmp_path, name, fmt, says):
    args = [SEEDS, "-o", tmp_path / name] + (["--format", fmt] if fmt else [])
    result, shown = invoke(*args)
    assert result.exit_code == 2 and says in result.stderr, shown
    assert list(tmp_path.iterdir()) == [], shown


def test_an_existing_folder_with_a_file_like_name_is_a_folder(tmp_path):
    (tmp_path / "v1.json").mkdir()
    result, shown = invoke(SEED1, "-o", tmp_path / "v1.json")
    assert result.exit_code == 0 and (tmp_path / "v1.json" / "001_3771d5a176e2eb79.json").is_file(), shown


# --- standard input ---------------------------------------------------------------------------------


def test_stdin_html_is_told_and_printed_as_a_single_file_is():
    result, shown = invoke("-", input=PAGE.read_bytes())
    assert result.exit_code == 0, shown
    doc = json.loads(result.stdout)
    assert doc["format"] == "html" and doc["title"] == "Harbour ferry returns after winter repairs", shown
    single, _ = invoke(PAGE)
    assert result.stdout.replace('"id": "stdin"', "").replace('"source": "-"', "") == \
        single.stdout.replace('"id": "cases/page"', "").replace('"id": "page"', "").replace('"source": "page.html"', "")


def test_stdin_without_a_dash_when_piped():
    result, shown = invoke(input=SEED1.read_bytes())
    assert result.exit_code == 0 and json.loads(result.stdout)["date"] == "2020-01-03", shown
    result, shown = invoke("-o", "-", input=SEED1.read_bytes())
    assert result.exit_code == 0 and json.loads(result.stdout)["date"] == "2020-01-03", shown


def test_stdin_input_format_forces_the_reading():
    result, shown = invoke("-", "--input-format", "text", input=PAGE.read_bytes())
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == "text", shown


def test_stdin_jsonl_is_told_and_written_as_jsonl():
    lines = "".join(json.dumps({"id": f"r{i}", "text": SEED1.read_text(encoding="utf-8")}) + "\n" for i in range(3))
    result, shown = invoke("-", input=lines)
    assert result.exit_code == 0, shown
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in docs] == ["r0", "r1", "r2"] and docs[1]["source"] == "-:2", shown


@pytest.mark.parametrize("start, repeat", [
    ("\ufeff", 1),  # a byte-order mark before the first record
    ("", 200),  # a first record longer than what is read to tell the format (a page in a record)
])
def test_stdin_jsonl_is_told_with_a_bom_or_a_long_first_record(start, repeat):
    text = SEED1.read_text(encoding="utf-8") * repeat
    lines = start + "".join(json.dumps({"id": f"r{i}", "text": text}) + "\n" for i in range(2))
    assert repeat == 1 or lines.index("\n") > 1 << 16
    result, shown = invoke("-", input=lines.encode("utf-8"))
    assert result.exit_code == 0, shown
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["r0", "r1"], shown


def test_stdin_text_that_starts_with_a_brace_is_text():
    result, shown = invoke("-", input=b"{braces} open this note, which is no JSON at all.\n")
    assert result.exit_code == 0 and json.loads(result.stdout)["body"].startswith("{braces}"), shown


def test_a_named_file_without_a_known_suffix_is_sniffed(tmp_path):
    shutil.copy(PAGE, tmp_path / "saved-page")
    result, shown = invoke(tmp_path / "saved-page")
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == "html", shown


# --- sizes ---------------------------------------------------------------------------------------------


def test_sizes_take_units(tmp_path):
    result, shown = invoke(SEED1, "--max-file-bytes", "2K")
    assert result.exit_code == 1 and "over the size limit of 2,048 bytes" in result.stderr, shown
    result, shown = invoke(SEED1, "--max-file-bytes", "1M")
    assert result.exit_code == 0, shown
    result, shown = invoke(SEED1, "--max-file-bytes", "2 parsecs")
    assert result.exit_code == 2 and "is not a size" in result.stderr, shown


# --- the summary ---------------------------------------------------------------------------------------------


def test_failures_are_repeated_at_the_end_first_ten_then_a_count(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        (src / f"empty{i:02d}.txt").write_bytes(b"")
    shutil.copy(SEED1, src / "good.txt")
    result, shown = invoke(src, "-o", tmp_path / "out")
    assert result.exit_code == 1, shown
    tail = result.stderr.splitlines()[-12:]
    assert tail[0] == "clean: 12 inputs failed:" and tail[1].startswith(f"clean:   {src / 'empty00.txt'}: empty"), shown
    assert tail[-1] == "clean:   ... and 2 more (above, and in stats.json)", shown


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_summary_table_names_rules_leaves_out_stages_that_did_not_run_and_points_to_stats(tmp_path):
    (tmp_path / "stats.json").write_text("{}")
    stats = Stats(inputs=3, written=3, seconds=1.0, stages={"strip_comments": 0.5, "tidy": 0.1},
                  rules={"C101": {"documents": 1, "lines": 1, "characters": 20}})
    stats.skipped.update({".pdf": 2})
    screen = Terminal()
    display = Display(False, stream=screen, names={"C101": "please-enter-your-comment"})
    display.finish(stats, tmp_path)
    shown = screen.getvalue()
    assert "rule C101 please-enter-your-comment" in shown and "stage strip_comments" in shown, shown
    assert "extract_html" not in shown and "classify_page" not in shown, shown
    assert "2 files skipped: .pdf (2)" in shown and str(tmp_path / "stats.json") in shown, shown


def test_stats_of_a_text_run_leave_out_the_html_stage(tmp_path):
    result, shown = invoke(SEEDS / "cases" / "mojibake.txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, shown
    stages = json.loads((tmp_path / "out" / "stats.json").read_text())["stages"]
    assert "extract_html" not in stages and "split_metadata" in stages and "classify_page" in stages, stages


# --- rules list, golden, explain ---------------------------------------------------------------------------------


def test_rules_list_is_a_table_by_stage_with_every_rule_id():
    from cleaner import load_rules

    result, shown = invoke("rules", "list")
    assert result.exit_code == 0, shown
    lines = result.stdout.splitlines()
    headings = [line.split(":")[0] for line in lines if line and not line.startswith(" ") and " rule" in line
                and ":" in line and not line.startswith(tuple("0123456789"))]
    assert headings == ["extract_html", "split_metadata", "strip_header", "strip_comments", "social_embeds",
                        "classify_page"], shown
    assert sum(1 for line in lines if line.split()[:2] == ["ID", "NAME"]) == len(headings)
    listed = {line.split()[0] for line in lines if line.startswith("  ") and line.split() and line.split()[0] != "ID"
              and line[2] != " "}
    assert listed == {r.id for r in load_rules()} | {"X001", "W001"}, shown
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    german = next(line for line in lines if line.split()[:1] == ["DE001"])
    assert german.split()[3] == "de" and next(line for line in lines if line.split()[:1] == ["C101"]).split()[3] == "any"


def test_golden_check_without_seeds_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, shown = invoke("golden", "check")
    assert result.exit_code == 2, shown
    assert "no seed folder seeds/" in result.stderr and "--seeds SEEDS --golden GOLDEN" in result.stderr, shown


def test_golden_hints_repeat_the_options_used(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "s")
    (tmp_path / "g").mkdir()
    result, shown = invoke("golden", "check", "--seeds", tmp_path / "s", "--golden", tmp_path / "g")
    assert result.exit_code == 1, shown
    hint = f"clean golden update --seeds {tmp_path / 's'} --golden {tmp_path / 'g'}"
    assert f"then run `{hint}`" in result.stdout and f"run `{hint}`." in result.stderr, shown


def test_explain_a_jsonl_file_record_by_record(tmp_path):
    records = [{"id": "a", "text": "Leave a Reply\n\nThe council met on Friday and voted to close the old bridge."},
               {"id": "b", "text": SEED1.read_text(encoding="utf-8")},
               {"id": "c"}]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result, shown = invoke("explain", tmp_path / "docs.jsonl", "--changes")
    assert result.exit_code == 1, shown
    assert "docs.jsonl:1: 1 span taken out by 1 rule (C104)" in result.stdout, shown
    assert "1 - [C104 leave-a-reply] Leave a Reply" in result.stdout, shown
    assert "docs.jsonl:2:" in result.stdout and "[M001 glued-date-line → date]" in result.stdout, shown
    assert "docs.jsonl:3: no 'text' field" in result.stderr, shown


def test_runs_writing_other_files_into_one_folder_go_on_side_by_side(tmp_path):
    """A one-file output locks a temporary folder of its own beside the file, not the
    folder: `clean a -o out/a.jsonl & clean b -o out/b.jsonl` both work; a second run
    writing the very same file is refused."""
    from cleaner.outputdir import prepare_output, release_output
    from cleaner.records import Options

    held = Options(fmt="jsonl", output=tmp_path / "out" / "a.jsonl")
    tmp, lock = prepare_output(held)
    try:
        result, shown = invoke(SEED1, "-o", tmp_path / "out" / "b.jsonl")
        assert result.exit_code == 0 and (tmp_path / "out" / "b.jsonl").is_file(), shown
        result, shown = invoke(SEED1, "-o", tmp_path / "out" / "a.jsonl")
        assert result.exit_code == 2 and "another clean run is writing" in result.stderr, shown
    finally:
        release_output(tmp, lock)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.jsonl"]


def test_a_runs_temporary_folder_is_never_read_as_input(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED1, src / "a.txt")
    (src / ".b.jsonl.cleaner-tmp").mkdir()
    (src / ".b.jsonl.cleaner-tmp" / "half.txt").write_text("half written", encoding="utf-8")
    result, shown = invoke(src, "--format", "jsonl")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1, shown


@pytest.mark.parametrize("option, value, says", [
    ("--regex-timeout", "0", "give a time above 0"),
    ("--html-timeout", "soon", "not a number of seconds"),
    ("--max-file-bytes", "0", "give a size above 0"),
])
def test_a_limit_that_would_fail_every_document_is_a_usage_error(option, value, says, tmp_path):
    result = CliRunner().invoke(app, [str(ROOT / "seeds"), option, value, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and option in result.output and says in result.output
    assert not (tmp_path / "out").exists()
