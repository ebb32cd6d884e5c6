"""The candidates layer: where the open depictions disagree by more than a stated offset.

Areas are checked against GeographicLib's polygon areas; the clustering against the divergence
layer it is built from.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.candidates import MIN_OFFSET_M, candidates, clusters
from bordermap.model import CRS

WGS84 = Geodesic.WGS84


def geographiclib_area_km2(geometry) -> float:
    total = 0.0
    for polygon in shapely.get_parts(geometry):
        for k, ring in enumerate([polygon.exterior, *polygon.interiors]):
            area = WGS84.Polygon()
            for lon, lat in list(ring.coords)[:-1]:
                area.AddPoint(lat, lon)
            _, _, signed = area.Compute(False, True)
            total += abs(signed) * (1 if k == 0 else -1)
    return total / 1e6


@pytest.fixture(scope="module")
def dataset() -> bordermap.Dataset:
    return bordermap.load()


@pytest.fixture(scope="module")
def layer(dataset) -> gpd.GeoDataFrame:
    return dataset.layer("candidates")


def test_bundled_candidates_exist_and_say_they_compare_maps(layer):
    assert len(layer) >= 5
    for note in layer["note"]:
        assert "comparison of open maps, not a list of claims" in note


def test_areas_agree_with_geographiclib(layer):
    for _, row in layer.iterrows():
        assert row["area_km2"] == pytest.approx(geographiclib_area_km2(row.geometry), rel=1e-6)


def test_every_face_beyond_the_offset_is_in_exactly_one_candidate(dataset, layer):
    faces = dataset.layer("divergence")
    beyond = faces[faces["max_offset_m"] > MIN_OFFSET_M + faces["precision_m"].astype(float)]
    members = [i for ids in layer["divergence_ids"] for i in ids]
    assert sorted(members) == sorted(beyond["id"])
    by_id = faces.set_index("id")
    for _, row in layer.iterrows():
        part = by_id.loc[row["divergence_ids"]]
        assert row["max_offset_m"] == pytest.approx(part["max_offset_m"].max())
        assert row["max_offset_m"] > row["min_offset_m"]
        lo = min(c[0] for c in part["chainage_km"])
        hi = max(c[1] for c in part["chainage_km"])
        assert row["chainage_km"] == pytest.approx([lo, hi], abs=1e-3)
        assert set(row["depictions"]) == {d for pair in part["depictions"] for d in pair}


def test_candidates_do_not_overlap_along_the_line(layer):
    ranges = sorted(tuple(c) for c in layer["chainage_km"])
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        assert start > end


def test_linked_sections_are_near_or_share_chainage(dataset, layer):
    sections = dataset.layer("sections").set_index("id")
    linked = 0
    for _, row in layer.iterrows():
        lo, hi = row["chainage_km"]
        for section_id in row["section_ids"]:
            section = sections.loc[section_id]
            chain = section["chainage_km"]
            overlaps = isinstance(chain, list) and chain[0] <= hi and chain[1] >= lo
            # Otherwise: within 5 km, checked on the geometry's vertices with GeographicLib.
            near = False
            if not overlaps:
                pts = shapely.get_coordinates(section.geometry)
                ring = shapely.get_coordinates(row.geometry.boundary)
                near = min(
                    WGS84.Inverse(p[1], p[0], q[1], q[0])["s12"] for p in pts for q in ring
                ) <= row["near_km"] * 1000 + 500 or row.geometry.contains(section.geometry)
            assert overlaps or near, (row["id"], section_id)
            linked += 1
    assert linked >= 10


def test_a_higher_offset_never_adds_area(dataset):
    divergence, sections = dataset.layer("divergence"), dataset.layer("sections")
    areas = [
        candidates(divergence, sections, min_offset_m=m)["area_km2"].sum()
        for m in (500.0, 1000.0, 2000.0, 4000.0)
    ]
    assert areas == sorted(areas, reverse=True)
    assert areas[-1] > 0


def test_hand_made_faces_cluster_by_chainage_gap():
    faces = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "depictions": [["x", "y"]] * 3,
            "max_offset_m": [2000.0, 3000.0, 2500.0],
            "chainage_km": [[0.0, 2.0], [2.5, 4.0], [10.0, 11.0]],
            "precision_m": [50.0] * 3,
            "sources": [[]] * 3,
        },
        geometry=[
            shapely.box(70.0, 40.0, 70.01, 40.01),
            shapely.box(70.02, 40.0, 70.03, 40.01),
            shapely.box(70.1, 40.0, 70.11, 40.01),
        ],
        crs=CRS,
    )
    layer = candidates(faces, gap_km=1.0)
    assert layer["divergence_ids"].tolist() == [["a", "b"], ["c"]]
    assert layer["area_km2"].iloc[0] == pytest.approx(
        geographiclib_area_km2(shapely.union_all(faces.geometry.values[:2]))
    )
    assert candidates(faces, min_offset_m=5000.0).empty
    assert clusters([(0, 1), (5, 6)], gap_km=10) == [[0, 1]]


def test_candidates_validate_and_measure(runner):
    from bordermap.cli.main import main

    result = runner.invoke(main, ["measure", "--layer", "candidates", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "candidate_" in result.output


def test_map_offers_the_candidates_off_by_default(tmp_path, runner):
    import json
    import re

    from bordermap.cli.main import main

    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Where the maps disagree (a comparison of maps, not claims)" in page
    group = re.search(r'"label":"Where the maps disagree[^{}]*"on":(true|false)', page)
    assert group and json.loads(group.group(1)) is False
