"""Shared borders of every pair of neighbouring polygons in a coverage (e.g. all world countries).

In a coverage whose neighbours use the same vertices along their common border (OpenStreetMap
relations, Natural Earth, geoBoundaries…), a shared border is the set of ring edges that appear
in both polygons. So instead of intersecting the boundaries of every pair of candidates, every ring
edge of every polygon is keyed by its two end points (rounded to 1e-7°, about 1 cm), the keys are
sorted once, and edges whose key occurs under two different owners are the shared ones. Lengths
are exact geodesic sums of those edges (:func:`bordermap.geodesic.segment_lengths_m`), so they equal
the geodesic length of what ``a.boundary.intersection(b.boundary)`` returns.

Borders where one side has a vertex that the other lacks (a T-junction) are not shared edges;
snap or node such data first (``shapely.set_precision``, ``shapely.node``).
"""

from __future__ import annotations

import math
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from bordermap.errors import DataError
from bordermap.geodesic import METRES_PER_DEGREE, segment_lengths_m
from bordermap.rings import polygon_rings

#: Vertices are matched after rounding to this many decimal degrees (1e-7° ≈ 1 cm).
KEY_DECIMALS = 7


def _point_keys(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.uint64]:
    """One integer per rounded vertex: rounded lon (offset to ≥ 0) in the high 32 bits, lat low."""
    scale = 10.0**KEY_DECIMALS
    x = np.rint((lon + 180.0) * scale).astype(np.uint64)
    y = np.rint((lat + 90.0) * scale).astype(np.uint64)
    return (x << np.uint64(32)) | y


def _near_others(
    lon: NDArray[np.float64], lat: NDArray[np.float64], owner: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Whether each vertex lies in a 1° cell that holds vertices of more than one owner.

    Both ends of a shared edge are vertices of both owners, so only such cells can hold one. The
    owners of a cell differ when the variance of their numbers is not zero (exact integer sums).
    """
    # Truncating lon + 180 and lat + 90 (both ≥ 0) is flooring.
    cell = (lon + 180.0).astype(np.int64) * 181 + (lat + 90.0).astype(np.int64)
    size = 361 * 181
    n = np.bincount(cell, minlength=size)
    total = np.bincount(cell, weights=owner, minlength=size)
    squares = np.bincount(cell, weights=owner.astype(np.float64) ** 2, minlength=size)
    mixed = squares * n != total * total
    return mixed[cell]


def _lines(
    xy: NDArray[np.float64], start: NDArray[np.intp], pair: NDArray[np.intp]
) -> NDArray[np.object_]:
    """One line geometry per pair from its edges (sorted by pair, then by first vertex)."""
    # Edges that follow each other along a ring form a run: one LineString of k + 1 vertices.
    new_run = np.r_[True, (pair[1:] != pair[:-1]) | (start[1:] != start[:-1] + 1)]
    run = np.cumsum(new_run) - 1
    run_first = np.flatnonzero(new_run)
    run_last = np.r_[run_first[1:], len(start)] - 1
    vertex = np.insert(start, run_last + 1, start[run_last] + 1)
    vertex_run = np.insert(run, run_last + 1, np.arange(len(run_first)))
    lines = shapely.linestrings(xy[vertex], indices=vertex_run)
    return shapely.line_merge(shapely.multilinestrings(lines, indices=pair[run_first]))


def shared_borders(frame: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """Find the border each pair of polygons shares, as lines with their geodesic length.

    Parameters
    ----------
    frame
        Polygons and MultiPolygons in longitude/latitude (e.g. one row per country); other
        geometries are ignored.
    key
        Column naming each row (e.g. an ISO code); rows with the same key are one owner.

    Returns
    -------
    GeoDataFrame
        One row per pair that shares at least one edge: ``a`` and ``b`` (keys, ``a < b``),
        ``geometry`` (the shared edges merged into lines) and ``length_km`` (geodesic, WGS84),
        sorted by ``a``, ``b``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Polygon, box
    >>> c = Polygon([(0, 1), (1, 1), (2, 1), (2, 2), (0, 2)])  # shares (1, 1) with A and B
    >>> frame = gpd.GeoDataFrame({"iso": ["A", "B", "C"]}, crs=4326,
    ...                          geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), c])
    >>> borders = shared_borders(frame, "iso")
    >>> [(row.a, row.b, round(row.length_km, 3)) for row in borders.itertuples()]
    [('A', 'B', 110.574), ('A', 'C', 111.303), ('B', 'C', 111.303)]
    """
    if key not in frame.columns:
        raise DataError(
            f"shared borders: no column {key!r} (columns: {', '.join(map(str, frame.columns))})"
        )
    kinds = shapely.get_type_id(frame.geometry.values)
    polygonal = np.isin(kinds, (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON))
    geoms = frame.geometry.values[polygonal]
    names, owner_of_row = np.unique(
        frame[key].astype(str).to_numpy()[polygonal], return_inverse=True
    )
    # The ring table (a Python pass over WKB headers) is built while numpy, which releases the
    # GIL, finds the cells where owners meet.
    with ThreadPoolExecutor(max_workers=1) as pool:
        rings = pool.submit(polygon_rings, geoms)
        xy = shapely.get_coordinates(geoms)
        vertices_per_row = shapely.get_num_coordinates(geoms)
        vertex_owner = np.repeat(owner_of_row, vertices_per_row)
        candidate = _near_others(xy[:, 0], xy[:, 1], vertex_owner)
        counts = rings.result()[0]
    # Edge i joins vertices i and i + 1 of one ring: none starts at a ring's last vertex.
    candidate[np.cumsum(counts) - 1] = False
    edge = np.flatnonzero(candidate)
    p, q = _point_keys(xy[edge, 0], xy[edge, 1]), _point_keys(xy[edge + 1, 0], xy[edge + 1, 1])
    lo, hi, owner = np.minimum(p, q), np.maximum(p, q), vertex_owner[edge]
    keep = lo != hi  # repeated vertices make no edge
    lo, hi, edge, owner = lo[keep], hi[keep], edge[keep], owner[keep]
    # Sorted by (lo, hi, owner), the owners of one edge form a run, lower owners first. Runs
    # longer than two happen where polygons overlap (a country and its overseas region, both in
    # the file): every two owners of a run share the edge.
    order = np.lexsort((owner, hi, lo))
    lo, hi, edge, owner = lo[order], hi[order], edge[order], owner[order]
    run = np.cumsum(np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])])
    left, right = [], []
    for step in range(1, int(np.bincount(run).max()) if len(run) else 1):
        i = np.flatnonzero((run[step:] == run[:-step]) & (owner[step:] != owner[:-step]))
        left.append(i)
        right.append(i + step)
    first_edge = np.concatenate(left) if left else np.zeros(0, dtype=np.intp)
    second_edge = np.concatenate(right) if right else np.zeros(0, dtype=np.intp)
    table = pd.DataFrame(
        {"a": owner[first_edge], "b": owner[second_edge], "edge": edge[first_edge]}
    )
    table = table.drop_duplicates().sort_values(["a", "b", "edge"], ignore_index=True)
    pair = table.groupby(["a", "b"], sort=False).ngroup().to_numpy()
    e = table["edge"].to_numpy()
    metres = segment_lengths_m(xy[e, 0], xy[e, 1], xy[e + 1, 0], xy[e + 1, 1])
    first = (
        np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(e) else np.zeros(0, dtype=np.intp)
    )
    return gpd.GeoDataFrame(
        {
            "a": names[table["a"].to_numpy()[first]],
            "b": names[table["b"].to_numpy()[first]],
            "length_km": np.bincount(pair, weights=metres, minlength=len(first)) / 1000.0,
        },
        geometry=gpd.GeoSeries(_lines(xy, e, pair) if len(e) else [], crs=frame.crs),
        crs=frame.crs,
    )


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
