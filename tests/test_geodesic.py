"""bordermap.geodesic against GeographicLib (an independent implementation of Karney's method)."""

import math

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon

from bordermap.geodesic import areas_m2, lengths_m

WGS84 = Geodesic.WGS84
# Every test runs with the compiled ring engine and with pyproj alone (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("each_engine")
ONE_ENGINE = [HealthCheck.function_scoped_fixture]  # the engine is chosen once per test, not per example


def ref_length(coords):
    pairs = zip(coords[:-1], coords[1:], strict=True)
    return sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in pairs)


def ref_ring(coords):
    """|area| and perimeter of a ring (closing vertex dropped), from GeographicLib's PolygonArea."""
    poly = WGS84.Polygon()
    for lon, lat in coords[:-1] if coords[0] == coords[-1] else coords:
        poly.AddPoint(lat, lon)
    _, perimeter, area = poly.Compute(False, True)
    return abs(area), perimeter


def close_len(value, expected):
    assert abs(value - expected) <= max(1e-3, 1e-9 * expected), (value, expected)


def close_area(value, expected):
    assert abs(value - expected) <= max(1.0, 1e-9 * expected), (value, expected)


LINES = [
    [(0, 0), (1, 0)],
    [(70.5, 39.9), (70.7, 40.0), (71.2, 39.8), (71.25, 39.81)],
    [(0, -89), (180, -89)],  # across the south pole region
    [(-179.5, 10), (179.5, 10)],  # across the antimeridian the short way
    [(10, 0), (10, 80)],  # along a meridian
    [(0, 0), (0.000001, 0.000001)],  # millimetres
]


@pytest.mark.parametrize("coords", LINES)
def test_line_lengths(coords):
    close_len(float(lengths_m([LineString(coords)])[0]), ref_length(coords))


def test_multilinestring_is_the_sum_of_its_parts():
    parts = [LINES[0], LINES[1]]
    close_len(float(lengths_m([MultiLineString(parts)])[0]), sum(ref_length(p) for p in parts))


def test_points_and_null_measure_zero():
    assert list(lengths_m([Point(1, 2), None])) == [0.0, 0.0]
    assert list(areas_m2([LineString(LINES[1]), Point(1, 2)])) == [0.0, 0.0]


SHELL = [(70.0, 39.5), (71.0, 39.5), (71.0, 40.5), (70.0, 40.5), (70.0, 39.5)]
HOLE = [(70.2, 39.7), (70.2, 40.0), (70.5, 40.0), (70.5, 39.7), (70.2, 39.7)]


def test_polygon_with_hole_area_and_perimeter():
    shell_area, shell_perimeter = ref_ring(SHELL)
    hole_area, hole_perimeter = ref_ring(HOLE)
    polygon = Polygon(SHELL, [HOLE])
    close_area(float(areas_m2([polygon])[0]), shell_area - hole_area)
    # The perimeter includes the hole's perimeter (docs/measurement.md).
    close_len(float(lengths_m([polygon])[0]), shell_perimeter + hole_perimeter)


def test_multipolygon_is_the_sum_of_its_parts():
    other = [(72.0, 41.0), (72.5, 41.0), (72.5, 41.2), (72.0, 41.0)]
    multi = MultiPolygon([Polygon(SHELL, [HOLE]), Polygon(other)])
    expected = ref_ring(SHELL)[0] - ref_ring(HOLE)[0] + ref_ring(other)[0]
    close_area(float(areas_m2([multi])[0]), expected)
    perimeter = ref_ring(SHELL)[1] + ref_ring(HOLE)[1] + ref_ring(other)[1]
    close_len(float(lengths_m([multi])[0]), perimeter)


def test_orientation_and_start_vertex_do_not_matter():
    ring = SHELL[:-1]
    variants = [ring, ring[::-1], ring[2:] + ring[:2], (ring[::-1])[1:] + (ring[::-1])[:1]]
    areas = areas_m2([Polygon(v) for v in variants])
    lengths = lengths_m([Polygon(v) for v in variants])
    expected_area, expected_perimeter = ref_ring(SHELL)
    for area, length in zip(areas, lengths, strict=False):
        close_area(float(area), expected_area)
        close_len(float(length), expected_perimeter)


def test_large_polygon():
    # A quarter of the northern hemisphere between 0° and 90°E (GeographicLib handles it exactly).
    ring = [(0, 0), (90, 0), (90, 60), (0, 60), (0, 0)]
    close_area(float(areas_m2([Polygon(ring)])[0]), ref_ring(ring)[0])


coordinate = st.tuples(st.floats(60, 80), st.floats(30, 50))


@settings(max_examples=40, deadline=None, suppress_health_check=ONE_ENGINE)
@given(st.lists(coordinate, min_size=2, max_size=12, unique=True))
def test_random_lines_match_geographiclib(coords):
    close_len(float(lengths_m([LineString(coords)])[0]), ref_length(coords))


@settings(max_examples=40, deadline=None, suppress_health_check=ONE_ENGINE)
@given(
    st.floats(60, 80),
    st.floats(-60, 60),
    st.lists(st.floats(0.01, 2.0), min_size=3, max_size=10),
    st.floats(0, 2 * math.pi),
)
def test_random_star_polygons_match_geographiclib(lon, lat, radii, phase):
    step = 2 * math.pi / len(radii)
    ring = [
        (lon + r * math.cos(phase + i * step), lat + r * math.sin(phase + i * step))
        for i, r in enumerate(radii)
    ]
    polygon = Polygon(ring)
    if not polygon.is_valid:
        return
    area, perimeter = ref_ring(ring)
    close_area(float(areas_m2([polygon])[0]), area)
    close_len(float(lengths_m([polygon])[0]), perimeter)
