"""The benchmark script (benchmarks/run.py, ``make bench``) runs end to end on a tiny input.

It is not a benchmark: it keeps the bench code from rotting, and checks that what the benchmark
reports as exact is exact and what it reports as equal is equal.
"""

import importlib.util
import json
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bordermap_bench", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_run_writes_results(bench, tmp_path, monkeypatch):
    # The script sets both for its own process; here they are restored after the test.
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BORDERMAP_MAX_GEOJSON_MB", "1000")
    results = bench.main(
        [
            "--quick",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(tmp_path / "out"),
            "--repeat",
            "1",
        ]
    )
    measure, topology = results["measure"], results["topology"]
    assert measure["exactness"]["max_rel_error_area"] < 1e-9
    assert measure["exactness"]["max_rel_error_length"] < 1e-9
    assert measure["ours_vs_loop_area_max_rel_diff"] < 1e-9
    assert (
        topology["same_pairs"] and topology["max_rel_length_diff"] < 1e-9 and topology["pairs"] > 50
    )
    assert results["memory"]["measure_peak"] >= results["memory"]["after_read"] > 0
    # Our GeoJSON read gives GDAL's geometries, and the issue #17 ratios are all recorded.
    assert results["read"]["geojson_same_geometries"] is True
    targets = results["targets"]
    for key in ("parquet_vs_floor", "all_cores_speedup", "cold_vs_gdal"):
        assert targets[key] > 0
    assert results["read_memory"]["peak_mb"] > 0 and results["read_memory"]["estimate_mb"] > 0
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["measure"]["vertices"] == measure["vertices"]
    # The atlas benchmark (issue #14) on the mini dataset: its 4 pages, each run next to the floor.
    atlas = results["atlas"]
    assert atlas["pages"] == 4 and atlas["floor"]["wall_s"] > 0 and atlas["one_process"]["cpu_s"] > 0
    atlas_table = (tmp_path / "out" / "atlas.md").read_text()
    for row in ("| **atlas** (default", "`--jobs 1`", "floor: 4 empty framed pages", "27 s", "## Machine"):
        assert row in atlas_table
    table = (tmp_path / "out" / "results.md").read_text()
    for row in (
        "baseline: `Geod.geometry_area_perimeter`",
        "floor: `Geod.line_lengths`",
        "**ours**, 1 thread",
        "naive: `boundary.intersection`",
        "## Issue #17 targets",
        "## Machine",
    ):
        assert row in table


def test_main_job_entry_runs_the_job_beside_its_floors(bench, tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    job = bench.bench_main_job(tmp_path, 1)
    assert set(job["floors"]) == {"python", "shapely_numpy", "geopandas"}
    assert all(v["wall_s"] > 0 for v in (*job["floors"].values(), job["no_bytecode"]))
    assert job["html"].stat().st_size == job["html_bytes"] > 100_000
    assert "make_map" in job["profile"]
    assert any((tmp_path / "pycache").rglob("*.pyc"))  # the warm runs had their bytecode cached
