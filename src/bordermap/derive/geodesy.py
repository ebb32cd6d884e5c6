"""The build's geodesic shorthands and tolerance conversions.

Lengths and areas of single geometries go through :mod:`bordermap.geodesic`, the engine
every other part of bordermap measures with.
"""

from __future__ import annotations

import math

from shapely.geometry.base import BaseGeometry

from bordermap.geodesic import GEOD, METRES_PER_DEGREE, areas_m2, lengths_m

#: Coordinate grid of every geometry the build writes (write_layer rounds to 1e-7 degrees too).
GRID = 1e-7


def length_km(geom: BaseGeometry) -> float:
    """Geodesic length in kilometres (lines; polygon perimeters)."""
    return float(lengths_m([geom])[0]) / 1000.0


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area in square kilometres (absolute, whatever the ring orientation)."""
    return float(areas_m2([geom])[0]) / 1e6


def degrees(metres: float, latitude: float = 0.0) -> float:
    """Express a small distance in degrees of longitude at a latitude (the larger of lon/lat).

    Used for tolerances, so the result errs on the generous side: one metre is more degrees of
    longitude than of latitude away from the equator.
    """
    return metres / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance between two points in metres."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])
