"""The interactive map: one self-contained, offline HTML file drawn by Leaflet.

Layers: every depiction of the line (its own colour), each depiction's country polygons (context),
enclaves, claim and swap areas, disputed sections (coloured by status), the divergence layer,
incidents and places. Controls: layers, perspective (neutral, de facto, each country the data
names), a timeline of the dates on which something changes, a legend, a scale bar; a footer gives
the perspective, the date, the datasets with their licences and the disclaimer.

The page keeps no external link (the page skeleton is :mod:`bordermap.maps.page`, without folium's
CDN scripts and styles), and Leaflet is inlined from the installed
``xstatic-leaflet`` package (:mod:`bordermap.maps.assets`). Geometry is encoded as shared arcs
(:mod:`bordermap.maps.encode`) and the perspective rule is applied in Python
(:mod:`bordermap.maps.views`), so the page only draws.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.ops import polylabel

from bordermap import __version__
from bordermap.chainage import Chainage, chainage
from bordermap.dates import parse_date
from bordermap.errors import BordermapError, UsageError
from bordermap.i18n import N_, Messages, messages
from bordermap.io.atomic import write_text
from bordermap.maps import assets
from bordermap.maps.context import context_layer, english_country_name, water_layer
from bordermap.maps.facts import SpreadContext
from bordermap.maps.page import MapPage, TileLayer
from bordermap.maps.popups import PopupContext, esc, popup_html, safe_url, title
from bordermap.maps.style import (
    DRAWN_STATUSES,
    NEUTRAL_GREY,
    NOT_PUBLISHED,
    STANCE_FILL,
    STANCE_LEGEND,
    STATUS_FILL,
    country_color,
    course_legend,
    dataset_title,
    depiction_colors,
    disclaimer,
    line_style,
)
from bordermap.maps.topocache import topology_json
from bordermap.maps.views import CODES, STATUS_CODES, Looks, Moment, perspectives, records, state_rows, timeline
from bordermap.measure import measure_frame
from bordermap.model import LAYERS, Dataset
from bordermap.palette import COUNTRY_FILL_OPACITY, WATER, WATER_LINE
from bordermap.perspective import DE_FACTO, NEUTRAL, require_view, stance_words

#: ``--basemap`` choices: none (offline vector context) or an online tile service (xyzservices name).
BASEMAPS: dict[str, str | None] = {
    "none": None,
    "osm": "OpenStreetMap.Mapnik",
    "topo": "OpenTopoMap",
    "imagery": "Esri.WorldImagery",
}
DIVERGENCE_COLOR = "#6a3d9a"
INCIDENT_COLOR = "#a50f15"
PLACE_COLOR = "#252525"
SECTION_WEIGHT = 5.0
#: Width of a river line (px): thinner than any boundary line, so a river never reads as a border.
RIVER_WEIGHT = 1.0
#: Weight (px) of a lake's shore, in :data:`~bordermap.palette.WATER_LINE` like the rivers.
LAKE_SHORE_WEIGHT = 0.5
DATA_ID = "bm-data"
#: Leaflet panes, bottom first: a feature stays at its level however often it is hidden and shown.
PANES: dict[str, int] = {
    "bm-context": 350,
    "bm-water": 380,
    "bm-areas": 410,
    "bm-lines": 420,
    "bm-sections": 430,
    "bm-points": 440,
}

_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
_AREA_KINDS = {
    "enclave": N_("Enclave"),
    "exclave": N_("Exclave"),
    "claim_area": N_("Claim area"),
    "swap_area": N_("Swap area"),
}
#: Interface strings the page's script shows (translated from the catalogue into ``data.i18n``).
SCRIPT_MESSAGES: tuple[str, ...] = (
    "Perspective",
    "As of",
    "Play",
    "Pause",
    "Layers",
    "Legend",
    "Sections",
    "Search sections",
    "no location on the map",
    "Compare two depictions",
    "Swipe to compare",
    "left",
    "right",
    "Reset view",
    "Map controls",
    "Hide panel",
    "Show panel",
    "Sources and disclaimer",
    "Status on {day} ({view}): {status}",
    "{n} of {total} sections",
    "{n} m",
    "{n} km",
    "Scale",
)


def _color(value: Any) -> str:
    """A colour from the data, if it is a plain CSS colour (a data string never reaches CSS raw)."""
    return value if isinstance(value, str) and _COLOR.match(value) else NEUTRAL_GREY


@dataclass
class _Group:
    """One toggle of the layer control."""

    key: str
    label: str  # escaped HTML
    pane: str
    on: bool = True
    dash: dict[str, str | None] | None = None
    by_status: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "pane": self.pane,
            "on": self.on,
            "dash": self.dash,
            "byStatus": self.by_status,
        }


@dataclass
class _Feature:
    group: str
    props: dict[str, Any]
    geometry: Any
    style: dict[str, Any]
    row: str
    popup: str | None = None
    tooltip: str | None = None


@dataclass
class _Build:
    """Everything collected while building: groups in drawing order, features, legend parts."""

    groups: dict[str, _Group] = field(default_factory=dict)
    features: list[_Feature] = field(default_factory=list)
    looks: Looks = field(default_factory=Looks)

    def group(self, key: str, label: str, pane: str, **kwargs: Any) -> None:
        self.groups[key] = _Group(key, label, pane, **kwargs)


def _add_water(build: _Build, dataset: Dataset, tr: Messages, always: str) -> None:
    """The lakes and rivers around the line (``context-water.geojson``): background, no popups.

    Drawn in their own pane above the country fills and below every area, line and label, in
    :data:`~bordermap.palette.WATER` with shores and rivers in :data:`~bordermap.palette.WATER_LINE`;
    GSHHG names nothing, so nothing is labelled.
    """
    water = water_layer(dataset)
    if water is None or not len(water):
        return
    build.group("water", esc(tr("Rivers and lakes (GSHHG, background)")), "bm-water")
    for props, geom in zip(records(water), water.geometry.values, strict=True):
        if geom is None or geom.is_empty:
            continue
        style: dict[str, Any] = {"interactive": False, "pane": "bm-water"}
        if geom.geom_type.endswith("Polygon"):
            style |= {"color": WATER_LINE, "weight": LAKE_SHORE_WEIGHT, "fillColor": WATER, "fillOpacity": 1.0}
        else:
            style |= {"color": WATER_LINE, "weight": RIVER_WEIGHT, "opacity": 1.0, "fill": False}
        build.features.append(_Feature("water", props, geom, style, always))


def _dashes(color: str, weight: float) -> dict[str, str | None]:
    return {s: line_style(s, color, weight).dash_array() for s in DRAWN_STATUSES}


def _swatch(
    color: str, dash: str | None = None, fill: str | None = None, circle: bool = False
) -> str:
    color = _color(color)
    if circle:
        shape = f'<circle cx="14" cy="6" r="4.5" stroke="{color}" stroke-width="1.5" fill="{_color(fill or color)}"/>'
    elif fill:
        shape = f'<rect x="2" y="1" width="24" height="10" fill="{_color(fill)}" fill-opacity="0.5" stroke="{color}"/>'
    else:
        dash_attr = f' stroke-dasharray="{esc(dash)}"' if dash else ""
        shape = f'<line x1="0" y1="6" x2="28" y2="6" stroke="{color}" stroke-width="3"{dash_attr}/>'
    return f'<svg width="28" height="12" aria-hidden="true">{shape}</svg>'


def _every(props: dict[str, Any]) -> bool:
    return True


_CHAINED = ("LineString", "MultiLineString", "Point", "MultiPoint")


class _Chainages:
    """Chainage along each depiction's main line, built once per depiction when first needed."""

    def __init__(self, dataset: Dataset, tr: Messages) -> None:
        self.dataset = dataset
        self.tr = tr
        self.cache: dict[str, Chainage | None] = {}
        origin = dataset.meta.get("chainage_origin") or {}
        self.origin = str(origin.get("description") or "the start of the line")

    def _of(self, depiction: str) -> Chainage | None:
        if depiction not in self.cache:
            try:
                self.cache[depiction] = chainage(self.dataset, depiction)
            except (BordermapError, KeyError, ValueError):
                self.cache[depiction] = None
        return self.cache[depiction]

    def texts(self, geoms: Any, depictions: list[str | None]) -> list[str | None]:
        """Chainage of each line's ends or point, as escaped text (one look-up per depiction).

        None for areas, missing geometries and features given no depiction.
        """
        out: list[str | None] = [None] * len(depictions)
        wanted: dict[str, list[tuple[int, Any]]] = {}
        for i, (geom, dep) in enumerate(zip(geoms, depictions, strict=True)):
            if dep and geom is not None and not geom.is_empty and geom.geom_type in _CHAINED:
                wanted.setdefault(dep, []).append((i, geom))
        for dep, items in wanted.items():
            table = self._of(dep)
            if table is None:
                continue
            ends = []
            for _, geom in items:
                xy = shapely.get_coordinates(geom)
                ends.append(xy[[0, -1]] if geom.geom_type.endswith("LineString") else xy)
            km = np.split(
                table.at(shapely.points(np.concatenate(ends))),
                np.cumsum([len(e) for e in ends])[:-1],
            )
            tr = self.tr
            where = esc(tr("along the {line} line from {origin}", line=dep, origin=self.origin))
            for (i, geom), values in zip(items, km, strict=True):
                if geom.geom_type.endswith("LineString"):
                    lo, hi = sorted((float(values[0]), float(values[-1])))
                    out[i] = f"{tr('km')} {tr.number(lo)}–{tr.number(hi)} {where}"
                else:
                    points = "; ".join(tr.number(float(k)) for k in values)
                    out[i] = f"{tr('km')} {points} ({esc(tr('nearest point'))}) {where}"
        return out


def _views(dataset: Dataset, tr: Messages) -> list[dict[str, str]]:
    out = []
    for view in perspectives(dataset):
        if view == NEUTRAL:
            label, help_text = tr("Neutral (all claims)"), tr("Every feature, whatever its perspectives.")
        elif view == DE_FACTO:
            label = tr("De facto")
            help_text = tr("Undisputed features and those someone controls on the ground.")
        else:
            name = tr.country(view, dataset.country_name(view))
            label = tr("{country} view", country=name)
            help_text = tr("What {country} ({code}) accepts.", country=name, code=view)
        out.append({"id": view, "label": label, "help": help_text})
    return out


def _collect(
    dataset: Dataset,
    views: list[str],
    days: list[dt.date],
    ctx: PopupContext,
    layer_records: dict[str, list[dict[str, Any]]],
    tr: Messages,
) -> _Build:
    build = _Build()
    colors = depiction_colors(dataset)
    titles = {d["id"]: str(d.get("title") or d["id"]) for d in dataset.meta.get("depictions", [])}
    chain = _Chainages(dataset, tr)
    default = dataset.default_depiction if dataset.depictions else None
    # Every value shown for a thing several depictions draw comes with its range (all dates).
    measured_layers = {
        name: measure_frame(dataset.layer(name))
        for name in ("boundary", "areas", "sections", "divergence")
        if len(dataset.layer(name))
    }
    spread = SpreadContext.of(dataset, measured_layers)

    def add(
        layer: str,
        keep: Callable[[dict[str, Any]], bool],
        group_of: Callable[[dict[str, Any]], str | None],
        style_of: Callable[[dict[str, Any]], dict[str, Any]],
        label_of: Callable[[dict[str, Any]], str],
        interactive: bool = True,
        chain_on: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        rows_kept = [i for i, p in enumerate(layer_records[layer]) if keep(p)]
        if not rows_kept:
            return
        frame = dataset.layer(layer).iloc[rows_kept]
        props_list = [layer_records[layer][i] for i in rows_kept]
        rows = state_rows(props_list, views, days, build.looks)
        chained = chain.texts(
            frame.geometry.values, [chain_on(p) if chain_on else None for p in props_list]
        )
        measured = (
            measured_layers[layer].iloc[rows_kept].to_dict("records") if layer in measured_layers else None
        )
        for i, (props, geom, row) in enumerate(
            zip(props_list, frame.geometry.values, rows, strict=True)
        ):
            key = group_of(props)
            if key is None or geom is None or geom.is_empty:
                continue
            feature = _Feature(
                key, props, geom, {**style_of(props), "pane": build.groups[key].pane}, row
            )
            if interactive:
                m = measured[i] if measured is not None else {}
                feature.popup = popup_html(props, ctx, label_of(props), m, chained[i], *spread.lookup(props))
                feature.tooltip = (
                    esc(tr.name(props.get("names"), str(props.get("id")))) if tr.lang != "en" else title(props)
                )
            build.features.append(feature)

    # Groups in drawing order; those that end up with no feature are dropped.
    context = context_layer(dataset)
    always = STATUS_CODES["settled"] * (len(views) * len(days))
    if context is not None and len(context):
        build.group("context", esc(tr("Neighbouring countries (Natural Earth, background)")), "bm-context")
        for props, geom in zip(records(context), context.geometry.values, strict=True):
            if geom is None or geom.is_empty:
                continue
            style = {
                "stroke": False,
                "fillColor": _color(country_color(dataset, str(props.get("country")))),
                "fillOpacity": COUNTRY_FILL_OPACITY,
                "interactive": False,
                "pane": "bm-context",
            }
            build.features.append(_Feature("context", props, geom, style, always))
    for dep in dataset.depictions:
        build.group(
            f"countries-{dep}",
            esc(tr("Countries ({depiction})", depiction=titles.get(dep, dep))),
            "bm-context",
            on=dep == default,
        )
    _add_water(build, dataset, tr, always)
    enclave_dash = _dashes(NEUTRAL_GREY, 1.5)
    build.group("enclaves", esc(tr("Enclaves and exclaves")), "bm-areas", dash=enclave_dash)
    build.group("claims", esc(tr("Claim and swap areas")), "bm-areas", dash=enclave_dash, by_status=True)
    build.group(
        "divergence",
        esc(tr("Divergence between depictions")),
        "bm-areas",
        dash=_dashes(DIVERGENCE_COLOR, 1.0),
    )
    build.group(
        "candidates",
        esc(tr("Where the maps disagree (a comparison of maps, not claims)")),
        "bm-areas",
        on=False,
        dash=_dashes(DIVERGENCE_COLOR, 2.0),
    )
    for dep in dataset.depictions:
        color = colors.get(dep, NEUTRAL_GREY)
        swatch = f'<span style="color:{_color(color)}">&#9644;</span> '
        build.group(
            f"line-{dep}",
            swatch + esc(tr("Line: {depiction}", depiction=titles.get(dep, dep))),
            "bm-lines",
            dash=_dashes(color, 3.0 if dep == default else 2.5),
        )
    build.group(
        "sections",
        esc(tr("Disputed sections")),
        "bm-sections",
        dash=_dashes("#000", SECTION_WEIGHT),
        by_status=True,
    )
    build.group("incidents", esc(tr("Incidents")), "bm-points")
    build.group("places", esc(tr("Places")), "bm-points")

    add(
        "areas",
        lambda p: p.get("kind") == "country_region",
        lambda p: (
            f"countries-{p.get('depiction')}"
            if f"countries-{p.get('depiction')}" in build.groups
            else None
        ),
        lambda p: {
            "stroke": False,
            "fillColor": _color(country_color(dataset, str(p.get("country")))),
            "fillOpacity": COUNTRY_FILL_OPACITY,
            "interactive": False,
        },
        lambda p: tr("Country"),
        interactive=False,
    )

    def line_group(p: dict[str, Any]) -> str | None:
        key = f"line-{p.get('depiction')}"
        return key if key in build.groups else None

    add(
        "boundary",
        _every,
        line_group,
        lambda p: {
            "color": colors.get(str(p.get("depiction")), NEUTRAL_GREY),
            "weight": 3.0 if p.get("depiction") == default else 2.5,
            "opacity": 0.9,
            "fill": False,
        },
        lambda p: tr("Boundary line, {depiction}", depiction=titles.get(str(p.get("depiction")), p.get("depiction"))),
        chain_on=lambda p: str(p.get("depiction")) if p.get("part") == "main" else None,
    )

    add(
        "areas",
        lambda p: p.get("kind") in _AREA_KINDS,
        lambda p: "enclaves" if p.get("kind") in ("enclave", "exclave") else "claims",
        lambda p: {
            "color": colors.get(str(p.get("depiction")), NEUTRAL_GREY),
            "weight": 1.5,
            "fillOpacity": 0.22,
            "fillColor": _color(country_color(dataset, str(p.get("administered_by")))),
        },
        lambda p: tr(
            "{kind} ({depiction})", kind=tr(_AREA_KINDS.get(str(p.get("kind")), N_("Area"))),
            depiction=titles.get(str(p.get("depiction")), p.get("depiction")),
        ),
    )

    add(
        "divergence",
        _every,
        lambda p: "divergence",
        lambda p: {
            "color": DIVERGENCE_COLOR,
            "weight": 1.0,
            "fillColor": DIVERGENCE_COLOR,
            "fillOpacity": 0.35,
        },
        lambda p: tr("Where two depictions disagree"),
    )

    add(
        "candidates",
        _every,
        lambda p: "candidates",
        lambda p: {"color": DIVERGENCE_COLOR, "weight": 2.0, "fill": False},
        lambda p: tr("Where the open maps disagree (not a claim)"),
    )

    add(
        "sections",
        _every,
        lambda p: "sections",
        lambda p: {"weight": SECTION_WEIGHT, "opacity": 0.8, "fillOpacity": 0.3, "radius": 9},
        lambda p: tr("Disputed section"),
        chain_on=lambda p: default,
    )
    add(
        "incidents",
        _every,
        lambda p: "incidents",
        lambda p: {
            "radius": 6,
            "color": INCIDENT_COLOR,
            "weight": 1.5,
            "fillColor": "#ef3b2c",
            "fillOpacity": 0.9,
        },
        lambda p: tr("Incident"),
        chain_on=lambda p: default,
    )
    add(
        "places",
        _every,
        lambda p: "places",
        lambda p: {
            "radius": 3.5,
            "color": PLACE_COLOR,
            "weight": 1.5,
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
        },
        lambda p: tr("Place"),
        chain_on=lambda p: default,
    )
    return build


def _why(moment: Moment, tr: Messages) -> str:
    """What changes on a timeline date, in the interface language (names in it where the data has them)."""
    if tr.lang == "en":
        return "; ".join(moment.why)
    texts = (
        tr(r.template, name=tr.name(dict(r.names), r.fallback), status=tr(r.status)) if r.names or r.status
        else tr(r.template.replace("{name}", r.fallback))
        for r in moment.reasons
    )
    return "; ".join(dict.fromkeys(texts))


def _legend(dataset: Dataset, build: _Build, tr: Messages) -> str:
    colors = depiction_colors(dataset)
    parts = [f"<h4>{esc(tr('Lines (depictions)'))}</h4>"]
    for record in dataset.meta.get("depictions", []):
        dep = record["id"]
        vintage = f" ({esc(record['vintage'])})" if record.get("vintage") else ""
        parts.append(
            # a colour box, not a line: how a line is dashed says its status, not its depiction
            f"<div>{_swatch(colors.get(dep, NEUTRAL_GREY), fill=colors.get(dep, NEUTRAL_GREY))}"
            f"{esc(record.get('title') or dep)}{vintage}</div>"
        )
    parts.append(f"<h4>{esc(tr('Line status'))}</h4>")
    for label, status in (
        (N_("agreed, delimited, demarcated, settled — course published"), "settled"),
        (N_("agreed … settled — course not published: drawn where a depiction puts it"), f"settled, {NOT_PUBLISHED}"),
        (N_("disputed"), "disputed"),
        (N_("undetermined (or no status)"), "undetermined"),
        (N_("abolished"), "abolished"),
    ):
        parts.append(
            f"<div>{_swatch('#000', line_style(status, '#000', 3.0).dash_array())}{esc(tr(label))}</div>"
        )
    for line in course_legend(dataset, tr=tr):
        dash = line_style(f"settled, {NOT_PUBLISHED}", "#000", 3.0).dash_array()
        parts.append(f'<div class="bm-course">{_swatch("#000", dash)}{esc(line)}</div>')
    if "sections" in build.groups or "claims" in build.groups:
        parts.append(f"<h4>{esc(tr('Disputed sections, by status'))}</h4>")
        for status in ("disputed", "undetermined", "agreed", "settled", "abolished"):
            parts.append(f"<div>{_swatch(STATUS_FILL[status])}{esc(tr(status))}</div>")
    stances = list(dict.fromkeys(look["stance"] for look in build.looks.entries if look["stance"]))
    if stances:
        parts.append(f"<h4>{esc(tr('In a country’s view, what its recorded positions say: the place is…'))}</h4>")
        for stance in stances:
            swatch = _swatch(STANCE_FILL[stance], fill=STANCE_FILL[stance])
            parts.append(f"<div>{swatch}{esc(tr(STANCE_LEGEND[stance]))}</div>")
    codes = sorted(
        {
            str(f.props.get("country"))
            for f in build.features
            if f.group.startswith("countries-") or f.group == "context"
        }
    )
    if codes:
        parts.append(f"<h4>{esc(tr('Countries'))}</h4>")
        for code in codes:
            fill = country_color(dataset, code)
            name = tr.country(code, english_country_name(dataset, code))
            parts.append(f"<div>{_swatch(fill, fill=fill)}{esc(name)}</div>")
    extras = (
        (
            "enclaves",
            _swatch(NEUTRAL_GREY, fill=NEUTRAL_GREY),
            N_("enclave / exclave (fill: administering country)"),
        ),
        (
            "divergence",
            _swatch(DIVERGENCE_COLOR, fill=DIVERGENCE_COLOR),
            N_("depictions put the ground on different sides"),
        ),
        ("water", _swatch(WATER_LINE, fill=WATER), N_("river / lake (GSHHG, background)")),
        ("incidents", _swatch(INCIDENT_COLOR, fill="#ef3b2c", circle=True), N_("incident")),
        ("places", _swatch(PLACE_COLOR, fill="#ffffff", circle=True), N_("place")),
    )
    shown = [f"<div>{icon}{esc(tr(text))}</div>" for key, icon, text in extras if key in build.groups]
    if shown:
        parts += [f"<h4>{esc(tr('Other'))}</h4>", *shown]
    return "".join(parts)


def _footer(
    dataset: Dataset, basemap: str, tile_attribution: str | None, tr: Messages
) -> tuple[str, str]:
    """The page's footer and the one-line credit of the embed mode (both escaped HTML)."""
    licences, short = [], []
    for record in dataset.sources.values():
        if record.get("kind") != "dataset":
            continue
        url = safe_url(record.get("url"))
        name = esc(record.get("title") or record.get("id"))
        name = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
            if url
            else name
        )
        bits = [esc(record[k]) for k in ("license", "attribution") if record.get(k)]
        licences.append(f"{name}{' — ' + '; '.join(bits) if bits else ''}")
        who = str(record.get("publisher") or record.get("title") or record.get("id"))
        short.append(esc(who.split(";")[0].split(" (")[0].strip()))
    data_line = f"<p><b>{esc(tr('Data'))}:</b> {' · '.join(licences)}</p>" if licences else ""
    tiles = (
        f"<p><b>{esc(tr('Basemap'))} ({esc(basemap)}):</b> {tile_attribution}</p>"
        if tile_attribution
        else ""
    )
    as_of = (
        " " + esc(tr("(dataset as of {day})", day=tr.date(str(dataset.meta["as_of"]))))
        if dataset.meta.get("as_of")
        else ""
    )
    name = esc(dataset_title(dataset, tr) or tr("bordermap dataset"))
    made = esc(
        tr(
            "Made with bordermap {version} and Leaflet {leaflet} (BSD-2-Clause), inlined: this file works offline.",
            version=__version__,
            leaflet=assets.leaflet_version(),
        )
    )
    footer = (
        '<footer class="bm-footer">'
        f"<p><b>{name}</b> · {esc(tr('Perspective'))}: "
        f'<span class="bm-current-view"></span> · {esc(tr("As of"))}: <span class="bm-current-day"></span>'
        f"{as_of}</p>"
        f'<p class="bm-disclaimer">{esc(disclaimer(dataset, tr))}</p>'
        f'<details class="bm-about"><summary>{esc(tr("Sources and licences"))}</summary>'
        f"{data_line}{tiles}<p>{made}</p></details></footer>"
    )
    short_disclaimer = tr(
        "Lines are depictions from the sources named, none an official delimitation; no endorsement implied."
    )
    credit = f"<b>{name}</b> · {esc(short_disclaimer)} · {esc(tr('Data'))}: {', '.join(dict.fromkeys(short))}"
    return footer, credit


def _labels(dataset: Dataset, features: list[_Feature], tr: Messages) -> list[dict[str, Any]]:
    """Permanent labels, most important first: countries, enclaves, towns (by population), sections.

    Each label names the feature it belongs to (``f``, its index; None for country names, which
    are always shown) so that the page hides it with its feature; the page drops labels that would
    overlap one placed before them, at every zoom.
    """
    default = dataset.default_depiction if dataset.depictions else None
    out: list[tuple[tuple[int, float], dict[str, Any]]] = []
    enclaves: dict[str, tuple[int, int]] = {}
    own = {str(f.props.get("country")) for f in features if f.group == f"countries-{default}"}

    def where(geom: Any) -> list[float]:
        if geom.geom_type in ("Point", "MultiPoint"):
            pt = shapely.get_point(geom, 0) if geom.geom_type == "MultiPoint" else geom
        elif geom.geom_type.endswith("LineString"):
            line = geom if geom.geom_type == "LineString" else max(geom.geoms, key=lambda g: g.length)
            pt = line.interpolate(0.5, normalized=True)
        else:
            poly = geom if geom.geom_type == "Polygon" else max(geom.geoms, key=lambda g: g.area)
            pt = polylabel(poly, tolerance=max(poly.length / 2000, 1e-4))
        return [round(pt.y, 5), round(pt.x, 5)]

    for i, f in enumerate(features):
        props, group = f.props, f.group
        if group == f"countries-{default}" or (group == "context" and props.get("country") not in own):
            code = str(props.get("country"))
            text = tr.country(code, english_country_name(dataset, code))
            out.append(((0, 0.0), {"t": text, "p": where(f.geometry), "k": "country", "f": None}))
        elif group == "enclaves":
            key = str(props.get("enclave_key") or props.get("id"))
            rank = 0 if props.get("depiction") == default else 1
            if key not in enclaves or rank < enclaves[key][0]:
                enclaves[key] = (rank, i)
        elif group == "places":
            text = tr.name(props.get("names"), str(props.get("id")))
            population = float(props.get("population") or 0)
            out.append(((2, -population), {"t": text, "p": where(f.geometry), "k": "town", "f": i}))
        elif group == "sections":
            text = tr.name(props.get("names"), str(props.get("id")))
            out.append(((3, 0.0), {"t": text, "p": where(f.geometry), "k": "section", "f": i}))
    for _, i in enclaves.values():
        f = features[i]
        text = tr.name(f.props.get("names"), str(f.props.get("id")))
        out.append(((1, -f.geometry.area), {"t": text, "p": where(f.geometry), "k": "enclave", "f": i}))
    out.sort(key=lambda item: item[0])
    return [label for _, label in out]


def _section_list(
    dataset: Dataset, features: list[_Feature], layer_records: dict[str, list[dict[str, Any]]], tr: Messages
) -> list[dict[str, Any]]:
    """Every section for the page's list: its name, district(s), and the drawn feature if it has one."""
    drawn = {str(f.props.get("id")): i for i, f in enumerate(features) if f.group == "sections"}
    out = []
    for props in layer_records["sections"]:
        fid = str(props.get("id"))
        districts = props.get("districts")
        where = "; ".join(str(v) for v in districts.values()) if isinstance(districts, dict) else ""
        given = props.get("names")
        names: dict[str, Any] = given if isinstance(given, dict) else {}
        out.append(
            {
                "id": fid,
                "t": tr.name(names, fid),
                "d": where,
                "q": " ".join([fid, where, *map(str, names.values())]).lower(),
                "f": drawn.get(fid),
            }
        )
    return sorted(out, key=lambda s: s["t"].lower())


def _json_for_html(obj: Any) -> str:
    r"""JSON that cannot end its ``<script>`` element: ``</`` written ``<\/``, ``<!--`` escaped.

    Both are the same text to ``JSON.parse``; escaping only these keeps the many tags of the
    popup HTML at their size.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def _tile_layer(basemap: str) -> TileLayer | None:
    name = BASEMAPS[basemap]
    return None if name is None else TileLayer.of(name)


def make_map(
    dataset: Dataset,
    perspective: str = NEUTRAL,
    as_of: dt.date | str | None = None,
    basemap: str = "none",
    lang: str = "en",
    embed: bool = False,
) -> MapPage:
    """Build the interactive map of a dataset.

    Parameters
    ----------
    dataset
        The dataset to draw.
    perspective
        The view shown first: ``neutral``, ``de-facto`` or a country code the data names; the
        reader can switch views in the map.
    as_of
        The date shown first (default: the dataset's ``as_of``); the reader can move along the
        timeline.
    basemap
        ``none`` (default: offline, vector context only) or an online tile basemap (``osm``,
        ``topo``, ``imagery``), which makes the page load tiles from that service.
    lang
        Interface language (:data:`bordermap.i18n.LANGUAGES`): every interface string, legend,
        popup field name, date and number format and the disclaimer; feature names in that
        language where the data has them, else in English.
    embed
        Start in embed mode (as ``#embed`` in the URL does): no footer, a one-line credit and
        disclaimer on the map, the control panel folded away.

    Returns
    -------
    MapPage
        The map's page; ``render()`` gives its HTML, which loads nothing from the network
        (unless ``basemap``).

    Examples
    --------
    >>> import bordermap
    >>> m = make_map(bordermap.load(), perspective="KG")
    >>> page = m.render()
    >>> "cdn.jsdelivr" in page, "bordermapInit" in page
    (False, True)
    """
    tr = messages(lang)
    views = perspectives(dataset)
    require_view(dataset, perspective)
    if basemap not in BASEMAPS:
        raise UsageError(f"basemap {basemap!r}: choose one of {', '.join(BASEMAPS)}")
    day = parse_date(as_of) if as_of is not None else None
    layer_records = {name: records(dataset.layer(name)) for name in LAYERS}
    moments = timeline(dataset, [day] if day else [], layer_records)
    days = [m.day for m in moments]
    if day is None:
        day = (
            parse_date(dataset.meta["as_of"])
            if dataset.meta.get("as_of")
            else (days[-1] if days else dt.date.today())
        )
        if day not in days:
            moments = timeline(dataset, [day], layer_records)
            days = [m.day for m in moments]

    ctx = PopupContext(
        dataset.sources,
        {c: tr.country(c, dataset.country_name(c)) for c in dataset.meta.get("countries", {})},
        tr=tr,
    )
    build = _collect(dataset, views, days, ctx, layer_records, tr)
    build.groups = {
        k: g for k, g in build.groups.items() if any(f.group == k for f in build.features)
    }
    order = list(build.groups)
    build.features.sort(key=lambda f: order.index(f.group))
    topo = topology_json([f.geometry for f in build.features])
    unique_rows = list(dict.fromkeys(f.row for f in build.features))
    row_index = {r: i for i, r in enumerate(unique_rows)}

    tiles = _tile_layer(basemap)
    footer, credit = _footer(dataset, basemap, tiles.attribution if tiles else None, tr)
    titles = {d["id"]: str(d.get("title") or d["id"]) for d in dataset.meta.get("depictions", [])}
    lines = [f.geometry for f in build.features if f.group.startswith("line-")] or [
        f.geometry for f in build.features
    ]
    bounds = None
    if lines:
        west, south, east, north = (float(v) for v in shapely.total_bounds(np.asarray(lines, dtype=object)))
        bounds = [[south, west], [north, east]]
    data = {
        "lang": tr.lang,
        "embed": embed,
        "i18n": {text: tr(text) for text in SCRIPT_MESSAGES},
        "views": _views(dataset, tr),
        "days": [
            {"d": m.day.isoformat(), "t": tr.date(m.day), "why": _why(m, tr)}
            for m in moments
        ],
        # Every look's name in the page's language: a status, or a status with a party's stance.
        "statusNames": {
            **{s: tr(s) for s in DRAWN_STATUSES},
            **{look["name"]: f"{tr(look['status'])} — {stance_words(look['said'], tr=tr)}"
               for look in build.looks.entries if look["stance"]},
        },
        "depictions": [
            {"id": d, "t": titles.get(d, d), "g": order.index(f"line-{d}")}
            for d in dataset.depictions
            if f"line-{d}" in order
        ],
        "start": {"view": views.index(perspective), "day": days.index(day)},
        "rows": unique_rows,
        "codes": CODES,
        "statuses": [
            {
                "name": look["name"],
                "dash": look["status"],
                "stance": look["stance"],
                "fill": STANCE_FILL[look["stance"]] if look["stance"] else STATUS_FILL[look["status"]],
            }
            for look in build.looks.entries
        ],
        "groups": [build.groups[k].as_json() for k in order],
        "features": [
            {
                "id": str(f.props.get("id")),
                "g": order.index(f.group),
                "r": row_index[f.row],
                "s": f.style,
                "pop": f.popup,
                "tip": f.tooltip,
            }
            for f in build.features
        ],
        "legend": _legend(dataset, build, tr),
        "labels": _labels(dataset, build.features, tr),
        "sections": _section_list(dataset, build.features, layer_records, tr),
        "credit": credit,
        "bounds": bounds,
        "snippets": ctx.snippets,
        "panes": PANES,
    }
    payload = _json_for_html(data)
    # The topology is already compact JSON of numbers; splice it in rather than re-serialise it.
    payload = payload[:-1] + ',"topo":' + topo + "}"

    if bounds:
        center = ((bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2)
    else:
        center = (0.0, 0.0)
    title = esc(tr("{title} — bordermap map", title=dataset_title(dataset, tr) or tr("Border")))
    head = "".join(
        [
            assets.style_tag(assets.leaflet_css()),
            assets.style_tag(assets.own("bordermap.css")),
            assets.script_tag(assets.leaflet_js()),
            assets.script_tag(assets.own("bordermap.js")),
        ]
    )
    body = assets.script_tag(payload, "application/json", DATA_ID) + footer
    # No initial fit to the bounds: the page's own fit (bordermap.js) knows the panel and controls.
    return MapPage(title, tr.lang, center, head, body, "bordermapInit", DATA_ID, tiles)


def render_map(dataset: Dataset, **options: Any) -> str:
    """The map's whole HTML page as a string (options as for :func:`make_map`), its language declared."""
    return make_map(dataset, **options).render()


def write_map(dataset: Dataset, path: str | Path, **options: Any) -> Path:
    """Write the map to an HTML file atomically and return its path (options as for :func:`make_map`).

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = write_map(bordermap.load(), pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> out.stat().st_size < 1_500_000
    True
    """
    inputs = (dataset.path,) if dataset.path is not None else ()
    return write_text(Path(path), render_map(dataset, **options), inputs)
