import json

from geographiclib.geodesic import Geodesic

from bordermap.cli.main import main

WGS84 = Geodesic.WGS84


def _line_km(points):
    steps = zip(points, points[1:], strict=False)  # consecutive pairs: one fewer than the points
    return sum(WGS84.Inverse(la1, lo1, la2, lo2)["s12"] for (lo1, la1), (lo2, la2) in steps) / 1000


def _records(runner, *args):
    result = runner.invoke(main, ["measure", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in json.loads(result.output)}


def test_measure_lengths_match_geographiclib(runner, mini):
    records = _records(runner, str(mini))
    expected = _line_km([(0, 0), (1, 0.05), (2, 0)])
    assert abs(records["b-alpha-0"]["length_km"] - expected) < 1e-9 * expected
    assert records["b-alpha-0"]["area_km2"] is None


def test_measure_enclave_area_matches_geographiclib(runner, mini):
    poly = WGS84.Polygon()
    for lon, lat in [(1.0, 0.3), (1.1, 0.3), (1.1, 0.4), (1.0, 0.4)]:
        poly.AddPoint(lat, lon)
    _, perimeter, area = poly.Compute()
    record = _records(runner, str(mini))["a-alpha-e1"]
    assert abs(record["area_km2"] - abs(area) / 1e6) < 1e-6
    assert abs(record["length_km"] - perimeter / 1000) < 1e-9


def test_perspective_and_date_change_what_is_measured(runner, mini):
    kg_2021 = _records(runner, str(mini), "--perspective", "KG", "--as-of", "2021-04-28")
    tj_2026 = _records(runner, str(mini), "--perspective", "TJ", "--as-of", "2026-01-01")
    assert "s-1-kg" in kg_2021 and "s-1-tj" not in kg_2021
    assert "s-1-tj" in tj_2026 and "s-1-kg" not in tj_2026
    # Section two ends on 2025-03-19, and the claim lines are settled by then.
    assert "s-2" in kg_2021 and "s-2" not in tj_2026
    assert kg_2021["s-1-kg"]["status"] == "disputed"
    assert tj_2026["s-1-tj"]["status"] == "settled"


def test_group_by_depiction_and_part(runner, mini):
    result = runner.invoke(
        main, ["measure", str(mini), "--layer", "boundary", "--by", "depiction,part", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.split(",")[:2] == ["depiction", "part"]
    assert len(rows) == 3


def test_unknown_group_field_is_a_usage_error(runner, mini):
    result = runner.invoke(main, ["measure", str(mini), "--by", "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.output


def test_bad_perspective_is_a_usage_error(runner, mini):
    result = runner.invoke(main, ["measure", str(mini), "--perspective", "Kyrgyz"])
    assert result.exit_code == 2
