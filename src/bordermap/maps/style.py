"""Cartographic conventions shared by the HTML and static maps.

Following the UN and Natural Earth conventions: agreed, delimited, demarcated and settled lines are
solid; disputed and undetermined lines are dashed (undetermined with a finer dash). Countries take
their colour from the one palette of :mod:`bordermap.palette`, the same in every dataset;
depictions of the line take distinct colours from a colour-blind-safe palette (Okabe–Ito), in the
order the dataset lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bordermap.model import Dataset
from bordermap.palette import country_fill

#: Okabe–Ito palette without yellow (poor on white) and black (kept for the default depiction).
DEPICTION_PALETTE: tuple[str, ...] = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
NEUTRAL_GREY = "#7f7f7f"

#: Dash pattern per status, in units of line width (None: solid).
STATUS_DASH: dict[str, tuple[float, float] | None] = {
    "agreed": None,
    "delimited": None,
    "demarcated": None,
    "settled": None,
    "disputed": (4.0, 2.5),
    "undetermined": (1.5, 2.0),
    "abolished": (0.5, 2.5),
}

#: Fill colour of sections and areas by status.
STATUS_FILL: dict[str, str] = {
    "agreed": "#4daf4a",
    "delimited": "#4daf4a",
    "demarcated": "#4daf4a",
    "settled": "#377eb8",
    "disputed": "#e41a1c",
    "undetermined": "#ff7f00",
    "abolished": "#999999",
}


@dataclass(frozen=True)
class LineStyle:
    """How to draw a line: colour, width in pixels/points, dash pattern in units of width."""

    color: str
    width: float
    dash: tuple[float, float] | None

    def dash_array(self) -> str | None:
        """The dash pattern as an SVG/Leaflet ``dashArray`` string in pixels.

        Examples
        --------
        >>> LineStyle("#000", 2.0, (4.0, 2.5)).dash_array()
        '8,5'
        """
        if self.dash is None:
            return None
        return ",".join(f"{d * self.width:g}" for d in self.dash)


def depiction_colors(dataset: Dataset) -> dict[str, str]:
    """A distinct colour per depiction; the default depiction gets black.

    Examples
    --------
    >>> import bordermap
    >>> colors = depiction_colors(bordermap.load())
    >>> colors[bordermap.load().default_depiction]
    '#000000'
    """
    others = [d for d in dataset.depictions if d != dataset.default_depiction]
    order = [dataset.default_depiction, *others]
    return {d: DEPICTION_PALETTE[i % len(DEPICTION_PALETTE)] for i, d in enumerate(order)}


def line_style(status: str, color: str, width: float = 2.5) -> LineStyle:
    """Style of a boundary line of a given status."""
    return LineStyle(color, width, STATUS_DASH.get(status, STATUS_DASH["undetermined"]))


def country_color(dataset: Dataset, code: str) -> str:
    """A country's fill colour: the project's one palette (:mod:`bordermap.palette`), the same in every dataset.

    The ``color`` a dataset's ``countries`` table may carry is not used for drawing, so that a
    country looks the same on every map. Grey for a feature without a country.

    Examples
    --------
    >>> import bordermap
    >>> country_color(bordermap.load(), "TJ") == country_color(bordermap.load("tests/data/mini"), "TJ")
    True
    """
    if not isinstance(code, str) or len(code) != 2 or not code.isalpha():
        return NEUTRAL_GREY
    return country_fill(code)


#: The project's neutral disclaimer, for datasets that give none.
DEFAULT_DISCLAIMER = (
    "Boundaries, names and figures shown do not imply endorsement or acceptance by the "
    "authors. Lines are depictions from the sources named; none is an official delimitation."
)


def disclaimer(dataset: Dataset) -> str:
    """The dataset's disclaimer, or the project's neutral default."""
    return str(dataset.meta.get("disclaimer") or DEFAULT_DISCLAIMER)
