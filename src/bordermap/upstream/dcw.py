"""Digital Chart of the World as packaged for GMT: Debian ``gmt-dcw`` 2.1.1-1 (``dcw-gmt.nc``)."""

from __future__ import annotations

from collections.abc import Collection
from functools import reduce
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from bordermap.upstream.depiction import Depiction, require
from bordermap.upstream.fetch import debian_package

PACKAGE, VERSION = "gmt-dcw", "2.1.1-1"
FILE = "usr/share/gmt-dcw/dcw-gmt.nc"

#: Coordinates are uint16 steps above attribute ``min``; this value separates rings.
RING_BREAK = 65535


def decode(
    lon: np.ndarray, lat: np.ndarray, lon_attrs: dict[str, float], lat_attrs: dict[str, float]
) -> list[np.ndarray]:
    """Turn the quantised coordinate arrays of one country into rings of (lon, lat).

    Examples
    --------
    >>> attrs = {"min": 10.0, "scale": 2.0}
    >>> lon, lat = np.array([0, 2, 2, 0, 65535, 4]), np.array([0, 0, 2, 0, 65535, 4])
    >>> rings = decode(lon, lat, attrs, attrs)
    >>> rings[0].tolist()
    [[10.0, 10.0], [11.0, 10.0], [11.0, 11.0], [10.0, 10.0]]
    """
    breaks = np.flatnonzero(lon == RING_BREAK)
    rings = []
    for chunk_lon, chunk_lat in zip(np.split(lon, breaks), np.split(lat, breaks), strict=True):
        keep = chunk_lon != RING_BREAK
        x = lon_attrs["min"] + chunk_lon[keep] / lon_attrs["scale"]
        y = lat_attrs["min"] + chunk_lat[keep] / lat_attrs["scale"]
        if len(x) >= 4:
            rings.append(np.column_stack([x, y]))
    return rings


def rings_to_polygons(rings: list[np.ndarray]) -> BaseGeometry:
    """Build a country from its rings: duplicates dropped, then even-odd fill.

    DCW 2.1.1 lists some rings twice (KG's Vorukh and Sokh rings) and flags no holes; with the
    even-odd rule a ring inside another ring of the same country becomes a hole.
    """
    unique: dict[bytes, Polygon] = {}
    for ring in rings:
        polygon = shapely.make_valid(Polygon(ring))
        unique.setdefault(shapely.normalize(polygon).wkb, polygon)
    return reduce(shapely.symmetric_difference, unique.values(), Polygon())


def load(cache: Path, codes: Collection[str] | None) -> dict[str, BaseGeometry]:
    """Read and decode countries (all when ``codes`` is None) from the netCDF file."""
    import netCDF4  # the build extra; only this source needs it

    out = {}
    with netCDF4.Dataset(str(debian_package(PACKAGE, VERSION, cache) / FILE)) as data:
        data.set_auto_maskandscale(False)
        names = list(data.variables) if codes is None else [f"{c}_lon" for c in codes]
        names = [n for n in names if n in data.variables]
        for code in sorted(n[:-4] for n in names if n.endswith("_lon") and len(n) == 6):
            lon, lat = data.variables[f"{code}_lon"], data.variables[f"{code}_lat"]
            attrs = [{k: float(v.getncattr(k)) for k in ("min", "scale")} for v in (lon, lat)]
            out[code] = rings_to_polygons(decode(lon[:], lat[:], *attrs))
    require(out, codes, FILE)
    return out


DEPICTION = Depiction(
    id="dcw",
    title="Digital Chart of the World (DCW-GMT 2.1.1)",
    vintage="1992",
    source_id="ds_dcw",
    precision_m=500,
    scale_denominator=1_000_000,
    origin=(
        f"Debian {PACKAGE} {VERSION}, {FILE}, variables KG/TJ/UZ _lon/_lat (uint16 decoded, "
        "duplicate rings dropped, even-odd fill)"
    ),
    note=(
        "The Digital Chart of the World (1:1 million, compiled from Operational Navigation Charts "
        "around 1992, Soviet-era administrative lines) as processed by the GMT team (2022-05-20). "
        "Each country is quantised on its own uint16 grid (7–14 m steps), so neighbours misfit by "
        "up to about 15 m; the shared line is taken with a 30 m snapping tolerance."
    ),
    snap_m=30.0,
    load=load,
)
