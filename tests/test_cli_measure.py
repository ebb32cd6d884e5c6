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


def _with_unlocated_section(mini_copy):
    """The mini dataset with one more disputed section that the sources locate only to a district."""
    path = mini_copy / "sections.geojson"
    layer = json.loads(path.read_text(encoding="utf-8"))
    source = next(f for f in layer["features"] if f["id"] == "s-2")
    props = {k: v for k, v in source["properties"].items() if k not in ("place_ids", "valid_to")}
    props.update(id="s-3", names={"en": "Section three"}, location_precision="district", precision_m=None,
                 geometry_method="none: located only to Alpha district; no source names a village")
    layer["features"].append({"type": "Feature", "id": "s-3", "properties": props, "geometry": None})
    path.write_text(json.dumps(layer), encoding="utf-8")
    return layer["features"]


def test_a_feature_without_geometry_says_it_is_not_measured(runner, mini_copy):
    _with_unlocated_section(mini_copy)
    record = _records(runner, str(mini_copy), "--layer", "sections")["s-3"]
    assert record["length_km"] is None and record["area_km2"] is None
    assert record["located"] is False and record["placeholder"] is False
    assert record["note"] == "no geometry, not measured: located only to Alpha district; no source names a village"
    located = _records(runner, str(mini_copy), "--layer", "sections")["s-2"]
    assert located["located"] is True and "no geometry" not in (located["note"] or "")


def test_grouped_rows_count_what_they_leave_out(runner, mini_copy):
    features = _with_unlocated_section(mini_copy)
    result = runner.invoke(main, ["measure", str(mini_copy), "--layer", "sections", "--by", "status",
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["status"]: r for r in json.loads(result.output)}
    disputed = [f for f in features if f["properties"]["status"] == "disputed"]
    assert rows["disputed"]["features"] == len(disputed) == 2
    assert rows["disputed"]["without_geometry_left_out"] == 1
    # s-2 is a point: drawn, but a point has neither length nor area, so nothing is added.
    assert rows["disputed"]["measured"] == 0 and rows["disputed"]["length_km"] is None
    assert rows["settled"]["measured"] == rows["settled"]["features"] == 2
    assert rows["settled"]["without_geometry_left_out"] == 0


def test_without_a_date_every_record_says_which_statuses_it_uses(runner, mini):
    records = _records(runner, str(mini))
    as_of = json.loads((mini / "dataset.json").read_text(encoding="utf-8"))["as_of"]
    assert {r["as_of"] for r in records.values()} == {f"current status (dataset as of {as_of})"}
    dated = _records(runner, str(mini), "--as-of", "2021-04-28")
    assert {r["as_of"] for r in dated.values()} == {"2021-04-28"}
