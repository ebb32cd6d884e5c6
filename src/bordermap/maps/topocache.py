"""The map's encoded geometry, remembered between runs.

Encoding (:func:`bordermap.maps.encode.encode`: snapping, shared arcs, thinning) is the same work
for the same geometries every time a map of an unchanged dataset is drawn. Its JSON is kept under
``maps/`` in the cache directory (:func:`bordermap.settings.maps_cache_dir`), named after a SHA-256
digest of exactly what decides it: every geometry's WKB in drawing order, the grid step, the
tolerance and the encoder's own source. Any change to one of them is a new name. A record is
signed with the validation cache's key (:mod:`bordermap.io.signed`), so a damaged or
planted record is a miss and the geometry is encoded again; a cache that cannot be written only
costs time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from bordermap.errors import BordermapError
from bordermap.io import signed
from bordermap.io.atomic import write_text
from bordermap.maps import encode as encoder
from bordermap.settings import maps_cache_dir

log = logging.getLogger(__name__)

#: Records larger than this are not read (the bundled map's topology is about 0.5 MB).
MAX_RECORD_BYTES = 64 << 20


def key(geoms: Sequence[BaseGeometry | None], quantum: float, tolerance_m: float) -> str:
    """The digest that names the encoding of these geometries with these settings.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> a = key([Point(1, 2), None, LineString([(0, 0), (1, 1)])], 5e-6, 0.5)
    >>> a == key([Point(1, 2), None, LineString([(0, 0), (1, 1)])], 5e-6, 0.5)
    True
    >>> a == key([Point(1, 2.0000001), None, LineString([(0, 0), (1, 1)])], 5e-6, 0.5)
    False
    >>> a == key([None, Point(1, 2), LineString([(0, 0), (1, 1)])], 5e-6, 0.5)
    False
    """
    digest = hashlib.sha256(Path(encoder.__file__).read_bytes())
    digest.update(f"\0{quantum!r}\0{tolerance_m!r}\0{encoder.METRES_PER_DEGREE!r}\0{len(geoms)}\0".encode())
    wkb = shapely.to_wkb(np.asarray(list(geoms), dtype=object), output_dimension=3, flavor="iso")
    for item in wkb:
        if item is None:
            digest.update(b"\0none\0")
        else:
            digest.update(len(item).to_bytes(8, "little") + item)
    return digest.hexdigest()


def topology_json(
    geoms: Sequence[BaseGeometry | None],
    quantum: float = encoder.QUANTUM,
    tolerance_m: float = encoder.TOLERANCE_M,
) -> str:
    """``encode(geoms, quantum, tolerance_m).to_json()``, from the cache when it was made before.

    Examples
    --------
    >>> from shapely import box
    >>> squares = [box(0, 0, 1, 1), box(1, 0, 2, 1)]
    >>> topology_json(squares) == encoder.encode(squares).to_json() == topology_json(squares)
    True
    """
    name = key(geoms, quantum, tolerance_m)
    path = maps_cache_dir() / f"{name}.topojson"
    found = _recall(path, name)
    if found is not None:
        return found
    text = encoder.encode(geoms, quantum, tolerance_m).to_json()
    _remember(path, name, text)
    return text


def _recall(path: Path, name: str) -> str | None:
    """The JSON of a signed record of ``name``, or None (no record, unreadable, unsigned)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_RECORD_BYTES:
            return None
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        signature = head.decode("ascii")
        if not signed.signed(name.encode() + b"\0" + body, signature):
            raise ValueError("not signed by this cache")
        return body.decode("utf-8")
    except (OSError, ValueError) as exc:
        log.debug("%s: map geometry record ignored (%s)", path, exc)
        return None


def _remember(path: Path, name: str, text: str) -> None:
    body = text.encode("utf-8")
    signature = signed.sign(name.encode() + b"\0" + body)
    if signature is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text(path, signature + "\n" + text)
    except (OSError, ValueError, BordermapError) as exc:
        log.debug("map geometry not remembered (%s)", exc)
