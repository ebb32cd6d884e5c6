"""bordermap.chainage against hand computations and GeographicLib."""

import pytest
from geographiclib.geodesic import Geodesic
from shapely import LineString, Point

import bordermap
from bordermap.chainage import Chainage, chainage, main_line
from bordermap.errors import DataError

WGS84 = Geodesic.WGS84
DEG_EQUATOR_KM = 111.31949079327357  # 1° of longitude on the WGS84 equator: a·π/180


def test_chainage_along_the_equator():
    c = Chainage.of(LineString([(0, 0), (1, 0), (3, 0)]))
    assert c.length_km == pytest.approx(3 * DEG_EQUATOR_KM, abs=1e-9)
    assert list(c.cum_km) == pytest.approx([0, DEG_EQUATOR_KM, 3 * DEG_EQUATOR_KM], abs=1e-9)
    # A point off the line takes the chainage of its nearest point on the line.
    assert c.at([Point(2.0, 0.3)])[0] == pytest.approx(2 * DEG_EQUATOR_KM, abs=1e-6)
    assert c.at([Point(-1, 0)])[0] == 0.0  # before the start: clamped to the origin


def test_substring_returns_the_stretch_between_chainages():
    c = Chainage.of(LineString([(0, 0), (1, 0), (3, 0)]))
    stretch = c.substring(DEG_EQUATOR_KM / 2, 2 * DEG_EQUATOR_KM)
    assert stretch.coords[0] == pytest.approx((0.5, 0.0), abs=1e-9)
    assert stretch.coords[-1] == pytest.approx((2.0, 0.0), abs=1e-9)


def test_mini_main_line_starts_at_the_origin_and_matches_geographiclib(mini):
    dataset = bordermap.load(mini)
    line = main_line(dataset)
    assert line.coords[0] == (0.0, 0.0)
    expected = sum(
        WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]
        for a, b in zip(line.coords[:-1], line.coords[1:], strict=True)
    )
    assert chainage(dataset).length_km == pytest.approx(expected / 1000, abs=1e-9)
    # The vertex at (1, 0.05) sits after the first leg exactly.
    first_leg = WGS84.Inverse(0, 0, 0.05, 1)["s12"] / 1000
    assert chainage(dataset).at([Point(1.0, 0.05)])[0] == pytest.approx(first_leg, abs=1e-6)


def test_unknown_depiction_has_no_main_line(mini):
    with pytest.raises(DataError, match="gamma"):
        main_line(bordermap.load(mini), "gamma")
