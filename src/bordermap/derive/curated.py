"""The curated part of the Kyrgyzstan–Tajikistan dataset: sources, figures, sections and incidents.

The inputs are hand-written YAML files in ``geodata/kg-tj/curated/``; see
``docs/dataset-kg-tj.md``.
This module checks them and turns them into data-model records. Section and incident geometries
are *derived* from the built layers, never typed in. Each one records its ``geometry_method`` and
``precision_m``:

``place``
    A GeoNames point from ``places``, given by geonameid, or by name plus country. A name must
    resolve to exactly one settlement of that country in the district the section names (see
    :func:`resolve_place`).
``enclave``
    The enclave polygon of the default depiction in ``areas``, found by ``enclave_key``.
``line_stretch``
    The stretch of the default depiction's main line from ``c - w`` to ``c + w`` km of chainage,
    where ``c`` is the chainage of the point of the line nearest to a place and ``w`` is
    ``half_width_km``. Chainage is geodesic, counted from the start of the line
    (:mod:`bordermap.chainage`).
``district``
    No geometry: the section is only known to lie in a district.

A place that cannot be resolved, or that lies too far from the line, makes the feature fall back
to its district with null geometry. The reason is written into ``geometry_method``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from bordermap.chainage import Chainage, main_line
from bordermap.dates import parse_date
from bordermap.derive import positions as stated
from bordermap.derive.claims import course_history, resolve_treaty_dates
from bordermap.errors import DataError
from bordermap.geodesic import GEOD, distance_m
from bordermap.model import CRS, FIGURE_CATEGORIES, STATUSES, Dataset, schema_enum
from bordermap.swaps import ledger_problems, section_swaps
from bordermap.upstream import dataset_sources, geonames

#: Source kinds of the data model (from the JSON Schema ``sources.json``).
SOURCE_KINDS = frozenset(schema_enum("sources.json", "items", "properties", "kind"))
#: Ids of the upstream dataset records that the orchestrator merges into ``sources.json``.
DATASET_SOURCE_IDS = frozenset(str(r["id"]) for r in dataset_sources())
GEONAMES_SOURCE_ID = geonames.SOURCE_ID
#: A place farther than this from the line cannot anchor a stretch of it.
MAX_OFFSET_KM = 10.0
#: Precision assumed for a depiction that does not state one.
FALLBACK_PRECISION_M = 1000.0


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def curated_dir(root: Path) -> Path:
    """Find the curated inputs from the repository root or the dataset directory.

    Examples
    --------
    >>> curated_dir(Path(__file__).resolve().parents[3]).name
    'curated'
    """
    for candidate in (root / "curated", root / "geodata" / "kg-tj" / "curated"):
        if candidate.is_dir():
            return candidate
    raise DataError(f"{root}: no curated/ directory (looked in {root} and {root}/geodata/kg-tj)")


def _iso(value: Any) -> Any:
    """YAML reads full dates as ``date`` objects; the data model writes them as strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def read_yaml(path: Path) -> Any:
    """Read one curated YAML file, with dates as ISO strings (needs PyYAML: the build extra)."""
    import yaml

    try:
        return _iso(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc


def read_inputs(folder: Path) -> dict[str, Any]:
    """All curated inputs: sources, figures, sections, incidents, district anchors, swap ledger.

    The swap ledger (``swaps.yaml``) is optional. Named dates in status histories
    (``treaty_in_force``…) become ISO dates here, from the ``status.dates`` of the folder's
    recipe (``recipe.yaml``, :mod:`bordermap.derive.recipe`) when it has one.
    """
    from bordermap.derive.recipe import read_recipe, recipe_path

    dates = read_recipe(folder).dates if recipe_path(folder).is_file() else {}
    names = ("sources", "figures", "sections", "incidents", "districts")
    inputs = {name: read_yaml(folder / f"{name}.yaml") for name in names}
    for section in inputs["sections"] or []:
        section["status_history"] = resolve_treaty_dates(section.get("status_history") or [], dates)
    ledger = folder / "swaps.yaml"
    inputs["swaps"] = (read_yaml(ledger) or []) if ledger.is_file() else []
    return inputs


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def cited_ids(record: Any) -> set[str]:
    """Every id listed under a ``source_ids`` key anywhere inside a record."""
    found: set[str] = set()
    if isinstance(record, dict):
        for key, value in record.items():
            if key == "source_ids":
                found.update(value or [])
            else:
                found |= cited_ids(value)
    elif isinstance(record, list):
        for item in record:
            found |= cited_ids(item)
    return found


def history_problems(history: list[dict[str, Any]]) -> list[str]:
    """Problems of a status history: unknown status, reversed interval, disorder or overlap.

    Examples
    --------
    >>> history_problems([{"from": "2020", "to": "2021-06", "status": "disputed"},
    ...                   {"from": "2021-06", "to": None, "status": "settled"}])
    []
    >>> history_problems([{"from": "2022", "to": "2021", "status": "disputed"}])
    ['entry 0: from 2022 is not before to 2021']
    """
    problems = []
    previous_end: dt.date | None = None
    for i, entry in enumerate(history):
        if entry.get("status") not in STATUSES:
            problems.append(f"entry {i}: unknown status {entry.get('status')!r}")
        start = parse_date(entry["from"]) if entry.get("from") else None
        end = parse_date(entry["to"]) if entry.get("to") else None
        if start and end and not start < end:
            problems.append(f"entry {i}: from {entry['from']} is not before to {entry['to']}")
        if i and (start is None or previous_end is None or start < previous_end):
            problems.append(f"entry {i}: overlaps or precedes entry {i - 1}")
        previous_end = end
    return problems


def status_as_of(history: list[dict[str, Any]], as_of: str) -> str:
    """Return the status on a date: the entry with ``from <= D < to``, else ``undetermined``.

    Examples
    --------
    >>> h = [{"from": "2020", "to": "2025-03-19", "status": "disputed"},
    ...      {"from": "2025-03-19", "to": None, "status": "settled"}]
    >>> status_as_of(h, "2025-03-18"), status_as_of(h, "2025-03-19"), status_as_of(h, "2019")
    ('disputed', 'settled', 'undetermined')
    """
    day = parse_date(as_of)
    for entry in history:
        start = parse_date(entry["from"]) if entry.get("from") else dt.date.min
        end = parse_date(entry["to"]) if entry.get("to") else dt.date.max
        if start <= day < end:
            return str(entry["status"])
    return "undetermined"


def check_inputs(
    inputs: dict[str, Any], external_ids: frozenset[str] = DATASET_SOURCE_IDS
) -> list[str]:
    """Every problem in the curated inputs (empty when they are consistent)."""
    problems: list[str] = []
    sources = inputs["sources"]
    known = {s["id"] for s in sources} | set(external_ids)
    all_ids = [
        r["id"]
        for name in ("sources", "figures", "sections", "incidents", "swaps")
        for r in inputs.get(name, [])
    ]
    problems += [f"duplicate id {i}" for i in sorted({i for i in all_ids if all_ids.count(i) > 1})]
    for source in sources:
        missing = [k for k in ("url", "publisher", "kind", "title") if not source.get(k)]
        if missing or source.get("kind") not in SOURCE_KINDS:
            problems.append(f"{source['id']}: missing {missing} or bad kind {source.get('kind')!r}")
    figure_ids = {f["id"] for f in inputs["figures"]}
    for name in ("figures", "sections", "incidents"):
        for record in inputs[name]:
            cited = cited_ids(record)
            if not record.get("source_ids"):
                problems.append(f"{record['id']}: cites no source")
            problems += [f"{record['id']}: unknown source {s}" for s in sorted(cited - known)]
    for record in inputs.get("swaps", []):
        if record.get("kind") in ("exchange", "package") and not record.get("source_ids"):
            problems.append(f"{record['id']}: cites no source")
        problems += [f"{record['id']}: unknown source {s}" for s in sorted(cited_ids(record) - known)]
        problems += [
            f"{record['id']}: unknown figure {f}"
            for f in record.get("figure_ids") or []
            if f not in figure_ids
        ]
    problems += ledger_problems(inputs.get("swaps", []), [s["id"] for s in inputs["sections"]])
    for figure in inputs["figures"]:
        if figure["category"] not in FIGURE_CATEGORIES:
            problems.append(f"{figure['id']}: unknown category {figure['category']!r}")
    for section in inputs["sections"]:
        problems += [f"{section['id']}: {p}" for p in history_problems(section["status_history"])]
        problems += [f"{section['id']}: {p}" for p in stated.position_problems(section)]
    for incident in inputs["incidents"]:
        for report in incident.get("casualties", []):
            problems += [
                f"{incident['id']}: unknown figure {f}"
                for f in report.get("figure_ids", [])
                if f not in figure_ids
            ]
    return problems


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


def normalise(name: str) -> str:
    """Fold a place name for matching: no accents, case, hyphens, spaces or apostrophes.

    Examples
    --------
    >>> normalise("Kok-Tash") == normalise("Koktash") == normalise("KOK TASH")
    True
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return re.sub(r"[\W_]+", "", folded.casefold())


def location_names(inputs: dict[str, Any]) -> frozenset[str]:
    """Folded names of every place a section or incident location asks for by name.

    The build looks these up among all GeoNames names and alternate names, so that a village
    recorded under another transliteration is still found (see :func:`places.select`).

    Examples
    --------
    >>> location_names({"sections": [{"location": {"place": {"name": "Kok-Tash", "country": "KG"}}}],
    ...                 "incidents": [{"location": {"places": [8377525]}}]})
    frozenset({'koktash'})
    """
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("name"), str) and "country" in value:
                found.add(normalise(value["name"]))
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    for name in ("sections", "incidents"):
        for record in inputs.get(name, []):
            visit(record.get("location"))
    return frozenset(found)


def place_names(row: pd.Series) -> set[str]:
    """Every normalised name of a ``places`` row (English name and alternate names)."""
    names = set()
    labels = row.get("names")
    if isinstance(labels, dict):
        names |= {str(v) for v in labels.values() if v}
    alternates = row.get("alternate_names")
    if isinstance(alternates, (list, tuple, np.ndarray)):
        names |= {str(v) for v in alternates}
    elif isinstance(alternates, str):
        names |= set(alternates.split(","))
    return {normalise(n) for n in names if n}


@dataclass(frozen=True)
class Place:
    """A resolved ``places`` row."""

    id: str
    geonameid: int
    name: str
    point: BaseGeometry
    precision_m: float
    source_id: str


def _place(row: pd.Series) -> Place:
    sources = row.get("sources")
    source_id = GEONAMES_SOURCE_ID
    if isinstance(sources, list) and sources and sources[0].get("source_id"):
        source_id = str(sources[0]["source_id"])
    names = row.get("names")
    name = str(names.get("en")) if isinstance(names, dict) else str(row.get("id"))
    precision = row.get("precision_m")
    return Place(
        str(row["id"]),
        int(row["geonameid"]),
        name,
        row.geometry,
        float(precision) if precision and pd.notna(precision) else FALLBACK_PRECISION_M,
        source_id,
    )


def district_of(
    point: BaseGeometry, country: str, places: gpd.GeoDataFrame, anchors: dict[str, dict[str, int]]
) -> str | None:
    """Return the district of ``country`` whose anchor is nearest (None when unknowable)."""
    table = anchors.get(country) or {}
    if len(table) < 2:
        return None
    by_id = {int(g): geom for g, geom in zip(places["geonameid"], places.geometry, strict=True)}
    best, best_m = None, np.inf
    for district, geonameid in table.items():
        anchor = by_id.get(int(geonameid))
        if anchor is None:
            continue
        _, _, dist = GEOD.inv(point.x, point.y, anchor.x, anchor.y)
        if dist < best_m:
            best, best_m = district, dist
    return best


def resolve_place(
    spec: Any,
    districts: dict[str, str],
    places: gpd.GeoDataFrame,
    anchors: dict[str, dict[str, int]],
) -> tuple[Place | None, str]:
    """Find the place a location names; return it, or None with the reason.

    ``spec`` is a geonameid, or ``{"name": …, "country": …}``. A name must match exactly one
    settlement of that country. When the country has district anchors, that settlement must also
    be nearest to the anchor of the district the section names. Anything else is refused, so a
    name shared by villages in two districts (Dostuk, Bulak-Bashy, Kok-Tash) never lands in the
    wrong one.
    """
    if places is None or places.empty:
        return None, "no places layer"
    if isinstance(spec, (int, np.integer)) or (isinstance(spec, str) and spec.isdigit()):
        hits = places[places["geonameid"].astype("int64") == int(spec)]
        if hits.empty:
            return None, f"GeoNames {spec} not in the places layer"
        return _place(hits.iloc[0]), ""
    name, country = str(spec["name"]), str(spec["country"])
    key = normalise(name)
    same = places[
        (places["country"] == country) & places.apply(lambda r: key in place_names(r), axis=1)
    ]
    wanted = districts.get(country, "")
    candidates = []
    for _, row in same.iterrows():
        found = district_of(row.geometry, country, places, anchors)
        if found is None or wanted.startswith(found):
            candidates.append(row)
    if len(candidates) == 1:
        return _place(candidates[0]), ""
    if not candidates:
        where = "in the gazetteer" if same.empty else f"in {wanted or 'the named district'}"
        return None, f"place '{name}' not found {where}"
    return None, f"place '{name}' is ambiguous ({len(candidates)} matches)"


# --------------------------------------------------------------------------------------------
# Geometry derivation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepictionRef:
    """The depiction a derived geometry is cut from: its id, source record and precision."""

    id: str
    source_id: str
    precision_m: float


@dataclass(frozen=True)
class Located:
    """A derived geometry and how it was obtained."""

    geometry: BaseGeometry | None
    method: str
    precision_m: float | None
    location_precision: str
    place_ids: tuple[str, ...] = ()
    chainage_km: tuple[float, float] | None = None
    source_ids: tuple[str, ...] = ()
    #: True for a stand-in (a stretch around a village, a settlement point, an envelope): the
    #: geometry marks roughly where the feature is, its length or area is not the feature's.
    placeholder: bool = False


def unlocated(where: str, why: str = "") -> Located:
    """Null geometry, located only to a district or region."""
    reason = f" ({why})" if why else ""
    return Located(None, f"none: located only to {where}{reason}", None, "district")


def depiction_record(meta: dict[str, Any], depiction: str) -> dict[str, Any]:
    """Return the ``dataset.json`` record of a depiction, or an empty one."""
    return next((d for d in meta.get("depictions", []) if d.get("id") == depiction), {})


def stretch(chain: Chainage, start_km: float, end_km: float) -> BaseGeometry:
    """Cut the line between two chainages, in the plane that :class:`Chainage` uses.

    :meth:`Chainage.at` measures along the line in a plane scaled by cos(latitude), so the stretch
    is cut in that same plane and scaled back. This keeps geometry and chainage consistent.
    Cutting the unscaled line at the same fraction of its length would not: the scaling stretches
    east-west and north-south segments by different amounts. A zero-length stretch is a Point.
    """
    xy = shapely.get_coordinates(chain.line)
    k = float(np.cos(np.radians(xy[:, 1].mean())))
    scaled = xy * np.array([k, 1.0])
    planar_cum = np.r_[0.0, np.cumsum(np.hypot(*np.diff(scaled, axis=0).T))]
    lo, hi = sorted((max(0.0, start_km), min(chain.length_km, end_km)))
    a, b = np.interp([lo, hi], chain.cum_km, planar_cum)
    part = substring(shapely.LineString(scaled), float(a), float(b))
    return shapely.transform(part, lambda c: c / np.array([k, 1.0]))


def offset_km(chain: Chainage, point: BaseGeometry) -> tuple[float, float]:
    """Chainage of the nearest point of the line, and the geodesic distance to it, in km."""
    at = float(chain.at([point])[0])
    nearest = stretch(chain, at, at)
    _, _, dist = GEOD.inv(point.x, point.y, nearest.x, nearest.y)
    return at, float(dist) / 1000.0


def line_stretch(
    chain: Chainage,
    place: Place,
    half_width_km: float,
    depiction: str,
    line: DepictionRef,
    max_offset_km: float = MAX_OFFSET_KM,
) -> Located | None:
    """Cut the line within ``half_width_km`` of chainage of a place (None if it is far off).

    The result is a stand-in (``placeholder``): the section's real extent is not published. Its
    ``precision_m`` is the larger of the half-width, the place's distance from the line and the
    line's own precision, so that it never claims more than the anchor can tell.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> chain = Chainage.of(LineString([(70.0, 40.0), (70.2, 40.0)]))
    >>> place = Place("place_x", 1, "X", Point(70.1, 40.05), 1000.0, "ds_x")
    >>> found = line_stretch(chain, place, 2, "d", DepictionRef("d", "ds_d", 50.0))
    >>> found.placeholder, round(found.precision_m), found.source_ids
    (True, 5600, ('ds_x', 'ds_d'))
    """
    at, off = offset_km(chain, place.point)
    if off > max_offset_km:
        return None
    lo, hi = max(0.0, at - half_width_km), min(chain.length_km, at + half_width_km)
    method = (
        f"stand-in: stretch of the {depiction} main line, chainage {lo:.2f}–{hi:.2f} km "
        f"(±{half_width_km:g} km along the line from the point nearest GeoNames {place.geonameid} "
        f"{place.name}, which is {off:.1f} km off the line; the section's extent is not published)"
    )
    return Located(
        stretch(chain, lo, hi),
        method,
        _round_up(max(line.precision_m, half_width_km * 1000.0, off * 1000.0)),
        "line_stretch",
        (place.id,),
        (round(lo, 3), round(hi, 3)),
        tuple(dict.fromkeys(s for s in (place.source_id, line.source_id) if s)),
        placeholder=True,
    )


def _round_up(metres: float, step: float = 100.0) -> float:
    """Round a precision up to whole ``step`` metres (a precision is never rounded down).

    Examples
    --------
    >>> _round_up(7290.4), _round_up(1000.0)
    (7300.0, 1000.0)
    """
    return float(np.ceil(metres / step - 1e-9) * step)


def at_place(place: Place, off_line_m: float | None, note: str = "") -> Located:
    """Locate at a GeoNames settlement point: a stand-in for the section near it.

    ``precision_m`` is the larger of the settlement's extent and its distance from the nearest
    line of the default depiction (``off_line_m``): the point says where the village is, not
    where the disputed ground is.
    """
    extra = f"; {note}" if note else ""
    off = f", {off_line_m / 1000.0:.1f} km from the nearest line" if off_line_m is not None else ""
    return Located(
        place.point,
        f"stand-in: GeoNames point {place.geonameid} ({place.name}{off}; precision is a lower "
        f"bound: the settlement's extent or its distance from the line){extra}",
        _round_up(max(place.precision_m, off_line_m or 0.0)),
        "place",
        (place.id,),
        None,
        (place.source_id,),
        placeholder=True,
    )


def enclave_polygon(
    areas: gpd.GeoDataFrame, key: str, depiction: str, meta: dict[str, Any]
) -> Located | None:
    """Return the polygon of an enclave in one depiction (None if it lacks it)."""
    if areas is None or areas.empty or "enclave_key" not in areas.columns:
        return None
    rows = areas[(areas["enclave_key"] == key) & (areas["depiction"] == depiction)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    record = depiction_record(meta, depiction)
    precision = (
        row.get("precision_m") if pd.notna(row.get("precision_m")) else record.get("precision_m")
    )
    return Located(
        row.geometry,
        f"enclave polygon '{key}' of depiction {depiction} (areas feature {row['id']})",
        float(precision or FALLBACK_PRECISION_M),
        "place",
        (),
        None,
        (str(record.get("source_id") or ""),) if record.get("source_id") else (),
    )


@dataclass
class Context:
    """What geometry derivation needs from the built layers."""

    layers: dict[str, gpd.GeoDataFrame]
    meta: dict[str, Any]
    anchors: dict[str, dict[str, int]]
    depiction: str
    _chain: Chainage | None = None

    @property
    def places(self) -> gpd.GeoDataFrame:
        """The ``places`` layer (possibly empty)."""
        return self.layers.get("places", gpd.GeoDataFrame({"geonameid": []}, geometry=[], crs=CRS))

    @property
    def chain(self) -> Chainage:
        """Chainage table of the default depiction's main line (built once)."""
        if self._chain is None:
            lines = Dataset(meta={"default_depiction": self.depiction}, layers=self.layers)
            self._chain = Chainage.of(main_line(lines, self.depiction))
        return self._chain

    @property
    def line(self) -> DepictionRef:
        """The default depiction: id, source record (for the ODbL/licence citation), precision."""
        record = depiction_record(self.meta, self.depiction)
        return DepictionRef(
            self.depiction,
            str(record.get("source_id") or ""),
            float(record.get("precision_m") or FALLBACK_PRECISION_M),
        )

    def off_line_m(self, point: BaseGeometry) -> float | None:
        """Geodesic distance from a point to the default depiction's nearest line.

        The lines are the main line and the enclave perimeters; None without a boundary layer.
        """
        boundary = self.layers.get("boundary")
        if boundary is None or boundary.empty:
            return None
        lines = boundary[boundary["depiction"] == self.depiction].geometry.values
        if not len(lines):
            return None
        return distance_m(point, shapely.union_all(lines))

    def tripoint_envelope(self, other: str) -> Located | None:
        """The convex hull of where each depiction starts its main line (its tripoint with ``other``).

        A stand-in: the treaty's tripoint is not published.
        """
        dataset = Dataset(meta=self.meta, layers=self.layers)
        ends: dict[str, BaseGeometry] = {}
        for record in self.meta.get("depictions", []):
            try:
                line = main_line(dataset, record["id"])
            except DataError:
                continue
            ends[record["id"]] = shapely.Point(shapely.get_coordinates(line)[0])
        if len(ends) < 2:
            return None
        spread = max(
            float(GEOD.inv(a.x, a.y, b.x, b.y)[2]) for a in ends.values() for b in ends.values()
        )
        hull = shapely.MultiPoint(list(ends.values())).convex_hull
        names = ", ".join(ends)
        sources = tuple(
            dict.fromkeys(
                str(depiction_record(self.meta, d).get("source_id"))
                for d in ends
                if depiction_record(self.meta, d).get("source_id")
            )
        )
        return Located(
            hull,
            f"stand-in: convex hull of the {len(ends)} depictions' {other} tripoints (the start of "
            f"each main line: {names}); they lie up to {spread / 1000.0:.1f} km apart; the "
            "treaty's tripoint is not published",
            _round_up(spread),
            "envelope",
            (),
            None,
            sources,
            placeholder=True,
        )


def locate(location: dict[str, Any], districts: dict[str, str], ctx: Context) -> Located:
    """Derive the geometry of a section from its ``location`` (see the module docstring)."""
    found = _locate(location, districts, ctx)
    extra = tuple(location.get("source_ids") or ())
    if extra and found.geometry is not None:
        # Sources that tie the feature to its anchor (e.g. "Kok-Tash, Ak-Sai rural district").
        found = replace(found, source_ids=tuple(dict.fromkeys(found.source_ids + extra)))
    if location.get("why") and found.geometry is not None:
        found = replace(found, method=f"{found.method}; anchor: {location['why']}")
    if location.get("unlocated_because") and found.geometry is None:
        found = replace(found, method=f"{found.method}; {location['unlocated_because']}")
    return found


def _locate(location: dict[str, Any], districts: dict[str, str], ctx: Context) -> Located:
    fallback = _fallback_area(location, districts)
    if "district" in location:
        return unlocated(location["district"])
    if "tripoint" in location:
        return ctx.tripoint_envelope(str(location["tripoint"])) or unlocated(
            fallback, "fewer than two depictions"
        )
    if "enclave" in location:
        found = enclave_polygon(
            ctx.layers.get("areas"), location["enclave"], ctx.depiction, ctx.meta
        )
        return found or unlocated(
            fallback, f"enclave '{location['enclave']}' not in {ctx.depiction}"
        )
    if "line_stretch" in location:
        spec = location["line_stretch"]
        place, why = resolve_place(spec["place"], districts, ctx.places, ctx.anchors)
        if place is None:
            return unlocated(fallback, why)
        if "boundary" not in ctx.layers:
            return unlocated(fallback, "no boundary layer")
        limit = float(spec.get("max_offset_km", MAX_OFFSET_KM))
        stretch = line_stretch(
            ctx.chain, place, float(spec["half_width_km"]), ctx.depiction, ctx.line, limit
        )
        return stretch or unlocated(
            fallback, f"{place.name} is more than {limit:g} km from the line"
        )
    if "place" in location:
        place, why = resolve_place(location["place"], districts, ctx.places, ctx.anchors)
        if place is None:
            return unlocated(fallback, why)
        return at_place(place, ctx.off_line_m(place.point), location.get("note", ""))
    if "places" in location:
        resolved = [
            resolve_place(p, districts, ctx.places, ctx.anchors)[0] for p in location["places"]
        ]
        points = [p for p in resolved if p is not None]
        if not points:
            return unlocated(fallback, "none of the places found")
        ids = ", ".join(str(p.geonameid) for p in points)
        off = max((ctx.off_line_m(p.point) or 0.0) for p in points)
        return Located(
            shapely.MultiPoint([p.point for p in points]),
            f"stand-in: GeoNames points {ids} (up to {off / 1000.0:.1f} km from the nearest line)",
            _round_up(max([p.precision_m for p in points] + [off])),
            "place",
            tuple(p.id for p in points),
            None,
            tuple(sorted({p.source_id for p in points})),
            placeholder=True,
        )
    raise DataError(f"unknown location {location!r}")


def _fallback_area(location: dict[str, Any], districts: dict[str, str]) -> str:
    """Where a feature is located when its geometry cannot be derived."""
    if location.get("fallback"):
        return str(location["fallback"])
    named = [d for d in districts.values() if d and "not stated" not in d]
    return named[0] if named else "an unstated district"


# --------------------------------------------------------------------------------------------
# Records and features
# --------------------------------------------------------------------------------------------


def provenance(source_ids: list[str], located: Located) -> list[dict[str, Any]]:
    """Overture-style ``sources``: the feature's citations plus the geometry's dataset(s)."""
    out: list[dict[str, Any]] = [{"property": "", "source_id": s} for s in source_ids]
    for source_id in located.source_ids:
        out.append(
            {
                "property": "/geometry",
                "source_id": source_id,
                "record_id": (
                    ",".join(located.place_ids) or None if source_id == GEONAMES_SOURCE_ID else None
                ),
                "note": located.method,
            }
        )
    return out


def section_properties(section: dict[str, Any], located: Located, as_of: str) -> dict[str, Any]:
    """Data-model properties of one section."""
    status = status_as_of(section["status_history"], as_of)
    props = {
        "id": section["id"],
        "kind": "disputed_section",
        "names": section["names"],
        "status": status,
        "is_disputed": status in ("disputed", "undetermined"),
        "status_history": section["status_history"],
        # Section geometries locate a dispute (or stand in for it); none draws an agreed course.
        "course_history": course_history(section["status_history"]),
        "districts": section["districts"],
        "disputed_objects": section.get("disputed_objects", []),
        "positions": section.get("positions", []),
        "swaps": section.get("swaps", []),  # filled from the swap ledger by build_curated
        "place_ids": list(located.place_ids),
        "location_precision": located.location_precision,
        "chainage_km": list(located.chainage_km) if located.chainage_km else None,
        "geometry_method": located.method,
        "precision_m": located.precision_m,
        "placeholder": located.placeholder,
        "sources": provenance(section["source_ids"], located),
        "valid_from": section.get("valid_from"),
        "valid_to": section.get("valid_to"),
        "note": section.get("note"),
    }
    for key in ("claimed_by", "controlled_by", "disputed_by", "perspectives"):
        if key in section:
            props[key] = section[key]
    stances = stated.stance_history(section)
    if stances:
        props["stance_history"] = stances
    if claimed := stated.claimed_by(section, stances):
        props["claimed_by"] = claimed
    return props


def incident_properties(incident: dict[str, Any], located: Located) -> dict[str, Any]:
    """Data-model properties of one incident."""
    return {
        "id": incident["id"],
        "kind": "incident",
        "names": incident["names"],
        "date_start": incident["date_start"],
        "date_end": incident.get("date_end"),
        "place_ids": list(located.place_ids),
        "summary": incident["summary"],
        "casualties": incident.get("casualties", []),
        "section_ids": incident.get("section_ids", []),
        "geometry_method": located.method,
        "precision_m": located.precision_m,
        "placeholder": located.placeholder,
        "sources": provenance(incident["source_ids"], located),
        "date_note": incident.get("date_note"),
        "note": incident.get("note"),
    }


def to_frame(rows: list[tuple[dict[str, Any], BaseGeometry | None]]) -> gpd.GeoDataFrame:
    """Properties and geometries → a layer (nested values stay Python objects)."""
    table = pd.DataFrame([props for props, _ in rows], dtype=object)
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries([g for _, g in rows], crs=CRS), crs=CRS)


def _incident_districts(incident: dict[str, Any]) -> dict[str, str]:
    where = incident["location"].get("district", "")
    return {"KG": where, "TJ": where}


def _first_depiction(meta: dict[str, Any]) -> str:
    """The first depiction of ``dataset.json``: the default where none is named."""
    return next((str(d["id"]) for d in meta.get("depictions") or [] if "id" in d), "")


def read_meta(root: Path) -> dict[str, Any]:
    """``dataset.json`` next to the curated directory, if it exists yet."""
    path = curated_dir(root).parent / "dataset.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def build_curated(
    root: Path,
    layers: dict[str, gpd.GeoDataFrame],
    *,
    as_of: str | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Read the curated YAML and return the registries and the two curated layers.

    Parameters
    ----------
    root
        The repository root or the dataset directory (``geodata/kg-tj``); the inputs are read from
        its ``curated/`` directory.
    layers
        The built ``boundary``, ``areas`` and ``places`` layers.
    as_of
        Date for each section's current ``status`` (default: ``as_of`` of ``dataset.json``, else
        today).
    meta
        Dataset metadata (default: the existing ``dataset.json``), for the default depiction and its
        precision.

    Returns
    -------
    dict
        ``{"sources": [...], "figures": [...], "sections": GeoDataFrame,
        "incidents": GeoDataFrame, "swaps": [...]}`` (``swaps``: the swap ledger).

    Raises
    ------
    DataError
        When the inputs cite unknown sources, repeat ids or have inconsistent status histories.
    """
    inputs = read_inputs(curated_dir(root))
    problems = check_inputs(inputs)
    if problems:
        raise DataError("curated inputs:\n  - " + "\n  - ".join(problems))
    meta = meta if meta is not None else read_meta(root)
    as_of = as_of or meta.get("as_of") or dt.date.today().isoformat()
    ctx = Context(
        layers, meta, inputs["districts"], str(meta.get("default_depiction") or _first_depiction(meta))
    )
    ledger = inputs.get("swaps", [])
    sections = [
        (
            section_properties(
                {**s, "swaps": section_swaps(ledger, s["id"]) or s.get("swaps", [])},
                loc := locate(s["location"], s["districts"], ctx),
                as_of,
            ),
            loc.geometry,
        )
        for s in inputs["sections"]
    ]
    incidents = [
        (
            incident_properties(i, loc := locate(i["location"], _incident_districts(i), ctx)),
            loc.geometry,
        )
        for i in inputs["incidents"]
    ]
    section_frame = to_frame(sections)
    if "stance_history" in section_frame.columns:
        enclave_keys = {
            s["id"]: str(s["location"]["enclave"]) for s in inputs["sections"] if "enclave" in s["location"]
        }
        stated.apply_to_enclaves(section_frame, layers, enclave_keys)
    return {
        "sources": [dict(s) for s in inputs["sources"]],
        "figures": [dict(f) for f in inputs["figures"]],
        "sections": section_frame,
        "incidents": to_frame(incidents),
        "swaps": [dict(r) for r in ledger],
    }
