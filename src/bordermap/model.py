"""The in-memory data model: a :class:`Dataset` of GeoDataFrame layers plus two registries.

The file format is described in ``docs/data-model.md``; reading and writing live in
:mod:`bordermap.io`, kept apart from this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

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

#: Statuses that say the parties have fixed the line (whether or not its course is published).
AGREED_STATUSES: frozenset[str] = frozenset({"agreed", "delimited", "demarcated", "settled"})

#: What is known of a line's course on a date (``course_history``; the schema's ``course`` enum):
#: a source gives it, it exists but is unpublished, it is known only as a depiction draws it, or
#: nothing gives it.
COURSES: tuple[str, ...] = ("published", "not_published", "depicted", "unknown")

#: Words in ``geometry_method`` that mark a derived stand-in geometry (see :func:`is_placeholder`).
_STAND_IN_METHODS: tuple[str, ...] = ("derived: stretch of",)


def is_placeholder(props: Mapping[str, Any]) -> bool:
    """Whether a feature's geometry is a stand-in, not a drawing of the thing itself.

    True when ``placeholder`` is true, when the geometry is a derived stretch of a line around a
    named place, or when a GeoNames point stands for a section or an incident (a place's own
    gazetteer point is not a stand-in). Its length and area are then not the feature's.

    Examples
    --------
    >>> is_placeholder({"kind": "disputed_section", "geometry_method": "derived: stretch of osm2022 main line"})
    True
    >>> is_placeholder({"kind": "disputed_section", "geometry_method": "GeoNames point 8382860 (Ak-Tatyr)"})
    True
    >>> is_placeholder({"kind": "place", "geometry_method": "GeoNames point 8382860 (cities500)"})
    False
    >>> is_placeholder({"kind": "boundary", "placeholder": float("nan")}), is_placeholder({"placeholder": True})
    (False, True)
    """
    flag = props.get("placeholder")
    if isinstance(flag, (bool, np.bool_)) and flag:
        return True
    method = props.get("geometry_method")
    if not isinstance(method, str):
        return False
    if method.startswith(_STAND_IN_METHODS):
        return True
    return props.get("kind") != "place" and method.startswith("GeoNames point")

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
