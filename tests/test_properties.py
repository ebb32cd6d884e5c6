"""Property-based tests (Hypothesis) of the measurement invariants; example counts kept modest."""

import math

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely import LineString, Point, Polygon

from bordermap.chainage import Chainage
from bordermap.geodesic import areas_m2, lengths_m
from bordermap.maps.encode import QUANTUM, TOLERANCE_M, encode

WGS84 = Geodesic.WGS84
FAST = settings(max_examples=30, deadline=None)


def close(a, b, absolute):
    assert abs(a - b) <= max(absolute, 1e-9 * abs(b)), (a, b)


@st.composite
def monotone_lines(draw, min_size=3, max_size=15):
    """Lines in Central Asia whose longitude increases: they never cross themselves."""
    n = draw(st.integers(min_size, max_size))
    lon0, lat0 = draw(st.floats(65, 78)), draw(st.floats(36, 44))
    steps = draw(st.lists(st.floats(0.001, 0.3), min_size=n - 1, max_size=n - 1))
    lats = draw(st.lists(st.floats(-0.3, 0.3), min_size=n - 1, max_size=n - 1))
    lons = lon0 + np.r_[0, np.cumsum(steps)]
    return LineString(np.column_stack([lons, lat0 + np.r_[0, lats]]))


@FAST
@given(monotone_lines(), st.data())
def test_length_is_additive_over_splits_at_vertices(line, data):
    coords = list(line.coords)
    k = data.draw(st.integers(1, len(coords) - 2))
    whole, first, second = lengths_m([line, LineString(coords[: k + 1]), LineString(coords[k:])])
    close(float(whole), float(first + second), 1e-3)


@FAST
@given(monotone_lines(min_size=2), st.floats(0.05, 0.95))
def test_length_is_additive_over_a_split_inside_a_segment(line, t):
    # The split point lies on the geodesic of the first segment (found with GeographicLib).
    (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[1]
    geodesic = WGS84.InverseLine(lat1, lon1, lat2, lon2)
    mid = geodesic.Position(t * geodesic.s13)
    split = (mid["lon2"], mid["lat2"])
    rest = list(line.coords)[1:]
    whole, first, second = lengths_m(
        [line, LineString([line.coords[0], split]), LineString([split, *rest])]
    )
    close(float(whole), float(first + second), 1e-3)


@st.composite
def convex_rings(draw):
    """Convex polygons: points on an ellipse at increasing angles."""
    n = draw(st.integers(4, 12))
    lon, lat = draw(st.floats(60, 80)), draw(st.floats(-50, 50))
    a, b = draw(st.floats(0.01, 1.5)), draw(st.floats(0.01, 1.5))
    angles = np.sort(
        draw(st.lists(st.floats(0, 2 * math.pi - 1e-3), min_size=n, max_size=n, unique=True))
    )
    assume(np.min(np.diff(np.r_[angles, angles[0] + 2 * math.pi])) > 0.05)
    return [(lon + a * math.cos(t), lat + b * math.sin(t)) for t in angles]


@FAST
@given(convex_rings(), st.data())
def test_area_ignores_orientation_and_start_vertex(ring, data):
    k = data.draw(st.integers(0, len(ring) - 1))
    variants = [ring, ring[::-1], ring[k:] + ring[:k], (ring[::-1])[k:] + (ring[::-1])[:k]]
    areas = areas_m2([Polygon(v) for v in variants])
    for area in areas[1:]:
        close(float(area), float(areas[0]), 1.0)


@FAST
@given(convex_rings(), st.data())
def test_area_is_the_sum_of_the_parts_cut_along_a_diagonal(ring, data):
    # Cutting along a diagonal between two vertices keeps every edge a geodesic of the whole.
    i = data.draw(st.integers(0, len(ring) - 3))
    j = data.draw(st.integers(i + 2, len(ring) - 1 if i > 0 else len(ring) - 2))
    first, second = ring[i : j + 1], ring[j:] + ring[: i + 1]
    whole, a, b = areas_m2([Polygon(ring), Polygon(first), Polygon(second)])
    close(float(whole), float(a + b), 1.0)


@FAST
@given(monotone_lines(), st.lists(st.floats(0, 1), min_size=2, max_size=20))
def test_chainage_is_monotonic_along_the_line(line, fractions):
    points = [line.interpolate(f, normalized=True) for f in sorted(fractions)]
    km = Chainage.of(line).at(points)
    assert np.all(np.diff(km) >= -1e-9)
    assert 0 <= km[0] and km[-1] <= Chainage.of(line).length_km + 1e-9


#: What maps.encode promises: Douglas–Peucker tolerance plus half a grid cell's diagonal.
STATED_DEVIATION_M = TOLERANCE_M + QUANTUM * 111_320 * math.sqrt(2) / 2


def _side(line: LineString, point: Point) -> float:
    """Sign of the point's latitude minus the line's at its longitude (lines are x-monotone)."""
    xy = shapely.get_coordinates(line)
    return float(np.sign(point.y - np.interp(point.x, xy[:, 0], xy[:, 1])))


def _distance_m(line: LineString, point: Point) -> float:
    k = math.cos(math.radians(point.y))
    scaled = shapely.transform(line, lambda xy: xy * [k, 1.0])
    return (
        scaled.distance(Point(point.x * k, point.y)) * 110_574
    )  # metres per degree of latitude, low


@FAST
@given(monotone_lines(), st.floats(0.02, 0.98), st.floats(-300, 300))
def test_display_simplification_keeps_places_on_their_side(line, along, offset_m):
    # A place further from the line than the stated deviation stays on its side of the drawn line.
    xy = shapely.get_coordinates(line)
    x = xy[0, 0] + along * (xy[-1, 0] - xy[0, 0])
    place = Point(x, float(np.interp(x, xy[:, 0], xy[:, 1])) + offset_m / 110_574)
    assume(_distance_m(line, place) > STATED_DEVIATION_M * 1.5)
    drawn = encode([line]).decode(0)
    assert _side(drawn, place) == _side(line, place)
