"""The line two countries share: extraction, orientation from the tripoint, chainage, sides."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, nearest_points

from bordermap.derive.geodesy import GEOD, GRID, METRES_PER_DEGREE, degrees, distance_m


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


@dataclass(frozen=True)
class SideVote:
    """The result of the point test on both sides of a line."""

    left: str | None
    right: str | None
    agreement: float


def sides(
    line: LineString, regions: dict[str, BaseGeometry], offset_m: float, samples: int = 25
) -> SideVote:
    """Find which region lies left and right of a line by testing points offset from it.

    Parameters
    ----------
    line
        The oriented line.
    regions
        Code → polygon.
    offset_m
        How far from the line the test points are (larger than the misfit between polygons).
    samples
        Number of vertices tested, spread evenly along the line.

    Returns
    -------
    SideVote
        The most frequent (left, right) pair with a region on both sides (if any sample has
        one), and the share of samples that agree with it. A sample that finds no region on one
        side (a lake, the sea, the edge of the data) agrees when its other side matches.
    """
    coords = np.asarray(line.coords)[:, :2]
    picks = (
        np.unique(np.linspace(1, len(coords) - 2, samples).round().astype(int))
        if len(coords) > 2
        else [0]
    )
    shapely.prepare(list(regions.values()))
    votes: Counter[tuple[str | None, str | None]] = Counter()
    for i in picks:
        before, after = coords[max(i - 1, 0)], coords[min(i + 1, len(coords) - 1)]
        scale = math.cos(math.radians(coords[i][1]))
        dx, dy = (after[0] - before[0]) * scale, after[1] - before[1]
        norm = math.hypot(dx, dy)
        if norm == 0:
            continue
        # Unit normal to the left of the direction, converted back to degrees.
        step = offset_m / METRES_PER_DEGREE
        left = Point(coords[i][0] - dy / norm * step / scale, coords[i][1] + dx / norm * step)
        right = Point(coords[i][0] + dy / norm * step / scale, coords[i][1] - dx / norm * step)
        votes[(_locate(left, regions), _locate(right, regions))] += 1
    complete = Counter({found: n for found, n in votes.items() if None not in found})
    pair = (complete or votes).most_common(1)[0][0]
    agree = sum(
        n
        for (left, right), n in votes.items()
        if (left, right) != (None, None) and left in (pair[0], None) and right in (pair[1], None)
    )
    return SideVote(pair[0], pair[1], agree / sum(votes.values()))


def _locate(point: Point, regions: dict[str, BaseGeometry]) -> str | None:
    for code, geom in regions.items():
        if geom.contains(point):
            return code
    return None


def nearest_end(lines: list[LineString], target: BaseGeometry) -> tuple[Point, float]:
    """Return the line end closest to ``target`` and its distance in metres."""
    ends = [Point(line.coords[i]) for line in lines for i in (0, -1)]
    best = min(ends, key=lambda p: (p.distance(target), p.x, p.y))
    nearest = nearest_points(best, target)[1]
    return best, distance_m(best.x, best.y, nearest.x, nearest.y)
