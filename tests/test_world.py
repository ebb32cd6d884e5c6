"""`bordermap world`: Factbook parsing, shared land borders per depiction, the verdict rule, outputs."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from geographiclib.geodesic import Geodesic

from bordermap.check.verdicts import MAP_SCALE, UNEXPLAINED, VERDICTS, WITHIN, WITHIN_SPREAD, decide, figure_interval
from bordermap.cli.main import main as cli
from bordermap.upstream import factbook
from bordermap.world import Shared, counterparts, world_check

FIXTURE = Path(__file__).parent / "data" / "world-fixture"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path_factory.mktemp("world") / "cache"))


@pytest.fixture(scope="module")
def result(cache: Path, tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("BORDERMAP_CACHE_DIR", str(tmp_path_factory.mktemp("bmcache")))
    try:
        yield world_check(cache)
    finally:
        mp.undo()


def _row(result, a: str, b: str) -> dict:
    return next(r for r in result.rows if (r["a"], r["b"]) == (a, b))


# --- the Factbook's text -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyrgyzstan 1,063 km; Tajikistan 477 km", [("KG", 1063.0), ("TJ", 477.0)]),
        ("Algeria 1,941 km; Spain (Ceuta) 8 km and Spain (Melilla) 10.5 km", [("DZ", 1941.0), ("ES", 18.5)]),
        ("US 8,891 km (includes 2,475 km with Alaska); Denmark (Greenland) 1.3 km", [("US", 8891.0), ("GL", 1.3)]),
        ("Lithuania 100 km, Russia (Kaliningrad Oblast) 209 km", [("LT", 100.0), ("RU", 209.0)]),
        ("Burma 2,129 km; Holy See (Vatican City) 3.4 km", [("MM", 2129.0), ("VA", 3.4)]),
    ],
)
def test_entries_are_read_into_pairs(text: str, expected: list[tuple[str, float]]) -> None:
    entry = factbook.parse_entry("xx", "Somewhere", {"border countries": {"text": text}})
    assert [(b.neighbour, b.km) for b in entry.boundaries] == expected


def test_remarks_are_kept_as_notes() -> None:
    text = "US 8,891 km (includes 2,475 km with Alaska)"
    entry = factbook.parse_entry("ca", "Canada", {"border countries": {"text": text}})
    assert entry.boundaries[0].notes == ["includes 2,475 km with Alaska"]


def test_every_crosswalk_row_names_a_real_code_or_says_why_not() -> None:
    import pycountry

    for name, code in factbook.crosswalk().items():
        if code is not None and code != "XK":
            assert pycountry.countries.get(alpha_2=code) is not None, name
    text = (Path(factbook.__file__).with_name("factbook_names.csv")).read_text(encoding="utf-8")
    assert all(row["why"].strip() for row in csv.DictReader(io.StringIO(text)))


def test_fixture_entries(cache: Path) -> None:
    entries = {e.iso2: e for e in factbook.load(cache)}
    assert {b.neighbour: b.km for b in entries["KG"].boundaries}["TJ"] == 984.0
    assert {b.neighbour: b.km for b in entries["TJ"].boundaries}["KG"] == 984.0


# --- measuring -------------------------------------------------------------------------------------

def _geodesic_km(geom: shapely.Geometry) -> float:
    total = 0.0
    for part in shapely.get_parts(geom):
        xy = shapely.get_coordinates(part)
        pairs = zip(xy[:-1], xy[1:], strict=True)
        total += sum(Geodesic.WGS84.Inverse(y0, x0, y1, x1)["s12"] for (x0, y0), (x1, y1) in pairs)
    return total / 1000.0


def test_pairs_of_the_window_are_measured(result) -> None:
    pairs = {(r["a"], r["b"]) for r in result.rows if r["measured"]}
    assert {("KG", "TJ"), ("KG", "UZ"), ("TJ", "UZ")} <= pairs


@pytest.mark.parametrize("depiction", ["osm2022", "osm2017", "ne10"])
def test_shared_length_is_the_geodesic_length_of_the_common_edges(result, cache: Path, depiction: str) -> None:
    # Independent oracle: what both polygons' boundaries have in common (GEOS overlay), measured
    # with GeographicLib.
    from bordermap.upstream import DEPICTIONS

    polygons = DEPICTIONS[depiction].load(cache, ("KG", "TJ"))
    common = shapely.intersection(polygons["KG"].boundary, polygons["TJ"].boundary)
    lines = [g for g in shapely.get_parts(common) if g.geom_type != "Point"]
    expected = _geodesic_km(shapely.multilinestrings(lines))
    assert _row(result, "KG", "TJ")[f"{depiction}_km"] == pytest.approx(expected, rel=1e-6)


def test_factbook_figures_and_ratios(result) -> None:
    row = _row(result, "KG", "TJ")
    assert row["factbook_a_km"] == row["factbook_b_km"] == 984.0
    assert row["ratio_osm2017"] == pytest.approx(984.0 / row["osm2017_km"])


def test_factbook_pairs_without_a_measurement_are_listed(result) -> None:
    # Kyrgyzstan–China is in the Factbook but outside the fixture's window.
    row = _row(result, "CN", "KG")
    assert row["measured"] is False and row["verdict"] == "not_measurable"
    assert row["factbook_b_km"] == 1063.0


def test_names_without_a_country_are_kept(result) -> None:
    assert [u["neighbour"] for u in result.unmatched] == ["US Naval Base at Guantanamo Bay"]


# --- the rule ------------------------------------------------------------------------------------------

def _shared(km: float, spacing: float) -> Shared:
    return Shared(km, spacing, shapely.LineString([(0, 0), (1, 0)]))


def test_a_figure_equal_to_a_detailed_depiction_is_within_uncertainty() -> None:
    parts = counterparts({"osm2017": _shared(500.0, 300.0), "ne10": _shared(450.0, 3000.0)})
    assert decide(figure_interval(500), parts).verdict == WITHIN


def test_a_longer_figure_within_the_extrapolated_scale_effect_is_map_scale() -> None:
    # D - 1 = log(500/450)/log(10) = 0.0458; at 50 m: 500·6^0.0458 = 541.8 km.
    parts = counterparts({"osm2017": _shared(500.0, 300.0), "ne10": _shared(450.0, 3000.0)})
    decision = decide(figure_interval(530), parts)
    basis = decision.basis
    assert decision.verdict == MAP_SCALE and "extrapolated" in basis.note
    assert basis.high == pytest.approx(500.0 * (300.0 / 50.0) ** (np.log(500 / 450) / np.log(10)))


def test_a_figure_between_the_generalised_and_the_detailed_line_is_within_the_spread() -> None:
    parts = counterparts({"osm2017": _shared(500.0, 300.0), "ne10": _shared(450.0, 3000.0)})
    assert decide(figure_interval(470), parts).verdict == WITHIN_SPREAD


def test_moving_a_figure_away_never_improves_its_verdict() -> None:
    parts = counterparts({"osm2017": _shared(500.0, 300.0), "ne10": _shared(450.0, 3000.0)})
    order = list(VERDICTS)
    previous = 0
    for value in range(542, 900, 7):
        rank = order.index(decide(figure_interval(value), parts).verdict)
        assert rank >= previous
        previous = rank
    assert previous == order.index(UNEXPLAINED)


# --- the command -------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".json", ".md", ".html"])
def test_command_writes_each_format(cache: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"world{suffix}"
    res = CliRunner().invoke(cli, ["-q", "world", "--cache", str(cache), "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    if suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        kg_tj = next(r for r in rows if (r["a"], r["b"]) == ("KG", "TJ"))
        assert float(kg_tj["factbook_a_km"]) == 984.0
    elif suffix == ".json":
        data = json.loads(text)
        assert data["summary"]["pairs_matched"] >= 3 and "World Factbook" in data["source"]
    elif suffix == ".html":
        assert "<svg" in text and "http://" not in text.replace("http://www.w3.org", "")
        assert "<script" not in text and "Guantanamo" in text
    else:
        assert "| KG | TJ |" in text


def test_command_refuses_unknown_depiction_and_format(cache: Path, tmp_path: Path) -> None:
    args = ["world", "--cache", str(cache), "--depiction", "nope", "-o", str(tmp_path / "w.csv")]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and "nope" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["world", "--cache", str(cache), "-o", str(tmp_path / "w.xlsx")])
    assert res.exit_code == 2 and not (tmp_path / "w.xlsx").exists()
