"""Find enclaves in a repaired coverage and give each a stable key, names and parties.

An enclave is a component of one country inside the outline of another. It is named by the
catalogue entry (a recipe's own ``enclaves``, then :func:`known_enclaves`) of the same
administering and surrounding country whose anchor settlement, a GeoNames record, lies in or
nearest to it; enclaves with no catalogue match keep a descriptive key built from the nearest
gazetteer settlement, never a guessed name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from bordermap.derive.coverage import components
from bordermap.derive.geodesy import distance_m
from bordermap.text import slug
from bordermap.upstream.geonames import GeoNamesRecord


@dataclass(frozen=True)
class KnownEnclave:
    """A catalogue entry: an enclave known by name, found in the data by its anchor settlement.

    The entry names the enclave of the right parties nearest its anchor, up to ``max_m`` away;
    where two entries share an anchor the earlier entry in the catalogue is served first.
    """

    key: str
    administered_by: str
    surrounded_by: str
    anchor_geonameid: int
    names: dict[str, str] = field(hash=False)
    anchor_note: str = ""
    max_m: float = 15_000.0


def known_enclaves() -> tuple[KnownEnclave, ...]:
    """The library's catalogue of enclaves known by name (``known_enclaves.json``), for any pair.

    Examples
    --------
    >>> [e.key for e in known_enclaves()][:2]
    ['vorukh', 'kayragach']
    """
    path = Path(__file__).with_name("known_enclaves.json")
    return tuple(
        KnownEnclave(**{**entry, "names": dict(entry["names"])})
        for entry in json.loads(path.read_text(encoding="utf-8"))["enclaves"]
    )


@dataclass(frozen=True)
class Enclave:
    """An enclave found in a depiction."""

    key: str
    administered_by: str
    surrounded_by: str
    polygon: Polygon
    names: dict[str, str] = field(hash=False)
    identified_by: str


def find_enclaves(coverage: dict[str, BaseGeometry]) -> list[tuple[str, str, Polygon]]:
    """Components of one country that lie inside the outline of another.

    Containment in the outer ring (holes filled) rather than contact along the whole perimeter,
    so an enclave is still found where the source leaves a gap between it and its surroundings.

    Parameters
    ----------
    coverage
        ISO2 → repaired polygon.

    Returns
    -------
    list of (administered_by, surrounded_by, polygon)
    """
    found = []
    for inner in sorted(coverage):
        for part in components(coverage[inner]):
            for outer in sorted(coverage):
                shells = (
                    [Polygon(p.exterior) for p in components(coverage[outer])]
                    if outer != inner
                    else []
                )
                if any(shell.covers(part) for shell in shells):
                    found.append((inner, outer, part))
    return found


def identify(
    found: list[tuple[str, str, Polygon]],
    places: dict[int, GeoNamesRecord],
    catalogue: Sequence[KnownEnclave] = (),
) -> list[Enclave]:
    """Name found enclaves from a catalogue, each entry used at most once (nearest wins)."""
    pairs = []
    for index, (admin, surround, polygon) in enumerate(found):
        for rank, entry in enumerate(catalogue):
            anchor = places.get(entry.anchor_geonameid)
            if anchor is None or (entry.administered_by, entry.surrounded_by) != (admin, surround):
                continue
            pairs.append((_distance_to(polygon, anchor), rank, index, entry))
    named: dict[int, KnownEnclave] = {}
    used: set[str] = set()
    for distance, _, index, entry in sorted(pairs, key=lambda p: p[:3]):
        if distance <= entry.max_m and index not in named and entry.key not in used:
            named[index] = entry
            used.add(entry.key)
    out = []
    for index, (admin, surround, polygon) in enumerate(found):
        known = named.get(index)
        if known is not None:
            out.append(
                Enclave(known.key, admin, surround, polygon, dict(known.names), known.anchor_note)
            )
            continue
        near = min(places.values(), key=lambda p: _distance_to(polygon, p), default=None)
        if near is None:  # no gazetteer records: a key from the polygon's position
            point = polygon.representative_point()
            where = f"at {point.y:.3f}N {point.x:.3f}E"
            key = f"{admin.lower()}_in_{surround.lower()}_{slug(f'{point.y:.3f}n_{point.x:.3f}e')}"
            note = "not in the catalogue; no gazetteer settlement to name it by"
        else:
            where = f"near {near.name}"
            key = f"{admin.lower()}_in_{surround.lower()}_near_{slug(near.name)}"
            note = f"not in the catalogue; nearest GeoNames settlement {near.geonameid} {near.name}"
        names = {"en": f"{admin} enclave in {surround} {where} (unnamed in the catalogue)"}
        out.append(Enclave(key, admin, surround, polygon, names, note))
    return sorted(out, key=lambda e: e.key)


def _distance_to(polygon: Polygon, place: GeoNamesRecord) -> float:
    point = shapely.Point(place.lon, place.lat)
    if polygon.contains(point):
        return 0.0
    nearest = nearest_points(polygon.exterior, point)[0]
    return distance_m(place.lon, place.lat, nearest.x, nearest.y)
