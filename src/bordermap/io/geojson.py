"""GeoJSON layers: parse FeatureCollections into GeoDataFrames and write them back (RFC 7946).

Nested properties (lists, objects) stay Python objects in object columns; they are written back as
JSON. Coordinates are written with 7 decimals (about 1 cm), which keeps every source vertex.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping, shape

from bordermap.errors import DataError
from bordermap.io.atomic import atomic_path
from bordermap.model import CRS

COORD_DECIMALS = 7


def read_json(path: Path) -> Any:
    """Read a JSON file, turning every decoding failure into a :class:`DataError` that names it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise DataError(f"{path}: file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (byte {exc.start}); GeoJSON must be UTF-8 (RFC 7946 §11)"
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc


def feature_collection(obj: Any, path: Path) -> list[dict[str, Any]]:
    """Return the features of a parsed GeoJSON object, or raise a :class:`DataError`."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise DataError(f"{path}: not GeoJSON (no top-level object with a 'type' member)")
    kind = obj["type"]
    if kind == "Feature":
        raise DataError(f"{path}: a single Feature; wrap it in a FeatureCollection")
    if kind != "FeatureCollection":
        raise DataError(f"{path}: GeoJSON type {kind!r}; expected a FeatureCollection")
    features = obj.get("features")
    if not isinstance(features, list):
        raise DataError(f"{path}: FeatureCollection has no 'features' array")
    return features


def _geometry(geom: Any, path: Path, where: str) -> shapely.Geometry | None:
    if geom is None:
        return None
    try:
        return shape(geom)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise DataError(f"{path}:{where} /geometry: cannot be read as GeoJSON geometry ({exc})") from exc


def features_to_frame(features: list[Any], path: Path) -> gpd.GeoDataFrame:
    """Turn GeoJSON features into a GeoDataFrame, one column per property."""
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise DataError(f"{path}:#{index}: not a GeoJSON Feature")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise DataError(f"{path}:#{index} /properties: must be an object or null")
        row = dict(props)
        if "id" not in row and "id" in feature:
            row["id"] = feature["id"]
        where = f"{row.get('id', f'#{index}')}"
        rows.append(row)
        geoms.append(_geometry(feature.get("geometry"), path, where))
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    for column in ("id", "kind"):
        if column not in frame.columns:
            frame[column] = None
    return frame


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read one GeoJSON FeatureCollection file as a layer."""
    return features_to_frame(feature_collection(read_json(path), Path(path)), Path(path))


def _clean(value: Any) -> Any:
    """Make a property value JSON-serialisable (numpy scalars, NaN → null)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean(v) for v in value]
    if value is not None and not isinstance(value, (str, int, float, bool)):
        try:
            if bool(np.all(np.isnan(value))):
                return None
        except TypeError:
            pass
        return str(value)
    return value


def frame_to_features(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Turn a layer back into GeoJSON feature dicts (coordinates rounded to 7 decimals)."""
    frame = frame.to_crs(CRS) if frame.crs is not None and frame.crs != CRS else frame
    geoms = shapely.set_precision(frame.geometry.values, 10.0**-COORD_DECIMALS, mode="pointwise")
    props = frame.drop(columns=frame.geometry.name)
    out = []
    for geom, (_, row) in zip(geoms, props.iterrows(), strict=True):
        properties = {k: _clean(v) for k, v in row.items() if not _is_missing(v)}
        out.append(
            {
                "type": "Feature",
                "id": properties.get("id"),
                "properties": properties,
                "geometry": None if geom is None or geom.is_empty else mapping(_rfc7946(geom)),
            }
        )
    return out


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _rfc7946(geom: shapely.Geometry) -> shapely.Geometry:
    """Orient polygon rings as RFC 7946 asks: exteriors counter-clockwise, holes clockwise."""
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(geom, exterior_cw=False)
    return geom


def dumps_features(features: Iterable[dict[str, Any]], **members: Any) -> str:
    """Serialise features as a FeatureCollection string (one feature per line, for diffs)."""
    head = {"type": "FeatureCollection", **members}
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    prefix = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{prefix}, "features": [\n{body}\n]}}\n'


def write_layer(frame: gpd.GeoDataFrame, path: Path, inputs: tuple[Path, ...] = (), **members: Any) -> Path:
    """Write a layer as an RFC 7946 FeatureCollection, atomically."""
    text = dumps_features(frame_to_features(frame), **members)
    with atomic_path(path, inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
