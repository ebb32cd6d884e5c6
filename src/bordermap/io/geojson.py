"""GeoJSON layers: parse FeatureCollections into GeoDataFrames and write them back (RFC 7946).

Nested properties (lists, objects) stay Python objects in object columns; they are written back as
JSON. Coordinates are written with 7 decimals (about 1 cm), which keeps every source vertex.

Reading is strict, so that no command computes with a broken file: every structural fault (not
UTF-8, invalid JSON, NaN/Infinity, wrong geometry nesting, coordinates given as strings, unclosed
rings, longitude/latitude out of range, a ``crs`` member other than WGS84) raises a
:class:`~bordermap.errors.DataError` that names the file, the feature and the JSON Pointer of the
fault. GeoJSON larger than ``BORDERMAP_MAX_GEOJSON_MB`` (default 100) is refused before it is read:
parsing holds the whole file in memory, about ten times its size.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import atomic_path
from bordermap.model import CRS

COORD_DECIMALS = 7

#: Environment variable holding the largest JSON file read, in MB.
MAX_SIZE_ENV = "BORDERMAP_MAX_GEOJSON_MB"
DEFAULT_MAX_MB = 100.0

#: ``crs`` member values that mean WGS84 longitude/latitude (the only CRS RFC 7946 allows).
WGS84_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "OGC:CRS84",
        "CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG:4326",
    }
)

#: Nesting depth of ``coordinates`` per geometry type (1 = a single position).
_DEPTH = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "LinearRing": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def max_json_bytes() -> float:
    """The largest JSON file bordermap reads, from ``BORDERMAP_MAX_GEOJSON_MB`` (default 100 MB)."""
    value = os.environ.get(MAX_SIZE_ENV, "")
    if not value.strip():
        return DEFAULT_MAX_MB * 1e6
    try:
        limit = float(value)
    except ValueError:
        raise UsageError(f"{MAX_SIZE_ENV}={value!r}: expected a number of megabytes") from None
    if not limit > 0:
        raise UsageError(f"{MAX_SIZE_ENV}={value!r}: expected a positive number of megabytes")
    return limit * 1e6


def check_json_size(path: Path) -> None:
    """Refuse, unread, a JSON file larger than :func:`max_json_bytes` (raises OSError if unreadable)."""
    size = Path(path).stat().st_size
    if size > max_json_bytes():
        raise DataError(
            f"{path}: {size / 1e6:,.0f} MB is more than bordermap reads into memory "
            f"({max_json_bytes() / 1e6:,.0f} MB; parsing needs about ten times the file size). "
            f"Clip or simplify it first (e.g. ogr2ogr -clipsrc / -simplify), split it into the "
            f"layers of a dataset directory, or raise the limit with {MAX_SIZE_ENV}=<MB>",
            code="too-large",
        )


def read_json(path: Path, digests: dict[str, str] | None = None) -> Any:
    """Read a JSON file, turning every decoding failure into a :class:`DataError` that names it.

    Files larger than :func:`max_json_bytes` are refused unread, so memory stays bounded. Numbers
    must be finite doubles and integers within ±(2**53 − 1) (:func:`parse_json`). When
    ``digests`` is given, the SHA-256 of the bytes read is stored in it under the path.
    """
    path = Path(path)
    return loads_json(read_bytes(path, digests), path)


def read_bytes(path: Path, digests: dict[str, str] | None = None) -> bytes:
    """The bytes of a JSON file, refused unread when too large (see :func:`read_json`)."""
    try:
        check_json_size(path)
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})", code="unreadable") from exc
    if digests is not None:
        digests[str(path)] = hashlib.sha256(raw).hexdigest()
    return raw


def loads_json(raw: bytes | bytearray, path: Path) -> Any:
    """Decode the bytes of a JSON file by the rules of :func:`read_json`; errors name ``path``."""
    if not raw.strip():
        raise DataError(f"{path}: file is empty", code="empty-file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (byte {exc.start}); GeoJSON must be UTF-8 (RFC 7946 §11)",
            code="not-utf8",
        ) from exc
    try:
        obj = parse_json(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise DataError(f"{path}: invalid JSON at {where}: {exc.msg}", code="invalid-json") from exc
    except NumberRangeError as exc:
        raise DataError(f"{path}: {exc}", code="number-out-of-range") from exc
    except ValueError as exc:
        raise DataError(f"{path}: invalid JSON: {exc}", code="invalid-json") from exc
    except RecursionError as exc:
        raise DataError(f"{path}: invalid JSON: nested too deeply", code="invalid-json") from exc
    fault = json_fault(obj, surrogates=_ESCAPED_SURROGATE.search(text) is not None)
    if fault is not None:
        code, pointer, message = fault
        raise DataError(f"{path} {pointer or '/'}: {message}", code=code)
    return obj


#: How deep values may nest (outside geometry coordinates, which their type fixes). JSON lets a
#: reader set such a limit (RFC 8259 §9); deeper data is no border data, and breaks tools.
MAX_DEPTH = 32
#: A ``\uXXXX`` escape of a UTF-16 surrogate, the only way a lone surrogate gets into JSON text.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_fault(obj: Any, surrogates: bool = True) -> tuple[str, str, str] | None:
    r"""The first value no command can hold: nested too deeply, or a string with a lone surrogate.

    Returns ``(code, JSON Pointer, message)`` or None. Lone surrogates (``"\ud800"``) cannot be
    written as UTF-8, so I-JSON (RFC 7493 §2.1) forbids them. ``coordinates`` of geometry
    objects are skipped (:func:`geometry_problems` checks their nesting). The walk is iterative.

    Examples
    --------
    >>> json_fault({"a": ["ok", "bad \ud800"]})[:2]
    ('lone-surrogate', '/a/1')
    >>> deep = "x"
    >>> for _ in range(40): deep = [deep]
    >>> json_fault({"p": deep})[:2]
    ('too-deep', '/p/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0')
    """
    stack: list[tuple[Any, int, str]] = [(obj, 0, "")]
    while stack:
        value, depth, pointer = stack.pop()
        if isinstance(value, str):
            if surrogates and _SURROGATE.search(value):
                return "lone-surrogate", pointer, _surrogate_message(value)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            return "too-deep", pointer, f"values nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            geometry = "type" in value and "coordinates" in value
            for key, item in value.items():
                if surrogates and _SURROGATE.search(key):
                    return "lone-surrogate", pointer, _surrogate_message(key)
                if not (geometry and key == "coordinates"):
                    stack.append((item, depth + 1, f"{pointer}/{key}"))
        else:
            stack.extend((item, depth + 1, f"{pointer}/{i}") for i, item in enumerate(value))
    return None


def _surrogate_message(text: str) -> str:
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")[:60]
    return (
        f"text {shown!r} holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape), "
        f"which no UTF-8 file can hold (RFC 7493 §2.1); fix the escape"
    )


#: The largest integer bordermap reads: I-JSON's interoperable range (RFC 7493 §2.2), exactly
#: representable as a double, so every tool downstream (pandas, GDAL, browsers) agrees on it.
MAX_JSON_INT = 2**53 - 1


def may_hold_big_number(text: str) -> bool:
    """Whether JSON text may hold a number beyond a double's range or :data:`MAX_JSON_INT`.

    A quick pre-scan: the slow, checking parse runs only when this is true, and may then find
    nothing. True when the text has a run of 16 ASCII digits or more, or an exponent of three
    digits or more (``e``/``E``, an optional sign, three digits): what the regular expression
    ``[eE][+-]?[0-9]{3}|[0-9]{16}`` finds, in one vectorised pass (a regular expression takes
    about ten times longer on coordinates, which are all digits).

    Examples
    --------
    >>> [may_hold_big_number(t) for t in ("[1.5, 2e10]", "[1E+308]", "[1e-300]", "[9007199254740993]")]
    [False, True, True, True]
    >>> may_hold_big_number('{"name": "Type123", "n": 123456789012345}')  # "e123" in a string
    True
    >>> may_hold_big_number('{"name": "Type 123", "n": 123456789012345}')  # 15 digits are fine
    False
    """
    codes = np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8)
    digit = (codes - 48) < 10  # wraps below "0": one comparison
    breaks = np.flatnonzero(~digit)
    if np.diff(breaks, prepend=-1, append=len(codes)).max(initial=0) > 16:  # a run of 16 digits
        return True
    exponents = np.flatnonzero((codes | 0x20) == ord("e"))
    if not len(exponents):
        return False
    digit = np.concatenate((digit, np.zeros(4, bool)))
    codes = np.concatenate((codes, np.zeros(4, np.uint8)))
    after = exponents + 1 + ((codes[exponents + 1] == ord("+")) | (codes[exponents + 1] == ord("-")))
    return bool((digit[after] & digit[after + 1] & digit[after + 2]).any())


class NumberRangeError(ValueError):
    """A JSON number that is not a finite double, or an integer beyond ±(2**53 − 1)."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        shown = text if len(text) <= 24 else f"{text[:12]}…({len(text)} characters)"
        raise NumberRangeError(
            f"the number {shown} is beyond the range of a double (it would read as infinity); "
            f"write a finite number"
        )
    return value


def _safe_int(text: str) -> int:
    if len(text.lstrip("-")) > 16 or abs(value := int(text)) > MAX_JSON_INT:
        shown = text if len(text) <= 24 else f"{text[:12]}…({len(text)} digits)"
        raise NumberRangeError(
            f"the integer {shown} is beyond ±(2**53 − 1), the range JSON tools agree on "
            f"(RFC 7493 §2.2); write it as a string"
        )
    return value


def parse_json(text: str) -> Any:
    """Parse JSON text strictly: no NaN/Infinity, every number finite and within range.

    Raises :class:`json.JSONDecodeError`, :class:`NumberRangeError` (a ``ValueError``) or
    ``RecursionError``.

    Examples
    --------
    >>> parse_json('{"a": [1, 2.5]}')
    {'a': [1, 2.5]}
    >>> parse_json('[1e400]')  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    bordermap.io.geojson.NumberRangeError: the number 1e400 is beyond the range of a double
    """
    if not may_hold_big_number(text):
        return json.loads(text, parse_constant=_reject_constant)
    return json.loads(
        text, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_safe_int
    )


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON (RFC 8259) and GeoJSON do not.
    raise ValueError(f"{name} is not a JSON number (RFC 8259); write null or a finite number")


def crs_problem(obj: Mapping[str, Any]) -> str | None:
    """Why a GeoJSON object's ``crs`` member is not WGS84 longitude/latitude, or None if it is.

    Examples
    --------
    >>> print(crs_problem({"crs": {"type": "name", "properties": {"name": "EPSG:32642"}}})[:50])
    crs member names EPSG:32642; bordermap reads WGS84
    >>> crs_problem({"crs": {"type": "name", "properties": {"name": "OGC:CRS84"}}})
    """
    if "crs" not in obj or obj["crs"] is None:
        return None
    crs = obj["crs"]
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str) and name.strip() in WGS84_NAMES:
        return None
    shown = name if isinstance(name, str) else json.dumps(crs, ensure_ascii=False)[:80]
    return (
        f"crs member names {shown}; bordermap reads WGS84 longitude/latitude only (RFC 7946 §4): "
        f"reproject the file (e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)"
    )


def feature_collection(obj: Any, path: Path) -> list[dict[str, Any]]:
    """Return the features of a parsed GeoJSON object, or raise a :class:`DataError`."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise DataError(
            f"{path}: not GeoJSON (no top-level object with a 'type' member)", code="not-geojson"
        )
    kind = obj["type"]
    if kind == "Feature":
        raise DataError(
            f"{path}: a single Feature; wrap it in a FeatureCollection",
            code="not-feature-collection",
        )
    if kind != "FeatureCollection":
        raise DataError(
            f"{path}: GeoJSON type {str(kind)[:40]!r}; expected a FeatureCollection",
            code="not-feature-collection",
        )
    features = obj.get("features")
    if not isinstance(features, list):
        raise DataError(
            f"{path}: FeatureCollection has no 'features' array", code="not-feature-collection"
        )
    problem = crs_problem(obj)
    if problem:
        raise DataError(f"{path} /crs: {problem}", code="crs-not-wgs84")
    return features


def geometry_problems(geom: Any, pointer: str = "/geometry") -> list[tuple[str, str, str]]:
    """Structural faults of a GeoJSON geometry object, as ``(JSON Pointer, code, message)``.

    Checks the type, the nesting of ``coordinates``, that every position is 2 or 3 finite numbers
    (not strings), longitude/latitude ranges, and that lines have 2 and rings 4 positions, rings
    closed. ``LinearRing`` (not an RFC 7946 type, but what shapely writes for a ring) is read as
    a closed line. Numeric checks run on numpy arrays, one per position list.

    Examples
    --------
    >>> [(pointer, code) for pointer, code, _ in
    ...  geometry_problems({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]})]
    [('/geometry/coordinates/0', 'unclosed-ring')]
    >>> geometry_problems({"type": "Point", "coordinates": ["71.5", "40.1"]})[0][1:]
    ('coordinates-not-numbers', "coordinates are strings ('71.5'); write them as JSON numbers")
    """
    if geom is None:
        return []
    if not isinstance(geom, dict):
        return [(pointer, "geometry-type", "geometry must be a GeoJSON geometry object or null")]
    kind = geom.get("type")
    if kind == "GeometryCollection":
        parts = geom.get("geometries")
        if not isinstance(parts, list):
            return [
                (
                    f"{pointer}/geometries",
                    "geometry-coordinates",
                    "GeometryCollection needs a 'geometries' array",
                )
            ]
        return [
            p
            for i, g in enumerate(parts)
            for p in geometry_problems(g, f"{pointer}/geometries/{i}")
        ]
    if kind not in _DEPTH:
        return [(f"{pointer}/type", "geometry-type", f"unknown geometry type {kind!r}")]
    if "coordinates" not in geom:
        return [(f"{pointer}/coordinates", "geometry-coordinates", f"{kind} has no 'coordinates'")]
    problems: list[tuple[str, str, str]] = []
    ring_depth = 2 if kind in ("Polygon", "MultiPolygon") else 0
    _check_nesting(
        geom["coordinates"], _DEPTH[kind], f"{pointer}/coordinates", kind, ring_depth, problems
    )
    return problems


def _check_nesting(
    value: Any,
    depth: int,
    pointer: str,
    kind: str,
    ring_depth: int,
    problems: list[tuple[str, str, str]],
    nested: bool = False,
) -> None:
    """Walk the coordinate arrays down to position lists (depth 2) and check those with numpy.

    Only the outermost array may be empty (an empty geometry); an empty ring or line inside a
    Polygon or Multi geometry is a fault.
    """
    if depth == 1:
        _check_positions([value], pointer, kind, closed=False, problems=problems, single=True)
        return
    if not isinstance(value, (list, tuple)):
        problems.append(
            (
                pointer,
                "geometry-coordinates",
                f"{kind} coordinates nested wrongly: expected an array",
            )
        )
        return
    if depth == 2:
        closed = kind == "LinearRing" or ring_depth == 2
        if not value and nested:  # [[[]]]: a polygon with an empty ring is not an empty polygon
            need = "a ring needs at least 4 positions" if closed else "a line needs at least 2 positions"
            problems.append((pointer, "too-few-positions", f"0 positions; {need}"))
            return
        _check_positions(value, pointer, kind, closed, problems)
        return
    for i, part in enumerate(value):
        _check_nesting(part, depth - 1, f"{pointer}/{i}", kind, ring_depth, problems, nested=True)


def _check_positions(
    positions: list[Any] | tuple[Any, ...],
    pointer: str,
    kind: str,
    closed: bool,
    problems: list[tuple[str, str, str]],
    single: bool = False,
) -> None:
    least = 4 if closed else 2 if kind in ("LineString", "MultiLineString") else 1
    if not positions:  # an empty geometry (RFC 7946 §3.1 lets readers take it as null)
        return
    try:
        xy = np.asarray(positions)
        numeric = xy.dtype.kind in "fi" and xy.ndim == 2 and xy.shape[1] in (2, 3)
    except ValueError:  # ragged nesting
        numeric = False
    if not numeric:
        problems.append(_position_fault(positions, pointer, single))
        return
    where = pointer if single else None
    if not np.isfinite(xy).all():
        problems.append(
            (where or pointer, "coordinates-not-finite", "coordinates contain NaN or Infinity")
        )
        return
    lon, lat = xy[:, 0], xy[:, 1]
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        bad = int(np.flatnonzero((np.abs(lon) > 180) | (np.abs(lat) > 90))[0])
        problems.append(
            (where or f"{pointer}/{bad}", "coordinates-out-of-range", out_of_range_message(xy))
        )
        return
    if closed and not np.array_equal(xy[0], xy[-1]):
        problems.append(
            (
                pointer,
                "unclosed-ring",
                (
                    f"ring is not closed (first position {xy[0].tolist()}, "
                    f"last {xy[-1].tolist()}); a ring needs at least 4 positions, "
                    f"the last equal to the first (RFC 7946 §3.1.6)"
                ),
            )
        )
    elif len(xy) < least:
        need = (
            "a ring needs at least 4 positions" if closed else "a line needs at least 2 positions"
        )
        problems.append((pointer, "too-few-positions", f"{len(xy)} position(s); {need}"))


def _position_fault(positions: list[Any] | tuple[Any, ...], pointer: str, single: bool) -> tuple[str, str, str]:
    """Find and describe the first malformed position (slow path, taken only on error)."""
    for i, pos in enumerate(positions):
        where = pointer if single else f"{pointer}/{i}"
        if not isinstance(pos, (list, tuple)):
            return (
                where,
                "geometry-coordinates",
                f"a position must be an array of numbers, not {json.dumps(pos)[:40]}",
            )
        if any(isinstance(value, (list, tuple)) for value in pos):
            return (
                where,
                "geometry-coordinates",
                "coordinates nested too deeply: a position is an array of numbers",
            )
        if len(pos) not in (2, 3):
            return where, "geometry-coordinates", f"a position has 2 or 3 numbers, not {len(pos)}"
        for value in pos:
            if isinstance(value, str):
                return (
                    where,
                    "coordinates-not-numbers",
                    f"coordinates are strings ({value!r}); write them as JSON numbers",
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return (
                    where,
                    "coordinates-not-numbers",
                    f"coordinate {json.dumps(value)[:40]} is not a number",
                )
    return pointer, "geometry-coordinates", "positions nested wrongly"


def frame_problems(frame: gpd.GeoDataFrame) -> list[tuple[str, str, str]]:
    """The read-stage (RFC 7946) faults of features another reader already parsed.

    The same rules, codes and messages as :func:`geometry_problems` and :func:`crs_problem`, for
    a GeoDataFrame from GDAL or GeoParquet (large files, :mod:`bordermap.io.readers`): a CRS
    other than WGS84 longitude/latitude, non-finite coordinates, coordinates out of range
    (named projected metres above 1000), and numbers in properties that are not finite.
    Returns ``(feature label, code, message)`` tuples, at most one per rule.

    Examples
    --------
    >>> import shapely
    >>> frame = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[shapely.Point(70, 40),
    ...     shapely.Point(700, 139)], crs="EPSG:4326")
    >>> [(label, code) for label, code, _ in frame_problems(frame)]
    [('b', 'coordinates-out-of-range')]
    """
    from pyproj import CRS as ProjCRS

    out: list[tuple[str, str, str]] = []
    if frame.crs is not None and not ProjCRS(frame.crs).equals("OGC:CRS84", ignore_axis_order=True):
        out.append(("", "crs-not-wgs84", crs_problem({"crs": {"properties": {"name": frame.crs.to_string()}}})
                    or "not WGS84"))
    labels = [feature_label(r, i) for i, r in enumerate(frame[["id"]].to_dict("records"))] if (
        "id" in frame.columns) else [f"#{i}" for i in range(len(frame))]
    # Per geometry, without copying the coordinates out: a NaN or infinite vertex makes a line's
    # or ring's planar length non-finite; points (and collections, which may hold points) are
    # checked vertex by vertex. The bounds of the finite vertices give the range check.
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~shapely.is_missing(geoms)
    pointish = present & np.isin(shapely.get_type_id(geoms), (0, 4, 7))
    bad = present & ~pointish & ~np.isfinite(shapely.length(geoms))
    if pointish.any():
        xy, index = shapely.get_coordinates(geoms[pointish], return_index=True)
        bad[np.flatnonzero(pointish)[np.unique(index[~np.isfinite(xy).all(axis=1)])]] = True
    if bad.any():
        out.append((labels[int(np.flatnonzero(bad)[0])], "coordinates-not-finite",
                    "coordinates contain NaN or Infinity"))
    bounds = shapely.bounds(geoms[present & ~bad])
    corners = np.c_[bounds[:, [0, 2]].ravel(), bounds[:, [1, 3]].ravel()]
    corners = corners[np.isfinite(corners).all(axis=1)]  # empty geometries have NaN bounds
    outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
    if outside.any():
        at = np.flatnonzero(present & ~bad)[np.flatnonzero(outside)[0]]
        out.append((labels[int(at)], "coordinates-out-of-range", out_of_range_message(corners)))
    for column in frame.columns.drop(frame.geometry.name):
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and np.isinf(values.to_numpy()).any():
            at = int(np.flatnonzero(np.isinf(values.to_numpy()))[0])
            out.append((f"{labels[at]} /{column}", "number-out-of-range",
                        "a number beyond the range of a double (infinity); write a finite number"))
            break
    return out


def out_of_range_message(xy: np.ndarray) -> str:
    """Describe coordinates outside longitude ±180 / latitude ±90, naming projected metres."""
    x_max, y_max = float(np.abs(xy[:, 0]).max()), float(np.abs(xy[:, 1]).max())
    if max(x_max, y_max) > 1000:
        return (
            f"coordinates look like projected metres (x up to {x_max:,.0f}, "
            f"y up to {y_max:,.0f}), not "
            f"WGS84 longitude/latitude: reproject to EPSG:4326 (e.g. ogr2ogr -t_srs EPSG:4326)"
        )
    return (
        f"longitude/latitude out of range (|x| up to {x_max:g}, |y| up to {y_max:g}; "
        f"longitude must be within ±180, latitude within ±90)"
    )


def _geometry(geom: Any, path: Path, where: str) -> shapely.Geometry | None:
    if geom is None:
        return None
    problems = geometry_problems(geom)
    if problems:
        pointer, code, message = problems[0]
        raise DataError(f"{path}:{where} {pointer}: {message} [{code}]", code=code)
    try:
        return shape(geom)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        message = f"{path}:{where} /geometry: cannot be read as GeoJSON geometry ({exc})"
        raise DataError(message, code="geometry-coordinates") from exc


def feature_properties(feature: Any, index: int, path: Path) -> dict[str, Any]:
    """The properties of a GeoJSON feature, with the feature's ``id`` as ``id`` if they lack one."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise DataError(f"{path}:#{index}: not a GeoJSON Feature", code="not-a-feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise DataError(
            f"{path}:#{index} /properties: must be an object or null", code="properties-not-object"
        )
    row = dict(props)
    if "id" not in row and "id" in feature:
        row["id"] = feature["id"]
    return row


def feature_label(props: Mapping[str, Any], index: int) -> str:
    """How messages name a feature: its id, or ``#index`` when it has no usable id."""
    fid = props.get("id")
    return (
        str(fid)
        if isinstance(fid, (str, int)) and not isinstance(fid, bool) and str(fid)
        else f"#{index}"
    )


def features_to_frame(features: list[Any], path: Path) -> gpd.GeoDataFrame:
    """Turn GeoJSON features into a GeoDataFrame, one column per property."""
    return _frame(*_rows_geoms(features, path))


def _rows_geoms(features: list[Any], path: Path) -> tuple[list[dict[str, Any]], list[shapely.Geometry | None]]:
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    for index, feature in enumerate(features):
        row = feature_properties(feature, index, path)
        rows.append(row)
        geoms.append(_geometry(feature.get("geometry"), path, feature_label(row, index)))
    return rows, geoms


def _frame(rows: list[dict[str, Any]], geoms: Any) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    for column in ("id", "kind"):
        if column not in frame.columns:
            frame[column] = None
    return frame


def read_layer(path: Path, digests: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """Read one GeoJSON FeatureCollection file as a layer (``digests``: see :func:`read_json`).

    A file read successfully before is taken from :mod:`bordermap.io.layercache` (same bytes,
    same reader: the same frame), without parsing it again.
    """
    from bordermap.io import layercache

    path = Path(path)
    taken: dict[str, str] = {}
    raw = read_bytes(path, taken)
    if digests is not None:
        digests.update(taken)
    digest = taken[str(path)]
    known = layercache.recall(digest)
    if known is not None:
        return _frame(*known)
    rows, geoms = _rows_geoms(feature_collection(loads_json(raw, path), path), path)
    frame = _frame(rows, geoms)
    layercache.remember(digest, len(raw), rows, geoms)
    return frame


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


#: Properties the data model requires on every feature even when null (``precision_m`` is null
#: exactly when the geometry is), so they are written as null rather than left out.
ALWAYS_WRITTEN: frozenset[str] = frozenset({"precision_m"})


def frame_properties(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The properties of each row of a layer as JSON-ready dicts (missing values left out)."""
    props = frame.drop(columns=frame.geometry.name)
    return [
        {
            k: None if _is_missing(v) else _clean(v)
            for k, v in row.items()
            if k in ALWAYS_WRITTEN or not _is_missing(v)
        }
        for _, row in props.iterrows()
    ]


def frame_to_features(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Turn a layer back into GeoJSON feature dicts (coordinates rounded to 7 decimals)."""
    frame = frame.to_crs(CRS) if frame.crs is not None and frame.crs != CRS else frame
    geoms = shapely.set_precision(frame.geometry.values, 10.0**-COORD_DECIMALS, mode="pointwise")
    out = []
    for geom, properties in zip(geoms, frame_properties(frame), strict=True):
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
    """Orient polygon rings as RFC 7946 asks, and write rings as closed LineStrings.

    Exteriors are counter-clockwise and holes clockwise; rings become the closed LineStrings they
    are, as RFC 7946 has no LinearRing type.
    """
    if geom.geom_type == "LinearRing":
        return shapely.LineString(geom.coords)
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(geom, exterior_cw=False)
    return geom


def dumps_features(features: Iterable[dict[str, Any]], **members: Any) -> str:
    """Serialise features as a FeatureCollection string (one feature per line, for diffs)."""
    head = {"type": "FeatureCollection", **members}
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    prefix = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{prefix}, "features": [\n{body}\n]}}\n'


def write_layer(
    frame: gpd.GeoDataFrame, path: Path, inputs: tuple[Path, ...] = (), **members: Any
) -> Path:
    """Write a layer as an RFC 7946 FeatureCollection, atomically."""
    text = dumps_features(frame_to_features(frame), **members)
    with atomic_path(path, inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
