"""Read large vector files fast: GeoParquet, FlatGeobuf, GeoPackage and big GeoJSON.

* ``.parquet``/``.geoparquet`` are read with pyarrow (``geopandas.read_parquet``), ``.fgb`` and
  ``.gpkg`` with GDAL (pyogrio);
* a GeoJSON file of :data:`LARGE_GEOJSON_BYTES` or more is parsed by simdjson with the same
  checks as the data-model reader (:mod:`bordermap.io.fastjson`: a vertex at (700, 139), a
  ``NaN`` literal or a projected ``crs`` member are refused at every size), about ten times
  faster than GDAL, and cached as GeoParquet so it is never parsed twice. The cache file is named
  after a digest of the bytes that were parsed (never after the path, size or modification time,
  which an edit can keep), in ``$BORDERMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/bordermap``, else
  ``~/.cache/bordermap`` (never next to the input, which may be read-only). It is written in a
  background thread while the command goes on, so the first read does not wait for it; a cache
  record that cannot be read, or whose digest or coordinates do not check out, is a miss.
  Deleting the directory is always safe. Smaller GeoJSON goes through the data-model reader
  (:mod:`bordermap.io.geojson`);
* there is no fixed size limit: :func:`check_memory` estimates what a read needs and refuses
  (exit 1, code ``too-large``) only when that is more than the memory available
  (``BORDERMAP_MEMORY_MB`` overrides it; :mod:`bordermap.io.limits`);
* filters are pushed down to the reader: a bounding box (GDAL's spatial filter, or GeoParquet's
  bbox covering column) and an attribute match ``FIELD in VALUES`` (an SQL ``IN`` for GDAL,
  a pyarrow filter for Parquet). Each reader returns the features whose bounding box meets the
  box; :func:`filter_frame` then keeps those whose geometry does, the same for every format.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import warnings
from collections.abc import Sequence
from pathlib import Path
from threading import Thread
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from bordermap import settings
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import atomic_path
from bordermap.io.fastjson import Observer, parse_bytes, simdjson_module
from bordermap.io.geojson import frame_problems
from bordermap.io.limits import check_memory
from bordermap.model import CRS
from bordermap.progress import progress_bar
from bordermap.rings import REMEMBER_MIN_WKB_BYTES, remember_wkb

log = logging.getLogger(__name__)

#: GeoJSON files at least this large are read with GDAL and cached as GeoParquet.
LARGE_GEOJSON_BYTES = 32 * 2**20
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
GDAL_SUFFIXES = (".fgb", ".gpkg")
GEOJSON_SUFFIXES = (".geojson", ".json")
SUFFIXES = PARQUET_SUFFIXES + GDAL_SUFFIXES + GEOJSON_SUFFIXES

BBox = tuple[float, float, float, float]
Match = tuple[str, Sequence[str]]


def is_large_input(path: Path) -> bool:
    """Whether a file goes through these readers rather than the data-model GeoJSON reader."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES + GDAL_SUFFIXES:
        return True
    return suffix in GEOJSON_SUFFIXES and path.stat().st_size >= LARGE_GEOJSON_BYTES


def cache_dir() -> Path:
    """Where converted GeoJSON files are cached: :func:`bordermap.settings.cache_dir`."""
    return settings.cache_dir()


#: Bumped when the cache's format or the reader's output changes: old entries become misses.
#: 3: a dataset file (top-level "bordermap" member) is no longer cached as plain features.
CACHE_VERSION = "3"
#: Peak memory of a read per byte of input, measured on the world's countries (fastjson: the
#: bytes, simdjson's tape, the minified coordinates of a batch, the arrays and shapely objects;
#: GeoParquet: the Arrow table, WKB and shapely objects per byte of uncompressed column data).
#: ``measure`` measures batches while the file is parsed (bordermap.measure_ahead): 1,442 MiB at
#: peak for the 168 MB world file against 1,411 MiB without, so 9.5 rather than 9 (1,524 MiB).
GEOJSON_MEMORY_PER_BYTE = 9.5
PARQUET_MEMORY_PER_BYTE = 3.0
GDAL_MEMORY_PER_BYTE = 6.0


def _digester() -> hashlib._Hash:
    """The hash object of :func:`content_digest`, before the file's bytes."""
    return hashlib.sha256(CACHE_VERSION.encode() + b"\0")


def content_digest(data: bytes | bytearray) -> str:
    """The digest that names a file's cache entry: of its bytes, so any edit changes it.

    Examples
    --------
    >>> content_digest(b"{}") == content_digest(b"{}"), content_digest(b"{}") == content_digest(b"{ }")
    (True, False)
    """
    digest = _digester()
    digest.update(data)
    return digest.hexdigest()[:32]


def cache_path(path: Path) -> Path:
    """Name the cache file of a GeoJSON file from its current content."""
    return content_cache_path(Path(path), Path(path).read_bytes())


def content_cache_path(path: Path, data: bytes | bytearray) -> Path:
    """Name the cache file of a GeoJSON file whose bytes are ``data``."""
    return _cache_file(path, content_digest(data))


def _cache_file(path: Path, digest: str) -> Path:
    return cache_dir() / f"{path.stem[:80]}-{digest}.parquet"


def read_memory_estimate(path: Path) -> int:
    """Estimate the peak memory in bytes of reading a file (see the ``*_MEMORY_PER_BYTE`` factors)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        try:
            import pyarrow.parquet

            meta = pyarrow.parquet.ParquetFile(path).metadata
            size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        except Exception:  # noqa: BLE001 - unreadable files are reported by the reader itself
            size = path.stat().st_size
        return int(size * PARQUET_MEMORY_PER_BYTE)
    factor = GEOJSON_MEMORY_PER_BYTE if suffix in GEOJSON_SUFFIXES else GDAL_MEMORY_PER_BYTE
    return int(path.stat().st_size * factor)


def filter_frame(
    frame: gpd.GeoDataFrame, bbox: BBox | None = None, match: Match | None = None
) -> gpd.GeoDataFrame:
    """Keep the features whose geometry meets ``bbox`` and whose ``match[0]`` is in ``match[1]``.

    Examples
    --------
    >>> from shapely import Point
    >>> points = [Point(74, 41), Point(69, 38), Point(64, 41)]
    >>> f = gpd.GeoDataFrame({"iso": ["KG", "TJ", "UZ"]}, geometry=points)
    >>> filter_frame(f, bbox=(66, 36, 81, 44), match=("iso", ["KG", "UZ"]))["iso"].tolist()
    ['KG']
    """
    keep = np.ones(len(frame), dtype=bool)
    if match is not None:
        field, values = match
        if field not in frame.columns:
            raise UsageError(
                f"--filter: no field {field!r} (fields: {', '.join(map(str, frame.columns))})"
            )
        keep &= frame[field].astype(str).isin([str(v) for v in values]).to_numpy()
    if bbox is not None:
        keep &= shapely.intersects(frame.geometry.values, shapely.box(*bbox))
    return frame[keep].reset_index(drop=True) if not keep.all() else frame


def _sql_in(match: Match) -> str:
    field, values = match
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
    return '"' + field.replace('"', '""') + f'" IN ({quoted})'


def _read_gdal(path: Path, bbox: BBox | None, match: Match | None) -> gpd.GeoDataFrame:
    import pyogrio

    # GDAL's GeoJSON reader refuses single features over 200 MB unless told otherwise.
    pyogrio.set_gdal_config_options({"OGR_GEOJSON_MAX_OBJ_SIZE": 0})
    try:
        with warnings.catch_warnings():  # NaN coordinates: check_read_rules reports them
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(
                path, bbox=bbox, where=None if match is None else _sql_in(match)
            )
    except pyogrio.errors.FieldError as exc:
        raise UsageError(f"{path}: --filter: {exc}") from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from exc


def _read_parquet(
    path: Path, bbox: BBox | None, match: Match | None, on_geometries: Observer | None = None
) -> gpd.GeoDataFrame:
    try:
        import pyarrow  # noqa: F401 - geopandas needs it for Parquet
    except ImportError as exc:
        raise UsageError(
            f"{path}: reading GeoParquet needs pyarrow: pip install 'bordermap[bench]'"
        ) from exc
    filters = None
    if match is not None:
        import pyarrow.parquet

        try:
            fields = pyarrow.parquet.read_schema(path).names
        except Exception as exc:  # pyarrow raises many types for damaged or foreign files
            raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc
        if match[0] not in fields:
            known = ", ".join(fields)
            raise UsageError(f"{path}: --filter: no field {match[0]!r} (fields: {known})")
        filters = [(match[0], "in", [str(v) for v in match[1]])]
    try:
        # The bbox is pushed down only into files written with a bbox covering column. NaN
        # coordinates make shapely warn; check_read_rules reports them instead.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = _read_wkb_parquet(path, bbox, filters, on_geometries)
            return gpd.read_parquet(path, bbox=bbox, filters=filters) if frame is None else frame
    except ValueError as exc:
        if bbox is None or "covering" not in str(exc):
            raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc
        return gpd.read_parquet(path, filters=filters)
    except Exception as exc:  # pyarrow raises many types for damaged or foreign files
        raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc


#: WKB decoded at once when the geometries are measured while they are read (bytes).
PARQUET_BATCH_BYTES = 8 << 20


def _read_wkb_parquet(
    path: Path,
    bbox: BBox | None,
    filters: list[tuple[str, str, list[str]]] | None,
    on_geometries: Observer | None = None,
) -> gpd.GeoDataFrame | None:
    """A GeoParquet file with one WKB geometry column, read as ``geopandas.read_parquet`` does.

    The differences: the WKB of each large geometry is kept (:func:`bordermap.rings.remember_wkb`,
    views of pyarrow's buffers, no copy), so measuring need not have shapely write it again;
    and with ``on_geometries`` the geometries are decoded in batches of about
    :data:`PARQUET_BATCH_BYTES` of WKB, each handed to it as soon as it is built. None for any
    other file (``geopandas.read_parquet`` reads it, or says why not).
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    try:
        geo = json.loads((schema.metadata or {})[b"geo"])
        column = geo["primary_column"]
        spec = geo["columns"][column]
    except (KeyError, TypeError, ValueError):
        return None
    covering = (spec.get("covering") or {}).get("bbox")
    if len(geo["columns"]) != 1 or str(spec.get("encoding", "")).upper() != "WKB" or (
        bbox is not None and covering is None
    ):
        return None
    expression = pq.filters_to_expression(filters) if filters else None
    skip = set()
    if covering is not None:
        field = {key: pc.field(*covering[key]) for key in ("xmin", "ymin", "xmax", "ymax")}
        skip.add(covering["xmin"][0])
        if bbox is not None:  # as geopandas: keep unless entirely outside
            west, south, east, north = bbox
            outside = (field["xmin"] > east) | (field["ymin"] > north) | (field["xmax"] < west) | (
                field["ymax"] < south
            )
            expression = ~outside if expression is None else expression & ~outside
    table = pq.read_table(path, columns=[n for n in schema.names if n not in skip], filters=expression)
    index = table.schema.get_field_index(column)
    geoms = _decode_wkb(table.column(index), on_geometries)
    frame = table.drop_columns([column]).to_pandas()  # the index as the file's pandas metadata says
    # The CRS as the GeoParquet specification says: missing means OGC:CRS84, null unknown.
    crs = spec.get("crs", "OGC:CRS84")
    frame.insert(min(index, len(frame.columns)), column, gpd.GeoSeries(geoms, index=frame.index, crs=crs))
    frame = gpd.GeoDataFrame(frame, geometry=column, crs=crs)
    if b"PANDAS_ATTRS" in (schema.metadata or {}):  # where geopandas keeps a frame's attrs
        frame.attrs = json.loads(schema.metadata[b"PANDAS_ATTRS"])
    return frame


def _decode_wkb(wkb: Any, on_geometries: Observer | None) -> NDArray[np.object_]:
    """Shapely geometries from a pyarrow binary column; the WKB of the large ones remembered."""
    import pyarrow as pa

    geoms = np.empty(len(wkb), dtype=object)
    row = 0
    for chunk in wkb.chunks:
        n = len(chunk)
        _, offsets, data = chunk.buffers()[:3]
        if data is None:  # only nulls
            geoms[row : row + n] = None
            row += n
            continue
        width = np.int64 if pa.types.is_large_binary(chunk.type) else np.int32
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + n + 1].astype(np.int64)
        blobs = chunk.to_numpy(zero_copy_only=False)
        step = PARQUET_BATCH_BYTES if on_geometries is not None else max(int(ends[-1] - ends[0]), 1)
        cuts = np.searchsorted(ends, np.arange(ends[0] + step, ends[-1], step), side="left")
        view = memoryview(data)
        for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, n].tolist(), strict=True):
            if a == b:
                continue
            batch = shapely.from_wkb(blobs[a:b])
            for i in np.flatnonzero(np.diff(ends[a : b + 1]) >= REMEMBER_MIN_WKB_BYTES).tolist():
                if batch[i] is not None:
                    remember_wkb(batch[i], view[int(ends[a + i]) : int(ends[a + i + 1])])
            geoms[row + a : row + b] = batch
            if on_geometries is not None:
                on_geometries(batch)
        row += n
    return geoms


def _cached_geojson(
    path: Path, bbox: BBox | None, match: Match | None, on_geometries: Observer | None = None
) -> gpd.GeoDataFrame:
    check_memory(path, read_memory_estimate(path))
    data, digest = _read_bytes(path)
    cached = _cache_file(path, digest)
    frame = _read_cache(cached, path, bbox, match)
    if frame is not None:
        return frame
    if simdjson_module() is None:
        log.warning(
            "%s: parsing with the exact reader, which is slow for large files; "
            "pip install 'bordermap[large]' for the fast one",
            path,
        )
    with progress_bar(f"parsing {path.name}", total=None) as bar:
        frame = parse_bytes(data, path, progress=bar, on_geometries=on_geometries)
    del data
    _write_cache_later(frame, cached, path)
    return frame


#: Bytes read at once by :func:`_read_bytes`.
READ_BLOCK = 16 << 20


def _read_bytes(path: Path) -> tuple[bytearray, str]:
    """The whole file in one buffer, and its :func:`content_digest` (a progress bar on big files).

    The digest is taken in a thread while the next block is read (hashlib and file reads both
    run without the GIL), so reading and hashing the world file take the time of the slower
    of the two instead of their sum, and no second copy of the bytes is made.
    """
    digest = _digester()
    blocks: queue.SimpleQueue[memoryview | None] = queue.SimpleQueue()

    def hash_blocks() -> None:
        while (block := blocks.get()) is not None:
            digest.update(block)
            del block

    hasher = Thread(target=hash_blocks, name="bordermap-digest", daemon=True)
    hasher.start()
    try:
        size = path.stat().st_size
        data = bytearray(size)
        done = 0
        with memoryview(data) as view, path.open("rb") as handle, \
                progress_bar(f"reading {path.name}", total=size) as bar:
            while done < size and (count := handle.readinto(view[done:done + READ_BLOCK])):
                blocks.put(view[done:done + count])
                done += count
                bar(done)
            grown = handle.read()  # the file grew since it was measured
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})", code="unreadable") from exc
    finally:
        blocks.put(None)
        hasher.join()
    del data[done:]  # the file shrank since it was measured
    if grown:
        data += grown
        digest.update(grown)
    return data, digest.hexdigest()[:32]


def _read_cache(
    cached: Path, path: Path, bbox: BBox | None, match: Match | None
) -> gpd.GeoDataFrame | None:
    """The cached copy, or None when there is none or it does not check out (then it is a miss)."""
    if not cached.is_file():
        return None
    try:
        frame = _read_parquet(cached, bbox, match)
        stored = (frame.attrs or {}).get("bordermap_source_digest")
        west, south, east, north = frame.total_bounds if len(frame) else (0, 0, 0, 0)
        if min(west, east) < -180 or max(west, east) > 180 or min(south, north) < -90 or max(south, north) > 90:
            raise ValueError("coordinates out of range")
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bad cache record is a miss, never an error
        log.warning("%s: ignoring the cached copy %s (%s)", path, cached, exc)
        return None
    if stored != cached.stem.rsplit("-", 1)[-1]:
        log.warning("%s: ignoring the cached copy %s (not written for this content)", path, cached)
        return None
    frame.attrs = {}
    log.info("%s: read the cached copy %s", path, cached)
    return frame


def _write_cache_later(frame: gpd.GeoDataFrame, cached: Path, path: Path) -> Thread:
    """Write the cache in a background thread; the interpreter waits for it at exit.

    At normal priority: the command cannot end before the cache is written, so a thread of the
    lowest priority only made it wait longer at exit when other processes kept the CPUs busy
    (about 10 s on the world file on a busy machine). Uncompressed: coordinates hardly compress,
    and the copy is written (0.5 s of CPU on the world file instead of 0.8–1.3 s with snappy)
    and read back (0.5 s instead of 1.1 s) faster, for 128 MB on disk instead of 84 MB.
    With the C library's allocator (:func:`bordermap.settings.prefer_system_allocator`):
    with Arrow's default (mimalloc) the same write took 1.1–5.8 s, mostly in the kernel.
    """
    # A shallow copy, made here: the caller goes on adding columns to its frame meanwhile.
    copy = frame.copy(deep=False)
    copy.attrs = {"bordermap_source_digest": cached.stem.rsplit("-", 1)[-1]}

    def write() -> None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(cached) as tmp:
                copy.to_parquet(tmp, write_covering_bbox=True, compression=None)
            log.info("%s: cached as %s", path, cached)
        except Exception as exc:  # noqa: BLE001 - no cache is slower, never wrong
            log.warning("%s: not cached (%s)", path, exc)

    thread = Thread(target=write, name="bordermap-cache", daemon=False)
    thread.start()
    return thread


def _plain_lists(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GDAL and pyarrow give list values as numpy arrays; the data model has Python lists."""
    for column in frame.columns.drop(frame.geometry.name):
        if frame[column].dtype == object:
            frame[column] = [v.tolist() if isinstance(v, np.ndarray) else v for v in frame[column]]
    return frame


def read_frame(
    path: str | Path,
    bbox: BBox | None = None,
    match: Match | None = None,
    on_geometries: Observer | None = None,
) -> gpd.GeoDataFrame:
    """Read one layer of a GeoParquet, FlatGeobuf, GeoPackage or (large) GeoJSON file.

    Parameters
    ----------
    path
        The file; its suffix picks the reader.
    bbox
        ``(west, south, east, north)`` in degrees: keep only features that meet it.
    match
        ``(field, values)``: keep only features whose field is one of the values.
    on_geometries
        Called with each batch of geometries as the GeoJSON parser builds them
        (:func:`bordermap.io.fastjson.parse_bytes`) or as they are decoded from a GeoParquet
        file's WKB, before the read returns, and before the read rules are checked (a file that
        fails them raises afterwards); not called when a GeoJSON file is read from the cache or
        by another reader, nor for geometries the exact reader decodes. Whatever it sees is a
        subset of the geometries of the returned frame (before the filters), the same objects.

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, with ``id`` and ``kind`` columns (None where the file has none) and list
        values as Python lists, like the data-model reader.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        check_memory(path, read_memory_estimate(path))
        frame = check_read_rules(normalize_frame(_read_parquet(path, bbox, match, on_geometries)), path)
    elif suffix in GDAL_SUFFIXES:
        check_memory(path, read_memory_estimate(path))
        frame = check_read_rules(normalize_frame(_read_gdal(path, bbox, match)), path)
    elif suffix in GEOJSON_SUFFIXES:  # checked while parsing (bordermap.io.fastjson)
        frame = normalize_frame(_cached_geojson(path, bbox, match, on_geometries))
    else:
        raise UsageError(
            f"{path}: unknown format (expected one of {', '.join(SUFFIXES)})"
        )
    return filter_frame(frame, bbox, match)


def check_read_rules(frame: gpd.GeoDataFrame, path: Path | str) -> gpd.GeoDataFrame:
    """Refuse features from GDAL or GeoParquet that break a read-stage rule of the GeoJSON reader.

    The rules of :func:`bordermap.io.geojson.frame_problems` (finite coordinates, longitude
    within ±180 and latitude within ±90, finite numbers; geopandas itself refuses geometry
    types GeoJSON does not have, such as curves): what a GeoJSON
    file is refused for at any size, a GeoParquet file, a FlatGeobuf or GeoPackage, or a
    partition of one (``--dask``) is refused for too.

    Raises
    ------
    DataError
        Naming the file, the feature and the rule's code (exit status 1).

    Examples
    --------
    >>> from shapely import Point
    >>> far = gpd.GeoDataFrame({"id": ["k"]}, geometry=[Point(700, 139)], crs="EPSG:4326")
    >>> check_read_rules(far, "x.parquet")
    Traceback (most recent call last):
    ...
    bordermap.errors.DataError: x.parquet:k: longitude/latitude out of range (|x| up to 700, ...
    """
    problems = frame_problems(frame)
    if problems:
        text = "; ".join(f"{label + ': ' if label else ''}{message} [{code}]" for label, code, message in problems)
        raise DataError(f"{path}:{text}" if problems[0][0] else f"{path}: {text}", code=problems[0][1])
    return frame


def normalize_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put a frame read from any format in the data model's shape.

    EPSG:4326 (set when missing, reprojected otherwise), ``id`` and ``kind`` columns (None where
    missing) and list values as Python lists.
    """
    if frame.crs is None:
        frame = frame.set_crs(CRS)
    elif frame.crs != CRS:
        frame = frame.to_crs(CRS)
    frame = _plain_lists(frame)
    for column in ("id", "kind"):
        if column not in frame.columns:
            frame[column] = None
    return frame
