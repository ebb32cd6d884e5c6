"""Everything derived from one depiction: repaired coverage, enclaves and the oriented main line."""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from bordermap.derive.coverage import Repair, make_coverage, polygonal
from bordermap.derive.enclaves import Enclave, KnownEnclave, find_enclaves, identify
from bordermap.derive.geodesy import GRID
from bordermap.derive.shared_line import chain_from, nearest_end, shared_boundary
from bordermap.errors import DataError
from bordermap.upstream.depiction import Depiction
from bordermap.upstream.geonames import GeoNamesRecord

log = logging.getLogger(__name__)

#: A third country within this distance of an end of the pair's line meets it at a tripoint.
TRIPOINT_M = 1000.0

#: ``origin`` value asking for the first of :func:`tripoint_countries` (alphabetically).
AUTO_ORIGIN = "auto"

#: The region window is the bounding box of the pair's line grown by this much, in degrees,
#: then rounded outward to a multiple of WINDOW_ROUND (so small line changes keep the window).
WINDOW_BUFFER = 0.3
WINDOW_ROUND = 0.1


@dataclass
class DepictionBuild:
    """The derived geometry of one depiction."""

    depiction: Depiction
    window: Polygon
    coverage: dict[str, BaseGeometry]
    repairs: list[Repair]
    enclaves: list[Enclave]
    main: list[LineString]
    tripoint_gap_m: float
    pair: tuple[str, str]
    #: The country at the chainage origin, or None when the line starts at its western end.
    origin_country: str | None

    def provenance(self) -> str:
        """Describe, for ``geometry_method``, where the polygons come from and what was repaired."""
        count = len(self.repairs)
        repairs = f"{count} coverage repair(s) (see dataset.json)" if count else "no repairs"
        return f"{self.depiction.origin}; clipped to {list(self.window.bounds)}; {repairs}"

    def region(self, code: str) -> BaseGeometry:
        """Return a country's polygon in the window without the enclaves it administers."""
        own = [e.polygon for e in self.enclaves if e.administered_by == code]
        return polygonal(
            shapely.difference(self.coverage[code], shapely.union_all(own), grid_size=GRID)
        )

    def pair_enclaves(self) -> list[Enclave]:
        """Return the enclaves of one country of the pair inside the other."""
        return [e for e in self.enclaves if {e.administered_by, e.surrounded_by} == set(self.pair)]

    def origin_text(self) -> str:
        """Where chainage starts, in words: ``KG–TJ–UZ tripoint`` or ``western end``."""
        return origin_text(self.pair, self.origin_country)


def origin_text(pair: tuple[str, str], origin: str | None) -> str:
    """Where chainage starts, in words.

    Examples
    --------
    >>> origin_text(("KG", "TJ"), "UZ")
    'KG–TJ–UZ tripoint'
    """
    if origin is None:
        return "western end of the line (no third country meets it)"
    return f"{'–'.join(pair)}–{origin} tripoint"


def region_window(
    polygons: dict[str, BaseGeometry], snap_m: float, pair: tuple[str, str]
) -> Polygon:
    """Return the window around the pair's line: its bbox + 0.3°, rounded outward to 0.1°."""
    # make_valid can return a collection with stray lines, which has no boundary.
    a, b = (polygonal(shapely.make_valid(polygons[c])) for c in pair)
    if not shapely.intersects(a, b):
        raise DataError(f"{pair[0]} and {pair[1]} share no boundary in this depiction")
    west, south, east, north = shapely.union_all(shared_boundary(a, b, snap_m)).bounds
    down = lambda v: math.floor(round(v / WINDOW_ROUND, 6)) * WINDOW_ROUND  # noqa: E731
    up = lambda v: math.ceil(round(v / WINDOW_ROUND, 6)) * WINDOW_ROUND  # noqa: E731
    return box(
        round(down(west - WINDOW_BUFFER), 6),
        round(down(south - WINDOW_BUFFER), 6),
        round(up(east + WINDOW_BUFFER), 6),
        round(up(north + WINDOW_BUFFER), 6),
    )


def tripoint_countries(
    parts: list[LineString], coverage: dict[str, BaseGeometry], pair: tuple[str, str]
) -> list[str]:
    """Third countries that meet the pair's line at the end of one of its pieces (within 1 km)."""
    return sorted(
        code
        for code, geom in coverage.items()
        if code not in pair and not geom.is_empty and nearest_end(parts, geom)[1] <= TRIPOINT_M
    )


def build_depiction(
    depiction: Depiction,
    cache: Path,
    places: dict[int, GeoNamesRecord],
    pair: tuple[str, str],
    origin: str | None = AUTO_ORIGIN,
    countries: Collection[str] | None = None,
    catalogue: Sequence[KnownEnclave] = (),
) -> DepictionBuild:
    """Load one depiction, repair it, find its enclaves and extract its oriented main line.

    Parameters
    ----------
    depiction
        The upstream depiction.
    cache
        The download cache.
    places
        GeoNames records by id (anchors that name the enclaves).
    pair
        The two countries whose line is built.
    origin
        The third country whose tripoint starts the chainage; ``"auto"`` picks the first of
        :func:`tripoint_countries`; None (or no such country) starts it at the western end.
    countries
        Countries to read; None reads every country, keeps those reaching into the window and
        cuts their invalid parts to the window before repairing them (``clip_invalid``).
    catalogue
        Enclaves known by name (a recipe's ``enclaves``).

    Returns
    -------
    DepictionBuild
    """
    log.info("%s: loading %s", depiction.id, depiction.origin)
    raw = depiction.load(cache, countries)
    missing = [c for c in pair if c not in raw]
    if missing:
        raise DataError(
            f"{depiction.id}: {depiction.origin} has no polygon for {', '.join(missing)}"
        )
    window = region_window(raw, depiction.snap_m, pair)
    log.info("%s: region window %s", depiction.id, window.bounds)
    raw = {c: g for c, g in raw.items() if c in pair or shapely.intersects(g, window)}
    # Reading every country brings continent-sized neighbours: cut their invalid parts first.
    coverage, repairs = make_coverage(
        raw, window, clip_invalid=countries is None, gap_m=depiction.snap_m
    )
    for repair in repairs:
        log.info("%s: repair: %s", depiction.id, repair)
    found = find_enclaves(coverage)
    enclaves = identify(found, places, catalogue)
    for enclave in enclaves:
        log.info(
            "%s: enclave %s (%s in %s): %s",
            depiction.id,
            enclave.key,
            enclave.administered_by,
            enclave.surrounded_by,
            enclave.identified_by,
        )
    # The main line leaves out the pair's enclave perimeters: drop those enclaves from both sides.
    sides = {code: coverage[code] for code in pair}
    for enclave in enclaves:
        if enclave.administered_by in sides and enclave.surrounded_by in pair:
            sides[enclave.administered_by] = shapely.difference(
                sides[enclave.administered_by], enclave.polygon, grid_size=GRID
            )
    parts = shared_boundary(sides[pair[0]], sides[pair[1]], depiction.snap_m)
    if origin == AUTO_ORIGIN:
        origin = next(iter(tripoint_countries(parts, coverage, pair)), None)
    if origin is not None and coverage.get(origin, Polygon()).is_empty:
        log.warning(
            "%s: %s is not in the window; chainage starts at the western end", depiction.id, origin
        )
        origin = None
    if origin is None:
        ends = [Point(p.coords[i]) for p in parts for i in (0, -1)]
        start, gap_m = min(ends, key=lambda q: (q.x, q.y)), 0.0
    else:
        start, gap_m = nearest_end(parts, coverage[origin])
    log.info(
        "%s: main line in %d piece(s); origin %.5f, %.5f is %.1f m from %s",
        depiction.id,
        len(parts),
        start.x,
        start.y,
        gap_m,
        origin or "the western end",
    )
    main = chain_from(parts, Point(start))
    return DepictionBuild(depiction, window, coverage, repairs, enclaves, main, gap_m, pair, origin)
