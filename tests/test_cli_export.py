import csv
import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap.cli.main import main

WGS84 = Geodesic.WGS84
KML = "{http://www.opengis.net/kml/2.2}"
MINI_COUNTS = {"areas": 3, "boundary": 3, "sections": 3, "places": 1, "incidents": 1}


def _export(runner, *args):
    return runner.invoke(main, ["export", *args])


def _ogr_counts(ogrinfo, path):
    """Layer → feature count as GDAL's ogrinfo reports them."""
    out = subprocess.run([ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True).stdout
    counts, layer = {}, None
    for line in out.splitlines():
        if line.startswith("Layer name: "):
            layer = line.split(": ", 1)[1]
        elif line.startswith("Feature Count: "):
            counts[layer] = int(line.split(": ", 1)[1])
    return counts


@pytest.mark.tools
def test_geopackage_read_by_ogrinfo(runner, mini, tmp_path, need_tool):
    ogrinfo = need_tool("ogrinfo")
    out = tmp_path / "mini.gpkg"
    result = _export(runner, str(mini), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert _ogr_counts(ogrinfo, out) == {**MINI_COUNTS, "sources": 2, "figures": 2}


@pytest.mark.tools
def test_kml_read_by_ogrinfo(runner, mini_unlocated, tmp_path, need_tool):
    ogrinfo = need_tool("ogrinfo")
    out = tmp_path / "mini.kml"
    assert _export(runner, str(mini_unlocated), "-o", str(out)).exit_code == 0
    # The section without geometry is kept as a placemark without geometry.
    assert _ogr_counts(ogrinfo, out) == {**MINI_COUNTS, "sections": 4}


def test_geopackage_types(runner, mini, tmp_path):
    import pyogrio

    out = tmp_path / "mini.gpkg"
    assert _export(runner, str(mini), "-o", str(out), "--layer", "sections", "--layer", "boundary").exit_code == 0
    info = pyogrio.read_info(out, layer="sections")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["valid_to"].startswith("datetime64")  # a full date column is a Date field
    assert types["precision_m"] == "float64"
    assert types["status_history"] == "object"
    assert pyogrio.read_info(out, layer="boundary")["fields"].tolist().count("is_disputed") == 1
    frame = pyogrio.read_dataframe(out, layer="boundary")
    assert frame["is_disputed"].dtype == bool
    sections = pyogrio.read_dataframe(out, layer="sections").set_index("id")
    assert json.loads(sections.loc["s-1-kg", "positions"])[0]["basis"] == "1958–59 maps"
    assert sections.loc["s-1-kg", "name"] == "Section one (KG claim)"
    # The enclave perimeter (a ring in the source) became a closed line.
    ring = frame.set_index("id").loc["b-alpha-e1", "geometry"]
    assert ring.geom_type == "LineString" and ring.is_closed


def test_kml_names_descriptions_and_escaping(runner, mini_unlocated, tmp_path):
    out = tmp_path / "mini.kml"
    assert _export(runner, str(mini_unlocated), "-o", str(out), "--layer", "sections").exit_code == 0
    root = ET.parse(out).getroot()
    marks = {m.get("id"): m for m in root.iter(f"{KML}Placemark")}
    assert marks["s-3"].find(f"{KML}name").text == "Section <three> & | *x*"
    description = marks["s-3"].find(f"{KML}description").text
    # The description is HTML whose data strings are escaped: the position's <b> stays text.
    assert "the pasture is &lt;b&gt;ours&lt;/b&gt;" in description
    assert "<b>" not in description
    assert marks["s-3"].find(f"{KML}Point") is None and marks["s-3"].find(f"{KML}LineString") is None
    coords = marks["s-1-kg"].find(f"{KML}LineString/{KML}coordinates").text.split()
    assert coords[0] == "0.8000000,0.0000000"


def _rfc7946_problems(obj):
    """An independent RFC 7946 check: no crs member, lon/lat ranges, ring orientation (right-hand
    rule: exteriors counter-clockwise, holes clockwise), only the seven geometry types."""
    problems = []
    if "crs" in obj:
        problems.append("crs member")

    def signed_area(ring):
        return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2

    def check_positions(positions):
        for x, y, *_ in positions:
            if not (-180 <= x <= 180 and -90 <= y <= 90):
                problems.append(f"out of range {x},{y}")

    def check_polygon(rings):
        for i, ring in enumerate(rings):
            check_positions(ring)
            if ring[0] != ring[-1] or len(ring) < 4:
                problems.append("ring not closed")
            if (signed_area(ring) > 0) != (i == 0):
                problems.append("ring orientation")

    for feature in obj["features"]:
        geom = feature["geometry"]
        if geom is None:
            continue
        kind, coords = geom["type"], geom.get("coordinates")
        if kind == "Point":
            check_positions([coords])
        elif kind in ("LineString", "MultiPoint"):
            check_positions(coords)
        elif kind == "MultiLineString":
            for line in coords:
                check_positions(line)
        elif kind == "Polygon":
            check_polygon(coords)
        elif kind == "MultiPolygon":
            for polygon in coords:
                check_polygon(polygon)
        else:
            problems.append(f"geometry type {kind}")
    return problems


def test_geojson_is_rfc7946_and_loads_back(runner, mini, tmp_path):
    import bordermap

    out = tmp_path / "mini.geojson"
    assert _export(runner, str(mini), "-o", str(out)).exit_code == 0
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert _rfc7946_problems(obj) == []
    back = bordermap.load(out)
    assert {name: len(frame) for name, frame in back.layers.items()} == MINI_COUNTS
    assert back.meta["default_depiction"] == "alpha"


def test_geojson_single_layer(runner, mini, tmp_path):
    out = tmp_path / "areas.geojson"
    assert _export(runner, str(mini), "-o", str(out), "--layer", "areas").exit_code == 0
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert _rfc7946_problems(obj) == [] and len(obj["features"]) == 3
    assert "layer" not in obj["features"][0]["properties"]


def test_csv_has_measured_values_and_wkt(runner, mini, tmp_path):
    out = tmp_path / "boundary.csv"
    assert _export(runner, str(mini), "-o", str(out), "--layer", "boundary", "--wkt").exit_code == 0
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    steps = [((0, 0), (1, 0.05)), ((1, 0.05), (2, 0))]
    expected = sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in steps) / 1000
    assert abs(float(rows["b-alpha-0"]["length_km"]) - expected) < 1e-5
    assert shapely.from_wkt(rows["b-alpha-0"]["wkt"]).equals(shapely.LineString([(0, 0), (1, 0.05), (2, 0)]))
    assert json.loads(rows["b-alpha-0"]["sides"]) == ["KG", "TJ"]
    assert rows["b-alpha-0"]["name"] == "KG–TJ line (alpha)"


def test_csv_figures_register(runner, mini, tmp_path):
    out = tmp_path / "figures.csv"
    assert _export(runner, str(mini), "-o", str(out), "--layer", "figures").exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["fig-len", "fig-count"] and rows[0]["value"] == "250"


def test_usage_errors(runner, mini, tmp_path):
    result = _export(runner, str(mini), "-o", str(tmp_path / "x.shp"))
    assert result.exit_code == 2 and "unknown export format .shp" in result.output
    result = _export(runner, str(mini), "-o", str(tmp_path / "x.kml"), "--layer", "figures")
    assert result.exit_code == 2 and "registry has no geometry" in result.output
    result = _export(runner, str(mini), "-o", str(tmp_path / "x.gpkg"), "--wkt")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
