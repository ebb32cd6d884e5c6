"""Print-quality static maps (PNG, SVG, PDF) drawn with matplotlib.

A page holds a title, the map (legend, geodesic scale bar, north arrow, degree ticks), an inset
locator map of the dataset's countries, and a footer with the date, the perspective, the data
sources with their licences and the dataset's disclaimer. Styles come from
:mod:`bordermap.maps.style`, shared with the HTML map: agreed lines solid, disputed dashed,
disputed areas hatched. Extents come from the data; nothing is tied to one pair of countries.

The map is drawn in longitude/latitude with an aspect of 1/cos(central latitude), an
equirectangular projection true to scale along the central parallel (see
:mod:`bordermap.maps.scalebar`). matplotlib is imported only when a map is drawn.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely

from bordermap import __version__
from bordermap.dates import parse_date
from bordermap.errors import DataError, UsageError
from bordermap.i18n import Messages, messages
from bordermap.io.atomic import atomic_path
from bordermap.io.textsafe import xml_safe
from bordermap.maps.context import context_layer, water_layer
from bordermap.maps.facts import data_credits, feature_name, feature_source_ids, view_text
from bordermap.maps.scalebar import degree_label, draw_north_arrow, draw_scale_bar, latitude_label
from bordermap.maps.style import (
    NOT_PUBLISHED,
    STANCE_FILL,
    STANCE_LEGEND,
    STATUS_FILL,
    country_color,
    course_legend,
    dataset_title,
    depiction_colors,
    disclaimer,
    drawn_status,
    line_style,
)
from bordermap.model import DASHED_STATUSES, LAYERS, Dataset, is_placeholder
from bordermap.palette import COUNTRY_FILL_OPACITY, COUNTRY_FILLS, MAP_BACKGROUND, WATER, WATER_LINE
from bordermap.perspective import NEUTRAL, select, stance_on, stance_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Portrait page sizes in inches.
PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": (8.27, 11.69), "letter": (8.5, 11.0)}
FORMATS: tuple[str, ...] = (".png", ".svg", ".pdf")
#: Page margin in inches.
MARGIN = 0.45
INCIDENT_COLOR = "#7b0000"
#: Most labels drawn on one map; lower-priority labels that would overlap are dropped anyway.
MAX_LABELS = 40


def pyplot() -> Any:
    """Matplotlib's pyplot on the non-interactive Agg backend (imported on first use)."""
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("static maps need matplotlib: pip install matplotlib") from exc
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


@dataclass
class MapView:
    """The layers of a dataset as seen from one perspective on one date."""

    dataset: Dataset
    perspective: str
    day: dt.date | None
    layers: dict[str, gpd.GeoDataFrame]
    #: Interface language of the page (:mod:`bordermap.i18n`).
    tr: Messages = field(default_factory=lambda: messages("en"))

    @classmethod
    def of(cls, dataset: Dataset, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
           lang: str = "en") -> MapView:
        """Select every layer for a perspective and date (default: the dataset's ``as_of``).

        Examples
        --------
        >>> import bordermap
        >>> view = MapView.of(bordermap.load(), "KG")
        >>> view.perspective, view.day == parse_date(view.dataset.meta["as_of"])
        ('KG', True)
        """
        if as_of is None and dataset.meta.get("as_of"):
            as_of = str(dataset.meta["as_of"])
        day = parse_date(as_of) if as_of is not None else None
        layers = {name: select(dataset.layer(name), perspective, day) for name in LAYERS}
        return cls(dataset, perspective, day, layers, messages(lang))

    def describe(self) -> str:
        """The perspective in words, for captions (:func:`bordermap.maps.facts.view_text`)."""
        return view_text(self.dataset, self.perspective, self.tr)

    def name(self, props: dict[str, Any]) -> str:
        """A feature's name in the page's language where the data has it (English otherwise)."""
        return self.tr.name(props.get("names"), feature_name(props)) if self.tr.lang != "en" else feature_name(props)


def find_section(dataset: Dataset, section_id: str) -> dict[str, Any]:
    """A section's properties with its geometry under ``"geometry"``; UsageError if unknown."""
    frame = dataset.layer("sections")
    match = frame[frame["id"] == section_id]
    if match.empty:
        known = ", ".join(map(str, frame["id"].head(12)))
        raise UsageError(f"no section {section_id!r} in the dataset (sections: {known or 'none'})")
    row = match.iloc[0]
    props = row.drop(labels=frame.geometry.name).to_dict()
    props["geometry"] = row[frame.geometry.name]
    return props


# --- extents ------------------------------------------------------------------------------

def _figure(ax: Axes) -> Figure:
    """The top-level figure ``ax`` is drawn on (``ax.figure`` may be a subfigure's)."""
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the axes belong to no figure")
    return figure


def _bounds(frames: Iterable[gpd.GeoDataFrame]) -> tuple[float, float, float, float] | None:
    boxes = [f.geometry.dropna().total_bounds for f in frames if len(f.geometry.dropna())]
    boxes = [b for b in boxes if np.all(np.isfinite(b))]
    if not boxes:
        return None
    arr = np.array(boxes)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())


def pad_bounds(bounds: Sequence[float], fraction: float, minimum_deg: float = 0.0) -> tuple[float, float, float, float]:
    """Grow a (minx, miny, maxx, maxy) box by a fraction of its size, at least ``minimum_deg``.

    Examples
    --------
    >>> pad_bounds((0, 0, 2, 1), 0.1)
    (-0.2, -0.1, 2.2, 1.1)
    >>> pad_bounds((5, 5, 5, 5), 0.1, minimum_deg=0.05)
    (4.95, 4.95, 5.05, 5.05)
    """
    minx, miny, maxx, maxy = bounds
    dx = max((maxx - minx) * fraction, minimum_deg)
    dy = max((maxy - miny) * fraction, minimum_deg)
    return minx - dx, miny - dy, maxx + dx, maxy + dy


def map_bounds(view: MapView, section: dict[str, Any] | None = None) -> tuple[float, float, float, float]:
    """The area a map shows: a section and its surroundings, or the whole line and its sections."""
    if section is not None:
        geom = section.get("geometry")
        if geom is None or geom.is_empty:
            raise DataError(f"sections.geojson:{section.get('id')} /geometry: null; the section has no "
                            "location to map (see its districts)")
        return pad_bounds(geom.bounds, 0.6, minimum_deg=0.06)
    bounds = _bounds(view.layers[n] for n in ("boundary", "sections", "divergence", "incidents"))
    bounds = bounds or _bounds([view.layers["areas"]])
    if bounds is None:
        raise DataError(f"{view.dataset.path or view.dataset.meta.get('id')}: no geometry to map")
    return pad_bounds(bounds, 0.06, minimum_deg=0.02)


def _ground_aspect(bounds: Sequence[float]) -> float:
    """Width over height of a lon/lat box on the ground."""
    minx, miny, maxx, maxy = bounds
    return (maxx - minx) * math.cos(math.radians((miny + maxy) / 2)) / max(maxy - miny, 1e-9)


def fit_bounds(bounds: Sequence[float], box_ratio: float) -> tuple[float, float, float, float]:
    """Widen a lon/lat box about its centre so that its ground shape has width/height ``box_ratio``.

    Examples
    --------
    >>> fit_bounds((0.0, -1.0, 2.0, 1.0), 2.0)
    (-1.0, -1.0, 3.0, 1.0)
    """
    minx, miny, maxx, maxy = bounds
    ratio = _ground_aspect(bounds)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if ratio < box_ratio:
        half = (maxx - minx) / 2 * box_ratio / max(ratio, 1e-9)
        return cx - half, miny, cx + half, maxy
    half = (maxy - miny) / 2 * ratio / box_ratio
    return minx, cy - half, maxx, cy + half


# --- drawing primitives ----------------------------------------------------------------------

def _line_coords(geoms: Iterable[Any]) -> list[np.ndarray]:
    """The coordinate arrays of every line part, polygon ring excluded."""
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for part in shapely.get_parts(geom):
            if part.geom_type in ("LineString", "LinearRing"):
                out.append(shapely.get_coordinates(part))
    return out


def _polygon_path(geoms: Iterable[Any]) -> Any:
    """One matplotlib Path for every polygon (holes kept by orientation, nonzero fill rule)."""
    from matplotlib.path import Path as MplPath

    rings = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for poly in shapely.get_parts(geom):  # a clipped polygon may come back as a collection
            if poly.geom_type != "Polygon":
                continue
            poly = shapely.orient_polygons(poly)
            for ring in (poly.exterior, *poly.interiors):
                rings.append(MplPath(shapely.get_coordinates(ring), closed=True))
    return MplPath.make_compound_path(*rings) if rings else None


def _points(geoms: Iterable[Any]) -> np.ndarray:
    pts = [
        shapely.get_coordinates(g)
        for g in geoms
        if g is not None and not g.is_empty and g.geom_type in ("Point", "MultiPoint")
    ]
    return np.concatenate(pts) if pts else np.zeros((0, 2))


def _draw_polygons(ax: Axes, geoms: Iterable[Any], **style: Any) -> bool:
    """Fill polygons, clipped first to a little more than the axes show (limits are set before).

    The patch is added as an artist: the limits are already fixed, and updating them from a
    patch of thousands of vertices is what made the atlas slow.
    """
    from matplotlib.patches import PathPatch

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    dx, dy = (x1 - x0) * 0.05, (y1 - y0) * 0.05
    clipped = [
        shapely.clip_by_rect(g, x0 - dx, y0 - dy, x1 + dx, y1 + dy)
        for g in geoms
        if g is not None and not g.is_empty
    ]
    path = _polygon_path(g for g in clipped if not g.is_empty)
    if path is None:
        return False
    ax.add_artist(PathPatch(path, **style))
    return True


def _draw_lines(ax: Axes, geoms: Iterable[Any], **style: Any) -> bool:
    """Draw line parts on axes whose limits are already set.

    The limits are not updated from the lines: that took a twentieth of the atlas's drawing.
    """
    from matplotlib.collections import LineCollection

    coords = _line_coords(geoms)
    if not coords:
        return False
    ax.add_collection(LineCollection(coords, **style), autolim=False)
    return True


def _dashes(status: str) -> Any:
    dash = line_style(status, "#000").dash
    return "solid" if dash is None else (0, dash)


def _draw_water(ax: Axes, dataset: Dataset) -> bool:
    """Lakes and rivers of the dataset's context (if any) over the country fills, under the rest."""
    water = water_layer(dataset)
    if water is None or not len(water):
        return False
    polygonal = water.geom_type.str.endswith("Polygon").to_numpy()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    rivers = [shapely.clip_by_rect(g, x0, y0, x1, y1) for g in water.geometry.values[~polygonal]]
    lakes = _draw_polygons(ax, water.geometry.values[polygonal], facecolor=WATER, edgecolor=WATER_LINE,
                           linewidth=0.3, zorder=1.5)
    streams = _draw_lines(ax, [g for g in rivers if not g.is_empty], colors=WATER_LINE, linewidths=0.6, zorder=1.5)
    return lakes or streams


# --- the map ---------------------------------------------------------------------------------

@dataclass
class Label:
    """A text label placed at a point, with a priority (lower first)."""

    x: float
    y: float
    text: str
    priority: int
    size: float = 6.5
    weight: str = "normal"


def _drawn(frame: gpd.GeoDataFrame) -> list[str]:
    """Each feature's drawn status (status plus what is known of its course)."""
    courses = frame["course"] if "course" in frame.columns else ["unknown"] * len(frame)
    return [drawn_status(str(s), str(c)) for s, c in zip(frame["status"], courses, strict=True)]


def _by_depiction(frame: gpd.GeoDataFrame, depiction: str) -> gpd.GeoDataFrame:
    if "depiction" not in frame.columns:
        return frame
    return frame[(frame["depiction"] == depiction) | frame["depiction"].isna()]


def draw_map(ax: Axes, view: MapView, bounds: Sequence[float], highlight: str | None = None) -> list[Any]:
    """Draw every layer in view on ``ax`` and return the legend handles of what was drawn."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ds, tr = view.dataset, view.tr
    handles: list[Any] = []
    labels: list[Label] = []
    box = ax.get_position()
    fig_w, fig_h = _figure(ax).get_size_inches()
    minx, miny, maxx, maxy = fit_bounds(bounds, box.width * fig_w / (box.height * fig_h))
    default = ds.default_depiction if ds.depictions else ""

    stances: set[str] = set()
    areas = _by_depiction(view.layers["areas"], default)
    kind = areas["kind"] if "kind" in areas.columns else None
    countries = areas[kind == "country_region"] if kind is not None else areas.iloc[0:0]
    # The country polygons are cut to a window around the line: a frame wider than that window
    # would show its straight edges, which a reader can take for a border. The frame stops at the
    # window instead (the axes shrink to keep the scale true), so the fills reach the frame.
    context = context_layer(ds)
    window = _bounds([countries] + ([context] if context is not None else []))
    if window is not None:
        inner = (max(minx, window[0]), max(miny, window[1]), min(maxx, window[2]), min(maxy, window[3]))
        if inner[0] <= bounds[0] and inner[1] <= bounds[1] and inner[2] >= bounds[2] and inner[3] >= bounds[3]:
            minx, miny, maxx, maxy = inner
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1.0 / math.cos(math.radians((miny + maxy) / 2)), adjustable="box")
    ax.set_facecolor(MAP_BACKGROUND)
    # A country's context and its region window go into one path, so that where they abut there is
    # no seam (two translucent fills side by side would leave a pale or dark line).
    fills: dict[str, list[Any]] = {}
    own: set[str] = set()
    for code, part in countries.groupby("country") if "country" in countries.columns else []:
        fills.setdefault(str(code), []).extend(part.geometry.values)
        own.add(str(code))
    if context is not None:
        for code, part in context.groupby("country"):
            fills.setdefault(str(code), []).extend(part.geometry.values)
    for code, geoms in fills.items():
        drawn = _draw_polygons(ax, geoms, facecolor=country_color(ds, code), alpha=COUNTRY_FILL_OPACITY,
                               edgecolor="none", zorder=1)
        if drawn and code in own:
            handles.append(Patch(facecolor=country_color(ds, code), alpha=0.3,
                                 label=tr.country(code, ds.country_name(code))))
    if _draw_water(ax, ds):
        handles.append(Patch(facecolor=WATER, edgecolor=WATER_LINE, linewidth=0.6,
                             label=tr("Rivers and lakes (GSHHG, background)")))
    if kind is not None:
        enclaves = areas[kind.isin(["enclave", "exclave"])]
        for row in enclaves.itertuples():
            owner = getattr(row, "administered_by", None)
            color = country_color(ds, str(owner)) if isinstance(owner, str) else "#7f7f7f"
            _draw_polygons(ax, [row.geometry], facecolor=color, alpha=0.42, edgecolor="none", zorder=2)
            stance = getattr(row, "stance", None)
            if isinstance(stance, str):  # the viewing country's recorded stance: a ring in its colour
                _draw_polygons(ax, [row.geometry], facecolor="none", edgecolor=STANCE_FILL[stance],
                               linewidth=2.2, zorder=2)
                stances.add(stance)
        for row in areas[kind.isin(["claim_area", "swap_area"])].itertuples():
            _draw_polygons(ax, [row.geometry], facecolor="none", edgecolor="#555555", hatch="\\\\\\",
                           linewidth=0.4, zorder=2)
        if len(enclaves):
            handles.append(Patch(facecolor="#aaaaaa", label=tr("Enclave (administering country's colour)")))

    if _draw_polygons(ax, view.layers["divergence"].geometry, facecolor="none", edgecolor="#6b6b6b",
                      hatch="////", linewidth=0.0, zorder=3):
        handles.append(Patch(facecolor="white", edgecolor="#6b6b6b", hatch="////", label=tr("Depictions disagree")))

    boundary = view.layers["boundary"]
    colors = depiction_colors(ds)
    statuses: set[str] = set()
    for depiction in [d for d in ds.depictions if d != default] + [default]:
        part = boundary[boundary["depiction"] == depiction] if "depiction" in boundary.columns else boundary
        width = 1.6 if depiction == default else 0.9
        drawn = False
        for status, group in part.assign(drawn=_drawn(part)).groupby("drawn"):
            drawn |= _draw_lines(ax, group.geometry, colors=colors.get(depiction, "#000000"), linewidths=width,
                                 linestyles=_dashes(str(status)), zorder=5 if depiction == default else 4)
            statuses.add(str(status))
        if drawn:
            title = ds.depiction(depiction).get("title", depiction)
            # a colour box, not a line: the dash of a line says its status, not its depiction
            handles.append(Patch(facecolor=colors.get(depiction, "#000000"), edgecolor="none",
                                 label=tr("Line: {depiction}",
                                          depiction=textwrap.shorten(str(title), 44, placeholder="…"))))
    for status in sorted(statuses, key=lambda s: (s in DASHED_STATUSES, s)):
        handles.append(Line2D([], [], color="#333333", lw=1.3, linestyle=_dashes(status), label=f"  {tr(status)}"))
    if any(s.endswith(NOT_PUBLISHED) for s in statuses):
        for line in course_legend(ds, short=True, tr=tr):
            handles.append(Line2D([], [], lw=0, label=textwrap.fill(line, 40, subsequent_indent="    ")))

    sections = view.layers["sections"]
    section_statuses: set[str] = set()
    for row, shown in zip(sections.itertuples(), _drawn(sections), strict=True):
        geom, status = row.geometry, str(row.status)
        if geom is None or geom.is_empty:
            continue
        stance = getattr(row, "stance", None)
        if isinstance(stance, str):
            color = STANCE_FILL[stance]
            stances.add(stance)
        else:
            color = STATUS_FILL.get(shown, STATUS_FILL["undetermined"])
            section_statuses.add(shown)
        focus = highlight is not None and row.id == highlight
        band = 9 if focus else 6
        if focus:  # a dark halo under the band singles the section out without hiding its dash
            _draw_lines(ax, [geom], colors="#111111", linewidths=band + 3, alpha=0.55, capstyle="round", zorder=6)
        _draw_lines(ax, [geom], colors=color, linewidths=band, alpha=0.35 if not focus else 0.6, capstyle="round",
                    zorder=6)
        _draw_lines(ax, [geom], colors=color, linewidths=1.2, linestyles=_dashes(shown), zorder=6)
        _draw_polygons(ax, [geom], facecolor=color, alpha=0.28, edgecolor=color, linewidth=1.0,
                       hatch="///" if status in DASHED_STATUSES else None, zorder=6)
        pts = _points([geom])
        if len(pts):
            ax.scatter(pts[:, 0], pts[:, 1], s=70 if focus else 36, marker="o", facecolor=color,
                       edgecolor="black", linewidth=0.6, zorder=8)
        if focus and geom.geom_type.endswith("Polygon"):
            _draw_lines(ax, [geom.boundary], colors="black", linewidths=1.0, linestyles=_dashes(shown), zorder=7)
        anchor = geom.representative_point()
        text = view.name(row._asdict())
        said = stance_on(row._asdict(), view.perspective, view.day) if isinstance(stance, str) else None
        if said:  # the label says whose account colours it
            text += f"\n{stance_words(said, tr=view.tr)}"
        # A stand-in's label yields to drawn features' (an enclave's name before a village standing in).
        labels.append(Label(anchor.x, anchor.y, text, 0 if focus else 2 if is_placeholder(row._asdict()) else 1,
                            size=7.5 if focus else 6.5, weight="bold"))
    for status in sorted(section_statuses, key=lambda s: (s not in DASHED_STATUSES, s)):
        color = STATUS_FILL.get(status, STATUS_FILL["undetermined"])
        handles.append(Patch(facecolor=color, alpha=0.45, edgecolor=color,
                             hatch="///" if status in DASHED_STATUSES else None,
                             label=tr("Section: {status}", status=tr(status))))
    for stance in [s for s in STANCE_FILL if s in stances]:
        handles.append(Patch(facecolor=STANCE_FILL[stance], alpha=0.45, edgecolor=STANCE_FILL[stance],
                             label=tr("{party} says: {what}", what=tr(STANCE_LEGEND[stance]),
                                      party=tr.country(view.perspective, ds.country_name(view.perspective)))))

    places = view.layers["places"]
    inside = places[places.geometry.notna()].cx[minx:maxx, miny:maxy] if len(places) else places
    if len(inside):
        pts = _points(inside.geometry)
        ax.scatter(pts[:, 0], pts[:, 1], s=5, color="#222222", zorder=7)
        handles.append(Line2D([], [], marker="o", ms=2.5, color="#222222", lw=0, label=tr("Place")))
        order = inside.sort_values("population", ascending=False) if "population" in inside.columns else inside
        for row in order.itertuples():
            labels.append(Label(row.geometry.x, row.geometry.y, view.name(row._asdict()), 2, size=5.5))

    incidents = view.layers["incidents"]
    pts = _points(incidents.geometry)
    if len(pts):
        ax.scatter(pts[:, 0], pts[:, 1], s=28, marker="X", color=INCIDENT_COLOR, edgecolor="white",
                   linewidth=0.4, zorder=8)
        handles.append(Line2D([], [], marker="X", ms=5, color=INCIDENT_COLOR, lw=0, label=tr("Incident")))

    _place_labels(ax, labels)
    _degree_ticks(ax, view.tr)
    return handles


def _place_labels(ax: Axes, labels: list[Label]) -> None:
    """Draw labels by priority, dropping any that would overlap one already drawn."""
    renderer = _figure(ax).canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvases have it; the base stub lacks it
    ax.apply_aspect()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    kept: list[Any] = []
    for label in sorted(labels, key=lambda lab: lab.priority):
        if len(kept) >= MAX_LABELS or not (x0 <= label.x <= x1 and y0 <= label.y <= y1):
            continue
        text = ax.annotate(label.text, (label.x, label.y),
                           xytext=(3, 3), textcoords="offset points", fontsize=label.size,
                           fontweight=label.weight, zorder=11, clip_on=True,
                           # a light box, not a stroke effect, so that SVG keeps labels as text
                           bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "alpha": 0.72,
                                 "edgecolor": "none"})
        box = text.get_window_extent(renderer).expanded(1.05, 1.15)
        if any(box.overlaps(other) for other in kept) or not ax.get_window_extent(renderer).contains(box.x1, box.y1):
            text.remove()
            continue
        kept.append(box)


def _degree_ticks(ax: Axes, tr: Messages) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def fmt(axis: str) -> Any:
        return FuncFormatter(lambda v, _: degree_label(v, axis, tr=tr))

    ax.xaxis.set_major_locator(MaxNLocator(6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(fmt("lon"))
    ax.yaxis.set_major_formatter(fmt("lat"))
    ax.tick_params(labelsize=6, length=2.5, color="#555555", labelcolor="#444444")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)


def draw_inset(ax: Axes, dataset: Dataset, box: Sequence[float], title: str = "Location") -> None:
    """A locator map: the dataset's countries (areas layer) and the main map's extent.

    ``box`` is that extent as (minx, miny, maxx, maxy).
    """
    from matplotlib.patches import Rectangle

    areas = _by_depiction(dataset.layer("areas"), dataset.default_depiction if dataset.depictions else "")
    countries = areas[areas["kind"] == "country_region"] if "kind" in areas.columns else areas.iloc[0:0]
    context = context_layer(dataset)
    frames = [countries] if len(countries) else [dataset.layer("boundary")]
    if context is not None:  # a real locator: the region around, from the dataset's context
        frames = [context]
    bounds = _bounds(frames)
    if bounds is not None:
        bounds = (min(bounds[0], box[0]), min(bounds[1], box[1]), max(bounds[2], box[2]), max(bounds[3], box[3]))
        pos = ax.get_position()
        fig_w, fig_h = _figure(ax).get_size_inches()
        bounds = fit_bounds(pad_bounds(bounds, 0.04), pos.width * fig_w / (pos.height * fig_h))
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
        ax.set_aspect(1.0 / math.cos(math.radians((bounds[1] + bounds[3]) / 2)), adjustable="box")
    shapes = [countries] + ([context] if context is not None else [])
    parts_by_code: dict[str, list[Any]] = {}
    for frame in shapes:
        if "country" not in frame.columns:
            continue
        for code, part in frame.groupby("country"):
            _draw_polygons(ax, part.geometry, facecolor=country_color(dataset, str(code)), alpha=COUNTRY_FILL_OPACITY,
                           edgecolor="white", linewidth=0.4)
            parts_by_code.setdefault(str(code), []).extend(part.geometry.values)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for code, geoms in parts_by_code.items():
        anchor = shapely.clip_by_rect(shapely.union_all(geoms), x0, y0, x1, y1).representative_point()
        if not anchor.is_empty:
            ax.text(anchor.x, anchor.y, code, fontsize=6, ha="center", va="center", color="#222222")
    boundary = _by_depiction(dataset.layer("boundary"), dataset.default_depiction if dataset.depictions else "")
    _draw_lines(ax, boundary.geometry, colors="#000000", linewidths=0.5)
    ax.add_patch(Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], facecolor="none",
                           edgecolor="#d62728", linewidth=1.2, zorder=5))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(MAP_BACKGROUND)
    ax.set_title(title, fontsize=7, loc="left", pad=2)
    for spine in ax.spines.values():
        spine.set_linewidth(0.5)


# --- the page ------------------------------------------------------------------------------

def credits(view: MapView) -> tuple[list[str], int]:
    """Data credits (attribution and licence) of what the map draws, and how many other sources."""
    ids: list[str] = [str(d.get("source_id")) for d in view.dataset.meta.get("depictions", []) if d.get("source_id")]
    for frame in view.layers.values():
        for props in frame.drop(columns=frame.geometry.name).to_dict("records"):
            ids += feature_source_ids(props)
    water = water_layer(view.dataset)
    if water is not None:
        for props in water.drop(columns=water.geometry.name).to_dict("records"):
            ids += feature_source_ids(props)
    ids = list(dict.fromkeys(ids))
    lines = data_credits(view.dataset, ids)
    datasets = sum(1 for i in ids if view.dataset.sources.get(i, {}).get("kind") == "dataset")
    return lines, len(ids) - datasets


def text_em(text: str, bold: bool = False) -> float:
    """The average width of a character of ``text``, in em, for wrapping it before matplotlib sets it.

    DejaVu Sans sets Latin text at about 0.50 em a character (bold 0.58) and Cyrillic at about
    0.58 (bold 0.65); the estimate leans wide, so that a wrapped line stays inside its margin.

    Examples
    --------
    >>> text_em("Status history"), text_em("История статуса")
    (0.53, 0.62)
    """
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) if letters else 0.0
    return round((0.6 if bold else 0.53) + 0.09 * cyrillic, 3)


def _wrap(text: str, width_in: float, fontsize: float) -> str:
    chars = max(20, int(width_in * 72 / (fontsize * 0.62)))
    return "\n".join(textwrap.fill(p, chars) for p in text.split("\n"))


def page_size(page: str, landscape: bool) -> tuple[float, float]:
    """Page size in inches for a page name and orientation."""
    try:
        w, h = PAGE_SIZES[page]
    except KeyError:
        raise UsageError(f"unknown page size {page!r}; choose one of {', '.join(PAGE_SIZES)}") from None
    return (h, w) if landscape else (w, h)


class Page:
    """A figure of a given size in inches, with rectangles placed in inches from the bottom left."""

    def __init__(self, width: float, height: float) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.width, self.height = width, height
        # A plain Figure, not one of pyplot's: nothing to close, no "too many figures" warning.
        self.fig = Figure(figsize=(width, height))
        FigureCanvasAgg(self.fig)

    def axes(self, left: float, bottom: float, width: float, height: float) -> Axes:
        """Add axes at a rectangle given in inches."""
        return self.fig.add_axes((left / self.width, bottom / self.height, width / self.width, height / self.height))

    def text(self, left: float, top: float, text: str, **style: Any) -> None:
        """Write text whose first baseline is ``top`` inches below the page's top."""
        self.fig.text(left / self.width, 1 - top / self.height, text, va="baseline", **style)

    def heading(self, title: str, subtitle: str, margin: float = MARGIN) -> None:
        """The page title and a grey subtitle line."""
        self.text(margin, 0.42, textwrap.shorten(title, int(self.width * 7.5), placeholder="…"),
                  fontsize=14, fontweight="bold")
        chars = int((self.width - 2 * margin) * 72 / (8 * text_em(subtitle)))
        for i, line in enumerate(textwrap.wrap(subtitle, max(40, chars))[:2]):  # a long subtitle takes two lines
            self.text(margin, 0.64 + i * 0.15, line, fontsize=8, color="#444444")


def map_panel(page: Page, rect: Sequence[float], view: MapView, bounds: Sequence[float],
              highlight: str | None = None) -> tuple[Axes, list[Any]]:
    """Draw the map with scale bar and north arrow in a rectangle (inches); return axes and legend handles."""
    ax = page.axes(*rect)
    handles = draw_map(ax, view, bounds, highlight=highlight)
    ax.apply_aspect()
    draw_scale_bar(ax, true_at=view.tr("true at {latitude}"), unit=view.tr("km"), metres=view.tr("m"), tr=view.tr)
    draw_north_arrow(ax, tr=view.tr)
    return ax, handles


def shown_box(ax: Axes) -> tuple[float, float, float, float]:
    """The (minx, miny, maxx, maxy) a map axes finally shows."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return x0, y0, x1, y1


def draw_legend(ax: Axes, handles: list[Any], ncol: int = 1, fontsize: float = 6.5, title: str = "Legend") -> None:
    """A legend filling an otherwise empty axes."""
    ax.axis("off")
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=fontsize, frameon=False, title=title,
                  title_fontsize=fontsize + 1, alignment="left", handlelength=3.2, ncol=ncol)


def footer_text(view: MapView, shown: Sequence[float], width_in: float, fontsize: float = 6.3) -> str:
    """Depictions, data credits and licences, disclaimer and projection note, wrapped to a width."""
    ds, tr = view.dataset, view.tr
    lines, others = credits(view)
    depicted = ", ".join(f"{d['id']}: {d.get('title', d['id'])}" for d in ds.meta.get("depictions", []))
    source_text = tr("Data") + ": " + ("; ".join(lines) if lines else tr("see the dataset's sources registry"))
    if others:
        source_text += "; " + tr("plus {n} cited publications (sources.json)", n=others)
    lat = (shown[1] + shown[3]) / 2
    said = disclaimer(ds, tr)
    parts = [
        tr("Depictions of the line — {list}.", list=depicted) if depicted else "",
        source_text + ".",
        f"{tr('Disclaimer')}: {said}",
        tr("Equirectangular projection, true scale along {latitude}; WGS84. Made with bordermap {version}.",
           latitude=latitude_label(lat, tr), version=__version__),
    ]
    return "\n".join(_wrap(p, width_in, fontsize) for p in parts if p)


def subtitle(view: MapView) -> str:
    """``As of DATE · Perspective: …``."""
    tr = view.tr
    day = f"{tr('As of')} {tr.date(view.day)}" if view.day else tr("Current status")
    return f"{day} · {tr('Perspective')}: {view.describe()}"


#: ``--size`` in pixels is drawn at this many pixels per inch (1200x675 → 12 × 6.75 in).
SCREEN_DPI = 100
#: ``--theme`` choices: colour, or greyscale for print (dashes and hatches still tell lines apart).
THEMES: tuple[str, ...] = ("color", "print")
#: Grey of each country fill (in :data:`bordermap.palette.COUNTRY_FILLS` order) in the print theme.
PRINT_GREYS: tuple[float, ...] = (0.45, 0.0, 0.9, 0.65, 0.25, 0.8, 0.1)


def parse_size(text: str) -> tuple[float, float] | str:
    """``--size``: a page name (``A4``, ``letter``; orientation from the map) or ``WIDTHxHEIGHT`` pixels.

    Pixel sizes come back in inches at :data:`SCREEN_DPI`.

    Examples
    --------
    >>> parse_size("1200x675"), parse_size("A4")
    ((12.0, 6.75), 'A4')
    """
    if text in PAGE_SIZES:
        return text
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if not match or not (300 <= int(match[1]) <= 10000 and 300 <= int(match[2]) <= 10000):
        raise UsageError(f"--size {text!r}: expected A4, letter or WIDTHxHEIGHT in pixels (300–10000), e.g. 1200x675")
    return int(match[1]) / SCREEN_DPI, int(match[2]) / SCREEN_DPI


def greyscale(fig: Figure) -> None:
    """Turn every colour of a figure into its grey of equal luminance (the print theme)."""
    from matplotlib.colors import to_rgba_array

    # Country fills of equal luminance would merge: each palette colour has its own grey instead.
    levels = dict(zip((tuple(to_rgba_array(c)[0, :3]) for c in COUNTRY_FILLS), PRINT_GREYS, strict=False))

    def grey(colors: Any) -> Any:
        rgba = to_rgba_array(colors)
        if not len(rgba):
            return rgba
        y = 0.2126 * rgba[:, 0] + 0.7152 * rgba[:, 1] + 0.0722 * rgba[:, 2]
        for i, row in enumerate(rgba):
            y[i] = levels.get(tuple(row[:3]), y[i])
        rgba[:, 0] = rgba[:, 1] = rgba[:, 2] = y
        return rgba

    for artist in fig.findobj():
        for getter, setter in (("get_facecolor", "set_facecolor"), ("get_edgecolor", "set_edgecolor"),
                               ("get_color", "set_color")):
            get, put = getattr(artist, getter, None), getattr(artist, setter, None)
            if get is None or put is None:
                continue
            try:
                value = get()
                if isinstance(value, str) and value in ("none", "face", "auto"):
                    continue
                converted = grey(value)
                put(converted if len(converted) != 1 else converted[0])
            except (ValueError, TypeError):
                continue


def map_figure(view: MapView, section: str | None = None, page: str | tuple[float, float] = "A4",
               title: str | None = None, subtitle_text: str | None = None,
               extent: Sequence[float] | None = None, theme: str = "color") -> Figure:
    """A whole map page: title, map, legend, inset, scale bar, north arrow and footer.

    Parameters
    ----------
    view
        The layers to draw (:meth:`MapView.of`).
    section
        Id of a section to centre on and highlight; None maps the whole line.
    page
        ``A4`` or ``letter`` (the orientation follows the map's shape), or (width, height) in
        inches, e.g. from :func:`parse_size`.
    title, subtitle_text
        Page title (default: the section's name or the dataset's title) and the line under it
        (default: date and perspective; a given subtitle is followed by them).
    extent
        (west, south, east, north) in degrees to show instead of the line or the section.
    theme
        ``color`` or ``print`` (greyscale).
    """
    with text_as_written():
        return _map_figure(view, section, page, title, subtitle_text, extent, theme)


def _map_figure(view: MapView, section: str | None, page: str | tuple[float, float], title: str | None,
                subtitle_text: str | None, extent: Sequence[float] | None, theme: str) -> Figure:
    props = find_section(view.dataset, section) if section else None
    bounds = tuple(extent) if extent is not None else map_bounds(view, props)
    if theme not in THEMES:
        raise UsageError(f"theme {theme!r}: choose one of {', '.join(THEMES)}")
    if isinstance(page, str):
        sheet = Page(*page_size(page, _ground_aspect(bounds) > 1.15))
    else:
        sheet = Page(*page)
    width, height = sheet.width, sheet.height
    landscape = width > height
    ds = view.dataset
    ds_title = dataset_title(ds, view.tr)
    sub = f"{subtitle_text} · {subtitle(view)}" if subtitle_text else subtitle(view)
    sheet.heading(title or (f"{view.name(props)} — {ds_title}" if props else ds_title), sub)

    title_h, ticks_h = 0.75, 0.3
    # The footer takes the lines its text needs at this width (a small page wraps more).
    draft = footer_text(view, bounds, width - 2 * MARGIN)
    footer_h = max(1.05, (draft.count("\n") + 1) * 6.3 * 1.35 / 72 + 0.3)
    side_w = 2.55 if landscape else 0.0
    band_h = 0.0 if landscape else 2.75
    map_w = width - 2 * MARGIN - (side_w + 0.25 if side_w else 0)
    map_h = height - title_h - footer_h - band_h - ticks_h
    ax, handles = map_panel(sheet, (MARGIN + 0.1, footer_h + ticks_h + band_h, map_w - 0.1, map_h), view, bounds,
                            highlight=section)
    shown = shown_box(ax)
    if landscape:
        side_left = MARGIN + map_w + 0.25
        inset_h = min(1.9, 0.27 * height)  # a smaller page keeps room for the legend
        legend_h = height - title_h - footer_h - inset_h - 0.3
        # On a small page the inset gives up height (down to 0.9 in) before the legend's text would
        # have to shrink below 4.5 pt.
        needed = (sum(str(h.get_label()).count("\n") + 1 for h in handles) + 2.5) * 1.75 * 4.5 / 72
        give = min(max(needed - legend_h, 0.0), max(inset_h - 0.9, 0.0))
        inset_h, legend_h = inset_h - give, legend_h + give
        inset = sheet.axes(side_left, height - title_h - inset_h - 0.1, side_w, inset_h)
        legend_ax = sheet.axes(side_left, footer_h, side_w, legend_h)
        ncol = 1
    else:
        inset = sheet.axes(MARGIN, footer_h + 0.1, 2.4, 2.3)
        legend_h = 2.3
        legend_ax = sheet.axes(MARGIN + 2.65, footer_h + 0.1, width - 2 * MARGIN - 2.65, legend_h)
        ncol = 1 if len(handles) <= 9 else 2
    # The legend's text shrinks (not below 4.5 pt) until its rows fit the room left for it; a
    # wrapped entry (the course-not-published lines) takes one row per line.
    lines = sum(str(h.get_label()).count("\n") + 1 for h in handles)
    rows = math.ceil((lines + 1.5) / ncol)
    legend_pt = max(4.5, min(6.5, legend_h * 72 / (rows * 1.75)))
    draw_inset(inset, ds, shown, title=view.tr("Location"))
    draw_legend(legend_ax, handles, ncol=ncol, title=view.tr("Legend"), fontsize=legend_pt)
    sheet.fig.text(MARGIN / width, (footer_h - 0.12) / height, footer_text(view, shown, width - 2 * MARGIN),
                   fontsize=6.3, va="top", color="#333333", linespacing=1.35)
    if theme == "print":
        greyscale(sheet.fig)
    return sheet.fig


def text_as_written() -> Any:
    """A context in which matplotlib draws text as written (no mathtext: ``$`` is a dollar)."""
    return pyplot().rc_context({"text.parse_math": False})


def plain_text(fig: Figure) -> Figure:
    r"""Draw every text of a figure as written: no mathtext, nothing XML cannot hold.

    Names come from data: ``$5 to $6`` or ``$\\foo{x}$`` would otherwise be typeset (or fail) as
    math, and control characters or lone surrogates would make the SVG ill-formed. Called on
    every figure before it is saved.
    """
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        shown = text.get_text()
        if shown and xml_safe(shown) != shown:
            text.set_text(xml_safe(shown))
    return fig


def save_figure(fig: Figure, path: Path, dpi: int = 200, inputs: tuple[Path, ...] = ()) -> Path:
    """Save a figure atomically; the format comes from the suffix (png, svg or pdf)."""
    path = Path(path)
    plain_text(fig)
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"{path}: unknown map format {path.suffix or '(none)'}; use {', '.join(FORMATS)}")
    metadata = (
        {"Creator": f"bordermap {__version__}"}
        if path.suffix.lower() != ".png"
        else {"Software": f"bordermap {__version__}"}
    )
    # SVG keeps text as text (searchable, editable in a drawing program); PDF embeds TrueType fonts.
    with atomic_path(path, inputs) as tmp, pyplot().rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        fig.savefig(tmp, dpi=dpi, format=path.suffix.lower()[1:], metadata=metadata)
    return path


def render(dataset: Dataset, output: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
           section: str | None = None, page: str | tuple[float, float] = "A4", dpi: int = 200,
           **options: Any) -> Path:
    """Draw a map page of a dataset (or one section) and save it as PNG, SVG or PDF.

    ``options`` go to :func:`map_figure` (``title``, ``subtitle_text``, ``extent``, ``theme``), but
    ``lang`` (:data:`bordermap.i18n.LANGUAGES`) sets the page's language. A
    page given in inches from a pixel size is saved at :data:`SCREEN_DPI`, so that a PNG has
    exactly those pixels.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
    >>> render(bordermap.load("tests/data/mini"), out).read_text()[:5]
    '<?xml'
    """
    plt = pyplot()
    lang = options.pop("lang", "en")
    fig = map_figure(MapView.of(dataset, perspective, as_of, lang=lang), section=section, page=page, **options)
    if not isinstance(page, str):
        dpi = SCREEN_DPI
    try:
        inputs = (dataset.path,) if dataset.path else ()
        return save_figure(fig, output, dpi=dpi, inputs=inputs)
    finally:
        plt.close(fig)
