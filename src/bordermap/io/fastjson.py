"""Read a large GeoJSON FeatureCollection fast, with the same checks as the exact reader.

The exact reader (:mod:`bordermap.io.geojson`) builds a Python object per number and a shapely
object per feature from nested lists; on the world's countries (168 MB, 8.1 M vertices) that is
several seconds. Here the file is parsed by simdjson (``pysimdjson``, the ``large`` extra), which
refuses what RFC 8259 refuses (``NaN``, ``Infinity``, ``1e400``, leading zeros), and the
coordinates of all geometries of one type come out as one flat array of doubles
(``Array.as_buffer``). Their nesting is checked on the minified text of the coordinates with
numpy, over brackets and commas only:

* every array above the position level holds arrays, every position holds numbers, 2 or 3 of
  them (the same count in one geometry);
* longitude within ±180, latitude within ±90; polygon rings closed with at least 4 positions;
  lines with at least 2.

That is what :func:`bordermap.io.geojson.geometry_problems` checks. A geometry that fails any of
it, or that this path does not handle (``GeometryCollection``, ``LinearRing``, empty arrays,
mixed 2D/3D positions), goes through the exact reader's own function
(:func:`bordermap.io.geojson.features_to_frame`), which accepts it or raises the same
:class:`~bordermap.errors.DataError` a small file gives. Shapely geometries are then built in one
call per geometry type (``shapely.from_ragged_array``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from bordermap.errors import DataError, UsageError
from bordermap.io.geojson import (
    _DEPTH,
    feature_collection,
    feature_label,
    feature_properties,
    features_to_frame,
)
from bordermap.model import CRS
from bordermap.rings import REMEMBER_MIN_RINGS, remember_rings

#: Geometry types read by the fast path, with their shapely type.
_FAST = {
    "Point": shapely.GeometryType.POINT,
    "MultiPoint": shapely.GeometryType.MULTIPOINT,
    "LineString": shapely.GeometryType.LINESTRING,
    "MultiLineString": shapely.GeometryType.MULTILINESTRING,
    "Polygon": shapely.GeometryType.POLYGON,
    "MultiPolygon": shapely.GeometryType.MULTIPOLYGON,
}
_OPEN, _CLOSE, _COMMA = ord("["), ord("]"), ord(",")
#: ``bytes.translate`` table: "[" → 1, "]" → 2, "," → 3, any other byte → 0.
_CODES = bytes(1 if b == _OPEN else 2 if b == _CLOSE else 3 if b == _COMMA else 0 for b in range(256))

Progress = Callable[[int], None]
#: Called with each batch of geometries as soon as they are built (see :func:`parse_bytes`).
Observer = Callable[[NDArray[np.object_]], None]


#: The top-level member that makes a GeoJSON file a bordermap dataset (docs/data-model.md).
DATASET_MEMBER = "bordermap"


class DatasetDocument(UsageError):
    """The file is a bordermap dataset (it has a top-level ``bordermap`` member), not plain features.

    Raised before any geometry is built; :func:`bordermap.io.dataset.load` then reads the file
    with the data-model reader, which validates it as a dataset, at every size.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: a bordermap dataset (top-level \"{DATASET_MEMBER}\" member), "
            "not plain features: load it with bordermap.load"
        )


def simdjson_module() -> Any | None:
    """The ``simdjson`` module (package ``pysimdjson``), or None when it is not installed."""
    try:
        import simdjson
    except ImportError:
        return None
    return simdjson


def parse_bytes(
    data: bytes | bytearray,
    path: Path,
    progress: Progress | None = None,
    on_geometries: Observer | None = None,
) -> gpd.GeoDataFrame:
    """Parse a GeoJSON FeatureCollection given as bytes into a GeoDataFrame.

    A number JSON cannot hold as a finite double (``1e400``, which simdjson reads as infinity)
    is refused with the exact reader's message, as at every other size.

    Parameters
    ----------
    data
        The file's bytes (UTF-8, optionally with a byte order mark).
    path
        The file, for messages.
    progress
        Called with the number of features done, now and then.
    on_geometries
        Called with each batch of geometries (an object array of shapely geometries, each
        one a feature's final geometry, in no particular order) as soon as they are built,
        while the rest of the file is still being read: a consumer can start working on them
        (``bordermap measure`` measures them, :mod:`bordermap.measure_ahead`). It sees only
        geometries that passed every check; if the file is refused later on, the call that
        raises is :func:`parse_bytes` itself, and what the observer did is for it to drop.

    Returns
    -------
    GeoDataFrame
        The same frame as :func:`bordermap.io.geojson.read_layer` gives for the file.

    Raises
    ------
    DataError
        Whatever the exact reader would refuse, naming the file (and feature).

    Examples
    --------
    >>> text = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a",'
    >>> text += b' "properties": {}, "geometry": {"type": "Point", "coordinates": [71.5, 40.1]}}]}'
    >>> parse_bytes(text, Path("x.geojson")).geometry[0].wkt
    'POINT (71.5 40.1)'
    >>> parse_bytes(text.replace(b"71.5", b"NaN"), Path("x.geojson"))
    Traceback (most recent call last):
    ...
    bordermap.errors.DataError: x.geojson: invalid JSON: NaN is not a JSON number (RFC 8259); ...
    """
    if simdjson_module() is None:  # without the ``large`` extra: the exact reader, slowly
        return _exact(data, path)
    try:
        return _parse_fast(data, path, progress, on_geometries)
    except DataError as exc:
        if exc.code != "coordinates-not-finite":
            raise
        return _exact(data, path)  # raises the exact reader's message for the number


def _parse_fast(
    data: bytes | bytearray, path: Path, progress: Progress | None, on_geometries: Observer | None
) -> gpd.GeoDataFrame:
    simdjson = simdjson_module()
    assert simdjson is not None  # parse_bytes checked
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parser = simdjson.Parser()
    try:
        doc = parser.parse(data)
    except (ValueError, RuntimeError, UnicodeDecodeError):
        # Not valid JSON (or a number simdjson cannot hold): the exact reader says why, or reads it.
        return _exact(data, path)
    if not isinstance(doc, simdjson.Object):
        return _exact(data, path)
    if DATASET_MEMBER in doc:
        raise DatasetDocument(path)
    top = {key: _plain(simdjson, doc[key]) for key in ("type", "crs") if key in doc}
    features = doc.get("features")
    if not isinstance(features, simdjson.Array):
        return _exact(data, path)
    feature_collection({**top, "features": []}, path)  # type, crs: raises like the exact reader
    rows: list[dict[str, Any]] = []
    slow: list[int] = []
    groups: dict[str, list[tuple[int, Any]]] = {name: [] for name in _FAST}
    for index, feature in enumerate(features):
        if not isinstance(feature, simdjson.Object):
            feature_properties(feature, index, path)  # raises: not a Feature
        head = {key: _plain(simdjson, feature[key]) for key in ("type", "properties", "id") if key in feature}
        rows.append(feature_properties(head, index, path))
        geom = feature.get("geometry")
        kind = geom.get("type") if isinstance(geom, simdjson.Object) else None
        coords = geom.get("coordinates") if kind in _FAST else None
        if geom is None:
            continue
        if isinstance(kind, str) and isinstance(coords, simdjson.Array) and (kind != "Point" or len(coords)):
            groups[kind].append((index, coords))
        else:
            slow.append(index)
        if progress is not None and index % 4096 == 0:
            progress(index)
    geoms = np.full(len(rows), None, dtype=object)
    for kind, members in groups.items():
        if members:
            built, failed = _build(kind, members, on_geometries)
            ok = np.array([index for index, _ in members], dtype=np.intp)
            geoms[ok] = built
            slow.extend(ok[failed].tolist())
    if slow:
        # The exact reader's own checks and construction, one feature at a time.
        for index in sorted(slow):
            feature = features[index]
            geom = feature.get("geometry")
            one = {"type": "Feature", "properties": {"id": feature_label(rows[index], index)}}
            one["geometry"] = _plain(simdjson, geom)
            geoms[index] = features_to_frame([one], path).geometry.iloc[0]
    if progress is not None:
        progress(len(rows))
    del features, doc
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    for column in ("id", "kind"):
        if column not in frame.columns:
            frame[column] = None
    return frame


def _plain(simdjson: Any, value: Any) -> Any:
    """A simdjson value as plain Python (dicts, lists, scalars)."""
    if isinstance(value, simdjson.Object):
        return value.as_dict()
    if isinstance(value, simdjson.Array):
        return value.as_list()
    return value


def _exact(data: bytes | bytearray, path: Path) -> gpd.GeoDataFrame:
    """The exact reader on the bytes: its result, or its error message for the file."""
    from bordermap.io.geojson import loads_json

    document = loads_json(data, path)
    if isinstance(document, dict) and DATASET_MEMBER in document:
        raise DatasetDocument(path)
    return features_to_frame(feature_collection(document, path), path)


#: Bytes of coordinate text checked at once: small arrays are reused from the heap, while each
#: large one costs fresh pages (slow on virtual machines).
BATCH_BYTES = 4 << 20


def _build(
    kind: str, members: list[tuple[int, Any]], on_geometries: Observer | None = None
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Build the geometries of one type; also say which ones must go through the exact reader.

    ``on_geometries`` is called with the geometries of each batch that were built here.
    """
    n = len(members)
    geoms = np.full(n, None, dtype=object)
    failed = np.zeros(n, dtype=bool)
    texts: list[bytes] = []
    flats: list[NDArray[np.float64]] = []
    batch: list[int] = []
    size = 0
    for i, (_, coords) in enumerate(members):
        try:
            flat = np.frombuffer(coords.as_buffer(of_type="d"), dtype=np.float64)
        except (TypeError, ValueError, RuntimeError):  # strings, booleans, null: not numbers
            failed[i] = True
            continue
        texts.append(coords.mini)
        flats.append(flat)
        batch.append(i)
        size += len(texts[-1])
        if size >= BATCH_BYTES:
            built, bad = _build_batch(kind, texts, flats)
            geoms[batch], failed[batch] = built, bad
            texts, flats, batch, size = [], [], [], 0
            if on_geometries is not None and not bad.all():
                on_geometries(built[~bad])
    if batch:
        built, bad = _build_batch(kind, texts, flats)
        geoms[batch], failed[batch] = built, bad
        if on_geometries is not None and not bad.all():
            on_geometries(built[~bad])
    return geoms, failed


def _remember_rings(
    geoms: NDArray[np.object_], offsets: list[NDArray[np.int64]], failed: NDArray[np.bool_]
) -> None:
    """Record the ring structure of polygonal geometries just built (:func:`remember_rings`).

    ``offsets`` are ``from_ragged_array``'s, innermost first: positions per ring, rings per
    polygon, and for MultiPolygons polygons per geometry.
    """
    counts = np.diff(offsets[0])
    role = np.full(len(counts), -1, dtype=np.int8)
    starts = offsets[1][:-1]
    role[starts[offsets[1][1:] > starts]] = 1  # the first ring of each polygon is its exterior
    bounds = offsets[1] if len(offsets) == 2 else offsets[1][offsets[2]]
    many = np.flatnonzero((np.diff(bounds) >= REMEMBER_MIN_RINGS) & ~failed)
    for j in many.tolist():
        a, b = int(bounds[j]), int(bounds[j + 1])
        remember_rings(geoms[j], counts[a:b], role[a:b])


def _build_batch(
    kind: str, texts: list[bytes], flats: list[NDArray[np.float64]]
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Check and build some geometries of one type from their minified coordinates and numbers."""
    n = len(texts)
    # The coordinates joined into one array whose children are the geometries (and a sentinel).
    text = b"[" + b",".join(texts) + b"] "
    level_pos = _DEPTH[kind] + 1  # the level of position arrays in `text` (2 for points)
    # Token codes (1 "[", 2 "]", 3 ","; 0 anything else: in minified coordinates whose numbers
    # simdjson read, a number), then zeros so that looking a few tokens ahead stays in bounds.
    codes = np.frombuffer(text.translate(_CODES) + bytes(4), dtype=np.uint8)
    where = np.flatnonzero(codes)
    tok = codes[where]
    where += 1
    after = codes[where]  # the byte after each token
    del where
    opens = tok == 1
    step = opens.view(np.int8) - (tok == 2).view(np.int8)
    level = np.cumsum(step, dtype=np.int16)  # after each token: the level it leaves open
    del step
    # The first token of each geometry, and which geometry (of the batch) each one is.
    starts, kept = np.flatnonzero(opens & (level == 2)), np.arange(n)

    def owner(token: NDArray[np.intp]) -> NDArray[np.intp]:
        return kept[np.searchsorted(starts, token, side="right") - 1]

    bad = np.zeros(n, dtype=bool)
    # Arrays above the position level hold arrays; positions hold numbers, nothing deeper.
    upper = (opens | (tok == 3)) & (level < level_pos) & (level >= 2) & (after != 1)
    bad[owner(np.flatnonzero(upper))] = True
    leaf = opens & (level == level_pos)
    bad[owner(np.flatnonzero(leaf & (after != 0)))] = True
    bad[owner(np.flatnonzero(opens & (level > level_pos)))] = True
    # A position of 2 numbers is the tokens "[ , ]"; of 3, "[ , , ]".
    pos_tok = np.flatnonzero(leaf)
    tok = np.r_[tok, np.zeros(3, dtype=np.uint8)]
    comma = tok[pos_tok + 1] == 3
    two = comma & (tok[pos_tok + 2] == 2)
    three = comma & (tok[pos_tok + 2] == 3) & (tok[pos_tok + 3] == 2)
    pos_owner = owner(pos_tok)
    ndim = 2 if two.all() else 3 if three.all() else 0
    if ndim == 0:
        bad[pos_owner[~two]] = True
        ndim = 2
    numbers = np.array([len(f) for f in flats])
    bad |= numbers != ndim * np.bincount(pos_owner, minlength=n)
    if bad.all():
        return np.full(n, None, dtype=object), bad
    xy = np.concatenate(flats) if len(flats) > 1 else flats[0]
    tok = tok[:-3]
    if bad.any():  # drop the suspicious geometries' tokens and numbers, keep the rest
        xy = xy[np.repeat(~bad, numbers)]
        keep_tok = ~bad[owner(np.arange(len(tok)))]
        tok, level, opens = tok[keep_tok], level[keep_tok], opens[keep_tok]
        starts, kept = np.flatnonzero(opens & (level == 2)), np.flatnonzero(~bad)
        pos_tok = np.flatnonzero(opens & (level == level_pos))
        pos_owner = owner(pos_tok)
    xy = xy.reshape(-1, ndim)
    lon, lat = xy[:, 0], xy[:, 1]
    out = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    failed = bad.copy()
    failed[pos_owner[out]] = True
    # Offsets, innermost first: positions per array at each level above the positions.
    offsets = []
    child = pos_tok
    for lv in range(level_pos - 1, 1, -1):
        parent = np.flatnonzero(opens & (level == lv))
        counts = np.bincount(
            np.searchsorted(parent, child, side="right") - 1, minlength=len(parent)
        )
        if (counts == 0).any():  # an empty array: the exact reader decides
            failed[owner(parent[counts == 0])] = True
        if lv == level_pos - 1 and kind in ("Polygon", "MultiPolygon"):
            start = np.cumsum(counts) - counts
            stop = start + counts - 1
            nonempty = counts > 0
            unclosed = np.zeros(len(parent), dtype=bool)
            unclosed[nonempty] = (xy[start[nonempty]] != xy[stop[nonempty]]).any(axis=1)
            failed[owner(parent[(counts < 4) | unclosed])] = True
        if lv == level_pos - 1 and kind in ("LineString", "MultiLineString"):
            failed[owner(parent[counts < 2])] = True
        offsets.append(np.r_[0, np.cumsum(counts)])
        child = parent
    if failed.all():
        return np.full(n, None, dtype=object), failed
    if kind == "Point":
        geoms = shapely.points(xy)
    else:
        geoms = shapely.from_ragged_array(_FAST[kind], xy, tuple(offsets))
        if kind in ("Polygon", "MultiPolygon"):
            _remember_rings(geoms, offsets, failed[~bad])
    result = np.full(n, None, dtype=object)
    result[~bad] = geoms
    result[failed] = None
    return result, failed
