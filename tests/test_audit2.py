"""What ``measure --spread``, ``diverge``, ``world``, ``info``, ``export``, ``validate`` and the ``--help`` texts say.

Each test holds one finding of the second wording audit: a statement that claims more than the
data knows (a difference smaller than what the lines are accurate to called a divergence, digits a
line drawn to ±50 m does not have, one of two contradictory figures shown as the figure, a map
without its date or sources, a stand-in's position shown as the place itself, a help text that
says an option does what it does not).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import bordermap
from bordermap.cli.main import main


@pytest.fixture(scope="module")
def ds():
    return bordermap.load()


def _precision(ds, depiction: str) -> float:
    return float(ds.depiction(depiction)["precision_m"])


def test_diverge_leaves_out_differences_within_the_lines_precision(ds) -> None:
    """``diverge osm2022 ne10`` listed faces 100–1,000 m wide as divergences: ne10 is drawn to ±1 km."""
    runner = CliRunner()
    result = runner.invoke(main, ["diverge", "osm2022", "ne10", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    floor = max(_precision(ds, "osm2022"), _precision(ds, "ne10"))
    assert records and all(r["max_offset_m"] >= floor for r in records)
    assert {r["precision_m"] for r in records} == {floor}
    # the same faces as the bundled divergence layer, which drops them by the same rule
    layer = ds.layer("divergence")
    built = layer[layer["id"].str.startswith("divergence_osm2022_ne10_")]
    assert sorted(r["id"] for r in records) == sorted(built["id"])
    assert sorted(r["area_km2"] for r in records) == pytest.approx(sorted(built["area_km2"]), rel=1e-5)
    # narrower faces only when asked for, and the summary says what they are
    wide = runner.invoke(main, ["diverge", "osm2022", "ne10", "--min-offset", "100m"])
    assert wide.exit_code == 0
    assert "within what the lines claim to be accurate to" in wide.stderr
    assert "ne10's precision" in runner.invoke(main, ["diverge", "osm2022", "ne10"]).stderr


def test_diverge_table_has_no_digits_the_lines_do_not(ds) -> None:
    """Offsets were printed to the millimetre (7,486.455 m) between lines drawn to ±50 m and ±1 km."""
    runner = CliRunner()
    out = runner.invoke(main, ["diverge", "osm2022", "ne10", "--format", "json"]).output
    raw = {r["id"]: r for r in json.loads(out)}
    csv = runner.invoke(main, ["diverge", "osm2022", "ne10", "--format", "csv"]).output.splitlines()
    header = csv[0].split(",")
    precision = max(_precision(ds, "osm2022"), _precision(ds, "ne10"))
    for line in csv[1:]:
        row = dict(zip(header, line.split(","), strict=True))
        offset, exact = float(row["max_offset_m"]), raw[row["id"]]["max_offset_m"]
        assert offset % precision == 0 and abs(offset - exact) <= precision / 2
        for end in ("from_km", "to_km"):
            assert len(row[end].partition(".")[2]) <= 1
    table = runner.invoke(main, ["diverge", "osm2022", "ne10"])
    first = next(line for line in table.output.splitlines() if line.startswith("divergence_osm2022_ne10_000"))
    exact = raw["divergence_osm2022_ne10_000"]
    assert f"{exact['max_offset_m']:,.3f}" not in first and f"{exact['area_km2']:,.3f}" not in first
    assert f"{exact['area_km2']:,.1f}" in first  # 50.2 km², one decimal from 10 up
    assert f"{sum(r['area_km2'] for r in raw.values()):,.1f} km² in all" in table.stderr


def test_measure_spread_table_and_csv_have_no_digits_the_lines_do_not(ds) -> None:
    """``measure --spread`` printed 1,770.575 km and 33.211 km² for lines drawn to ±50 m and ±1 km."""
    runner = CliRunner()
    raw = json.loads(runner.invoke(main, ["measure", "--spread", "--format", "json"]).output)
    vorukh = next(r for r in raw if r["thing"] == "enclave vorukh" and r["quantity"] == "area_km2")
    kayragach = next(r for r in raw if r["thing"] == "enclave kayragach" and r["quantity"] == "area_km2")
    assert round(vorukh["osm2022"], 3) != round(vorukh["osm2022"], 1)  # the raw value has the digits
    table = runner.invoke(main, ["measure", "--spread"]).output
    line = next(t for t in table.splitlines() if t.startswith("enclave vorukh") and "area_km2" in t)
    assert f"{vorukh['osm2022']:.1f}" in line.split() and f"{vorukh['osm2022']:.3f}" not in line
    assert f"{kayragach['osm2022']:.3f}" in table  # under 1 km²: three significant figures (0.995)
    rows = runner.invoke(main, ["measure", "--spread", "--format", "csv"]).output.splitlines()
    header = rows[0].split(",")
    for row in rows[1:]:
        cells = dict(zip(header, row.split(","), strict=True))
        for dep in [*ds.depictions, "min", "max"]:
            if cells[dep]:
                value = float(cells[dep])
                assert len(cells[dep].partition(".")[2]) <= (1 if value >= 10 else 3), row


@pytest.mark.parametrize("command, says, not_says", [
    (["init"], "dataset.json", "Show the data as of a date"),
    (["check"], "--claim", "Show the data as of a date"),
])
def test_as_of_help_says_what_the_date_does(command, says, not_says) -> None:
    """``init --as-of`` and ``check --as-of`` said "Show the data as of a date"; init writes the
    new dataset's date and check dates the --claim figures (the register keeps its own dates)."""
    text = CliRunner().invoke(main, [*command, "--help"], terminal_width=400).output
    line = next(t for t in text.splitlines() if t.strip().startswith("--as-of"))
    assert says in line and not_says not in line


def test_measure_spread_help_does_not_say_several_depictions() -> None:
    """The table has rows for things one depiction alone draws (Chon-Kara, Kayragach): "several" was untrue."""
    text = CliRunner().invoke(main, ["measure", "--help"], terminal_width=400).output
    line = next(t for t in text.splitlines() if t.strip().startswith("--spread"))
    assert "several" not in line and "how many depictions draw it" in line
    table = json.loads(CliRunner().invoke(main, ["measure", "--spread", "--format", "json"]).output)
    assert any(r["depictions"] == 1 for r in table)


def _world_rows():
    """Two pairs as ``world_check`` writes them: one whose two Factbook entries differ (Germany 447 km,
    Poland 467 km: the Factbook's own figures), one with a short measured line (4.6423 km)."""
    import shapely

    from bordermap.world import Shared, WorldCheck, check_pair

    line = shapely.LineString([(14.0, 51.0), (14.5, 52.0)])
    pairs = [("DE", "PL", "Germany", "Poland", 447.0, 467.0, 449.2131), ("AT", "LI", "Austria", "Liechtenstein",
                                                                        34.0, 34.0, 4.6423)]
    rows = []
    for a, b, name_a, name_b, fa, fb, km in pairs:
        row = {"a": a, "b": b, "name_a": name_a, "name_b": name_b, "factbook_a_km": fa, "factbook_b_km": fb,
               "factbook_km": min(fa, fb), "factbook_max_km": max(fa, fb), "factbook_notes": "", "measured": True,
               "osm2022_km": km, "ratio_osm2022": min(fa, fb) / km}
        row.update(check_pair({a: fa, b: fb}, {"osm2022": Shared(km, 150.0, line)}))
        rows.append(row)
    return WorldCheck(["osm2022"], rows, [], {(r["a"], r["b"]): line for r in rows})


def test_world_keeps_two_differing_factbook_entries_side_by_side() -> None:
    """Germany's entry gives 447 km, Poland's 467 km: the reason and the map's title gave 447 and its ratio only."""
    from bordermap.maps.world import to_html

    result = _world_rows()
    de_pl = result.rows[0]
    assert "447 km" in de_pl["reason"] and "467 km" in de_pl["reason"]
    assert f"{447 / 449.2131:.3f}–{467 / 449.2131:.3f}" in de_pl["reason"]
    title = next(t for t in to_html(result).split("<title>") if t.startswith("Germany"))
    assert "447" in title and "467" in title and "osm2022" in title


def test_world_tables_write_figures_as_quoted_and_lengths_to_their_digits() -> None:
    """The Markdown table wrote the Factbook's 34 km as 34.0 and osm2022's 4.6423 km as 4.642 (to the metre)."""
    from bordermap.maps.world import to_html, to_markdown

    result = _world_rows()
    row = next(t for t in to_markdown(result).splitlines() if t.startswith("| AT | LI |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[4:7] == ["34", "34", "4.64"], cells
    html = to_html(result)
    assert "<td>34</td>" in html and "<td>4.64</td>" in html and "<td>34.0</td>" not in html


def test_world_source_does_not_date_the_factbook_by_its_package() -> None:
    """"as packaged in … 0.1.2 (March 2026; …)" read as the Factbook's date; March 2026 is the package's release."""
    from bordermap.upstream.factbook import SOURCE

    assert "released March 2026" in SOURCE and "edition" in SOURCE and "not stated" in SOURCE


def test_kml_carries_the_date_the_sources_and_marks_stand_ins(ds, tmp_path) -> None:
    """A KML file is a map in Google Earth: it carried the disclaimer but no as-of date and no credits,
    and a stand-in's pin (a village standing in for an intake no source locates) bore the feature's name alone."""
    import xml.etree.ElementTree as ET

    out = tmp_path / "kg-tj.kml"
    result = CliRunner().invoke(main, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    doc = ET.parse(out).getroot().find("k:Document", ns)
    about = doc.find("k:description", ns).text
    assert ds.meta["as_of"] in about
    osm = ds.sources[ds.depiction("osm2022")["source_id"]]
    assert osm["attribution"] in about
    marks = doc.findall(".//k:Placemark", ns)
    stand_ins = [m for m in marks if any(d.get("name") == "placeholder" and d.find("k:value", ns).text == "True"
                                         for d in m.findall(".//k:Data", ns))]
    assert stand_ins and all(m.find("k:name", ns).text.endswith("(stand-in geometry)") for m in stand_ins)
    others = [m for m in marks if m not in stand_ins]
    assert not any("stand-in" in (m.find("k:name", ns).text or "") for m in others)


def test_world_page_and_markdown_date_the_depictions(ds) -> None:
    """The world map named its depictions by id alone ("osm2022, osm2017, ne10"): no date for what it shows."""
    from bordermap.maps.world import to_html, to_markdown
    from bordermap.world import WorldCheck

    result = WorldCheck(["osm2022", "osm2017", "ne10"], [], [])
    page, text = to_html(result), to_markdown(result)
    for dep in result.depictions:
        vintage = ds.depiction(dep)["vintage"]  # the bundled dataset records the same depictions
        assert vintage in page.split("<footer>")[1] and vintage in text.splitlines()[2]


def test_a_precise_line_keeps_its_digits(mini) -> None:
    """The rounding above is for lines drawn to ±50 m and coarser: the mini dataset's ±1 m lines keep metres."""
    runner = CliRunner()
    raw = json.loads(runner.invoke(main, ["measure", "--spread", str(mini), "--format", "json"]).output)
    main_line = next(r for r in raw if r["thing"] == "main line")
    table = runner.invoke(main, ["measure", "--spread", str(mini)]).output
    assert f"{main_line['alpha']:,.3f}" in table
    faces = json.loads(runner.invoke(main, ["diverge", "alpha", "beta", str(mini), "--format", "json"]).output)
    text = runner.invoke(main, ["diverge", "alpha", "beta", str(mini)])
    assert f"{faces[0]['area_km2']:,.3f}" in text.output and f"{faces[0]['chainage_km'][1]:,.3f}" in text.output


def test_map_summary_writes_values_and_ranges_to_the_lines_digits(tmp_path) -> None:
    """``map --summary`` printed 914.329 km for a ±50 m line, and "0.7–0.8" beside 0.655 and 0.845 km²."""
    runner = CliRunner()
    raw = json.loads(runner.invoke(main, ["measure", "--spread", "--format", "json"]).output)
    khalmion = next(r for r in raw if r["thing"] == "enclave uz_in_kg_near_khalmion" and r["quantity"] == "area_km2")
    main_line = next(r for r in raw if r["thing"] == "main line")
    out = runner.invoke(main, ["map", "--summary", "-o", str(tmp_path / "m.html")]).output
    line = next(t for t in out.splitlines() if t.startswith("osm2022") and "main line" in t)
    assert f"{main_line['osm2022']:,.1f}" in line.split() and f"{main_line['osm2022']:,.3f}" not in line
    row = next(t for t in out.splitlines() if t.startswith("osm2022") and "Khalmion" in t)
    assert f"{khalmion['min']:.3f}–{khalmion['max']:.3f}" in row


def test_info_keeps_each_stated_totals_qualifier_and_scope(ds) -> None:
    """``info`` printed "stated: 400 ha to KG" for "about 400 ha … Batken district only", and "1,750 ha to KG"
    for a statement that each side transferred 1,750 ha to the other: the ledger's notes were left out."""
    out = CliRunner().invoke(main, ["info"]).output
    stated = [r for r in ds.swaps if r.get("kind") == "stated_total" and r.get("note")]
    assert stated
    for record in stated:
        assert record["note"] in out, record["id"]
    assert "25 km²" in out and "km2" not in out


def test_csv_export_dates_every_status(ds, tmp_path) -> None:
    """A spreadsheet row said "settled" with no date: the status, and the course beside it, are those on
    the dataset's as-of date, which a CSV has no other place to say."""
    import csv as csvlib

    out = tmp_path / "kg-tj.csv"
    assert CliRunner().invoke(main, ["export", "-o", str(out)]).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csvlib.DictReader(handle))
    with_status = [r for r in rows if r.get("status")]
    assert with_status and all(r["status_as_of"] == ds.meta["as_of"] for r in with_status)
    assert all(not r["status_as_of"] for r in rows if not r.get("status"))


def test_world_notes_say_whose_entry_makes_them() -> None:
    """Angola–DR Congo's notes read "of which 225 km is … Cabinda Province; of which 225 km is … Angola's
    … Cabinda Province": two entries' remarks run together, neither attributed."""
    from bordermap.world import notes_text

    text = notes_text({"IL": ["20 km are within the Dead Sea"], "JO": []})
    assert text == "Israel: 20 km are within the Dead Sea"
    both = notes_text({"CA": ["includes 2,475 km with Alaska"], "US": ["including 2,475 km with Alaska"]})
    assert both.startswith("Canada: includes") and "; United States: including" in both
