"""The public API: what `cleaner` exports is documented and typed, and `run` refuses bad
arguments with a sentence before it reads anything."""

import inspect
import io
import json
from pathlib import Path

import pytest

import cleaner
from cleaner import OutputError, clean_bytes, clean_html, clean_text, run

ROOT = Path(__file__).resolve().parent.parent
SEED1 = ROOT / "seeds" / "001_3771d5a176e2eb79.txt"
PAGE = ROOT / "seeds" / "cases" / "page.html"


@pytest.mark.parametrize("name", [n for n in cleaner.__all__ if n != "STAGES"])
def test_every_public_name_has_a_docstring(name):
    assert inspect.getdoc(getattr(cleaner, name)), name


@pytest.mark.parametrize("function", [cleaner.run, cleaner.clean_text, cleaner.clean_bytes, cleaner.clean_html,
                                      cleaner.Cleaner.clean_text, cleaner.Cleaner.clean_bytes,
                                      cleaner.Cleaner.clean_html, cleaner.load_rules])
def test_the_functions_are_typed(function):
    signature = inspect.signature(function)
    assert signature.return_annotation is not inspect.Signature.empty, function
    untyped = [p for p in signature.parameters.values() if p.name != "self" and p.annotation is inspect.Parameter.empty]
    assert not untyped, (function, untyped)


@pytest.mark.parametrize("kwargs, says", [
    ({"paths": []}, "no paths given"),
    ({"paths": "x", "input_format": "pdf"}, "input format 'pdf'"),
    ({"paths": "x", "engine": "spark"}, "engine 'spark'"),
    ({"paths": "x", "workers": -1}, "workers must be"),
    ({"paths": "x", "format": "xml"}, "--format xml is not a format"),
])
def test_run_refuses_bad_arguments(kwargs, says, tmp_path):
    with pytest.raises(ValueError, match=says):
        run(**kwargs, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_run_refuses_an_output_name_it_does_not_write(tmp_path):
    with pytest.raises(OutputError, match="give a folder|into a folder"):
        run(str(SEED1), tmp_path / "docs.csv")
    assert list(tmp_path.iterdir()) == []


def test_run_reads_and_writes_given_streams():
    out = io.StringIO()
    stats = run("-", stdin=io.BytesIO(PAGE.read_bytes()), stdout=out)
    assert stats.written == 1 and json.loads(out.getvalue())["format"] == "html"


def test_run_into_a_tree_matches_cleaning_one_text(tmp_path):
    stats = run([SEED1], tmp_path / "out")
    written = json.loads((tmp_path / "out" / "001_3771d5a176e2eb79.json").read_text(encoding="utf-8"))
    doc = cleaner.clean_bytes(SEED1.read_bytes(), id="001_3771d5a176e2eb79")
    assert stats.exit_code == 0 and written["body"] == doc.body and written["embeds"] == doc.to_dict()["embeds"]


def test_explain_reads_html_on_stdin():
    from typer.testing import CliRunner

    from cleaner.cli import app

    result = CliRunner().invoke(app, ["explain", "-"], input=PAGE.read_bytes(), prog_name="clean")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("-: ") and "[X001 extracted-comment-section]" in result.stdout, result.output


@pytest.mark.parametrize("call, given, says", [
    (clean_text, b"The ferry sails.", "clean_bytes"),
    (clean_text, None, "not NoneType"),
    (clean_bytes, "The ferry sails.", "clean_text"),
    (clean_html, 42, "not int"),
])
def test_the_wrong_type_of_input_is_a_type_error_that_names_the_right_call(call, given, says):
    with pytest.raises(TypeError, match=says):
        call(given)


def test_a_format_that_is_neither_text_nor_html_is_refused():
    with pytest.raises(ValueError, match="'text', 'html'"):
        clean_bytes(b"The ferry sails.", format="pdf")


def test_a_lone_surrogate_in_a_page_given_as_a_str_is_one_replacement_character():
    doc = clean_html("<p>The ferry \ud800 sails at noon on Monday, the operator said.</p>")
    assert doc.body == "The ferry \ufffd sails at noon on Monday, the operator said." and doc.encoding == "utf-8"


@pytest.mark.parametrize("setting, says", [
    ({"max_unproven_cut": 2}, "a share from 0 to 1"),
    ({"regex_timeout": 0}, "above 0"),
    ({"page_gap_penalty": "60"}, "a whole number"),
    ({"nfc": 1}, "True or False"),
    ({"page_heading_words": (15, 2)}, "a pair of whole numbers"),
])
def test_a_setting_out_of_its_range_is_refused_when_the_configuration_is_made(setting, says):
    [name] = setting
    with pytest.raises(ValueError, match=f"Config.{name} .*{says}"):
        cleaner.Config(**setting)


def test_settings_in_range_are_taken():
    config = cleaner.Config(max_unproven_cut=1, regex_timeout=0.25, precision_floor=1.5, page_gap_penalty=0)
    assert (config.max_unproven_cut, config.precision_floor) == (1, 1.5)


def test_one_rule_folder_given_alone_is_one_folder(tmp_path):
    (tmp_path / "off.toml").write_text('disable = ["C104"]\n', encoding="utf-8")
    for given in (str(tmp_path), tmp_path):
        assert cleaner.Cleaner(rule_dirs=given).rules.get("C104") is None
