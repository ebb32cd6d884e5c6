"""The facts printed beside static maps.

Section and incident tables, attributed positions, status histories, sources and data licences.
Everything here is plain text taken from the dataset and attributed to whoever stated it; the
atlas (PDF) and the report (Markdown/HTML) format it, and escape it for their medium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bordermap.measure import measure_frame, placeholder_text
from bordermap.model import CASUALTY_COUNTS, Dataset, is_set
from bordermap.spread import Spread, spread_of, spreads
from bordermap.spread import index as spread_index
from bordermap.timeline import course_on, status_on

#: What each ``course`` value says, in words.
COURSE_WORDS: dict[str, str] = {
    "published": "published",
    "not_published": "not published (the status is sourced; no source gives where the line runs)",
    "depicted": "known only as the depictions draw it",
    "unknown": "unknown (no source and no depiction gives it)",
}


def feature_name(props: Mapping[str, Any]) -> str:
    """A feature's English name, or its id.

    Examples
    --------
    >>> feature_name({"id": "s-1", "names": {"en": "Vorukh"}}), feature_name({"id": "s-2"})
    ('Vorukh', 's-2')
    """
    names = props.get("names")
    if isinstance(names, Mapping) and names.get("en"):
        return str(names["en"])
    return str(props.get("id", ""))


def codes(value: Any) -> str:
    """A list of country codes as ``KG, TJ`` (empty when unset)."""
    if not is_set(value):
        return ""
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def districts(props: Mapping[str, Any]) -> str:
    """The districts a section lies in, per country: ``KG: Batken district; TJ: Isfara district``."""
    value = props.get("districts")
    if not isinstance(value, Mapping):
        return ""
    return "; ".join(f"{k}: {v}" for k, v in value.items())


def source_label(dataset: Dataset, source_id: str) -> str:
    """``Title — Publisher, date`` for a source id (the bare id when the registry lacks it)."""
    record = dataset.sources.get(source_id)
    if record is None:
        return f"{source_id} (not in the sources registry)"
    parts = [str(record.get("title") or source_id)]
    tail = ", ".join(str(record[k]) for k in ("publisher", "date") if is_set(record.get(k)))
    return f"{parts[0]} — {tail}" if tail else parts[0]


def items(value: Any) -> list[Any]:
    """A list-valued property as a list (empty when unset or NaN)."""
    return list(value) if isinstance(value, (list, tuple)) else []


def feature_source_ids(props: Mapping[str, Any]) -> list[str]:
    """Every source id a feature cites: its ``sources`` provenance, positions, history, figures."""
    found: list[str] = []

    def add(ids: Iterable[Any]) -> None:
        found.extend(str(i) for i in ids if is_set(i) and str(i) not in found)

    for record in items(props.get("sources")):
        if isinstance(record, Mapping):
            add([record.get("source_id")])
    for key in ("positions", "status_history", "swaps", "casualties"):
        for entry in items(props.get(key)):
            if isinstance(entry, Mapping):
                add(items(entry.get("source_ids")))
    return found


def data_credits(dataset: Dataset, source_ids: Iterable[str]) -> list[str]:
    """Attribution and licence of every *dataset* source among ``source_ids`` (for map footers)."""
    lines = []
    for sid in dict.fromkeys(source_ids):
        record = dataset.sources.get(sid)
        if record is None or record.get("kind") != "dataset":
            continue
        who = record.get("attribution") or record.get("publisher") or record.get("title") or sid
        licence = record.get("license") or "licence not stated"
        lines.append(f"{who} ({licence})")
    return list(dict.fromkeys(lines))  # two vintages of one dataset share one credit


def sections_table(dataset: Dataset, day: dt.date | None = None) -> pd.DataFrame:
    """One row per section, with its status on ``day``.

    The columns are id, name, status, where it is, who claims and controls it, measured
    length/area (empty for a placeholder), ``measured`` (the values in words: which depiction
    drew them and the range across every depiction, or what the placeholder stands in for) and
    chainage.

    Examples
    --------
    >>> import bordermap
    >>> table = sections_table(bordermap.load())
    >>> list(table.columns)[:4]
    ['id', 'name', 'status', 'located']
    """
    frame = dataset.layer("sections")
    measured = measure_frame(frame) if len(frame) else pd.DataFrame(columns=["length_km", "area_km2"])
    context = SpreadContext.of(dataset)
    rows = []
    for (index, props), geom in zip(frame.drop(columns=frame.geometry.name).iterrows(), frame.geometry, strict=True):
        props = props.to_dict()
        chain = props.get("chainage_km")
        values = measured.loc[index].to_dict()
        stand_in = placeholder_text(props) is not None
        rows.append(
            {
                "id": props.get("id"),
                "name": feature_name(props),
                "status": status_on(props, day),
                "located": str(props.get("location_precision") or ("unknown" if geom is None else "")),
                "districts": districts(props),
                "claimed_by": codes(props.get("claimed_by")),
                "controlled_by": codes(props.get("controlled_by")),
                "length_km": float("nan") if stand_in else values["length_km"],
                "area_km2": float("nan") if stand_in else values["area_km2"],
                "measured": "; ".join(measured_lines(props, values, *context.lookup(props), short=True)),
                "chainage_km": f"{chain[0]:g}–{chain[1]:g}" if is_set(chain) and len(chain) == 2 else "",
            }
        )
    return pd.DataFrame(rows, columns=["id", "name", "status", "located", "districts", "claimed_by",
                                       "controlled_by", "length_km", "area_km2", "measured", "chainage_km"])


class SpreadContext:
    """The spreads of a dataset's shared things, worked out once for many features."""

    def __init__(self, keys: dict[str, str], drawn: dict[str, str], found: dict[str, dict[str, Spread]]) -> None:
        self.keys, self.drawn, self.found = keys, drawn, found

    @classmethod
    def of(cls, dataset: Dataset, measured: Mapping[str, pd.DataFrame] | None = None) -> SpreadContext:
        """Every depiction of every feature of the dataset, whatever the date or perspective.

        ``measured`` may hand over :func:`bordermap.measure.measure_frame` of whole layers.
        The countries' parts of the region are left out (no feature shows their values).
        """
        keys = spread_index(dataset)
        return cls({fid: thing for fid, (thing, _) in keys.items()},
                   {fid: dep for fid, (_, dep) in keys.items() if dep},
                   spreads(dataset, keys=keys, regions=False, measured=measured))

    def lookup(self, props: Mapping[str, Any]) -> tuple[dict[str, Spread], str | None]:
        """The spreads of the thing a feature draws, and the depiction that drew it."""
        return spread_of(props, self.keys, self.found), self.drawn.get(str(props.get("id")))


def measured_lines(
    props: Mapping[str, Any],
    measured: Mapping[str, Any] | None,
    spread: Mapping[str, Spread] | None = None,
    drawn: str | None = None,
    short: bool = False,
) -> list[str]:
    """A feature's measured values in words: never a placeholder's, each with its range.

    Each line reads ``label: value``; the popups, the atlas and the report print these lines.

    Examples
    --------
    >>> from bordermap.spread import Spread
    >>> s = {"area_km2": Spread("enclave v", "area_km2", {"a": 33.21, "b": 141.62}, "a")}
    >>> for line in measured_lines({"id": "x"}, {"area_km2": 33.21}, s, "a"):
    ...     print(line)
    Area (geodesic, WGS84), as drawn by a: 33.210 km²
    Area, every depiction: 33.2–141.6 km² across 2 depictions: a 33.2 (default depiction, a drawing choice), b 141.6
    >>> measured_lines({"geometry_method": "derived: stretch of a line"}, {"length_km": 6.0})
    ['placeholder, not a measurement: stretch of a line']
    """
    stand_in = placeholder_text(props)
    if stand_in is not None:
        return ["placeholder (stand-in geometry), not measured"] if short else [stand_in]
    spread = spread or {}
    out = []
    for quantity, name, unit, digits in (("length_km", "Length", "km", 2), ("area_km2", "Area", "km²", 3)):
        value = (measured or {}).get(quantity)
        if value is None or not is_set(value) or not value > 0:  # NaN, or a point's length
            continue
        if quantity == "length_km" and is_set((measured or {}).get("area_km2")):
            name = "Perimeter"
        by = f", as drawn by {drawn}" if drawn and quantity in spread else ""
        if short:
            text = f"{name.lower()} {value:,.{min(digits, 1)}f} {unit}{f' ({drawn})' if by else ''}"
            found = spread.get(quantity)
            if found is not None and len(found.values) > 1:
                text += f", {found.low:,.1f}–{found.high:,.1f} across {len(found.values)} depictions"
            out.append(text)
            continue
        out.append(f"{name} (geodesic, WGS84){by}: {value:,.{digits}f} {unit}")
        if quantity in spread:
            # a segment of the main line gets the whole line's range
            whole = "Main line" if props.get("part") == "main" and quantity == "length_km" else name
            out.append(f"{whole}, every depiction: {spread[quantity].text()}")
    return out


def casualty_lines(props: Mapping[str, Any]) -> list[str]:
    """Each casualty figure with who reported it; contradictory figures stay side by side.

    Examples
    --------
    >>> casualty_lines({"casualties": [{"side": "KG", "killed": 3, "reported_by": "KG ministry",
    ...                                 "reported_on": "2021-05-02"}]})
    ['KG: 3 killed (KG ministry, 2021-05-02)']
    """
    out = []
    for entry in items(props.get("casualties")):
        counts = ", ".join(f"{entry[k]} {k}" for k in CASUALTY_COUNTS if is_set(entry.get(k)))
        who = ", ".join(str(entry[k]) for k in ("reported_by", "reported_on") if is_set(entry.get(k)))
        out.append(f"{entry.get('side', '?')}: {counts or 'no figure'}" + (f" ({who})" if who else ""))
    return out


def incidents_table(dataset: Dataset) -> pd.DataFrame:
    """One row per incident: id, name, dates, places, attributed casualty figures."""
    frame = dataset.layer("incidents")
    place_rows = dataset.layer("places").drop(columns="geometry").to_dict("records")
    places = {str(r["id"]): feature_name(r) for r in place_rows}
    rows = []
    for props in frame.drop(columns=frame.geometry.name).to_dict("records"):
        start, end = props.get("date_start"), props.get("date_end")
        dates = str(start or "") + (f" to {end}" if is_set(end) and end != start else "")
        rows.append(
            {
                "id": props.get("id"),
                "name": feature_name(props),
                "dates": dates,
                "places": ", ".join(places.get(str(p), str(p)) for p in items(props.get("place_ids"))),
                "casualties": "; ".join(casualty_lines(props)),
            }
        )
    return pd.DataFrame(rows, columns=["id", "name", "dates", "places", "casualties"])


def section_details(dataset: Dataset, props: Mapping[str, Any], day: dt.date | None,
                    measured: Mapping[str, float] | None = None,
                    context: SpreadContext | None = None) -> list[tuple[str, list[str]]]:
    """A section's facts as titled blocks of lines: attributes, positions, history, measures, sources.

    Measured values come with the range across every depiction that draws the same thing
    (``context``, worked out from the dataset when not given); a placeholder's are not printed.
    """
    attributes = [f"Status{f' on {day}' if day else ''}: {status_on(props, day)}"]
    course = course_on(props, day)
    if course != "published":
        attributes.append(f"Course of the line{f' on {day}' if day else ''}: {COURSE_WORDS.get(course, course)}")
    for label, value in (
        ("Location known to", props.get("location_precision")),
        ("Districts", districts(props)),
        ("Disputed objects", codes(props.get("disputed_objects"))),
        ("Claimed by", codes(props.get("claimed_by"))),
        ("Controlled by", codes(props.get("controlled_by"))),
        ("Disputed by", codes(props.get("disputed_by"))),
        ("Chainage (km, default line)", "–".join(f"{c:g}" for c in items(props.get("chainage_km")))),
        ("Geometry", props.get("geometry_method")),
        ("Precision", f"{props['precision_m']:g} m" if is_set(props.get("precision_m")) else ""),
        ("Note", props.get("note")),
    ):
        if is_set(value):
            attributes.append(f"{label}: {value}")
    positions = []
    for p in items(props.get("positions")):
        who = ", ".join(str(p[k]) for k in ("stated_by", "date") if is_set(p.get(k)))
        basis = f" Basis: {p['basis']}." if is_set(p.get("basis")) else ""
        positions.append(f"{p.get('party', '?')} ({who}): “{p.get('position', '')}”.{basis}")
    history = []
    for h in items(props.get("status_history")):
        span = f"{h.get('from') or '…'} to {h.get('to') or 'now'}"
        note = f" — {h['note']}" if is_set(h.get("note")) else ""
        history.append(f"{span}: {h.get('status')}{note}")
    for s in items(props.get("swaps")):
        at_place = f" at {s['place']}" if is_set(s.get("place")) else ""
        history.append(f"Swap: {s.get('hectares', '?')} ha to {s.get('to', '?')}" + at_place)
    measures = []
    if measured or placeholder_text(props) is not None:
        found, drawn = (context or SpreadContext.of(dataset)).lookup(props)
        measures = measured_lines(props, measured, found, drawn)
    sources = [source_label(dataset, sid) for sid in feature_source_ids(props)]
    blocks = [("Attributes", attributes), ("Positions of the parties (as stated)", positions),
              ("Status history", history), ("Measured", measures), ("Sources", sources)]
    return [(title, lines) for title, lines in blocks if lines]
