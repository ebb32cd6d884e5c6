"""Orchestrate ``make data``: build every depiction and write the ``geodata/kg-tj`` layers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from bordermap.candidates import candidates
from bordermap.derive import places as place_layer
from bordermap.derive.areas import area_features
from bordermap.derive.boundary import boundary_features
from bordermap.derive.context import context_features, country_names
from bordermap.derive.curated import build_curated, curated_dir, location_names, read_inputs
from bordermap.derive.depiction_build import DepictionBuild, build_depiction
from bordermap.derive.geodesy import area_km2, length_km
from bordermap.derive.metadata import dataset_meta, licenses_markdown, summarise_repairs
from bordermap.diverge import divergence_layer
from bordermap.errors import UsageError
from bordermap.io.atomic import write_text
from bordermap.io.dataset import FIGURES_FILE, META_FILE, SOURCES_FILE, SWAPS_FILE
from bordermap.io.geojson import read_json, write_layer
from bordermap.model import CRS
from bordermap.upstream import DEPICTIONS, dataset_sources, geonames

log = logging.getLogger(__name__)

#: GeoNames records are read in this (west, south, east, north) box: it holds every window.
PLACES_BBOX = (66.0, 37.0, 76.0, 42.0)

#: Depiction whose line selects the settlements near the border.
DEFAULT_DEPICTION = "osm2022"


def frame(features: Iterable[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Feature dicts (with a ``geometry`` key) → a GeoDataFrame in EPSG:4326."""
    rows = list(features)
    if not rows:
        return gpd.GeoDataFrame(
            {"id": [], "kind": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS
        )
    # Object columns keep integers integral where other rows lack the property (no NaN upcast).
    table = pd.DataFrame(rows, dtype=object)
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(table.pop("geometry"), crs=CRS), crs=CRS)


def _existing(path: Path, rebuilt: set[str]) -> gpd.GeoDataFrame | None:
    """Read the features of an existing layer, except those of the depictions being rebuilt.

    Read as plain JSON (not with ``read_layer``) so property types and order survive unchanged.
    """
    if not path.is_file():
        return None
    kept = [
        {**f["properties"], "geometry": shape(f["geometry"])}
        for f in read_json(path)["features"]
        if f["properties"].get("depiction") not in rebuilt
    ]
    return frame(kept)


def _merge(
    new: gpd.GeoDataFrame, kept: gpd.GeoDataFrame | None, order: list[str]
) -> gpd.GeoDataFrame:
    if kept is None or kept.empty:
        return new
    merged = pd.concat([kept, new], ignore_index=True)
    rank = {d: i for i, d in enumerate(order)}
    merged["_rank"] = merged["depiction"].map(rank)
    merged = merged.sort_values(["_rank"], kind="stable").drop(columns="_rank")
    return gpd.GeoDataFrame(merged.reset_index(drop=True), geometry="geometry", crs=CRS)


def report(build: DepictionBuild) -> list[str]:
    """Measured lengths and areas of one depiction, for the build log."""
    main_km = sum(length_km(line) for line in build.main)
    lines = [
        f"{build.depiction.id}: main {'–'.join(build.pair)} line {main_km:.1f} km in "
        f"{len(build.main)} piece(s), starting {build.tripoint_gap_m:.1f} m from the "
        f"{build.origin_text()}"
    ]
    for enclave in build.enclaves:
        area, perimeter = area_km2(enclave.polygon), length_km(enclave.polygon.exterior)
        lines.append(
            f"{build.depiction.id}: enclave {enclave.key}: area {area:.3f} km², "
            f"perimeter {perimeter:.2f} km"
        )
    return lines


def run(out: Path, cache: Path, only: list[str] | None, as_of: str) -> None:
    """Build the dataset into ``out``.

    Parameters
    ----------
    out
        The dataset directory (``geodata/kg-tj``); ``LICENSES.md`` goes to its parent.
    cache
        The download cache.
    only
        Depiction ids to rebuild; features of the others are kept from the existing files.
    as_of
        The dataset's as-of date (ISO).
    """
    selected = only or list(DEPICTIONS)
    unknown = sorted(set(selected) - set(DEPICTIONS))
    if unknown:
        raise UsageError(
            f"unknown depiction(s) {', '.join(unknown)}; known: {', '.join(DEPICTIONS)}"
        )
    out.mkdir(parents=True, exist_ok=True)
    records = geonames.read(cache, PLACES_BBOX)
    by_id = {r.geonameid: r for r in records}

    builds = [build_depiction(DEPICTIONS[d], cache, by_id) for d in selected]
    for build in builds:
        for line in report(build):
            log.info(line)
    order = list(DEPICTIONS)
    rebuilt = set(selected)
    boundary = _merge(
        frame(f for b in builds for f in boundary_features(b, as_of)),
        _existing(out / "boundary.geojson", rebuilt),
        order,
    )
    areas = _merge(
        frame(f for b in builds for f in area_features(b, as_of)),
        _existing(out / "areas.geojson", rebuilt),
        order,
    )
    layers: dict[str, gpd.GeoDataFrame] = {"boundary": boundary, "areas": areas}

    default = next((b for b in builds if b.depiction.id == DEFAULT_DEPICTION), None)
    if default is not None:
        lines = shapely.union_all(
            boundary[boundary["depiction"] == DEFAULT_DEPICTION].geometry.values
        )
        wanted = location_names(read_inputs(curated_dir(out)))
        chosen = place_layer.select(records, lines, default.window, wanted=wanted)
        layers["places"] = frame(place_layer.place_features(chosen))
    elif (kept := _existing(out / "places.geojson", set())) is not None:
        layers["places"] = kept

    meta = dataset_meta(_depiction_records(out, builds, order), as_of)
    curated = build_curated(out, layers, as_of=as_of, meta=meta)
    sources = dataset_sources() + curated["sources"]
    layers["sections"] = curated["sections"]
    layers["incidents"] = curated["incidents"]
    layers["divergence"] = divergence_layer(layers, meta)
    layers["candidates"] = candidates(
        layers["divergence"], layers["sections"], chainage_depiction=meta.get("default_depiction")
    )
    _write(out, layers, meta, sources, curated["figures"], curated["swaps"])
    regions = areas[areas["kind"] == "country_region"]
    windows = [shapely.envelope(shapely.union_all(g.geometry.values)) for _, g in regions.groupby("depiction")]
    context = frame(context_features(cache, windows, country_names()))
    path = write_layer(context, out / "context.geojson")
    log.info("wrote %s (%d context features, %.2f MB)", path, len(context), path.stat().st_size / 1e6)


def _write(
    out: Path,
    layers: dict[str, gpd.GeoDataFrame],
    meta: dict[str, Any],
    sources: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    swaps: list[dict[str, Any]],
) -> None:
    """Write the layers, registries (with the swap ledger), ``dataset.json``, ``LICENSES.md``.

    The sizes are logged.
    """
    for name, layer in layers.items():
        path = write_layer(layer, out / f"{name}.geojson")
        log.info("wrote %s (%d features, %.2f MB)", path, len(layer), path.stat().st_size / 1e6)
    write_text(out / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    write_text(out / SOURCES_FILE, _records_json(sources))
    write_text(out / FIGURES_FILE, _records_json(figures))
    write_text(out / SWAPS_FILE, _records_json(swaps))
    used_by = {d["source_id"]: [f"{d['id']} boundary and areas"] for d in meta["depictions"]}
    if "places" in layers:
        used_by.setdefault(geonames.SOURCE_ID, []).append("places")
    used_by.setdefault("ds_ne10", []).append("context (Central Asia around the line)")
    write_text(out.parent / "LICENSES.md", licenses_markdown(dataset_sources(), used_by))
    total = sum(p.stat().st_size for p in out.parent.rglob("*") if p.is_file())
    log.info("geodata total %.2f MB", total / 1e6)


def _depiction_records(
    out: Path, builds: list[DepictionBuild], order: list[str]
) -> list[dict[str, Any]]:
    """Depiction records: rebuilt ones fresh (with repairs), others kept from ``dataset.json``."""
    records: dict[str, dict[str, Any]] = {}
    if (out / META_FILE).is_file():
        records = {
            d["id"]: d for d in read_json(out / META_FILE).get("depictions", []) if d["id"] in order
        }
    for build in builds:
        records[build.depiction.id] = {
            **build.depiction.record(),
            "repairs": summarise_repairs(build.repairs),
        }
    return [records[d] for d in order if d in records]


def _records_json(records: list[dict[str, Any]]) -> str:
    body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{body}\n]\n" if records else "[]\n"
