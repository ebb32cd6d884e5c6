"""Shared borders of every pair of neighbouring polygons in a coverage (e.g. all world countries).

In a coverage whose neighbours use the same vertices along their common border (OpenStreetMap
relations, Natural Earth, geoBoundaries…), a shared border is the set of ring edges that appear
in both polygons. So instead of intersecting the boundaries of every pair of candidates, every ring
edge of every polygon is keyed by its two end points (rounded to 1e-7°, about 1 cm), the keys are
sorted once, and edges whose key occurs under two different owners are the shared ones. Lengths
are exact geodesic sums of those edges (:mod:`bordermap.geodesic`'s ``Geod.inv``), so they equal
the geodesic length of what ``a.boundary.intersection(b.boundary)`` returns.

Borders where one side has a vertex that the other lacks (a T-junction) are not shared edges;
snap or node such data first (``shapely.set_precision``, ``shapely.node``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from bordermap.errors import DataError
from bordermap.geodesic import GEOD
from bordermap.rings import polygon_rings

#: Vertices are matched after rounding to this many decimal degrees (1e-7° ≈ 1 cm).
KEY_DECIMALS = 7


def _point_keys(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.uint64]:
    """One integer per rounded vertex: rounded lon (offset to ≥ 0) in the high 32 bits, lat low."""
    scale = 10.0**KEY_DECIMALS
    x = np.rint((lon + 180.0) * scale).astype(np.uint64)
    y = np.rint((lat + 90.0) * scale).astype(np.uint64)
    return (x << np.uint64(32)) | y


def _candidates(lo: NDArray[np.uint64], hi: NDArray[np.uint64], valid: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Edges whose key may occur twice: a 32-bit hash sorted once, then looked up in a bitmap.

    Sorting 32-bit values is several times faster than an argsort of the edges; hash collisions
    only add a few candidates, which the exact comparison afterwards drops.
    """
    h = ((lo * np.uint64(0x9E3779B97F4A7C15)) ^ hi) * np.uint64(0xBF58476D1CE4E5B9)
    h32 = (h >> np.uint64(32)).astype(np.uint32)[valid]
    ordered = np.sort(h32)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    bitmap = np.zeros(1 << 24, dtype=bool)
    bitmap[repeated & np.uint32((1 << 24) - 1)] = True
    return np.flatnonzero(valid)[bitmap[h32 & np.uint32((1 << 24) - 1)]]


def _lines(xy: NDArray[np.float64], start: NDArray[np.intp], pair: NDArray[np.intp]) -> NDArray[np.object_]:
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
    """The border each pair of polygons shares, as lines with their geodesic length.

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
        raise DataError(f"shared borders: no column {key!r} (columns: {', '.join(map(str, frame.columns))})")
    kinds = shapely.get_type_id(frame.geometry.values)
    polygonal = np.isin(kinds, (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON))
    geoms = frame.geometry.values[polygonal]
    names, owner_of_row = np.unique(frame[key].astype(str).to_numpy()[polygonal], return_inverse=True)
    counts, _, ring_row = polygon_rings(geoms)
    xy = shapely.get_coordinates(geoms)
    points = _point_keys(xy[:, 0], xy[:, 1])
    # Edge i joins vertices i and i + 1: undirected key (lo, hi); none from a ring's last vertex.
    lo, hi = np.minimum(points[:-1], points[1:]), np.maximum(points[:-1], points[1:])
    valid = lo != hi
    valid[np.cumsum(counts)[:-1] - 1] = False
    edge = _candidates(lo, hi, valid)
    row_end = np.cumsum(np.bincount(ring_row, weights=counts, minlength=len(geoms)))
    owner = owner_of_row[np.searchsorted(row_end, edge, side="right")]
    lo, hi = lo[edge], hi[edge]
    # Sorted by (lo, hi, owner), an edge two owners share is two neighbours, lower owner first.
    order = np.lexsort((owner, hi, lo))
    lo, hi, edge, owner = lo[order], hi[order], edge[order], owner[order]
    shared = np.flatnonzero((lo[1:] == lo[:-1]) & (hi[1:] == hi[:-1]) & (owner[1:] != owner[:-1]))
    table = pd.DataFrame({"a": owner[shared], "b": owner[shared + 1], "edge": edge[shared]})
    table = table.drop_duplicates().sort_values(["a", "b", "edge"], ignore_index=True)
    pair = table.groupby(["a", "b"], sort=False).ngroup().to_numpy()
    e = table["edge"].to_numpy()
    metres = GEOD.inv(xy[e, 0], xy[e, 1], xy[e + 1, 0], xy[e + 1, 1])[2] if len(e) else np.zeros(0)
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(e) else np.zeros(0, dtype=np.intp)
    return gpd.GeoDataFrame(
        {
            "a": names[table["a"].to_numpy()[first]],
            "b": names[table["b"].to_numpy()[first]],
            "length_km": np.bincount(pair, weights=metres, minlength=len(first)) / 1000.0,
        },
        geometry=gpd.GeoSeries(_lines(xy, e, pair) if len(e) else [], crs=frame.crs),
        crs=frame.crs,
    )
