"""Compact geometry for the HTML map: shared arcs on an integer grid, as TopoJSON does.

Every line part and polygon ring of every layer is snapped to a grid of ``quantum`` degrees and
cut at its junctions (points where the geometries that pass through it part ways). Each piece
between junctions, an *arc*, is stored once, delta-encoded, however many features use it: the
two countries on either side of a border and the boundary line itself all point to the same arc,
so neighbouring polygons can neither overlap nor leave a sliver between them. Arcs are then
thinned with Douglas–Peucker (endpoints kept, so topology holds) within ``tolerance_m``.

The worst displacement of a drawn line is therefore ``tolerance_m`` plus half a grid cell's
diagonal; :func:`deviation_m` measures it for real (Hausdorff distance in metres) and
:func:`fidelity` reports it with the encoded size. Full-resolution geometry stays in the data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from bordermap.geodesic import METRES_PER_DEGREE

#: Grid step in degrees: 5e-6° is 0.56 m of latitude, so snapping moves a vertex ≤ 0.4 m.
QUANTUM = 5e-6
#: Douglas–Peucker tolerance for arcs, in metres (dense user data shrinks; the bundled data is
#: already thinned at 1 m by its packager, so it loses little).
TOLERANCE_M = 0.5
_KEY = np.int64(1) << 32


@dataclass
class _Arcs:
    """Arcs found so far: quantized (n, 2) integer arrays, keyed by their bytes for sharing."""

    arcs: list[NDArray[np.int64]] = field(default_factory=list)
    index: dict[bytes, int] = field(default_factory=dict)

    def ref(self, arc: NDArray[np.int64]) -> int:
        """Index of an arc (``~i`` when stored the other way round), adding it when new."""
        key = arc.tobytes()
        found = self.index.get(key)
        if found is not None:
            return found
        found = self.index.get(arc[::-1].tobytes())
        if found is not None:
            return ~found
        self.index[key] = len(self.arcs)
        self.arcs.append(arc)
        return len(self.arcs) - 1


@dataclass
class Topology:
    """Encoded geometries of a map: shared arcs plus one compact record per geometry.

    Parameters
    ----------
    origin
        Longitude and latitude of grid cell (0, 0).
    quantum
        Grid step in degrees.
    arcs
        Quantized arcs, each an (n, 2) array of grid coordinates.
    geometries
        One record per input geometry (see :func:`encode`).
    """

    origin: tuple[float, float]
    quantum: float
    arcs: list[NDArray[np.int64]]
    geometries: list[dict[str, Any] | None]

    def arcs_json(self) -> str:
        """The arcs as JSON: per arc a flat list ``x0, y0, dx1, dy1, …`` in grid units."""
        parts = []
        for arc in self.arcs:
            flat = np.diff(arc, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
            parts.append("[" + ",".join(map(str, flat.tolist())) + "]")
        return "[" + ",".join(parts) + "]"

    def to_json(self) -> str:
        """The whole topology as one JSON object (``o``, ``q``, ``arcs``, ``geoms``)."""
        head = json.dumps({"o": self.origin, "q": self.quantum}, separators=(",", ":"))[:-1]
        geoms = json.dumps(self.geometries, separators=(",", ":"))
        return f'{head},"arcs":{self.arcs_json()},"geoms":{geoms}}}'

    def lonlat(self, arc: NDArray[np.int64]) -> NDArray[np.float64]:
        """Grid coordinates back to longitude/latitude."""
        return np.asarray(self.origin) + arc * self.quantum

    def _line(self, refs: list[int]) -> NDArray[np.float64]:
        pieces = [self.arcs[r] if r >= 0 else self.arcs[~r][::-1] for r in refs]
        joined = np.concatenate([pieces[0], *(p[1:] for p in pieces[1:])])
        return self.lonlat(joined)

    def decode(self, index: int) -> BaseGeometry | None:
        """The geometry as drawn: the inverse of the encoding, for tests and fidelity checks."""
        record = self.geometries[index]
        return None if record is None else self._decode(record)

    def _decode(self, record: dict[str, Any]) -> BaseGeometry:
        kind = record["t"]
        if kind == "P":
            return shapely.points(self.lonlat(np.asarray(record["c"])))
        if kind == "MP":
            return shapely.multipoints(self.lonlat(np.asarray(record["c"])))
        if kind == "L":
            lines = [shapely.linestrings(self._line(refs)) for refs in record["a"]]
            return lines[0] if len(lines) == 1 else shapely.multilinestrings(lines)
        if kind == "A":
            polys = [
                shapely.Polygon(self._line(rings[0]), [self._line(r) for r in rings[1:]])
                for rings in record["a"]
            ]
            return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
        return shapely.GeometryCollection([self._decode(part) for part in record["g"]])


def _components(geom: BaseGeometry) -> list[tuple[BaseGeometry, bool]]:
    """Line parts and polygon rings of a geometry, each with a flag that says whether it is a ring."""
    out: list[tuple[BaseGeometry, bool]] = []
    for part in shapely.get_parts(geom):
        kind = part.geom_type
        if kind == "Polygon":
            out += [(ring, True) for ring in (part.exterior, *part.interiors)]
        elif kind in ("LineString", "LinearRing"):
            out.append((part, False))
        elif kind == "GeometryCollection":
            out += _components(part)
    return out


def _junctions(chains: list[tuple[NDArray[np.int64], bool]]) -> NDArray[np.int64]:
    """Keys of the points where chains part ways: line ends and points met with other neighbours.

    A point passed by several chains is a junction unless every chain passes it between the same
    two neighbours, in which case it lies inside one shared arc.
    """
    keys, lows, highs, ends = [], [], [], []
    for pts, ring in chains:
        k = pts[:, 0] * _KEY + pts[:, 1]
        if ring:
            prev, nxt = np.roll(k, 1), np.roll(k, -1)
        else:
            ends.append(k[[0, -1]])
            prev, nxt, k = k[:-2], k[2:], k[1:-1]
        keys.append(k)
        lows.append(np.minimum(prev, nxt))
        highs.append(np.maximum(prev, nxt))
    ends_all = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    if not keys:
        return np.unique(ends_all)
    key, low, high = np.concatenate(keys), np.concatenate(lows), np.concatenate(highs)
    order = np.argsort(key, kind="stable")
    key, low, high = key[order], low[order], high[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group = np.repeat(first, np.diff(np.r_[first, len(key)]))
    parted = (low != low[group]) | (high != high[group])
    return np.union1d(key[parted], ends_all)


def _cut(pts: NDArray[np.int64], ring: bool, at: NDArray[np.intp]) -> list[NDArray[np.int64]]:
    """Cut one chain into arcs at the given junction positions (a ring without any starts at its least point)."""
    if ring:
        n = len(pts)
        start = int(at[0]) if len(at) else int(np.argmin(pts[:, 0] * _KEY + pts[:, 1]))
        rolled = np.roll(pts, -start, axis=0)
        pts = np.concatenate([rolled, rolled[:1]])
        at = np.unique(np.r_[(at - start) % n, 0, n])
    return [pts[a : b + 1] for a, b in zip(at[:-1], at[1:], strict=True)]


def _thin(
    arcs: list[NDArray[np.int64]], tolerance: float, scale_x: float
) -> list[NDArray[np.int64]]:
    """Douglas–Peucker on grid coordinates made isotropic; arc endpoints always stay."""
    if tolerance <= 0 or not arcs:
        return arcs
    scale = np.array([scale_x, 1.0])
    lines = shapely.linestrings(
        np.concatenate(arcs) * scale,
        indices=np.repeat(np.arange(len(arcs)), [len(a) for a in arcs]),
    )
    coords, owner = shapely.get_coordinates(
        shapely.simplify(lines, tolerance, preserve_topology=False), return_index=True
    )
    thinned = np.split(np.rint(coords / scale).astype(np.int64), np.flatnonzero(np.diff(owner)) + 1)
    # A tiny closed ring would collapse onto its start point: keep it whole.
    return [
        a if np.array_equal(a[0], a[-1]) and len(t) < 4 and len(a) >= 4 else t
        for a, t in zip(arcs, thinned, strict=True)
    ]


def encode(
    geoms: Sequence[BaseGeometry | None],
    quantum: float = QUANTUM,
    tolerance_m: float = TOLERANCE_M,
) -> Topology:
    """Encode geometries as shared, quantized, thinned arcs.

    Parameters
    ----------
    geoms
        Geometries in longitude/latitude (None and empty geometries are kept as None).
    quantum
        Grid step in degrees.
    tolerance_m
        Douglas–Peucker tolerance in metres (0 keeps every grid vertex).

    Returns
    -------
    Topology
        ``geometries[i]`` encodes ``geoms[i]``: ``{"t": "P", "c": [x, y]}`` (point),
        ``{"t": "MP", "c": [[x, y], …]}``, ``{"t": "L", "a": [[arc, …], …]}`` (one arc list per
        line part), ``{"t": "A", "a": [[[arc, …], …], …]}`` (per polygon, per ring) or
        ``{"t": "G", "g": [...]}``; an arc index ``~i`` means arc ``i`` reversed.

    Examples
    --------
    Two squares sharing an edge, and the shared edge as a line: the edge is stored once.

    >>> from shapely import box, LineString
    >>> topo = encode([box(0, 0, 1, 1), box(1, 0, 2, 1), LineString([(1, 0), (1, 1)])])
    >>> len(topo.arcs), topo.geometries[2]
    (3, {'t': 'L', 'a': [[0]]})
    >>> topo.decode(1).equals(box(1, 0, 2, 1))
    True
    """
    present = [g for g in geoms if g is not None and not g.is_empty]
    if present:
        bounds = shapely.total_bounds(np.asarray(present, dtype=object))
        origin = np.floor(bounds[:2] / quantum) * quantum
        mid_lat = (bounds[1] + bounds[3]) / 2.0
    else:
        origin, mid_lat = np.zeros(2), 0.0
    scale_x = math.cos(math.radians(mid_lat))
    tolerance = tolerance_m / (METRES_PER_DEGREE * quantum)

    parts = [(part, ring) for geom in present for part, ring in _components(geom)]
    coords, owner = shapely.get_coordinates(
        np.asarray([p for p, _ in parts], dtype=object), return_index=True
    )
    grid = np.rint((coords - origin) / quantum).astype(np.int64)
    # Snapping can make neighbours coincide: keep the first of each run, per part.
    keep = np.r_[True, np.any(grid[1:] != grid[:-1], axis=1) | (owner[1:] != owner[:-1])][: len(grid)]
    grid, owner = grid[keep], owner[keep]
    bounds = np.searchsorted(owner, np.arange(len(parts) + 1))
    chains: list[tuple[NDArray[np.int64], bool]] = []
    for (_, ring), a, b in zip(parts, bounds[:-1], bounds[1:], strict=True):
        pts = grid[a:b]
        if ring and len(pts) > 1 and np.array_equal(pts[0], pts[-1]):
            pts = pts[:-1]
        chains.append((pts, ring))
    junctions = _junctions([(p, r) for p, r in chains if len(p) > 1])
    flat = np.concatenate([p for p, _ in chains]) if chains else np.zeros((0, 2), dtype=np.int64)
    is_junction = np.isin(flat[:, 0] * _KEY + flat[:, 1], junctions)
    offsets = np.cumsum([0, *(len(p) for p, _ in chains)])
    store = _Arcs()
    refs = [
        [store.ref(arc) for arc in _cut(pts, ring, np.flatnonzero(is_junction[a:b]))]
        if len(pts) > 1
        else [store.ref(np.repeat(pts, 2, axis=0))]
        for (pts, ring), a, b in zip(chains, offsets[:-1], offsets[1:], strict=True)
    ]
    # Thinning comes after sharing, so that an arc is thinned once for every feature that uses it.
    store.arcs = _thin(store.arcs, tolerance, scale_x)
    chain_refs = iter(refs)

    def record(geom: BaseGeometry) -> dict[str, Any]:
        kind = geom.geom_type
        if kind in ("Point", "MultiPoint"):
            grid = np.rint((shapely.get_coordinates(geom) - origin) / quantum).astype(int).tolist()
            return {"t": "P", "c": grid[0]} if kind == "Point" else {"t": "MP", "c": grid}
        if kind in ("LineString", "LinearRing", "MultiLineString"):
            return {"t": "L", "a": [next(chain_refs) for _ in shapely.get_parts(geom)]}
        if kind in ("Polygon", "MultiPolygon"):
            polys = shapely.get_parts(geom)
            return {
                "t": "A",
                "a": [[next(chain_refs) for _ in range(1 + len(p.interiors))] for p in polys],
            }
        return {"t": "G", "g": [record(part) for part in shapely.get_parts(geom)]}

    encoded = [None if g is None or g.is_empty else record(g) for g in geoms]
    return Topology((float(origin[0]), float(origin[1])), quantum, store.arcs, encoded)


def _local_metres(lon: float, lat: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
    )


def _segments(geom: BaseGeometry) -> NDArray[np.object_]:
    coords, owner = shapely.get_coordinates(
        shapely.boundary(geom) if geom.geom_type.endswith("Polygon") else geom, return_index=True
    )
    same = owner[1:] == owner[:-1]
    if not same.any():
        return shapely.points(coords)
    return shapely.linestrings(np.stack([coords[:-1][same], coords[1:][same]], axis=1))


def _one_way(a: BaseGeometry, b: BaseGeometry) -> float:
    """Largest distance from a vertex of ``a`` to ``b`` (nearest segment found with an R-tree)."""
    tree = shapely.STRtree(_segments(b))
    _, dist = tree.query_nearest(
        shapely.points(shapely.get_coordinates(a)), return_distance=True, all_matches=False
    )
    return float(dist.max()) if len(dist) else 0.0


def deviation_m(
    source: Sequence[BaseGeometry | None], drawn: Sequence[BaseGeometry | None]
) -> NDArray[np.float64]:
    """Hausdorff distance in metres between each source geometry and its drawn version.

    Both are projected to an azimuthal equidistant projection centred on the data (distortion
    below 0.1 % within 300 km of the centre); the distance is the larger of the two directed
    vertex-to-segment distances, as GEOS computes it, with an R-tree so that long lines stay fast.
    Polygons are compared by their rings. Missing geometries give NaN.

    Examples
    --------
    >>> from shapely import LineString
    >>> a, b = LineString([(70, 40), (70.01, 40)]), LineString([(70, 40.00001), (70.01, 40.00001)])
    >>> round(float(deviation_m([a], [b])[0]), 2)
    1.11
    """
    src = np.asarray(source, dtype=object)
    out_geoms = np.asarray(drawn, dtype=object)
    ok = ~(shapely.is_missing(src) | shapely.is_missing(out_geoms) | shapely.is_empty(src))
    out = np.full(len(src), np.nan)
    if not ok.any():
        return out
    centre = shapely.centroid(shapely.box(*shapely.total_bounds(src[ok])))
    project = _local_metres(centre.x, centre.y)

    def metres(g: NDArray[np.object_]) -> NDArray[np.object_]:
        return shapely.transform(
            g, lambda xy: np.column_stack(project.transform(xy[:, 0], xy[:, 1]))
        )

    for i, a, b in zip(np.flatnonzero(ok), metres(src[ok]), metres(out_geoms[ok]), strict=True):
        out[i] = max(_one_way(a, b), _one_way(b, a))
    return out


def fidelity(
    geoms: Sequence[BaseGeometry | None], quantum: float = QUANTUM, tolerance_m: float = TOLERANCE_M
) -> dict[str, float]:
    """Size and accuracy of an encoding: bytes of JSON, vertex counts, worst deviation in metres.

    Examples
    --------
    >>> from shapely import LineString
    >>> report = fidelity([LineString([(70, 40), (70.001, 40.0000001), (70.002, 40)])])
    >>> report["vertices_drawn"], report["max_deviation_m"] < 0.5
    (2, True)
    """
    topo = encode(geoms, quantum, tolerance_m)
    drawn = [topo.decode(i) for i in range(len(geoms))]
    dev = deviation_m(geoms, drawn)
    return {
        "bytes": len(topo.to_json().encode()),
        "arcs": len(topo.arcs),
        "vertices_source": int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum()),
        "vertices_drawn": int(sum(len(a) for a in topo.arcs)),
        "max_deviation_m": float(np.nanmax(dev)) if np.isfinite(dev).any() else 0.0,
    }
