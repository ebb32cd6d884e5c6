"""Export a dataset for other tools: GeoJSON, GeoPackage (QGIS), KML (Google Earth), CSV (spreadsheets).

- GeoJSON stays RFC 7946 (written by :func:`bordermap.io.geojson.write_layer`); several layers go
  into one file with a ``layer`` property, the single-file form :func:`bordermap.load` reads back.
- GeoPackage: one table per layer (and the ``sources`` and ``figures`` registries as attribute
  tables); numbers, booleans and full ISO dates keep their types, nested lists and objects become
  JSON text, partial dates stay text.
- KML: one folder per layer, each placemark with its name, an HTML description of its properties
  (escaped) and the map's colours.
- CSV: attribute tables with the geodesic ``length_km`` and ``area_km2`` of every feature (left
  empty for a placeholder, a stand-in geometry), the depiction that drew it and the range of the
  thing it draws across the depictions (:data:`SPREAD_FIELDS`), and the geometry as WKT on request.

Every format adds ``placeholder`` (:func:`bordermap.model.is_placeholder`) to each feature and
``course`` (:func:`bordermap.timeline.course_on` on the dataset's as-of date: ``published``,
``not_published``, ``depicted`` or ``unknown``) and ``status_as_of`` (that date) to each feature
with a status, so that a line whose status is settled but whose course no source gives is not
taken for the agreed line, and no status is read as undated.

Every export is written to a temporary file and renamed into place: a failed export leaves no
partial file, and the input is never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bordermap.dates import parse_date
from bordermap.errors import UsageError
from bordermap.io.atomic import atomic_path
from bordermap.io.csvsafe import to_csv
from bordermap.io.geojson import write_layer
from bordermap.io.textsafe import xml_safe
from bordermap.maps.facts import data_credits, feature_name, feature_source_ids
from bordermap.maps.style import STATUS_FILL, country_color, depiction_colors
from bordermap.measure import measure_frame
from bordermap.model import CRS, LAYERS, Dataset, is_placeholder, is_set
from bordermap.timeline import course_on

#: Output suffix → format.
FORMATS: dict[str, str] = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml", ".csv": "csv"}
REGISTRIES: tuple[str, ...] = ("sources", "figures")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def export_format(path: Path) -> str:
    """The export format of an output path, from its suffix.

    Examples
    --------
    >>> export_format(Path("out/kg-tj.gpkg"))
    'gpkg'
    """
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown export format {Path(path).suffix or '(no suffix)'}; "
                         f"use one of {', '.join(sorted(set(FORMATS)))}")
    return fmt


def _registry_frame(dataset: Dataset, name: str) -> pd.DataFrame:
    records = list(dataset.sources.values()) if name == "sources" else list(dataset.figures)
    return pd.DataFrame.from_records(records)


def _layers(dataset: Dataset, names: Sequence[str], fmt: str) -> dict[str, pd.DataFrame]:
    """The tables to export: the requested ones, or every layer present (GeoPackage: and registries)."""
    spatial = fmt in ("geojson", "kml")
    if names:
        bad = [n for n in names if n in REGISTRIES and spatial]
        if bad:
            raise UsageError(f"--layer {bad[0]}: a registry has no geometry; export it as .csv or .gpkg")
        chosen = list(dict.fromkeys(names))
    else:
        chosen = [n for n in LAYERS if n in dataset.layers]
        if fmt == "gpkg":  # a CSV holds one table: registries only on request
            chosen += [n for n in REGISTRIES if (dataset.sources if n == "sources" else dataset.figures)]
    day = parse_date(dataset.meta["as_of"]) if dataset.meta.get("as_of") else None
    return {n: _registry_frame(dataset, n) if n in REGISTRIES else _with_course(dataset.layer(n), day) for n in chosen}


#: Fields every export adds to the features of the claims layers (see :func:`_with_course`).
DERIVED_FIELDS: tuple[str, ...] = ("course", "placeholder", "status_as_of")


def _with_course(frame: gpd.GeoDataFrame, day: dt.date | None) -> gpd.GeoDataFrame:
    """Add ``course``, ``status_as_of`` and ``placeholder`` to a layer's features.

    ``course`` is what is known of the line's course on the dataset's as-of date (e.g.
    ``not_published``), for features with a status; ``status_as_of`` is that date, beside every
    status (a spreadsheet row has no other place to say it); ``placeholder`` goes on every feature.
    """
    if frame.empty:
        return frame
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    out = frame.copy()
    if "status" in frame.columns or "course_history" in frame.columns:
        out["course"] = [course_on(r, day) for r in records]
    if "status" in frame.columns:  # a status is a status on a date: say which
        out["status_as_of"] = [None if not is_set(r.get("status")) or day is None else day.isoformat()
                               for r in records]
    out["placeholder"] = [is_placeholder(r) for r in records]
    return out


def _line_rings(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """LinearRing geometries as closed LineStrings: RFC 7946, GeoPackage and KML know no rings."""
    rings = frame.geometry.geom_type == "LinearRing"
    if not rings.any():
        return frame
    out = frame.copy()
    out.loc[rings, out.geometry.name] = [shapely.LineString(g.coords) for g in frame.geometry[rings]]
    return out


def json_text(value: Any) -> Any:
    """Nested lists and objects as compact JSON text; other values unchanged (NaN → None).

    Examples
    --------
    >>> json_text({"en": "Vorukh"}), json_text(["KG", "TJ"]), json_text(3.5)
    ('{"en":"Vorukh"}', '["KG","TJ"]', 3.5)
    """
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    if isinstance(value, float) and value != value:
        return None
    return value


def flat_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Properties as a flat table: nested values as JSON text, with the English ``name`` after ``id``."""
    table = frame.drop(columns=frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else frame.copy()
    table = table.astype(object).map(json_text) if len(table) else table.astype(object)
    if "names" in frame.columns and "name" not in frame.columns:
        table["name"] = [feature_name(r) for r in frame[["id", "names"]].to_dict("records")]
    first = [c for c in ("id", "name", "kind") if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]


# --- GeoPackage -------------------------------------------------------------------------------

def _typed_column(values: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """A numpy array GDAL maps to the right field type, and its null mask."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and v != v)]
    mask = np.array([v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool)
    if present and all(isinstance(v, (bool, np.bool_)) for v in present):
        return np.array([bool(v) if not m else False for v, m in zip(values, mask, strict=True)]), mask
    if present and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in present):
        return np.array([int(v) if not m else 0 for v, m in zip(values, mask, strict=True)], dtype=np.int64), mask
    if present and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in present):
        return np.array([float(v) if not m else np.nan for v, m in zip(values, mask, strict=True)]), mask
    if present and all(isinstance(v, str) and _FULL_DATE.match(v) for v in present):
        return np.array([v if not m else "NaT" for v, m in zip(values, mask, strict=True)], dtype="datetime64[D]"), mask
    return np.array([None if m else str(v) for v, m in zip(values, mask, strict=True)], dtype=object), mask


def _geometry_type(geoms: gpd.GeoSeries) -> tuple[str, bool]:
    """The GeoPackage geometry type of a column, and whether single parts must become multi."""
    kinds = set(geoms.dropna().geom_type)
    for single in ("Point", "LineString", "Polygon"):
        if kinds and kinds <= {single, f"Multi{single}"}:
            return (f"Multi{single}", True) if len(kinds) == 2 else (single, False)
    return "Unknown", False


log = logging.getLogger(__name__)

#: Column names a GeoPackage table already has (its key and geometry column).
GPKG_RESERVED = ("fid", "geom")


def gpkg_field_names(names: Sequence[str]) -> list[str]:
    """Column names a GeoPackage table can hold: unique ignoring case, none of ``fid``/``geom``.

    SQLite compares column names without case, so ``note`` and ``NOTE`` clash; the later one,
    and a property called ``fid`` or ``geom``, get a numbered suffix (logged).

    Examples
    --------
    >>> gpkg_field_names(["id", "note", "NOTE", "fid", "geom", ""])
    ['id', 'note', 'NOTE_2', 'fid_2', 'geom_2', 'field']
    """
    taken = set(GPKG_RESERVED)
    out = []
    for name in names:
        base = str(name) or "field"
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}_{n}"
        if candidate != base or not str(name):
            log.warning("GeoPackage column %r written as %r (SQLite names ignore case)", name, candidate)
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def _write_gpkg(tables: dict[str, pd.DataFrame], path: Path) -> None:
    from pyogrio.raw import write
    from pyproj import CRS as ProjCRS

    wkt = ProjCRS(CRS).to_wkt()
    for name, frame in tables.items():
        flat = flat_table(frame)
        columns = [_typed_column(flat[c]) for c in flat.columns]
        geometry = None
        options: dict[str, Any] = {}
        if isinstance(frame, gpd.GeoDataFrame):
            frame = _line_rings(frame)
            gtype, promote = _geometry_type(frame.geometry)
            geoms = frame.geometry.values
            if promote:
                geoms = [shapely.multipolygons([g]) if g is not None and g.geom_type == "Polygon"
                         else shapely.multilinestrings([g]) if g is not None and g.geom_type == "LineString"
                         else shapely.multipoints([g]) if g is not None and g.geom_type == "Point" else g
                         for g in geoms]
            geometry = np.array([None if g is None or g.is_empty else shapely.to_wkb(g) for g in geoms], dtype=object)
            options = {"geometry_type": gtype, "crs": wkt}
        write(str(path), geometry, [c for c, _ in columns], gpkg_field_names([str(c) for c in flat.columns]),
              field_mask=[m for _, m in columns], layer=name, driver="GPKG", dataset_options={"VERSION": "1.3"},
              **options)


# --- KML --------------------------------------------------------------------------------------

_KML_NS = "http://www.opengis.net/kml/2.2"


def _kml_color(hex_color: str, alpha: float = 1.0) -> str:
    """``#rrggbb`` → KML's ``aabbggrr``.

    Examples
    --------
    >>> _kml_color("#c0392b", 0.5)
    '7f2b39c0'
    """
    r, g, b = hex_color[1:3], hex_color[3:5], hex_color[5:7]
    return f"{int(alpha * 255):02x}{b}{g}{r}".lower()


def _kml_coords(geom: Any) -> str:
    return " ".join(f"{x:.7f},{y:.7f}" for x, y in shapely.get_coordinates(geom))


def _kml_geometry(parent: ET.Element, geom: Any) -> None:
    kind = geom.geom_type
    if kind.startswith("Multi") or kind == "GeometryCollection":
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in shapely.get_parts(geom):
            _kml_geometry(multi, part)
    elif kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _kml_coords(geom)
    elif kind in ("LineString", "LinearRing"):
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _kml_coords(geom)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        for tag, rings in (("outerBoundaryIs", [geom.exterior]), ("innerBoundaryIs", list(geom.interiors))):
            for ring in rings:
                linear_ring = ET.SubElement(ET.SubElement(poly, tag), "LinearRing")
                ET.SubElement(linear_ring, "coordinates").text = _kml_coords(ring)


def _kml_description(props: dict[str, Any]) -> str:
    """An HTML table of a feature's properties; every value is HTML-escaped.

    ElementTree then escapes the whole for XML, as KML expects.
    """
    rows = []
    for key, value in props.items():
        if key == "names" or not is_set(value):
            continue
        text = json_text(value)
        rows.append(f"<tr><th align='left'>{html.escape(str(key))}</th><td>{html.escape(str(text))}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def kml_document_text(dataset: Dataset, tables: dict[str, pd.DataFrame]) -> str:
    """The KML document's description: the disclaimer, the as-of date and the data's credits.

    Every map carries them; a KML file opened in Google Earth is a map. The statuses it holds
    (``status``, ``course``) are those on the dataset's as-of date.
    """
    ids = [str(d["source_id"]) for d in dataset.meta.get("depictions", []) if d.get("source_id")]
    for frame in tables.values():
        if isinstance(frame, gpd.GeoDataFrame):
            for props in frame.drop(columns=frame.geometry.name).to_dict("records"):
                ids += feature_source_ids(props)
    credits = data_credits(dataset, ids)
    others = len({i for i in ids if i in dataset.sources and dataset.sources[i].get("kind") != "dataset"})
    as_of = dataset.meta.get("as_of")
    parts = [str(dataset.meta.get("disclaimer") or "")]
    parts.append(f"Status and course of each feature as of {as_of} (status_history and course_history give them "
                 "through time)." if as_of else "The dataset states no as-of date: statuses are undated.")
    if credits:
        parts.append("Data: " + "; ".join(credits) + (f"; and {others} other sources cited in the descriptions."
                                                      if others else "."))
    return "\n\n".join(p for p in parts if p)


def _kml_style(dataset: Dataset, layer: str, props: dict[str, Any]) -> tuple[str, float, float]:
    """Colour, fill opacity and width of a placemark, from the shared map styles."""
    status = str(props.get("status") or "undetermined")
    if layer == "boundary":
        return depiction_colors(dataset).get(str(props.get("depiction")), "#000000"), 0.0, 2.5
    if layer == "areas":
        code = props.get("country") or props.get("administered_by")
        return country_color(dataset, str(code)), 0.3, 1.0
    if layer in ("sections", "divergence"):
        return STATUS_FILL.get(status, STATUS_FILL["undetermined"]), 0.35, 3.0
    return "#7b0000" if layer == "incidents" else "#222222", 0.5, 1.0


def _write_kml(dataset: Dataset, tables: dict[str, pd.DataFrame], path: Path) -> None:
    root = ET.Element("kml", xmlns=_KML_NS)
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = str(dataset.meta.get("title") or dataset.meta.get("id") or "bordermap export")
    ET.SubElement(doc, "description").text = kml_document_text(dataset, tables)
    styles: dict[tuple[str, float, float], str] = {}
    for layer, frame in tables.items():
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = layer
        frame = _line_rings(frame)
        for props, geom in zip(frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True):
            key = _kml_style(dataset, layer, props)
            if key not in styles:
                styles[key] = f"s{len(styles)}"
                style = ET.Element("Style", id=styles[key])
                ET.SubElement(ET.SubElement(style, "LineStyle"), "color").text = _kml_color(key[0])
                style[0].append(ET.Element("width"))
                style[0][-1].text = f"{key[2]:g}"
                poly = ET.SubElement(style, "PolyStyle")
                ET.SubElement(poly, "color").text = _kml_color(key[0], key[1])
                ET.SubElement(poly, "fill").text = "1" if key[1] else "0"
                doc.insert(2, style)
            mark = ET.SubElement(folder, "Placemark", id=str(props.get("id") or ""))
            stand_in = is_placeholder(props)
            # a stand-in's pin or line is not the feature's place: its name says so where Google Earth shows it
            ET.SubElement(mark, "name").text = feature_name(props) + (" (stand-in geometry)" if stand_in else "")
            ET.SubElement(mark, "description").text = (
                (f"<p><b>Stand-in geometry</b>, not the feature's own location or course: "
                 f"{html.escape(str(props.get('geometry_method') or ''))}</p>" if stand_in else "")
                + _kml_description(props))
            ET.SubElement(mark, "styleUrl").text = f"#{styles[key]}"
            extended = ET.SubElement(mark, "ExtendedData")
            for field in ("id", "kind", "status", "course", "placeholder", "depiction"):
                if is_set(props.get(field)):
                    data = ET.SubElement(extended, "Data", name=field)
                    ET.SubElement(data, "value").text = str(props[field])
            if geom is not None and not geom.is_empty:
                _kml_geometry(mark, geom)
    for element in root.iter():  # names and descriptions come from data: XML 1.0 characters only
        element.text = None if element.text is None else xml_safe(element.text)
        for name, value in element.attrib.items():
            element.set(name, xml_safe(value))
    ET.indent(root)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


# --- CSV and GeoJSON -------------------------------------------------------------------------

#: Columns the CSV export adds from :func:`bordermap.spread.with_spread`: the thing a feature draws,
#: the depiction that drew it and the range of that thing across the depictions.
SPREAD_FIELDS: tuple[str, ...] = (
    "thing", "drawn_by", "thing_length_km_min", "thing_length_km_max", "thing_area_km2_min", "thing_area_km2_max",
)


def csv_table(tables: dict[str, pd.DataFrame], wkt: bool = False, dataset: Dataset | None = None) -> pd.DataFrame:
    """One attribute table for every exported layer, with measured values (and WKT).

    Measured values are ``length_km`` and ``area_km2`` (geodesic, as ``bordermap measure``);
    ``measured_`` is prefixed where a layer already has a property of that name. With the
    ``dataset``, every measured feature also gets the :data:`SPREAD_FIELDS`, so that one
    depiction's value is never the only one in the file (Vorukh's section: osm2022's 33.2 km²,
    beside the 33.2–141.6 km² of the four depictions).
    """
    from bordermap.spread import with_spread

    ranges = None  # the range of what each feature id draws: one lookup for every layer
    if dataset is not None:
        ids = [str(i) for f in tables.values() if isinstance(f, gpd.GeoDataFrame) and "id" in f.columns
               for i in f["id"]]
        ranges = with_spread(dataset, pd.DataFrame({"id": list(dict.fromkeys(ids))})).set_index("id")
    parts = []
    for layer, frame in tables.items():
        table = flat_table(frame)
        if isinstance(frame, gpd.GeoDataFrame):
            measured = measure_frame(frame).round(6)
            if "placeholder" in frame.columns:  # a stand-in's length and area are not the feature's
                measured.loc[frame["placeholder"].fillna(False).astype(bool).to_numpy(), :] = np.nan
            if ranges is not None and "id" in frame.columns:
                ranged = ranges.reindex(frame["id"].astype(str))[list(SPREAD_FIELDS)]
                measured = pd.concat([measured, ranged.set_axis(measured.index)], axis=1)
            # a stored property of the same name (e.g. an area quoted by the source) is kept as is
            measured.columns = [f"measured_{c}" if c in table.columns else c for c in measured.columns]
            table = pd.concat([table, measured], axis=1)
            if wkt:
                table["wkt"] = [None if g is None else g.wkt for g in _line_rings(frame).geometry]
        table.insert(0, "layer", layer)
        parts.append(table)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["layer"])


def _write_geojson(dataset: Dataset, tables: dict[str, pd.DataFrame], path: Path, inputs: tuple[Path, ...]) -> None:
    frames = {n: _line_rings(f) for n, f in tables.items()}
    if len(frames) == 1:
        write_layer(next(iter(frames.values())), path, inputs)
        return
    combined = pd.concat([f.assign(layer=n) for n, f in frames.items()], ignore_index=True)
    write_layer(gpd.GeoDataFrame(combined, geometry="geometry", crs=CRS), path, inputs, bordermap=dataset.meta)


def export(dataset: Dataset, path: str | Path, layers: Sequence[str] = (), wkt: bool = False) -> Path:
    """Export a dataset (or some of its layers) to GeoJSON, GeoPackage, KML or CSV.

    Parameters
    ----------
    dataset
        The dataset.
    path
        Output file; its suffix picks the format (``.geojson``, ``.gpkg``, ``.kml``, ``.csv``).
    layers
        Layers (and, for CSV and GeoPackage, the ``sources``/``figures`` registries) to export;
        default every layer present.
    wkt
        CSV only: add the geometry as WKT.

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = export(bordermap.load("tests/data/mini"), pathlib.Path(tempfile.mkdtemp()) / "s.csv", ["sections"])
    >>> out.read_text().splitlines()[0][:24]
    'layer,id,name,kind,sourc'
    """
    path = Path(path)
    fmt = export_format(path)
    tables = _layers(dataset, layers, fmt)
    if not tables:
        raise UsageError(f"{dataset.path or dataset.meta.get('id')}: nothing to export (no layers)")
    if wkt and fmt != "csv":
        raise UsageError("--wkt applies to CSV output only")
    inputs = (dataset.path,) if dataset.path else ()
    if fmt == "geojson":
        _write_geojson(dataset, tables, path, inputs)
        return path
    with atomic_path(path, inputs) as tmp:
        try:
            if fmt == "gpkg":
                _write_gpkg(tables, tmp)
            elif fmt == "kml":
                _write_kml(dataset, tables, tmp)
            else:
                to_csv(csv_table(tables, wkt, dataset), tmp)
        finally:  # SQLite may leave journal files beside a GeoPackage that failed half-way
            for extra in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    tmp.with_name(tmp.name + extra).unlink()
    return path
