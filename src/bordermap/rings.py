"""The ring structure of Polygons and MultiPolygons as flat arrays, without an object per ring.

``shapely.get_rings`` makes one shapely object per ring, which costs seconds on a world coastline
with a million rings. The ring sizes are in the geometries' WKB headers instead: one pass over the
headers (not the coordinates) reads them, and ``shapely.get_coordinates`` returns the vertices in
the same order. :mod:`bordermap.geodesic` and :mod:`bordermap.topology` build on this.

A reader that decoded the geometries from ragged arrays already knows their ring structure
(:mod:`bordermap.io.fastjson`): it records it with :func:`remember_rings`, and
:func:`polygon_rings` then takes it from there instead of exporting the geometry to WKB. The record
is tied to the geometry object itself (its identity, checked through a weak reference, and
dropped when the object is), and shapely geometries are immutable, so it cannot go stale.

Likewise a reader that decoded geometries from WKB (GeoParquet) records the WKB of the large ones
with :func:`remember_wkb`; the compiled ring engine (:mod:`bordermap.native`) then walks those
bytes instead of having shapely write them again (:func:`recalled_wkb`).
"""

from __future__ import annotations

import struct
import weakref
from array import array
from collections.abc import Sequence
from typing import Generic, TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray

_UINT32 = struct.Struct("<I").unpack_from
_V = TypeVar("_V")

class _ByGeometry(Generic[_V]):
    """Values recorded for geometry objects: by identity, dropped when the object is.

    A record is tied to the object itself (its id, checked through a weak reference), and shapely
    geometries are immutable, so a record can never belong to another geometry.
    """

    def __init__(self) -> None:
        self._records: dict[int, tuple[weakref.ref[shapely.Geometry], _V]] = {}

    def put(self, geom: shapely.Geometry, value: _V) -> None:
        key, records = id(geom), self._records

        def forget(_: weakref.ref[shapely.Geometry]) -> None:
            records.pop(key, None)

        records[key] = (weakref.ref(geom, forget), value)

    def get(self, geom: object) -> _V | None:
        entry = self._records.get(id(geom))
        return entry[1] if entry is not None and entry[0]() is geom else None

    def get_all(self, geoms: Sequence[object] | NDArray[np.object_]) -> list[_V | None]:
        if not self._records:  # nothing recorded: no look-up per geometry
            return [None] * len(geoms)
        return [self.get(g) for g in geoms]


#: Geometries with fewer rings than this are not recorded (their WKB headers are cheap to read).
REMEMBER_MIN_RINGS = 32
#: Ring structure recorded by readers: (counts, role) per geometry.
_DECODED: _ByGeometry[tuple[NDArray[np.intp], NDArray[np.int8]]] = _ByGeometry()
#: Geometries whose WKB is shorter than this are not recorded (writing it again is cheap).
REMEMBER_MIN_WKB_BYTES = 1 << 14
#: WKB recorded by readers, per geometry.
_WKB: _ByGeometry[memoryview] = _ByGeometry()


def remember_rings(geom: shapely.Geometry, counts: NDArray[np.intp], role: NDArray[np.int8]) -> None:
    """Record the ring structure of a Polygon or MultiPolygon as the reader decoded it.

    ``counts`` and ``role`` are what :func:`polygon_rings` returns for this one geometry. Only
    geometries with :data:`REMEMBER_MIN_RINGS` rings or more are recorded.

    Examples
    --------
    >>> from shapely import MultiPolygon, box
    >>> multi = MultiPolygon([box(i, 0, i + 0.5, 1) for i in range(40)])
    >>> remember_rings(multi, np.full(40, 5), np.ones(40, dtype=np.int8))
    >>> counts, role, owner = polygon_rings([box(0, 0, 1, 1), multi])
    >>> int(counts.sum()), int(role.sum()), owner.tolist() == [0] + [1] * 40
    (205, 41, True)
    """
    if len(counts) >= REMEMBER_MIN_RINGS:
        _DECODED.put(geom, (counts, role))


def remember_wkb(geom: shapely.Geometry, wkb: memoryview) -> None:
    """Record the WKB a reader decoded ``geom`` from (only :data:`REMEMBER_MIN_WKB_BYTES` or longer).

    Examples
    --------
    >>> from shapely import MultiPolygon, box, to_wkb
    >>> multi = MultiPolygon([box(i, 0, i + 0.5, 1) for i in range(400)])
    >>> remember_wkb(multi, memoryview(to_wkb(multi)))
    >>> recalled_wkb([box(0, 0, 1, 1), multi])[0] is None, len(recalled_wkb([multi])[0]) > 16384
    (True, True)
    """
    if len(wkb) >= REMEMBER_MIN_WKB_BYTES:
        _WKB.put(geom, wkb)


def recalled_wkb(geoms: Sequence[object] | NDArray[np.object_]) -> list[memoryview | None]:
    """The WKB recorded for each geometry by :func:`remember_wkb`, or None."""
    return _WKB.get_all(geoms)


def any_recalled_rings(geoms: Sequence[object] | NDArray[np.object_]) -> bool:
    """Whether a reader recorded the ring structure of any of these geometries (:func:`remember_rings`)."""
    return any(known is not None for known in _DECODED.get_all(geoms))


def polygon_rings(
    polys: Sequence[shapely.Geometry] | NDArray[np.object_],
) -> tuple[NDArray[np.intp], NDArray[np.int8], NDArray[np.intp]]:
    """Vertex count, role and owner of every ring of some Polygons and MultiPolygons.

    Parameters
    ----------
    polys
        Polygons and MultiPolygons only.

    Returns
    -------
    counts, role, owner
        Vertices per ring (closing vertex included), 1 for an exterior ring and -1 for a hole,
        and the index of the geometry the ring belongs to; rings in ``shapely.get_coordinates``
        order.

    Examples
    --------
    >>> from shapely import MultiPolygon, Polygon, box
    >>> holed = Polygon(box(0, 0, 4, 4).exterior, [box(1, 1, 2, 2).exterior])
    >>> multi = MultiPolygon([holed, box(5, 5, 6, 6)])
    >>> counts, role, owner = polygon_rings([box(0, 0, 1, 1), multi])
    >>> counts.tolist(), role.tolist(), owner.tolist()
    ([5, 5, 5, 5], [1, 1, -1, 1], [0, 1, 1, 1])
    """
    arr = np.asarray(polys, dtype=object)
    known = _DECODED.get_all(arr)
    misses = [i for i, k in enumerate(known) if k is None]
    if len(misses) == len(arr):
        return _from_wkb(arr)
    if misses:
        counts, role, owner = _from_wkb(arr[misses])
        split = np.cumsum(np.bincount(owner, minlength=len(misses)))[:-1]
        for i, c, r in zip(misses, np.split(counts, split), np.split(role, split), strict=True):
            known[i] = (c, r)
    per_geom = np.array([len(k[0]) for k in known if k is not None], dtype=np.intp)
    return (
        np.concatenate([k[0] for k in known if k is not None]).astype(np.intp, copy=False),
        np.concatenate([k[1] for k in known if k is not None]).astype(np.int8, copy=False),
        np.repeat(np.arange(len(arr)), per_geom),
    )


def _from_wkb(
    arr: NDArray[np.object_],
) -> tuple[NDArray[np.intp], NDArray[np.int8], NDArray[np.intp]]:
    """:func:`polygon_rings` read from the geometries' WKB headers."""
    counts, per_polygon, per_geom = array("q"), array("q"), array("q")
    for blob in shapely.to_wkb(arr, byte_order=1, output_dimension=2, flavor="iso"):
        single = _UINT32(blob, 1)[0] == shapely.GeometryType.POLYGON
        pos = 0 if single else 9  # a MultiPolygon's header: byte order, type, number of polygons
        before = len(counts)
        for _ in range(1 if single else _UINT32(blob, 5)[0]):
            nrings = _UINT32(blob, pos + 5)[0]
            per_polygon.append(nrings)
            pos += 9
            for _ in range(nrings):
                n = _UINT32(blob, pos)[0]
                counts.append(n)
                pos += 4 + 16 * n
        per_geom.append(len(counts) - before)
    rings_per_polygon = np.frombuffer(per_polygon, dtype=np.int64)
    nonempty = rings_per_polygon[rings_per_polygon > 0]
    exterior = np.zeros(len(counts), dtype=bool)
    exterior[np.cumsum(nonempty) - nonempty] = True
    owner = np.repeat(np.arange(len(per_geom)), np.frombuffer(per_geom, dtype=np.int64))
    return (
        np.frombuffer(counts, dtype=np.int64).astype(np.intp),
        np.where(exterior, 1, -1).astype(np.int8),
        owner,
    )
