"""The verdict rules: how a published figure is compared with its measured counterparts.

A figure stands for an interval: its value (to ``value_max`` for ranges) widened by its own
rounding, half a unit of its last significant digit (971 km → ±0.5 km; 970 km → ±5 km;
1,006.84 km → ±0.005 km). Each measured counterpart is an interval too: the measured value
widened by the measurement's uncertainty, or a range (e.g. lengths at a range of rulers). A
counterpart *matches* when the two intervals overlap.

Each counterpart has a role, and the first role with a match gives the verdict:

- ``reference`` → ``within_uncertainty``: the quantity the figure names, measured on depictions
  detailed enough for it and current at the figure's date;
- ``other_vintage`` → ``line_vintage``: the same quantity on a depiction of another line vintage;
- ``other_definition`` → ``different_definition``: another definition of the quantity (e.g. the
  line with the enclave perimeters counted);
- ``map_scale`` → ``map_scale``: generalised depictions, or the line measured with the rulers of
  official maps (the Richardson relation).

Without a match the verdict is ``line_vintage`` when the line changed (a status change in its
history) between the depictions and the figure's date, ``unexplained`` when there were
counterparts, and ``not_measurable`` when the data has none. Details: docs/checking-figures.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WITHIN = "within_uncertainty"
LINE_VINTAGE = "line_vintage"
DEFINITION = "different_definition"
MAP_SCALE = "map_scale"
NOT_MEASURABLE = "not_measurable"
UNEXPLAINED = "unexplained"

#: Every verdict, from the strongest agreement to no comparison at all.
VERDICTS: tuple[str, ...] = (
    WITHIN,
    LINE_VINTAGE,
    DEFINITION,
    MAP_SCALE,
    UNEXPLAINED,
    NOT_MEASURABLE,
)

REFERENCE, OTHER_VINTAGE, OTHER_DEFINITION, SCALE, CONTEXT = (
    "reference",
    "other_vintage",
    "other_definition",
    "map_scale",
    "context",
)

#: Role → verdict, in the order the roles are tried (``context`` counterparts are shown only).
ROLE_VERDICT: tuple[tuple[str, str], ...] = (
    (REFERENCE, WITHIN),
    (OTHER_VINTAGE, LINE_VINTAGE),
    (OTHER_DEFINITION, DEFINITION),
    (SCALE, MAP_SCALE),
)


@dataclass(frozen=True)
class Counterpart:
    """A value the data gives for a figure, with the interval it is compared by."""

    depiction: str | None
    definition: str
    value: float
    low: float
    high: float
    role: str
    note: str = ""

    def record(self) -> dict[str, Any]:
        """JSON form: depiction, definition, value, low, high, role (and note)."""
        out: dict[str, Any] = {
            "depiction": self.depiction,
            "definition": self.definition,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "role": self.role,
        }
        if self.note:
            out["note"] = self.note
        return out


def rounding(value: float) -> float:
    """Half a unit of the last significant digit of a quoted value.

    Examples
    --------
    >>> rounding(971), rounding(970), rounding(1006.84), rounding(2000), rounding(0)
    (0.5, 5.0, 0.005, 500.0, 0.5)
    """
    number = Decimal(str(value)).normalize()
    if number == 0:
        return 0.5
    exponent = number.as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)  # type: ignore[arg-type]


def figure_interval(value: float, value_max: float | None = None) -> tuple[float, float]:
    """The interval a figure stands for: [value, value_max] widened by their rounding.

    Examples
    --------
    >>> figure_interval(971), figure_interval(60, 70)
    ((970.5, 971.5), (55.0, 75.0))
    """
    top = value if value_max is None else value_max
    return value - rounding(value), top + rounding(top)


def overlaps(interval: tuple[float, float], counterpart: Counterpart) -> bool:
    """Whether a figure's interval and a counterpart's interval share a value."""
    return interval[0] <= counterpart.high and counterpart.low <= interval[1]


def decide(
    interval: tuple[float, float], counterparts: list[Counterpart], line_changed: str | None = None
) -> tuple[str, Counterpart | None]:
    """Apply the rules: the verdict and the counterpart it rests on (the closest match).

    Parameters
    ----------
    interval
        The figure's interval (:func:`figure_interval`).
    counterparts
        Everything measured for the figure.
    line_changed
        The date the line changed after the depictions' vintages, when it did before the figure.

    Examples
    --------
    >>> ref = Counterpart("d1", "main line", 914.3, 914.2, 914.4, REFERENCE)
    >>> rulers = Counterpart("d1", "main line at 50–200 m rulers", 1025.0, 962.6, 1091.5, SCALE)
    >>> decide(figure_interval(971), [ref, rulers])[0]
    'map_scale'
    >>> decide(figure_interval(914), [ref, rulers])[0]
    'within_uncertainty'
    >>> decide(figure_interval(1684), [ref, rulers])[0], decide(figure_interval(5), [])[0]
    ('unexplained', 'not_measurable')
    """
    centre = (interval[0] + interval[1]) / 2.0
    for role, verdict in ROLE_VERDICT:
        matches = [c for c in counterparts if c.role == role and overlaps(interval, c)]
        if matches:
            return verdict, min(matches, key=lambda c: abs(c.value - centre))
    comparable = [c for c in counterparts if c.role != CONTEXT]
    if not comparable:
        return NOT_MEASURABLE, None
    nearest = min(comparable, key=lambda c: min(abs(c.low - centre), abs(c.high - centre)))
    return (LINE_VINTAGE if line_changed else UNEXPLAINED), nearest
