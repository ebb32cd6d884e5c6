"""Exact geodesic lengths and areas on the WGS84 ellipsoid, vectorised over whole layers.

Lines: every segment of every line goes through ``Geod.inv`` (the floor for exact measurement),
and the segment lengths are summed per geometry with ``numpy.bincount``. Polygons: area and
perimeter come together from Karney's polygon algorithm (PROJ's ``geod_polygon_*``, the code
behind ``Geod.polygon_area_perimeter``), so each edge is solved once. A polygon's area is its
exterior's absolute area minus its holes', whatever the ring orientation and start vertex.

Why it is fast (docs/performance.md). Real coastlines have hundreds of thousands of tiny rings;
one call (or one shapely object) per ring would spend most of the time in Python. So:

* where the compiled ring loop is built (:mod:`bordermap.native`), it walks the polygons' WKB
  (the reader's own where it kept it, :func:`bordermap.rings.recalled_wkb`) and hands each ring
  to PROJ from C, without the GIL; each ring's numbers are pyproj's, bit for bit;
* otherwise, through pyproj's Python interface: ring sizes are read from the polygons' WKB
  headers, without a shapely object per ring, and small rings are measured in blocks:
  consecutive rings of one geometry whose orientation agrees (or all disagrees) with their role
  are measured as one closed chain ``r1 … r1 r2 … r2 …``. The chain's area and perimeter are the
  rings' plus those of the polygon through the rings' first vertices, which is measured too and
  subtracted. Both calls solve each connecting edge from the same coordinates, so it cancels
  exactly; what is left is the rounding of one double-double sum (relative error about 1e-16 ×
  connecting polygon / geometry, below 1e-10 on the world's countries). Rings that are large,
  long or near a pole are measured one by one, as ``|area|``;
* blocks run in threads, since PROJ computes without the GIL; per-ring or per-block values are
  added per geometry in a fixed order, so the numbers do not depend on the number of threads.

Definitions (see docs/measurement.md): a polygon's perimeter includes the perimeters of its holes;
a point's length and area are 0; a line's area is 0.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from bordermap.native import RingEngine, ring_engine
from bordermap.progress import progress_bar
from bordermap.rings import any_recalled_rings, polygon_rings, recalled_wkb

GEOD = Geod(ellps="WGS84")

#: Metres per degree of latitude (mean); only for turning small tolerances into degrees.
METRES_PER_DEGREE = 111_320.0

#: Rings with fewer vertices than this, inside a CHAIN_MAX_SPAN_DEG box and within
#: CHAIN_MAX_ABS_LAT of the equator, are measured in chains: there lon/lat orientation is the
#: geodesic orientation.
CHAIN_MAX_VERTICES = 1024
CHAIN_MAX_SPAN_DEG = 10.0
CHAIN_MAX_ABS_LAT = 89.0
#: Vertices per chained block and per threaded chunk of line segments.
BLOCK_VERTICES = 1 << 16
#: Inputs with fewer vertices than this are measured in the calling thread.
THREAD_MIN_VERTICES = 200_000
#: Vertices measured at once (whole geometries): bounds the measurement's memory.
CHUNK_VERTICES = 1 << 20

_E2 = GEOD.f * (2 - GEOD.f)
#: Area of the whole ellipsoid (GeographicLib's ``4 π c²``): polygon areas are defined modulo it.
ELLIPSOID_AREA_M2 = (
    2 * math.pi * (GEOD.a**2 + GEOD.b**2 * math.atanh(math.sqrt(_E2)) / math.sqrt(_E2))
)

_Geoms = Sequence[shapely.Geometry | None] | NDArray[np.object_]
_Task = Callable[[], tuple[float, float]]
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def default_workers() -> int:
    """Threads used for large inputs: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(tasks: list[_Task], vertices: int, workers: int | None) -> NDArray[np.float64]:
    """Run measurement tasks (in threads when the input is large); rows in task order."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or vertices < THREAD_MIN_VERTICES or len(tasks) < 2:
        rows = [task() for task in tasks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(lambda task: task(), tasks))
    return np.array(rows, dtype=float).reshape(-1, 2)


def _components(
    geoms: NDArray[np.object_],
) -> tuple[NDArray[np.object_], NDArray[np.intp], NDArray[np.int8]]:
    """Split any geometries into line parts and polygon rings (as shapely objects).

    Returns the components, the index of the geometry each belongs to, and each one's role:
    0 line part, 1 polygon exterior ring, -1 hole.
    """
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    kinds = shapely.get_type_id(parts)
    linear = np.isin(kinds, (shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING))
    polys = kinds == shapely.GeometryType.POLYGON
    rings, ring_poly = shapely.get_rings(parts[polys], return_index=True)
    first = np.r_[True, ring_poly[1:] != ring_poly[:-1]] if len(rings) else np.zeros(0, dtype=bool)
    components = np.concatenate([parts[linear], rings])
    owner = np.concatenate([part_owner[linear], part_owner[polys][ring_poly]])
    role = np.concatenate(
        [np.zeros(int(linear.sum()), dtype=np.int8), np.where(first, 1, -1).astype(np.int8)]
    )
    return components, owner, role


def segment_lengths_m(
    lon1: NDArray[np.float64],
    lat1: NDArray[np.float64],
    lon2: NDArray[np.float64],
    lat2: NDArray[np.float64],
    workers: int | None = None,
) -> NDArray[np.float64]:
    """Geodesic length in metres of each segment (``Geod.inv``, in threaded chunks when many).

    Examples
    --------
    >>> import numpy as np
    >>> zero, one = np.array([0.0]), np.array([1.0])
    >>> segment_lengths_m(zero, zero, one, zero).round(2)
    array([111319.49])
    """
    dist = np.empty(len(lon1))

    def solve(chunk: slice) -> tuple[float, float]:
        dist[chunk] = GEOD.inv(lon1[chunk], lat1[chunk], lon2[chunk], lat2[chunk])[2]
        return 0.0, 0.0

    chunks = [slice(i, i + BLOCK_VERTICES) for i in range(0, len(lon1), BLOCK_VERTICES)]
    _run([partial(solve, c) for c in chunks], len(lon1), workers)
    return dist


def _line_lengths(lines: NDArray[np.object_], workers: int | None) -> NDArray[np.float64]:
    """Geodesic length of each line part: one pass of ``Geod.inv`` over all segments."""
    coords, comp = shapely.get_coordinates(lines, return_index=True)
    if len(coords) < 2:
        return np.zeros(len(lines))
    same = comp[1:] == comp[:-1]
    lon, lat = coords[:, 0], coords[:, 1]
    dist = segment_lengths_m(lon[:-1][same], lat[:-1][same], lon[1:][same], lat[1:][same], workers)
    # Weighted counts are floats (numpy's stubs say integers): asarray makes no copy.
    return np.asarray(np.bincount(comp[:-1][same], weights=dist, minlength=len(lines)), np.float64)


def _orientation(
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    first: NDArray[np.intp],
    counts: NDArray[np.intp],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Tell whether each closed ring runs counter-clockwise in lon/lat, and whether to trust that.

    Trusted for rings that are small and away from the poles (so they cannot cross the antimeridian
    either): there lon/lat orientation is the geodesic one.
    """
    # Trapezoid form of the shoelace, sum of (x[i+1] - x[i]) * (y[i+1] + y[i]) = -2 × area:
    # differences keep small rings exact enough; terms that join two rings are zeroed.
    n = len(lon)
    term, step = np.zeros(n), np.zeros(n)
    np.subtract(lon[1:], lon[:-1], out=step[:-1])
    np.add(lat[1:], lat[:-1], out=term[:-1])
    term *= step
    term[first[1:] - 1] = 0.0
    signed = np.add.reduceat(term, first)
    # The lon/lat path length bounds the ring's extent.
    np.abs(step, out=step)
    np.subtract(lat[1:], lat[:-1], out=term[:-1])
    np.abs(term, out=term)
    step += term
    step[first[1:] - 1] = 0.0
    extent = np.add.reduceat(step, first)
    small = (counts >= 4) & (counts < CHAIN_MAX_VERTICES) & (extent < CHAIN_MAX_SPAN_DEG)
    polar = np.abs(lat[first]) + extent > CHAIN_MAX_ABS_LAT
    return signed < 0, small & ~polar & (signed != 0)


def _one_ring(lon: NDArray[np.float64], lat: NDArray[np.float64], role: int) -> tuple[float, float]:
    area, perimeter = GEOD.polygon_area_perimeter(lon, lat)
    return role * abs(area), perimeter


def _chain(
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    first_lon: NDArray[np.float64],
    first_lat: NDArray[np.float64],
    sign: int,
) -> tuple[float, float]:
    """Area and perimeter of consecutive closed rings measured as one chain (module docstring)."""
    area, perimeter = GEOD.polygon_area_perimeter(lon, lat)
    if len(first_lon) > 1:
        joint_area, joint_perimeter = GEOD.polygon_area_perimeter(first_lon, first_lat)
        area, perimeter = area - joint_area, perimeter - joint_perimeter
        # Both areas are reduced modulo the ellipsoid's; so is their difference.
        area -= ELLIPSOID_AREA_M2 * round(area / ELLIPSOID_AREA_M2)
    return sign * area, perimeter


def _block_starts(key: NDArray[np.int64], counts: NDArray[np.intp]) -> NDArray[np.intp]:
    """Find the rings that start a block: at a new key, and every BLOCK_VERTICES vertices."""
    new_key = np.r_[True, key[1:] != key[:-1]]
    begin = np.cumsum(counts) - counts
    offset = begin - np.maximum.accumulate(np.where(new_key, begin, 0))
    sub = offset // BLOCK_VERTICES
    return np.flatnonzero(new_key | np.r_[True, sub[1:] != sub[:-1]])


def _per_owner(
    owner: NDArray[np.intp], area: NDArray[np.float64], perimeter: NDArray[np.float64], size: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Areas and perimeters added up per owner, in order (``size`` owners)."""
    # Weighted counts are floats (numpy's stubs say integers): asarray makes no copy.
    return (
        np.asarray(np.bincount(owner, weights=area, minlength=size), np.float64),
        np.asarray(np.bincount(owner, weights=perimeter, minlength=size), np.float64),
    )


def _ring_measures(
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    counts: NDArray[np.intp],
    role: NDArray[np.int8],
    owner: NDArray[np.intp],
    size: int,
    workers: int | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Area (holes negative) and perimeter of polygon rings given by their vertices, per owner."""
    keep = counts > 0
    counts, role, owner = counts[keep], role[keep], owner[keep]
    first = np.cumsum(counts) - counts
    ccw, trusted = _orientation(lon, lat, first, counts)
    # A run of trusted rings of one owner whose orientations all agree (sign 1) or all disagree
    # (sign -1) with their roles is chained as it stands; every untrusted ring is its own block.
    sign = np.where(ccw == (role > 0), 1, -1)
    key = np.where(trusted, owner * 2 + (sign > 0), -1 - np.arange(len(counts)))
    starts = _block_starts(key, counts)
    stops = np.r_[starts[1:], len(counts)]

    def chain(r0: int, r1: int, v0: int, v1: int) -> tuple[float, float]:
        return _chain(lon[v0:v1], lat[v0:v1], lon[first[r0:r1]], lat[first[r0:r1]], int(sign[r0]))

    def one_ring(r0: int, v0: int, v1: int) -> tuple[float, float]:
        return _one_ring(lon[v0:v1], lat[v0:v1], int(role[r0]))

    tasks: list[_Task] = []
    for r0, r1 in zip(starts, stops, strict=True):
        v0, v1 = first[r0], first[r1 - 1] + counts[r1 - 1]
        tasks.append(partial(chain, r0, r1, v0, v1) if trusted[r0] else partial(one_ring, r0, v0, v1))
    results = _run(tasks, len(lon), workers)
    return _per_owner(owner[starts], results[:, 0], results[:, 1], size)


def lengths_areas_m(
    geoms: _Geoms, workers: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Geodesic length (m) and area (m²) of each geometry, in one pass over the vertices.

    Parameters
    ----------
    geoms
        Shapely geometries in longitude/latitude (WGS84); None and empty geometries give 0.
    workers
        Threads for large inputs (default: one per available CPU; 1 runs in the calling thread).

    Returns
    -------
    lengths, areas
        Line length or polygon perimeter (holes included), and polygon area (holes subtracted).

    Examples
    --------
    >>> from shapely import LineString, box
    >>> lengths, areas = lengths_areas_m([LineString([(0, 0), (1, 0)]), box(0, 0, 1, 1)])
    >>> [round(float(v), 1) for v in (*lengths, *areas)]
    [111319.5, 443770.9, 0.0, 12308778361.5]
    """
    arr = np.asarray(geoms, dtype=object)
    if len(arr) == 0:
        return np.zeros(0), np.zeros(0)
    counts = shapely.get_num_coordinates(arr)
    total = int(counts.sum())
    if total <= CHUNK_VERTICES:
        return _lengths_areas(arr, workers)
    # Consecutive geometries of about CHUNK_VERTICES vertices at a time: every number belongs to
    # one geometry, so chunking changes none, and the working arrays stay small and are reused.
    # With several threads, each measures whole chunks of CHUNK_VERTICES / threads (the same
    # memory in flight): one chunk's preparation (WKB headers, coordinates, orientation: Python
    # and numpy, holding the GIL) then overlaps another's geodesics (PROJ, without the GIL).
    threads = default_workers() if workers is None else workers
    step = CHUNK_VERTICES // max(threads, 1)
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(step, total, step), side="left") + 1
    cuts = np.unique(np.r_[0, cuts, len(arr)])
    spans = list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))
    lengths, areas = np.zeros(len(arr)), np.zeros(len(arr))

    def chunk(span: tuple[int, int]) -> int:
        a, b = span
        # A chunk far larger than its share is one huge geometry: its blocks use every thread.
        alone = threads > 1 and int(ends[b - 1] - ends[a] + counts[a]) <= 2 * step
        lengths[a:b], areas[a:b] = _lengths_areas(arr[a:b], 1 if alone else workers)
        return b

    with progress_bar(f"measuring {total:,} vertices", total=total) as done:
        if threads > 1 and len(spans) > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                for b in pool.map(chunk, spans):
                    done(int(ends[b - 1]))
        else:
            for span in spans:
                done(int(ends[chunk(span) - 1]))
    return lengths, areas


def _lengths_areas(
    arr: NDArray[np.object_], workers: int | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`lengths_areas_m` of some geometries at once."""
    lengths, areas = np.zeros(len(arr)), np.zeros(len(arr))
    if len(arr) == 0:
        return lengths, areas
    engine = ring_engine()
    polygonal = np.isin(shapely.get_type_id(arr), _POLYGONAL)
    which = np.flatnonzero(polygonal)
    coords: list[NDArray[np.float64]] = []
    tables: list[tuple[NDArray[np.intp], NDArray[np.int8], NDArray[np.intp]]] = []
    if engine is not None and len(which):
        # Polygons and MultiPolygons: the compiled engine finds their rings in WKB or coordinates.
        buf, start, count, role, owner = _polygon_vertices(engine, arr[which])
        ring_area, ring_perimeter = _native_ring_measures(
            engine, buf, start, count, role, which[owner], len(arr), workers
        )
        areas += ring_area
        lengths += ring_perimeter
    elif len(which):
        # Polygons and MultiPolygons: ring sizes from WKB; anything else through shapely parts.
        coords = [shapely.get_coordinates(arr[which])]
        counts, role, owner = polygon_rings(arr[which])
        tables = [(counts, role, which[owner])]
    others = np.flatnonzero(~polygonal)
    if len(others):
        components, comp_owner, comp_role = _components(arr[others])
        line = comp_role == 0
        if line.any():
            lengths += np.bincount(
                others[comp_owner[line]],
                weights=_line_lengths(components[line], workers),
                minlength=len(arr),
            )
        rings = components[~line]
        coords.append(shapely.get_coordinates(rings))
        tables.append(
            (shapely.get_num_coordinates(rings), comp_role[~line], others[comp_owner[~line]])
        )
    xy = np.concatenate(coords) if coords else np.zeros((0, 2))
    if len(xy):
        counts, role, owner = (np.concatenate(column) for column in zip(*tables, strict=True))
        if engine is not None:
            ring_area, ring_perimeter = _native_ring_measures(
                engine, xy, (np.cumsum(counts) - counts) * 16, counts, role, owner, len(arr), workers
            )
        else:
            # Column views: pyproj copies each slice it is given into a contiguous buffer anyway.
            ring_area, ring_perimeter = _ring_measures(
                xy[:, 0], xy[:, 1], counts, role, owner, len(arr), workers
            )
        areas += ring_area
        lengths += ring_perimeter
    return lengths, areas


def _polygon_vertices(
    engine: RingEngine, polys: NDArray[np.object_]
) -> tuple[NDArray[Any], NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """Where the rings of some Polygons and MultiPolygons are, for the compiled engine.

    Returns a buffer holding the vertices and, per ring, the byte offset of its first vertex, its
    vertex count, role and polygon (index into ``polys``). The buffer is, in this order of choice:
    the WKB the reader decoded the large geometries from (:func:`recalled_wkb`; the rest written
    by shapely; WKB the engine cannot walk, big-endian or 3D, is written again); the coordinates
    with the ring structure a JSON reader recorded (:func:`polygon_rings`); or WKB written by
    shapely.
    """
    recalled = recalled_wkb(polys)
    if any(blob is not None for blob in recalled):
        missing = [i for i, blob in enumerate(recalled) if blob is None]
        blobs: list[bytes | memoryview | None] = list(recalled)
        for i, blob in zip(missing, _wkb(polys[missing]), strict=True):
            blobs[i] = blob
        try:
            return _walk(engine, [b for b in blobs if b is not None])
        except ValueError:
            pass
    elif any_recalled_rings(polys):
        counts, role, owner = polygon_rings(polys)
        xy = shapely.get_coordinates(polys)
        start = (np.cumsum(counts) - counts) * 16
        return xy, start.astype(np.int64), counts.astype(np.int64), role, owner.astype(np.int64)
    return _walk(engine, list(_wkb(polys)))


def _wkb(polys: NDArray[np.object_]) -> NDArray[np.object_]:
    return shapely.to_wkb(polys, byte_order=1, output_dimension=2, flavor="iso")  # type: ignore[no-any-return]


def _walk(
    engine: RingEngine, blobs: list[bytes | memoryview]
) -> tuple[NDArray[np.uint8], NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    ends = np.cumsum([len(b) for b in blobs], dtype=np.int64)
    buf = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    return (buf, *engine.wkb_rings(buf, np.r_[np.int64(0), ends]))


def _native_ring_measures(
    engine: RingEngine,
    base: NDArray[np.float64] | NDArray[np.uint8],
    start: NDArray[np.int64],
    count: NDArray[np.int64],
    role: NDArray[np.int8],
    owner: NDArray[np.intp],
    size: int,
    workers: int | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Area (holes negative) and perimeter per owner of rings the compiled engine measures.

    Each ring is measured on its own (PROJ's polygon algorithm, as ``|area|`` with the ring's
    role), in blocks of about BLOCK_VERTICES vertices run in threads; the rings' values are then
    added per owner in ring order, so the sums do not depend on the number of threads.
    """
    n = len(start)
    vertices: NDArray[Any] = np.ascontiguousarray(base)
    area, perimeter = np.empty(n), np.empty(n)
    cuts = np.searchsorted(np.cumsum(count), np.arange(BLOCK_VERTICES, int(count.sum()), BLOCK_VERTICES))
    bounds = np.unique(np.r_[0, cuts, n]).tolist()

    def block(a: int, b: int) -> tuple[float, float]:
        area[a:b], perimeter[a:b] = engine.measure_rings(vertices, start[a:b], count[a:b], role[a:b])
        return 0.0, 0.0

    tasks: list[_Task] = [partial(block, a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    _run(tasks, int(count.sum()), workers)
    return _per_owner(owner, area, perimeter, size)


def lengths_m(geoms: _Geoms) -> NDArray[np.float64]:
    """Geodesic length of each geometry in metres (polygon: perimeter, holes included).

    Examples
    --------
    One degree of longitude along the equator is 111,319.49 m on WGS84:

    >>> from shapely import LineString
    >>> round(float(lengths_m([LineString([(0, 0), (1, 0)])])[0]), 2)
    111319.49
    """
    return lengths_areas_m(geoms)[0]


def areas_m2(geoms: _Geoms) -> NDArray[np.float64]:
    """Geodesic area of each geometry in square metres (holes subtracted; lines and points 0).

    Examples
    --------
    A 1°×1° cell at the equator (GeographicLib gives 12,308,778,361.469 m²):

    >>> from shapely import box
    >>> round(float(areas_m2([box(0, 0, 1, 1)])[0]), 1)
    12308778361.5
    """
    return lengths_areas_m(geoms)[1]


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Geodesic distance between the nearest points of two lon/lat geometries (0 if they meet).

    The nearest points are found in a plane scaled by the cosine of ``a``'s latitude (as chainage
    does); the distance between them is then the WGS84 geodesic.

    Examples
    --------
    >>> from shapely import Point
    >>> round(distance_m(Point(70.0, 40.0), Point(70.0, 40.01)))
    1110
    """
    if a.intersects(b):
        return 0.0
    k = float(np.cos(np.radians(a.centroid.y)))
    scale = np.array([k, 1.0])
    pa, pb = shapely.shortest_line(
        shapely.transform(a, lambda xy: xy * scale), shapely.transform(b, lambda xy: xy * scale)
    ).coords
    (x1, y1), (x2, y2) = np.asarray(pa) / scale, np.asarray(pb) / scale
    return float(GEOD.inv(x1, y1, x2, y2)[2])
