"""``bordermap import``: KML and CSV round trips, reprojection, missing attributes, datasets.

Inputs are written with GDAL (pyogrio) or by hand; geometry is compared with what was written,
reprojection with GeographicLib (a point on a UTM central meridian) and an independent pyproj
transform.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from shapely.geometry import LineString, Point

from bordermap.cli.main import main

LINES = [
    ("line-a", "Survey line A", [(71.1, 40.25), (71.15, 40.2612345), (71.2, 40.24)]),
    ("line-b", "Survey line B <pasture>", [(71.3, 40.2), (71.3512345, 40.21)]),
]
COMMON = ["--source-id", "src_survey", "--precision-m", "10"]


def _import(runner: CliRunner, source: Path, out: Path, *options: str):
    """``bordermap import SOURCE -o OUT OPTIONS…`` with the source and precision every test gives."""
    return runner.invoke(main, ["import", str(source), "-o", str(out), *options, *COMMON])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _features(path: Path) -> dict[str, dict]:
    return {f["id"]: f for f in json.loads(path.read_text(encoding="utf-8"))["features"]}


def _problems(runner: CliRunner, dataset: Path) -> list[dict]:
    return json.loads(runner.invoke(main, ["validate", str(dataset), "--format", "json"]).stdout)


@pytest.fixture
def kml(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {"Name": [n for _, n, _ in LINES], "ref": [i for i, _, _ in LINES]},
        geometry=[LineString(c) for _, _, c in LINES],
        crs="EPSG:4326",
    )
    path = tmp_path / "survey.kml"
    pyogrio.write_dataframe(frame, path, driver="KML")
    return path


def test_kml_round_trip(runner: CliRunner, kml: Path, tmp_path: Path) -> None:
    before = _digest(kml)
    out = tmp_path / "lines.geojson"
    result = runner.invoke(
        main,
        [
            "import",
            str(kml),
            "-o",
            str(out),
            "--id-field",
            "ref",
            "--sides",
            "kg",
            "uz",
            "--depiction",
            "survey2024",
            "--status",
            "disputed",
            *COMMON,
        ],
    )
    assert result.exit_code == 0, result.output
    assert _digest(kml) == before
    features = _features(out)
    assert set(features) == {"line-a", "line-b"}
    for fid, name, coords in LINES:
        props = features[fid]["properties"]
        assert props["names"] == {"en": name}
        assert (props["sides"], props["depiction"], props["status"], props["part"]) == (
            ["KG", "UZ"],
            "survey2024",
            "disputed",
            "main",
        )
        assert props["sources"][0]["source_id"] == "src_survey" and props["precision_m"] == 10
        assert features[fid]["geometry"]["coordinates"] == [list(c) for c in coords]
    assert json.loads(out.read_text(encoding="utf-8"))["bordermap"]["pair"] == ["KG", "UZ"]
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0
    # The single-file dataset is measured like any other: GeographicLib length of line A.
    measured = runner.invoke(main, ["measure", str(out), "--format", "json"])
    assert measured.exit_code == 0, measured.output
    row = next(r for r in json.loads(measured.stdout) if r["id"] == "line-a")
    (x0, y0), (x1, y1), (x2, y2) = LINES[0][2]
    reference = sum(
        Geodesic.WGS84.Inverse(a, b, c, d)["s12"]
        for a, b, c, d in [(y0, x0, y1, x1), (y1, x1, y2, x2)]
    )
    assert row["length_km"] == pytest.approx(reference / 1000, rel=1e-9)
    mapped = runner.invoke(main, ["map", str(out), "-o", str(tmp_path / "lines.html")])
    assert mapped.exit_code == 0, mapped.output
    html = (tmp_path / "lines.html").read_text(encoding="utf-8")
    assert "Survey line B" in html and "pasture" in html and "<pasture>" not in html  # escaped


def test_csv_lon_lat_and_wkt_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    csv = tmp_path / "points.csv"
    csv.write_text(
        "code,title,lon,lat,shape,when\n"
        'p1,Ravon,71.1305,39.9365,"LINESTRING (71.1 39.9, 71.2 39.95)",2021-04-29\n'
        'p2,"Shohimardon, centre",71.8156,39.9836,"POINT (71.8 39.98)",2022-09-14\n',
        encoding="utf-8",
    )
    fields = ["--id-field", "code", "--name-field", "title"]
    out = tmp_path / "places.geojson"
    result = _import(runner, csv, out, "--layer", "places", *fields, "--lon-field", "lon", "--lat-field", "lat")
    assert result.exit_code == 0, result.output
    places = _features(out)
    assert places["p2"]["properties"]["names"]["en"] == "Shohimardon, centre"
    assert places["p1"]["geometry"] == {"type": "Point", "coordinates": [71.1305, 39.9365]}
    assert (
        places["p1"]["properties"]["layer"] == "places"
        and places["p1"]["properties"]["kind"] == "place"
    )

    out = tmp_path / "incidents.geojson"
    wkt = ["--wkt-field", "shape"]
    result = _import(runner, csv, out, "--layer", "incidents", *fields, *wkt, "--date-field", "when")
    assert (
        result.exit_code == 1 and "LineString cannot go into the incidents layer" in result.stderr
    )
    result = _import(runner, csv, out, "--layer", "sections", *fields, *wkt, "--keep-field", "when")
    assert result.exit_code == 0, result.output
    sections = _features(out)
    assert sections["p1"]["geometry"]["coordinates"] == [[71.1, 39.9], [71.2, 39.95]]
    assert sections["p2"]["properties"]["when"] == "2022-09-14"
    assert sections["p2"]["properties"]["kind"] == "disputed_section"


def test_projected_shapefile_is_reprojected_to_wgs84(runner: CliRunner, tmp_path: Path) -> None:
    # On the central meridian of UTM zone 42N (69°E) easting is 500 000 m and northing is the
    # meridian arc from the equator times k0 = 0.9996; GeographicLib gives the arc to 40°N.
    northing = 0.9996 * Geodesic.WGS84.Inverse(0.0, 69.0, 40.0, 69.0)["s12"]
    off_meridian = (612_345.0, 4_432_100.0)
    frame = gpd.GeoDataFrame(
        {"name": ["on meridian", "off meridian"]},
        geometry=[Point(500_000.0, northing), Point(*off_meridian)],
        crs="EPSG:32642",
    )
    shp = tmp_path / "points.shp"
    frame.to_file(shp)
    out = tmp_path / "out.geojson"
    result = runner.invoke(main, ["import", str(shp), "-o", str(out), "--layer", "places", *COMMON])
    assert result.exit_code == 0, result.output
    places = _features(out)
    lon, lat = places["points_1"]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((69.0, 40.0), abs=2e-7)
    expected = Transformer.from_crs("EPSG:32642", "EPSG:4326", always_xy=True).transform(
        *off_meridian
    )
    assert places["points_2"]["geometry"]["coordinates"] == pytest.approx(list(expected), abs=1e-7)
    assert "reprojected from EPSG:32642" in places["points_1"]["properties"]["geometry_method"]

    # Without a .prj the CRS must be given.
    shp.with_suffix(".prj").unlink()
    result = runner.invoke(main, ["import", str(shp), "-o", str(out), "--layer", "places", *COMMON])
    assert result.exit_code == 1 and "pass --crs" in result.stderr
    result = runner.invoke(
        main,
        ["import", str(shp), "-o", str(out), "--layer", "places", "--crs", "EPSG:32642", *COMMON],
    )
    assert result.exit_code == 0, result.output
    assert _features(out)["points_1"]["geometry"]["coordinates"] == pytest.approx(
        [69.0, 40.0], abs=2e-7
    )


def test_missing_attributes_are_listed_with_their_options(
    runner: CliRunner, kml: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.geojson"
    result = runner.invoke(main, ["import", str(kml), "-o", str(out)])
    assert result.exit_code == 2
    for option in ("--source-id", "--precision-m", "--depiction", "--sides"):
        assert option in result.stderr
    assert "4 required attribute(s) missing" in result.stderr
    assert not out.exists()


def test_import_into_a_dataset_directory(runner: CliRunner, kml: Path, mini_copy: Path) -> None:
    problems_before = _problems(runner, mini_copy)
    args = [
        "import",
        str(kml),
        "-o",
        str(mini_copy),
        "--layer",
        "sections",
        "--id-field",
        "ref",
        "--status",
        "disputed",
        "--source-id",
        "src_survey",
        "--precision-m",
        "25",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "title of the new source 'src_survey' (--source-title" in result.stderr
    assert "license of the new source" in result.stderr
    new_source = [
        "--source-title",
        "Field survey 2024",
        "--source-license",
        "CC-BY-4.0",
        "--source-attribution",
        "Survey team",
    ]
    sections_before = len(_features(mini_copy / "sections.geojson"))
    assert runner.invoke(main, [*args, *new_source]).exit_code == 0
    # Importing again replaces the features with the same ids.
    result = runner.invoke(main, [*args, *new_source])
    assert result.exit_code == 0, result.output
    sections = _features(mini_copy / "sections.geojson")
    assert len(sections) == sections_before + 2
    assert sections["line-b"]["properties"]["names"]["en"] == "Survey line B <pasture>"
    sources = {
        s["id"]: s for s in json.loads((mini_copy / "sources.json").read_text(encoding="utf-8"))
    }
    assert sources["src_survey"]["license"] == "CC-BY-4.0"
    assert _problems(runner, mini_copy) == problems_before  # the import added no problem


def test_never_overwrites_the_input(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "dataset.json").write_text(
        json.dumps(
            {
                "id": "x",
                "title": "x",
                "pair": ["KG", "UZ"],
                "countries": {},
                "depictions": [{"id": "a", "title": "a"}],
            }
        )
    )
    source = data / "places.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "A"},
                        "geometry": {"type": "Point", "coordinates": [71, 40]},
                    }
                ],
            }
        )
    )
    before = _digest(source)
    result = runner.invoke(
        main,
        [
            "import",
            str(source),
            "-o",
            str(data),
            "--layer",
            "places",
            "--source-id",
            "s",
            "--source-title",
            "S",
            "--source-kind",
            "reference",
            "--precision-m",
            "5",
        ],
    )
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert _digest(source) == before


def test_multi_layer_input_needs_a_layer_choice(runner: CliRunner, tmp_path: Path) -> None:
    gpkg = tmp_path / "two.gpkg"
    for name in ("roads", "posts"):
        frame = gpd.GeoDataFrame({"name": [name]}, geometry=[Point(71, 40)], crs="EPSG:4326")
        pyogrio.write_dataframe(frame, gpkg, layer=name, append=gpkg.exists())
    result = runner.invoke(
        main, ["import", str(gpkg), "-o", str(tmp_path / "o.geojson"), "--layer", "places", *COMMON]
    )
    assert result.exit_code == 2 and "choose one with --input-layer" in result.stderr
    result = runner.invoke(
        main,
        [
            "import",
            str(gpkg),
            "-o",
            str(tmp_path / "o.geojson"),
            "--layer",
            "places",
            "--input-layer",
            "posts",
            *COMMON,
        ],
    )
    assert result.exit_code == 0, result.output
    assert _features(tmp_path / "o.geojson")["two_1"]["properties"]["names"]["en"] == "posts"
