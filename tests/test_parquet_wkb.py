"""GeoParquet read with pyarrow, keeping the WKB of large geometries for the ring engine.

The frame must be what ``geopandas.read_parquet`` gives (same rows, geometries, columns, index,
CRS, attrs; the same filters), the WKB kept must be the bytes in the file, and measuring must
give the same numbers, bit for bit, whether the engine walks the kept WKB or WKB shapely writes.
"""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import MultiPolygon, Polygon, box

from bordermap.geodesic import lengths_areas_m
from bordermap.io import readers
from bordermap.io.readers import read_frame
from bordermap.rings import REMEMBER_MIN_WKB_BYTES, recalled_wkb

pytest.importorskip("pyarrow")
pytestmark = pytest.mark.usefixtures("each_engine")


def ring(lon, lat, radius, n):
    return [(lon + radius * math.cos(2 * math.pi * k / n), lat + radius * math.sin(2 * math.pi * k / n))
            for k in range(n)]


def islands(lon, lat, count):
    """A MultiPolygon of ``count`` small islands, some with a lake: large WKB."""
    parts = []
    for i in range(count):
        x, y = lon + (i % 20) * 0.05, lat + (i // 20) * 0.05
        shell = ring(x, y, 0.02, 24)
        parts.append(Polygon(shell, [ring(x, y, 0.005, 8)[::-1]] if i % 3 == 0 else []))
    return MultiPolygon(parts)


@pytest.fixture
def frame():
    return gpd.GeoDataFrame(
        {"A3": ["KGZ", "TJK", "FRA", "NUL"], "n": [1, 2, 3, 4]},
        geometry=[islands(70, 39, 200), box(70, 38, 71, 39), islands(2, 46, 120), None],
        crs=4326,
        index=[10, 11, 12, 13],
    )


@pytest.mark.parametrize("covering", [True, False])
@pytest.mark.parametrize(
    ("bbox", "match"), [(None, None), ((69.5, 38.5, 71.5, 40.5), None), (None, ("A3", ["FRA", "TJK"]))]
)
def test_the_frame_is_geopandas_own(frame, tmp_path, covering, bbox, match):
    path = tmp_path / "w.parquet"
    frame.attrs = {"note": "kept"}
    frame.to_parquet(path, write_covering_bbox=covering)
    ours = readers._read_parquet(path, bbox if covering else None, match)
    filters = [(match[0], "in", match[1])] if match else None
    theirs = gpd.read_parquet(path, bbox=bbox if covering else None, filters=filters)
    assert list(ours.columns) == list(theirs.columns) and ours.index.equals(theirs.index)
    assert ours.crs == theirs.crs and ours.attrs == theirs.attrs == {"note": "kept"}
    assert ours.drop(columns="geometry").equals(theirs.drop(columns="geometry"))
    assert ours.geometry.isna().tolist() == theirs.geometry.isna().tolist()
    present = ~theirs.geometry.isna().to_numpy()
    assert present.any()
    assert shapely.equals_exact(ours.geometry.values[present], theirs.geometry.values[present], 0).all()


def test_large_geometries_keep_the_files_wkb_and_measure_the_same(frame, tmp_path):
    path = tmp_path / "w.parquet"
    frame.to_parquet(path)
    read = read_frame(path)
    kept = recalled_wkb(read.geometry.values)
    large = [len(shapely.to_wkb(g)) >= REMEMBER_MIN_WKB_BYTES if g is not None else False for g in read.geometry]
    assert [k is not None for k in kept] == large == [True, False, True, False]
    for geom, wkb in zip(read.geometry, kept, strict=True):
        if wkb is not None:
            assert bytes(wkb) == shapely.to_wkb(geom)  # the file's bytes: geopandas wrote them so
    from_file = lengths_areas_m(read.geometry.values)
    fresh = lengths_areas_m(shapely.from_wkb(shapely.to_wkb(read.geometry.values)))
    assert np.array_equal(from_file[0], fresh[0]) and np.array_equal(from_file[1], fresh[1])
    assert from_file[1][0] > 0 and from_file[1][3] == 0


@pytest.mark.parametrize("kind", ["big-endian", "3D"])
def test_wkb_the_engine_cannot_walk_is_written_again(frame, tmp_path, kind):
    if kind == "3D":
        frame = frame.set_geometry(shapely.force_3d(frame.geometry.values, 5.0), crs=4326)
    path = tmp_path / "w.parquet"
    frame.to_parquet(path)
    read = read_frame(path)
    if kind == "big-endian":  # what another writer could have put in the file
        for geom, wkb in zip(read.geometry, recalled_wkb(read.geometry.values), strict=True):
            if wkb is not None:
                from bordermap.rings import remember_wkb

                remember_wkb(geom, memoryview(shapely.to_wkb(geom, byte_order=0)))
    measured = lengths_areas_m(read.geometry.values)
    expected = lengths_areas_m(shapely.from_wkb(shapely.to_wkb(shapely.force_2d(read.geometry.values))))
    assert np.array_equal(measured[0], expected[0]) and np.array_equal(measured[1], expected[1])


@pytest.mark.parametrize("shape", ["named-index", "geometry-first", "geometry-last"])
def test_column_order_and_index_are_geopandas_own(frame, tmp_path, shape):
    if shape == "named-index":
        frame = frame.rename_axis("key")
    elif shape == "geometry-first":
        frame = frame[["geometry", "A3", "n"]]
    else:
        frame = frame[["A3", "n", "geometry"]]
    path = tmp_path / "w.parquet"
    frame.to_parquet(path)
    ours, theirs = readers._read_parquet(path, None, None), gpd.read_parquet(path)
    assert list(ours.columns) == list(theirs.columns) and ours.index.equals(theirs.index)
    assert ours.index.name == theirs.index.name and ours.geometry.name == theirs.geometry.name
