"""Geometry derivation of the curated layers, on small hand-made frames."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap.derive.curated import Context, build_curated, locate, resolve_place
from bordermap.model import CRS

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = {"KG": {"Batken district": 1, "Leilek district": 2}}


def places_frame(rows):
    return gpd.GeoDataFrame(
        [
            {
                "id": f"place_{g}",
                "geonameid": g,
                "country": c,
                "names": {"en": n},
                "precision_m": 1000,
            }
            for g, c, n, _ in rows
        ],
        geometry=[shapely.Point(xy) for *_, xy in rows],
        crs=CRS,
    )


@pytest.fixture
def clashing_places():
    # Anchors: "Batken" far east, "Razzakov" far west; each clashing name exists near both.
    return places_frame(
        [
            (1, "KG", "Batken", (70.8, 40.06)),
            (2, "KG", "Razzakov", (69.5, 39.84)),
            (11, "KG", "Dostuk", (70.6, 40.0)),
            (12, "KG", "Dostuk", (69.8, 40.2)),
            (21, "KG", "Kok-Tash", (70.53, 39.95)),
            (22, "KG", "Koktash", (69.6, 39.9)),
            (31, "KG", "Bulak-Bashy", (70.82, 40.05)),
            (32, "KG", "Bulak Bashy", (69.65, 40.1)),
            (41, "TJ", "Dostuk", (70.0, 40.3)),
        ]
    )


@pytest.mark.parametrize(
    "name, batken, leilek", [("Dostuk", 11, 12), ("Kok-Tash", 21, 22), ("Bulak-Bashy", 31, 32)]
)
def test_name_clashes_resolve_to_the_named_district(clashing_places, name, batken, leilek):
    spec = {"name": name, "country": "KG"}
    got_b, _ = resolve_place(spec, {"KG": "Batken district"}, clashing_places, ANCHORS)
    got_l, _ = resolve_place(
        spec, {"KG": "Leilek district (Kulundu aiyl okmotu)"}, clashing_places, ANCHORS
    )
    assert (got_b.geonameid, got_l.geonameid) == (batken, leilek)


def test_a_lone_match_in_the_wrong_district_is_refused(clashing_places):
    only_leilek = clashing_places[clashing_places["geonameid"] != 11]
    place, why = resolve_place(
        {"name": "Dostuk", "country": "KG"}, {"KG": "Batken district"}, only_leilek, ANCHORS
    )
    assert place is None and "not found in Batken district" in why


def meridian_layers(place_xy):
    # A line along the 70°E meridian from 39°N to 41°N, in two segments, with vertices every 0.25°.
    lats = [39 + 0.25 * i for i in range(9)]
    parts = [
        shapely.LineString([(70.0, y) for y in lats[:5]]),
        shapely.LineString([(70.0, y) for y in lats[4:]]),
    ]
    boundary = gpd.GeoDataFrame(
        {"id": ["a", "b"], "depiction": ["d1", "d1"], "part": ["main", "main"], "segment": [1, 0]},
        geometry=[parts[1], parts[0]],
        crs=CRS,
    )
    return {"boundary": boundary, "places": places_frame([(7, "KG", "Somewhere", place_xy)])}


def test_line_stretch_chainage_matches_geographiclib():
    layers = meridian_layers((70.005, 40.0))
    ctx = Context(layers, {"depictions": [{"id": "d1", "precision_m": 50}]}, {}, "d1")
    got = locate({"line_stretch": {"place": 7, "half_width_km": 5}}, {"KG": "x"}, ctx)
    centre = Geodesic.WGS84.Inverse(39, 70, 40, 70)["s12"] / 1000
    assert got.chainage_km == pytest.approx((centre - 5, centre + 5), abs=0.005)
    assert got.location_precision == "line_stretch" and got.precision_m == 5000
    # The ends of the stretch lie where GeographicLib puts those distances along the meridian.
    (x0, y0), (x1, y1) = got.geometry.coords[0], got.geometry.coords[-1]
    for lat, dist in ((y0, centre - 5), (y1, centre + 5)):
        assert lat == pytest.approx(Geodesic.WGS84.Direct(39, 70, 0, dist * 1000)["lat2"], abs=1e-4)
    assert x0 == pytest.approx(70.0) and x1 == pytest.approx(70.0)
    assert "chainage" in got.method and "0.4 km off the line" in got.method


def test_line_stretch_is_clamped_at_the_origin():
    ctx = Context(meridian_layers((70.0, 39.01)), {}, {}, "d1")
    got = locate({"line_stretch": {"place": 7, "half_width_km": 3}}, {"KG": "x"}, ctx)
    assert got.chainage_km[0] == 0.0
    assert got.chainage_km[1] == pytest.approx(
        Geodesic.WGS84.Inverse(39, 70, 39.01, 70)["s12"] / 1000 + 3, abs=0.005
    )


def test_far_place_falls_back_to_district():
    ctx = Context(meridian_layers((71.0, 40.0)), {}, {}, "d1")
    got = locate({"line_stretch": {"place": 7, "half_width_km": 3}}, {"KG": "Batken district"}, ctx)
    assert got.geometry is None and got.precision_m is None
    assert got.method.startswith("none: located only to Batken district")


def test_enclave_and_district_locations():
    square = shapely.box(70.5, 39.8, 70.6, 39.9)
    areas = gpd.GeoDataFrame(
        {
            "id": ["d1_enclave_v"],
            "kind": ["enclave"],
            "depiction": ["d1"],
            "enclave_key": ["v"],
            "precision_m": [50],
        },
        geometry=[square],
        crs=CRS,
    )
    ctx = Context({"areas": areas}, {"depictions": [{"id": "d1", "source_id": "ds_x"}]}, {}, "d1")
    enclave = locate({"enclave": "v"}, {}, ctx)
    assert (
        enclave.geometry.equals(square)
        and enclave.precision_m == 50
        and enclave.source_ids == ("ds_x",)
    )
    district = locate({"district": "Leilek district"}, {}, ctx)
    assert district.geometry is None and district.method == "none: located only to Leilek district"


def test_build_curated_on_hand_made_layers():
    layers = meridian_layers((70.005, 40.0))
    layers["areas"] = gpd.GeoDataFrame(
        {"id": [], "enclave_key": [], "depiction": []}, geometry=[], crs=CRS
    )
    out = build_curated(ROOT, layers, as_of="2026-11-24", meta={"default_depiction": "d1"})
    sections, incidents = out["sections"], out["incidents"]
    assert len(sections) >= 29 and len(incidents) >= 15
    assert len(out["sources"]) > 200 and len(out["figures"]) > 137
    assert set(sections["status"]) <= {"settled", "abolished", "undetermined", "agreed", "disputed"}
    for frame in (sections, incidents):
        nulls = frame[frame.geometry.isna()]
        assert nulls["geometry_method"].str.startswith("none: located only to").all()
        assert nulls["precision_m"].isna().all()
        assert frame["sources"].map(len).min() >= 1
