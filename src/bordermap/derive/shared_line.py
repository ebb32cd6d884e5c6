"""The line two countries share: extraction, orientation from the tripoint, chainage, sides."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, nearest_points

from bordermap.derive.geodesy import GEOD, GRID, degrees, distance_m


def line_parts(geom: BaseGeometry) -> list[LineString]:
    """Return the LineStrings in any geometry (points and polygons are dropped)."""
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    return [g for part in getattr(geom, "geoms", []) for g in line_parts(part)]


def shared_boundary(a: BaseGeometry, b: BaseGeometry, snap_m: float = 0.0) -> list[LineString]:
    """Return the boundary of ``a`` that ``b`` shares, merged into as few LineStrings as possible.

    Parameters
    ----------
    a, b
        Two polygonal geometries of one coverage.
    snap_m
        0 when both polygons use identical vertices along their common edge; otherwise the
        distance within which an edge of ``a`` counts as shared with ``b`` (the line then follows
        ``a``'s vertices).

    Returns
    -------
    list of LineString
        Longest first.
    """
    if snap_m > 0:
        common = shapely.intersection(a.boundary, b.buffer(degrees(snap_m, a.centroid.y)))
    else:
        common = shapely.intersection(a.boundary, b.boundary, grid_size=GRID)
    parts = line_parts(common)
    merged = line_parts(linemerge(parts)) if parts else []
    return sorted(merged, key=lambda line: (-line.length, line.coords[0]))


def chain_from(parts: list[LineString], origin: Point) -> list[LineString]:
    """Orient and order line pieces so the chain starts at the end nearest ``origin``.

    Each next piece is the one whose nearer end is closest to the current end; pieces are
    reversed as needed so they all run the same way.
    """
    remaining = list(parts)
    chain: list[LineString] = []
    here = origin
    while remaining:
        best = min(
            (
                (here.distance(Point(p.coords[end])), i, end)
                for i, p in enumerate(remaining)
                for end in (0, -1)
            ),
        )
        _, index, end = best
        piece = remaining.pop(index)
        piece = piece if end == 0 else LineString(piece.coords[::-1])
        chain.append(piece)
        here = Point(piece.coords[-1])
    return chain


def chainage_m(line: LineString) -> np.ndarray:
    """Cumulative geodesic distance (metres) at every vertex of a line."""
    lon, lat = np.asarray(line.coords).T[:2]
    steps = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2]
    return np.concatenate([[0.0], np.cumsum(steps)])


def split_at_chainage(
    line: LineString, step_m: float, offset_m: float = 0.0
) -> list[tuple[float, float, LineString]]:
    """Cut a line where its chainage (starting at ``offset_m``) crosses multiples of ``step_m``.

    Returns
    -------
    list of (from_m, to_m, LineString)
        Consecutive pieces; cut points are interpolated linearly between vertices.
    """
    coords = np.asarray(line.coords)[:, :2]
    along = chainage_m(line) + offset_m
    cuts = np.arange(math.floor(along[0] / step_m) + 1, math.ceil(along[-1] / step_m)) * step_m
    pieces = []
    start_m, current = along[0], [coords[0]]
    index = 1
    for cut in cuts:
        while along[index] < cut:
            current.append(coords[index])
            index += 1
        t = (cut - along[index - 1]) / (along[index] - along[index - 1])
        point = coords[index - 1] + t * (coords[index] - coords[index - 1])
        current.append(point)
        pieces.append((start_m, float(cut), LineString(current)))
        start_m, current = float(cut), [point]
    current.extend(coords[index:])
    pieces.append((float(start_m), float(along[-1]), LineString(current)))
    return pieces


def nearest_end(lines: list[LineString], target: BaseGeometry) -> tuple[Point, float]:
    """Return the line end closest to ``target`` and its distance in metres."""
    ends = [Point(line.coords[i]) for line in lines for i in (0, -1)]
    best = min(ends, key=lambda p: (p.distance(target), p.x, p.y))
    nearest = nearest_points(best, target)[1]
    return best, distance_m(best.x, best.y, nearest.x, nearest.y)
