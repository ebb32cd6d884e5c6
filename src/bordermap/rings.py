"""The ring structure of Polygons and MultiPolygons as flat arrays, without an object per ring.

``shapely.get_rings`` makes one shapely object per ring, which costs seconds on a world coastline
with a million rings. The ring sizes are in the geometries' WKB headers instead: one pass over the
headers (not the coordinates) reads them, and ``shapely.get_coordinates`` returns the vertices in
the same order. :mod:`bordermap.geodesic` and :mod:`bordermap.topology` build on this.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

_UINT32 = struct.Struct("<I").unpack_from


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
    counts, per_polygon, per_geom = array("q"), array("q"), array("q")
    for blob in shapely.to_wkb(
        np.asarray(polys, dtype=object), byte_order=1, output_dimension=2, flavor="iso"
    ):
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
