"""Every private name `cleaner.compat`'s modules read has a public fallback that gives the same output.

For each foreign package, the private names are hidden as a release that renamed
them would hide them, in a fresh interpreter (the package must be imported
without them): ``import cleaner`` must work, the fallback must be the one
taken, and cleaning documents full of residue (the rules' own examples, the
seeds, mojibake) must give documents identical to those this process, with the
private names, gives. The fallbacks that stand in for a private table are also
checked, here, to give the very same table.
"""

import ast
import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import ftfy.badness
import ftfy.chardata
import pytest
import regex

import cleaner as package
from cleaner.compat import ftfy_internals, regex_internals, stdlib_re
from cleaner.prefilter import gate
from cleaner.stages import repair

ROOT = Path(__file__).resolve().parent.parent

MOJIBAKE = [
    "Ã©tÃ© en Ã‰cosse",
    "donâ€™t stop â€œbelievingâ€\x9d",
    "the end\x85 of the line",
    "AT&amp;T and &eacute;t&eacute; &lt;b&gt;",
    "\x1b[31mred\x1b[0m text",
    "РџСЂРёРІРµС‚, РјРёСЂ",
    "â€¦ and then â€“ a dash",
    "caf\u00e9\u00a0au lait\u200b and\u00adso\ufeff on",
    "control\x00chars\x07here\x7f",
    "\u206a\ufff9annotation\ufffc",
    "curly “quotes” and ‘apostrophes’ – dashes — and … ellipses",
    "Â© 2024 Â® Â·",
]

PROSE = ("The council voted on Friday to close the old bridge for two months of repairs, "
         "the mayor said after the meeting on Thursday night.")


def documents(rules) -> list[str]:
    """Texts with residue for every rule: each rule's first example to remove on its own,
    its other examples (to remove and to keep) a dozen at a time between lines of prose
    and mojibake, and the seeds."""
    texts = [rule.remove[0] for rule in rules if rule.remove]
    others = [text for rule in rules for text in rule.remove[1:] + rule.keep]
    for start in range(0, len(others), 12):
        lines = [PROSE]
        for n, text in enumerate(others[start:start + 12]):
            lines += [text, MOJIBAKE[n % len(MOJIBAKE)], PROSE]
        texts.append("\n".join(lines))
    texts.append("\n".join(MOJIBAKE))
    texts += [f.read_text(encoding="utf-8", errors="replace") for f in sorted((ROOT / "seeds").rglob("*.txt"))]
    return texts


def as_json(doc) -> str:
    return json.dumps(doc.to_dict(), sort_keys=True, ensure_ascii=False)


# What each scenario runs before ``import cleaner``: the private names hidden as a release
# that moved or renamed them would hide them. The packages themselves keep working (they
# hold their own references); only a new import of the hidden name fails.
HIDE = {
    # regex without `regex._regex_core` and `regex._regex`
    "regex-missing": """
        import regex
        sys.modules["regex._regex_core"] = None
        sys.modules["regex._regex"] = None
    """,
    # a regex whose parser module lacks one of the node classes read (`String`)
    "regex-renamed": """
        import regex, regex._regex_core as real
        stub = types.ModuleType("regex._regex_core")
        stub.__dict__.update({k: v for k, v in vars(real).items() if k != "String"})
        sys.modules["regex._regex_core"] = regex._regex_core = stub
    """,
    # an ftfy without BADNESS_RE, MOJIBAKE_CATEGORIES and CONTROL_CHARS
    "ftfy-renamed": """
        import ftfy, ftfy.badness, ftfy.chardata
        for name, hidden in (("badness", ("BADNESS_RE", "MOJIBAKE_CATEGORIES")), ("chardata", ("CONTROL_CHARS",))):
            real = sys.modules["ftfy." + name]
            stub = types.ModuleType(real.__name__)
            stub.__dict__.update({k: v for k, v in vars(real).items() if k not in hidden})
            sys.modules[real.__name__] = stub
            setattr(ftfy, name, stub)
    """,
    # a Python without `re._parser` and `re._constants`
    "re-parser-missing": """
        import re
        sys.modules["re._parser"] = None
        sys.modules["re._constants"] = None
    """,
}

RUN = """
import json, sys, types
{hide}
import cleaner
from cleaner import Cleaner, Config
from cleaner.compat import ftfy_internals, regex_internals, stdlib_re
from cleaner.stages import repair

texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
c = Cleaner(config=Config())
docs = [json.dumps(c.clean_text(t, id=str(n)).to_dict(), sort_keys=True, ensure_ascii=False)
        for n, t in enumerate(texts)]
state = {{
    "regex_syntax": regex_internals._REGEX_CORE is not None,
    "narrowed": len(c.rules.gates.narrowed),
    "mojibake_pattern": ftfy_internals.MOJIBAKE_PATTERN is not None,
    "badness_read": repair._BADNESS is not None,
    "fixer_marks": sorted(repair.FIXER_MARKS),
    "stdlib_parser": stdlib_re._sre_parse is not None,
}}
json.dump({{"state": state, "docs": docs}}, open(sys.argv[2], "w", encoding="utf-8"))
"""


def run_hidden(scenario: str, texts: list[str], tmp_path: Path) -> dict:
    hide = textwrap.dedent(HIDE[scenario])
    given, out = tmp_path / "texts.json", tmp_path / "out.json"
    given.write_text(json.dumps(texts), encoding="utf-8")
    env = {**os.environ, "CLEANER_NO_CACHE": "1",  # rules compiled afresh, without the parser
           "PYTHONPATH": str(Path(package.__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", RUN.format(hide=hide), str(given), str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"{scenario}: the package fails without the private names:\n{done.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fast(cleaner):
    """The documents, cleaned here with every private name at hand."""
    texts = documents(cleaner.rules)
    docs = [as_json(cleaner.clean_text(t, id=str(n))) for n, t in enumerate(texts)]
    return texts, docs


def test_the_fast_paths_are_taken_here(cleaner, fast):
    # what the fallbacks are compared with: the gates, and the reading of ftfy's pattern
    assert regex_internals._REGEX_CORE is not None and regex_internals._GET_ALL_CASES is not None
    assert len(cleaner.rules.gates.narrowed) >= 50
    assert ftfy_internals.MOJIBAKE_PATTERN is not None and repair._BADNESS is not None
    # and the documents are full of what the rules and the repair take out
    _texts, docs = fast
    loaded = [json.loads(d) for d in docs]
    assert len({r["rule"] for d in loaded for r in d["removed"]}) >= 100
    assert sum(len(d["repairs"]) for d in loaded) >= 50


@pytest.mark.parametrize("scenario", list(HIDE))
def test_without_the_private_names_the_documents_are_the_same(scenario, fast, tmp_path):
    texts, docs = fast
    found = run_hidden(scenario, texts, tmp_path)
    state = found["state"]
    if scenario.startswith("regex"):  # no rule gated: each runs on every line it may act on
        assert not state["regex_syntax"] and state["narrowed"] == 0
    else:
        assert state["regex_syntax"] and state["narrowed"] >= 50
    if scenario == "ftfy-renamed":  # every line beyond ASCII a mark, and ftfy's public is_bad asked
        assert not state["mojibake_pattern"] and not state["badness_read"]
    if scenario == "re-parser-missing":
        assert not state["stdlib_parser"] and state["mojibake_pattern"] and not state["badness_read"]
    # the control characters, found by the public fixer where ftfy's table is hidden
    assert state["fixer_marks"] == sorted(repair.FIXER_MARKS)
    differ = [n for n, (a, b) in enumerate(zip(docs, found["docs"])) if a != b]
    assert len(found["docs"]) == len(docs)
    assert not differ, f"{scenario}: {len(differ)} documents differ, the first: {texts[differ[0]][:300]!r}"


# --- the fallbacks that stand in for a private table give the same table ---------------


def test_case_variants_found_publicly_are_regex_own():
    codes = sorted(set(map(ord, regex_internals._cased_characters()))
                   | set(range(0x80)) | {0xE9, 0x130, 0x131, 0x17F, 0x212A, 0x4E00, 0x1F600})
    for code in codes:
        found = tuple(sorted(set(regex_internals.case_variants(code))))
        assert regex_internals._public_case_variants(code) == found, hex(code)


def test_control_characters_found_publicly_are_ftfy_own():
    assert ftfy_internals._public_control_characters() == frozenset(map(chr, ftfy.chardata.CONTROL_CHARS))
    assert ftfy_internals.control_characters() == frozenset(map(chr, ftfy.chardata.CONTROL_CHARS))


# --- each loader falls back when its name is missing -------------------------------------


def stub_without(module: types.ModuleType, *names: str) -> types.ModuleType:
    stub = types.ModuleType(module.__name__)
    stub.__dict__.update({k: v for k, v in vars(module).items() if k not in names})
    return stub


def test_the_regex_loaders_fall_back(monkeypatch):
    monkeypatch.setitem(sys.modules, "regex._regex_core", None)
    monkeypatch.setitem(sys.modules, "regex._regex", None)
    assert regex_internals._load_regex_syntax() is None
    assert regex_internals._load_get_all_cases() is None


def test_a_renamed_node_class_turns_the_reading_off(monkeypatch):
    import regex._regex_core as real

    stub = stub_without(real, "LookAroundConditional")
    monkeypatch.setitem(sys.modules, "regex._regex_core", stub)
    monkeypatch.setattr(regex, "_regex_core", stub)
    assert regex_internals._load_regex_syntax() is None


def test_without_the_parser_no_pattern_is_read(monkeypatch):
    assert gate(r"(?i)leave\s+a\s+reply", True) is not None
    monkeypatch.setattr(regex_internals, "_REGEX_CORE", None)
    with pytest.raises(regex_internals.Unavailable):
        regex_internals.parse_regex("a")
    assert gate(r"(?i)leave\s+a\s+reply", True) is None


def core_with(**names) -> types.SimpleNamespace:
    """regex's parser as `cleaner.compat.regex_internals` holds it, with ``names`` in place of its own."""
    return types.SimpleNamespace(**{**vars(regex_internals._REGEX_CORE), **names})


def test_a_node_of_a_class_not_known_turns_the_reading_of_its_pattern_off(monkeypatch):
    # `\X` is parsed into a `Grapheme`: here a class the translation is not told of
    assert gate(r"\X+ and more", False) is not None
    monkeypatch.setattr(regex_internals, "_REGEX_CORE", core_with(Grapheme=type("Grapheme", (), {})))
    with pytest.raises(regex_internals.Unavailable, match="Grapheme"):
        regex_internals.parse_regex(r"\X+ and more")
    assert gate(r"\X+ and more", False) is None
    assert gate(r"(?i)leave\s+a\s+reply", True) is not None  # the other patterns are read as before


def test_a_node_of_another_shape_turns_the_reading_of_its_pattern_off(monkeypatch):
    # a property whose number is not among the names of the properties read
    assert gate(r"\d+ min read", True) is not None
    monkeypatch.setattr(regex_internals, "_REGEX_CORE", core_with(PROPERTY_NAMES={}))
    with pytest.raises(regex_internals.Unavailable):
        regex_internals.parse_regex(r"\d+ min read")
    assert gate(r"\d+ min read", True) is None


def test_only_compat_knows_the_parser_nodes():
    # the prefilter reads its own nodes (`cleaner.patterntree`), which know nothing of compat
    folder = Path(package.__file__).resolve().parent
    for path in sorted((folder / "prefilter").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not regex.search(r"_REGEX_CORE|REGEX_SYNTAX|REGEX_CORE_NAMES|PROPERTY_NAMES|UNLIMITED", text), path.name
    syntax = (folder / "patterntree.py").read_text(encoding="utf-8")
    assert not regex.search(r"^\s*(from|import)\s+(\.\.|cleaner|regex)", syntax, flags=regex.M)


def test_the_ftfy_loaders_fall_back(monkeypatch):
    monkeypatch.setitem(sys.modules, "ftfy.badness", stub_without(ftfy.badness, "MOJIBAKE_CATEGORIES"))
    monkeypatch.setitem(sys.modules, "ftfy.chardata", stub_without(ftfy.chardata, "CONTROL_CHARS"))
    assert ftfy_internals._frequent_characters() == set(map(chr, range(0x80)))
    assert ftfy_internals.control_characters() == frozenset(map(chr, ftfy.chardata.CONTROL_CHARS))


def test_without_the_stdlib_parser_ftfy_pattern_is_not_read(monkeypatch):
    assert stdlib_re.read_badness() is not None
    monkeypatch.setattr(stdlib_re, "_sre_parse", None)
    assert stdlib_re.read_badness() is None
    monkeypatch.setattr(stdlib_re, "MOJIBAKE_PATTERN", None)  # read_badness's default
    assert stdlib_re.read_badness() is None


def test_no_other_module_reads_a_private_name():
    private = regex.compile(r"_regex_core|\bimport _regex\b|regex\._regex\b|re\._parser|re\._constants|\bsre_parse\b"
                            r"|\bsre_constants\b|\bsre_compile\b|\bimport _parser\b|\bimport _constants\b"
                            r"|BADNESS_RE|MOJIBAKE_CATEGORIES|CONTROL_CHARS"
                            r"|\._processes\b|\._result_queue\b|\._broken\b|\._writer\b")  # the process pool's
    folder = Path(package.__file__).resolve().parent
    readers = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.py")
                     if path.parent != folder / "compat" and private.search(path.read_text(encoding="utf-8")))
    assert readers == []


#: The private modules of each foreign package, by the module of `cleaner.compat` that reads them.
PRIVATE_MODULES = {
    "regex_internals.py": {"regex._regex_core", "regex._regex"},
    "stdlib_re.py": {"re._parser", "re._constants"},
    "ftfy_internals.py": {"ftfy.badness", "ftfy.chardata"},
}


def test_each_foreign_package_is_read_in_its_own_module_inside_try():
    every = set().union(*PRIVATE_MODULES.values())
    folder = Path(package.__file__).resolve().parent / "compat"
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {id(node) for block in ast.walk(tree) if isinstance(block, ast.Try)
                   for statement in block.body for node in ast.walk(statement)}
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in set(names) & every:
                assert name in PRIVATE_MODULES.get(path.name, ()), f"{path.name} imports {name}"
                assert id(node) in guarded, f"{path.name} imports {name} outside try"
    pool = (folder / "process_pool.py").read_text(encoding="utf-8")
    assert all(f'"{name}"' in pool for name in ("_processes", "_result_queue", "_writer", "_broken"))
