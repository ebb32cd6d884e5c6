"""Turn one depiction's country polygons into a valid coverage, recording every repair.

A valid coverage has no overlaps, every enclave cut out of the country around it, and identical
vertices along every shared edge (so that nothing, however far one zooms in, shows a sliver or a
gap between neighbours). Sources break this in four ways: invalid rings, a country drawn over a
neighbour's enclave (geo-maps 2017 has no hole at Vorukh), slivers where two countries' edges do
not quite coincide, and shared edges digitised twice with different vertices (DCW's per-country
quantisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from bordermap.derive.geodesy import GRID, area_km2, degrees

#: A component of one country at least this much covered by another is that country's enclave.
ENCLAVE_COVER = 0.99

#: Overlap pieces are attributed by contact length measured within this distance (metres).
CONTACT_M = 1.0

#: Margin (degrees) around the window to which ``clip_invalid`` cuts an invalid part.
CLIP_MARGIN = 0.01


@dataclass(frozen=True)
class Repair:
    """One change made to a depiction's polygons.

    Parameters
    ----------
    action
        ``made valid``, ``enclave cut out``, ``overlap removed`` or ``edges matched``.
    country
        The country whose polygon was changed.
    other
        The other country involved, if any.
    lon, lat
        A point inside the changed area.
    area_km2
        Geodesic area changed.
    """

    action: str
    country: str
    other: str | None
    lon: float
    lat: float
    area_km2: float

    def __str__(self) -> str:
        other = f" (given to {self.other})" if self.action == "overlap removed" else ""
        if self.action == "enclave cut out":
            other = f" ({self.other} enclave)"
        return (
            f"{self.action}: {self.country}{other} at {self.lat:.4f}N {self.lon:.4f}E, "
            f"{self.area_km2:.4f} km²"
        )


def polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """Keep only the polygon parts of a geometry (overlays can return stray lines and points)."""
    if geom is None or geom.is_empty:
        return Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID) if parts else Polygon()


def components(geom: BaseGeometry) -> list[Polygon]:
    """Return the polygons of a Polygon or MultiPolygon, largest first (a deterministic order)."""
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    parts = [p for p in parts if not p.is_empty]
    return sorted(parts, key=lambda p: (-p.area, p.bounds))


def _repair(action: str, country: str, other: str | None, changed: BaseGeometry) -> Repair:
    point = changed.representative_point()
    return Repair(action, country, other, round(point.x, 4), round(point.y, 4), area_km2(changed))


def make_coverage(
    polygons: dict[str, BaseGeometry], window: Polygon, clip_invalid: bool = False, gap_m: float = 0.0
) -> tuple[dict[str, BaseGeometry], list[Repair]]:
    """Clip the countries to the window and repair them into a valid coverage.

    Parameters
    ----------
    polygons
        ISO2 → the country's polygon(s) as read from the source.
    window
        The region window to clip to.
    clip_invalid
        Cut an invalid part to the window (plus 0.01°) before making it valid: make_valid on a
        continent-sized mainland (Russia, Iran at 10 m detail) takes minutes. The repair then sees
        only the invalid spots near the window.
    gap_m
        Gaps between neighbours narrower than this are closed (given to the neighbour with the
        longest border along them): the source's own misfit, e.g. DCW's quantisation.

    Returns
    -------
    tuple
        ISO2 → repaired polygon (on the 1e-7° grid), and the list of repairs made.

    Notes
    -----
    Repairs, in order: invalid parts reaching into the window are made valid (reported when
    the invalid spot is inside the window, with the change of area); a component of country A
    that country B covers (by at least 99 %) is taken as A's enclave and cut out of B; any
    remaining overlap piece goes to the country whose rest it touches along the longer edge
    (ties: the alphabetically first), so a sliver joins the country that surrounds it most.
    """
    repairs: list[Repair] = []
    out: dict[str, BaseGeometry] = {}
    for code in sorted(polygons):
        parts = []
        # Only the parts that reach into the window matter; each invalid one is made valid alone.
        for part in getattr(polygons[code], "geoms", [polygons[code]]):
            if not part.intersects(window):
                continue
            if not part.is_valid:
                if clip_invalid:
                    part = shapely.clip_by_rect(part, *window.buffer(CLIP_MARGIN).bounds)
                fixed = polygonal(shapely.make_valid(part))
                if (repair := _validity_repair(code, part, fixed, window)) is not None:
                    repairs.append(repair)
                part = fixed
            parts.append(shapely.set_precision(part, GRID))
        merged = shapely.union_all(parts, grid_size=GRID)
        out[code] = polygonal(shapely.intersection(merged, window, grid_size=GRID))
    repairs += _cut_enclaves(out)
    repairs += _remove_overlaps(out)
    repairs += _match_edges(out, gap_m)
    return out, repairs


def _validity_repair(
    code: str, raw: Polygon, fixed: BaseGeometry, window: Polygon
) -> Repair | None:
    """Describe a make_valid repair at the first invalid spot, if that spot is in the window."""
    found = re.search(r"\[(\S+) (\S+)\]", shapely.is_valid_reason(raw))
    where = (
        shapely.Point(float(found[1]), float(found[2])) if found else fixed.representative_point()
    )
    if not window.contains(where):
        return None
    change = abs(area_km2(fixed) - area_km2(raw))
    return Repair("made valid", code, None, round(where.x, 4), round(where.y, 4), change)


def _cut_enclaves(coverage: dict[str, BaseGeometry]) -> list[Repair]:
    repairs = []
    for inner in sorted(coverage):
        for part in components(coverage[inner]):
            for outer in sorted(coverage):
                if outer == inner:
                    continue
                covered = shapely.intersection(part, coverage[outer], grid_size=GRID)
                if covered.area >= ENCLAVE_COVER * part.area:
                    coverage[outer] = polygonal(
                        shapely.difference(coverage[outer], part, grid_size=GRID)
                    )
                    repairs.append(_repair("enclave cut out", outer, inner, part))
    return repairs


def _contact(piece: Polygon, rest: BaseGeometry) -> float:
    """Length (in degree units, for comparison only) along which ``piece`` touches ``rest``."""
    eps = degrees(CONTACT_M, piece.centroid.y)
    halo = piece.buffer(eps)
    nearby = shapely.clip_by_rect(rest, *halo.bounds)
    return float(shapely.intersection(halo, nearby).area / eps)


def _remove_overlaps(coverage: dict[str, BaseGeometry]) -> list[Repair]:
    repairs = []
    for a, b in combinations(sorted(coverage), 2):
        overlap = polygonal(shapely.intersection(coverage[a], coverage[b], grid_size=GRID))
        if overlap.is_empty:
            continue
        rest = {
            code: polygonal(shapely.difference(coverage[code], overlap, grid_size=GRID))
            for code in (a, b)
        }
        for piece in components(overlap):
            keeper = max((a, b), key=lambda code: (_contact(piece, rest[code]), code == a))
            loser = b if keeper == a else a
            coverage[loser] = polygonal(shapely.difference(coverage[loser], piece, grid_size=GRID))
            repairs.append(_repair("overlap removed", loser, keeper, piece))
    return repairs


def _match_edges(coverage: dict[str, BaseGeometry], gap_m: float) -> list[Repair]:
    """Make shared edges vertex-identical with GEOS's coverage cleaner.

    Its snapping distance is chosen by GEOS from the data's extent (a few centimetres for a
    region); nearby vertices snap together, gaps narrower than ``gap_m`` are closed, and the
    changes are reported as repairs. A polygon the rounding would make invalid is an error, not repaired
    silently.
    """
    codes = sorted(coverage)
    cleaned = shapely.coverage_clean([coverage[code] for code in codes], gap_width=degrees(gap_m))
    # Back onto the grid vertex by vertex: a shared vertex rounds the same way on both sides, so
    # later grid-snapped overlays (cutting enclaves out) leave the edges identical.
    cleaned = shapely.set_precision(cleaned, GRID, mode="pointwise")
    repairs = []
    for code, geom in zip(codes, cleaned, strict=True):
        changed = polygonal(shapely.symmetric_difference(coverage[code], geom))
        if not changed.is_empty:
            repairs.append(_repair("edges matched", code, None, changed))
        if not geom.is_valid:
            raise ValueError(f"{code}: coverage cleaning left an invalid polygon ({shapely.is_valid_reason(geom)})")
        coverage[code] = polygonal(geom)
    return repairs


def overlaps(coverage: dict[str, BaseGeometry]) -> float:
    """Total area (km²) where two polygons of a coverage overlap; 0 for a valid coverage."""
    total = 0.0
    for a, b in combinations(sorted(coverage), 2):
        total += area_km2(polygonal(shapely.intersection(coverage[a], coverage[b])))
    return total
