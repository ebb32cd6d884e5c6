"""The reader–engine pipeline (bordermap.measure_ahead): used, bit-identical, and dropped on error.

The input is real: the bundled dataset's boundary lines, areas, divergence polygons and water
(lines and polygons) written as one plain FeatureCollection, read by the fast GeoJSON reader
(counted as large) in batches of a few kilobytes, so that the file gives dozens of batches.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from bordermap import geodesic, measure_ahead
from bordermap.cli.main import main
from bordermap.datasets import bundled_path
from bordermap.errors import DataError
from bordermap.io import fastjson, readers
from bordermap.io.readers import read_frame

pytest.importorskip("simdjson")

LAYERS = ("boundary", "areas", "divergence", "context-water")


def _features() -> list[dict]:
    features = []
    for name in LAYERS:
        layer = json.loads((bundled_path() / f"{name}.geojson").read_text(encoding="utf-8"))
        for i, feature in enumerate(layer["features"]):
            if feature["geometry"] is not None:
                features.append({"type": "Feature", "id": f"{name}-{i}",
                                 "properties": {"from_layer": name}, "geometry": feature["geometry"]})
    return features


def _write(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


@pytest.fixture
def large(tmp_path, monkeypatch):
    """Plain GeoJSON files read by the fast reader in small batches, with a cache of their own."""
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    monkeypatch.setattr(fastjson, "BATCH_BYTES", 16 << 10)
    return tmp_path


def _wait_for_cache() -> None:
    for thread in threading.enumerate():
        if thread.name == "bordermap-cache":
            thread.join()


def _ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("bordermap-measure-ahead")]


def test_the_reader_hands_over_batches_before_it_returns(large):
    path = _write(large / "kg-tj.geojson", _features())
    seen: list[np.ndarray] = []
    frame = read_frame(path, on_geometries=seen.append)
    _wait_for_cache()
    assert len(seen) >= 10  # dozens of batches, each handed over as soon as it was built
    handed = [id(g) for batch in seen for g in batch]
    # Each geometry once, and each one is the very object of the returned frame.
    assert len(handed) == len(set(handed)) == len(frame)
    assert set(handed) == {id(g) for g in frame.geometry.values}
    # From the cache, nothing is parsed and nothing handed over.
    seen.clear()
    again = read_frame(path, on_geometries=seen.append)
    assert seen == [] and len(again) == len(frame)


def test_measured_ahead_equals_measured_after_bit_for_bit(large):
    path = _write(large / "kg-tj.geojson", _features())
    with measure_ahead.measuring_ahead(workers=2) as observe:
        assert observe is not None
        frame = read_frame(path, on_geometries=observe)
        geoms = frame.geometry.values
        assert measure_ahead.measured_ahead(geoms) == len(geoms)
        lengths, areas = measure_ahead.lengths_areas_m(geoms)
    _wait_for_cache()
    assert measure_ahead.measured_ahead(geoms) == 0  # forgotten on leaving the block
    assert _ahead_threads() == []
    expected_lengths, expected_areas = geodesic.lengths_areas_m(geoms)
    assert lengths.tobytes() == expected_lengths.tobytes()
    assert areas.tobytes() == expected_areas.tobytes()
    assert (areas > 0).sum() > 250 and (lengths > 0).all()  # polygons and lines alike


def test_one_cpu_has_nothing_to_overlap():
    with measure_ahead.measuring_ahead(workers=1) as observe:
        assert observe is None


def _count_batches(monkeypatch, cpus: int) -> list[int]:
    """Pretend to have ``cpus`` CPUs and record the size of every batch handed to the pipeline."""
    monkeypatch.setattr(geodesic, "default_workers", lambda: cpus)
    submitted: list[int] = []
    submit = measure_ahead._Pipeline.submit

    def counting(self, geoms):
        submitted.append(len(geoms))
        submit(self, geoms)

    monkeypatch.setattr(measure_ahead._Pipeline, "submit", counting)
    return submitted


def _run_measure(runner, path: Path, cpus: int, monkeypatch, cache: Path, *extra: str) -> tuple[str, int]:
    """`bordermap measure PATH --format csv` with a fresh cache, counting batches measured ahead."""
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(cache))
    submitted = _count_batches(monkeypatch, cpus)
    result = runner.invoke(main, ["measure", str(path), "--format", "csv", *extra])
    _wait_for_cache()
    assert result.exit_code == 0, result.output
    return result.stdout, len(submitted)


def test_measure_command_gives_the_same_output_with_and_without_the_pipeline(runner, large, monkeypatch):
    path = _write(large / "kg-tj.geojson", _features())
    piped, batches = _run_measure(runner, path, 2, monkeypatch, large / "cache-piped")
    alone, none = _run_measure(runner, path, 1, monkeypatch, large / "cache-alone")
    assert batches >= 10 and none == 0
    assert piped == alone
    assert len(piped.splitlines()) == len(_features()) + 1
    assert _ahead_threads() == [] and measure_ahead._AHEAD == {}


def test_nothing_is_measured_ahead_when_filters_would_drop_it(runner, large, monkeypatch):
    # --bbox and --filter apply after the read: measuring ahead would measure what they drop.
    path = _write(large / "kg-tj.geojson", _features())
    boxed, batches = _run_measure(runner, path, 2, monkeypatch, large / "c1", "--bbox", "69,39,72,41")
    assert batches == 0 and len(boxed.splitlines()) > 100


def test_a_file_refused_after_batches_were_measured_exits_1_and_prints_nothing(runner, large, monkeypatch):
    features = _features()
    # Last in the file: a vertex at (700, 139), found after every valid batch was handed over.
    features.append({"type": "Feature", "id": "far", "properties": {},
                     "geometry": {"type": "LineString", "coordinates": [[70, 39], [700, 139]]}})
    path = _write(large / "bad.geojson", features)
    before = path.read_bytes()
    submitted = _count_batches(monkeypatch, 2)
    result = runner.invoke(main, ["measure", str(path), "--format", "csv"])
    assert len(submitted) >= 10  # the pipeline was running when the error came
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert str(path) in result.stderr and "out of range" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert _ahead_threads() == [] and measure_ahead._AHEAD == {}
    assert not (large / "cache").exists() or not any((large / "cache").glob("bad-*.parquet"))


def test_the_library_reader_raises_the_same_error_inside_the_pipeline(large):
    features = _features()
    features.insert(len(features) // 2, {"type": "Feature", "id": "nan", "properties": {},
                                         "geometry": {"type": "Point", "coordinates": [700, 139]}})
    path = _write(large / "bad.geojson", features)
    with pytest.raises(DataError) as plain:
        read_frame(path)
    with pytest.raises(DataError) as piped, measure_ahead.measuring_ahead(workers=2) as observe:
        read_frame(path, on_geometries=observe)
    assert str(piped.value) == str(plain.value) and piped.value.code == plain.value.code
    assert _ahead_threads() == [] and measure_ahead._AHEAD == {}


def test_the_reader_never_waits_and_each_thread_measures_one_batch_at_a_time(large, monkeypatch):
    # The background thread is held up: the read still returns, with every batch waiting; then
    # the calling thread and the background thread measure them, one batch each at a time.
    path = _write(large / "kg-tj.geojson", _features())
    gate = threading.Event()
    run = measure_ahead._Batch.run
    engine = geodesic.lengths_areas_m
    lock = threading.Lock()
    busy, most, measured_by = [0], [0], []

    def held(self):
        if threading.current_thread() is not threading.main_thread():
            gate.wait(60)
        run(self)

    def counted(geoms, workers=None):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
            measured_by.append(threading.current_thread().name)
        try:
            return engine(geoms, workers)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(measure_ahead._Batch, "run", held)
    monkeypatch.setattr(geodesic, "lengths_areas_m", counted)
    with measure_ahead.measuring_ahead(workers=2) as observe:
        frame = read_frame(path, on_geometries=observe)
        geoms = frame.geometry.values
        assert measured_by == []  # nothing measured yet, and the read did not wait for it
        assert measure_ahead.measured_ahead(geoms) == len(geoms)
        gate.set()
        lengths, areas = measure_ahead.lengths_areas_m(geoms)
    _wait_for_cache()
    assert len(measured_by) >= 10 and "MainThread" in measured_by
    assert most[0] <= 2  # one batch per thread
    expected = engine(geoms)
    assert lengths.tobytes() == expected[0].tobytes() and areas.tobytes() == expected[1].tobytes()


def test_without_simdjson_a_large_file_is_read_by_the_exact_reader(large, monkeypatch):
    # The reader warns that it falls back to the exact reader; it must then do so (it used to
    # raise ImportError). Nothing is handed over ahead: the exact reader builds no batches.
    import sys

    path = _write(large / "kg-tj.geojson", _features())
    expected = read_frame(path)
    _wait_for_cache()
    monkeypatch.setitem(sys.modules, "simdjson", None)
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(large / "other-cache"))
    seen: list[np.ndarray] = []
    frame = read_frame(path, on_geometries=seen.append)
    _wait_for_cache()
    assert seen == []
    assert frame["id"].tolist() == expected["id"].tolist()
    assert all(a.equals_exact(b, 0) for a, b in zip(frame.geometry, expected.geometry, strict=True))


@pytest.fixture
def parquet(large, monkeypatch):
    """The same features as a GeoParquet file, decoded in small batches."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(readers, "PARQUET_BATCH_BYTES", 16 << 10)
    frame = readers.read_frame(_write(large / "kg-tj.geojson", _features()))
    _wait_for_cache()
    path = large / "kg-tj.parquet"
    frame.to_parquet(path)
    return path


def test_geoparquet_geometries_are_handed_over_in_batches_as_decoded(parquet):
    seen = []
    read = readers.read_frame(parquet, on_geometries=seen.append)
    assert len(seen) >= 5
    handed = [g for batch in seen for g in batch]
    assert len(handed) == len(read) and all(a is b for a, b in zip(handed, read.geometry.values, strict=True))


def test_geoparquet_measured_ahead_gives_the_same_output(runner, parquet, monkeypatch):
    piped, batches = _run_measure(runner, parquet, 2, monkeypatch, parquet.parent / "c-piped")
    alone, none = _run_measure(runner, parquet, 1, monkeypatch, parquet.parent / "c-alone")
    assert batches >= 5 and none == 0
    assert piped == alone and len(piped.splitlines()) == len(_features()) + 1
    assert _ahead_threads() == [] and measure_ahead._AHEAD == {}


def test_geoparquet_refused_by_the_read_rules_after_measuring_ahead_exits_1(runner, large, monkeypatch):
    import geopandas as gpd
    import pandas as pd
    from shapely import LineString

    pytest.importorskip("pyarrow")
    monkeypatch.setattr(readers, "PARQUET_BATCH_BYTES", 16 << 10)
    frame = readers.read_frame(_write(large / "kg-tj.geojson", _features()))
    _wait_for_cache()
    far = gpd.GeoDataFrame({"id": ["far"]}, geometry=[LineString([(70, 39), (700, 139)])], crs=4326)
    path = large / "bad.parquet"
    gpd.GeoDataFrame(pd.concat([frame, far], ignore_index=True), crs=4326).to_parquet(path)
    before = path.read_bytes()
    monkeypatch.setattr(geodesic, "default_workers", lambda: 2)
    result = runner.invoke(main, ["measure", str(path), "--format", "csv"])
    assert result.exit_code == 1 and result.stdout == ""
    assert str(path) in result.stderr and "out of range" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert _ahead_threads() == [] and measure_ahead._AHEAD == {}
