"""What every upstream boundary source provides: its metadata and a loader of country polygons."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from bordermap.errors import DataError

#: Alpha-3 codes some sources use that ISO 3166-1 does not assign (Kosovo).
_USER_ALPHA3 = {"XKX": "XK", "KOS": "XK"}


def alpha2(code3: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of an alpha-3 code, or None when it names no country.

    Examples
    --------
    >>> alpha2("KGZ"), alpha2("XKX"), alpha2("-99")
    ('KG', 'XK', None)
    """
    import pycountry

    if code3 in _USER_ALPHA3:
        return _USER_ALPHA3[code3]
    country = pycountry.countries.get(alpha_3=code3)
    return None if country is None else str(country.alpha_2)


def require(found: dict[str, BaseGeometry], codes: Collection[str] | None, where: str) -> None:
    """Raise a DataError naming the requested countries a source does not have."""
    missing = sorted(set(codes or ()) - set(found))
    if missing:
        found_text = f"found {len(found)} countries"
        raise DataError(f"{where}: no polygon for {', '.join(missing)}; {found_text}")


@dataclass(frozen=True)
class Depiction:
    """One upstream depiction of the border: where it comes from and how to read it.

    Parameters
    ----------
    id
        Depiction id used in the dataset (``osm2022``…).
    title
        Human title.
    vintage
        ISO date (or year) the data describes.
    source_id
        Id of the dataset record in ``sources.json``.
    precision_m
        Estimated horizontal uncertainty of the line in metres (see ``docs/data-sources.md``).
    scale_denominator
        Map scale the source was compiled at, or None for survey-free vector data such as OSM.
    origin
        Package, version and file, in words (the start of every ``geometry_method``).
    note
        Caveats that hold wherever the source is used (a recipe's ``depiction_notes`` may give one
        that speaks of its region instead).
    snap_m
        Tolerance in metres within which one country's edge counts as shared with its neighbour's
        (0 = exact vertices).
    load
        ``load(cache, codes)`` reads the full polygons of the ISO2 ``codes`` (every country in the
        source when None) from the cache directory: ``{ISO2: geometry}``.
    """

    id: str
    title: str
    vintage: str
    source_id: str
    precision_m: float
    scale_denominator: int | None
    origin: str
    note: str
    snap_m: float
    load: Callable[[Path, Collection[str] | None], dict[str, BaseGeometry]]

    def record(self) -> dict[str, Any]:
        """Return the depiction's entry in ``dataset.json`` (without the build's repair list)."""
        return {
            "id": self.id,
            "title": self.title,
            "vintage": self.vintage,
            "source_id": self.source_id,
            "scale_denominator": self.scale_denominator,
            "precision_m": self.precision_m,
            "note": self.note,
        }
