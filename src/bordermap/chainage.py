"""Chainage: geodesic distance along a depiction of the line, from its origin (e.g. a tripoint).

The main line of a depiction is its ``part == "main"`` boundary features, ordered by ``segment``
and merged into one LineString that starts at the dataset's chainage origin. A point's chainage is
the geodesic length of the line up to the point of the line nearest to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import LineString, Point
from shapely.ops import substring

from bordermap.errors import DataError
from bordermap.geodesic import GEOD
from bordermap.model import Dataset


@dataclass(frozen=True)
class Chainage:
    """A line with cumulative geodesic distances at its vertices.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> c = Chainage.of(LineString([(0, 0), (1, 0), (2, 0)]))
    >>> round(c.length_km, 3)
    222.639
    >>> round(float(c.at([Point(1.5, 0.01)])[0]), 3)
    166.979
    >>> round(Chainage.of(c.substring(50, 150)).length_km, 6)
    100.0
    """

    line: LineString
    cum_km: NDArray[np.float64]

    @classmethod
    def of(cls, line: LineString) -> Chainage:
        """Build the chainage table of a line."""
        xy = shapely.get_coordinates(line)
        _, _, seg = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
        return cls(line, np.r_[0.0, np.cumsum(seg)] / 1000.0)

    @property
    def length_km(self) -> float:
        """Geodesic length of the whole line."""
        return float(self.cum_km[-1])

    def _scaled(self) -> tuple[NDArray[np.float64], float]:
        # Nearest points are found in a plane scaled by cos(latitude) so that east-west and
        # north-south degrees weigh alike; distances along the line stay geodesic.
        xy = shapely.get_coordinates(self.line)
        k = float(np.cos(np.radians(xy[:, 1].mean())))
        return xy * np.array([k, 1.0]), k

    def at(self, points: list[Point] | NDArray[np.object_]) -> NDArray[np.float64]:
        """Chainage in km of the nearest point of the line to each point."""
        xy, k = self._scaled()
        scaled_line = LineString(xy)
        planar_cum = np.r_[0.0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
        pts = shapely.get_coordinates(np.asarray(points, dtype=object)) * np.array([k, 1.0])
        along = shapely.line_locate_point(scaled_line, shapely.points(pts))
        return np.interp(along, planar_cum, self.cum_km)

    def substring(self, start_km: float, end_km: float) -> LineString:
        """The stretch of the line between two chainages (clamped to the line)."""
        # Cut in the scaled plane (where the chainage table was interpolated), then unscale.
        xy, k = self._scaled()
        planar_cum = np.r_[0.0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
        lo, hi = sorted((max(0.0, start_km), min(self.length_km, end_km)))
        a, b = np.interp([lo, hi], self.cum_km, planar_cum)
        stretch = substring(LineString(xy), a, b)
        return LineString(shapely.get_coordinates(stretch) / np.array([k, 1.0]))


def main_line(dataset: Dataset, depiction: str | None = None) -> LineString:
    """The main line of a depiction as one LineString starting at the chainage origin."""
    name = depiction or dataset.default_depiction
    boundary = dataset.layer("boundary")
    if "depiction" not in boundary.columns:
        raise DataError(f"{dataset.path or dataset.meta.get('id')}: no boundary line (the dataset has none)")
    if "part" in boundary.columns:
        main = boundary[(boundary["depiction"] == name) & (boundary["part"] == "main")]
    else:
        main = boundary[boundary["depiction"] == name]
    if main.empty:
        raise DataError(f"depiction {name!r} has no main boundary line")
    if "segment" in main.columns:
        main = main.sort_values("segment")
    coords: list[NDArray[np.float64]] = []
    for geom in main.geometry:
        for part in shapely.get_parts(geom):
            xy = shapely.get_coordinates(part)
            if coords and np.allclose(coords[-1][-1], xy[0]):
                xy = xy[1:]
            coords.append(xy)
    return LineString(np.concatenate(coords))


def chainage(dataset: Dataset, depiction: str | None = None) -> Chainage:
    """The chainage table of a depiction's main line.

    Examples
    --------
    >>> import bordermap
    >>> c = chainage(bordermap.load())
    >>> 900 < c.length_km < 1100
    True
    """
    return Chainage.of(main_line(dataset, depiction))
