"""Features of the ``places`` layer: GeoNames settlements named in the research or near the line."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from bordermap.derive.curated import normalise
from bordermap.text import slug
from bordermap.upstream import geonames
from bordermap.upstream.geonames import GeoNamesRecord

#: No settlements named by the recipe (a recipe's ``named_places``: GeoNames id → note).
NO_NAMES: Mapping[int, str] = MappingProxyType({})

#: Settlements of these feature codes within NEAR_KM of the default depiction's lines are added.
NEAR_CODES = ("PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4")
NEAR_KM = 5.0
MAX_NEAR = 60

def _metric(window: BaseGeometry) -> str:
    """Equidistant projection centred on the window: distances within it good to well under 1 %."""
    centre = window.centroid
    return f"+proj=aeqd +lat_0={centre.y:.1f} +lon_0={centre.x:.1f} +datum=WGS84 +units=m"


def precision_m(record: GeoNamesRecord) -> int:
    """Estimate a settlement point's uncertainty: its built-up extent, growing with population."""
    if record.population >= 100_000:
        return 5000
    if record.population >= 10_000:
        return 2500
    return 1000


def spellings(record: GeoNamesRecord) -> set[str]:
    """Every folded spelling of a record: its name and all its GeoNames alternate names.

    Examples
    --------
    >>> r = GeoNamesRecord(1, "Aydarken", ("Khaidarkan", "Хайдаркан"), 71.3, 39.9, "PPL", "KG", 0, "")
    >>> sorted(spellings(r))[:2]
    ['aydarken', 'khaidarkan']
    """
    return {normalise(n) for n in (record.name, *record.alternate_names) if n}


def select(
    records: list[GeoNamesRecord],
    lines: BaseGeometry,
    window: BaseGeometry,
    named: Mapping[int, str] = NO_NAMES,
    wanted: frozenset[str] = frozenset(),
) -> list[GeoNamesRecord]:
    """Pick the named settlements, the wanted ones, and the closest within 5 km of the lines.

    ``wanted`` holds folded names the curated locations ask for: a record whose name or any
    alternate name is one of them is picked. At most 60 settlements near the lines are added.
    """
    named = {
        **named,
        **{
            r.geonameid: "matched by name or alternate name for a curated location"
            for r in records
            if r.geonameid not in named
            and window.contains(shapely.Point(r.lon, r.lat))
            and spellings(r) & wanted
        },
    }
    to_metric = Transformer.from_crs("EPSG:4326", _metric(window), always_xy=True).transform
    # shapely.ops.transform is deprecated in shapely 2.2; shapely.transform passes arrays.
    metric_lines = shapely.transform(
        lines, lambda xy: np.column_stack(to_metric(xy[:, 0], xy[:, 1]))
    )
    near = []
    for record in records:
        if record.geonameid in named or record.feature_code not in NEAR_CODES:
            continue
        if not window.contains(shapely.Point(record.lon, record.lat)):
            continue
        distance = metric_lines.distance(shapely.Point(to_metric(record.lon, record.lat)))
        if distance <= NEAR_KM * 1000:
            near.append((distance, record.geonameid, record))
    chosen = [r for r in records if r.geonameid in named]
    return chosen + [r for _, _, r in sorted(near)[:MAX_NEAR]]


def place_features(
    records: list[GeoNamesRecord], named: Mapping[int, str] = NO_NAMES
) -> list[dict[str, Any]]:
    """One Point feature per record, with its GeoNames provenance."""
    out = []
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: (slug(r.name), r.geonameid)):
        key = f"place_{slug(record.name)}"
        key = key if key not in seen else f"{key}_{record.geonameid}"
        seen.add(key)
        cyrillic = [
            n for n in record.alternate_names if any("\u0400" <= ch <= "\u04ff" for ch in n)
        ]
        latin = [n for n in record.alternate_names if n.isascii() and n != record.name]
        feature = {
            "id": key,
            "kind": "place",
            "names": {"en": record.name},
            "feature_code": record.feature_code,
            "country": record.country,
            "geonameid": record.geonameid,
            "population": record.population,  # as recorded: 0 means unknown in GeoNames
            "gazetteer": f"GeoNames cities500 ({geonames.PACKAGE}@{geonames.VERSION})",
            "sources": [
                {
                    "property": "",
                    "source_id": geonames.SOURCE_ID,
                    "record_id": str(record.geonameid),
                }
            ],
            "geometry_method": (
                f"GeoNames point {record.geonameid} (cities500, modified {record.modified})"
            ),
            "precision_m": precision_m(record),
            "placeholder": False,
            "geometry": shapely.Point(record.lon, record.lat),
        }
        if cyrillic or latin:
            # cities500 does not record the language of alternate names, so they are not sorted
            # into names/ru, /ky or /tg. Latin spellings are kept so that curated locations can
            # find a village under another transliteration.
            feature["alternate_names"] = sorted(set(cyrillic))[:8] + sorted(set(latin))[:8]
        if record.geonameid in named:
            feature["note"] = f"Named in the research notes: {named[record.geonameid]}."
        out.append(feature)
    return out
