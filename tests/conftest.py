import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

# The rule-set cache (cleaner.cache) of this session, and of the commands the tests
# run, is a folder of its own: the tests never read nor fill the user's cache.
os.environ["CLEANER_CACHE_DIR"] = tempfile.mkdtemp(prefix="cleaner-test-cache-")
atexit.register(shutil.rmtree, os.environ["CLEANER_CACHE_DIR"], True)

from cleaner.pipeline import Cleaner  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bench_corpus() -> ModuleType:
    """`bench/corpus.py`, the generator of the benchmark corpus (``documents(n, seed)``)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def jsonl_lines(bench_corpus):
    """``jsonl_lines(n, seed, mean_bytes)``: ``n`` generated documents as JSONL lines
    ``{"id": i, "text": ...}``, newline included."""
    import json

    def lines(n: int, seed: int, mean_bytes: int) -> list[str]:
        return [json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                for i, t in bench_corpus.documents(n, seed=seed, mean_bytes=mean_bytes)]
    return lines
