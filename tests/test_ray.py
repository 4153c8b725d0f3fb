"""The Ray Data engine gives the local engine's output, byte for byte (a local Ray with two CPUs)."""

from pathlib import Path

import pytest

from cleaner.executor import run
from cleaner.records import STATS_FILE, Options
from cleaner.pipeline import Cleaner

ray = pytest.importorskip("ray", reason="the Ray engine needs pip install 'cleaner[ray]'")
ray_engine = pytest.importorskip("cleaner.ray_engine")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local_ray():
    ray_engine.start(None, workers=2)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def generated(tmp_path_factory, jsonl_lines):
    """500 generated documents in two JSONL files."""
    folder = tmp_path_factory.mktemp("generated500")
    lines = jsonl_lines(500, seed=3, mean_bytes=3000)
    (folder / "a.jsonl").write_text("".join(lines[:250]), encoding="utf-8")
    (folder / "b.jsonl").write_text("".join(lines[250:]), encoding="utf-8")
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != STATS_FILE}


@pytest.mark.parametrize("source,fmt", [("seeds", "json"), ("generated", "jsonl")])
def test_ray_output_equals_the_local_engine(local_ray, generated, tmp_path, source, fmt):
    src = ROOT / "seeds" if source == "seeds" else generated
    from cleaner.localengine import start_method
    assert start_method() != "fork", "Ray's threads make forking its driver unsafe"
    cleaner = Cleaner()
    opts = dict(fmt=fmt, shard_size=100, workers=2)
    local = run([str(src)], cleaner, Options(output=tmp_path / "local", **opts))
    on_ray = run([str(src)], cleaner, Options(output=tmp_path / "ray", **opts), engine=ray_engine.RayEngine())
    assert (on_ray.inputs, on_ray.written, on_ray.failed) == (local.inputs, local.written, local.failed)
    assert local.written > 0 and (source == "seeds" or local.written == 500)
    assert files(tmp_path / "ray") == files(tmp_path / "local")


def test_the_cli_runs_on_ray(local_ray, tmp_path):
    from typer.testing import CliRunner

    from cleaner.cli import app

    seeds = str(ROOT / "seeds")
    for engine in ("local", "ray"):
        result = CliRunner().invoke(app, [seeds, "-o", str(tmp_path / engine), "--engine", engine, "--workers", "2"])
        assert result.exit_code == 0, result.output
    assert files(tmp_path / "ray") == files(tmp_path / "local")
