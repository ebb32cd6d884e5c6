"""Issue 12, parts 1-3: course apart from status, the spread of the depictions, placeholders.

Expected values come from the raw GeoJSON files and GeographicLib, never from bordermap itself.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

import bordermap
from bordermap.cli.main import main
from bordermap.derive.recipe import read_recipe
from bordermap.maps.style import STATUS_DASH, drawn_status
from bordermap.model import AGREED_STATUSES, COURSES, is_placeholder
from bordermap.perspective import course_on, select, status_on

KG_TJ_DATES = read_recipe(Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated").dates
TREATY_IN_FORCE = KG_TJ_DATES["treaty_in_force"]


WGS84 = Geodesic.WGS84
GEODATA = Path(bordermap.__file__).resolve().parents[2] / "geodata" / "kg-tj"
TREATY = TREATY_IN_FORCE  # the build's one rule: settled from the entry into force


def _features(layer: str) -> list[dict]:
    return json.loads((GEODATA / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]


def _ring(coords) -> tuple[float, float]:
    poly = WGS84.Polygon()
    for lon, lat in coords[:-1]:
        poly.AddPoint(lat, lon)
    _, perimeter, area = poly.Compute(False, True)
    return perimeter, abs(area)


def _polygon_area_km2(geometry: dict) -> float:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    total = 0.0
    for rings in polygons:
        total += _ring(rings[0])[1] - sum(_ring(hole)[1] for hole in rings[1:])
    return total / 1e6


@pytest.fixture(scope="module")
def vorukh_by_depiction() -> dict[str, float]:
    """Vorukh's area (km², GeographicLib) in each depiction that draws it, from areas.geojson."""
    out = {}
    for f in _features("areas"):
        p = f["properties"]
        if p.get("kind") == "enclave" and p.get("enclave_key") == "vorukh":
            out[p["depiction"]] = _polygon_area_km2(f["geometry"])
    return out


def _dataset_as_of() -> str:
    return json.loads((GEODATA / "dataset.json").read_text(encoding="utf-8"))["as_of"]


# --- 1. course apart from status --------------------------------------------------------------

def test_course_enum_matches_the_schema():
    defs = json.loads((Path(bordermap.__file__).parent / "schema" / "defs.json").read_text(encoding="utf-8"))
    assert tuple(defs["$defs"]["course"]["enum"]) == COURSES


def test_every_boundary_feature_knows_its_course_apart_from_its_status():
    for f in _features("boundary"):
        p = f["properties"]
        history = p["course_history"]
        # the course changes where the status changes, and says which depiction draws it
        assert [(e["from"], e["to"]) for e in history] == [(e["from"], e["to"]) for e in p["status_history"]]
        assert all(e["depiction"] == p["depiction"] for e in history)
        for status, course in zip(p["status_history"], history, strict=True):
            if status["status"] in AGREED_STATUSES:
                # no source publishes the treaty's line: a settled status has no known course
                assert course["course"] == "not_published", p["id"]
                assert "predates" in course["note"]
            else:
                assert course["course"] == "depicted", p["id"]


def test_course_on_follows_the_history_and_never_invents_a_published_course():
    import datetime as dt

    line = next(f["properties"] for f in _features("boundary") if f["properties"]["part"] == "main")
    assert course_on(line, dt.date(2021, 4, 28)) == "depicted"
    assert course_on(line, dt.date.fromisoformat(TREATY)) == "not_published"
    # without a history: a depiction's line is only depicted; a bare feature's course is unknown
    assert course_on({"status": "agreed", "depiction": "x"}, None) == "depicted"
    assert course_on({"status": "agreed"}, None) == "unknown"


def test_only_a_published_course_is_drawn_as_an_agreed_line():
    for status in AGREED_STATUSES:
        assert STATUS_DASH[drawn_status(status, "published")] is None
        for course in ("not_published", "depicted", "unknown"):
            assert STATUS_DASH[drawn_status(status, course)] is not None


def test_at_the_default_date_no_boundary_feature_is_styled_as_a_known_agreed_course():
    ds = bordermap.load()
    frame = select(ds.layer("boundary"), "neutral", _dataset_as_of())
    assert len(frame) == len(_features("boundary"))
    for status, course in zip(frame["status"], frame["course"], strict=True):
        assert STATUS_DASH[drawn_status(status, course)] is not None, (status, course)


def _map_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="bm-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_html_map_draws_no_line_as_the_agreed_line_and_its_legend_says_what_is_drawn(runner, tmp_path):
    out = tmp_path / "m.html"
    assert runner.invoke(main, ["map", "-o", str(out)]).exit_code == 0
    data = _map_data(out.read_text(encoding="utf-8"))
    n_days = len(data["days"])
    offset = data["start"]["view"] * n_days + data["start"]["day"]
    assert data["days"][data["start"]["day"]]["d"] == _dataset_as_of()
    line_groups = {i for i, g in enumerate(data["groups"]) if "Line:" in g["label"]}
    drawn = 0
    for f in data["features"]:
        if f["g"] not in line_groups:
            continue
        code = data["rows"][f["r"]][offset]
        if code == "-":
            continue
        name = data["statuses"][int(code, 36)]["name"]
        assert data["groups"][f["g"]]["dash"][name] is not None, (f["id"], name)
        drawn += 1
    assert drawn == sum(1 for f in _features("boundary"))
    legend = data["legend"]
    dataset = json.loads((GEODATA / "dataset.json").read_text(encoding="utf-8"))
    osm = next(d for d in dataset["depictions"] if d["id"] == dataset["default_depiction"])
    assert f"settled from {TREATY}" in legend and "course not published; drawn: " in legend
    assert f"{osm['title']} ({osm['vintage']}, pre-dates it)" in legend


def test_static_map_draws_every_line_dashed_and_its_legend_says_what_is_drawn():
    from matplotlib.collections import LineCollection

    from bordermap.maps.static import MapView, map_figure, pyplot

    fig = map_figure(MapView.of(bordermap.load()))
    try:
        lines = [c for ax in fig.axes for c in ax.collections
                 if isinstance(c, LineCollection) and c.get_zorder() in (4, 5)]
        assert lines
        for collection in lines:  # boundary lines: zorder 4 (other depictions) and 5 (default)
            assert all(dashes is not None for _, dashes in collection.get_linestyle())
        texts = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    finally:
        pyplot().close(fig)
    joined = " ".join(" ".join(texts).split())
    assert "settled, course not published" in joined
    assert f"settled from {TREATY}" in joined and "each pre-dating it" in joined
    depictions = json.loads((GEODATA / "dataset.json").read_text(encoding="utf-8"))["depictions"]
    assert f"drawn: {len(depictions)} depictions, each pre-dating it" in joined
    for depiction in depictions:  # each drawn depiction has its own legend entry by colour
        assert f"Line: {textwrap.shorten(depiction['title'], 44, placeholder='…')}" in texts
    assert "  settled" not in texts  # no solid "settled" entry


def test_export_says_the_course(runner, tmp_path):
    import csv

    out = tmp_path / "e.csv"
    assert runner.invoke(main, ["export", "-o", str(out), "--layer", "boundary"]).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {r["course"] for r in rows} <= {"not_published", "depicted"}
    assert {r["course"] for r in rows if r["status"] == "settled"} == {"not_published"}


# --- 2. the spread beside every value ---------------------------------------------------------

def _vorukh_words(areas: dict[str, float]) -> list[str]:
    low, high = min(areas.values()), max(areas.values())
    return [f"{low:,.1f}–{high:,.1f} km²", *(f"{dep} {value:,.1f}" for dep, value in areas.items())]


def test_vorukh_spread_names_every_depiction(vorukh_by_depiction):
    from bordermap.spread import spreads

    assert set(vorukh_by_depiction) == {"osm2022", "osm2017", "ne10", "dcw"}
    found = spreads(bordermap.load())["enclave vorukh"]["area_km2"]
    assert found.values == pytest.approx(vorukh_by_depiction, rel=1e-9)
    assert found.default == "osm2022"
    text = found.text()
    for word in _vorukh_words(vorukh_by_depiction):
        assert word in text
    assert "33.2–141.6 km²" in text  # the issue's numbers, as a reader checks them
    assert "osm2022 33.2 (default depiction, a drawing choice)" in text


def test_vorukh_popup_shows_the_range_and_every_depiction(runner, tmp_path, vorukh_by_depiction):
    out = tmp_path / "m.html"
    assert runner.invoke(main, ["map", "-o", str(out)]).exit_code == 0
    data = _map_data(out.read_text(encoding="utf-8"))
    popup = next(f["pop"] for f in data["features"] if f["id"] == "sec_vorukh_enclave")
    popup = re.sub(r'<i data-s="(\d+)"></i>', lambda m: data["snippets"][int(m.group(1))], popup)
    for word in _vorukh_words(vorukh_by_depiction):
        assert word in popup
    assert "<th>area</th><td>osm2022: 33.2" in popup and "<th>area, every depiction</th>" in popup


def test_vorukh_in_the_report_shows_the_range(runner, tmp_path, vorukh_by_depiction):
    out = tmp_path / "rep"
    assert runner.invoke(main, ["report", "-o", str(out), "--no-maps"]).exit_code == 0
    text = (out / "report.md").read_text(encoding="utf-8").replace("\\", "")
    vorukh = text.split("### Vorukh (sec_vorukh_enclave)")[1].split("\n### ")[0]
    for word in _vorukh_words(vorukh_by_depiction):
        assert word in vorukh
    assert "as drawn by osm2022" in vorukh


@pytest.mark.tools
def test_vorukh_in_the_atlas_shows_the_range(runner, tmp_path, need_tool, vorukh_by_depiction):
    pdftotext = need_tool("pdftotext")
    out = tmp_path / "atlas.pdf"
    assert runner.invoke(main, ["atlas", "-o", str(out)]).exit_code == 0
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if "sec_vorukh_enclave ·" in p]  # the section's own pages
    flat = " ".join(" ".join(pages).split())
    for word in _vorukh_words(vorukh_by_depiction):
        assert word in flat
    kulundu = next(p for p in text.split("\f") if "sec_kulundu_ovchi_kalacha" in p and "Measured" in p)
    assert "placeholder, not a measurement" in " ".join(kulundu.split())
    assert "Length (geodesic" not in kulundu


def test_grouped_measure_never_adds_depictions_and_states_perspective_and_date(runner):
    result = runner.invoke(main, ["measure", "--by", "status", "--format", "json", "--as-of", "2021-04-28"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {r["perspective"] for r in records} == {"neutral"} and {r["as_of"] for r in records} == {"2021-04-28"}
    boundary = [r for r in records if r["layer"] == "boundary"]
    assert sorted(r["depiction"] for r in boundary) == sorted({"osm2022", "osm2017", "ne10", "dcw"})
    # each depiction's line (main + enclave perimeters), summed with GeographicLib from the file
    expected: dict[str, float] = {}
    for f in _features("boundary"):
        coords = f["geometry"]["coordinates"]
        parts = coords if f["geometry"]["type"] == "MultiLineString" else [coords]
        metres = sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]
                     for part in parts for a, b in zip(part, part[1:], strict=False))
        dep = f["properties"]["depiction"]
        expected[dep] = expected.get(dep, 0.0) + metres / 1000
    for r in boundary:
        assert r["length_km"] == pytest.approx(expected[r["depiction"]], rel=1e-9)
    assert max(r["length_km"] for r in boundary) < 1000  # no sum over depictions (which exceeds 3,600 km)


def test_measure_spread_table_gives_each_depiction_and_the_range(runner, vorukh_by_depiction):
    result = runner.invoke(main, ["measure", "--spread", "--format", "json"])
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.output) if r["thing"] == "enclave vorukh" and r["quantity"] == "area_km2")
    for dep, value in vorukh_by_depiction.items():
        assert row[dep] == pytest.approx(value, rel=1e-9)
    assert row["min"] == pytest.approx(min(vorukh_by_depiction.values()), rel=1e-9)
    assert row["max"] == pytest.approx(max(vorukh_by_depiction.values()), rel=1e-9)
    assert row["default_depiction"] == "osm2022" and row["depictions"] == 4


def test_measure_records_carry_the_range_of_the_thing_they_draw(runner, vorukh_by_depiction):
    result = runner.invoke(main, ["measure", "--layer", "sections", "--format", "json"])
    assert result.exit_code == 0, result.output
    vorukh = next(r for r in json.loads(result.output) if r["id"] == "sec_vorukh_enclave")
    assert vorukh["thing"] == "enclave vorukh" and vorukh["drawn_by"] == "osm2022"
    assert vorukh["area_km2"] == pytest.approx(vorukh_by_depiction["osm2022"], rel=1e-9)
    assert vorukh["thing_area_km2_max"] == pytest.approx(max(vorukh_by_depiction.values()), rel=1e-9)
    # The range is the whole thing's, and its name says so: no bare "area_km2_max" beside area_km2.
    assert not any(k.startswith(("area_km2_", "length_km_")) for k in vorukh)


def test_the_csv_export_gives_the_range_beside_one_depictions_value(runner, tmp_path, vorukh_by_depiction):
    out = tmp_path / "sections.csv"
    result = runner.invoke(main, ["export", "-o", str(out), "--layer", "sections"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        vorukh = next(r for r in csv.DictReader(handle) if r["id"] == "sec_vorukh_enclave")
    assert vorukh["drawn_by"] == "osm2022" and vorukh["thing"] == "enclave vorukh"
    assert float(vorukh["area_km2"]) == pytest.approx(vorukh_by_depiction["osm2022"], rel=1e-6)
    assert float(vorukh["thing_area_km2_min"]) == pytest.approx(min(vorukh_by_depiction.values()), rel=1e-6)
    assert float(vorukh["thing_area_km2_max"]) == pytest.approx(max(vorukh_by_depiction.values()), rel=1e-6)


# --- 3. placeholders ------------------------------------------------------------------------

def test_placeholders_are_recognised_from_the_flag_and_from_the_stand_in_methods():
    assert is_placeholder({"placeholder": True, "geometry_method": "anything"})
    assert not is_placeholder({"placeholder": False, "geometry_method": "extracted from a survey"})
    stretches = [f["properties"] for f in _features("sections")
                 if "stretch of" in f["properties"]["geometry_method"]]
    assert len(stretches) >= 3 and all(is_placeholder(p) for p in stretches)
    assert not any(is_placeholder(f["properties"]) for f in _features("places"))  # the gazetteer's own points
    assert not any(is_placeholder(f["properties"]) for f in _features("boundary"))


def test_measure_flags_placeholders_and_prints_no_length_for_them(runner):
    result = runner.invoke(main, ["measure", "--layer", "sections", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in json.loads(result.output)}
    kulundu = records["sec_kulundu_ovchi_kalacha"]
    assert kulundu["placeholder"] is True and kulundu["length_km"] is None
    assert kulundu["note"].startswith("placeholder, not a measurement") and "Kulundu" in kulundu["note"]
    assert records["sec_vorukh_enclave"]["placeholder"] is False
    table = runner.invoke(main, ["measure", "--layer", "sections"]).output
    line = next(ln for ln in table.splitlines() if ln.startswith("sections  sec_kulundu"))
    assert "placeholder, not a measurement" in line and "6.000" not in line


def test_report_prints_no_placeholder_length(runner, tmp_path):
    out = tmp_path / "rep"
    assert runner.invoke(main, ["report", "-o", str(out), "--no-maps"]).exit_code == 0
    text = (out / "report.md").read_text(encoding="utf-8").replace("\\", "")
    for sid in ("sec_kulundu_ovchi_kalacha", "sec_lakkon_kara_bak", "sec_samarkandek_chorkuh_surkh"):
        block = text.split(f"({sid})")[1].split("\n### ")[0]
        assert "placeholder, not a measurement" in block
        assert "Length (geodesic" not in block


# --- 4. unknown perspective -------------------------------------------------------------------

def test_measure_refuses_an_unknown_perspective(runner):
    result = runner.invoke(main, ["measure", "--perspective", "XX"])
    assert result.exit_code == 2
    assert "XX" in result.output and "neutral, de-facto, KG, TJ" in result.output


def test_status_is_still_the_status():
    import datetime as dt

    line = next(f["properties"] for f in _features("boundary") if f["properties"]["part"] == "main")
    assert status_on(line, dt.date.fromisoformat(TREATY)) == "settled"


def test_info_says_the_settled_line_has_no_published_course(runner):
    result = runner.invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("Course of the line:"))
    assert f"settled from {TREATY}" in line and "course not published" in line
    dataset = json.loads((GEODATA / "dataset.json").read_text(encoding="utf-8"))
    for depiction in dataset["depictions"]:  # every depiction named, each older than the treaty
        assert f"{depiction['title']} ({depiction['vintage']}, pre-dates it)" in line


def test_a_published_course_is_drawn_solid_and_an_unpublished_one_is_not(mini_copy):
    from bordermap.maps.html import render_map

    path = mini_copy / "boundary.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    for f in collection["features"]:
        if f["properties"]["id"] == "b-alpha-0":  # a survey of the settled line is published
            f["properties"]["course_history"] = [
                {"from": None, "to": TREATY, "course": "depicted", "depiction": "alpha"},
                {"from": TREATY, "to": None, "course": "published", "source_ids": ["src_news"]},
            ]
    path.write_text(json.dumps(collection), encoding="utf-8")
    data = _map_data(render_map(bordermap.load(mini_copy), as_of="2026-01-01"))
    offset = data["start"]["view"] * len(data["days"]) + data["start"]["day"]
    drawn = {}
    for f in data["features"]:
        if f["id"] in ("b-alpha-0", "b-beta-0"):
            name = data["statuses"][int(data["rows"][f["r"]][offset], 36)]["name"]
            drawn[f["id"]] = (name, data["groups"][f["g"]]["dash"][name])
    assert drawn["b-alpha-0"] == ("settled", None)  # solid: the course is published
    assert drawn["b-beta-0"][0] == "settled, course not published" and drawn["b-beta-0"][1] is not None
