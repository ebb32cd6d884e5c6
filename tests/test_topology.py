"""bordermap.topology.shared_borders on small hand-made coverages, against GeographicLib sums and
against the naive method (pairwise ``a.boundary.intersection(b.boundary)``)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely import MultiPolygon, Polygon, box

from bordermap.errors import DataError
from bordermap.geodesic import lengths_m
from bordermap.topology import shared_borders

WGS84 = Geodesic.WGS84


def geodesic_km(*points):
    pairs = zip(points[:-1], points[1:], strict=True)
    return sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in pairs) / 1000.0


def frame(names, geoms):
    return gpd.GeoDataFrame({"iso": names}, geometry=geoms, crs=4326)


def as_dict(borders):
    return {(row.a, row.b): row for row in borders.itertuples()}


def test_grid_of_three_with_a_shared_corner_vertex():
    # A | B side by side, C on top of both; C has the vertex (1, 1) where A and B meet.
    c = Polygon([(0, 1), (1, 1), (2, 1), (2, 2), (0, 2)])
    borders = as_dict(
        shared_borders(frame(["B", "A", "C"], [box(1, 0, 2, 1), box(0, 0, 1, 1), c]), "iso")
    )
    assert sorted(borders) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert borders["A", "B"].length_km == pytest.approx(geodesic_km((1, 0), (1, 1)), rel=1e-12)
    assert borders["A", "C"].length_km == pytest.approx(geodesic_km((0, 1), (1, 1)), rel=1e-12)
    assert borders["B", "C"].length_km == pytest.approx(geodesic_km((1, 1), (2, 1)), rel=1e-12)
    # The geometry is the shared line itself, whichever side's vertex order it follows.
    assert borders["A", "B"].geometry.equals(shapely.LineString([(1, 0), (1, 1)]))


def test_enclave_shares_its_whole_ring_and_rows_with_one_key_are_one_owner():
    enclave = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]
    host = Polygon([(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)], [enclave[::-1]])
    # The enclave's country comes in two rows (the enclave and a far-away island).
    borders = shared_borders(
        frame(["H", "E", "E"], [host, Polygon(enclave), box(10, 10, 11, 11)]), "iso"
    )
    assert list(zip(borders.a, borders.b, strict=True)) == [("E", "H")]
    expected = geodesic_km(*enclave)
    assert borders.length_km.iloc[0] == pytest.approx(expected, rel=1e-12)
    assert shapely.get_num_geometries(borders.geometry.iloc[0]) == 1  # merged into one closed line


def test_the_gap_between_two_rings_is_not_an_edge():
    # A's first ring ends at (0, 0) and its second starts at (0, 1): B's edge (0, 0)–(0, 1) is not
    # on A's boundary, even though the two are consecutive in A's vertex array.
    a = MultiPolygon([Polygon([(0, 0), (-1, 0), (-1, -1)]), Polygon([(0, 1), (-1, 2), (-1, 1)])])
    b = box(0, 0, 1, 1)
    assert shapely.get_coordinates(a)[3:5].tolist() == [[0, 0], [0, 1]]
    assert shared_borders(frame(["A", "B"], [a, Polygon(b.exterior.coords[::-1])]), "iso").empty


def test_touching_at_a_point_or_not_at_all_is_no_border():
    borders = shared_borders(
        frame(["A", "B", "C"], [box(0, 0, 1, 1), box(1, 1, 2, 2), box(5, 5, 6, 6)]), "iso"
    )
    assert borders.empty and list(borders.columns) == ["a", "b", "length_km", "geometry"]


def test_missing_key_column_is_a_data_error():
    with pytest.raises(DataError, match="no column 'name'"):
        shared_borders(frame(["A"], [box(0, 0, 1, 1)]), "name")


def test_voronoi_coverage_matches_the_naive_method():
    rng = np.random.default_rng(7)
    points = shapely.multipoints(np.c_[rng.uniform(68, 75, 40), rng.uniform(37, 42, 40)])
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=box(67, 36, 76, 43)))
    names = [f"C{i:02d}" for i in range(len(cells))]
    ours = as_dict(shared_borders(frame(names, cells), "iso"))
    naive = {}
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            common = shapely.intersection(cells[i].boundary, cells[j].boundary)
            km = float(lengths_m([common])[0]) / 1000.0
            if km > 0:
                naive[names[i], names[j]] = km
    assert len(naive) > 60 and sorted(ours) == sorted(naive)
    for pair, km in naive.items():
        assert abs(ours[pair].length_km - km) <= 1e-9 * km, pair


def test_overlapping_polygons_pair_every_two_owners_of_an_edge():
    # A country drawn with its overseas region, the region also on its own row, and a neighbour:
    # the neighbour's border is shared with both (three owners of one edge).
    region = box(0, 0, 1, 1)
    country = MultiPolygon([box(10, 10, 11, 11), region])
    borders = as_dict(
        shared_borders(frame(["FRA", "GUF", "SUR"], [country, region, box(1, 0, 2, 1)]), "iso")
    )
    assert sorted(borders) == [("FRA", "GUF"), ("FRA", "SUR"), ("GUF", "SUR")]
    assert borders["FRA", "SUR"].length_km == pytest.approx(geodesic_km((1, 0), (1, 1)), rel=1e-12)
    assert borders["FRA", "GUF"].length_km == pytest.approx(
        geodesic_km(*box(0, 0, 1, 1).exterior.coords), rel=1e-12
    )
