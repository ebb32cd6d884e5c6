"""Invariants of the committed geodata built by ``make data`` (reads files only; no downloads)."""

from __future__ import annotations

import itertools
from urllib.parse import urlparse

import pytest
import shapely
from shapely.geometry import Point

import bordermap
from bordermap.derive.geodesy import area_km2, distance_m
from bordermap.topology import sides
from bordermap.upstream import DEPICTIONS as DEPICTIONS_BUILT

DATASET = bordermap.load()
BOUNDARY = DATASET.layer("boundary")
AREAS = DATASET.layer("areas")
DEPICTIONS = DATASET.depictions

#: Overlap left by rounding every vertex to 1e-7° (square kilometres per depiction).
ROUNDING_OVERLAP_KM2 = 1e-3


def _regions(depiction: str) -> dict[str, shapely.Geometry]:
    """Country → its polygons (region plus the enclaves it administers) in one depiction."""
    rows = AREAS[AREAS["depiction"] == depiction]
    return {
        code: shapely.union_all(list(part.geometry))
        for code, part in rows.groupby("administered_by")
    }


def test_every_depiction_has_lines_and_areas() -> None:
    assert DATASET.default_depiction == "osm2022"
    assert {"osm2022", "osm2017", "ne10", "dcw"} <= set(DEPICTIONS)
    for depiction in DEPICTIONS:
        assert (BOUNDARY["depiction"] == depiction).any()
        assert (AREAS["depiction"] == depiction).any()


@pytest.mark.parametrize("depiction", DEPICTIONS)
def test_areas_form_a_valid_coverage(depiction: str) -> None:
    # The data model's valid coverage: no overlaps, enclaves cut out, and the country polygons
    # edge-matched (GEOS's strict test: identical vertices along every shared edge).
    layer = AREAS[AREAS["depiction"] == depiction]
    geoms = list(layer.geometry)
    assert all(g.is_valid for g in geoms)
    overlap = sum(area_km2(shapely.intersection(a, b)) for a, b in itertools.combinations(geoms, 2))
    assert overlap < ROUNDING_OVERLAP_KM2
    countries = layer[layer["kind"] == "country_region"].geometry.to_numpy()
    assert shapely.coverage_is_valid(countries)


@pytest.mark.parametrize("depiction", DEPICTIONS)
def test_main_line_runs_from_the_tripoint_in_order(depiction: str) -> None:
    main = BOUNDARY[(BOUNDARY["depiction"] == depiction) & (BOUNDARY["part"] == "main")]
    main = main.sort_values("segment")
    assert list(main["segment"]) == list(range(len(main)))
    start = Point(main.geometry.iloc[0].coords[0])
    uz = _regions(depiction)["UZ"]
    nearest = shapely.ops.nearest_points(uz, start)[0]
    assert distance_m(start.x, start.y, nearest.x, nearest.y) < 50
    for a, b in itertools.pairwise(main.itertuples()):
        assert a.geometry.coords[-1] == b.geometry.coords[0]
        assert a.chainage_km[1] == b.chainage_km[0]


@pytest.mark.parametrize("depiction", DEPICTIONS)
def test_sides_agree_with_the_polygons(depiction: str) -> None:
    regions = _regions(depiction)
    snap = DEPICTIONS_BUILT[depiction].snap_m
    for row in BOUNDARY[BOUNDARY["depiction"] == depiction].itertuples():
        vote = sides(row.geometry, regions, offset_m=max(15.0, 3 * snap), samples=7)
        assert [vote.left, vote.right] == list(row.sides), row.id


def test_enclave_perimeters_point_at_enclaves() -> None:
    ids = set(AREAS["id"])
    perimeters = BOUNDARY[BOUNDARY["part"] == "enclave"]
    assert len(perimeters) > 0
    for row in perimeters.itertuples():
        assert row.enclave_id in ids
        enclave = AREAS[AREAS["id"] == row.enclave_id].iloc[0]
        assert enclave["depiction"] == row.depiction
        assert list(row.sides) == [enclave["administered_by"], enclave["surrounded_by"]]


def test_vorukh_is_in_every_depiction_and_kayragach_only_in_osm2022() -> None:
    enclaves = AREAS[AREAS["kind"] == "enclave"]
    assert set(enclaves[enclaves["enclave_key"] == "vorukh"]["depiction"]) == set(DEPICTIONS)
    assert set(enclaves[enclaves["enclave_key"] == "kayragach"]["depiction"]) == {"osm2022"}


@pytest.mark.parametrize("layer", ["boundary", "areas", "places"])
def test_every_feature_says_where_it_comes_from(layer: str) -> None:
    frame = DATASET.layer(layer)
    assert len(frame) > 0
    for row in frame.itertuples():
        assert row.sources and all(s["source_id"] in DATASET.sources for s in row.sources), row.id
        assert isinstance(row.geometry_method, str) and row.geometry_method, row.id
        assert row.precision_m > 0, row.id


def test_ids_are_unique_across_layers() -> None:
    ids = [i for name in ("boundary", "areas", "places") for i in DATASET.layer(name)["id"]]
    assert len(ids) == len(set(ids))


def test_depictions_record_their_repairs() -> None:
    for record in DATASET.meta["depictions"]:
        assert isinstance(record["repairs"], list)
        assert record["source_id"] in DATASET.sources
    osm2017 = DATASET.depiction("osm2017")
    assert any("enclave cut out: KG (TJ enclave)" in r for r in osm2017["repairs"])


#: Where the upstream datasets are cited: each project's own site, never the package index the
#: build fetched the package from.
UPSTREAM_SITES = {"www.openstreetmap.org", "www.naturalearthdata.com", "www.geonames.org", "www.soest.hawaii.edu"}


def test_datasets_are_cited_by_their_projects_own_sites() -> None:
    hosts = {
        urlparse(record["url"]).hostname
        for record in DATASET.sources.values()
        if record.get("kind") == "dataset" and record.get("url")
    }
    assert hosts == UPSTREAM_SITES
