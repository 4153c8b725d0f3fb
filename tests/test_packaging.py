"""A real (non-editable) install carries the shipped rules, and `clean` uses them from any folder."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "*.egg-info", "build", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "wheel"), str(src)],
                   check=True, capture_output=True)
    wheel = next((tmp / "wheel").glob("cleaner-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp / "site"), str(wheel)],
                   check=True, capture_output=True)
    return wheel, tmp / "site"


def test_the_wheel_holds_every_rule_file(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for f in (ROOT / "rules").glob("*.toml"):
        assert f"cleaner/rules/{f.name}" in names


def test_clean_from_another_folder_uses_the_installed_rules(installed, tmp_path):
    _, site = installed
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import cleaner.rules as r; print(r.__file__); print(r.shipped_rules_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(p.startswith(str(site)) for p in where), where
    (tmp_path / "article.txt").write_bytes((ROOT / "seeds" / "000_3e7eae248d537d0f.txt").read_bytes())
    run = subprocess.run([sys.executable, "-m", "cleaner", "article.txt"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert {s["rule"] for s in doc["removed"]} >= {"C101", "C102", "H001", "M005"}
