"""The side test near a tripoint: a short piece must not be judged by a third country."""

import geopandas as gpd
import pytest
from shapely import LineString, Polygon, box

import bordermap
from bordermap.validate import validate


def _dataset(sides):
    # KG north and TJ south of the equator, x < 1; UZ is a wedge reaching over the line's end
    # from the north-east, so a test point 180 m north of the tail lands in UZ, 28 m north does not.
    wedge = Polygon([(1.0, 0.0), (1.0, 0.01), (0.99, 0.01)])
    regions = {
        "KG": box(0, 0, 1, 0.01).difference(wedge),
        "TJ": box(0, -0.01, 1, 0),
        "UZ": wedge.union(box(1, -0.01, 1.01, 0.01)),
    }
    common = {"sources": [{"property": "", "source_id": "ds"}], "geometry_method": "hand-made", "valid_from": None}
    areas = gpd.GeoDataFrame(
        [{**common, "id": f"a-{c}", "kind": "country_region", "country": c, "depiction": "d", "precision_m": 1.0,
          "names": {"en": c}}
         for c in regions],
        geometry=list(regions.values()), crs="EPSG:4326")
    boundary = gpd.GeoDataFrame(
        [{**common, "id": "tail", "kind": "boundary", "depiction": "d", "part": "main", "segment": 0,
          "sides": sides, "status": "undetermined", "precision_m": 60.0, "names": {"en": "tail"}}],
        geometry=[LineString([(0.999, 0.0), (1.0, 0.0)])], crs="EPSG:4326")
    meta = {"id": "t", "title": "t", "pair": ["KG", "TJ"], "as_of": "2026-01-01", "default_depiction": "d",
            "countries": {c: {"name": c} for c in regions},
            "depictions": [{"id": "d", "title": "d", "source_id": "ds"}]}
    sources = {"ds": {"id": "ds", "title": "hand-made", "publisher": "tests", "kind": "dataset", "party": "none"}}
    return bordermap.Dataset(meta=meta, layers={"areas": areas, "boundary": boundary}, sources=sources)


@pytest.mark.parametrize(("sides", "mismatch"), [(["KG", "TJ"], False), (["TJ", "KG"], True)])
def test_short_tail_at_a_tripoint(sides, mismatch):
    codes = [p.code for p in validate(_dataset(sides))]
    assert ("sides-mismatch" in codes) is mismatch, codes
