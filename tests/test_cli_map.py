"""``bordermap map``: the offline HTML map and its --summary table."""

import re

from geographiclib.geodesic import Geodesic

from bordermap.cli.main import main

WGS84 = Geodesic.WGS84


def _km(points):
    return (
        sum(
            WGS84.Inverse(la1, lo1, la2, lo2)["s12"]
            for (lo1, la1), (lo2, la2) in zip(points, points[1:], strict=False)
        )
        / 1000
    )


def test_map_writes_one_offline_file(runner, mini, tmp_path):
    out = tmp_path / "mini.html"
    result = runner.invoke(main, ["map", str(mini), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "bordermapInit(" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # every asset inline
    assert list(tmp_path.iterdir()) == [out]  # nothing left over from the atomic write


def _summary(runner, *args):
    """The --summary's caption and its rows as lists of cells (columns are 2+ spaces apart)."""
    result = runner.invoke(main, ["map", *args, "--summary"])
    assert result.exit_code == 0, result.output
    caption, header, _rule, *rows = [line for line in result.stdout.splitlines() if line.strip()]
    return caption, re.split(r"\s{2,}", header), [re.split(r"\s{2,}", row) for row in rows]


def test_summary_lengths_and_areas_match_geographiclib(runner, mini, tmp_path):
    caption, header, rows = _summary(runner, str(mini), "-o", str(tmp_path / "m.html"))
    assert header[:4] == ["depiction", "what is measured", "length (perimeter), km", "area, km²"]
    cells = {tuple(row[:2]): row[2:] for row in rows}
    alpha = float(cells[("alpha", "main line")][0])
    # To the digits the line gives: the mini dataset's lines are drawn to ±1 m, so to the metre.
    assert alpha == round(_km([(0, 0), (1, 0.05), (2, 0)]), 3)
    poly = WGS84.Polygon()
    for lon, lat in [(1.0, 0.3), (1.1, 0.3), (1.1, 0.4), (1.0, 0.4)]:
        poly.AddPoint(lat, lon)
    _, perimeter, area = poly.Compute()
    perimeter_km, area_km2 = map(float, cells[("alpha", "Test enclave (drawn as an enclave)")][:2])
    assert perimeter_km == round(perimeter / 1000, 3) and area_km2 == round(abs(area) / 1e6, 3)
    assert caption == ("Current status (dataset as of 2026-01-01) · Perspective: neutral (every feature and "
                       "every party's claim shown)")


def test_summary_speaks_the_maps_language(runner, mini, tmp_path):
    caption, header, rows = _summary(runner, str(mini), "-o", str(tmp_path / "m.html"), "--lang", "ru",
                                     "--as-of", "2020-01-01", "--perspective", "TJ")
    assert caption == "На дату 1 января 2020 · Точка зрения: Таджикистан (TJ)"
    assert header[:4] == ["изображение", "что измерено", "длина (периметр), км", "площадь, км²"]
    enclave = next(row for row in rows if row[1] == "Тестовый анклав (на изображениях — анклав)")
    assert re.fullmatch(r"\d+,\d{3}", enclave[2]) and enclave[4] == "только одно изображение"
    assert not re.search(r"[A-Za-z]{3,}", " ".join(" ".join(row[1:]) for row in rows))  # no English words left


def test_unknown_perspective_is_a_usage_error(runner, mini, tmp_path):
    result = runner.invoke(
        main, ["map", str(mini), "--perspective", "UZ", "-o", str(tmp_path / "m.html")]
    )
    assert result.exit_code == 2
    assert "UZ" in result.output and "Traceback" not in result.output


def test_output_in_missing_directory_is_a_usage_error(runner, mini, tmp_path):
    result = runner.invoke(main, ["map", str(mini), "-o", str(tmp_path / "nope" / "m.html")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_invalid_data_is_refused_with_every_problem(runner, mini_copy, tmp_path):
    (mini_copy / "places.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"id": "p-1", "kind": "place"}, "geometry": '
        '{"type": "Point", "coordinates": [500, 0]}}]}'
    )
    result = runner.invoke(main, ["map", str(mini_copy), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1 and "p-1" in result.output
    assert not (tmp_path / "m.html").exists()


def test_as_of_and_basemap_options(runner, mini, tmp_path):
    out = tmp_path / "m.html"
    result = runner.invoke(
        main,
        [
            "map",
            str(mini),
            "--as-of",
            "2021-04-28",
            "--perspective",
            "kg",
            "--basemap",
            "osm",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '"start":{"view":2,' in page and "tile.openstreetmap.org" in page
