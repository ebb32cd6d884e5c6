"""Turn a user's KML, GeoPackage, Shapefile or CSV into data-model features (``bordermap import``).

Reading is pyogrio's (GDAL), reprojection geopandas' (pyproj). The attributes the data model needs
and the input lacks come from an :class:`ImportSpec` (the command's options); :func:`missing`
lists those that are still needed, each with the option that supplies it. The input file is only
ever read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj.exceptions import CRSError
from shapely.geometry import mapping

from bordermap.errors import DataError, UsageError
from bordermap.io.geojson import geometry_problems
from bordermap.model import CRS
from bordermap.text import slug

log = logging.getLogger(__name__)

#: Layers a file can be imported into, with the ``kind`` their features get.
KINDS: dict[str, str] = {
    "boundary": "boundary",
    "areas": "claim_area",
    "sections": "disputed_section",
    "places": "place",
    "incidents": "incident",
}

#: Geometry types each layer accepts (null geometry is allowed where the data model allows it).
GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "boundary": ("LineString", "MultiLineString"),
    "areas": ("Polygon", "MultiPolygon"),
    "sections": ("LineString", "MultiLineString", "Polygon", "MultiPolygon", "Point", "MultiPoint"),
    "places": ("Point",),
    "incidents": ("Point", "MultiPoint"),
}

_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass
class ImportSpec:
    """What to import and the attributes the input does not carry.

    Parameters
    ----------
    layer
        Target layer: boundary, areas, sections, places or incidents.
    id_field, name_field
        Input columns holding each feature's id and English name (``name_field`` defaults to a
        column called ``name``, any case, when there is one).
    sides
        ``(left, right)`` ISO2 codes of imported boundary lines.
    depiction
        Depiction id the imported lines or polygons belong to.
    status
        Status of every imported feature (boundary, areas, sections).
    source_id
        Source every feature cites; ``source`` holds the fields of its ``sources.json`` record
        (title, url, kind, license, attribution) for a source new to the dataset.
    precision_m
        Horizontal uncertainty of the geometry in metres.
    kind
        Areas only: ``country_region``, ``claim_area``, ``swap_area``, ``enclave``, ``exclave``.
    date_field
        Incidents: column holding ``date_start``.
    keep_fields
        Input columns copied as they are into the features' properties.
    properties
        Constant properties set on every feature (``--set KEY=VALUE``).
    lon_field, lat_field, wkt_field
        CSV geometry columns.
    crs
        CRS of the input when it does not say (or to override what it says).
    input_layer
        Layer to read from a multi-layer input (GeoPackage, KML folders).
    geometry_method
        How the geometry was obtained; default: named after the file and its CRS.
    encoding
        Text encoding of the input's attributes when it does not say (a shapefile without
        ``.cpg``, a CSV not in UTF-8); passed to GDAL.
    """

    layer: str = "boundary"
    id_field: str | None = None
    name_field: str | None = None
    sides: tuple[str, str] | None = None
    depiction: str | None = None
    status: str | None = None
    source_id: str | None = None
    source: dict[str, Any] | None = None
    precision_m: float | None = None
    kind: str | None = None
    date_field: str | None = None
    keep_fields: tuple[str, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict)
    lon_field: str | None = None
    lat_field: str | None = None
    wkt_field: str | None = None
    crs: str | None = None
    input_layer: str | None = None
    geometry_method: str | None = None
    encoding: str | None = None


def parse_assignment(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` with VALUE read as JSON when it parses, else as a string.

    Examples
    --------
    >>> parse_assignment('claimed_by=["KG"]'), parse_assignment("note=from the 1927 map")
    (('claimed_by', ['KG']), ('note', 'from the 1927 map'))
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set {text!r}: expected KEY=VALUE")
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".tsv", ".txt")


def read_input(path: Path, spec: ImportSpec) -> tuple[gpd.GeoDataFrame, str]:
    """Read the input into a GeoDataFrame in WGS84; also return the CRS it was read in.

    Raises a :class:`DataError` naming the file when it cannot be read, has no CRS (and no
    ``--crs`` was given), or has several layers and no ``--input-layer``.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    with contextlib.ExitStack() as stack:
        readable = _unpacked(path, stack) if path.suffix.lower() == ".kmz" else path
        frame = _read(readable, path, spec)
    if _is_csv(path):
        _check_count(path, len(frame))
    return _to_wgs84(frame, path, spec)


def _read(path: Path, shown: Path, spec: ImportSpec) -> gpd.GeoDataFrame:
    """Read with GDAL; errors name ``shown`` (the file the user gave)."""
    import pyogrio
    import pyogrio.errors

    options: dict[str, Any] = {}
    if spec.encoding:
        options["encoding"] = spec.encoding
    elif path.suffix.lower() in (".shp", ".dbf"):
        options |= _dbf_encoding(path)
    try:
        if _is_csv(path):
            options |= _csv_options(path, spec)
        else:
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
            if not layers:
                raise DataError(f"{shown}: holds no features (no layer, no placemark)", code="no-features")
            if spec.input_layer is None and len(layers) > 1:
                raise UsageError(
                    f"{path}: has {len(layers)} layers ({', '.join(layers)}); "
                    "choose one with --input-layer"
                )
            if spec.input_layer is not None and spec.input_layer not in layers:
                raise UsageError(
                    f"{path}: no layer {spec.input_layer!r}; layers: {', '.join(layers)}"
                )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pyogrio.read_dataframe(path, layer=spec.input_layer, **options)
        # GDAL's and shapely's remarks on the input reach the user as log lines, not raw warnings.
        for remark in caught:
            log.warning("%s: %s", path, remark.message)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{shown}: cannot read ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{shown}: not {spec.encoding or 'UTF-8'} text (byte {exc.start}); say its encoding "
            f"with --encoding (e.g. --encoding cp1251)",
            code="encoding",
        ) from exc
    except LookupError as exc:
        raise UsageError(f"--encoding {spec.encoding}: {exc}") from exc
    except shapely.errors.GEOSException as exc:  # GDAL passes on rings shapely cannot build
        raise DataError(f"{shown}: invalid geometry ({exc})") from exc
    return frame


def _unpacked(path: Path, stack: contextlib.ExitStack) -> Path:
    """The KML inside a KMZ, extracted with its size checked while inflating (no zip bombs).

    The limit is :func:`bordermap.io.geojson.max_json_bytes`; the declared sizes are not
    trusted: reading stops one byte past the limit.
    """
    import tempfile
    import zipfile

    from bordermap.io.geojson import MAX_SIZE_ENV, max_json_bytes

    limit = int(max_json_bytes())
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
        names = [i for i in archive.infolist() if i.filename.lower().endswith(".kml")]
        if not names:
            raise DataError(f"{path}: a KMZ without a .kml file", code="no-features")
        entry = next((i for i in names if i.filename.lower() == "doc.kml"), names[0])
        if entry.file_size > limit:
            raise DataError(_too_big(path, entry.file_size, limit, MAX_SIZE_ENV), code="too-large")
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bordermap-kmz-")))
        out = folder / "doc.kml"
        written = 0
        with archive.open(entry) as source, open(out, "wb") as sink:
            while block := source.read(1 << 20):
                written += len(block)
                if written > limit:
                    raise DataError(_too_big(path, written, limit, MAX_SIZE_ENV), code="too-large")
                sink.write(block)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise DataError(f"{path}: not a readable KMZ (zip) file ({exc})", code="unreadable") from exc
    return out


def _too_big(path: Path, size: int, limit: int, env: str) -> str:
    return (
        f"{path}: its KML inflates to more than {limit / 1e6:,.0f} MB ({size / 1e6:,.0f} MB or "
        f"more); bordermap refuses it before inflating further (raise the limit with {env}=<MB>)"
    )


def _dbf_encoding(path: Path) -> dict[str, Any]:
    """How to decode a shapefile's attributes when it does not say (no .cpg, no code page byte).

    GDAL then assumes ISO-8859-1, which turns Cyrillic (cp1251) into nonsense without a word.
    Text that is plain ASCII or valid UTF-8 is read as UTF-8; anything else is refused until
    ``--encoding`` says what it is.
    """
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.is_file()), None)
    cpg = [p for p in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if p.is_file()]
    if dbf is None or cpg:
        return {}
    raw = dbf.read_bytes()
    if len(raw) < 32 or raw[29] != 0:  # byte 29: the language driver id (code page) GDAL reads
        return {}
    header = int.from_bytes(raw[8:10], "little")
    body = raw[header:]
    if body.isascii():
        return {}
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(
            f"{path}: the attributes are not UTF-8 and the shapefile does not say its encoding "
            f"(no .cpg file, no code page in the .dbf); say it with --encoding (e.g. --encoding "
            f"cp1251 for Cyrillic, latin1 for Western European)",
            code="encoding",
        ) from None
    return {"encoding": "utf-8"}


def _check_count(path: Path, read: int) -> None:
    """Refuse a CSV of which GDAL read fewer rows than it holds (it skips over-long rows)."""
    import csv
    import sys

    csv.field_size_limit(sys.maxsize)
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
            rows = sum(1 for row in csv.reader(handle) if row) - 1
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV ({exc})", code="unreadable") from exc
    if rows != read:
        raise DataError(
            f"{path}: holds {rows} data row(s) but only {read} could be read (GDAL skips rows "
            f"longer than it reads, e.g. a huge cell); nothing imported",
            code="rows-skipped",
        )


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path, spec: ImportSpec) -> tuple[gpd.GeoDataFrame, str]:
    if spec.crs:
        try:
            frame = frame.set_crs(spec.crs, allow_override=True)
        except CRSError as exc:
            message = f"--crs {spec.crs}: not a coordinate reference system ({exc})"
            raise UsageError(message) from exc
    elif frame.crs is None:
        if not _is_csv(path):
            raise DataError(
                f"{path}: the file does not say its coordinate reference system; pass --crs "
                f"(e.g. --crs EPSG:32642 for UTM zone 42N)"
            )
        frame = frame.set_crs(CRS)  # lon/lat columns: WGS84 unless --crs says otherwise
    source_crs = frame.crs.to_string()
    frame["geometry"] = shapely.force_2d(frame.geometry.values)  # KML altitudes are 0, not data
    return frame.to_crs(CRS), source_crs


def _csv_options(path: Path, spec: ImportSpec) -> dict[str, Any]:
    """GDAL CSV open options for the geometry columns, after checking they exist."""
    import pyogrio

    columns = [str(c) for c in pyogrio.read_info(path)["fields"]]
    wanted = [c for c in (spec.lon_field, spec.lat_field, spec.wkt_field) if c]
    absent = [c for c in wanted if c not in columns]
    if absent:
        raise UsageError(
            f"{path}: no column {', '.join(map(repr, absent))}; columns: {', '.join(columns)}"
        )
    if spec.wkt_field:
        return {"GEOM_POSSIBLE_NAMES": spec.wkt_field, "KEEP_GEOM_COLUMNS": "NO"}
    if spec.lon_field and spec.lat_field:
        return {
            "X_POSSIBLE_NAMES": spec.lon_field,
            "Y_POSSIBLE_NAMES": spec.lat_field,
            "KEEP_GEOM_COLUMNS": "NO",
        }
    raise UsageError(
        f"{path}: a CSV needs --lon-field and --lat-field, or --wkt-field, to say where its "
        f"geometry is (columns: {', '.join(columns)})"
    )


def name_column(frame: pd.DataFrame, spec: ImportSpec) -> str | None:
    """Return the column the names come from: ``--name-field``, else one called ``name``."""
    if spec.name_field:
        return spec.name_field
    return next((str(c) for c in frame.columns if str(c).lower() == "name"), None)


def missing(frame: pd.DataFrame, spec: ImportSpec, known_sources: set[str] | None) -> list[str]:
    """List the attributes still needed, each as ``attribute (option that supplies it)``.

    Parameters
    ----------
    frame
        The input as read.
    spec
        What the options supply.
    known_sources
        Source ids the output's ``sources.json`` already has (None: a single file, no registry).
    """
    need: list[str] = []
    columns = {str(c) for c in frame.columns}
    for option, column in (
        ("--id-field", spec.id_field),
        ("--name-field", spec.name_field),
        ("--date-field", spec.date_field),
        *(("--keep-field", c) for c in spec.keep_fields),
    ):
        if column and column not in columns:
            need.append(
                f"column {column!r} given by {option} "
                f"(the input has {', '.join(sorted(columns)) or 'none'})"
            )
    if name_column(frame, spec) is None:
        need.append("names/en (--name-field F: the column holding each feature's name)")
    if not spec.source_id:
        need.append(
            "sources (--source-id ID, plus --source-title T for a source new to the dataset)"
        )
    elif known_sources is not None and spec.source_id not in known_sources:
        # A source new to the dataset: its sources.json record needs a title, and a dataset's
        # record its license and attribution (the sources schema).
        record = source_record(spec)
        wanted = ["title"] + (["license", "attribution"] if record["kind"] == "dataset" else [])
        need += [
            f"{key} of the new source {spec.source_id!r} (--source-{key} TEXT)"
            for key in wanted
            if not record.get(key)
        ]
    if spec.precision_m is None:
        need.append("precision_m (--precision-m METRES: horizontal uncertainty of the geometry)")
    if spec.layer in ("boundary", "areas") and not spec.depiction:
        need.append(
            "depiction (--depiction NAME: which depiction of the line this is, e.g. survey2024)"
        )
    if spec.layer == "boundary" and not spec.sides:
        need.append(
            "sides (--sides LEFT RIGHT: the ISO2 codes left and right of the line's direction)"
        )
    if (
        spec.layer == "areas"
        and (spec.kind or KINDS["areas"]) == "country_region"
        and "country" not in spec.properties
    ):
        need.append("country (--set country=ISO2: whose region the polygons are)")
    if spec.layer == "incidents" and not spec.date_field and "date_start" not in spec.properties:
        need.append("date_start (--date-field F, or --set date_start=YYYY-MM-DD)")
    return need


def to_features(
    frame: gpd.GeoDataFrame, spec: ImportSpec, path: Path, source_crs: str
) -> gpd.GeoDataFrame:
    """Build the data-model layer from the input (call only once :func:`missing` is empty)."""
    if spec.sides and not all(_ISO2.match(c) for c in spec.sides):
        raise UsageError(f"--sides {' '.join(spec.sides)}: expected two ISO2 codes such as KG UZ")
    ids = _ids(frame, spec, path)
    names = frame[name_column(frame, spec)]
    method = spec.geometry_method or (
        f"imported from {path.name}"
        + (f" layer {spec.input_layer}" if spec.input_layer else "")
        + ("" if source_crs == CRS else f", reprojected from {source_crs} to WGS84 (pyproj)")
    )
    rows = []
    for index, (fid, name, geom) in enumerate(zip(ids, names, frame.geometry.values, strict=True)):
        label = f"{path}:{fid}"
        _check_geometry(geom, spec.layer, label)
        row: dict[str, Any] = {
            "id": fid,
            "kind": spec.kind or KINDS[spec.layer],
            "names": {"en": _text(name, f"{label} names/en")},
            "sources": [{"property": "", "source_id": spec.source_id, "record_id": fid}],
            "geometry_method": method,
            "precision_m": spec.precision_m if geom is not None else None,
        }
        if spec.depiction:
            row["depiction"] = spec.depiction
        if spec.layer == "boundary":
            row |= {"sides": list(spec.sides or ()), "part": "main"}
        if spec.status:
            row["status"] = spec.status
        if spec.date_field:
            row["date_start"] = _text(frame[spec.date_field].iloc[index], f"{label} date_start")
        for column in spec.keep_fields:
            row[column] = _plain(frame[column].iloc[index])
        row |= spec.properties
        row["geometry"] = geom
        rows.append(row)
    table = (
        pd.DataFrame(rows, dtype=object)
        if rows
        else pd.DataFrame({"id": [], "kind": [], "geometry": []})
    )
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(table.pop("geometry"), crs=CRS), crs=CRS)


def _ids(frame: pd.DataFrame, spec: ImportSpec, path: Path) -> list[str]:
    if spec.id_field:
        ids = [
            _text(v, f"{path}:#{i} id (column {spec.id_field})")
            for i, v in enumerate(frame[spec.id_field])
        ]
    else:  # stable as long as the file keeps its order
        ids = [f"{slug(path.stem) or 'feature'}_{i + 1}" for i in range(len(frame))]
    seen: set[str] = set()
    for fid in ids:
        if fid in seen:
            raise DataError(
                f"{path}: id {fid!r} occurs twice (column {spec.id_field}); ids must be unique"
            )
        seen.add(fid)
    return ids


def _text(value: Any, where: str) -> str:
    value = _plain(value)
    if value is None or str(value).strip() == "":
        raise DataError(f"{where}: empty")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain(value: Any) -> Any:
    """Return a JSON-ready scalar (numpy scalars unwrapped, NaN/NaT → None, dates → ISO)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _check_geometry(geom: Any, layer: str, label: str) -> None:
    if geom is None or geom.is_empty:
        if layer in ("boundary", "areas", "places"):
            raise DataError(f"{label} /geometry: missing; every {layer} feature needs a geometry")
        return
    if geom.geom_type not in GEOMETRY_TYPES[layer]:
        raise DataError(
            f"{label} /geometry: {geom.geom_type} cannot go into the {layer} layer "
            f"(expected {' or '.join(GEOMETRY_TYPES[layer])})"
        )
    problems = geometry_problems(mapping(geom))
    if problems:
        pointer, code, message = problems[0]
        raise DataError(f"{label} {pointer}: {message} [{code}]", code=code)


def source_record(spec: ImportSpec) -> dict[str, Any]:
    """Return the ``sources.json`` record of a new source, from the ``--source-*`` options."""
    record = {"id": spec.source_id, "kind": "dataset", "party": "none", **(spec.source or {})}
    return {k: v for k, v in record.items() if v is not None}


def _merge(existing: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Features of ``existing`` whose ids are not in ``new``, then ``new`` (re-import replaces)."""
    kept = existing[~existing["id"].isin(list(new["id"]))]
    if kept.empty:
        return new
    return gpd.GeoDataFrame(pd.concat([kept, new], ignore_index=True), geometry="geometry", crs=CRS)


def _depiction(spec: ImportSpec) -> dict[str, Any]:
    return {
        "id": spec.depiction,
        "title": spec.depiction,
        "source_id": spec.source_id,
        "precision_m": spec.precision_m,
    }


def _countries(codes: Sequence[str]) -> dict[str, dict[str, str]]:
    from bordermap.countries import country_name

    return {code: {"name": country_name(code)} for code in codes}


def run_import(path: Path, out: Path, spec: ImportSpec) -> tuple[Path, int]:
    """Import ``path`` into ``out``; return the file written and the number of features.

    ``out`` is a ``.geojson`` file (a single-file dataset) or a dataset directory.

    A dataset directory gets the features added to its layer (replacing features with the same
    id), the source added to ``sources.json`` and the depiction and countries to ``dataset.json``.
    A directory without ``dataset.json`` becomes a new dataset when a boundary is imported with
    ``--sides`` and ``--depiction``. A ``.geojson`` output is a single-file dataset.
    """
    from bordermap.io.atomic import check_output_path

    path, out = Path(path), Path(out)
    single = out.suffix.lower() in (".geojson", ".json")
    # Refuse an unwritable output before reading anything.
    target = check_output_path(out if single else out / f"{spec.layer}.geojson", inputs=(path,))
    if not single and out.resolve() in path.resolve().parents:
        raise UsageError(
            f"{path}: the input lies inside the dataset {out} it would be imported into; "
            f"copy it out of the dataset first"
        )
    if single:
        return _import(path, out, spec, target, single)
    with locked(out if out.is_dir() else out.parent):
        return _import(path, out, spec, target, single)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock (``flock``) on a directory: one import into a dataset at a time.

    Where ``flock`` does not exist (Windows) nothing is locked; staging still keeps each import
    whole.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - POSIX only
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _import(path: Path, out: Path, spec: ImportSpec, target: Path, single: bool) -> tuple[Path, int]:
    from bordermap.io.dataset import META_FILE, SOURCES_FILE, load
    from bordermap.io.geojson import write_layer
    from bordermap.model import Dataset

    existing = load(out) if not single and (out / META_FILE).is_file() else None
    if (
        not single
        and existing is None
        and (spec.layer != "boundary" or not spec.sides or not spec.depiction)
    ):
        raise UsageError(
            f"{out}: not a dataset (no {META_FILE}): create it with bordermap init, or import a "
            f"boundary with --sides and --depiction first, or write a single .geojson file"
        )
    frame, source_crs = read_input(path, spec)
    known = None if single else set(existing.sources if existing else ())
    need = missing(frame, spec, known)
    if need:
        lines = "\n".join(f"  - {item}" for item in need)
        raise UsageError(
            f"{path}: {len(need)} required attribute(s) missing; supply them with options:\n{lines}"
        )
    layer = to_features(frame, spec, path, source_crs)
    if single:
        layer["layer"] = spec.layer
        meta: dict[str, Any] = {}
        if spec.sides:
            meta |= {"pair": list(spec.sides), "countries": _countries(spec.sides)}
        if spec.depiction:
            meta["depictions"] = [_depiction(spec)]
        members = {"bordermap": meta} if meta else {}
        return write_layer(layer, out, inputs=(path,), **members), len(layer)
    dataset = existing or Dataset(
        meta={
            "id": out.name,
            "title": out.name,
            "pair": list(spec.sides or ()),
            "countries": {},
            "depictions": [],
            "schema_version": "1",
        }
    )
    meta = dataset.meta
    as_read = json.dumps(meta, sort_keys=True) if existing is not None else None
    if spec.depiction and spec.depiction not in dataset.depictions:
        meta.setdefault("depictions", []).append(_depiction(spec))
    countries = meta.setdefault("countries", {})
    for code, record in _countries([c for c in spec.sides or () if c not in countries]).items():
        countries[code] = record
    changes = {out / f"{spec.layer}.geojson": _merged_layer(out / f"{spec.layer}.geojson", layer)}
    if json.dumps(meta, sort_keys=True) != as_read:  # dataset.json only when its content changes
        changes[out / META_FILE] = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    if spec.source_id not in dataset.sources:
        changes[out / SOURCES_FILE] = _with_record(out / SOURCES_FILE, source_record(spec))
    out.mkdir(parents=True, exist_ok=True)
    write_files(changes, inputs=(path,))
    return target, len(layer)


def _merged_layer(path: Path, new: gpd.GeoDataFrame) -> str:
    """The layer file with ``new``'s features replacing those of the same id, appended otherwise.

    Features not replaced keep their JSON as read (no property dropped, no number rounded).
    """
    from bordermap.io.geojson import dumps_features, frame_to_features, read_json

    added = frame_to_features(new)
    if not path.is_file():
        return dumps_features(added)
    collection = read_json(path)
    replaced = {f["properties"]["id"] for f in added}
    kept = [
        f
        for f in collection.get("features", [])
        if not (isinstance(f, dict) and (f.get("properties") or {}).get("id", f.get("id")) in replaced)
    ]
    members = {k: v for k, v in collection.items() if k not in ("type", "features")}
    return dumps_features([*kept, *added], **members)


def _with_record(path: Path, record: dict[str, Any]) -> str:
    """A registry file with one record added; the others kept as read."""
    from bordermap.io.dataset import dump_records
    from bordermap.io.geojson import read_json

    records = read_json(path) if path.is_file() else []
    return dump_records([*records, record])


def write_files(texts: dict[Path, str], inputs: tuple[Path, ...] = ()) -> list[Path]:
    """Write several files of one directory as one change: stage all, then swap them in.

    Files whose content would not change are not written. Every new content is first written
    to a temporary file beside its target; only when all are complete are they renamed over
    the targets, so a full disk or an error leaves the old files (a valid dataset) in place. The
    directory is locked (``flock``) from staging to swap, and callers that read the dataset
    before deciding what to write hold :func:`locked` around both, so concurrent imports do not
    lose each other's features.
    """
    from contextlib import ExitStack

    from bordermap.io.atomic import atomic_path

    changed = {
        p: t for p, t in texts.items() if not (p.is_file() and p.read_bytes() == t.encode("utf-8"))
    }
    with ExitStack() as stack:
        staged = [(stack.enter_context(atomic_path(p, inputs)), t) for p, t in changed.items()]
        for tmp, text in staged:
            tmp.write_text(text, encoding="utf-8")
        # leaving the stack renames each staged file over its target (in reverse order)
    return list(changed)
