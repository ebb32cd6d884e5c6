"""Length against ruler: the divider (Richardson) method on the ellipsoid and the fractal fit.

A mountain border has no single length: walked with a ruler (a pair of dividers) of length r, a
line measures L(r) = N·r plus the remainder, and L grows as r shrinks. Richardson (1961) found
L(r) = M·r^(1−D) over a wide range of r, D being the line's fractal dimension. Official lengths
are read off maps with rulers of some hundred metres; a detailed digital line is longer.

How the steps are taken: the vertices go to Earth-centred Cartesian coordinates (ECEF, WGS84) and
each step ends at the first point further along the line at a straight-line (chord) distance r;
for r ≤ 10 km a chord and the geodesic between its ends differ by less than (r/R)²/24 ≈ 1e-7 of
r. The length is then the sum of the exact geodesic distances between successive divider points
plus the geodesic remainder to the end of the line. A divider length never exceeds the length of
the polyline itself (a chord is never longer than the path it spans): no ruler makes a depiction
longer than its vertex-to-vertex length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely import LineString

from bordermap.chainage import main_line
from bordermap.geodesic import GEOD, lengths_m
from bordermap.i18n import Messages, messages
from bordermap.io.atomic import atomic_path
from bordermap.io.textsafe import mathtext_safe
from bordermap.model import Dataset

#: Default rulers: 10 m to 10 km, five per decade.
RULERS_M: tuple[float, ...] = tuple(float(r) for r in np.round(np.geomspace(10.0, 10_000.0, 16), 1))

#: Rulers of a divider or curvimeter on 1:100,000–1:200,000 topographic maps, the scales official
#: border lengths are usually measured at: 0.5–1 mm on the map is 50–200 m on the ground.
OFFICIAL_RULERS_M: tuple[float, float] = (50.0, 200.0)

_TO_ECEF = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)


def to_ecef(line: LineString) -> NDArray[np.float64]:
    """Earth-centred Cartesian coordinates (metres) of a lon/lat line's vertices, on the ellipsoid."""
    xy = shapely.get_coordinates(line)
    x, y, z = _TO_ECEF.transform(xy[:, 0], xy[:, 1], np.zeros(len(xy)))
    return np.column_stack([x, y, z])


def divider_points(xyz: NDArray[np.float64], ruler: float) -> NDArray[np.float64]:
    """Walk a polyline with dividers of a fixed opening; return the divider points.

    Works in any Cartesian coordinates (2-D or 3-D): each point is the first point further along
    the line whose straight-line distance from the previous one equals ``ruler``. The first point
    is the line's start; the walk stops when the rest of the line is closer than ``ruler``.

    Parameters
    ----------
    xyz
        Vertices, shape (n, 2) or (n, 3).
    ruler
        The divider opening, in the coordinates' unit.

    Returns
    -------
    ndarray
        The divider points, shape (steps + 1, dims).

    Examples
    --------
    An L-shaped line 3 + 4 long, walked with a ruler of 2.5: from (0, 0) to (2.5, 0), then to the
    point of the vertical leg 2.5 away, (3, 2.449…), then (3, 4.949…) is beyond the end.

    >>> import numpy as np
    >>> pts = divider_points(np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 4.0]]), 2.5)
    >>> np.round(pts, 3).tolist()
    [[0.0, 0.0], [2.5, 0.0], [3.0, 2.449]]
    """
    array = np.asarray(xyz, dtype=float)
    verts = array.tolist()
    n, r2 = len(verts), ruler * ruler
    reach = ruler * (
        1.0 - 1e-12
    )  # a vertex at the ruler's distance counts as reached despite rounding
    pivot = verts[0]
    out: list[NDArray[np.float64] | list[float]] = [pivot]
    k = 0  # the pivot lies on the segment from vertex k to vertex k + 1
    while True:
        j = k + 1
        while j < n and math.dist(verts[j], pivot) < reach:
            j += 1
        if j == n:
            return np.vstack(out)
        target = verts[j]
        if j == k + 1:
            # Still on the pivot's own straight segment: all whole steps along it at once.
            span = math.dist(pivot, target)
            steps = max(1, int(span / ruler))
            if steps < 8:  # a few steps: plain floats are faster than arrays (same arithmetic)
                unit_list = [(t - p) / span for t, p in zip(target, pivot, strict=True)]
                out += [
                    [p + i * ruler * u for p, u in zip(pivot, unit_list, strict=True)]
                    for i in range(1, steps + 1)
                ]
                pivot = list(out[-1])
                continue
            start_point = np.asarray(pivot)
            unit = (np.asarray(target) - start_point) / span
            block = start_point + np.outer(np.arange(1, steps + 1) * ruler, unit)
            out.append(block)
            pivot = block[-1].tolist()
            continue
        start = verts[j - 1]
        d = [t - s for t, s in zip(target, start, strict=True)]
        w = [s - p for s, p in zip(start, pivot, strict=True)]
        a = sum(c * c for c in d)
        b = 2.0 * sum(c * e for c, e in zip(d, w, strict=True))
        c = sum(e * e for e in w) - r2  # < 0: the segment starts inside the circle
        t = min(1.0, (-b + math.sqrt(max(b * b - 4.0 * a * c, 0.0))) / (2.0 * a))
        pivot = [s + t * e for s, e in zip(start, d, strict=True)]
        out.append(pivot)
        k = j - 1


@dataclass(frozen=True)
class DividerLength:
    """The length of a line walked with one ruler."""

    ruler_m: float
    steps: int
    length_m: float
    remainder_m: float


_TO_LONLAT = Transformer.from_crs("EPSG:4978", "EPSG:4326", always_xy=True)


def divider_length(line: LineString, ruler_m: float) -> DividerLength:
    """Divider length of a lon/lat line on the WGS84 ellipsoid.

    Examples
    --------
    A straight line measures its own length with any ruler (1° of the equator: 111,319.49 m):

    >>> from shapely import LineString
    >>> d = divider_length(LineString([(0, 0), (1, 0)]), 1000.0)
    >>> d.steps, round(d.length_m, 1)
    (111, 111319.5)
    """
    points = divider_points(to_ecef(line), ruler_m)
    lon, lat, _ = _TO_LONLAT.transform(points[:, 0], points[:, 1], points[:, 2])
    end_lon, end_lat = shapely.get_coordinates(line)[-1]
    _, _, steps = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    _, _, rest = GEOD.inv(lon[-1], lat[-1], end_lon, end_lat)
    return DividerLength(float(ruler_m), len(points) - 1, float(np.sum(steps) + rest), float(rest))


@dataclass(frozen=True)
class Richardson:
    """The fitted Richardson relation L(r) = M·r^(1−D) (lengths and rulers in metres).

    Examples
    --------
    >>> fit = Richardson.fit([10.0, 100.0, 1000.0], [2000.0, 1000.0, 500.0])
    >>> round(fit.D, 4), round(fit.length(10.0), 1), round(fit.ruler_for(1000.0), 1)
    (1.301, 2000.0, 100.0)
    """

    M: float
    D: float
    r_squared: float

    @classmethod
    def fit(
        cls, rulers: list[float] | NDArray[np.float64], lengths: list[float] | NDArray[np.float64]
    ) -> Richardson:
        """Least-squares fit of log L against log r."""
        x, y = np.log(np.asarray(rulers, float)), np.log(np.asarray(lengths, float))
        slope, intercept = np.polyfit(x, y, 1)
        residual = y - (intercept + slope * x)
        total = float(np.sum((y - y.mean()) ** 2))
        r_squared = 1.0 - float(np.sum(residual**2)) / total if total > 0 else 1.0
        return cls(float(np.exp(intercept)), float(1.0 - slope), r_squared)

    def length(self, ruler_m: float) -> float:
        """Length predicted for a ruler."""
        return self.M * ruler_m ** (1.0 - self.D)

    def ruler_for(self, length_m: float) -> float | None:
        """Ruler at which the relation gives a length (None when no finite ruler does, e.g. D ≈ 1)."""
        if abs(1.0 - self.D) < 1e-6:
            return None
        try:
            return float((length_m / self.M) ** (1.0 / (1.0 - self.D)))
        except OverflowError:
            return None


@dataclass(frozen=True)
class TargetRuler:
    """Which ruler makes the line measure a quoted length, and why none may.

    ``ruler_m`` is a ruler at which the divider, walked on the data, measures the length (None
    when no ruler does); ``fit_ruler_m`` is where the fitted relation gives it; ``extrapolated``
    says that ``fit_ruler_m`` lies below the line's resolution (the relation is then
    extrapolated, not measured); ``at_official_rulers`` whether the length lies within the
    :class:`ScaleEffect` interval (the line's length at the rulers of official maps).
    """

    target_km: float
    ruler_m: float | None
    fit_ruler_m: float | None
    note: str
    extrapolated: bool = False
    at_official_rulers: bool = False


@dataclass(frozen=True)
class ScaleEffect:
    """The scale effect as an interval: a line's length at the rulers of official maps.

    ``low_km`` is the length at the coarsest official ruler (200 m), ``high_km`` at the finest
    (50 m). Each is measured by the divider where the ruler is at or above the line's resolution
    (the smallest ruler of the fit) and extrapolated by the fitted Richardson relation below it;
    ``extrapolated`` says whether any was. This is the one model of the scale effect:
    ``bordermap check`` compares figures with this interval (verdict ``map_scale``) and
    ``bordermap scale`` reports it for the same figures.
    """

    depiction: str
    low_km: float
    high_km: float
    rulers_m: tuple[float, float]
    resolution_m: float
    extrapolated: bool
    polyline_km: float

    def describe(self) -> str:
        """One sentence: the interval, the rulers, and whether it is measured or extrapolated."""
        how = (
            f"extrapolated by the fitted Richardson relation below the line's resolution "
            f"({self.resolution_m:,.0f} m): the line as stored measures at most {self.polyline_km:,.1f} km "
            "with any ruler"
            if self.extrapolated
            else "measured by the divider on the line"
        )
        return (
            f"the {self.depiction} line would measure {self.low_km:,.1f}–{self.high_km:,.1f} km with rulers of "
            f"{self.rulers_m[0]:,.0f}–{self.rulers_m[1]:,.0f} m, as on 1:100,000–1:200,000 maps ({how})"
        )


@dataclass
class ScaleAnalysis:
    """A depiction's length over a range of rulers, the fitted relation and target rulers."""

    depiction: str
    polyline_km: float
    median_vertex_spacing_m: float
    lengths: list[DividerLength]
    fit: Richardson
    fit_range_m: tuple[float, float]
    targets: list[TargetRuler] = field(default_factory=list)

    def records(self) -> list[dict[str, float | int | str]]:
        """One record per ruler: ruler_m, steps, length_km, fitted_km."""
        return [
            {
                "depiction": self.depiction,
                "ruler_m": d.ruler_m,
                "steps": d.steps,
                "length_km": d.length_m / 1000.0,
                "fitted_km": self.fit.length(d.ruler_m) / 1000.0,
            }
            for d in self.lengths
        ]

    def summary(self) -> dict[str, object]:
        """The fit, its range and the target rulers, for JSON output."""
        return {
            "depiction": self.depiction,
            "polyline_km": self.polyline_km,
            "median_vertex_spacing_m": self.median_vertex_spacing_m,
            "fit": {
                "M": self.fit.M,
                "D": self.fit.D,
                "r_squared": self.fit.r_squared,
                "rulers_m": list(self.fit_range_m),
            },
            "rulers": self.records(),
            "scale_effect": dict(scale_effect(self).__dict__),
            "targets": [t.__dict__ for t in self.targets],
        }


def _crossing(
    rulers: NDArray[np.float64], lengths: NDArray[np.float64], target: float
) -> float | None:
    """The finest ruler at which the measured curve crosses a length (log-log interpolation)."""
    for i in range(len(rulers) - 1):
        lo, hi = lengths[i], lengths[i + 1]
        if (lo - target) * (hi - target) <= 0 and lo != hi:
            t = (math.log(target) - math.log(lo)) / (math.log(hi) - math.log(lo))
            return float(
                math.exp(math.log(rulers[i]) + t * (math.log(rulers[i + 1]) - math.log(rulers[i])))
            )
    return None


def _length_at(analysis: ScaleAnalysis, ruler_m: float) -> tuple[float, bool]:
    """Length (km) at a ruler: measured at or above the fit's smallest ruler, else extrapolated."""
    floor = analysis.fit_range_m[0]
    if ruler_m >= floor:
        measured = next((d for d in analysis.lengths if d.ruler_m == ruler_m), None)
        if measured is not None:
            return measured.length_m / 1000.0, False
    return analysis.fit.length(ruler_m) / 1000.0, ruler_m < floor


def scale_effect(analysis: ScaleAnalysis) -> ScaleEffect:
    """The line's length at the rulers of official maps (:data:`OFFICIAL_RULERS_M`), as an interval.

    Examples
    --------
    >>> import bordermap
    >>> effect = scale_effect(analyse(bordermap.load("tests/data/mini")))
    >>> effect.low_km <= effect.high_km, effect.rulers_m
    (True, (50.0, 200.0))
    """
    fine, fine_x = _length_at(analysis, OFFICIAL_RULERS_M[0])
    coarse, coarse_x = _length_at(analysis, OFFICIAL_RULERS_M[1])
    low, high = sorted((coarse, fine))
    return ScaleEffect(
        analysis.depiction,
        low,
        high,
        OFFICIAL_RULERS_M,
        analysis.fit_range_m[0],
        fine_x or coarse_x,
        analysis.polyline_km,
    )


def target_ruler(analysis: ScaleAnalysis, target_km: float, tr: Messages | None = None) -> TargetRuler:
    """Find the ruler at which a depiction measures ``target_km``, or say why none does.

    The note ends with what the scale effect (:func:`scale_effect`) says of the length, in the
    words ``bordermap check`` uses for the same figure, in the language of ``tr`` (English by default).
    """
    tr = tr or messages("en")
    rulers = np.array([d.ruler_m for d in analysis.lengths])
    lengths = np.array([d.length_m for d in analysis.lengths]) / 1000.0
    fit_ruler = analysis.fit.ruler_for(target_km * 1000.0)
    ruler = _crossing(rulers, lengths, target_km)
    finest, coarsest = lengths[np.argmin(rulers)], lengths[np.argmax(rulers)]
    floor = analysis.fit_range_m[0]
    extrapolated = ruler is None and fit_ruler is not None and fit_ruler < floor
    target = tr.decimal(target_km, group=True)  # the figure as quoted (971, 1,006.84), no digits added
    if ruler is not None:
        note = tr("measured: the line is {length} km long with a ruler of about {ruler} m", length=target,
                  ruler=tr.number(ruler, 0))
    elif target_km > lengths.max():
        said = {"finest_ruler": tr.number(rulers.min(), 0), "finest": tr.number(finest, 2),
                "polyline": tr.number(analysis.polyline_km, 2)}
        note = (tr("no ruler on the data reaches it: the finest ruler ({finest_ruler} m) gives {finest} km and the "
                   "line's vertex-to-vertex length is {polyline} km; a divider never measures more than the "
                   "polyline; the fitted relation, extrapolated below the line's resolution ({floor} m), gives it "
                   "at a ruler of about {fit} m", floor=tr.number(floor, 0),
                   fit=tr.decimal(float(f"{fit_ruler:.3g}")), **said)
                if fit_ruler is not None else
                tr("no ruler on the data reaches it: the finest ruler ({finest_ruler} m) gives {finest} km and the "
                   "line's vertex-to-vertex length is {polyline} km; a divider never measures more than the "
                   "polyline", **said))
    else:
        said = {"coarsest": tr.number(coarsest, 2), "coarsest_ruler": tr.number(rulers.max(), 0)}
        note = (tr("shorter than the coarsest ruler's {coarsest} km ({coarsest_ruler} m); the fitted relation "
                   "extrapolates to about {fit} m", fit=tr.number(fit_ruler, 0), **said)
                if fit_ruler else
                tr("shorter than the coarsest ruler's {coarsest} km ({coarsest_ruler} m); the fitted relation "
                   "extrapolates", **said))
    effect = scale_effect(analysis)
    inside = effect.low_km <= target_km <= effect.high_km
    said = {"first": note, "r0": tr.number(effect.rulers_m[0], 0), "r1": tr.number(effect.rulers_m[1], 0),
            "low": tr.number(effect.low_km, 1), "high": tr.number(effect.high_km, 1), "length": target,
            "how": tr("extrapolated below the line's resolution") if effect.extrapolated else tr("measured")}
    if inside and effect.extrapolated:
        note = tr("{first}. Scale effect: at rulers of {r0}–{r1} m (1:100,000–1:200,000 maps) the line would "
                  "measure {low}–{high} km ({how}); {length} km lies within that interval, by extrapolation only",
                  **said)
    elif inside:
        note = tr("{first}. Scale effect: at rulers of {r0}–{r1} m (1:100,000–1:200,000 maps) the line would "
                  "measure {low}–{high} km ({how}); {length} km lies within that interval", **said)
    else:
        note = tr("{first}. Scale effect: at rulers of {r0}–{r1} m (1:100,000–1:200,000 maps) the line would "
                  "measure {low}–{high} km ({how}); {length} km lies outside that interval", **said)
    return TargetRuler(target_km, ruler, fit_ruler, note, extrapolated, inside)


def analyse(
    dataset: Dataset,
    depiction: str | None = None,
    rulers_m: tuple[float, ...] = RULERS_M,
    targets_km: tuple[float, ...] = (),
    fit_min_m: float | None = None,
) -> ScaleAnalysis:
    """Measure a depiction's main line with each ruler and fit the Richardson relation.

    Parameters
    ----------
    dataset
        The dataset.
    depiction
        Depiction id (default: the dataset's default depiction).
    rulers_m
        Rulers in metres; the rulers of official maps (:data:`OFFICIAL_RULERS_M`) are always
        added, so that :func:`scale_effect` can measure them where the line's resolution allows.
    targets_km
        Quoted lengths to find rulers for.
    fit_min_m
        Smallest ruler used in the fit. Default: the line's median vertex spacing or its
        ``precision_m``, whichever is larger — below that the line is straight between vertices
        and its length stops growing, which is a property of the data, not of the border.

    Examples
    --------
    >>> import bordermap
    >>> a = analyse(bordermap.load(), rulers_m=(100.0, 1000.0, 10000.0))
    >>> a.lengths[0].length_m >= a.lengths[-1].length_m
    True
    """
    name = depiction or dataset.default_depiction
    line = main_line(dataset, name)
    xy = shapely.get_coordinates(line)
    _, _, spacing = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    median_spacing = float(np.median(spacing))
    rulers = sorted({float(r) for r in (*rulers_m, *OFFICIAL_RULERS_M)})
    lengths = [divider_length(line, r) for r in rulers]
    floor = (
        fit_min_m
        if fit_min_m is not None
        else max(median_spacing, float(dataset.depiction(name).get("precision_m") or 0))
    )
    used = [d for d in lengths if d.ruler_m >= floor]
    if len(used) < 2:
        used = lengths[-2:] if len(lengths) >= 2 else lengths
    fit = Richardson.fit([d.ruler_m for d in used], [d.length_m for d in used])
    analysis = ScaleAnalysis(
        name,
        float(lengths_m([line])[0]) / 1000.0,
        median_spacing,
        lengths,
        fit,
        (used[0].ruler_m, used[-1].ruler_m),
    )
    analysis.targets = [target_ruler(analysis, t) for t in targets_km]
    return analysis


def plot(analysis: ScaleAnalysis, path: Path, title: str | None = None) -> Path:
    """Draw the Richardson plot (PNG or SVG by the file's suffix), written atomically.

    The plot shows measured lengths, the fitted relation over its range, the polyline length,
    the quoted lengths, and the band of rulers plausible for official maps.
    """
    fig = plot_figure(analysis, title)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=150)
    return Path(path)


def plot_figure(analysis: ScaleAnalysis, title: str | None = None) -> Any:
    """The Richardson plot as a matplotlib Figure (see :func:`plot`).

    Rulers are labelled in m and km and lengths in plain km. Quoted lengths within half again of
    the measured range are lines, labelled in the right margin; labels that would collide share
    one ("970.0–990.0 km (12 figures)"). Quoted lengths further off are listed under the plot
    instead of stretching the axis.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError(
            "bordermap scale --output needs matplotlib: pip install matplotlib"
        ) from exc
    rulers = np.array([d.ruler_m for d in analysis.lengths])
    lengths = np.array([d.length_m for d in analysis.lengths]) / 1000.0
    fig = Figure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.add_subplot()
    ax.axvspan(*OFFICIAL_RULERS_M, color="#dddddd", label="rulers of 1:100k–1:200k maps")
    ax.plot(rulers, lengths, "o-", color="#0072B2", label=f"measured ({mathtext_safe(analysis.depiction)})")
    span = np.geomspace(*analysis.fit_range_m, 50)
    ax.plot(
        span,
        [analysis.fit.length(r) / 1000.0 for r in span],
        "--",
        color="#D55E00",
        label=f"fit: D = {analysis.fit.D:.3f}",
    )
    ax.axhline(
        analysis.polyline_km, color="#000000", lw=0.8, ls=":", label="polyline (vertex to vertex)"
    )
    below = np.geomspace(
        min(OFFICIAL_RULERS_M[0], analysis.fit_range_m[0]), analysis.fit_range_m[0], 20
    )
    ax.plot(
        below,
        [analysis.fit.length(r) / 1000.0 for r in below],
        ":",
        color="#D55E00",
        label="fit extrapolated below the line's resolution",
    )
    # Quoted lengths far off the measured range would squash the curve: they are listed under the
    # plot instead of drawn. The rest are lines labelled in the right margin, nudged apart.
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    low, high = min(lengths.min(), analysis.polyline_km), max(lengths.max(), analysis.polyline_km)
    shown = [t for t in analysis.targets if low / 1.5 <= t.target_km <= high * 1.5]
    off = [t for t in analysis.targets if t not in shown]
    values = [*lengths, analysis.polyline_km, *(t.target_km for t in shown)]
    bottom, top = min(values) / 1.06, max(values) * 1.06
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(bottom, top)
    gap = 0.05 * math.log(top / bottom)  # minimum spacing of labels, in log units
    for target in shown:
        ax.axhline(target.target_km, color="#009E73", lw=0.6)
    # Figures closer than a label's height share one label: "970.0–1,008.1 km (12 figures)".
    groups: list[list[float]] = []
    for km in sorted(t.target_km for t in shown):
        if groups and math.log(km) - math.log(groups[-1][0]) < gap:
            groups[-1].append(km)
        else:
            groups.append([km])
    placed: list[float] = []
    for group in groups:
        middle = math.exp((math.log(group[0]) + math.log(group[-1])) / 2)
        y = math.log(middle)
        if placed and y < placed[-1] + gap:
            y = placed[-1] + gap
        placed.append(y)
        text = (
            f"{group[0]:,.1f} km"
            if len(group) == 1
            else f"{group[0]:,.1f}–{group[-1]:,.1f} km ({len(group)} figures)"
        )
        ax.annotate(
            text,
            xy=(1.0, middle),
            xycoords=ax.get_yaxis_transform(),
            xytext=(1.015, math.exp(y)),
            textcoords=ax.get_yaxis_transform(),
            fontsize=7,
            va="center",
            color="#00704f",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#009E73", "lw": 0.5},
        )
    if off:
        listed = ", ".join(f"{t.target_km:,.0f} km" for t in sorted(off, key=lambda t: t.target_km))
        fig.text(0.01, 0.005, f"Quoted lengths off the chart: {listed}", fontsize=7, color="#00704f")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} m" if v < 1000 else f"{v / 1000:g} km"))
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_minor_locator(LogLocator(subs=[float(s) for s in range(1, 10)]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(
        FuncFormatter(lambda v, _: f"{v:,.0f}" if top / bottom < 3 and round(v / 10 ** math.floor(math.log10(v)))
                      in (1, 2, 3, 4, 5, 6, 7, 8, 9) else "")
    )
    if top / bottom >= 3:
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(labelsize=8)
    ax.set_xlabel("ruler")
    ax.set_ylabel("length (km)")
    ax.set_title(mathtext_safe(title or f"Length against ruler: {analysis.depiction}"))
    ax.legend(fontsize=8, loc="lower left")
    return fig
