"""Enclave detection and naming on hand-made polygons (no downloads)."""

from __future__ import annotations

import shapely
from shapely.geometry import Polygon, box

from bordermap.derive.enclaves import find_enclaves, identify, known_enclaves
from bordermap.upstream.geonames import GeoNamesRecord


def _place(geonameid: int, lon: float, lat: float, name: str = "X") -> GeoNamesRecord:
    return GeoNamesRecord(geonameid, name, (), lon, lat, "PPL", "TJ", 0, "2020-01-01")


SHELL = box(70.0, 39.5, 71.0, 40.5)
VORUKH_LIKE = box(70.5, 39.8, 70.6, 39.9)


def test_component_inside_another_country_is_an_enclave() -> None:
    kg = Polygon(SHELL.exterior.coords, [VORUKH_LIKE.exterior.coords])
    tj = shapely.union(box(71.0, 39.5, 72.0, 40.5), VORUKH_LIKE)
    found = find_enclaves({"KG": kg, "TJ": tj})
    assert [(a, s, p.equals(VORUKH_LIKE)) for a, s, p in found] == [("TJ", "KG", True)]


def test_enclave_with_gap_to_its_surroundings_is_still_found() -> None:
    kg = Polygon(SHELL.exterior.coords, [VORUKH_LIKE.buffer(0.001).exterior.coords])
    found = find_enclaves({"KG": kg, "TJ": VORUKH_LIKE})
    assert [(a, s) for a, s, _ in found] == [("TJ", "KG")]


def test_identify_names_by_anchor_and_describes_the_rest() -> None:
    places = {
        1220164: _place(1220164, 70.55, 39.85, "Vorukh"),
        8377525: _place(8377525, 75.0, 45.0, "Kulundu"),  # too far to name anything
    }
    other = box(70.1, 39.6, 70.12, 39.62)
    enclaves = identify([("TJ", "KG", VORUKH_LIKE), ("TJ", "KG", other)], places, known_enclaves())
    keys = {e.key: e for e in enclaves}
    assert keys["vorukh"].names["ru"] == "Ворух"
    assert "tj_in_kg_near_vorukh" in keys
    assert "not in the catalogue" in keys["tj_in_kg_near_vorukh"].identified_by
