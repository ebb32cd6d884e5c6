"""Stand-in geometries of the bundled dataset say they are stand-ins, with an honest precision.

Distances are checked with GeographicLib against the vertices of the default depiction's lines,
independently of the build's own nearest-point code.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.chainage import main_line

WGS84 = Geodesic.WGS84
#: The issue's target: at most this many sections without any geometry.
MAX_UNLOCATED = 10


@pytest.fixture(scope="module")
def dataset() -> bordermap.Dataset:
    return bordermap.load()


@pytest.fixture(scope="module")
def vertices(dataset) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of the default depiction's lines (main line and enclave perimeters), and for each
    the length of its longer adjacent segment (m), so that a vertex distance bounds the distance
    to the line from both sides."""
    boundary = dataset.layer("boundary")
    lines = boundary[boundary["depiction"] == dataset.default_depiction].geometry
    xy, seg = [], []
    for geom in lines:
        for part in shapely.get_parts(geom):
            c = shapely.get_coordinates(part)
            lengths = np.array(
                [WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in itertools.pairwise(c)]
            )
            longer = np.maximum(np.r_[lengths, 0.0], np.r_[0.0, lengths])
            xy.append(c)
            seg.append(longer)
    return np.concatenate(xy), np.concatenate(seg)


def lower_bound_to_line_m(lon: float, lat: float, vertices) -> float:
    """A lower bound of the geodesic distance from a point to the lines: the distance to the
    nearest vertex minus half its longer adjacent segment."""
    xy, seg = vertices
    near = np.argsort(np.hypot((xy[:, 0] - lon) * np.cos(np.radians(lat)), xy[:, 1] - lat))[:50]
    dist = np.array([WGS84.Inverse(lat, lon, xy[i, 1], xy[i, 0])["s12"] for i in near])
    return float(np.min(dist - seg[near] / 2.0))


def sections(dataset):
    return dataset.layer("sections").to_dict("records")


def test_at_most_ten_sections_lack_geometry_and_each_says_why(dataset):
    unlocated = [s for s in sections(dataset) if s["geometry"] is None]
    assert len(unlocated) <= MAX_UNLOCATED
    for s in unlocated:
        method = s["geometry_method"]
        assert method.startswith("none: located only to"), s["id"]
        # A reason beyond the district: the gazetteer miss or the location's own explanation.
        assert ";" in method or "(" in method, (s["id"], method)


def test_every_stand_in_is_flagged_and_nothing_else(dataset):
    for layer in ("sections", "incidents"):
        for f in dataset.layer(layer).to_dict("records"):
            method = str(f["geometry_method"])
            if f["geometry"] is None:
                assert f["placeholder"] is False, f["id"]
            elif method.startswith("stand-in:"):
                assert f["placeholder"] is True, f["id"]
            else:  # an enclave polygon of a depiction
                assert method.startswith("enclave polygon") and f["placeholder"] is False, f["id"]
    assert not any(dataset.layer("places")["placeholder"])


def test_line_stretches_cite_the_osm_depiction_they_are_cut_from(dataset):
    osm = dataset.sources["ds_osm_borders_1m"]
    assert "ODbL" in osm["license"] and "OpenStreetMap contributors" in osm["attribution"]
    stretches = [s for s in sections(dataset) if s.get("location_precision") == "line_stretch"]
    assert len(stretches) >= 3
    for s in stretches:
        geometry_sources = {c["source_id"] for c in s["sources"] if c["property"] == "/geometry"}
        assert {"ds_osm_borders_1m", "ds_geonames_cities500"} <= geometry_sources, s["id"]


@pytest.mark.parametrize("layer", ["sections", "incidents"])
def test_precision_is_at_least_the_anchor_distance_from_the_line(dataset, vertices, layer):
    places = dataset.layer("places").set_index("id")
    checked = 0
    for f in dataset.layer(layer).to_dict("records"):
        if not f.get("placeholder") or not f.get("place_ids"):
            continue
        for place_id in f["place_ids"]:
            point = places.loc[place_id].geometry
            bound = lower_bound_to_line_m(point.x, point.y, vertices)
            assert f["precision_m"] >= bound, (f["id"], place_id, f["precision_m"], bound)
            checked += 1
    assert checked >= 10


def test_stand_ins_far_from_the_line_say_so(dataset, vertices):
    # The audit's cases: Batken 7.3 km from the line, Razzakov 9.2 km, Suluktu 2.3 km.
    by_id = {s["id"]: s for s in sections(dataset)}
    places = dataset.layer("places").set_index("id")
    for section_id, place_id in [
        ("sec_bulak_bashy_keh", "place_batken"),
        ("sec_selkan_leilek_plots", "place_razzakov"),
        ("sec_karool_don", "place_suluktu"),
    ]:
        point = places.loc[place_id].geometry
        section = by_id[section_id]
        assert section["place_ids"] == [place_id]
        assert section["precision_m"] >= lower_bound_to_line_m(point.x, point.y, vertices)
    assert by_id["sec_bulak_bashy_keh"]["precision_m"] >= 7000
    assert by_id["sec_selkan_leilek_plots"]["precision_m"] >= 9000


def test_tripoint_envelope_holds_every_depictions_tripoint(dataset):
    tripoint = next(s for s in sections(dataset) if s["id"] == "sec_tripoint_kg_tj_uz")
    ends = [shapely.get_coordinates(main_line(dataset, d))[0] for d in dataset.depictions]
    spread = max(
        WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in itertools.combinations(ends, 2)
    )
    assert 7000 < spread < 8000  # "disagree by up to 7.6 km"
    assert tripoint["placeholder"] is True and tripoint["precision_m"] >= spread
    hull = tripoint["geometry"]
    assert all(hull.buffer(1e-9).contains(shapely.Point(e)) for e in ends)
