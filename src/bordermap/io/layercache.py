"""Layers already read, remembered: their properties and geometries, keyed by the file's bytes.

Reading a layer (:func:`bordermap.io.geojson.read_layer`) parses its JSON, checks every value and
every geometry's structure and builds each geometry with shapely; for an unchanged file the
outcome is the same every time. After a successful read the outcome (the features' properties as
JSON and their geometries as ISO WKB) is kept under ``layers/`` in the cache directory
(:func:`bordermap.settings.layers_cache_dir`), named after a SHA-256 digest of the file's bytes
(taken while reading them, as the validation memo's are), of the reader's own source and of the
package version: a changed file or reader is a new name, and only a file read successfully before
is ever a hit, so every error is raised as before. Records are signed
(:mod:`bordermap.io.signed`); a damaged or planted one is a miss and the file is parsed again. A
cache that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from bordermap import __version__
from bordermap.errors import BordermapError
from bordermap.io import signed
from bordermap.io.atomic import atomic_path
from bordermap.settings import layers_cache_dir

log = logging.getLogger(__name__)

#: Files larger than this are not remembered (dataset layers are a few MB at most).
MAX_FILE_BYTES = 32 << 20


def _name(file_digest: str) -> str:
    digest = hashlib.sha256(f"{__version__}\0{file_digest}\0".encode())
    for module in ("geojson.py", "layercache.py"):
        digest.update((resources.files("bordermap.io") / module).read_bytes())
    return digest.hexdigest()


def recall(file_digest: str) -> tuple[list[dict[str, Any]], NDArray[np.object_]] | None:
    """The properties and geometries of a file read before (by its SHA-256), or None."""
    name = _name(file_digest)
    path = layers_cache_dir() / f"{name}.layer"
    try:
        if not path.is_file() or path.stat().st_size > 4 * MAX_FILE_BYTES:
            return None
        raw = path.read_bytes()
        signature, _, body = raw.partition(b"\n")
        if not signed.signed(name.encode() + b"\0" + body, signature.decode("ascii")):
            raise ValueError("not signed by this cache")
        head, _, blob = body.partition(b"\n")
        record = json.loads(head)
        sizes = record["sizes"]
        ends = np.cumsum([max(size, 0) for size in sizes])
        if len(record["rows"]) != len(sizes) or (len(ends) and ends[-1] != len(blob)):
            raise ValueError("rows, sizes and geometry bytes disagree")
        wkb = np.empty(len(sizes), dtype=object)
        for i, (size, end) in enumerate(zip(sizes, ends, strict=True)):
            wkb[i] = None if size < 0 else blob[end - size : end]
        return record["rows"], shapely.from_wkb(wkb)
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.ShapelyError) as exc:
        log.debug("%s: layer record ignored (%s)", path, exc)
        return None


def remember(file_digest: str, size: int, rows: list[dict[str, Any]], geoms: list[Any]) -> None:
    """Keep what reading a file of ``size`` bytes gave (its properties and geometries)."""
    if size > MAX_FILE_BYTES:
        return
    name = _name(file_digest)
    try:
        wkb = shapely.to_wkb(np.asarray(geoms, dtype=object), output_dimension=3, flavor="iso")
        sizes = [-1 if item is None else len(item) for item in wkb]
        head = json.dumps({"rows": rows, "sizes": sizes}, ensure_ascii=False, allow_nan=False)
        body = head.encode("utf-8") + b"\n" + b"".join(item for item in wkb if item is not None)
        signature = signed.sign(name.encode() + b"\0" + body)
        if signature is None:
            return
        folder = layers_cache_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with atomic_path(folder / f"{name}.layer") as tmp:
            Path(tmp).write_bytes(signature.encode("ascii") + b"\n" + body)
    except (OSError, ValueError, TypeError, BordermapError) as exc:
        log.debug("layer not remembered (%s)", exc)
