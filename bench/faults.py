"""Bad inputs and faults: does ``clean`` survive each of them, and lose nothing?

    python bench/faults.py                 # every case, in a temporary folder
    python bench/faults.py --quick         # the cases not marked slow
    python bench/faults.py --case symlink-loop --case gzip-bomb
    python bench/faults.py --workdir /tmp/faults --keep   # keep each case's folder

Each case builds its inputs in a folder of its own, runs the ``clean`` command on
them as a user would (``python -m cleaner``, in a subprocess with a time limit and
a memory limit), and checks what every run must give, whatever the input:

- it ends by itself within the case's time limit, and prints no traceback;
- its exit code is the one the case expects (0 all written, 1 some inputs
  reported, 2 the run refused);
- the accounting holds: ``inputs = written + resumed + failed`` in ``stats.json``,
  and ``inputs`` is what the case fed it (a document that is neither written nor
  reported is **lost**), and the output holds as many documents as were written;
- no temporary or partial file is left in the output folder, and nothing is
  written outside it;
- whatever the case checks besides (the reason given, the text decoded...).

It prints one line per case and the total, ``N cases, N survived, 0 documents
lost``, and exits 1 if a case did not survive. ``tests/test_faults.py`` runs the
same cases under pytest. When run as root (as in containers), the cases about
permissions run the command without root's power to override them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cleaner.batch import TMP_DIR
from cleaner.records import STATS_FILE

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "seeds" / "000_3e7eae248d537d0f.txt").read_text(encoding="utf-8")
#: What one run may use: more is a fault of its own (a page that blows up).
MEMORY_LIMIT = 3 << 30
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
PROSE = ("The harbour ferry returned to service on Monday after a winter of repairs, the operator said. "
         "Passengers queued from early morning, and the first crossing left on time.")


@dataclass
class Run:
    """What one ``clean`` run did."""

    code: int | None  # None: it was killed for running past the time limit
    stdout: bytes
    stderr: str
    seconds: float


@dataclass
class Setup:
    """What a case gives the runner: the command's arguments (inputs and options, no
    ``-o``), and what the run must show."""

    args: list[str]
    inputs: int  # documents the run must account for
    failed: int | None = None  # of them, reported as failed (None: not fixed)
    codes: tuple[int, ...] = (0,)
    output: str | None = "out"  # relative to the case folder; None: standard output
    timeout: float = 120.0
    permissions: bool = False  # permissions bind the run even when it is root's
    stdout_to: str | None = None  # a file standard output goes to (/dev/full)
    check: Callable[[Path, Run], list[str]] | None = None  # more problems, as sentences
    fsize_limit: int | None = None  # the largest file the run may write (a full disk)
    modes: dict[str, int] = field(default_factory=dict)  # permissions set on these paths before the run


@dataclass
class Case:
    name: str
    what: str
    build: Callable[[Path], Setup]
    slow: bool = False


@dataclass
class Outcome:
    case: Case
    problems: list[str] = field(default_factory=list)
    lost: int = 0
    detail: str = ""
    seconds: float = 0.0

    @property
    def survived(self) -> bool:
        return not self.problems


# --- running ------------------------------------------------------------------------


def _without_override() -> None:
    """Make this process, if root, bound by file permissions as any user is: drop the
    capabilities that let root read and write past them from its bounding set, so
    that a program it then executes does not get them (Linux)."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop root's permission override")


def run_clean(args: list[str], cwd: Path, timeout: float, env: dict[str, str], *, permissions: bool = False,
              stdout_to: str | None = None, fsize_limit: int | None = None) -> Run:
    """``python -m cleaner ARGS`` in ``cwd``, killed (with its workers) after ``timeout``
    seconds, and limited to `MEMORY_LIMIT` bytes of address space."""
    def limits() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if fsize_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_limit, fsize_limit))
        if permissions:
            _without_override()

    out = open(stdout_to, "wb") if stdout_to else subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=out, stderr=subprocess.PIPE, preexec_fn=limits)
    timer = threading.Timer(timeout, lambda: _kill_group(proc.pid))
    timer.start()
    try:
        stdout, stderr = proc.communicate()
    finally:
        timer.cancel()
        if stdout_to:
            out.close()
    seconds = time.perf_counter() - started
    killed = not timer.is_alive() and seconds >= timeout
    return Run(None if killed else proc.returncode, stdout or b"", stderr.decode("utf-8", "replace"), seconds)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def base_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CLEANER_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def snapshot(folder: Path, skip: Path | None) -> dict[str, int]:
    """Every file under ``folder`` but ``skip``, with its size (symlinks not followed)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if skip is not None:
            dirnames[:] = [d for d in dirnames if here / d != skip]
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            p = here / name
            if skip is not None and p == skip:
                continue
            found[os.fsdecode(p.relative_to(folder))] = p.lstat().st_size
    return found


def documents_in(out: Path) -> int:
    """How many documents an output holds: JSON files of the tree, or JSONL lines."""
    if out.is_file():
        return sum(1 for line in out.read_bytes().splitlines() if line.strip())
    jsonl = list(out.glob("part-*.jsonl"))
    if jsonl:
        return sum(1 for p in jsonl for line in p.read_bytes().splitlines() if line.strip())
    return sum(1 for p in out.rglob("*.json") if p.name != STATS_FILE and TMP_DIR not in p.parts)


def leftovers(out: Path) -> list[str]:
    """Temporary or partial files left in an output folder."""
    if not out.is_dir():
        return []
    return sorted(os.fsdecode(p.relative_to(out)) for p in out.rglob("*")
                  if any(part.endswith(TMP_DIR) for part in p.parts) or p.name.endswith(".tmp"))


def run_case(case: Case, folder: Path, cache: Path) -> Outcome:
    """Build a case in ``folder`` (made empty), run it, and check what it must show."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    outcome = Outcome(case)
    try:
        setup = case.build(folder)
    except Exception as e:  # noqa: BLE001 -- a case that cannot be built here is reported, not raised
        outcome.problems.append(f"could not build the case: {type(e).__name__}: {e}")
        return outcome
    out = folder / setup.output if setup.output else None
    args = [*setup.args, *(["-o", str(out)] if out else []), "--quiet"]
    env = base_env(cache)
    for relative, mode in setup.modes.items():  # set once everything is in place
        os.chmod(folder / relative, mode)
    before = snapshot(folder, out)
    run = run_clean(args, folder, setup.timeout, env, permissions=setup.permissions, stdout_to=setup.stdout_to,
                    fsize_limit=setup.fsize_limit)
    outcome.seconds = run.seconds
    for relative in setup.modes:  # so that the folder can be looked at, and removed
        os.chmod(folder / relative, 0o755)
    outcome.problems += judge(setup, run, folder, out, before)
    stats = _stats(out)
    if stats is not None:
        outcome.lost = max(0, setup.inputs - stats["written"] - stats["resumed"] - stats["failed"])
        outcome.detail = (f"{stats['inputs']} in, {stats['written']} written, {stats['resumed']} resumed, "
                          f"{stats['failed']} failed")
    elif run.code is not None:
        outcome.detail = f"exit {run.code}"
    return outcome


def _stats(out: Path | None) -> dict | None:
    if out is None:
        return None
    path = out / STATS_FILE if not out.suffix == ".jsonl" else out.parent / STATS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def judge(setup: Setup, run: Run, folder: Path, out: Path | None, before: dict[str, int]) -> list[str]:
    """What went wrong with a run, as sentences (none: it survived)."""
    problems = []
    if run.code is None:
        return [f"did not finish within {setup.timeout:g} s (killed)"]
    if "Traceback (most recent call last)" in run.stderr:
        problems.append("printed a traceback: " + run.stderr.strip().splitlines()[-1][:200])
    if run.code not in setup.codes:
        problems.append(f"exit code {run.code}, expected {' or '.join(map(str, setup.codes))}: "
                        + (run.stderr.strip().splitlines() or [''])[-1][:200])
    if out is not None and run.code != 2:
        stats = _stats(out)
        if stats is None:
            problems.append("no stats.json was written")
        else:
            accounted = stats["written"] + stats["resumed"] + stats["failed"]
            if stats["inputs"] != accounted:
                problems.append(f"stats.json does not add up: {stats['inputs']} inputs, {accounted} accounted for")
            if accounted != setup.inputs:
                problems.append(f"{setup.inputs} inputs given, {accounted} accounted for")
            if setup.failed is not None and stats["failed"] != setup.failed:
                problems.append(f"{stats['failed']} reported as failed, expected {setup.failed}")
            held = documents_in(out)
            if held != stats["written"] + stats["resumed"]:
                problems.append(f"the output holds {held} documents, stats.json says "
                                f"{stats['written'] + stats['resumed']}")
    if out is not None:
        left = leftovers(out)
        if left:
            problems.append(f"left temporary files: {', '.join(left[:3])}")
    after = snapshot(folder, out)
    outside = sorted(set(after) - set(before) - {".cache"} - {k for k in after if k.startswith(".cache/")})
    if outside:
        problems.append(f"wrote outside its output folder: {', '.join(outside[:3])}")
    if setup.check is not None:
        problems += setup.check(folder, run)
    return problems


# --- the cases ----------------------------------------------------------------------


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _expect_in_stderr(*needles: str) -> Callable[[Path, Run], list[str]]:
    def check(folder: Path, run: Run) -> list[str]:
        return [f"the error output does not say {n!r}" for n in needles if n not in run.stderr]
    return check


def _bodies(out: Path) -> dict[str, str]:
    """The body of every document of a JSON tree, by id."""
    docs = {}
    for p in out.rglob("*.json"):
        if p.name != STATS_FILE:
            d = json.loads(p.read_text(encoding="utf-8"))
            docs[d["id"]] = d.get("body") or ""
    return docs


def _expect_bodies(expected: dict[str, str]) -> Callable[[Path, Run], list[str]]:
    """Each named document's body holds the given text (decoded as it should be)."""
    def check(folder: Path, run: Run) -> list[str]:
        bodies = _bodies(folder / "out")
        return [f"{doc_id}: the body does not hold {text!r}" for doc_id, text in expected.items()
                if text not in bodies.get(doc_id, "")]
    return check


def empty_files(d: Path) -> Setup:
    _write(d / "in" / "empty.txt", b"")
    _write(d / "in" / "blank.txt", b" \n\t\n\r\n   ")
    _write(d / "in" / "ok.txt", SEED_TEXT)
    return Setup(["in"], inputs=3, failed=2, codes=(1,), check=_expect_in_stderr("empty"))


def binary_files(d: Path) -> Setup:
    rng = random.Random(1)
    _write(d / "in" / "random.txt", bytes(rng.randrange(256) for _ in range(50_000)))
    _write(d / "in" / "elf.html", b"\x7fELF\x02\x01\x01\x00" + bytes(rng.randrange(256) for _ in range(5_000)))
    _write(d / "in" / "ok.txt", SEED_TEXT)
    return Setup(["in"], inputs=3, failed=2, codes=(1,), check=_expect_in_stderr("binary"))


ENCODED = {
    "cp1252": ("Le café de la gare a rouvert ses portes lundi, après des mois de travaux. "
               "Les habitués ont salué « une renaissance ».", "cp1252", "café"),
    "latin1": ("Die Straße am Hafen wurde für den Verkehr wieder geöffnet. Anwohner begrüßten die Entscheidung "
               "des Stadtrats.", "latin-1", "Straße"),
    "utf16": ("The café reopened on Monday, its owner said. “We missed everyone,” she added.", "utf-16", "café"),
    "shift_jis": ("東京の港で新しいフェリーが月曜日に運航を再開した。運営会社によると、冬の間に修理が行われた。",
                  "shift_jis", "フェリー"),
    "gb18030": ("上海港的渡轮周一恢复运营。运营商表示，冬季进行了维修，乘客们一早就开始排队。", "gb18030", "渡轮"),
}


def encodings(d: Path) -> Setup:
    for name, (text, codec, _) in ENCODED.items():
        _write(d / "in" / f"{name}.txt", (text + "\n\n" + text + " " + text).encode(codec))
    _write(d / "in" / "invalid_utf8.txt", PROSE.encode("utf-8") + b" \xff\xfe broken \xc3 bytes.\n\n"
           + PROSE.encode("utf-8"))
    return Setup(["in"], inputs=len(ENCODED) + 1, failed=0,
                 check=_expect_bodies({name: word for name, (_, _, word) in ENCODED.items()}))


def mixed_encodings(d: Path) -> Setup:
    lines = ["Le café a rouvert lundi, après des mois de travaux, a dit son patron.".encode("utf-8"),
             "Les habitués ont salué « une renaissance » du quartier, selon la mairie.".encode("cp1252"),
             "The café’s owner said the first day went well for everyone there.".encode("utf-8")]
    _write(d / "in" / "mixed.txt", b"\n\n".join(lines))
    return Setup(["in"], inputs=1, failed=0)


def huge_line(d: Path) -> Setup:
    words = (PROSE + " ").encode()
    with open(_write(d / "in" / "one-line.txt", b""), "wb") as f:
        for _ in range((200 << 20) // len(words)):
            f.write(words)
    return Setup(["in"], inputs=1, codes=(0, 1), timeout=600)


def many_files(d: Path) -> Setup:
    n = 100_000
    for k in range(n):
        _write(d / "in" / f"{k // 1000:03d}" / f"{k:06d}.txt", f"Document {k}. {PROSE}")
    return Setup(["in", "-j", "2"], inputs=n, failed=0, timeout=1200)


def nested_folders(d: Path) -> Setup:
    deep = d / "in"
    for k in range(120):
        deep = deep / f"d{k}"
    _write(deep / "deep.txt", PROSE)
    _write(d / "in" / "top.txt", PROSE)
    return Setup(["in"], inputs=2, failed=0)


def symlink_loop(d: Path) -> Setup:
    _write(d / "in" / "a" / "doc.txt", PROSE)
    os.symlink("..", d / "in" / "a" / "up")
    os.symlink("loop.txt", d / "in" / "loop.txt")  # a link to itself
    os.symlink("missing.txt", d / "in" / "dangling.txt")
    return Setup(["in"], inputs=3, failed=2, codes=(1,))


def special_files(d: Path) -> Setup:
    _write(d / "in" / "doc.txt", PROSE)
    os.mkfifo(d / "in" / "pipe.txt")  # opening it would wait for a writer forever
    (d / "in" / "folder.txt").mkdir()
    _write(d / "in" / "folder.txt" / "inner.txt", PROSE)
    return Setup(["in"], inputs=3, failed=1, codes=(1,), timeout=60)


def unreadable(d: Path) -> Setup:
    _write(d / "in" / "ok.txt", PROSE)
    _write(d / "in" / "secret.txt", PROSE)
    _write(d / "in" / "locked" / "inner.txt", PROSE)
    return Setup(["in"], inputs=3, failed=2, codes=(1,), permissions=True,
                 modes={"in/secret.txt": 0, "in/locked": 0},
                 check=_expect_in_stderr("Permission denied"))


def odd_names(d: Path) -> Setup:
    base = os.fsencode(d / "in")
    os.makedirs(base)
    for name in (b"new\nline.txt", b"latin-\xe9t\xe9.txt", b"tab\tand space .txt", b"-dash.txt"):
        with open(os.path.join(base, name), "wb") as f:
            f.write(PROSE.encode())
    return Setup(["in"], inputs=4, failed=0)


def read_only_output(d: Path) -> Setup:
    _write(d / "in" / "doc.txt", PROSE)
    (d / "out").mkdir()
    return Setup(["in"], inputs=1, codes=(2,), permissions=True, modes={"out": 0o555}, check=_expect_in_stderr("out"))


def full_output(d: Path) -> Setup:
    for k in range(20):
        _write(d / "in" / f"doc{k:02d}.txt", f"Document {k}. " + PROSE * 40)
    return Setup(["in", "--format", "jsonl"], inputs=20, codes=(2,), fsize_limit=30_000,
                 check=_expect_in_stderr("run the same command again"))


def full_tree(d: Path) -> Setup:
    for k in range(20):
        _write(d / "in" / f"doc{k:02d}.txt", f"Document {k}. " + PROSE * 40)
    return Setup(["in", "-j", "2"], inputs=20, codes=(2,), fsize_limit=5_000,
                 check=_expect_in_stderr("run the same command again"))


def full_stdout(d: Path) -> Setup:
    for k in range(5):
        _write(d / "in" / f"doc{k}.txt", PROSE)
    return Setup(["in", "--format", "jsonl"], inputs=5, codes=(2,), output=None, stdout_to="/dev/full",
                 check=_expect_in_stderr("standard output"))


def gzip_bomb(d: Path) -> Setup:
    limit = 1_000_000
    bomb = gzip.compress(b"A" * (50 * limit), compresslevel=9)
    _write(d / "in" / "text-bomb.txt.gz", bomb)
    _write(d / "in" / "page-bomb.html.gz", bomb)
    _write(d / "in" / "lines-bomb.jsonl.gz", gzip.compress(b'{"id": "x", "text": "' + b"A" * (5 * limit) + b'"}\n'))
    _write(d / "in" / "ok.txt.gz", gzip.compress(PROSE.encode()))
    return Setup(["in", "--max-file-bytes", str(limit)], inputs=4, failed=3, codes=(1,),
                 check=_expect_in_stderr("size limit"))


def zstd_bomb(d: Path) -> Setup:
    import zstandard

    limit = 1_000_000
    _write(d / "in" / "bomb.txt.zst", zstandard.ZstdCompressor(level=19).compress(b"A" * (50 * limit)))
    _write(d / "in" / "ok.txt.zst", zstandard.ZstdCompressor().compress(PROSE.encode()))
    return Setup(["in", "--max-file-bytes", str(limit)], inputs=2, failed=1, codes=(1,),
                 check=_expect_in_stderr("size limit"))


def cut_compressed(d: Path) -> Setup:
    """Compressed files cut short fail with that reason (nothing of them is written as
    if whole); files of several gzip members or zstd frames are read whole."""
    import zstandard

    zstd = zstandard.ZstdCompressor()
    later = "The timetable for the summer season starts in June, with an extra crossing at night."
    whole_gz, whole_zst = gzip.compress((PROSE + " " + later).encode()), zstd.compress((PROSE + " " + later).encode())
    _write(d / "in" / "cut.txt.gz", whole_gz[:len(whole_gz) // 2])
    _write(d / "in" / "cut-page.html.gz", gzip.compress(f"<html><body><p>{PROSE}</p></body></html>".encode())[:-12])
    _write(d / "in" / "cut-zst.txt.zst", whole_zst[:len(whole_zst) // 2])
    # cut inside the first record: the file's one document fails, at line 1
    records = "".join(json.dumps({"id": f"r{k}", "text": PROSE * (200 if k == 0 else 1)}) + "\n"
                      for k in range(3)).encode()
    _write(d / "in" / "cut-lines.jsonl.gz", gzip.compress(records)[:len(gzip.compress(records)) // 3])
    _write(d / "in" / "cut-lines-zst.jsonl.zst", zstd.compress(records)[:len(zstd.compress(records)) // 3])
    # several members or frames, each part of the one text
    _write(d / "in" / "members.txt.gz", gzip.compress(PROSE.encode()) + gzip.compress((" " + later).encode()))
    _write(d / "in" / "frames.txt.zst", zstd.compress(PROSE.encode()) + zstd.compress((" " + later).encode()))
    expect_whole = _expect_bodies({"members": later, "frames": later})
    expect_said = _expect_in_stderr("cut.txt.gz: cut short", "cut-zst.txt.zst: cut short",
                                    "cut-page.html.gz: cut short", "cut-lines.jsonl.gz:1: cut short",
                                    "cut-lines-zst.jsonl.zst:1: cut short")
    return Setup(["in"], inputs=7, failed=5, codes=(1,),
                 check=lambda folder, run: expect_whole(folder, run) + expect_said(folder, run))


def hostile_html(d: Path) -> Setup:
    article = f"<p>{PROSE}</p>"
    _write(d / "in" / "deep.html", "<html><body>" + "<div>" * 200_000 + article + "</div>" * 200_000 + "</body></html>")
    _write(d / "in" / "huge.html", "<html><body>" + article * 150_000 + "</body></html>")
    _write(d / "in" / "broken.html", "<html><body><p>" + PROSE + "<table><tr><td><p><b><i>" * 5_000
           + "</p></b> <<<>>> &&&; <!-- unclosed " + PROSE)
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10 if k else "&lol;" * 10}">'
                     for k in range(10))
           + f']><html><body><p>&lol9;</p>{article}</body></html>')
    _write(d / "in" / "entities.html", lol)
    _write(d / "in" / "ok.html", f"<html><head><title>Ferry</title></head><body><article>{article * 3}"
                                 "</article></body></html>")
    return Setup(["in", "--html-timeout", "5"], inputs=5, codes=(0, 1), timeout=120,
                 check=_expect_in_stderr("huge.html: extracting this page took over 5 s"))


def malformed_jsonl(d: Path) -> Setup:
    lines = [json.dumps({"id": "a", "text": PROSE}), "{not json", json.dumps(["a", "list"]),
             json.dumps({"id": "b"}), json.dumps({"id": "c", "text": 42}), "\x00\x01 binary",
             json.dumps({"id": "d", "text": PROSE}), '{"id": "e", "text": "cut off']
    _write(d / "in" / "docs.jsonl", "\n".join(lines) + "\n")
    return Setup(["in"], inputs=8, failed=6, codes=(1,), check=_expect_in_stderr("docs.jsonl:2", "docs.jsonl:8"))


def hostile_ids(d: Path) -> Setup:
    ids = ["../../escaped", "/etc/absolute", "a\x00b", "..", ".", "", "x/../../../up", "C:\\windows", "~/home",
           "deep/" * 60 + "end", "dup", "dup"]
    _write(d / "in" / "docs.jsonl", "".join(json.dumps({"id": i, "text": PROSE}) + "\n" for i in ids))
    return Setup(["in"], inputs=len(ids), codes=(0, 1))


def _rule(rule_id: str, pattern: str) -> str:
    return (f'[[rule]]\nid = "{rule_id}"\nname = "{rule_id.lower()}"\nstage = "strip_comments"\n'
            f'description = "A user rule that may backtrack."\naction = "drop"\nscope = "line"\n'
            f"pattern = '''{pattern}'''\nremove = [\"aaaa\"]\nkeep = [\"The ferry sailed.\"]\n\n")


def catastrophic_rule(d: Path) -> Setup:
    """``(a+)+$``, the textbook case, which `regex` matches without backtracking
    (the document is cleaned), and ``(a|aa)+$``, which it cannot (the document
    fails, naming the rule)."""
    _write(d / "rules" / "mine.toml", _rule("U001", "^(a+)+$") + _rule("U002", "^(a|aa)+$"))
    _write(d / "in" / "evil.txt", PROSE + "\n\n" + "a" * 5_000 + "!\n")
    _write(d / "in" / "ok.txt", PROSE)
    return Setup(["in", "--rules", "rules", "--regex-timeout", "0.5"], inputs=2, failed=1, codes=(1,), timeout=60,
                 check=_expect_in_stderr("U002", "regex timeout"))


#: The options of the interrupted runs (`sigkill_rerun`, `stop_signals`): JSONL shards, two workers.
SHARDED = ["--format", "jsonl", "--shard-size", "100", "-j", "2"]


def _uninterrupted(d: Path, documents: int) -> tuple[dict[str, str], float]:
    """A JSONL file of ``documents`` documents in ``d/in``, cleaned once without a stop into
    ``d/whole``, which the reruns are compared with: the environment, and its time."""
    docs = [json.dumps({"id": f"doc{k:04d}", "text": f"Document {k}. " + PROSE * (1 + k % 7)}) for k in range(documents)]
    _write(d / "in" / "docs.jsonl", "\n".join(docs) + "\n")
    env = base_env(d / ".cache")
    whole = run_clean(["in", "-o", "whole", *SHARDED, "--quiet"], d, 300, env)
    if whole.code != 0:
        raise RuntimeError(f"the uninterrupted run failed: {whole.stderr[-300:]}")
    return env, whole.seconds


def _rerun(d: Path, env: dict[str, str], after: str) -> None:
    """The stopped run's command again, which must end with the uninterrupted run's shards."""
    rerun = run_clean(["in", "-o", "out", *SHARDED, "--quiet"], d, 300, env)
    problems = _same_shards(d) if rerun.code == 0 else [f"the rerun failed: {rerun.stderr[-300:]}"]
    if problems:
        raise RuntimeError(f"after {after} and a rerun: {problems[0]}")


def _as_uninterrupted(documents: int) -> Setup:
    """The case's own run: one more rerun, which must account for every document and end
    with the uninterrupted run's shards."""
    def check(folder: Path, run: Run) -> list[str]:
        return _same_shards(folder)

    return Setup(["in", *SHARDED], inputs=documents, failed=0, timeout=300, check=check)


def sigkill_rerun(d: Path) -> Setup:
    """Ten runs killed at random moments, each followed by a rerun; the result is
    compared with an uninterrupted run (the rerun is the case's own run)."""
    rng = random.Random(7)
    env, seconds = _uninterrupted(d, 1500)
    for _ in range(10):
        shutil.rmtree(d / "out", ignore_errors=True)
        proc = subprocess.Popen([sys.executable, "-m", "cleaner", "in", "-o", "out", *SHARDED, "--quiet"], cwd=d,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, 0.95) * seconds)
        _kill_group(proc.pid)
        proc.wait()
        _rerun(d, env, "a kill")
    return _as_uninterrupted(1500)


def stop_signals(d: Path) -> Setup:
    """A two-worker run stopped by a signal sent to its main process alone, as a
    scheduler or ``timeout`` sends it: SIGTERM and SIGINT must stop it promptly with
    their exit code (143, 130) and a sentence, leaving no temporary folder; SIGKILL
    cannot be answered, but its workers must not outlive it. Each is followed by a
    rerun, and the case's own run is one more."""
    env, _ = _uninterrupted(d, 3000)
    for sig, code, said in ((signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C"), (signal.SIGKILL, None, "")):
        shutil.rmtree(d / "out", ignore_errors=True)
        # as from a terminal: a run started in the background of a script ignores SIGINT, as it should
        proc = subprocess.Popen([sys.executable, "-m", "cleaner", "in", "-o", "out", *SHARDED], cwd=d, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        _first_shard(d / "out", proc)  # the signal comes while the run is writing, however slow its start
        proc.send_signal(sig)
        name = sig.name
        try:
            stderr = proc.communicate(timeout=20)[1].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            ended = proc.poll() is not None
            _kill_group(proc.pid)
            raise RuntimeError(f"{name}: worker processes outlived the run's main process (holding its output open)"
                               if ended else f"{name} did not stop the run within 20 s") from None
        if code is not None:
            if proc.returncode != code:
                raise RuntimeError(f"{name}: exit code {proc.returncode}, not {code}: {stderr[-300:]}")
            if said not in stderr:
                raise RuntimeError(f"{name}: the run did not say it was stopped: {stderr[-300:]!r}")
            if (d / "out" / TMP_DIR).exists():
                raise RuntimeError(f"{name}: the run left its temporary folder behind")
        for _ in range(50):  # the workers of a killed run end within moments
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            _kill_group(proc.pid)
            raise RuntimeError(f"{name}: worker processes outlived the run's main process")
        _rerun(d, env, name)
    return _as_uninterrupted(3000)


def _first_shard(out: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until the run ``proc`` has written its first shard into ``out``."""
    deadline = time.monotonic() + seconds
    while not any(out.glob("part-*.jsonl")):
        if proc.poll() is not None or time.monotonic() > deadline:
            _kill_group(proc.pid)
            raise RuntimeError(f"the run wrote no shard {'before it ended' if proc.returncode is not None else f'within {seconds:.0f} s'}")
        time.sleep(0.01)


def _same_shards(d: Path) -> list[str]:
    whole = {p.name: p.read_bytes() for p in (d / "whole").glob("part-*.jsonl")}
    out = {p.name: p.read_bytes() for p in (d / "out").glob("part-*.jsonl")}
    missing = sorted(set(whole) - set(out))
    differ = sorted(n for n in whole if n in out and out[n] != whole[n])
    return ([f"shards missing after the reruns: {', '.join(missing[:3])}"] if missing else []) + \
        ([f"shards differing from the uninterrupted run: {', '.join(differ[:3])}"] if differ else [])


CASES = [
    Case("empty-files", "empty and white-space-only files", empty_files),
    Case("binary-files", "binary files", binary_files),
    Case("encodings", "invalid UTF-8; cp1252, latin-1, UTF-16 with BOM, Shift-JIS and GB18030 text", encodings),
    Case("mixed-encodings", "lines of mixed encodings in one file", mixed_encodings),
    Case("huge-line", "a 200 MB file on one line", huge_line, slow=True),
    Case("many-files", "100,000 small files", many_files, slow=True),
    Case("nested-folders", "folders nested 120 deep", nested_folders),
    Case("symlink-loop", "a symlink loop, a link to itself, a dangling link", symlink_loop),
    Case("special-files", "a named pipe and a folder named like an input", special_files),
    Case("unreadable", "an unreadable file and an unlistable folder", unreadable),
    Case("odd-names", "file names with a newline, bytes that are not UTF-8, a tab, a leading dash", odd_names),
    Case("read-only-output", "a read-only output folder", read_only_output),
    Case("full-output", "JSONL shards on a disk that fills up", full_output),
    Case("full-tree", "the JSON tree on a disk that fills up, two workers", full_tree),
    Case("full-stdout", "standard output on a full device", full_stdout),
    Case("gzip-bomb", "gzip files that inflate past the size limit", gzip_bomb),
    Case("zstd-bomb", "a zstd file that inflates past the size limit", zstd_bomb),
    Case("cut-compressed", "gzip and zstd files cut short; files of several members or frames", cut_compressed),
    Case("hostile-html", "huge, deeply nested and malformed HTML, an entity-expansion bomb", hostile_html),
    Case("malformed-jsonl", "JSONL with malformed lines", malformed_jsonl),
    Case("hostile-ids", "JSONL ids with ../, absolute paths, NUL, repeats", hostile_ids),
    Case("catastrophic-rule", "user rules (a+)+$ and (a|aa)+$ on a long line", catastrophic_rule),
    Case("sigkill-rerun", "SIGKILL at ten random moments, each followed by a rerun", sigkill_rerun, slow=True),
    Case("stop-signals", "SIGTERM, SIGINT and SIGKILL sent to the main process alone, then a rerun", stop_signals),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the cases marked slow")
    parser.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    parser.add_argument("--workdir", type=Path, help="where the cases' folders go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the cases' folders")
    args = parser.parse_args(argv)
    unknown = set(args.case) - {c.name for c in CASES}
    if unknown:
        parser.error(f"no case named {', '.join(sorted(unknown))}; the cases: {', '.join(c.name for c in CASES)}")
    chosen = [c for c in CASES if (not args.case or c.name in args.case) and not (args.quick and c.slow)]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cleaner-faults-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / "cache"
    outcomes = []
    try:
        for case in chosen:
            outcome = run_case(case, workdir / case.name, cache)
            outcomes.append(outcome)
            mark = "survived" if outcome.survived else "FAILED  "
            print(f"{mark} {case.name:<18} {outcome.seconds:6.1f} s  {outcome.detail or case.what}", flush=True)
            for problem in outcome.problems:
                print(f"         - {problem}", flush=True)
            if not args.keep:
                shutil.rmtree(workdir / case.name, ignore_errors=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    survived = sum(o.survived for o in outcomes)
    lost = sum(o.lost for o in outcomes)
    print(f"{len(outcomes)} cases, {survived} survived, {lost} documents lost")
    return 0 if survived == len(outcomes) and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
