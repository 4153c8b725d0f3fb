from pathlib import Path

import pytest

from cleaner.pipeline import Cleaner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
