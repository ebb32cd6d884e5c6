"""The in-memory data model: a :class:`Dataset` of GeoDataFrame layers plus two registries.

The file format is described in ``docs/data-model.md``; reading and writing live in
:mod:`bordermap.io`, kept apart from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

#: Layer names, in drawing order (bottom first).
LAYERS: tuple[str, ...] = ("areas", "divergence", "boundary", "sections", "places", "incidents")

#: Line and area statuses; the first five follow the UN/Natural Earth conventions.
STATUSES: tuple[str, ...] = (
    "agreed",
    "delimited",
    "demarcated",
    "settled",
    "disputed",
    "undetermined",
    "abolished",
)

#: Categories of the figures register (``figures.json``).
FIGURE_CATEGORIES: tuple[str, ...] = (
    "border_length",
    "delimited_length",
    "undelimited_length",
    "section_count",
    "area_claim",
    "area_other",
    "enclave_area",
    "swap_area",
    "casualties",
    "evacuated",
    "other",
)

#: Statuses drawn dashed (contested or not known).
DASHED_STATUSES: frozenset[str] = frozenset({"disputed", "undetermined"})

CRS = "EPSG:4326"


def empty_layer() -> gpd.GeoDataFrame:
    """Return an empty layer with the columns every layer has."""
    return gpd.GeoDataFrame({"id": [], "kind": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)


@dataclass
class Dataset:
    """A border dataset: layers, sources registry, figures register and metadata.

    Parameters
    ----------
    meta
        The content of ``dataset.json`` (id, title, pair, countries, depictions, as_of…).
    layers
        Layer name → GeoDataFrame in EPSG:4326, one row per feature, one column per property.
    sources
        Source id → source record.
    figures
        Published figures, in register order.
    path
        Where the dataset was read from, if anywhere.
    digests
        File name → SHA-256 of the bytes :func:`bordermap.load` read from it (the dataset's
        content as read; the validation memo keys on it). Empty for data built in memory and for
        files read by GDAL or pyarrow (:func:`bordermap.validate.load_valid` adds theirs when it
        checks them).

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load()
    >>> sorted(ds.depictions)[:2]
    ['dcw', 'ne10']
    """

    meta: dict[str, Any]
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    figures: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    digests: dict[str, str] = field(default_factory=dict)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return a layer, or an empty one when the dataset has none of that name."""
        frame = self.layers.get(name)
        return empty_layer() if frame is None else frame

    @property
    def pair(self) -> tuple[str, str]:
        """The two countries whose border this dataset is about."""
        a, b = self.meta["pair"]
        return a, b

    @property
    def depictions(self) -> list[str]:
        """Ids of the depictions of the line, in the order ``dataset.json`` lists them."""
        return [d["id"] for d in self.meta.get("depictions", [])]

    @property
    def default_depiction(self) -> str:
        """The depiction used for chainage and where a single line is needed."""
        return str(self.meta.get("default_depiction") or self.depictions[0])

    def depiction(self, depiction_id: str) -> dict[str, Any]:
        """Return the metadata record of one depiction."""
        for record in self.meta.get("depictions", []):
            if record["id"] == depiction_id:
                return dict(record)
        raise KeyError(depiction_id)

    def country_name(self, code: str) -> str:
        """Display name of a country code, from the dataset's own ``countries`` table."""
        return str(self.meta.get("countries", {}).get(code, {}).get("name", code))
