"""Popup and tooltip HTML for the interactive map, with every string from the data escaped.

Leaflet puts popup and tooltip strings into the page as HTML, so everything taken from a dataset
(names, notes, positions, source titles, even ids and dates) goes through :func:`html.escape`
here, and links are made only from ``http``/``https`` URLs. The strings are then embedded as JSON
data, never inside a template or script source, so they are never evaluated.

Every interface word comes from the catalogue of the page's language (:attr:`PopupContext.tr`):
a template's own text is escaped before the (already escaped) values are put into it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bordermap.i18n import N_, Messages, messages
from bordermap.maps.facts import CASUALTY_WORDS, OBJECT_WORDS, count_text, day_text, located, measured_rows
from bordermap.maps.facts import items as as_list

if TYPE_CHECKING:
    from bordermap.spread import Spread

from bordermap.model import CASUALTY_COUNTS, is_set

LANGUAGE_NAMES: dict[str, str] = {
    "en": N_("English"),
    "ru": N_("Russian"),
    "ky": N_("Kyrgyz"),
    "tg": N_("Tajik"),
    "uz": N_("Uzbek"),
}
#: Popup field names of properties shown as they are (or as a country's name).
FIELD_NAMES: dict[str, str] = {
    "country": N_("country"),
    "administered_by": N_("administered by"),
    "surrounded_by": N_("surrounded by"),
    "claimed_by": N_("claimed by"),
    "controlled_by": N_("controlled by"),
    "disputed_by": N_("disputed by"),
    "sides": N_("sides"),
    "depiction": N_("depiction"),
    "part": N_("part"),
    "feature_code": N_("feature code"),
    "population": N_("population"),
    "geonameid": N_("geonameid"),
    "gazetteer": N_("gazetteer"),
    "location_precision": N_("location precision"),
    "summary": N_("summary"),
    "note": N_("note"),
    "date_note": N_("date note"),
}
#: The kinds of source (the enum of ``schema/sources.json``), in words.
SOURCE_KINDS: dict[str, str] = {
    "government": N_("government"),
    "media": N_("media"),
    "reference": N_("reference"),
    "dataset": N_("dataset"),
}
#: The parts of a boundary (the enum of ``schema/boundary.json``), in words.
PARTS: dict[str, str] = {"main": N_("main line"), "enclave": N_("enclave")}
#: What a source is cited for, beside the property names a feature's ``sources`` give.
CITED_FOR: dict[str, str] = {
    "the whole feature": N_("the whole feature"),
    "status": N_("status"),
    "positions": N_("positions"),
    "swaps": N_("swaps"),
    "casualties": N_("casualties"),
}


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute.

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape("" if value is None else str(value), quote=True)


#: Any character ``str.isspace`` calls white space (the same set, searched in C).
_WHITESPACE = re.compile(r"\s")


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (no ``javascript:`` or relative links).

    Examples
    --------
    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(None)
    ('https://example.org/a?b=1', None, None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    return (
        url
        if url.lower().startswith(("https://", "http://")) and _WHITESPACE.search(url) is None
        else None
    )


def fill(tr: Messages, template: str, **values: str) -> str:
    """A catalogue template as HTML: its own text escaped, then the (escaped) ``values`` put in.

    Examples
    --------
    >>> fill(messages("en"), "{side}: {counts}", side="<b>KG</b>", counts="3 &lt;killed&gt;")
    '<b>KG</b>: 3 &lt;killed&gt;'
    """
    return esc(tr(template)).format(**values)


@dataclass
class PopupContext:
    """What popups need besides the feature: the sources registry and country names.

    Popups repeat a lot (the same sources, the same method text on every segment of a line), so
    repeated fragments go once into :attr:`snippets` and popups hold ``<i data-s="N"></i>``
    placeholders that the page swaps for snippet N. Snippets are finished, escaped HTML too.
    """

    sources: Mapping[str, Mapping[str, Any]]
    countries: Mapping[str, str] = field(default_factory=dict)
    snippets: list[str] = field(default_factory=list)
    #: The interface language (English by default).
    tr: Messages = field(default_factory=lambda: messages("en"))
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def shared(self, fragment: str) -> str:
        """A placeholder for an escaped HTML fragment stored once in :attr:`snippets`."""
        if not fragment:
            return ""
        index = self._index.get(fragment)
        if index is None:
            index = self._index[fragment] = len(self.snippets)
            self.snippets.append(fragment)
        return f'<i data-s="{index}"></i>'

    def country(self, code: Any) -> str:
        """A country code with its name, escaped: ``Kyrgyzstan (KG)``."""
        name = self.countries.get(str(code))
        return esc(f"{name} ({code})" if name and name != code else code)

    def countries_of(self, codes: Any) -> str:
        """A list of country codes with names, escaped."""
        if isinstance(codes, str):
            codes = [codes]
        return ", ".join(self.country(c) for c in as_list(codes))

    def cite(self, source_ids: Iterable[Any] | None) -> str:
        """Short citations: publisher and date, linked to the source when it has a web address."""
        out = []
        for sid in as_list(source_ids):
            record = self.sources.get(str(sid))
            if record is None:
                missing = self.tr("{id} (not in the sources registry)", id=sid)
                out.append(f'<span class="bm-missing">{esc(missing)}</span>')
                continue
            label = ", ".join(
                esc(day_text(record[k], self.tr) if k == "date" else record[k])
                for k in ("publisher", "date") if is_set(record.get(k))
            ) or esc(sid)
            url = safe_url(record.get("url"))
            title = esc(record.get("title"))
            if url:
                out.append(
                    f'<a href="{esc(url)}" title="{title}" target="_blank" rel="noopener noreferrer">{label}</a>'
                )
            else:
                out.append(f'<span title="{title}">{label}</span>')
        return self.shared(f' <span class="bm-cite">[{"; ".join(out)}]</span>') if out else ""

    def source_entry(self, sid: str, about: str = "") -> str:
        """One line of a popup's source list: title (linked), publisher, date, kind, licence."""
        tr = self.tr
        record = self.sources.get(sid)
        if record is None:
            return f"<li>{esc(tr('{id} (not in the sources registry)', id=sid))}</li>"
        title = esc(record.get("title") or sid)
        url = safe_url(record.get("url"))
        head = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
            if url
            else title
        )
        shown = {"date": day_text(record.get("date"), tr), "kind": tr(SOURCE_KINDS.get(str(record.get("kind")), ""))}
        rest = [esc(shown.get(k) or record[k]) for k in ("publisher", "date", "kind") if is_set(record.get(k))]
        if is_set(record.get("license")):
            rest.append(esc(tr("licence {licence}", licence=record["license"])))
        if about:
            words = tr(CITED_FOR[about]) if about in CITED_FOR else tr(FIELD_NAMES.get(about, about))
            rest.append(esc(tr("for {what}", what=words)))
        return f"<li>{head}{' — ' + ', '.join(rest) if rest else ''}</li>"


def _all_source_ids(props: Mapping[str, Any]) -> dict[str, str]:
    """Every source a feature cites, with what it is cited for."""
    found: dict[str, str] = {}

    def add(ids: Any, about: str) -> None:
        for sid in as_list(ids):
            found.setdefault(str(sid), about)

    for ref in as_list(props.get("sources")):
        if isinstance(ref, Mapping) and ref.get("source_id"):
            found.setdefault(str(ref["source_id"]), str(ref.get("property") or "the whole feature"))
    for key, about in (
        ("status_history", "status"),
        ("positions", "positions"),
        ("swaps", "swaps"),
        ("casualties", "casualties"),
    ):
        for entry in as_list(props.get(key)):
            if isinstance(entry, Mapping):
                add(entry.get("source_ids"), about)
    return found


#: Kinds of feature whose names are labels ``make data`` writes (one per language), not toponyms.
LABELLED_KINDS = frozenset({"boundary", "divergence", "candidate"})


def names_table(props: Mapping[str, Any], tr: Messages | None = None) -> str:
    """The feature's names in every language it has, plus alternate names.

    None for a line segment, perimeter or divergence: their names are generated labels, and the
    popup's title is already the one in the page's language.
    """
    names = props.get("names") or {}
    if props.get("kind") in LABELLED_KINDS or (
        isinstance(names, Mapping)
        and set(names) <= {"en"}
        and not is_set(props.get("alternate_names"))
    ):
        return ""  # the English name is the popup's title already
    tr = tr or messages("en")
    rows = [
        f'<tr><th title="{esc(tr(LANGUAGE_NAMES[lang]) if lang in LANGUAGE_NAMES else lang)}">{esc(lang)}</th>'
        f"<td>{esc(name)}</td></tr>"
        for lang, name in (names.items() if isinstance(names, Mapping) else [])
        if is_set(name)
    ]
    if is_set(props.get("alternate_names")):
        rows.append(
            f"<tr><th>{esc(tr('also'))}</th><td>{esc(', '.join(map(str, props['alternate_names'])))}</td></tr>"
        )
    return f'<table class="bm-names">{"".join(rows)}</table>' if rows else ""


def title(props: Mapping[str, Any]) -> str:
    """The feature's English name (or id), escaped: the tooltip text.

    Examples
    --------
    >>> title({"id": "x", "names": {"en": "<b>Vorukh</b>"}})
    '&lt;b&gt;Vorukh&lt;/b&gt;'
    """
    names = props.get("names") or {}
    name = names.get("en") if isinstance(names, Mapping) else None
    return esc(name or props.get("id") or "unnamed feature")


def _span(ctx: PopupContext, start: Any, end: Any) -> str:
    """A date range, escaped: ``start to end`` (``start`` alone without an end)."""
    tr = ctx.tr
    first = esc(day_text(start, tr))
    return fill(tr, "{start} to {end}", start=first, end=esc(day_text(end, tr))) if is_set(end) else first


def _facts(
    props: Mapping[str, Any],
    ctx: PopupContext,
    measured: Mapping[str, float],
    chainage: str | None,
    spread: Mapping[str, Spread] | None = None,
    drawn_by: str | None = None,
) -> str:
    tr = ctx.tr
    facts: list[tuple[str, str]] = []
    simple = (
        "depiction",
        "part",
        "feature_code",
        "population",
        "geonameid",
        "gazetteer",
    )
    for key in ("country", "administered_by", "surrounded_by"):
        if is_set(props.get(key)):
            facts.append((tr(FIELD_NAMES[key]), ctx.country(props[key])))
    for key in ("claimed_by", "controlled_by", "disputed_by", "sides"):
        if is_set(props.get(key)):
            facts.append((tr(FIELD_NAMES[key]), ctx.countries_of(props[key])))
    for key in simple:
        if is_set(props.get(key)):
            value = props[key]
            if key == "population" and isinstance(value, (int, float)):
                value = tr.number(value, 0)
            elif key == "part":
                value = tr(PARTS.get(str(value), str(value)))
            facts.append((tr(FIELD_NAMES[key]), esc(value)))
    if is_set(props.get("location_precision")):
        facts.append((tr(FIELD_NAMES["location_precision"]), esc(located(props["location_precision"], tr))))
    if is_set(props.get("assigned_by")) and isinstance(props["assigned_by"], Mapping):
        facts.append(
            (
                tr("ground assigned"),
                "; ".join(
                    fill(tr, "by {depiction} to {country}", depiction=esc(dep), country=ctx.country(c))
                    for dep, c in props["assigned_by"].items()
                ),
            )
        )
    elif is_set(props.get("depictions")):
        facts.append((tr("depictions"), esc(", ".join(map(str, props["depictions"])))))
    if is_set(props.get("max_offset_m")):
        offset = tr("{value} {unit}", value=tr.number(float(props["max_offset_m"]), 0), unit=tr("m"))
        facts.append((tr("largest offset"), esc(offset)))
    if is_set(props.get("date_start")):
        facts.append((tr("date"), _span(ctx, props["date_start"], props.get("date_end"))))
    if is_set(props.get("districts")) and isinstance(props["districts"], Mapping):
        facts.append(
            (
                tr("districts"),
                "; ".join(f"{ctx.country(k)}: {esc(v)}" for k, v in props["districts"].items()),
            )
        )
    if is_set(props.get("disputed_objects")):
        objects = (tr(OBJECT_WORDS[o]) if o in OBJECT_WORDS else str(o) for o in props["disputed_objects"])
        facts.append((tr("disputed objects"), esc(", ".join(objects))))
    if chainage:
        facts.append((tr("chainage"), chainage))
    facts += _measures(props, measured, spread or {}, drawn_by, tr)
    if is_set(props.get("precision_m")):
        precision = tr("± {value} {unit}", value=f"{props['precision_m']:g}", unit=tr("m"))
        facts.append((tr("precision"), esc(precision)))
    if is_set(props.get("geometry_method")):
        facts.append((tr("geometry"), ctx.shared(esc(props["geometry_method"]))))
    for key in ("summary", "note", "date_note"):
        if is_set(props.get(key)):
            facts.append((tr(FIELD_NAMES[key]), esc(props[key])))
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in facts)
    return f'<table class="bm-facts">{rows}</table>' if rows else ""


def _measures(
    props: Mapping[str, Any], measured: Mapping[str, float], spread: Mapping[str, Spread], drawn_by: str | None,
    tr: Messages,
) -> list[tuple[str, str]]:
    """Length and area rows (:func:`bordermap.maps.facts.measured_rows`), escaped.

    Short labels keep the popup's value column wide: the field name ("area", "area, every
    depiction"), the depiction drawn going with the value.
    """
    rows = []
    for kind, label, value in measured_rows(props, measured, spread, drawn_by, tr):
        if kind == "value":
            continue
        css = {"placeholder": "bm-placeholder", "spread": "bm-spread"}.get(kind)
        rows.append((label, f'<span class="{css}">{esc(value)}</span>' if css else esc(value)))
    return rows


def _positions(props: Mapping[str, Any], ctx: PopupContext) -> str:
    tr = ctx.tr
    items = []
    for pos in as_list(props.get("positions")):
        who = esc(pos.get("stated_by") or tr("unattributed"))
        if is_set(pos.get("date")):
            who = fill(tr, "{who}, {date}", who=who, date=esc(day_text(pos["date"], tr)))
        said = fill(tr, "{party} — {who}: “{position}”", party=f"<b>{ctx.country(pos.get('party'))}</b>", who=who,
                    position=esc(pos.get("position")))
        basis = (
            f' <span class="bm-basis">{esc(tr("Basis: {basis}.", basis=pos["basis"]))}</span>'
            if is_set(pos.get("basis"))
            else ""
        )
        items.append(f"<li>{said}{basis}{ctx.cite(pos.get('source_ids'))}</li>")
    return f"<h4>{esc(tr('Positions'))}</h4><ul>{''.join(items)}</ul>" if items else ""


def _swaps(props: Mapping[str, Any], ctx: PopupContext) -> str:
    tr = ctx.tr
    items = []
    for s in as_list(props.get("swaps")):
        values = {"country": ctx.country(s.get("to")), "hectares": esc(s.get("hectares"))}
        text = (fill(tr, "to {country}: {hectares} ha at {place}", place=esc(s["place"]), **values)
                if is_set(s.get("place")) else fill(tr, "to {country}: {hectares} ha", **values))
        items.append(f"<li>{text}{ctx.cite(s.get('source_ids'))}</li>")
    return f"<h4>{esc(tr('Land swaps'))}</h4><ul>{''.join(items)}</ul>" if items else ""


def _casualties(props: Mapping[str, Any], ctx: PopupContext) -> str:
    tr = ctx.tr
    items = []
    for c in as_list(props.get("casualties")):
        counts = ", ".join(esc(tr(CASUALTY_WORDS[k], n=count_text(c[k], tr))) for k in CASUALTY_COUNTS
                           if is_set(c.get(k)))
        values = {"side": ctx.country(c.get("side")), "counts": counts or esc(tr("no figure")),
                  "who": esc(c.get("reported_by")), "day": esc(day_text(c.get("reported_on"), tr))}
        by, on = is_set(c.get("reported_by")), is_set(c.get("reported_on"))
        said = fill(tr, "{side}: {counts} — reported by {who} on {day}" if by and on
                    else "{side}: {counts} — reported by {who}" if by
                    else "{side}: {counts} — reported on {day}" if on
                    else "{side}: {counts}", **values)
        items.append(f"<li>{said}{ctx.cite(c.get('source_ids'))}</li>")
    note = (f'<p class="bm-small">{esc(tr("Figures from different reports are listed side by side, never averaged."))}'
            "</p>")
    return f"<h4>{esc(tr('Casualties'))}</h4><ul>{''.join(items)}</ul>{note}" if items else ""


def _history(props: Mapping[str, Any], ctx: PopupContext) -> str:
    tr = ctx.tr
    items = []
    for entry in as_list(props.get("status_history")):
        start = esc(day_text(entry.get("from"), tr) or "…")
        span = (fill(tr, "{start} – {end}", start=start, end=esc(day_text(entry["to"], tr)))
                if is_set(entry.get("to")) else fill(tr, "{start} – now", start=start))
        note = (
            f' <span class="bm-small">{esc(entry["note"])}</span>'
            if is_set(entry.get("note"))
            else ""
        )
        status = f"<b>{esc(tr(str(entry.get('status'))))}</b>"
        items.append(f"<li>{fill(tr, '{span}: {status}', span=span, status=status)}{note}"
                     f"{ctx.cite(entry.get('source_ids'))}</li>")
    return f"<h4>{esc(tr('Status history'))}</h4><ol>{''.join(items)}</ol>" if items else ""


def popup_html(
    props: Mapping[str, Any],
    ctx: PopupContext,
    kind_label: str,
    measured: Mapping[str, float] | None = None,
    chainage: str | None = None,
    spread: Mapping[str, Spread] | None = None,
    drawn_by: str | None = None,
) -> str:
    """The popup of one feature: names, facts, positions, swaps, casualties, history, sources.

    Parameters
    ----------
    props
        The feature's properties.
    ctx
        Sources registry, country names and the interface language.
    kind_label
        What the feature is, in words ("Disputed section"), in the interface language.
    measured
        ``length_km`` and ``area_km2`` from :func:`bordermap.measure.measure_frame`.
    chainage
        Chainage text, already escaped, or None.
    spread
        The spreads of the thing the feature draws (:func:`bordermap.spread.spread_of`): each
        value is followed by every depiction's value and the range.
    drawn_by
        The depiction whose drawing the feature's geometry is, named beside its value.

    Examples
    --------
    >>> ctx = PopupContext({"s1": {"title": "T", "publisher": "P", "date": "2021", "url": "javascript:x"}})
    >>> html_text = popup_html({"id": "a", "names": {"en": "{{7*7}}"}, "sources": [{"source_id": "s1"}]}, ctx, "Place")
    >>> "{{7*7}}" in html_text, "javascript:" in html_text
    (True, False)
    """
    tr = ctx.tr
    sources = _all_source_ids(props)
    listed = "".join(ctx.shared(ctx.source_entry(sid, about)) for sid, about in sources.items())
    name = esc(tr.name(props.get("names"), str(props.get("id") or ""))) if tr.lang != "en" else title(props)
    return (
        f'<div class="bm-pop"><h3>{name or title(props)}</h3>'
        f'<p class="bm-kind">{esc(kind_label)} · <code>{esc(props.get("id"))}</code></p>'
        f'<p class="bm-status"></p>'
        f"{names_table(props, tr)}{_facts(props, ctx, measured or {}, chainage, spread, drawn_by)}"
        f"{_positions(props, ctx)}{_swaps(props, ctx)}{_casualties(props, ctx)}{_history(props, ctx)}"
        f"{'<h4>' + esc(tr('Sources')) + '</h4><ul class=bm-sources>' + listed + '</ul>' if listed else ''}</div>"
    )
