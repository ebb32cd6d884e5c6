"""The compiled ring engine (``ringarea.c``), loaded with ctypes; None where it is not available.

The library is compiled from ``ringarea.c`` when the package is installed (``hatch_build.py``,
with the system C compiler; ``make native`` in a source checkout). It has no geodesic code of its
own: it loops over rings calling PROJ's implementation of Karney's polygon algorithm, in the very
``libproj`` that pyproj loaded, so its numbers are those of ``Geod.polygon_area_perimeter`` ring by
ring. ctypes releases the GIL while it runs, so threads measure at once.

Without a C compiler at install time, on a system where pyproj's libproj cannot be located, or
with ``BORDERMAP_NATIVE=0`` (:func:`bordermap.settings.native_enabled`), :func:`ring_engine`
returns None and :mod:`bordermap.geodesic` measures with pyproj's Python interface alone: the same
results to ~1e-15, about 1.5× slower on one core.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bordermap.settings import native_enabled

log = logging.getLogger(__name__)

#: The library's file, beside this module.
LIBRARY = Path(__file__).with_name("_ringarea.so")
#: The interface version ``ringarea.c`` was written for (its ``BM_ABI``).
ABI = 1

_PTR, _I64 = ctypes.c_void_p, ctypes.c_int64


@dataclass(frozen=True)
class RingEngine:
    """The loaded library, PROJ's polygon functions and a WGS84 ``geod_geodesic``."""

    lib: ctypes.CDLL
    #: Addresses of libproj's geod_polygon_init, geod_polygon_addpoint, geod_polygon_compute.
    polygon_functions: tuple[int, int, int]
    geod: ctypes.Array[ctypes.c_char]

    def measure_rings(
        self,
        base: NDArray[Any],
        start: NDArray[np.int64],
        count: NDArray[np.int64],
        role: NDArray[np.int8],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Area (role × |area|, m²) and perimeter (m) of each ring.

        Parameters
        ----------
        base
            A C-contiguous array whose bytes hold the vertices: (lon, lat) doubles, 16 bytes apart.
        start, count, role
            Per ring: the byte offset of its first vertex in ``base``, its vertex count (closing
            vertex included or not) and 1 (exterior) or -1 (hole). The caller guarantees that
            every ring lies inside ``base``.
        """
        n = len(start)
        area, perimeter = np.empty(n), np.empty(n)
        start, count = np.ascontiguousarray(start, np.int64), np.ascontiguousarray(count, np.int64)
        role = np.ascontiguousarray(role, np.int8)
        if not base.flags.c_contiguous or len(count) != n or len(role) != n:
            raise ValueError("rings and their vertex buffer do not match")
        if n and (int(start.min()) < 0 or int(count.min()) < 0 or int((start + 16 * count).max()) > base.nbytes):
            raise ValueError("a ring lies outside its vertex buffer")
        self.lib.bm_measure_rings(
            *self.polygon_functions, self.geod, base.ctypes.data, start.ctypes.data,
            count.ctypes.data, role.ctypes.data, n, area.ctypes.data, perimeter.ctypes.data,
        )
        return area, perimeter

    def wkb_rings(
        self, buf: NDArray[np.uint8], offsets: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
        """The rings of little-endian 2D ISO WKB Polygons and MultiPolygons laid end to end.

        Returns each ring's byte offset of its first vertex in ``buf``, vertex count, role and
        geometry (index into ``offsets[:-1]``).

        Raises
        ------
        ValueError
            Naming the first geometry that is not such WKB.
        """
        ngeoms = len(offsets) - 1
        offsets = np.ascontiguousarray(offsets, np.int64)
        if ngeoms < 0 or offsets[-1] > len(buf) or offsets[0] < 0 or (np.diff(offsets) < 0).any():
            raise ValueError("WKB offsets outside the buffer")
        buf = np.ascontiguousarray(buf, np.uint8)
        args = (buf.ctypes.data, offsets.ctypes.data, ngeoms)
        n = self.lib.bm_wkb_rings(*args, None, None, None, None)
        if n < 0:
            raise ValueError(f"geometry {-n - 1} is not a 2D little-endian WKB (Multi)Polygon")
        start, count = np.empty(n, np.int64), np.empty(n, np.int64)
        role, owner = np.empty(n, np.int8), np.empty(n, np.int64)
        self.lib.bm_wkb_rings(*args, start.ctypes.data, count.ctypes.data, role.ctypes.data, owner.ctypes.data)
        return start, count, role, owner


def _libproj() -> ctypes.CDLL | None:
    """The libproj that pyproj itself loaded (found in this process's memory map)."""
    import pyproj._geod  # noqa: F401 - loads pyproj's libproj into the process

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    import pyproj

    found = sorted({line.rsplit(" ", 1)[-1] for line in maps.splitlines() if "/libproj" in line and ".so" in line})
    # Other packages may bring a libproj of their own: take the one beside pyproj if there is one.
    home = str(Path(pyproj.__file__).resolve().parent.parent)
    found.sort(key=lambda name: not name.startswith(home))
    return ctypes.CDLL(found[0]) if found else None


@cache
def ring_engine() -> RingEngine | None:
    """The compiled ring engine, or None (pyproj's Python interface is used instead).

    Examples
    --------
    >>> engine = ring_engine()
    >>> engine is None or engine.measure_rings(
    ...     np.array([[0.0, 0.0], [1, 0], [1, 1], [0, 1], [0, 0]]),
    ...     np.array([0]), np.array([5]), np.array([1], dtype=np.int8))[0].round(1).tolist() == [12308778361.5]
    True
    """
    if not native_enabled() or not sys.platform.startswith("linux") or not LIBRARY.is_file():
        return None
    try:
        lib = ctypes.CDLL(str(LIBRARY))
        if lib.bm_abi() != ABI:
            log.warning("%s: built for another version of bordermap; not used", LIBRARY)
            return None
        proj = _libproj()
        if proj is None:
            return None
        from pyproj import Geod

        wgs84 = Geod(ellps="WGS84")
        geod = ctypes.create_string_buffer(1024)  # struct geod_geodesic is 408 bytes
        proj.geod_init.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_double]
        proj.geod_init.restype = None
        proj.geod_init(geod, wgs84.a, wgs84.f)
        functions = tuple(
            ctypes.cast(getattr(proj, name), ctypes.c_void_p).value or 0
            for name in ("geod_polygon_init", "geod_polygon_addpoint", "geod_polygon_compute")
        )
        lib.bm_wkb_rings.argtypes = [_PTR, _PTR, _I64, _PTR, _PTR, _PTR, _PTR]
        lib.bm_wkb_rings.restype = _I64
        lib.bm_measure_rings.argtypes = [_PTR] * 8 + [_I64, _PTR, _PTR]
        lib.bm_measure_rings.restype = None
    except (OSError, AttributeError) as exc:
        log.warning("%s: cannot be loaded (%s); measuring with pyproj alone", LIBRARY, exc)
        return None
    if not all(functions):
        return None
    return RingEngine(lib, (functions[0], functions[1], functions[2]), geod)
