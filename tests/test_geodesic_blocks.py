"""The chained, threaded polygon path of bordermap.geodesic against GeographicLib ring by ring.

Geometries with many small rings (measured in chains), rings of either orientation, rings that
cross the antimeridian or sit near a pole (measured one by one), and mixed inputs; the reference
is GeographicLib's PolygonArea on each ring separately (|exterior| − |holes|).
"""

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from bordermap import geodesic
from bordermap.geodesic import lengths_areas_m

WGS84 = Geodesic.WGS84
# Every test runs with the compiled ring engine and with pyproj alone (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("each_engine")


def ref_ring(coords):
    poly = WGS84.Polygon()
    for lon, lat in coords[:-1]:
        poly.AddPoint(lat, lon)
    _, perimeter, area = poly.Compute(False, True)
    return abs(area), perimeter


def ref_geometry(geom):
    """(perimeter, area) of a (Multi)Polygon, ring by ring with GeographicLib."""
    polygons = getattr(geom, "geoms", [geom])
    area = perimeter = 0.0
    for polygon in polygons:
        a, p = ref_ring(list(polygon.exterior.coords))
        area, perimeter = area + a, perimeter + p
        for hole in polygon.interiors:
            a, p = ref_ring(list(hole.coords))
            area, perimeter = area - a, perimeter + p
    return perimeter, area


def circle(lon, lat, radius, n, clockwise=False):
    steps = range(n)[::-1] if clockwise else range(n)
    ring = [
        (lon + radius * math.cos(2 * math.pi * i / n), lat + radius * math.sin(2 * math.pi * i / n))
        for i in steps
    ]
    return ring + ring[:1]


def archipelago(seed, islands=60):
    """Islands (some with lakes) of random orientation scattered over the Pacific."""
    rng = np.random.default_rng(seed)
    polygons = []
    for _ in range(islands):
        lon, lat = rng.uniform(140, 200), rng.uniform(-40, 40)
        lon = lon - 360 if lon > 180 else lon
        radius = rng.uniform(1e-4, 0.5)
        shell = circle(lon, lat, radius, int(rng.integers(3, 40)), clockwise=bool(rng.integers(2)))
        holes = (
            [
                circle(
                    lon + radius / 3 * k,
                    lat,
                    radius / 8,
                    int(rng.integers(3, 9)),
                    clockwise=bool(rng.integers(2)),
                )
                for k in (-1, 1)
            ]
            if rng.random() < 0.5
            else []
        )
        polygons.append(Polygon(shell, holes))
    return MultiPolygon(polygons)


def assert_close(got, expected):
    perimeter, area = expected
    assert abs(got[0] - perimeter) <= 1e-9 * perimeter, (got, expected)
    assert abs(got[1] - area) <= max(1e-9 * area, 1e-6), (got, expected)


@pytest.mark.parametrize("seed", range(4))
def test_chained_rings_match_geographiclib_ring_by_ring(seed):
    geom = archipelago(seed)
    lengths, areas = lengths_areas_m([geom], workers=1)
    assert_close((lengths[0], areas[0]), ref_geometry(geom))


def test_many_blocks_and_threads_give_the_same_numbers(monkeypatch):
    geoms = [archipelago(seed, islands=40) for seed in range(6)]
    expected = [ref_geometry(g) for g in geoms]
    serial = lengths_areas_m(geoms, workers=1)
    # Tiny blocks and no thread threshold: every geometry is split over several threaded blocks.
    monkeypatch.setattr(geodesic, "BLOCK_VERTICES", 50)
    monkeypatch.setattr(geodesic, "THREAD_MIN_VERTICES", 0)
    threaded = lengths_areas_m(geoms, workers=3)
    for i, ref in enumerate(expected):
        assert_close((threaded[0][i], threaded[1][i]), ref)
        assert_close((serial[0][i], serial[1][i]), ref)


def test_chunks_measured_in_threads_are_bit_identical_to_one_pass(monkeypatch):
    # Small chunks: several threads measure whole chunks at once (one of them a geometry larger
    # than its share, which is measured with every thread); every number must be the one pass's.
    geoms = [archipelago(seed, islands=20 + 10 * seed) for seed in range(7)]
    geoms.insert(3, LineString([(70 + i / 100, 40 + (i % 7) / 100) for i in range(300)]))
    monkeypatch.setattr(geodesic, "BLOCK_VERTICES", 64)
    one_pass = lengths_areas_m(geoms, workers=1)
    sizes = shapely.get_num_coordinates(np.asarray(geoms, dtype=object))
    monkeypatch.setattr(geodesic, "CHUNK_VERTICES", int(sizes.max()) // 2)
    monkeypatch.setattr(geodesic, "THREAD_MIN_VERTICES", 0)
    for workers in (1, 2, 3):
        chunked = lengths_areas_m(geoms, workers=workers)
        assert np.array_equal(chunked[0], one_pass[0]) and np.array_equal(chunked[1], one_pass[1])
    assert all(a > 0 for a in one_pass[1][[0, 1, 2, 4, 5, 6, 7]]) and one_pass[1][3] == 0


def test_rings_that_cannot_be_chained_are_measured_alone():
    across = [(179.5, -17.0), (-179.5, -17.0), (-179.5, -16.0), (179.5, -16.0), (179.5, -17.0)]
    polar = circle(0, 89.5, 0.3, 12)
    wide = [(0, 0), (40, 0), (40, 30), (0, 30), (0, 0)]  # too large for lon/lat orientation
    big = circle(70, 40, 1, 2000, clockwise=True)  # too many vertices for a chain
    small = circle(70.5, 40.2, 0.01, 6)
    geom = MultiPolygon(
        [
            Polygon(across),
            Polygon(polar),
            Polygon(wide),
            Polygon(big, [small[::-1]]),
            Polygon(circle(72, 41, 0.02, 5)),
        ]
    )
    lengths, areas = lengths_areas_m([geom], workers=1)
    assert_close((lengths[0], areas[0]), ref_geometry(geom))


def test_mixed_inputs_keep_their_order():
    line = LineString([(0, 0), (1, 0)])
    polygon = Polygon(circle(10, 10, 0.1, 8))
    collection = GeometryCollection([line, polygon])
    lengths, areas = lengths_areas_m(
        [polygon, None, line, Point(3, 3), collection, Polygon(), archipelago(9)]
    )
    line_length = WGS84.Inverse(0, 0, 0, 1)["s12"]
    perimeter, area = ref_geometry(polygon)
    assert_close((lengths[0], areas[0]), (perimeter, area))
    assert list(lengths[[1, 3, 5]]) == [0.0, 0.0, 0.0] and list(areas[[1, 2, 3, 5]]) == [0.0] * 4
    assert abs(lengths[2] - line_length) < 1e-6
    assert_close((lengths[4], areas[4]), (perimeter + line_length, area))
    assert_close((lengths[6], areas[6]), ref_geometry(archipelago(9)))
