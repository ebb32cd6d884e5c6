"""OpenStreetMap country borders as of about April 2022: npm ``@osm_borders/maritime_1m@1.1.0``."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from bordermap.upstream.depiction import Depiction, require
from bordermap.upstream.fetch import npm_package

PACKAGE, VERSION = "@osm_borders/maritime_1m", "1.1.0"
FILE = "package/borders.geo.json"


def load(cache: Path, codes: Collection[str] | None) -> dict[str, BaseGeometry]:
    """Read countries by ``isoA2`` (all when ``codes`` is None).

    Each feature is a GeometryCollection whose polygons are unioned.
    """
    data = json.loads((npm_package(PACKAGE, VERSION, cache) / FILE).read_text(encoding="utf-8"))
    out: dict[str, BaseGeometry] = {}
    for feature in data["features"]:
        code = feature["properties"].get("isoA2")
        if code and (codes is None or code in codes):
            parts = [shape(g) for g in feature["geometry"]["geometries"]]
            out[code] = unary_union(
                [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
            )
    require(out, codes, FILE)
    return out


DEPICTION = Depiction(
    id="osm2022",
    title="OpenStreetMap, about April 2022",
    vintage="2022-04-22",
    source_id="ds_osm_borders_1m",
    precision_m=50,
    scale_denominator=None,
    origin=f"npm {PACKAGE}@{VERSION}, {FILE}, features by isoA2 (polygon members unioned)",
    snap_m=0.0,
    load=load,
    note=(
        "OpenStreetMap country relations as mapped about April 2022 (date inferred from the "
        "generator's commits), simplified by the packager at 1 m. 'Maritime' borders: where the "
        "two countries meet at a coast the shared line continues offshore as a maritime boundary."
    ),
)
