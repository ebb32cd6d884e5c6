"""Read large vector files fast: GeoParquet, FlatGeobuf, GeoPackage and big GeoJSON.

A GeoJSON file is text that has to be parsed whole (about 7 s for the world's countries at
1:10 m); GeoParquet and FlatGeobuf are read in well under a second. So:

* ``.parquet``/``.geoparquet`` are read with pyarrow (``geopandas.read_parquet``), ``.fgb`` and
  ``.gpkg`` with GDAL (pyogrio);
* a GeoJSON file of :data:`LARGE_GEOJSON_BYTES` or more is read with GDAL once and cached as
  GeoParquet, so it is never parsed twice. The cache file is keyed by the file's resolved path,
  size and modification time, in ``$BORDERMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/bordermap``,
  else ``~/.cache/bordermap`` (never next to the input, which may be read-only); a changed file
  gets a new entry, and deleting the directory is always safe. The first read honours the same
  size limit as the data-model reader (``BORDERMAP_MAX_GEOJSON_MB``, default 100 MB: GDAL also
  holds the parsed file in memory); set it higher once for a world file, or convert the file to
  GeoParquet/FlatGeobuf with ``ogr2ogr``, which streams. Smaller GeoJSON goes through the exact
  data-model reader (:mod:`bordermap.io.geojson`);
* filters are pushed down to the reader: a bounding box (GDAL's spatial filter, or GeoParquet's
  bbox covering column) and an attribute match ``FIELD in VALUES`` (an SQL ``IN`` for GDAL,
  a pyarrow filter for Parquet). Each reader returns the features whose bounding box meets the
  box; :func:`filter_frame` then keeps those whose geometry does, the same for every format.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from bordermap import settings
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import atomic_path
from bordermap.io.geojson import check_json_size
from bordermap.model import CRS

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


def cache_path(path: Path) -> Path:
    """Name the cache file of a GeoJSON file in its current state (path, size, mtime)."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    digest = hashlib.sha256(f"{resolved}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[
        :24
    ]
    return cache_dir() / f"{resolved.stem}-{digest}.parquet"


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
        return pyogrio.read_dataframe(
            path, bbox=bbox, where=None if match is None else _sql_in(match)
        )
    except pyogrio.errors.FieldError as exc:
        raise UsageError(f"{path}: --filter: {exc}") from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from exc


def _read_parquet(path: Path, bbox: BBox | None, match: Match | None) -> gpd.GeoDataFrame:
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
        # The bbox is pushed down only into files written with a bbox covering column.
        return gpd.read_parquet(path, bbox=bbox, filters=filters)
    except ValueError as exc:
        if bbox is None or "covering" not in str(exc):
            raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc
        return gpd.read_parquet(path, filters=filters)
    except Exception as exc:  # pyarrow raises many types for damaged or foreign files
        raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc


def _cached_geojson(path: Path, bbox: BBox | None, match: Match | None) -> gpd.GeoDataFrame:
    cached = cache_path(path)
    if cached.is_file():
        log.info("%s: reading the cached copy %s", path, cached)
        return _read_parquet(cached, bbox, match)
    check_json_size(path)  # parsing still holds the whole file in memory, once
    frame = _plain_lists(_read_gdal(path, None, None))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(cached) as tmp:
            frame.to_parquet(tmp, write_covering_bbox=True)
        log.info("%s: cached as %s", path, cached)
    except Exception as exc:  # noqa: BLE001 - no cache is slower, never wrong
        log.warning("%s: not cached (%s)", path, exc)
    return frame


def _plain_lists(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GDAL and pyarrow give list values as numpy arrays; the data model has Python lists."""
    for column in frame.columns.drop(frame.geometry.name):
        if frame[column].dtype == object:
            frame[column] = [v.tolist() if isinstance(v, np.ndarray) else v for v in frame[column]]
    return frame


def read_frame(
    path: str | Path, bbox: BBox | None = None, match: Match | None = None
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

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, with ``id`` and ``kind`` columns (None where the file has none) and list
        values as Python lists, like the data-model reader.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        frame = _read_parquet(path, bbox, match)
    elif suffix in GDAL_SUFFIXES:
        frame = _read_gdal(path, bbox, match)
    elif suffix in GEOJSON_SUFFIXES:
        frame = _cached_geojson(path, bbox, match)
    else:
        raise UsageError(
            f"{path}: unknown format (expected one of {', '.join(SUFFIXES)})"
        )
    if frame.crs is None:
        frame = frame.set_crs(CRS)
    elif frame.crs != CRS:
        frame = frame.to_crs(CRS)
    frame = _plain_lists(frame)
    for column in ("id", "kind"):
        if column not in frame.columns:
            frame[column] = None
    return filter_frame(frame, bbox, match)
