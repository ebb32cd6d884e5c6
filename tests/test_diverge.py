"""Divergence between two depictions, on the mini fixture, against GeographicLib."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.diverge import divergence, divergence_layer
from bordermap.errors import UsageError

WGS84 = Geodesic.WGS84


@pytest.fixture(scope="module")
def ds(mini):  # type: ignore[no-untyped-def]
    return bordermap.load(mini)


def lens_area_km2() -> float:
    # alpha runs (0,0)-(1,0.05)-(2,0), beta (0,0)-(1,-0.05)-(2,0): the lens between them.
    poly = WGS84.Polygon()
    for lon, lat in [(0, 0), (1, -0.05), (2, 0), (1, 0.05)]:
        poly.AddPoint(lat, lon)
    _, _, area = poly.Compute(False, True)
    return abs(area) / 1e6


def distance_to_line_m(lon: float, lat: float, line: list[tuple[float, float]]) -> float:
    """Brute force: the nearest of 20,000 points per segment (straight in lon/lat, as stored)."""
    best = np.inf
    for (x0, y0), (x1, y1) in zip(line[:-1], line[1:], strict=True):
        t = np.linspace(0, 1, 20_001)
        xs, ys = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        best = min(
            best, min(WGS84.Inverse(lat, lon, y, x)["s12"] for x, y in zip(xs[::50], ys[::50], strict=True))
        )
    return float(best)


def test_lens_between_alpha_and_beta(ds) -> None:  # type: ignore[no-untyped-def]
    layer = divergence(ds, "alpha", "beta")
    assert len(layer) == 1
    row = layer.iloc[0]
    # alpha's sides are [KG, TJ] going east: the lens lies south of alpha (TJ) and north of beta (KG).
    assert row["assigned_by"] == {"alpha": "TJ", "beta": "KG"}
    assert row["area_km2"] == pytest.approx(lens_area_km2(), rel=1e-9)
    alpha = [(0, 0), (1, 0.05), (2, 0)]
    beta = [(0, 0), (1, -0.05), (2, 0)]
    expected = max(distance_to_line_m(1, 0.05, beta), distance_to_line_m(1, -0.05, alpha))
    assert row["max_offset_m"] == pytest.approx(expected, rel=2e-3)
    assert row["kind"] == "divergence" and row["depictions"] == ["alpha", "beta"]
    assert row["chainage_km"][0] == 0.0
    assert {s["source_id"] for s in row["sources"]} == {"ds_handmade"}
    assert row["geometry_method"].startswith("derived: ")


def test_order_of_depictions_swaps_the_assignment(ds) -> None:  # type: ignore[no-untyped-def]
    ab, ba = divergence(ds, "alpha", "beta"), divergence(ds, "beta", "alpha")
    assert ba.iloc[0]["assigned_by"] == {"alpha": "TJ", "beta": "KG"}
    assert ba.iloc[0]["area_km2"] == pytest.approx(ab.iloc[0]["area_km2"], rel=1e-12)


def test_min_offset_drops_narrow_polygons(ds) -> None:  # type: ignore[no-untyped-def]
    assert len(divergence(ds, "alpha", "beta", min_offset_m=20_000)) == 0
    assert len(divergence(ds, "alpha", "beta", min_offset_m=10_000)) == 1


def test_unknown_or_same_depiction_is_a_usage_error(ds) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="unknown depiction 'gamma'"):
        divergence(ds, "alpha", "gamma")
    with pytest.raises(UsageError):
        divergence(ds, "alpha", "alpha")


def test_build_step_pairs_default_with_the_others(ds) -> None:  # type: ignore[no-untyped-def]
    layer = divergence_layer(ds.layers, ds.meta)
    assert layer["depictions"].tolist() == [["alpha", "beta"]]
    assert layer["precision_m"].tolist() == [1.0]


def test_lines_with_different_ends_are_closed(ds) -> None:  # type: ignore[no-untyped-def]
    # Move beta's ends 0.01° north: beta now starts north of alpha and crosses it near each end,
    # so small faces near the ends (closed by the closing segments) are assigned the other way.
    boundary = ds.layers["boundary"].copy()
    from shapely import LineString

    beta = boundary["depiction"] == "beta"
    boundary.loc[beta, "geometry"] = [LineString([(0, 0.01), (1, -0.05), (2, 0.01)])]
    moved = bordermap.Dataset(meta=ds.meta, layers={**ds.layers, "boundary": boundary})
    layer = divergence(moved, "alpha", "beta")
    largest = layer.loc[layer["area_km2"].idxmax()]
    assert largest["assigned_by"] == {"alpha": "TJ", "beta": "KG"}
    ends = layer[layer["assigned_by"].map(lambda d: d == {"alpha": "KG", "beta": "TJ"})]
    assert len(ends) == 2 and ends["area_km2"].sum() < 0.05 * largest["area_km2"]
    assert ends["chainage_km"].map(lambda c: c[0]).min() == 0.0
