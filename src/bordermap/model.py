"""The in-memory data model: a :class:`Dataset` of GeoDataFrame layers plus two registries.

The file format is described in ``docs/data-model.md``; reading and writing live in
:mod:`bordermap.io`, kept apart from this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np


@cache
def schemas() -> dict[str, Any]:
    """The JSON Schemas shipped in ``bordermap/schema``, by file name: the one source of enums."""
    root = files("bordermap") / "schema"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in root.iterdir() if p.name.endswith(".json")}


def schema_enum(file: str, *path: str) -> tuple[str, ...]:
    """The values of an ``enum`` in a JSON Schema, in schema order.

    Examples
    --------
    >>> schema_enum("sources.json", "items", "properties", "kind")
    ('government', 'media', 'reference', 'dataset')
    """
    node = schemas()[file]
    for key in path:
        node = node[key]
    return tuple(node["enum"])


#: Layer names, in drawing order (bottom first).
LAYERS: tuple[str, ...] = (
    "areas",
    "divergence",
    "candidates",
    "boundary",
    "sections",
    "places",
    "incidents",
)

#: Line and area statuses (schema ``defs.json``); the first five follow the UN/Natural Earth conventions.
STATUSES: tuple[str, ...] = schema_enum("defs.json", "$defs", "status")

#: Categories of the figures register (schema ``figures.json``).
FIGURE_CATEGORIES: tuple[str, ...] = schema_enum("figures.json", "items", "properties", "category")

#: Kinds of features in the ``areas`` layer (schema ``areas.json``).
AREA_KINDS: tuple[str, ...] = schema_enum("areas.json", "properties", "kind")

#: The counts a casualty report of an incident may give (``incidents.json``, ``casualties``):
#: ``evacuated`` is people moved out by the authorities, ``displaced`` people reported as having
#: fled or lost their homes; a report gives the words its source used.
CASUALTY_COUNTS: tuple[str, ...] = ("killed", "injured", "evacuated", "displaced")

#: Statuses drawn dashed (contested or not known).
DASHED_STATUSES: frozenset[str] = frozenset({"disputed", "undetermined"})

#: Statuses that say the parties have fixed the line (whether or not its course is published).
AGREED_STATUSES: frozenset[str] = frozenset({"agreed", "delimited", "demarcated", "settled"})

#: What is known of a line's course on a date (``course_history``; the schema's ``course`` enum):
#: a source gives it, it exists but is unpublished, it is known only as a depiction draws it, or
#: nothing gives it.
COURSES: tuple[str, ...] = schema_enum("defs.json", "$defs", "course")

#: Words in ``geometry_method`` that mark a derived stand-in geometry (see :func:`is_placeholder`).
_STAND_IN_METHODS: tuple[str, ...] = ("stand-in:", "derived: stretch of")


def is_placeholder(props: Mapping[str, Any]) -> bool:
    """Whether a feature's geometry is a stand-in, not a drawing of the thing itself.

    ``placeholder`` decides when it is set (the bundled build sets it on every stand-in). Without
    it: when ``geometry_method`` says ``stand-in:``, when the geometry is a derived stretch of a
    line around a named place, or when a GeoNames point stands for a section or an incident (a place's own
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
    if isinstance(flag, (bool, np.bool_)):
        return bool(flag)
    method = props.get("geometry_method")
    if not isinstance(method, str):
        return False
    if method.startswith(_STAND_IN_METHODS):
        return True
    return props.get("kind") != "place" and method.startswith("GeoNames point")

CRS = "EPSG:4326"


def is_set(value: Any) -> bool:
    """Whether a property holds a value: not None, NaN, or an empty string, list or object.

    The one test of "is this property given" for every layer of the library (a GeoDataFrame
    column holds NaN where a feature lacks a property that others have).

    Examples
    --------
    >>> [is_set(v) for v in (None, float("nan"), "", [], {}, 0, "x", ["KG"])]
    [False, False, False, False, False, True, True, True]
    """
    if value is None:
        return False
    if isinstance(value, float):
        return value == value
    if isinstance(value, (list, tuple, dict, str)):
        return len(value) > 0
    return True


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
    swaps
        The swap ledger (``swaps.json``): one record per land exchange (see
        :mod:`bordermap.swaps`); empty when the dataset has none.
    path
        Where the dataset was read from, if anywhere.
    digests
        File name → SHA-256 of the bytes :func:`bordermap.load` read from it (the dataset's
        content as read; the validation memo keys on it). Empty for data built in memory and for
        files read by GDAL or pyarrow (:func:`bordermap.validate.load_valid` adds theirs when it
        checks them).
    model_file
        True for a single GeoJSON file that says it is a bordermap dataset (a top-level
        ``bordermap`` member, the single-file form of ``dataset.json``): every command holds it to
        the data model's rules, ``measure`` included (which otherwise also reads plain features).

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
    swaps: list[dict[str, Any]] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    model_file: bool = False

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
        records = self.meta.get("depictions")
        return [d["id"] for d in records if isinstance(d, dict) and "id" in d] if isinstance(records, list) else []

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
