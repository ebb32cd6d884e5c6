"""The fast GeoJSON reader (large files) reads and refuses exactly what the data-model reader does.

Every case is written to a file and read both ways: by ``bordermap.io.geojson.read_layer`` (the
small-file reader) and by ``bordermap.io.fastjson.parse_bytes`` (simdjson). The frames must be
equal geometry by geometry (exact coordinates, same types) and property by property, and a file
one refuses the other must refuse with the same message.
"""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import shapely

from bordermap.cli.main import main
from bordermap.errors import DataError
from bordermap.io import readers
from bordermap.io.fastjson import parse_bytes
from bordermap.io.geojson import read_layer

pytest.importorskip("simdjson")

SQUARE = [[70.0, 39.0], [71.0, 39.0], [71.0, 40.0], [70.0, 40.0], [70.0, 39.0]]
HOLE = [[70.2, 39.2], [70.2, 39.4], [70.4, 39.4], [70.2, 39.2]]

GOOD = [
    {"type": "Point", "coordinates": [71.5, 40.1]},
    {"type": "Point", "coordinates": [71.5, 40.1, 900]},
    {"type": "MultiPoint", "coordinates": [[71.5, 40.1], [-180, -90]]},
    {"type": "LineString", "coordinates": [[70, 39], [71.123456789012, 39.5]]},
    {"type": "MultiLineString", "coordinates": [[[70, 39], [71, 39]], [[72, 40], [73, 41], [74, 40]]]},
    {"type": "Polygon", "coordinates": [SQUARE, HOLE]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[0, 0], [1, 0], [1, 1], [0, 0]]]]},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]}]},
    {"type": "LineString", "coordinates": []},
    None,
]

BAD = {
    "out of range (700, 139)": {"type": "Point", "coordinates": [700, 139]},
    "out of range in a ring": {"type": "Polygon", "coordinates": [[[0, 0], [700, 0], [1, 1], [0, 0]]]},
    "unclosed ring": {"type": "Polygon", "coordinates": [SQUARE[:-1]]},
    "ring of 3": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
    "line of 1": {"type": "LineString", "coordinates": [[0, 0]]},
    "position of 1 number": {"type": "LineString", "coordinates": [[0, 0], [1]]},
    "positions 1 and 3 numbers": {"type": "LineString", "coordinates": [[0], [1, 2, 3]]},
    "position of 4 numbers": {"type": "Point", "coordinates": [1, 2, 3, 4]},
    "nested too deep": {"type": "LineString", "coordinates": [[0, 0], [[1, 1], [2, 2]]]},
    "number above positions": {"type": "Polygon", "coordinates": [[[0, 0], 5, [1, 1], [0, 0]]]},
    "strings": {"type": "Point", "coordinates": ["71.5", "40.1"]},
    "null in a position": {"type": "LineString", "coordinates": [[0, 0], [1, None]]},
    "unknown type": {"type": "Circle", "coordinates": [0, 0]},
    "no coordinates": {"type": "Polygon"},
}


def collection(geoms, **members):
    features = [
        {"type": "Feature", "id": f"f{i}", "properties": {"n": i, "tags": ["a", i]}, "geometry": g}
        for i, g in enumerate(geoms)
    ]
    return {"type": "FeatureCollection", **members, "features": features}


def both(tmp_path: Path, text: str):
    path = tmp_path / "x.geojson"
    path.write_text(text, encoding="utf-8")
    results = []
    for read in (read_layer, lambda p: parse_bytes(p.read_bytes(), p)):
        try:
            results.append(read(path))
        except DataError as exc:
            results.append(str(exc))
    return results


def test_valid_geometries_read_identically(tmp_path):
    exact, fast = both(tmp_path, json.dumps(collection(GOOD)))
    assert list(exact.columns) == list(fast.columns)
    assert exact.drop(columns="geometry").to_dict("records") == fast.drop(columns="geometry").to_dict("records")
    for a, b in zip(exact.geometry.values, fast.geometry.values, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.geom_type == b.geom_type
            assert shapely.equals_exact(a, b, tolerance=0) or (a.is_empty and b.is_empty)
            assert shapely.has_z(a) == shapely.has_z(b)


def test_many_features_in_several_batches(tmp_path, monkeypatch):
    from bordermap.io import fastjson

    monkeypatch.setattr(fastjson, "BATCH_BYTES", 200)
    geoms = [g for g in GOOD if g is not None] * 30
    exact, fast = both(tmp_path, json.dumps(collection(geoms)))
    assert len(fast) == len(geoms)
    assert all(
        shapely.equals_exact(a, b, tolerance=0) or (a.is_empty and b.is_empty)
        for a, b in zip(exact.geometry.values, fast.geometry.values, strict=True)
    )


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_geometries_refused_with_the_same_message(tmp_path, case):
    # The bad geometry among good ones, so the fast path has to single it out.
    exact, fast = both(tmp_path, json.dumps(collection([GOOD[5], BAD[case], GOOD[0]])))
    assert isinstance(exact, str) and "#1" not in exact and ":f1 " in exact
    assert fast == exact


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": {"type": "Point", "coordinates": [NaN, 1]}}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": {"type": "Point", "coordinates": [1e400, 1]}}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"x": Infinity},'
        ' "geometry": null}]}',
        '{"type": "FeatureCollection", "features": [}',
        '{"type": "Feature", "properties": {}, "geometry": null}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": [1],'
        ' "geometry": null}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": [1, 2]}]}',
        '{"type": "FeatureCollection", "features": [3]}',
    ],
)
def test_bad_documents_refused_with_the_same_message(tmp_path, text):
    exact, fast = both(tmp_path, text)
    assert isinstance(exact, str) and fast == exact


def test_projected_crs_member_refused(tmp_path):
    crs = {"type": "name", "properties": {"name": "EPSG:32642"}}
    exact, fast = both(tmp_path, json.dumps(collection([GOOD[0]], crs=crs)))
    assert "crs member names EPSG:32642" in exact and fast == exact


def test_big_integers_in_properties_are_refused_like_the_exact_reader(tmp_path):
    # Integers beyond ±(2**53 - 1) are no JSON number every reader agrees on (RFC 8259 §6).
    text = json.dumps(collection([GOOD[0]])).replace('"n": 0', '"n": ' + "9" * 40)
    exact, fast = both(tmp_path, text)
    assert isinstance(exact, str) and "beyond" in exact and fast == exact


@pytest.mark.parametrize(
    "geometry, crs",
    [
        ({"type": "Point", "coordinates": [700, 139]}, None),
        ({"type": "Point", "coordinates": [70, 39]}, {"type": "name", "properties": {"name": "EPSG:3857"}}),
    ],
)
def test_measure_refuses_the_same_at_every_size(runner, tmp_path, monkeypatch, geometry, crs):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "big.geojson"
    text = json.dumps(collection([geometry], **({"crs": crs} if crs else {})))
    path.write_text(text)
    outcomes = []
    for threshold in (10**12, 1):  # the data-model reader, then the large-file reader
        monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", threshold)
        result = runner.invoke(main, ["measure", str(path)])
        outcomes.append((result.exit_code, result.output))
    assert outcomes[0][0] == outcomes[1][0] == 1
    assert all(str(path) in out and "Traceback" not in out for _, out in outcomes)
    assert path.read_text() == text  # input untouched
    assert not list((tmp_path / "cache").glob("*.parquet"))


def test_nan_literal_refused_by_measure_at_every_size(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "nan.geojson"
    path.write_text(json.dumps(collection([GOOD[0]])).replace("71.5", "NaN"))
    for threshold in (10**12, 1):
        monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", threshold)
        result = runner.invoke(main, ["measure", str(path)])
        assert result.exit_code == 1 and "NaN is not a JSON number" in result.output


def test_memory_estimate_refuses_only_what_does_not_fit(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    path = tmp_path / "w.geojson"
    path.write_text(json.dumps(collection([GOOD[5]])))
    need = readers.read_memory_estimate(path)
    assert need >= path.stat().st_size
    monkeypatch.setenv("BORDERMAP_MEMORY_MB", str(need / 2 / 1e6))
    refused = runner.invoke(main, ["measure", str(path)])
    assert refused.exit_code == 1 and "too-large" not in refused.output
    assert "needs about" in refused.output and "BORDERMAP_MEMORY_MB" in refused.output
    monkeypatch.setenv("BORDERMAP_MEMORY_MB", str(need * 2 / 1e6))
    assert runner.invoke(main, ["measure", str(path)]).exit_code == 0
    monkeypatch.setenv("BORDERMAP_MEMORY_MB", "lots")
    assert runner.invoke(main, ["measure", str(path)]).exit_code == 2


def test_ring_structure_recorded_while_parsing_is_the_wkb_one():
    # Polygons with many rings (an archipelago with lakes, a holed Polygon) and with few: the ring
    # structure recorded from the ragged arrays must be exactly what the WKB headers give, and
    # so must every measurement built on it.
    import numpy as np

    from bordermap.geodesic import lengths_areas_m
    from bordermap.io import fastjson

    # The rings module the reader records into (pytest's doctest collection may import
    # bordermap.rings a second time under the same name).
    rings = SimpleNamespace(**fastjson.remember_rings.__globals__)

    def square(x, y, size, reverse=False):
        ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
        return ring[::-1] if reverse else ring

    islands = [
        [square(70 + i / 10, 40, 0.05)] + ([square(70 + i / 10 + 0.01, 40.01, 0.01, True)] if i % 3 == 0 else [])
        for i in range(45)
    ]
    holed = [square(60, 30, 5)] + [square(60.1 + i / 10, 31, 0.05, True) for i in range(40)]
    features = [
        {"type": "Feature", "properties": {"n": 0}, "geometry": {"type": "MultiPolygon", "coordinates": islands}},
        {"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
        {"type": "Feature", "properties": {"n": 2}, "geometry": {"type": "Polygon", "coordinates": holed}},
        {"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "MultiPolygon", "coordinates": islands[:3]}},
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    geoms = parse_bytes(text, Path("x.geojson")).geometry.to_numpy()
    recorded = [rings._DECODED.get(g) is not None for g in geoms]
    assert recorded == [True, False, True, False]  # fewer than REMEMBER_MIN_RINGS: not recorded
    for got, wkb in zip(rings.polygon_rings(geoms), rings._from_wkb(geoms), strict=True):
        assert np.array_equal(got, wkb)
    again = shapely.from_wkb(shapely.to_wkb(geoms))  # the same shapes, no record
    assert not any(rings._DECODED.get(g) is not None for g in again)
    for a, b in zip(lengths_areas_m(geoms, workers=1), lengths_areas_m(again, workers=1), strict=True):
        assert np.array_equal(a, b)
