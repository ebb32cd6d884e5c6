"""Popup and tooltip HTML for the interactive map, with every string from the data escaped.

Leaflet puts popup and tooltip strings into the page as HTML, so everything taken from a dataset
(names, notes, positions, source titles, even ids and dates) goes through :func:`html.escape`
here, and links are made only from ``http``/``https`` URLs. The strings are then embedded as JSON
data, never inside a template or script source, so they are never evaluated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bordermap.maps.facts import measured_lines

if TYPE_CHECKING:
    from bordermap.spread import Spread

from bordermap.model import CASUALTY_COUNTS, is_set

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Russian",
    "ky": "Kyrgyz",
    "tg": "Tajik",
    "uz": "Uzbek",
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


def _number(value: float, unit: str, digits: int = 2) -> str:
    return f"{value:,.{digits}f} {unit}"


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
        return ", ".join(self.country(c) for c in codes or [])

    def cite(self, source_ids: Iterable[Any] | None) -> str:
        """Short citations: publisher and date, linked to the source when it has a web address."""
        out = []
        for sid in source_ids or []:
            record = self.sources.get(str(sid))
            if record is None:
                out.append(
                    f'<span class="bm-missing">{esc(sid)} (not in the sources registry)</span>'
                )
                continue
            label = ", ".join(
                esc(record[k]) for k in ("publisher", "date") if is_set(record.get(k))
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
        record = self.sources.get(sid)
        if record is None:
            return f"<li>{esc(sid)} (not in the sources registry)</li>"
        title = esc(record.get("title") or sid)
        url = safe_url(record.get("url"))
        head = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
            if url
            else title
        )
        rest = [esc(record[k]) for k in ("publisher", "date", "kind") if is_set(record.get(k))]
        if is_set(record.get("license")):
            rest.append("licence " + esc(record["license"]))
        if about:
            rest.append(f"for {esc(about)}")
        return f"<li>{head}{' — ' + ', '.join(rest) if rest else ''}</li>"


def _all_source_ids(props: Mapping[str, Any]) -> dict[str, str]:
    """Every source a feature cites, with what it is cited for."""
    found: dict[str, str] = {}

    def add(ids: Any, about: str) -> None:
        for sid in ids or []:
            found.setdefault(str(sid), about)

    for ref in props.get("sources") or []:
        if isinstance(ref, Mapping) and ref.get("source_id"):
            found.setdefault(str(ref["source_id"]), str(ref.get("property") or "the whole feature"))
    for key, about in (
        ("status_history", "status"),
        ("positions", "positions"),
        ("swaps", "swaps"),
        ("casualties", "casualties"),
    ):
        for entry in props.get(key) or []:
            if isinstance(entry, Mapping):
                add(entry.get("source_ids"), about)
    return found


def names_table(props: Mapping[str, Any]) -> str:
    """The feature's names in every language it has, plus alternate names."""
    names = props.get("names") or {}
    if (
        isinstance(names, Mapping)
        and set(names) <= {"en"}
        and not is_set(props.get("alternate_names"))
    ):
        return ""  # the English name is the popup's title already
    rows = [
        f'<tr><th title="{esc(LANGUAGE_NAMES.get(str(lang), lang))}">{esc(lang)}</th><td>{esc(name)}</td></tr>'
        for lang, name in (names.items() if isinstance(names, Mapping) else [])
        if is_set(name)
    ]
    if is_set(props.get("alternate_names")):
        rows.append(
            f"<tr><th>also</th><td>{esc(', '.join(map(str, props['alternate_names'])))}</td></tr>"
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


def _facts(
    props: Mapping[str, Any],
    ctx: PopupContext,
    measured: Mapping[str, float],
    chainage: str | None,
    spread: Mapping[str, Spread] | None = None,
    drawn_by: str | None = None,
) -> str:
    facts: list[tuple[str, str]] = []
    simple = (
        "depiction",
        "part",
        "feature_code",
        "population",
        "geonameid",
        "gazetteer",
        "location_precision",
    )
    for key in ("country", "administered_by", "surrounded_by"):
        if is_set(props.get(key)):
            facts.append((key.replace("_", " "), ctx.country(props[key])))
    for key in ("claimed_by", "controlled_by", "disputed_by", "sides"):
        if is_set(props.get(key)):
            facts.append((key.replace("_", " "), ctx.countries_of(props[key])))
    for key in simple:
        if is_set(props.get(key)):
            facts.append((key.replace("_", " "), esc(props[key])))
    if is_set(props.get("assigned_by")) and isinstance(props["assigned_by"], Mapping):
        facts.append(
            (
                "ground assigned",
                "; ".join(
                    f"by {esc(dep)} to {ctx.country(c)}" for dep, c in props["assigned_by"].items()
                ),
            )
        )
    elif is_set(props.get("depictions")):
        facts.append(("depictions", esc(", ".join(map(str, props["depictions"])))))
    if is_set(props.get("max_offset_m")):
        facts.append(("largest offset", _number(float(props["max_offset_m"]), "m", 0)))
    if is_set(props.get("date_start")):
        span = esc(props["date_start"]) + (
            f" to {esc(props['date_end'])}" if is_set(props.get("date_end")) else ""
        )
        facts.append(("date", span))
    if is_set(props.get("districts")) and isinstance(props["districts"], Mapping):
        facts.append(
            (
                "districts",
                "; ".join(f"{ctx.country(k)}: {esc(v)}" for k, v in props["districts"].items()),
            )
        )
    if is_set(props.get("disputed_objects")):
        facts.append(("disputed objects", esc(", ".join(map(str, props["disputed_objects"])))))
    if chainage:
        facts.append(("chainage", chainage))
    facts += _measures(props, measured, spread or {}, drawn_by)
    if is_set(props.get("precision_m")):
        facts.append(("precision", f"± {esc(props['precision_m'])} m"))
    if is_set(props.get("geometry_method")):
        facts.append(("geometry", ctx.shared(esc(props["geometry_method"]))))
    for key in ("summary", "note", "date_note"):
        if is_set(props.get(key)):
            facts.append((key.replace("_", " "), esc(props[key])))
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    return f'<table class="bm-facts">{rows}</table>' if rows else ""


def _measures(
    props: Mapping[str, Any], measured: Mapping[str, float], spread: Mapping[str, Spread], drawn_by: str | None
) -> list[tuple[str, str]]:
    """Length and area rows (:func:`bordermap.maps.facts.measured_lines`), escaped."""
    rows = []
    for line in measured_lines(props, measured, spread, drawn_by):
        label, _, value = line.partition(": ")
        # short labels keep the popup's value column wide, and are the catalogue's field names
        # ("area", "area, every depiction"); the depiction drawn goes with the value
        label = label.replace(" (geodesic, WGS84)", "")
        drawn = re.match(r"^(Length|Perimeter|Area), as drawn by (.+)$", label)
        if drawn:
            label, value = drawn.group(1).lower(), f"{drawn.group(2)}: {value}"
        elif label.endswith(", every depiction"):
            label = label[0].lower() + label[1:]
        css = "bm-placeholder" if label.startswith("placeholder") else "bm-spread" if "every depiction" in label else ""
        rows.append((esc(label), f'<span class="{css}">{esc(value)}</span>' if css else esc(value)))
    return rows


def _positions(props: Mapping[str, Any], ctx: PopupContext) -> str:
    items = []
    for pos in props.get("positions") or []:
        who = esc(pos.get("stated_by") or "unattributed")
        when = f", {esc(pos['date'])}" if is_set(pos.get("date")) else ""
        basis = (
            f' <span class="bm-basis">Basis: {esc(pos["basis"])}.</span>'
            if is_set(pos.get("basis"))
            else ""
        )
        items.append(
            f"<li><b>{ctx.country(pos.get('party'))}</b> — {who}{when}: “{esc(pos.get('position'))}”{basis}"
            f"{ctx.cite(pos.get('source_ids'))}</li>"
        )
    return f"<h4>Positions</h4><ul>{''.join(items)}</ul>" if items else ""


def _swaps(props: Mapping[str, Any], ctx: PopupContext) -> str:
    items = [
        f"<li>to {ctx.country(s.get('to'))}: {esc(s.get('hectares'))} ha"
        f"{' at ' + esc(s['place']) if is_set(s.get('place')) else ''}{ctx.cite(s.get('source_ids'))}</li>"
        for s in props.get("swaps") or []
    ]
    return f"<h4>Land swaps</h4><ul>{''.join(items)}</ul>" if items else ""


def _casualties(props: Mapping[str, Any], ctx: PopupContext) -> str:
    items = []
    for c in props.get("casualties") or []:
        counts = ", ".join(
            f"{esc(c[k])} {k}" for k in CASUALTY_COUNTS if is_set(c.get(k))
        )
        by = f" — reported by {esc(c.get('reported_by'))}" if is_set(c.get("reported_by")) else ""
        on = f" on {esc(c['reported_on'])}" if is_set(c.get("reported_on")) else ""
        items.append(
            f"<li>{ctx.country(c.get('side'))}: {counts or 'no figure'}{by}{on}{ctx.cite(c.get('source_ids'))}</li>"
        )
    note = '<p class="bm-small">Figures from different reports are listed side by side, never averaged.</p>'
    return f"<h4>Casualties</h4><ul>{''.join(items)}</ul>{note}" if items else ""


def _history(props: Mapping[str, Any], ctx: PopupContext) -> str:
    items = []
    for entry in props.get("status_history") or []:
        span = f"{esc(entry.get('from') or '…')} – {esc(entry.get('to') or 'now')}"
        note = (
            f' <span class="bm-small">{esc(entry["note"])}</span>'
            if is_set(entry.get("note"))
            else ""
        )
        items.append(
            f"<li>{span}: <b>{esc(entry.get('status'))}</b>{note}{ctx.cite(entry.get('source_ids'))}</li>"
        )
    return f"<h4>Status history</h4><ol>{''.join(items)}</ol>" if items else ""


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
        Sources registry and country names.
    kind_label
        What the feature is, in words ("Disputed section").
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
    sources = _all_source_ids(props)
    listed = "".join(ctx.shared(ctx.source_entry(sid, about)) for sid, about in sources.items())
    return (
        f'<div class="bm-pop"><h3>{title(props)}</h3>'
        f'<p class="bm-kind">{esc(kind_label)} · <code>{esc(props.get("id"))}</code></p>'
        f'<p class="bm-status"></p>'
        f"{names_table(props)}{_facts(props, ctx, measured or {}, chainage, spread, drawn_by)}"
        f"{_positions(props, ctx)}{_swaps(props, ctx)}{_casualties(props, ctx)}{_history(props, ctx)}"
        f"{'<h4>Sources</h4><ul class=bm-sources>' + listed + '</ul>' if listed else ''}</div>"
    )
