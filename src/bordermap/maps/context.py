"""Background context for the maps: the countries, lakes and rivers around a dataset's line.

The countries are in ``context.geojson``, the lakes and rivers in ``context-water.geojson``.

``make data`` writes the bundled dataset's context from Natural Earth and the water from GSHHG
(see :mod:`bordermap.derive.context`); a dataset without those files simply has no context. The context
is drawn under everything, never measured, checked or styled by status: it only fills the map
around the dataset's own country polygons and makes the locator inset show Central Asia.
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd

from bordermap.io.geojson import read_layer
from bordermap.model import Dataset

CONTEXT_FILE = "context.geojson"
#: Lakes and rivers around the line (GSHHG/WDB-II; see :mod:`bordermap.derive.context`).
WATER_FILE = "context-water.geojson"


@functools.lru_cache(maxsize=8)
def _read(path: str, mtime: float) -> gpd.GeoDataFrame:
    return read_layer(Path(path))


def _context_file(dataset: Dataset, name: str) -> gpd.GeoDataFrame | None:
    root = Path(dataset.path) if dataset.path is not None else None
    path = root / name if root is not None and root.is_dir() else None
    if path is None or not path.is_file():
        return None
    return _read(str(path), path.stat().st_mtime)


def context_layer(dataset: Dataset) -> gpd.GeoDataFrame | None:
    """The dataset's context countries, or None when it has none.

    Examples
    --------
    >>> import bordermap
    >>> sorted(context_layer(bordermap.load())["country"])[:3]
    ['AF', 'CN', 'KG']
    >>> context_layer(bordermap.load("tests/data/mini")) is None
    True
    """
    return _context_file(dataset, CONTEXT_FILE)


def water_layer(dataset: Dataset) -> gpd.GeoDataFrame | None:
    """The dataset's lakes and rivers (background only), or None when it has none.

    Examples
    --------
    >>> import bordermap
    >>> sorted(water_layer(bordermap.load())["kind"])
    ['lake', 'river']
    >>> water_layer(bordermap.load("tests/data/mini")) is None
    True
    """
    return _context_file(dataset, WATER_FILE)


def english_country_name(dataset: Dataset, code: str) -> str:
    """A country's English name: the dataset's, else pycountry's common name, else the code."""
    name = dataset.country_name(code)
    if name != code:
        return name
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or getattr(found, "name", code)) if found else code
