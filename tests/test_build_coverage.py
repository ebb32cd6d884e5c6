"""Coverage repair on small hand-made polygons (no downloads)."""

from __future__ import annotations

import shapely
from shapely.geometry import Polygon, box

from bordermap.derive.coverage import make_coverage, overlaps

WINDOW = box(-10, -10, 20, 20)


def test_enclave_drawn_over_is_cut_out_of_the_surrounding_country() -> None:
    outer = box(0, 0, 10, 10)  # no hole: draws over the enclave, like geo-maps 2017 at Vorukh
    inner = box(4, 4, 5, 5)
    coverage, repairs = make_coverage(
        {"KG": outer, "TJ": shapely.union(box(10, 0, 15, 10), inner)}, WINDOW
    )
    assert overlaps(coverage) == 0
    assert len(coverage["KG"].interiors) == 1
    assert [(r.action, r.country, r.other) for r in repairs] == [("enclave cut out", "KG", "TJ")]
    assert repairs[0].area_km2 > 0


def test_overlap_sliver_goes_to_the_country_that_surrounds_it_most() -> None:
    kg = box(0, 0, 10, 10)
    tj = shapely.union(box(10, 0, 20, 10), box(9.9, 2, 10, 8))  # a TJ tongue 0.1 deep into KG
    coverage, repairs = make_coverage({"KG": kg, "TJ": tj}, WINDOW)
    assert overlaps(coverage) == 0
    # KG touches the tongue on three sides (6.2 units), TJ's rest on one (6 units).
    assert [(r.action, r.country, r.other) for r in repairs] == [("overlap removed", "TJ", "KG")]
    assert coverage["KG"].area == kg.area


def test_invalid_polygon_is_made_valid_and_reported_inside_the_window() -> None:
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    coverage, repairs = make_coverage({"KG": bowtie, "TJ": box(5, 5, 6, 6)}, WINDOW)
    assert coverage["KG"].is_valid and coverage["KG"].area > 0
    assert repairs[0].action == "made valid"
    assert (repairs[0].lon, repairs[0].lat) == (1.0, 1.0)


def test_countries_are_clipped_to_the_window() -> None:
    coverage, repairs = make_coverage({"KG": box(0, 0, 30, 5), "TJ": box(0, 5, 30, 10)}, WINDOW)
    assert coverage["KG"].bounds == (0, 0, 20, 5)
    assert repairs == []
