"""Area claims drawn as a band along the line: area and side, checked with GeographicLib."""

from __future__ import annotations

import pytest
import shapely
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.check import claim_band
from bordermap.errors import UsageError


def geodesic_area_km2(geom: shapely.Geometry) -> float:
    total = 0.0
    for part in shapely.get_parts(geom):
        for i, ring in enumerate([part.exterior, *part.interiors]):
            poly = Geodesic.WGS84.Polygon()
            for lon, lat in list(ring.coords)[:-1]:
                poly.AddPoint(lat, lon)
            area = abs(poly.Compute(False, True)[2]) / 1e6
            total += area if i == 0 else -area
    return total


@pytest.fixture(scope="module")
def ds(mini):  # type: ignore[no-untyped-def]
    return bordermap.load(mini)


def test_band_clipped_to_the_country_has_the_claimed_area(ds) -> None:  # type: ignore[no-untyped-def]
    band = claim_band(
        ds, 500.0, side="TJ"
    )  # alpha has country polygons: the band is clipped to TJ's
    row = band.iloc[0]
    assert geodesic_area_km2(row.geometry) == pytest.approx(500.0, rel=0.003)
    assert row["mean_depth_km"] == pytest.approx(500.0 / 222.913, rel=1e-4)
    # All of it lies south of alpha (TJ's side), none in KG's polygon.
    kg = ds.layers["areas"].set_index("id").loc["a-alpha-KG", "geometry"]
    assert shapely.intersection(row.geometry, kg).area < 1e-9
    assert row.geometry.bounds[3] <= 0.05 + 1e-9


def test_single_sided_band_without_polygons(ds) -> None:  # type: ignore[no-untyped-def]
    band = claim_band(ds, 300.0, side="KG", depiction="beta")  # beta has no polygons
    geom = band.iloc[0].geometry
    assert geodesic_area_km2(geom) == pytest.approx(300.0, rel=0.003)
    # KG is left of beta going east: north of beta, whose lowest point is (1, -0.05).
    assert geom.representative_point().y > -0.05
    assert "single-sided" in band.iloc[0]["geometry_method"]


def test_band_on_a_stretch(ds) -> None:  # type: ignore[no-untyped-def]
    band = claim_band(ds, 50.0, side="TJ", chainage_km=(50.0, 100.0))
    row = band.iloc[0]
    assert row["line_length_km"] == pytest.approx(50.0, rel=1e-3)
    assert row["mean_depth_km"] == pytest.approx(1.0, rel=1e-3)
    assert geodesic_area_km2(row.geometry) == pytest.approx(50.0, rel=0.003)


def test_side_must_be_a_side_of_the_line(ds) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="not a side"):
        claim_band(ds, 100.0, side="UZ")
