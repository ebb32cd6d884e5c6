"""Large-input readers: GeoParquet, FlatGeobuf and cached GeoJSON, with bbox and field filters,
read back the same features and measure the same (GeographicLib reference) in every format."""

import json
import os
import threading

import geopandas as gpd
import pyogrio
import pytest
from geographiclib.geodesic import Geodesic
from shapely import box

from bordermap.cli.main import main
from bordermap.errors import UsageError
from bordermap.io import readers
from bordermap.io.readers import cache_path, read_frame

pytest.importorskip("pyarrow")  # GeoParquet (the ``bench`` extra)

CELLS = {"KGZ": (70, 39, 71, 40), "TJK": (70, 38, 71, 39), "FRA": (2, 46, 3, 47)}


def cell_area_km2(west, south, east, north):
    poly = Geodesic.WGS84.Polygon()
    for lon, lat in ((west, south), (east, south), (east, north), (west, north)):
        poly.AddPoint(lat, lon)
    return abs(poly.Compute(False, True)[2]) / 1e6


@pytest.fixture
def world(tmp_path, monkeypatch):
    """The same three cells as GeoJSON (counted as large), GeoParquet and FlatGeobuf."""
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    frame = gpd.GeoDataFrame(
        {"A3": list(CELLS), "tags": [["a", "b"], ["c"], []]},
        geometry=[box(*b) for b in CELLS.values()],
        crs=4326,
    )
    paths = {
        "geojson": tmp_path / "w.geojson",
        "parquet": tmp_path / "w.parquet",
        "fgb": tmp_path / "w.fgb",
    }
    frame.to_file(paths["geojson"], driver="GeoJSON")
    frame.to_parquet(paths["parquet"])
    pyogrio.write_dataframe(frame.drop(columns="tags"), paths["fgb"])
    return paths


@pytest.mark.parametrize("fmt", ["geojson", "parquet", "fgb"])
def test_every_format_reads_and_filters_the_same(world, fmt):
    whole = read_frame(world[fmt])
    assert sorted(whole["A3"]) == sorted(CELLS) and whole.crs == "EPSG:4326"
    assert {"id", "kind"} <= set(whole.columns)
    only = read_frame(world[fmt], match=("A3", ["KGZ", "FRA"]))
    assert sorted(only["A3"]) == ["FRA", "KGZ"]
    boxed = read_frame(world[fmt], bbox=(69.5, 39.2, 70.5, 39.8))
    assert list(boxed["A3"]) == ["KGZ"]


def _wait_for_cache():
    for thread in threading.enumerate():
        if thread.name == "bordermap-cache":
            thread.join()


def test_large_geojson_is_parsed_once_and_cached_by_content(world, monkeypatch):
    path = world["geojson"]
    first = read_frame(path)
    _wait_for_cache()
    cached = cache_path(path)
    assert cached.is_file() and cached.parent == readers.cache_dir()
    assert first.loc[first["A3"] == "KGZ", "tags"].iloc[0] == ["a", "b"]  # lists stay lists

    def no_parse(*args, **kwargs):
        raise AssertionError("the GeoJSON was parsed again")

    monkeypatch.setattr(readers, "parse_bytes", no_parse)
    again = read_frame(path)
    assert again["A3"].tolist() == first["A3"].tolist()
    assert again.loc[again["A3"] == "KGZ", "tags"].iloc[0] == ["a", "b"]
    monkeypatch.undo()
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(cached.parent))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    # An edit in place that keeps the size and the modification time is still a new entry
    # (issue #16 class 8: a path+size+mtime key gave the stale answer).
    stat = path.stat()
    text = path.read_text()
    edited = text.replace('"FRA"', '"FRX"')
    assert edited != text and len(edited) == len(text)
    path.write_text(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert cache_path(path) != cached
    assert sorted(read_frame(path)["A3"]) == ["FRX", "KGZ", "TJK"]


def test_a_bad_cache_record_is_a_miss(world, caplog):
    path = world["geojson"]
    read_frame(path)
    _wait_for_cache()
    cached = cache_path(path)
    # A corrupted record, then a planted one (valid GeoParquet, other content): both are misses.
    cached.write_bytes(b"PAR1 not really")
    assert sorted(read_frame(path)["A3"]) == sorted(CELLS)
    _wait_for_cache()
    planted = gpd.GeoDataFrame({"A3": ["XXX"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    planted.to_parquet(cached)
    assert sorted(read_frame(path)["A3"]) == sorted(CELLS)


def test_unknown_format_and_unknown_field_are_usage_errors(world, tmp_path):
    odd = tmp_path / "w.shp.zip"
    odd.write_bytes(b"x")
    with pytest.raises(UsageError, match="unknown format"):
        read_frame(odd)
    with pytest.raises(UsageError, match="--filter"):
        read_frame(world["parquet"], match=("ISO", ["KGZ"]))


@pytest.mark.parametrize("fmt", ["geojson", "parquet", "fgb"])
def test_measure_command_on_plain_files(runner, world, fmt):
    result = runner.invoke(
        main,
        ["measure", str(world[fmt]), "--filter", "A3=KGZ,TJK", "--by", "A3", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    rows = {r["A3"]: r for r in json.loads(result.output)}
    assert sorted(rows) == ["KGZ", "TJK"]
    for name in rows:
        assert rows[name]["area_km2"] == pytest.approx(cell_area_km2(*CELLS[name]), rel=1e-9)


def test_measure_rejects_a_bad_bbox(runner, world):
    result = runner.invoke(main, ["measure", str(world["fgb"]), "--bbox", "10,5,0,6"])
    assert result.exit_code == 2 and "WEST < EAST" in result.output


def test_columnar_files_are_held_to_the_read_rules(runner, tmp_path):
    # A GeoParquet or FlatGeobuf file is refused for what a GeoJSON file is refused for: a
    # vertex at (700, 139), projected metres without a CRS, a NaN coordinate (exit 1, file and
    # feature named, input untouched).
    import numpy as np
    from shapely import LineString

    cases = {
        "far": (LineString([(70, 39), (700, 139)]), 4326, "coordinates-out-of-range", "out of range"),
        "metres": (LineString([(512_000, 4_400_000), (513_000, 4_400_000)]), None,
                   "coordinates-out-of-range", "projected metres"),
        "nan": (LineString([(70, 39), (np.nan, 39)]), 4326, "coordinates-not-finite", "NaN"),
    }
    for name, (geom, crs, code, words) in cases.items():
        frame = gpd.GeoDataFrame({"id": ["ok", name]}, geometry=[box(70, 39, 71, 40), geom], crs=crs)
        for suffix in (".parquet", ".fgb"):
            path = tmp_path / f"{name}{suffix}"
            if suffix == ".parquet":
                frame.to_parquet(path)
            else:
                frame.to_file(path)
            before = path.read_bytes()
            result = runner.invoke(main, ["measure", str(path), "--format", "json"])
            assert result.exit_code == 1, (suffix, result.output)
            assert f"{path}:{name}: " in result.output and f"[{code}]" in result.output, result.output
            assert words in result.output and "Traceback" not in result.output
            assert path.read_bytes() == before
    fine = tmp_path / "fine.parquet"
    gpd.GeoDataFrame({"id": ["ok"]}, geometry=[box(70, 39, 71, 40)], crs=4326).to_parquet(fine)
    records = json.loads(runner.invoke(main, ["measure", str(fine), "--format", "json"]).output)
    ring = Geodesic.WGS84.Polygon()
    for lat, lon in ((39, 70), (39, 71), (40, 71), (40, 70)):
        ring.AddPoint(lat, lon)
    assert records[0]["area_km2"] == pytest.approx(abs(ring.Compute()[2]) / 1e6, rel=1e-9)


def test_frame_problems_find_a_bad_vertex_in_any_geometry_type():
    # Checked per geometry without copying coordinates: a NaN or infinite vertex in a point, a
    # multipoint, a line, a ring or a collection; empty and missing geometries are fine.
    import numpy as np
    from shapely import GeometryCollection, LineString, MultiPoint, Point, Polygon

    from bordermap.io.geojson import frame_problems

    nan, inf = np.nan, np.inf
    bad = {
        "point": Point(nan, 40),
        "multipoint": MultiPoint([(70, 40), (70, inf)]),
        "line": LineString([(70, 40), (71, nan), (72, 41)]),
        "ring": Polygon([(70, 40), (71, 40), (71, inf), (70, 40)]),
        "collection": GeometryCollection([Point(70, 40), Point(nan, nan)]),
    }
    fine = [Point(70, 40), LineString(), None, box(70, 39, 71, 40)]
    for name, geom in bad.items():
        frame = gpd.GeoDataFrame({"id": ["a", "b", "c", "d", name]}, geometry=[*fine, geom], crs=4326)
        assert [(label, code) for label, code, _ in frame_problems(frame)] == [
            (name, "coordinates-not-finite")
        ], name
    frame = gpd.GeoDataFrame({"id": ["a", "b", "c", "d"]}, geometry=fine, crs=4326)
    assert frame_problems(frame) == []
    far = gpd.GeoDataFrame({"id": ["p", "q"]}, geometry=[Point(nan, 0), MultiPoint([(0, 0), (-181, 3)])], crs=4326)
    problems = frame_problems(far)
    assert [(label, code) for label, code, _ in problems] == [
        ("p", "coordinates-not-finite"), ("q", "coordinates-out-of-range")
    ]
    assert "|x| up to 181" in problems[1][2]


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_arrow_allocates_with_malloc_unless_the_environment_chose(chosen, expected):
    # Loading bordermap picks Arrow's pool before pyarrow is loaded (settings.prefer_system_allocator);
    # a pool chosen in the environment is kept.
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    code = "import bordermap, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
