"""Exact geodesic lengths and areas on the WGS84 ellipsoid, vectorised over whole layers.

Lengths: every segment of every geometry goes through one ``Geod.inv`` call (the floor for exact
measurement), and the segment lengths are summed per geometry with ``numpy.bincount``. Areas: each
ring goes through Karney's polygon algorithm (``Geod.polygon_area_perimeter``); a polygon's area is
its exterior's absolute area minus its holes', so ring orientation and start vertex do not matter.

Definitions (see docs/measurement.md): a polygon's perimeter includes the perimeters of its holes;
a point's length and area are 0; a line's area is 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod

GEOD = Geod(ellps="WGS84")

_LINEAR = ("LineString", "LinearRing", "MultiLineString")
_AREAL = ("Polygon", "MultiPolygon")


def _as_array(geoms: Sequence[shapely.Geometry | None] | NDArray[np.object_]) -> NDArray[np.object_]:
    return np.asarray(geoms, dtype=object)


def _rings_and_owner(geoms: NDArray[np.object_]) -> tuple[NDArray[np.object_], NDArray[np.intp], NDArray[np.bool_]]:
    """Split geometries into their linear components (line parts or polygon rings).

    Returns the components, the index of the geometry each belongs to, and whether each one is a
    polygon exterior ring (True) or a hole / line part (False).
    """
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    kinds = shapely.get_type_id(parts)
    is_poly = kinds == shapely.GeometryType.POLYGON
    components: list[NDArray[np.object_]] = []
    owners: list[NDArray[np.intp]] = []
    exterior: list[NDArray[np.bool_]] = []
    linear = np.isin(kinds, (shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING))
    components.append(parts[linear])
    owners.append(part_owner[linear])
    exterior.append(np.zeros(int(linear.sum()), dtype=bool))
    if is_poly.any():
        polys = parts[is_poly]
        rings, ring_poly = shapely.get_rings(polys, return_index=True)
        first = np.r_[True, ring_poly[1:] != ring_poly[:-1]]
        components.append(rings)
        owners.append(part_owner[is_poly][ring_poly])
        exterior.append(first)
    return np.concatenate(components), np.concatenate(owners), np.concatenate(exterior)


def _segment_lengths(components: NDArray[np.object_]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Geodesic length of every segment, and the component it belongs to."""
    coords, comp = shapely.get_coordinates(components, return_index=True)
    if len(coords) < 2:
        return np.zeros(0), np.zeros(0, dtype=np.intp)
    same = comp[1:] == comp[:-1]
    lon, lat = coords[:, 0], coords[:, 1]
    _, _, dist = GEOD.inv(lon[:-1][same], lat[:-1][same], lon[1:][same], lat[1:][same])
    return np.asarray(dist, dtype=float), comp[:-1][same]


def lengths_m(geoms: Sequence[shapely.Geometry | None] | NDArray[np.object_]) -> NDArray[np.float64]:
    """Geodesic length of each geometry in metres (polygon: perimeter, holes included).

    Examples
    --------
    One degree of longitude along the equator is 111,319.49 m on WGS84:

    >>> from shapely import LineString
    >>> round(float(lengths_m([LineString([(0, 0), (1, 0)])])[0]), 2)
    111319.49
    """
    arr = _as_array(geoms)
    out = np.zeros(len(arr))
    if len(arr) == 0:
        return out
    components, owner, _ = _rings_and_owner(arr)
    if len(components) == 0:
        return out
    dist, comp = _segment_lengths(components)
    per_component = np.bincount(comp, weights=dist, minlength=len(components))
    return np.bincount(owner, weights=per_component, minlength=len(arr))


def areas_m2(geoms: Sequence[shapely.Geometry | None] | NDArray[np.object_]) -> NDArray[np.float64]:
    """Geodesic area of each geometry in square metres (holes subtracted; lines and points 0).

    Examples
    --------
    A 1°×1° cell at the equator (GeographicLib gives 12,308,778,361.469 m²):

    >>> from shapely import box
    >>> round(float(areas_m2([box(0, 0, 1, 1)])[0]), 1)
    12308778361.5
    """
    arr = _as_array(geoms)
    out = np.zeros(len(arr))
    if len(arr) == 0:
        return out
    components, owner, exterior = _rings_and_owner(arr)
    rings = np.flatnonzero(shapely.get_type_id(components) == shapely.GeometryType.LINEARRING)
    if len(rings) == 0:
        return out
    coords, comp = shapely.get_coordinates(components[rings], return_index=True)
    bounds = np.flatnonzero(np.r_[True, comp[1:] != comp[:-1], True])
    ring_area = np.empty(len(rings))
    for i, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        area, _ = GEOD.polygon_area_perimeter(coords[start:stop, 0], coords[start:stop, 1])
        ring_area[i] = abs(area)
    signed = np.where(exterior[rings], ring_area, -ring_area)
    return np.bincount(owner[rings], weights=signed, minlength=len(arr))
