"""The one rule by which a published figure is compared with what the data measures.

A figure stands for an interval: its value (to ``value_max`` for ranges) widened by its stated
precision, half a unit of its last significant digit, and for a round number never more than
:data:`TOLERANCE` of the value (971 km → ±0.5 km; 970 km → ±5 km; 1,000 km → ±10 km, not ±500 km). Each measured
value — a *counterpart* — is an interval too: the value widened by the depiction's precision, or
the length at the rulers of official maps (:func:`bordermap.scale.scale_effect`).

Each counterpart has a *role* (:data:`ROLES`: same definition on a current detailed depiction,
on a current generalised one, on another vintage; another definition; the scale effect; context
shown only). The verdict is the first row of :data:`DECISION_TABLE` whose explanation interval
overlaps the figure's interval:

========================  =======================================  ================================
verdict                   roles                                    explanation interval
========================  =======================================  ================================
``within_uncertainty``    reference                                one counterpart's own interval
``within_spread``         reference, generalised                   the range the counterparts span
``line_vintage``          reference, generalised, other_vintage    the range the counterparts span
``different_definition``  other_definition                         the range the counterparts span
``map_scale``             map_scale                                the range the counterparts span
========================  =======================================  ================================

``unexplained`` when none overlaps (and then the nearest miss is given), ``not_measurable`` when
the data has no counterpart, or when the counterparts are lower bounds (documented section
counts) and the figure lies above all of them. The same table is in docs/checking-figures.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bordermap.i18n import N_, Messages, messages

WITHIN = "within_uncertainty"
WITHIN_SPREAD = "within_spread"
LINE_VINTAGE = "line_vintage"
DEFINITION = "different_definition"
MAP_SCALE = "map_scale"
NOT_MEASURABLE = "not_measurable"
UNEXPLAINED = "unexplained"

#: Every verdict, from the strongest agreement to no comparison at all.
VERDICTS: tuple[str, ...] = (
    WITHIN,
    WITHIN_SPREAD,
    LINE_VINTAGE,
    DEFINITION,
    MAP_SCALE,
    UNEXPLAINED,
    NOT_MEASURABLE,
)

#: Each verdict as a reader reads it (the codes stay in machine output: CSV, JSON, exports).
VERDICT_LABELS: dict[str, str] = {
    WITHIN: N_("within uncertainty"),
    WITHIN_SPREAD: N_("within the depictions' spread"),
    LINE_VINTAGE: N_("another vintage of the line"),
    DEFINITION: N_("another definition"),
    MAP_SCALE: N_("map scale"),
    UNEXPLAINED: N_("unexplained"),
    NOT_MEASURABLE: N_("not measurable"),
}

def verdict_words(verdict: str, tr: Messages | None = None) -> str:
    """A verdict as a reader reads it, in the language of ``tr`` (an unknown code as it is).

    Examples
    --------
    >>> verdict_words("map_scale"), verdict_words("different_definition")
    ('map scale', 'another definition')
    """
    return (tr or messages("en"))(VERDICT_LABELS.get(verdict, verdict))


#: What each verdict means, in one sentence (the decision table of docs/checking-figures.md).
VERDICT_MEANINGS: dict[str, str] = {
    WITHIN: N_("a current detailed depiction gives the figure, within that depiction's precision."),
    WITHIN_SPREAD: N_("the figure lies inside the spread of the current depictions; they disagree, and no "
                      "detailed one alone gives it."),
    LINE_VINTAGE: N_("only depictions of another vintage of the line give the figure (the line changed in "
                     "between)."),
    DEFINITION: N_("another definition of the quantity accounts for the figure (for instance with the "
                   "enclaves' perimeters counted)."),
    MAP_SCALE: N_("the figure lies within the lengths a detailed depiction's line would have at the rulers of "
                  "1:100,000–1:200,000 maps (the scale effect, extrapolated from the data where the line is "
                  "coarser); no depiction's own length gives it, and it is not a measurement of the figure."),
    UNEXPLAINED: N_("no explanation reaches the figure: not the depictions' precision or spread, another "
                    "vintage, another definition or the scale effect."),
    NOT_MEASURABLE: N_("the data holds nothing this figure can be compared with."),
}

REFERENCE, GENERALISED, OTHER_VINTAGE, OTHER_DEFINITION, SCALE, CONTEXT = (
    "reference",
    "generalised",
    "other_vintage",
    "other_definition",
    "map_scale",
    "context",
)

#: Roles from the strongest to the weakest (a value found in several periods keeps the strongest).
ROLES: tuple[str, ...] = (REFERENCE, GENERALISED, OTHER_VINTAGE, OTHER_DEFINITION, SCALE, CONTEXT)
#: The categories of published figures (the enum of ``schema/figures.json``), in words.
CATEGORY_NAMES: dict[str, str] = {
    "border_length": N_("border length"), "delimited_length": N_("delimited length"),
    "undelimited_length": N_("undelimited length"), "section_count": N_("number of sections"),
    "area_claim": N_("claimed area"), "area_other": N_("other area"), "enclave_area": N_("enclave area"),
    "swap_area": N_("swapped area"), "casualties": N_("casualties"), "evacuated": N_("evacuated"),
    "other": N_("other"),
}
#: Each role in words, as tables written for readers show it (the codes stay in JSON and CSV).
ROLE_LABELS: dict[str, str] = {
    REFERENCE: N_("reference"),
    GENERALISED: N_("generalised"),
    OTHER_VINTAGE: N_("other vintage"),
    OTHER_DEFINITION: N_("other definition"),
    SCALE: N_("map scale"),
    CONTEXT: N_("context"),
}

#: Relative tolerance: the widest interval a figure's rounding is given, and the largest relative
#: difference at which a figure is said to "agree with" a value.
TOLERANCE = 0.01

#: How a row tests the figure: against each counterpart's own interval, or the range they span.
ONE, RANGE = "one", "range"


@dataclass(frozen=True)
class Rule:
    """One row of the decision table: a verdict, the roles it reads, and how it tests them."""

    verdict: str
    roles: tuple[str, ...]
    test: str


#: The decision table, tried in this order; the first row whose interval overlaps gives the verdict.
DECISION_TABLE: tuple[Rule, ...] = (
    Rule(WITHIN, (REFERENCE,), ONE),
    Rule(WITHIN_SPREAD, (REFERENCE, GENERALISED), RANGE),
    Rule(LINE_VINTAGE, (REFERENCE, GENERALISED, OTHER_VINTAGE), RANGE),
    Rule(DEFINITION, (OTHER_DEFINITION,), RANGE),
    Rule(MAP_SCALE, (SCALE,), RANGE),
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


@dataclass(frozen=True)
class Decision:
    """A verdict, the interval that explains the figure, and the counterpart it rests on.

    ``basis`` is the counterpart nearest the figure among those of the deciding row (for
    ``unexplained``: the nearest of all); ``low``/``high`` the deciding row's interval (for
    ``unexplained``: the nearest counterpart's interval); ``miss`` how far the figure's interval
    lies from it (0 when they overlap).
    """

    verdict: str
    basis: Counterpart | None
    low: float | None = None
    high: float | None = None
    miss: float = 0.0


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


def precision(value: float) -> float:
    """The half-width a figure is given from its stated precision.

    Half a unit of its last significant digit; but a round number (trailing zeros before the
    decimal point) does not say how round it is meant to be — "1,000 km" may be ±500 km or ±0.5 km
    — so it gets at most :data:`TOLERANCE` of its value (and never less than a unit's half).

    Examples
    --------
    >>> precision(971), precision(970), precision(1000), precision(2110), precision(35)
    (0.5, 5.0, 10.0, 5.0, 0.5)
    >>> precision(2000), precision(60), precision(1006.84)
    (20.0, 0.6, 0.005)
    """
    half = rounding(value)
    if half <= 0.5:
        return half
    return min(half, max(0.5, TOLERANCE * abs(value)))


def figure_interval(value: float, value_max: float | None = None) -> tuple[float, float]:
    """The interval a figure stands for: [value, value_max] widened by their precision.

    Examples
    --------
    >>> figure_interval(971), figure_interval(1000), figure_interval(60, 70)
    ((970.5, 971.5), (990.0, 1010.0), (59.4, 70.7))
    """
    top = value if value_max is None else value_max
    return value - precision(value), top + precision(top)


def gap(interval: tuple[float, float], low: float, high: float) -> float:
    """Distance between the figure's interval and [low, high] (0 when they share a value).

    Examples
    --------
    >>> gap((10.0, 12.0), 13.0, 20.0), gap((10.0, 12.0), 11.0, 11.5), gap((10.0, 12.0), 1.0, 4.0)
    (1.0, 0.0, 6.0)
    """
    return max(low - interval[1], interval[0] - high, 0.0)


def overlaps(interval: tuple[float, float], counterpart: Counterpart) -> bool:
    """Whether a figure's interval and a counterpart's interval share a value."""
    return gap(interval, counterpart.low, counterpart.high) == 0.0


def agrees(value: float, counterpart: Counterpart) -> bool:
    """Whether a figure may be said to "agree with" a value: within :data:`TOLERANCE` of it."""
    if counterpart.value == 0:
        return value == 0
    return abs(value / counterpart.value - 1.0) <= TOLERANCE


def decide(
    interval: tuple[float, float],
    counterparts: list[Counterpart],
    lower_bounds: bool = False,
    incomplete: bool = False,
) -> Decision:
    """Apply the decision table: the first row whose interval overlaps the figure's.

    Parameters
    ----------
    interval
        The figure's interval (:func:`figure_interval`), in the unit of the counterparts.
    counterparts
        Everything measured for the figure; ``context`` counterparts are shown, never decide.
    lower_bounds
        The counterparts are lower bounds (the sections a dataset documents): a figure above every
        one of them is ``not_measurable`` — the data can neither confirm nor refute it.
    incomplete
        On some of the dates the figure may fall on, the data has nothing to compare it with: a
        figure no row explains is then ``not_measurable``, not ``unexplained``.

    Examples
    --------
    >>> ref = Counterpart("d1", "main line", 914.3, 914.2, 914.4, REFERENCE)
    >>> coarse = Counterpart("d2", "main line", 785.6, 783.6, 787.6, GENERALISED)
    >>> rulers = Counterpart("d1", "main line at 50–200 m rulers", 1027.0, 962.6, 1091.5, SCALE)
    >>> decide(figure_interval(914), [ref, coarse, rulers]).verdict
    'within_uncertainty'
    >>> decide(figure_interval(860), [ref, coarse, rulers]).verdict
    'within_spread'
    >>> decide(figure_interval(971), [ref, coarse, rulers]).verdict
    'map_scale'
    >>> d = decide(figure_interval(1684), [ref, coarse, rulers])
    >>> d.verdict, d.basis.depiction, round(d.miss, 1)
    ('unexplained', 'd1', 592.0)
    >>> decide(figure_interval(5), []).verdict
    'not_measurable'
    """
    centre = (interval[0] + interval[1]) / 2.0
    comparable = [c for c in counterparts if c.role != CONTEXT]
    if lower_bounds and comparable and interval[0] > max(c.high for c in comparable):
        top = max(comparable, key=lambda c: c.high)
        return Decision(NOT_MEASURABLE, top, top.low, top.high, interval[0] - top.high)
    for rule in DECISION_TABLE:
        members = [c for c in counterparts if c.role in rule.roles]
        if not members:
            continue
        if rule.test == ONE:
            hits = [c for c in members if overlaps(interval, c)]
            if hits:
                basis = min(hits, key=lambda c: abs(c.value - centre))
                return Decision(rule.verdict, basis, basis.low, basis.high)
            continue
        low, high = min(c.low for c in members), max(c.high for c in members)
        if gap(interval, low, high) == 0.0:
            # The counterpart the verdict rests on: the nearest value; for the scale effect, whose
            # value is only its interval's middle, one whose interval holds the figure.
            if rule.verdict == MAP_SCALE:
                basis = min(members, key=lambda c: (gap(interval, c.low, c.high), abs(c.value - centre)))
            else:
                basis = min(members, key=lambda c: abs(c.value - centre))
            return Decision(rule.verdict, basis, low, high)
    if not comparable:
        return Decision(NOT_MEASURABLE, None)
    nearest = min(comparable, key=lambda c: (gap(interval, c.low, c.high), abs(c.value - centre)))
    verdict = NOT_MEASURABLE if incomplete else UNEXPLAINED
    return Decision(verdict, nearest, nearest.low, nearest.high, gap(interval, nearest.low, nearest.high))
