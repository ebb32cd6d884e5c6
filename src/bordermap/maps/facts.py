"""The facts printed beside static maps.

Section and incident tables, attributed positions, status histories, sources and data licences.
Everything here is plain text taken from the dataset and attributed to whoever stated it; the
atlas (PDF) and the report (Markdown/HTML) format it, and escape it for their medium.

Every function takes ``tr``, the interface language (:func:`bordermap.i18n.messages`; English
when not given): sentences are built from whole catalogue templates with named placeholders,
never from translated fragments, and numbers and dates are written the way the language writes
them. What the data says (names without a translation, notes, positions, source titles) is
printed as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bordermap.i18n import N_, Messages, messages
from bordermap.measure import measure, measure_frame, placeholder_text
from bordermap.model import CASUALTY_COUNTS, Dataset, is_set
from bordermap.perspective import DE_FACTO, NEUTRAL
from bordermap.spread import Spread, spread_of, spreads
from bordermap.spread import index as spread_index
from bordermap.text import digits_for, shown_digits
from bordermap.timeline import course_on, status_on

#: What each ``course`` value says, in words.
COURSE_WORDS: dict[str, str] = {
    "published": N_("published"),
    "not_published": N_("not published (the status is sourced; no source gives where the line runs)"),
    "depicted": N_("known only as the depictions draw it"),
    "unknown": N_("unknown (no source and no depiction gives it)"),
}
#: What each ``location_precision`` value says (the schema's enum), in words.
LOCATED_WORDS: dict[str, str] = {
    "line_stretch": N_("a stretch of the line"),
    "place": N_("a place"),
    "envelope": N_("an envelope around places"),
    "district": N_("a district"),
    "unknown": N_("unknown"),
}
#: What can be disputed in a section (the enum of ``schema/sections.json``), in words.
OBJECT_WORDS: dict[str, str] = {
    "land": N_("land"),
    "water": N_("water"),
    "road": N_("road"),
    "pasture": N_("pasture"),
    "checkpoint": N_("checkpoint"),
    "settlement": N_("settlement"),
    "infrastructure": N_("infrastructure"),
}
#: Casualty counts (:data:`bordermap.model.CASUALTY_COUNTS`) as ``what: number`` templates.
CASUALTY_WORDS: dict[str, str] = {
    "killed": N_("{n} killed"),
    "injured": N_("{n} injured"),
    "evacuated": N_("{n} evacuated"),
    "displaced": N_("{n} displaced"),
}
EN = messages("en")


def count_text(value: Any, tr: Messages = EN) -> str:
    r"""A reported count as the language groups its thousands (40,000; ru 40 000); anything else as written.

    Examples
    --------
    >>> count_text(40000), count_text(2726, messages("ru")), count_text("5-7")
    ('40,000', '2\xa0726', '5-7')
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return tr.decimal(value, group=True)
    return str(value)


def feature_name(props: Mapping[str, Any], tr: Messages = EN) -> str:
    """A feature's name in the language of ``tr`` (English by default), else in English, else its id.

    Examples
    --------
    >>> feature_name({"id": "s-1", "names": {"en": "Vorukh"}}), feature_name({"id": "s-2"})
    ('Vorukh', 's-2')
    """
    names = props.get("names")
    english = str(names["en"]) if isinstance(names, Mapping) and names.get("en") else str(props.get("id", ""))
    return tr.name(names, english) if tr.lang != "en" else english


def day_text(value: Any, tr: Messages = EN) -> str:
    """A date from the data as the language writes it; a partial or odd date as written.

    Examples
    --------
    >>> day_text("2025-03-13"), day_text("2021-04"), day_text(None)
    ('2025-03-13', '2021-04', '')
    """
    return tr.day(value)


def located(value: Any, tr: Messages = EN) -> str:
    """A section's ``location_precision`` in words (empty when unset)."""
    if not is_set(value):
        return ""
    return tr(LOCATED_WORDS[value]) if value in LOCATED_WORDS else str(value)


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


def source_label(dataset: Dataset, source_id: str, tr: Messages = EN) -> str:
    """``Title — Publisher, date`` for a source id (the bare id when the registry lacks it)."""
    record = dataset.sources.get(source_id)
    if record is None:
        return tr("{id} (not in the sources registry)", id=source_id)
    parts = [str(record.get("title") or source_id)]
    tail = ", ".join(day_text(record[k], tr) if k == "date" else str(record[k])
                     for k in ("publisher", "date") if is_set(record.get(k)))
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


def data_credits(dataset: Dataset, source_ids: Iterable[str], tr: Messages = EN) -> list[str]:
    """Attribution and licence of every *dataset* source among ``source_ids`` (for map footers)."""
    lines = []
    for sid in dict.fromkeys(source_ids):
        record = dataset.sources.get(sid)
        if record is None or record.get("kind") != "dataset":
            continue
        who = record.get("attribution") or record.get("publisher") or record.get("title") or sid
        licence = record.get("license") or tr("licence not stated")
        lines.append(f"{who} ({licence})")
    return list(dict.fromkeys(lines))  # two vintages of one dataset share one credit


def chainage_text(chainage: Any, tr: Messages = EN) -> str:
    """A chainage range in km as the language writes numbers, to 10 m at most (the table and the details).

    Examples
    --------
    >>> chainage_text([212.874, 218.874]), chainage_text([62.466, 68.466], messages("ru")), chainage_text(None)
    ('212.87–218.87', '62,47–68,47', '')
    """
    return "–".join(tr.number(float(c), 2).rstrip("0").rstrip(".,") for c in items(chainage))


def sections_table(dataset: Dataset, day: dt.date | None = None, tr: Messages = EN) -> pd.DataFrame:
    """One row per section, with its status on ``day``.

    The columns are id, name, status, where it is, who claims and controls it, measured
    length/area (empty for a placeholder), ``measured`` (the values in words: which depiction
    drew them and the range across every depiction, or what the placeholder stands in for) and
    chainage. Column names are the same in every language; values are in the language of ``tr``.

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
                "name": feature_name(props, tr),
                "status": tr(str(status_on(props, day))),
                "located": located(props.get("location_precision") or ("unknown" if geom is None else None), tr),
                "districts": districts(props),
                "claimed_by": codes(props.get("claimed_by")),
                "controlled_by": codes(props.get("controlled_by")),
                "length_km": float("nan") if stand_in else values["length_km"],
                "area_km2": float("nan") if stand_in else values["area_km2"],
                "measured": "; ".join(measured_lines(props, values, *context.lookup(props), short=True, tr=tr)),
                "chainage_km": chainage_text(chain, tr) if is_set(chain) and len(chain) == 2 else "",
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


#: The measured quantities: (column, unit, decimals, name of the quantity).
QUANTITY_ROWS: tuple[tuple[str, str, int, str], ...] = (
    ("length_km", N_("km"), 2, "length"),
    ("area_km2", N_("km²"), 3, "area"),
)
#: Each quantity's labels: the field name, the long label, the long label naming the depiction that
#: drew the value, and the label of every depiction's values.
QUANTITY_LABELS: dict[str, tuple[str, str, str, str]] = {
    "length": (N_("length"), N_("Length (geodesic, WGS84)"), N_("Length (geodesic, WGS84), as drawn by {depiction}"),
               N_("length, every depiction")),
    "perimeter": (N_("perimeter"), N_("Perimeter (geodesic, WGS84)"),
                  N_("Perimeter (geodesic, WGS84), as drawn by {depiction}"), N_("perimeter, every depiction")),
    "area": (N_("area"), N_("Area (geodesic, WGS84)"), N_("Area (geodesic, WGS84), as drawn by {depiction}"),
             N_("area, every depiction")),
    "main": (N_("length"), N_("Length (geodesic, WGS84)"), N_("Length (geodesic, WGS84), as drawn by {depiction}"),
             N_("main line, every depiction")),
}


def measured_rows(
    props: Mapping[str, Any],
    measured: Mapping[str, Any] | None,
    spread: Mapping[str, Spread] | None = None,
    drawn: str | None = None,
    tr: Messages = EN,
) -> list[tuple[str, str, str]]:
    """A feature's measured values as ``(kind, label, value)`` rows: never a placeholder's.

    ``kind`` is ``value`` (a value; the label names the depiction that drew it), ``field`` (the
    same value under the quantity's short field name, the depiction named in the value), ``spread``
    (every depiction's values and their range) or ``placeholder``. The popups print the ``field``,
    ``spread`` and ``placeholder`` rows; :func:`measured_lines` the ``value``, ``spread`` and
    ``placeholder`` rows.

    Examples
    --------
    >>> measured_rows({"id": "x"}, {"length_km": 6.0})
    [('value', 'Length (geodesic, WGS84)', '6.00 km'), ('field', 'length', '6.00 km')]
    """
    stand_in = placeholder_text(props, tr)
    if stand_in is not None:
        label, _, words = stand_in.partition(": ")
        return [("placeholder", label, words)]
    spread = spread or {}
    out = []
    for quantity, unit, digits, name in QUANTITY_ROWS:
        value = (measured or {}).get(quantity)
        if value is None or not is_set(value) or not value > 0:  # NaN, or a point's length
            continue
        if quantity == "length_km" and is_set((measured or {}).get("area_km2")):
            name = "perimeter"
        field_name, plain, by_depiction, every = QUANTITY_LABELS[name]
        text = tr("{value} {unit}", value=tr.number(float(value), shown_digits(float(value), digits)), unit=tr(unit))
        if drawn and quantity in spread:
            out.append(("value", tr(by_depiction, depiction=drawn), text))
            out.append(("field", tr(field_name), tr("{depiction}: {value}", depiction=drawn, value=text)))
        else:
            out.append(("value", tr(plain), text))
            out.append(("field", tr(field_name), text))
        if quantity in spread:
            # a segment of the main line gets the whole line's range
            whole = "main" if props.get("part") == "main" and quantity == "length_km" else name
            out.append(("spread", tr(QUANTITY_LABELS[whole][3]), spread[quantity].text(tr=tr)))
    return out


def measured_lines(
    props: Mapping[str, Any],
    measured: Mapping[str, Any] | None,
    spread: Mapping[str, Spread] | None = None,
    drawn: str | None = None,
    short: bool = False,
    tr: Messages = EN,
) -> list[str]:
    """A feature's measured values in words: never a placeholder's, each with its range.

    Each line reads ``label: value``; the atlas and the report print these lines (the popups
    print :func:`measured_rows`). ``short`` gives one clause per quantity, for a table cell.

    Examples
    --------
    >>> from bordermap.spread import Spread
    >>> s = {"area_km2": Spread("enclave v", "area_km2", {"a": 33.21, "b": 141.62}, "a")}
    >>> for line in measured_lines({"id": "x"}, {"area_km2": 33.21}, s, "a"):
    ...     print(line)
    Area (geodesic, WGS84), as drawn by a: 33.2 km²
    Area, every depiction: 33.2–141.6 km² across 2 depictions: a 33.2 (default depiction, a drawing choice), b 141.6
    >>> measured_lines({"geometry_method": "derived: stretch of a line"}, {"length_km": 6.0})
    ['placeholder, not a measurement: stretch of a line']
    >>> measured_lines({"id": "x"}, {"area_km2": 33.21}, s, "a", short=True)
    ['area 33.2 km² (a), 33.2–141.6 across 2 depictions']
    """
    stand_in = placeholder_text(props, tr)
    if stand_in is not None:
        return [tr("placeholder (stand-in geometry), not measured")] if short else [stand_in]
    spread = spread or {}
    if short:
        out = []
        for quantity, unit, _digits, name in QUANTITY_ROWS:
            value = (measured or {}).get(quantity)
            if value is None or not is_set(value) or not value > 0:
                continue
            if quantity == "length_km" and is_set((measured or {}).get("area_km2")):
                name = "perimeter"
            values = {"quantity": tr(QUANTITY_LABELS[name][0]), "value": tr.number(float(value), 1), "unit": tr(unit)}
            text = (tr("{quantity} {value} {unit} ({depiction})", depiction=drawn, **values)
                    if drawn and quantity in spread else tr("{quantity} {value} {unit}", **values))
            found = spread.get(quantity)
            if found is not None and len(found.values) > 1:
                text = tr("{measured}, {low}–{high} across {n} depictions", measured=text, low=tr.number(found.low, 1),
                          high=tr.number(found.high, 1), n=len(found.values))
            out.append(text)
        return out
    lines = []
    for kind, label, value in measured_rows(props, measured, spread, drawn, tr):
        if kind == "spread":
            label = label[0].upper() + label[1:]
        if kind != "field":
            lines.append(tr("{label}: {value}", label=label, value=value))
    return lines


def casualty_lines(props: Mapping[str, Any], tr: Messages = EN) -> list[str]:
    """Each casualty figure with who reported it; contradictory figures stay side by side.

    Examples
    --------
    >>> casualty_lines({"casualties": [{"side": "KG", "killed": 3, "reported_by": "KG ministry",
    ...                                 "reported_on": "2021-05-02"}]})
    ['KG: 3 killed (KG ministry, 2021-05-02)']
    """
    out = []
    for entry in items(props.get("casualties")):
        counts = ", ".join(tr(CASUALTY_WORDS[k], n=count_text(entry[k], tr)) for k in CASUALTY_COUNTS
                           if is_set(entry.get(k)))
        who = ", ".join(
            day_text(entry[k], tr) if k == "reported_on" else str(entry[k])
            for k in ("reported_by", "reported_on") if is_set(entry.get(k))
        )
        values = {"side": entry.get("side", "?"), "counts": counts or tr("no figure"), "who": who}
        out.append(tr("{side}: {counts} ({who})", **values) if who else tr("{side}: {counts}", **values))
    return out


def incidents_table(dataset: Dataset, tr: Messages = EN) -> pd.DataFrame:
    """One row per incident: id, name, dates, places, attributed casualty figures."""
    frame = dataset.layer("incidents")
    place_rows = dataset.layer("places").drop(columns="geometry").to_dict("records")
    places = {str(r["id"]): feature_name(r, tr) for r in place_rows}
    rows = []
    for props in frame.drop(columns=frame.geometry.name).to_dict("records"):
        start, end = props.get("date_start"), props.get("date_end")
        dates = (tr("{start} to {end}", start=day_text(start, tr), end=day_text(end, tr))
                 if is_set(end) and end != start else day_text(start, tr))
        rows.append(
            {
                "id": props.get("id"),
                "name": feature_name(props, tr),
                "dates": dates,
                "places": ", ".join(places.get(str(p), str(p)) for p in items(props.get("place_ids"))),
                "casualties": "; ".join(casualty_lines(props, tr)),
            }
        )
    return pd.DataFrame(rows, columns=["id", "name", "dates", "places", "casualties"])


#: The attributes of a section, in the order printed: (label, property).
ATTRIBUTE_LABELS: tuple[tuple[str, str], ...] = (
    (N_("Location known to"), "location_precision"),
    (N_("Districts"), "districts"),
    (N_("Disputed objects"), "disputed_objects"),
    (N_("Claimed by"), "claimed_by"),
    (N_("Controlled by"), "controlled_by"),
    (N_("Disputed by"), "disputed_by"),
    (N_("Chainage (km, default line)"), "chainage_km"),
    (N_("Geometry"), "geometry_method"),
    (N_("Precision"), "precision_m"),
    (N_("Note"), "note"),
)
#: The titles of the blocks :func:`section_details` returns, in order.
DETAIL_BLOCKS: tuple[str, ...] = (
    N_("Attributes"), N_("Positions of the parties (as stated)"), N_("Status history"), N_("Measured"), N_("Sources"),
)


def section_details(dataset: Dataset, props: Mapping[str, Any], day: dt.date | None,
                    measured: Mapping[str, float] | None = None,
                    context: SpreadContext | None = None, tr: Messages = EN) -> list[tuple[str, list[str]]]:
    """A section's facts as titled blocks of lines: attributes, positions, history, measures, sources.

    Measured values come with the range across every depiction that draws the same thing
    (``context``, worked out from the dataset when not given); a placeholder's are not printed.
    Titles are :data:`DETAIL_BLOCKS` in the language of ``tr``.
    """
    status = tr(str(status_on(props, day)))
    attributes = [tr("Status on {day}: {status}", day=tr.date(day), status=status) if day
                  else tr("Status: {status}", status=status)]
    course = course_on(props, day)
    if course != "published":
        words = tr(COURSE_WORDS[course]) if course in COURSE_WORDS else str(course)
        attributes.append(tr("Course of the line on {day}: {course}", day=tr.date(day), course=words) if day
                          else tr("Course of the line: {course}", course=words))
    values = {
        "location_precision": located(props.get("location_precision"), tr),
        "districts": districts(props),
        "disputed_objects": ", ".join(tr(OBJECT_WORDS[o]) if o in OBJECT_WORDS else str(o)
                                      for o in items(props.get("disputed_objects"))),
        "claimed_by": codes(props.get("claimed_by")),
        "controlled_by": codes(props.get("controlled_by")),
        "disputed_by": codes(props.get("disputed_by")),
        "chainage_km": chainage_text(props.get("chainage_km"), tr),
        "geometry_method": props.get("geometry_method"),
        "precision_m": (tr("{value} {unit}", value=f"{props['precision_m']:g}", unit=tr("m"))
                        if is_set(props.get("precision_m")) else ""),
        "note": props.get("note"),
    }
    for label, key in ATTRIBUTE_LABELS:
        if is_set(values[key]):
            attributes.append(tr("{label}: {value}", label=tr(label), value=values[key]))
    positions = []
    for p in items(props.get("positions")):
        who = ", ".join(day_text(p[k], tr) if k == "date" else str(p[k]) for k in ("stated_by", "date")
                        if is_set(p.get(k)))
        # The sentence's period follows the closing quote: a quoted sentence's own is dropped ("exchanged”.",
        # not "exchanged.”."), as Russian typesetting does it («…обменян».).
        position = str(p.get("position", ""))
        if position.endswith(".") and not position.endswith(".."):
            position = position[:-1]
        said = {"party": p.get("party", "?"), "who": who or tr("unattributed"), "position": position}
        positions.append(tr("{party} ({who}): “{position}”. Basis: {basis}.", basis=p["basis"], **said)
                         if is_set(p.get("basis")) else tr("{party} ({who}): “{position}”.", **said))
    history = []
    for h in items(props.get("status_history")):
        span = {"start": day_text(h.get("from"), tr) or "…", "status": tr(str(h.get("status")))}
        end = day_text(h.get("to"), tr)
        text = (tr("{start} to {end}: {status}", end=end, **span) if end
                else tr("{start} to now: {status}", **span))
        history.append(tr("{text} — {note}", text=text, note=h["note"]) if is_set(h.get("note")) else text)
    for s in items(props.get("swaps")):
        swap = {"hectares": s.get("hectares", "?"), "to": s.get("to", "?")}
        history.append(tr("Swap: {hectares} ha to {to} at {place}", place=s["place"], **swap)
                       if is_set(s.get("place")) else tr("Swap: {hectares} ha to {to}", **swap))
    measures = []
    if measured or placeholder_text(props) is not None:
        found, drawn = (context or SpreadContext.of(dataset)).lookup(props)
        measures = measured_lines(props, measured, found, drawn, tr=tr)
    sources = [source_label(dataset, sid, tr) for sid in feature_source_ids(props)]
    blocks = zip(DETAIL_BLOCKS, (attributes, positions, history, measures, sources), strict=True)
    return [(tr(title), lines) for title, lines in blocks if lines]


def thing_text(dataset: Dataset, thing: str, tr: Messages = EN) -> str:
    """What a row of the spread table measures, as a reader reads it (the table's ``thing`` is a key).

    An enclave is named by its name in the language of ``tr`` and said to be drawn as one by the
    depictions (a party may say it is none: the name does not decide it); a country's region by
    the country's name.

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load()
    >>> thing_text(ds, "enclave vorukh"), thing_text(ds, "enclave vorukh", messages("ru"))
    ('Vorukh (drawn as an enclave)', 'Ворух (на изображениях — анклав)')
    >>> thing_text(ds, "country_region KG"), thing_text(ds, "main line", messages("ru"))
    ('Kyrgyzstan: its part within the map’s region', 'основная линия')
    """
    kind, _, key = thing.partition(" ")
    if thing == "main line":
        return tr("main line")
    if kind in ("enclave", "exclave") and key:
        areas = dataset.layer("areas")
        names: Any = None
        if "enclave_key" in areas.columns and "names" in areas.columns:
            found = areas.loc[areas["enclave_key"] == key, "names"]
            names = found.iloc[0] if len(found) else None
        name = tr.name(names, key)
        return (tr("{name} (drawn as an enclave)", name=name) if kind == "enclave"
                else tr("{name} (drawn as an exclave)", name=name))
    if kind == "country_region" and key:
        return tr("{country}: its part within the map’s region", country=tr.country(key, dataset.country_name(key)))
    return thing


def depiction_summary(
    dataset: Dataset, perspective: str = NEUTRAL, as_of: dt.date | None = None, tr: Messages = EN
) -> pd.DataFrame:
    """Per depiction: the main line's length, then each enclave's perimeter and area, with the range.

    What ``bordermap map --summary`` prints, in the language of ``tr``. Beside each value, the
    range of the same thing across every depiction that draws it (:mod:`bordermap.spread`); the
    default depiction is marked as a drawing choice, not as the value. Values are written in the
    language's number format to the digits the depiction's line gives
    (:func:`bordermap.text.digits_for`: 914.3 km for a line drawn to ±50 m, not 914.329); a
    range's two ends to the digits of its smaller end.

    Examples
    --------
    >>> import bordermap
    >>> table = depiction_summary(bordermap.load("tests/data/mini"))
    >>> table.iloc[:, :2].values.tolist()
    [['alpha', 'main line'], ['alpha', 'Test enclave (drawn as an enclave)'], ['beta', 'main line']]
    >>> list(depiction_summary(bordermap.load("tests/data/mini"), tr=messages("ru")).columns)[:3]
    ['изображение', 'что измерено', 'длина (периметр), км']
    """
    table = measure(dataset, ["boundary", "areas"], perspective, as_of, carry=["enclave_key"])
    found = spreads(dataset, perspective, as_of, table)
    default = dataset.default_depiction if dataset.depictions else None
    precision = {d: dataset.depiction(d).get("precision_m") for d in dataset.depictions}

    def written(value: float, depiction: str) -> str:
        return "" if value != value else tr.number(value, digits_for(value, precision.get(depiction)))

    def span(thing: str, quantity: str) -> str:
        spread = found.get(thing, {}).get(quantity)
        if spread is None:
            return ""
        if len(spread.values) == 1:
            return tr("one depiction only")
        # both ends to the digits of the smaller (0.655–0.845, not 0.7–0.8), or of the finest line's
        finest = min((p for d in spread.values if (p := precision.get(d))), default=None)
        digits = digits_for(min(abs(spread.low), abs(spread.high)), finest)
        low, high = tr.number(spread.low, digits), tr.number(spread.high, digits)
        if low == high:  # the same when written: one value
            return tr("{value} across {n} depictions", value=low, n=len(spread.values))
        return tr("{low}–{high} across {n} depictions", low=low, high=high, n=len(spread.values))

    rows = []
    for depiction in dataset.depictions:
        mine = table[table["depiction"] == depiction]
        note = tr("default depiction (a drawing choice)") if depiction == default else ""
        main = mine[(mine["layer"] == "boundary") & (mine["part"] == "main")]
        if not main.empty:
            rows.append([depiction, thing_text(dataset, "main line", tr),
                         written(float(main["length_km"].sum()), depiction), "", span("main line", "length_km"), "",
                         note])
        enclaves = mine[(mine["layer"] == "areas") & mine["kind"].isin(["enclave", "exclave"])]
        for _, row in enclaves.sort_values("enclave_key", na_position="last").iterrows():
            key = row["enclave_key"] if isinstance(row["enclave_key"], str) else row["id"]
            thing = f"{row['kind']} {key}"
            rows.append([depiction, thing_text(dataset, thing, tr), written(row["length_km"], depiction),
                         written(row["area_km2"], depiction), span(thing, "length_km"), span(thing, "area_km2"),
                         note])
    columns = [N_("depiction"), N_("what is measured"), N_("length (perimeter), km"), N_("area, km²"),
               N_("length across depictions, km"), N_("area across depictions, km²"), N_("note")]
    return pd.DataFrame(rows, columns=[tr(c) for c in columns])


def view_text(dataset: Dataset, perspective: str, tr: Messages = EN) -> str:
    """A perspective in words, for captions.

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load()
    >>> view_text(ds, "TJ"), view_text(ds, "neutral", messages("ru")).split(" (")[0]
    ('as seen by Tajikistan (TJ)', 'нейтральная')
    """
    if perspective == NEUTRAL:
        return tr("neutral (every feature and every party's claim shown)")
    if perspective == DE_FACTO:
        return tr("de facto (undisputed features and those controlled on the ground)")
    name = tr.country(perspective, dataset.country_name(perspective))
    return tr("as seen by {country} ({code})", country=name, code=perspective)


def view_caption(dataset: Dataset, perspective: str, as_of: dt.date | None, tr: Messages = EN) -> str:
    """``As of DATE · Perspective: …``, or the current status with the dataset's own date.

    Examples
    --------
    >>> import bordermap
    >>> view_caption(bordermap.load("tests/data/mini"), "KG", None)
    'Current status (dataset as of 2026-01-01) · Perspective: as seen by Kyrgyzstan (KG)'
    """
    if as_of is not None:
        day = f"{tr('As of')} {tr.date(as_of)}"
    else:
        day = tr("Current status")
        if dataset.meta.get("as_of"):
            day += " " + tr("(dataset as of {day})", day=tr.day(dataset.meta["as_of"]))
    return f"{day} · {tr('Perspective')}: {view_text(dataset, perspective, tr)}"
