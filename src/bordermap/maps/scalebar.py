"""Map furniture whose geometry must be right: a geodesic scale bar and a north arrow.

Static maps are drawn in an equirectangular projection whose standard parallel is the map's
central latitude (x = longitude, y = latitude, axes aspect 1/cos(latitude)): north is up
everywhere and the scale is true along that parallel, so the scale bar is measured there with
exact geodesics on the WGS84 ellipsoid.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bordermap.geodesic import GEOD
from bordermap.i18n import N_, Messages, messages

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Bar lengths tried, per power of ten (km).
_NICE = (1.0, 2.0, 2.5, 5.0)


def metres_per_degree_lon(lat: float) -> float:
    """Length of one degree of longitude along the parallel ``lat`` on WGS84, in metres.

    Measured as the geodesic across 1/1000 of a degree, where geodesic and parallel agree to
    better than a micrometre.

    Examples
    --------
    >>> round(metres_per_degree_lon(0.0), 2)
    111319.49
    """
    step = 1e-3
    _, _, dist = GEOD.inv(0.0, lat, step, lat)
    return float(dist) / step


def nice_length_km(max_km: float) -> float:
    """The longest "round" length (1, 2, 2.5 or 5 × 10ⁿ km) not exceeding ``max_km``.

    Examples
    --------
    >>> nice_length_km(73.0), nice_length_km(9.9), nice_length_km(0.3)
    (50.0, 5.0, 0.25)
    """
    if max_km <= 0:
        raise ValueError("max_km must be positive")
    power = 10.0 ** math.floor(math.log10(max_km))
    return max(n * power for n in _NICE if n * power <= max_km)


def scale_bar_span(lat: float, width_deg: float, fraction: float = 0.22) -> tuple[float, float]:
    """Length (km) and longitude span (degrees) of a scale bar for a map ``width_deg`` wide.

    The bar is the longest round length that fits in ``fraction`` of the map width.

    Examples
    --------
    >>> km, deg = scale_bar_span(0.0, 10.0)
    >>> km, round(deg, 4)
    (200.0, 1.7966)
    """
    per_deg = metres_per_degree_lon(lat)
    km = nice_length_km(width_deg * fraction * per_deg / 1000.0)
    return km, km * 1000.0 / per_deg


#: Degrees with their hemisphere, as templates: (positive, negative) per axis.
HEMISPHERES: dict[str, tuple[str, str]] = {
    "lat": (N_("{value}°N"), N_("{value}°S")),
    "lon": (N_("{value}°E"), N_("{value}°W")),
}


def degree_label(value: float, axis: str = "lat", digits: int | None = None, tr: Messages | None = None) -> str:
    """A latitude (``axis="lat"``) or longitude with its hemisphere, in the language of ``tr``.

    Zero has no hemisphere. ``digits`` fixes the decimals (default: as few as needed).

    Examples
    --------
    >>> degree_label(39.5), degree_label(-70.25, "lon"), degree_label(0.0, "lon")
    ('39.5°N', '70.25°W', '0°')
    """
    tr = tr or messages("en")
    number = tr.decimal(abs(value), digits)
    if float(f"{abs(value):.{digits if digits is not None else 12}f}") == 0.0:
        return f"{number}°"
    positive, negative = HEMISPHERES[axis]
    return tr(positive if value > 0 else negative, value=number)


def latitude_label(lat: float, tr: Messages | None = None) -> str:
    """A latitude to one decimal with its hemisphere.

    Examples
    --------
    >>> latitude_label(39.94), latitude_label(-0.01), latitude_label(-12.34)
    ('39.9°N', '0.0°', '12.3°S')
    """
    return degree_label(lat, "lat", 1, tr)


def _label(km: float, unit: str = "km", metres: str = "m", tr: Messages | None = None) -> str:
    tr = tr or messages("en")
    return f"{tr.decimal(km * 1000)} {metres}" if km < 1 else f"{tr.decimal(km)} {unit}"


def draw_scale_bar(ax: Axes, fontsize: float = 7.0, true_at: str = "true at {latitude}", unit: str = "km",
                   metres: str = "m", tr: Messages | None = None) -> float:
    """Draw a two-segment scale bar in the lower left of a map; return its length in km.

    The axes must show longitude/latitude with their final limits (call ``ax.apply_aspect()``
    first when the aspect is fixed). ``true_at`` (with a ``{latitude}`` slot), ``unit`` and
    ``metres`` are the bar's words, for another language; ``tr`` writes its numbers and latitude.
    """
    from matplotlib.patches import Rectangle

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    lat = (y0 + y1) / 2.0
    km, span = scale_bar_span(lat, x1 - x0)
    left, base = x0 + 0.03 * (x1 - x0), y0 + 0.045 * (y1 - y0)
    height = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((left - 0.012 * (x1 - x0), base - 0.022 * (y1 - y0)), span + 0.024 * (x1 - x0),
                           0.075 * (y1 - y0), facecolor="white", edgecolor="none", alpha=0.8, zorder=9))
    for i, color in enumerate(("black", "white")):
        ax.add_patch(Rectangle((left + i * span / 2, base), span / 2, height, facecolor=color,
                               edgecolor="black", linewidth=0.6, zorder=10))
    for x, text in ((left, "0"), (left + span / 2, (tr or messages("en")).decimal(km / 2)),
                    (left + span, _label(km, unit, metres, tr))):
        ax.text(x, base + 1.6 * height, text, ha="center", va="bottom", fontsize=fontsize, zorder=10)
    ax.text(left + span / 2, base - 0.4 * height, true_at.format(latitude=latitude_label(lat, tr)),
            ha="center", va="top", fontsize=fontsize - 1.5, color="#444444", zorder=10)
    return km


def draw_north_arrow(ax: Axes, fontsize: float = 9.0, tr: Messages | None = None) -> None:
    """Draw a north arrow in the upper right of a map (north is up in this projection), in ``tr``'s letter."""
    ax.annotate("", xy=(0.955, 0.95), xytext=(0.955, 0.86), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "black", "lw": 1.4},
                zorder=10)
    north = (tr or messages("en"))(N_("N"))
    ax.text(0.955, 0.84, north, transform=ax.transAxes, ha="center", va="top", fontsize=fontsize,
            fontweight="bold", zorder=10)
