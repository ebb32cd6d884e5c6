"""Upstream datasets: fetched with their ordinary package clients, read into country polygons.

Each boundary source is a separate *depiction* of the line, never merged with the others.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from bordermap.upstream import dcw, geomaps, natural_earth, osm_borders
from bordermap.upstream.depiction import Depiction

#: Depictions in the order ``dataset.json`` lists them (the default first).
DEPICTIONS: dict[str, Depiction] = {
    d.id: d
    for d in (osm_borders.DEPICTION, geomaps.DEPICTION, natural_earth.DEPICTION, dcw.DEPICTION)
}

#: Depictions that cover the whole world with neighbours sharing vertices: what ``init`` and
#: ``world`` read (DCW's neighbours do not share vertices; the KG–TJ build cleans them).
WORLD_DEPICTIONS: tuple[str, ...] = ("osm2022", "osm2017", "ne10")


def dataset_sources() -> list[dict[str, Any]]:
    """Return the ``sources.json`` records of the upstream datasets."""
    text = resources.files(__package__).joinpath("sources.json").read_text(encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(text)
    return records
