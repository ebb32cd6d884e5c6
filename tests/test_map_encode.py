"""Compact geometry of the HTML map: shared arcs, accuracy within 2 m, no slivers or gaps."""

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely import LineString, Polygon, box

import bordermap
from bordermap.geodesic import areas_m2
from bordermap.maps.encode import QUANTUM, deviation_m, encode, fidelity


def test_shared_edges_are_stored_once_and_decode_exactly():
    west, east = box(0, 0, 1, 1), box(1, 0, 2, 1)
    edge = LineString([(1, 1), (1, 0)])
    topo = encode([west, east, edge], tolerance_m=0)
    assert len(topo.arcs) == 3  # west's outer part, east's outer part, the shared edge
    assert abs(topo.geometries[2]["a"][0][0]) >= 0
    for geom, i in ((west, 0), (east, 1), (edge, 2)):
        assert topo.decode(i).equals(geom)


def test_points_lines_holes_and_empty_geometries_round_trip():
    donut = Polygon(
        [(10, 10), (11, 10), (11, 11), (10, 11)],
        [[(10.2, 10.2), (10.2, 10.4), (10.4, 10.4), (10.4, 10.2)]],
    )
    geoms = [
        shapely.Point(10.5, 10.5),
        shapely.MultiPoint([(10, 10), (11, 11)]),
        donut,
        None,
        shapely.LineString(),
    ]
    topo = encode(geoms, tolerance_m=0)
    assert topo.geometries[3] is None and topo.geometries[4] is None
    for i in range(3):
        assert topo.decode(i).equals_exact(geoms[i], tolerance=QUANTUM)


def test_deviation_matches_geos_hausdorff_in_projected_metres():
    # Independent reference: GEOS's discrete Hausdorff distance on the same projection.
    rng = np.random.default_rng(1)
    xy = np.c_[np.linspace(70, 70.05, 200), 40 + np.cumsum(rng.normal(0, 2e-5, 200))]
    source = LineString(xy)
    drawn = shapely.simplify(source, 5e-5)
    project = Transformer.from_crs(
        "EPSG:4326", "+proj=aeqd +lat_0=40 +lon_0=70.025 +datum=WGS84", always_xy=True
    )
    metres = [
        shapely.transform(g, lambda c: np.column_stack(project.transform(c[:, 0], c[:, 1])))
        for g in (source, drawn)
    ]
    expected = shapely.hausdorff_distance(*metres)
    assert deviation_m([source], [drawn])[0] == pytest.approx(expected, rel=1e-3)


@pytest.fixture(scope="module")
def bundled():
    dataset = bordermap.load()
    geoms = [
        g
        for name in ("areas", "boundary", "divergence", "sections")
        for g in dataset.layer(name).geometry
        if g is not None
    ]
    return dataset, geoms


def test_bundled_lines_drawn_within_two_metres(bundled):
    _, geoms = bundled
    report = fidelity(geoms)
    assert report["max_deviation_m"] <= 2.0
    assert report["bytes"] < 600_000


def _holes(geom):
    return [ring for part in shapely.get_parts(geom) for ring in part.interiors]


def test_no_slivers_or_gaps_between_neighbouring_polygons(bundled):
    dataset, _ = bundled
    areas = dataset.layer("areas")
    countries = areas[areas["kind"] == "country_region"]
    checked = 0
    for depiction, part in countries.groupby("depiction"):
        polys = np.asarray(list(part.geometry), dtype=object)
        assert shapely.coverage_is_valid(polys), f"{depiction}: the build left unmatched edges"
        checked += 1
        topo = encode(list(polys))
        drawn = [topo.decode(i) for i in range(len(polys))]
        union = shapely.union_all(drawn)
        # Exact for the OpenStreetMap and Natural Earth depictions; DCW's drawn polygons overlap
        # by ~60 m² in all along 825 km where independently thinned arcs meet (sub-metre slivers,
        # invisible at Leaflet's deepest zoom of ~0.6 m per pixel).
        overlap_m2 = sum(areas_m2(drawn)) - areas_m2([union])[0]
        assert overlap_m2 < 100.0, f"{depiction}: drawn polygons overlap by {overlap_m2:.0f} m²"
        assert len(_holes(union)) == len(_holes(shapely.union_all(polys))), (
            f"{depiction}: a gap opened"
        )
        # Neighbours share their border exactly: the two drawn boundaries coincide along it.
        kg, tj = (drawn[i] for i, c in enumerate(part["country"]) if c in dataset.pair)
        assert (
            shapely.length(shapely.intersection(kg.boundary, tj.boundary)) > 0.5
        )  # degrees: the whole line
    assert checked == len(dataset.depictions)


def test_synthetic_coverage_with_wiggly_border_stays_sliver_free():
    rng = np.random.default_rng(7)
    xs = np.linspace(70, 71, 2000)
    border = np.c_[xs, 40 + np.cumsum(rng.normal(0, 3e-5, len(xs)))]
    north = Polygon([*border, (71, 41), (70, 41)])
    south = Polygon([*border, (71, 39), (70, 39)])
    topo = encode([north, south, LineString(border)], tolerance_m=1.0)
    a, b, line = (topo.decode(i) for i in range(3))
    assert a.intersection(b).area == 0 and not _holes(shapely.union_all([a, b]))
    assert a.boundary.contains(line) and b.boundary.contains(line)
    assert deviation_m([north, south, LineString(border)], [a, b, line]).max() <= 2.0
