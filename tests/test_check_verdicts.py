"""The verdict rules on constructed cases, and figure checks on the mini fixture against
lengths computed independently with GeographicLib."""

from __future__ import annotations

import pytest
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.check import check_figures, parse_claim
from bordermap.check.verdicts import (
    CONTEXT,
    OTHER_DEFINITION,
    OTHER_VINTAGE,
    REFERENCE,
    SCALE,
    Counterpart,
    decide,
    figure_interval,
    rounding,
)
from bordermap.errors import UsageError

G = Geodesic.WGS84


def line_km(points: list[tuple[float, float]]) -> float:
    return (
        sum(G.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in zip(points[:-1], points[1:], strict=True))
        / 1000
    )


ALPHA_KM = line_km([(0, 0), (1, 0.05), (2, 0)])
ENCLAVE_KM = line_km([(1.1, 0.3), (1.1, 0.4), (1.0, 0.4), (1.0, 0.3), (1.1, 0.3)])


def cp(value: float, role: str, spread: float = 0.1, depiction: str = "d") -> Counterpart:
    return Counterpart(depiction, role, value, value - spread, value + spread, role)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(971, 0.5), (970, 5.0), (1006.84, 0.005), (2110, 5.0), (2000, 500.0), (25, 0.5)],
)
def test_rounding_is_half_the_last_significant_digit(value: float, expected: float) -> None:
    assert rounding(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        (971, 970.5, 971.5),  # half its last digit
        (970, 965.0, 975.0),  # half its last significant digit: 5 km, under 1 %
        (1000, 990.0, 1010.0),  # a round number: at most 1 % (not 500–1,500 km)
        (2000, 1980.0, 2020.0),
        (84.5, 84.45, 84.55),
        (35, 34.5, 35.5),  # not round: half a unit even above 1 %
        (20, 19.5, 20.5),  # round, but never tighter than half a unit
    ],
)
def test_a_figure_is_an_interval_from_its_stated_precision(
    value: float, low: float, high: float
) -> None:
    assert figure_interval(value) == (pytest.approx(low), pytest.approx(high))


def test_range_figures_cover_both_ends() -> None:
    assert figure_interval(60, 70) == (pytest.approx(59.4), pytest.approx(70.7))


PARTS = [
    cp(100, REFERENCE, depiction="a"),
    cp(110, REFERENCE, depiction="b"),
    cp(125, OTHER_VINTAGE, depiction="old"),
    cp(130, OTHER_DEFINITION),
    Counterpart("a", "rulers", 150, 140, 160, SCALE),
    cp(300.4, CONTEXT),
]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (100.0, "within_uncertainty"),  # one current depiction within its precision
        (105.0, "within_spread"),  # between the two current depictions, matching neither
        (118.0, "line_vintage"),  # only with the depiction of another vintage
        (130.0, "different_definition"),
        (145.0, "map_scale"),  # inside the ruler range
        (300.0, "unexplained"),  # context values never decide
    ],
)
def test_first_row_of_the_decision_table_decides(value: float, verdict: str) -> None:
    assert decide(figure_interval(value), PARTS).verdict == verdict


def test_unexplained_says_how_far_the_nearest_misses() -> None:
    decision = decide(figure_interval(300), PARTS)  # 297–303 against the rulers' 140–160
    assert decision.basis is not None and decision.basis.definition == "rulers"
    assert decision.miss == pytest.approx(297 - 160)


def test_reference_wins_over_a_closer_match_of_a_weaker_row() -> None:
    decision = decide(figure_interval(100), [cp(99.9, REFERENCE, 0.5), cp(100.0, SCALE, 0.5)])
    assert decision.verdict == "within_uncertainty"
    assert decision.basis is not None and decision.basis.value == 99.9


def test_no_counterpart_is_not_measurable_and_counts_above_a_lower_bound_too() -> None:
    assert decide(figure_interval(5), [cp(5, CONTEXT)]).verdict == "not_measurable"
    counts = [cp(30, REFERENCE, 0.0), cp(20, OTHER_DEFINITION, 0.0)]
    assert decide(figure_interval(70), counts, lower_bounds=True).verdict == "not_measurable"
    assert decide(figure_interval(12), counts, lower_bounds=True).verdict == "unexplained"
    assert decide(figure_interval(70), counts).verdict == "unexplained"


@pytest.fixture(scope="module")
def ds(mini):  # type: ignore[no-untyped-def]
    return bordermap.load(mini)


def check(ds, claim: str, date: str = "2020-06"):  # type: ignore[no-untyped-def]
    return check_figures(ds, extra=[parse_claim(claim, date)], register=False)[0]


def test_main_line_length_agrees(ds) -> None:  # type: ignore[no-untyped-def]
    record = check(ds, f"border_length={ALPHA_KM:.2f}km")
    assert record["verdict"] == "within_uncertainty"
    assert record["compared_with"]["value"] == pytest.approx(ALPHA_KM, rel=1e-9)
    assert record["ratio"] == pytest.approx(round(ALPHA_KM, 2) / ALPHA_KM, rel=1e-9)


def test_enclave_perimeters_are_another_definition(ds) -> None:  # type: ignore[no-untyped-def]
    total = ALPHA_KM + ENCLAVE_KM
    record = check(ds, f"border_length={total:.1f}km")
    assert record["verdict"] == "different_definition"
    assert record["compared_with"]["value"] == pytest.approx(total, rel=1e-9)
    assert "enclave perimeters" in record["explanation"]


def test_after_the_line_changed_depictions_are_another_vintage(ds) -> None:  # type: ignore[no-untyped-def]
    # Both mini lines are dated 2010/2020 and the line's status changed on 2025-03-19.
    record = check(ds, f"border_length={ALPHA_KM:.2f}km", "2026-01-01")
    assert record["verdict"] == "line_vintage"
    assert "2025-03-19" in record["explanation"]


def test_counts_below_the_documented_number_are_a_lower_bound_question(ds) -> None:  # type: ignore[no-untyped-def]
    # On 2021-05-02 each party's view holds two sections (s-1-kg or s-1-tj, and s-2).
    assert check(ds, "section_count=2sections", "2021-05-02")["verdict"] == "within_uncertainty"
    record = check(ds, "section_count=70sections", "2021-05-02")
    assert record["verdict"] == "not_measurable" and "lower bound" in record["explanation"]
    # s-2 ended on 2025-03-19: one section per view afterwards.
    assert check(ds, "section_count=1sections", "2025-06-01")["verdict"] == "within_uncertainty"


def test_people_and_delimitation_unknowns_are_not_measurable(ds) -> None:  # type: ignore[no-untyped-def]
    assert check(ds, "casualties=55")["verdict"] == "not_measurable"
    # Before 2025 the mini line is recorded as disputed along its whole length: 0 km delimited.
    assert check(ds, "delimited_length=0km", "2021")["compared_with"]["value"] == 0.0
    # With the status unknown ("undetermined") the data cannot say.
    boundary = ds.layers["boundary"].copy()
    boundary["status_history"] = [[{"from": None, "to": None, "status": "undetermined"}]] * len(
        boundary
    )
    unknown = bordermap.Dataset(meta=ds.meta, layers={**ds.layers, "boundary": boundary})
    record = check(unknown, "delimited_length=100km", "2021")
    assert record["verdict"] == "not_measurable" and record["settle"]


def test_delimited_length_after_settlement_is_the_whole_line(ds) -> None:  # type: ignore[no-untyped-def]
    # From 2025-03-19 every stretch is settled: the delimited length is the whole main line, but
    # measured on depictions older than that change (2010, 2020): another vintage of the line.
    record = check(ds, f"delimited_length={ALPHA_KM:.1f}km", "2025-06-01")
    assert record["verdict"] == "line_vintage"
    assert record["compared_with"]["value"] == pytest.approx(ALPHA_KM, rel=1e-9)


def test_enclave_area_is_found_by_name(ds) -> None:  # type: ignore[no-untyped-def]
    poly = G.Polygon()
    for lon, lat in [(1.1, 0.3), (1.1, 0.4), (1.0, 0.4), (1.0, 0.3)]:
        poly.AddPoint(lat, lon)
    area = abs(poly.Compute(False, True)[2]) / 1e6
    figure = {
        **parse_claim(f"enclave_area={area:.0f}km2", "2020"),
        "statement": "The Test enclave covers this much.",
    }
    record = check_figures(ds, extra=[figure], register=False)[0]
    assert record["verdict"] == "within_uncertainty"
    assert record["compared_with"]["value"] == pytest.approx(area, rel=1e-9)


def test_area_claim_without_claim_polygons_shows_what_can_be_measured(ds) -> None:  # type: ignore[no-untyped-def]
    record = check(ds, "area_claim=2110km2", "2022-09-24")
    assert record["verdict"] == "not_measurable"
    definitions = {m["definition"] for m in record["measured"]}
    assert "divergence between depictions, total area" in definitions
    # Mean depth of the band (km): the figure's interval 2,105–2,115 km² over the line's length.
    assert f"{2105 / ALPHA_KM:,.2f}–{2115 / ALPHA_KM:,.2f} km deep" in record["explanation"]


def test_same_number_different_quantity_is_pointed_out(ds) -> None:  # type: ignore[no-untyped-def]
    claim = {**parse_claim("area_claim=2000km2", "2022-09"), "id": "claim-a"}
    fight = {
        **parse_claim("area_other=2000km2", "2022-09"),
        "id": "fight",
        "measures": "area of fighting",
    }
    records = check_figures(ds, extra=[claim, fight], register=False)
    assert "fight (other area: area of fighting)" in records[0]["explanation"]  # the category in words


def test_bad_claims_and_ids_are_usage_errors(ds) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="CATEGORY\\[:FEATURE\\]=VALUE"):
        parse_claim("971km")
    with pytest.raises(UsageError, match="unknown category"):
        parse_claim("length=971km")
    with pytest.raises(UsageError, match="no figure 'nope'"):
        check_figures(ds, ids=["nope"])
