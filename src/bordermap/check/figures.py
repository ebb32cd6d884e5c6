"""Check each figure of a register: counterparts, difference, ratio, verdict and explanation.

The record of one check (the JSON output of ``bordermap check``) has the fields:

``figure_id``, ``category``, ``measures``, ``statement``, ``value``, ``value_max``, ``unit`` (as
quoted), ``speaker``, ``speaker_party``, ``date``, ``dates_compared`` (the figure's date, or
"every date: …" for an undated figure), ``sources`` (``[{id, title, publisher, date, url}]``),
``measured_unit``, ``value_in_measured_unit``, ``figure_interval`` (``[low, high]`` in
``measured_unit``), ``measured`` (``[{depiction, definition, value, low, high, role, note?}]``),
``compared_with`` (the counterpart the verdict rests on, or null), ``difference`` (figure minus
that value, in ``measured_unit``), ``ratio`` (figure / value), ``verdict``, ``explained_by``
(``{low, high}``: the interval of the explanation that decided, or null), ``miss`` (for
``unexplained``: how far the nearest counterpart's interval lies from the figure's),
``explanation`` and ``settle`` (what data would settle the question, or null when the data
already does). The rule is in :mod:`bordermap.check.verdicts` and docs/checking-figures.md.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import pandas as pd

from bordermap.check import verdicts as v
from bordermap.check.measured import Measurements, definition_text
from bordermap.dates import parse_date
from bordermap.errors import DataError, UsageError
from bordermap.i18n import N_, Messages, messages
from bordermap.model import FIGURE_CATEGORIES, Dataset
from bordermap.scale import target_ruler

#: Quoted unit → (unit compared in, factor): the one unit table of ``bordermap check``.
UNITS: dict[str, tuple[str, float]] = {
    "km": ("km", 1.0),
    "m": ("km", 0.001),
    "km2": ("km²", 1.0),
    "km²": ("km²", 1.0),
    "sq km": ("km²", 1.0),
    "ha": ("km²", 0.01),
    "hectares": ("km²", 0.01),
}


def to_measured_unit(value: float, unit: str | None) -> tuple[float, str]:
    """A quoted value in the unit the data measures it in (unknown units are left as quoted).

    Examples
    --------
    >>> to_measured_unit(35, "ha"), to_measured_unit(35, "Hectares"), to_measured_unit(3, "sections")
    ((0.35, 'km²'), (0.35, 'km²'), (3, 'sections'))
    """
    quoted = str(unit or "")
    measured, factor = UNITS.get(quoted.strip().lower(), (quoted, 1.0))
    # Twelve significant digits: 35 ha is 0.35 km², not 0.35000000000000003.
    return (float(f"{value * factor:.12g}") if factor != 1.0 else value), measured


#: The unit the data measures each measurable category in.
MEASURED_UNIT: dict[str, str] = {
    "border_length": "km",
    "delimited_length": "km",
    "undelimited_length": "km",
    "enclave_area": "km²",
    "area_claim": "km²",
    "swap_area": "km²",
}

_CLAIM = re.compile(
    r"^\s*(?P<cat>[a-z_]+)(?::(?P<key>[A-Za-z0-9_.-]+))?\s*=\s*"
    r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>[^\s0-9].*)?$"
)

#: Categories a command-line claim can name a feature for, and the figure field the name fills.
CLAIM_FEATURE: dict[str, str] = {"enclave_area": "enclave_key", "area_claim": "speaker_party"}

SETTLE = {
    "border_length": N_(
        "the official line itself: the turning-point coordinates of the delimitation description "
        "(the 2025 treaty's annexes), with the method and map scale the length was measured at"
    ),
    "delimited_length": N_(
        "the commissions' protocols listing the stretches agreed by each date (turning points or "
        "chainage), so that each stretch's status can be recorded on the line"
    ),
    "section_count": N_("a dated list of the sections the commissions count, with their locations"),
    "area_claim": N_(
        "a map of the claimed territory — the line the claim rests on (e.g. the 1924–1927 "
        "delimitation documents) — digitised as polygons (areas of kind claim_area)"
    ),
    "enclave_area": N_("a survey of the enclave's boundary, or the area stated with its definition"),
    "swap_area": N_("the treaty's maps of the exchanged plots, digitised as areas of kind swap_area"),
    "people": N_(
        "attributed reports (incidents.geojson keeps each figure with who reported it); geometry cannot count people"
    ),
    "other": N_("a definition of the quantity that can be measured on the line or the areas"),
}
SETTLE["undelimited_length"] = SETTLE["delimited_length"]

_SAME = (v.REFERENCE, v.GENERALISED, v.OTHER_VINTAGE)  # roles of the figure's own definition


def parse_claim(text: str, date: dt.date | str | None = None) -> dict[str, Any]:
    """Turn ``CATEGORY[:FEATURE]=VALUE[UNIT]`` (e.g. ``border_length=971km``) into a figure record.

    ``FEATURE`` names what the figure is about: the enclave for ``enclave_area``
    (``enclave_area:vorukh=84.5km2``), the claimant country for ``area_claim``
    (``area_claim:TJ=2110km2``). Without a unit the figure is in the unit the data measures the
    category in; a claim without a date is undated and compared on every date.

    Examples
    --------
    >>> f = parse_claim("area_claim:TJ=2,110 km2", "2022-09-24")
    >>> f["category"], f["value"], f["unit"], f["date"], f["speaker_party"]
    ('area_claim', 2110.0, 'km2', '2022-09-24', 'TJ')
    >>> parse_claim("enclave_area:vorukh=84.5")["enclave_key"], parse_claim("border_length=971")["unit"]
    ('vorukh', 'km')
    """
    match = _CLAIM.match(text)
    if not match:
        raise UsageError(
            f"--claim {text!r}: expected CATEGORY[:FEATURE]=VALUE[UNIT], e.g. border_length=971km "
            "or enclave_area:vorukh=84.5km2"
        )
    category = match["cat"]
    if category not in FIGURE_CATEGORIES:
        raise UsageError(
            f"--claim {text!r}: unknown category {category!r}; one of {', '.join(FIGURE_CATEGORIES)}"
        )
    unit = (match["unit"] or "").strip() or MEASURED_UNIT.get(category, "")
    if category in MEASURED_UNIT and to_measured_unit(1.0, unit)[1] != MEASURED_UNIT[category]:
        known = ", ".join(u for u, (m, _) in UNITS.items() if m == MEASURED_UNIT[category])
        raise UsageError(f"--claim {text!r}: unit {unit!r} for {category}; one of {known}")
    value = float(match["num"].replace(",", ""))
    if not math.isfinite(value) or value > 1e12:
        shown = match["num"] if len(match["num"]) <= 24 else f"{match['num'][:12]}… ({len(match['num'])} digits)"
        raise UsageError(f"--claim: the value {shown} is not a length or area of this world")
    figure: dict[str, Any] = {
        "id": "claim",
        "category": category,
        "value": value,
        "value_max": None,
        "unit": unit,
        "measures": "figure given on the command line",
        "statement": text.strip(),
        "speaker": "command line",
        "speaker_party": None,
        "date": None if date is None else str(date),
        "source_ids": [],
    }
    if match["key"]:
        field = CLAIM_FEATURE.get(category)
        if field is None:
            raise UsageError(
                f"--claim {text!r}: {category} takes no feature name; only "
                f"{', '.join(CLAIM_FEATURE)} do (e.g. enclave_area:vorukh=84.5km2)"
            )
        figure[field] = match["key"].upper() if field == "speaker_party" else match["key"]
    return figure


def check_claim_feature(dataset: Dataset, figure: dict[str, Any]) -> None:
    """Refuse a command-line claim whose feature the dataset does not have (usage error)."""
    key = figure.get("enclave_key")
    if key is not None:
        areas = dataset.layer("areas")
        known = (
            sorted(areas.loc[areas["kind"] == "enclave", "enclave_key"].dropna().unique())
            if {"kind", "enclave_key"} <= set(areas.columns)
            else []
        )
        if key not in known:
            raise UsageError(
                f"--claim {figure.get('statement')!r}: no enclave {key!r}; the dataset has "
                f"{', '.join(map(str, known)) or 'none'}"
            )
    party = figure.get("speaker_party")
    if party is not None and party not in dataset.pair:
        raise UsageError(
            f"--claim {figure.get('statement')!r}: {party!r} is not one of the pair "
            f"{', '.join(dataset.pair)}"
        )


def _number(value: float, unit: str, tr: Messages | None = None) -> str:
    tr = tr or messages("en")
    if unit in ("km", "km²"):
        return tr("{value} {unit}", value=tr.number(value, 1 if abs(value) < 100_000 else 0), unit=tr(unit))
    return f"{tr.number(value, 0)} {tr.unit(unit, round(value)) if unit else ''}".strip()


def _range(low: float, high: float, unit: str, tr: Messages) -> str:
    """An interval as ``low–high``; one value when both ends are the same (a count of sections)."""
    if _number(low, unit, tr) == _number(high, unit, tr):
        return _number(low, unit, tr)
    return f"{_number(low, unit, tr)}–{_number(high, unit, tr)}"


def _where(c: v.Counterpart, tr: Messages | None = None) -> str:
    tr = tr or messages("en")
    definition = definition_text(c.definition, tr)
    return tr("{definition} of {depiction}", definition=definition, depiction=c.depiction) if c.depiction \
        else definition


def quoted_figure(figure: dict[str, Any], tr: Messages | None = None) -> str:
    """A published figure as quoted, written the language's way: ``1,006.84 km``, ``12 участков``, ``year 1968``.

    Examples
    --------
    >>> quoted_figure({"value": 1006.84, "unit": "km"}), quoted_figure({"value": 970.8, "unit": "km"}, messages("ru"))
    ('1,006.84 km', '970,8 км')
    >>> quoted_figure({"value": 130, "unit": "km2"}), quoted_figure({"value": 35, "unit": "ha"})
    ('130 km²', '35 ha')
    """
    tr = tr or messages("en")
    top = f"–{tr.decimal(figure['value_max'], group=True)}" if figure.get("value_max") is not None else ""
    unit = figure.get("unit") or ""
    if unit == "year":  # a calendar year, never grouped as a thousand ("1,968 year")
        end = f"–{figure['value_max']:g}" if figure.get("value_max") is not None else ""
        return tr("year {value}", value=f"{figure['value']:g}{end}")
    count = figure["value_max"] if figure.get("value_max") is not None else figure["value"]
    # Another spelling of the same unit is written as the measured values are ("km2" → "km²").
    same = UNITS.get(str(unit).strip().lower())
    unit = same[0] if same is not None and same[1] == 1.0 else unit
    return f"{tr.decimal(figure['value'], group=True)}{top} {tr.unit(unit, count) if unit else ''}".strip()


class Checker:
    """Checks figures against one dataset (measurements are shared between figures)."""

    def __init__(self, dataset: Dataset, tr: Messages | None = None) -> None:
        self.dataset = dataset
        self.measurements = Measurements(dataset)
        #: The language of the explanations (English by default); verdict codes stay as they are.
        self.tr = tr or messages("en")

    def _num(self, value: float, unit: str) -> str:
        return _number(value, unit, self.tr)

    def _when(self, figure: dict[str, Any]) -> str:
        """The dates a figure is compared on, as a phrase: ``on every date``, ``on DAY``, ``in MONTH``."""
        if not figure.get("date"):
            return self.tr("on every date")
        if len(str(figure["date"])) == 10:
            return self.tr("on {date}", date=self.tr.day(figure["date"]))
        return self.tr("in {date}", date=self.tr.day(figure["date"]))

    def check(
        self, figure: dict[str, Any], register: Iterable[dict[str, Any]] = ()
    ) -> dict[str, Any]:
        """Check one figure; ``register`` is used to point out same-sized figures of other kinds."""
        fid = figure.get("id", "?")
        category = figure.get("category")
        if category not in FIGURE_CATEGORIES:
            raise DataError(f"figures.json:{fid} /category: unknown category {category!r}")
        if not isinstance(figure.get("value"), (int, float)) or isinstance(
            figure.get("value"), bool
        ):
            text = self.tr("{figure}: the figure has no number to compare.", figure=figure.get("statement") or fid)
            return self._record(figure, category, [], v.Decision(v.NOT_MEASURABLE, None), text)
        try:
            value = float(figure["value"])
            value_max = None if figure.get("value_max") is None else float(figure["value_max"])
            day = parse_date(figure["date"]) if figure.get("date") else None
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"figures.json:{fid} /value or /date: cannot be read ({exc})") from exc
        quoted_unit = str(figure.get("unit") or "")
        low, high = v.figure_interval(value, value_max)
        (low, unit), (high, _) = to_measured_unit(low, quoted_unit), to_measured_unit(high, quoted_unit)
        interval = (low, high)
        scaled = to_measured_unit(value, quoted_unit)[0]
        context: dict[str, Any] = {"interval": interval, "unit": unit, "scaled": scaled, "day": day}
        if category in MEASURED_UNIT and unit != MEASURED_UNIT[category]:
            text = self.tr(
                "{figure}: quoted in {unit}; the data measures this category in {measured_unit}.",
                figure=quoted_figure(figure, self.tr), unit=self.tr(quoted_unit) if quoted_unit else self.tr("no unit"),
                measured_unit=self.tr(MEASURED_UNIT[category]),
            )
            return self._record(
                figure, category, [], v.Decision(v.NOT_MEASURABLE, None), text, **context
            )
        handler = self._handlers().get(category, self._unmeasurable)
        counterparts, line_changed, gaps = self._counterparts(handler, figure)
        decision = v.decide(
            interval, counterparts, lower_bounds=category == "section_count", incomplete=bool(gaps)
        )
        explanation = self._explain(figure, category, decision, counterparts, interval, unit, day)
        if gaps and decision.verdict == v.NOT_MEASURABLE:
            explanation = self._unknown_periods(figure, decision, interval, unit, gaps)
        # a machine field, English in every language (the explanation above says it in the reader's)
        english = dict(self._days(figure, messages("en")))
        context["gaps"] = [english.get(day, label) for day, label in self._days(figure) if label in gaps]
        tr = self.tr
        if line_changed and decision.verdict != v.LINE_VINTAGE:
            explanation += " " + tr(
                "Note: the line changed on {day}, after every depiction's vintage; the data does not show the "
                "line as it is after that date.", day=tr.day(line_changed),
            )
        if day is None and counterparts:
            explanation += " " + tr("Undated: compared with the data on every date ({dates}).",
                                    dates=self._dates_text(figure))
        elif counterparts and len(self._days(figure)) > 1:
            explanation += " " + tr(
                "Dated {date} only: compared with the data on each period it may fall in ({dates}).",
                date=figure["date"], dates=self._dates_text(figure),
            )
        others = self._same_size(figure, register, tr)
        if others:
            explanation += " " + others
        return self._record(figure, category, counterparts, decision, explanation, **context)

    def _days(self, figure: dict[str, Any], tr: Messages | None = None) -> list[tuple[dt.date | None, str]]:
        """The days a figure is compared on, with labels: one per period of the data it may fall in.

        Undated: one day in each period between the dates anything changes in the layers the
        figure is measured on (every date). Dated to a day: that day. Dated to a month or a year:
        its first day, and every change within it ("2025-03" straddles the 2025-03-19 treaty).
        """
        tr = tr or self.tr
        periods = self.measurements.periods(self._layers(figure), tr)
        if not figure.get("date"):
            return periods
        start, stop = parse_date(figure["date"]), parse_date(figure["date"], end=True)
        inside = [d for d, _ in periods[1:] if d is not None and start < d < stop]
        if not inside:
            return [(start, str(figure["date"]))]
        starts = [start, *inside]
        ends = [*(d - dt.timedelta(days=1) for d in inside), stop - dt.timedelta(days=1)]
        return [(a, tr("{start} to {end}", start=tr.day(a), end=tr.day(b)) if a != b else tr.day(a))
                for a, b in zip(starts, ends, strict=True)]

    def _counterparts(
        self,
        handler: Callable[[dict[str, Any], dt.date | None], tuple[list[v.Counterpart], str | None]],
        figure: dict[str, Any],
    ) -> tuple[list[v.Counterpart], str | None, list[str]]:
        """The counterparts on every day a figure may fall on (:meth:`_days`).

        With several days the counterparts of all are kept, once each, with the periods they hold
        in; a value that is current on any of the days keeps the strongest role. Also returned: the
        line change remark, and the periods on which the data has nothing to compare (when others
        have something).
        """
        days = self._days(figure)
        if len(days) == 1:
            return (*handler(figure, days[0][0]), [])
        rank = {role: i for i, role in enumerate(v.ROLES)}
        merged: dict[tuple[Any, ...], tuple[v.Counterpart, list[str]]] = {}
        line_changed = None
        empty: list[str] = []
        for when, label in days:
            found, line_changed = handler(figure, when)
            if not any(c.role != v.CONTEXT for c in found):
                empty.append(label)
            for c in found:
                key = (c.depiction, c.definition, round(c.value, 9), round(c.low, 9), round(c.high, 9))
                if key not in merged:
                    merged[key] = (c, [label])
                    continue
                kept, labels = merged[key]
                labels.append(label)
                if rank.get(c.role, 99) < rank.get(kept.role, 99):
                    merged[key] = (c, labels)
        out = []
        for c, labels in merged.values():
            if len(labels) < len(days):
                note = self.tr("on dates {dates}", dates="; ".join(labels))
                c = replace(c, note=f"{c.note}; {note}" if c.note else note)
            out.append(c)
        # The line-change remark holds for a dated figure's last possible day, never for an undated one.
        gaps = empty if len(empty) < len(days) else []
        return out, (line_changed if figure.get("date") else None), gaps

    def _dates_text(self, figure: dict[str, Any], tr: Messages | None = None) -> str:
        """The days a figure is compared on, in words (long lists summarised)."""
        tr = tr or self.tr
        labels = [label for _, label in self._days(figure, tr)]
        if len(labels) <= 4:
            return "; ".join(labels)
        return tr("{n} periods, {first} … {last}", n=len(labels), first=labels[0], last=labels[-1])

    @staticmethod
    def _layers(figure: dict[str, Any]) -> tuple[str, ...]:
        """The layers a figure's counterparts are measured on (their dates make the periods)."""
        if figure.get("category") == "section_count":
            return ("sections",)
        if figure.get("category") in ("enclave_area", "area_claim", "swap_area"):
            return ("areas",)
        return ("boundary",)

    def _record(
        self,
        figure: dict[str, Any],
        category: str,
        counterparts: list[v.Counterpart],
        decision: v.Decision,
        explanation: str,
        interval: tuple[float, float] | None = None,
        unit: str | None = None,
        scaled: float | None = None,
        day: dt.date | None = None,
        gaps: list[str] | None = None,
    ) -> dict[str, Any]:
        fid = figure.get("id", "?")
        basis = decision.basis
        explained = decision.verdict not in (v.UNEXPLAINED, v.NOT_MEASURABLE)
        undated = interval is not None and day is None
        return {
            "figure_id": fid,
            "category": category,
            "measures": figure.get("measures"),
            "statement": figure.get("statement"),
            "value": figure.get("value"),
            "value_max": figure.get("value_max"),
            "unit": figure.get("unit"),
            "speaker": figure.get("speaker"),
            "speaker_party": figure.get("speaker_party"),
            "date": figure.get("date"),
            "dates_compared": (
                None
                if interval is None
                # a machine field: English in every language, as the verdict codes are
                else ("every date: " if undated else f"{figure['date']}: ") + self._dates_text(figure, messages("en"))
                if undated or len(self._days(figure)) > 1
                else str(figure["date"])
            ),
            "dates_without_counterparts": gaps or [],
            "sources": self._sources(figure),
            "measured_unit": unit,
            "value_in_measured_unit": scaled,
            "figure_interval": None if interval is None else list(interval),
            "measured": [c.record() for c in counterparts],
            "compared_with": None
            if basis is None
            else {
                "depiction": basis.depiction,
                "definition": basis.definition,
                "value": basis.value,
                "low": basis.low,
                "high": basis.high,
            },
            "difference": None if basis is None or scaled is None else scaled - basis.value,
            "ratio": None
            if basis is None or scaled is None or basis.value == 0
            else scaled / basis.value,
            "verdict": decision.verdict,
            "explained_by": {"low": decision.low, "high": decision.high} if explained else None,
            "miss": decision.miss if decision.verdict == v.UNEXPLAINED else None,
            "explanation": explanation,
            "settle": None
            if decision.verdict == v.WITHIN and scaled is not None and basis is not None and v.agrees(scaled, basis)
            else self.tr(SETTLE[self._settle_key(category)]),
        }

    @staticmethod
    def _settle_key(category: str) -> str:
        if category in ("casualties", "evacuated"):
            return "people"
        return category if category in SETTLE else "other"

    def _handlers(
        self,
    ) -> dict[
        str, Callable[[dict[str, Any], dt.date | None], tuple[list[v.Counterpart], str | None]]
    ]:
        return {
            "border_length": self._lengths,
            "delimited_length": self._delimited,
            "undelimited_length": self._delimited,
            "section_count": self._sections,
            "enclave_area": self._enclave,
            "area_claim": self._claim,
            "swap_area": self._swaps,
        }

    def _line_changed(self, day: dt.date | None) -> str | None:
        """The line change that separates every depiction from a figure's date, if any."""
        changes = [self.measurements.change_between(d, day) for d in self.dataset.depictions]
        if not changes or any(c is None for c in changes):
            return None
        return str(min(c for c in changes if c is not None))

    def _lengths(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return self.measurements.lengths(day), self._line_changed(day)

    def _delimited(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return self.measurements.delimited(
            day, complement=figure["category"] == "undelimited_length"
        ), None

    def _sections(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return self.measurements.section_counts(day), None

    def _enclave(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return self.measurements.enclave_areas(day, self._enclave_key(figure)), self._line_changed(
            day
        )

    def _claim(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        m = self.measurements
        return m.claim_areas(day, figure.get("speaker_party")) + m.area_context(day), None

    def _swaps(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return self.measurements.swap_areas(day), None

    def _unmeasurable(
        self, figure: dict[str, Any], day: dt.date | None
    ) -> tuple[list[v.Counterpart], str | None]:
        return [], None

    def _enclave_key(self, figure: dict[str, Any]) -> str | None:
        """The enclave a figure is about: its ``enclave_key``, or a key or English name in its text."""
        if figure.get("enclave_key"):
            return str(figure["enclave_key"])
        areas = self.dataset.layer("areas")
        if "enclave_key" not in areas.columns:
            return None
        text = " ".join(str(figure.get(k) or "") for k in ("measures", "statement", "note")).lower()
        for _, row in areas[areas["kind"] == "enclave"].iterrows():
            name = (
                (row.get("names") or {}).get("en", "") if isinstance(row.get("names"), dict) else ""
            )
            words = [
                str(row["enclave_key"]).lower(),
                *(w.lower() for w in re.findall(r"\w{4,}", name)),
            ]
            if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words if w and w != "enclave"):
                return str(row["enclave_key"])
        return None

    def _sources(self, figure: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for sid in figure.get("source_ids") or []:
            record = self.dataset.sources.get(sid, {})
            out.append(
                {"id": sid, **{k: record.get(k) for k in ("title", "publisher", "date", "url")}}
            )
        return out

    @staticmethod
    def _same_size(figure: dict[str, Any], register: Iterable[dict[str, Any]], tr: Messages) -> str:
        """Point out figures quoted as the same number that measure something else (two '2,000 km²')."""
        notes = []
        for other in register:
            if other.get("id") == figure.get("id") or other.get("category") == figure.get(
                "category"
            ):
                continue
            # Only figures quoted as the same number in the same unit.
            if other.get("unit") != figure.get("unit") or other.get("value") != figure.get("value"):
                continue
            category = str(other.get("category"))
            notes.append(tr("{id} ({category}: {measures})", id=other["id"],
                            category=tr(v.CATEGORY_NAMES[category]) if category in v.CATEGORY_NAMES else category,
                            measures=other.get("measures") or tr("another quantity")))
        if not notes:
            return ""
        return tr("Same size but a different quantity, not to be merged: {figures}.", figures="; ".join(notes))

    def _unknown_periods(
        self,
        figure: dict[str, Any],
        decision: v.Decision,
        interval: tuple[float, float],
        unit: str,
        gaps: list[str],
    ) -> str:
        """A figure no row explains, on dates some of which the data says nothing about."""
        basis = decision.basis
        assert basis is not None
        return self.tr(
            "{figure}: none of the values the data gives on the dates it may fall on explains it (nearest: the "
            "{where}, {low}–{high}, missing it by {miss}); but the data has nothing to compare it with {gaps}, "
            "where the figure may fall, so it can neither confirm nor refute it.",
            figure=quoted_figure(figure, self.tr), where=_where(basis, self.tr), low=self._num(basis.low, unit),
            high=self._num(basis.high, unit), miss=self._num(decision.miss, unit), gaps="; ".join(gaps),
        )

    def _spread(
        self, counterparts: list[v.Counterpart], roles: tuple[str, ...], definition: str, unit: str
    ) -> str:
        """Each depiction's value of one definition, from the smallest to the largest."""
        members = sorted(
            (c for c in counterparts if c.role in roles and c.definition == definition),
            key=lambda c: c.value,
        )
        return ", ".join(self.tr("{depiction} {value}", depiction=c.depiction, value=self._num(c.value, unit))
                         for c in members)

    def _explain(
        self,
        figure: dict[str, Any],
        category: str,
        decision: v.Decision,
        counterparts: list[v.Counterpart],
        interval: tuple[float, float],
        unit: str,
        day: dt.date | None,
    ) -> str:
        tr, num = self.tr, self._num
        quoted = quoted_figure(figure, tr)
        when = self._when(figure)
        verdict, basis = decision.verdict, decision.basis
        if verdict == v.NOT_MEASURABLE and basis is None:
            text = self._not_measurable(category, quoted, day)
            if category == "area_claim":
                length = self.measurements.line_length_km()
                text += " " + tr(
                    "As a band along the whole {depiction} line ({length} km) it would be {low}–{high} km deep on "
                    "average (bordermap.check.claim_band draws it).", depiction=self.dataset.default_depiction,
                    length=tr.number(length, 1), low=tr.number(interval[0] / length, 2),
                    high=tr.number(interval[1] / length, 2),
                )
            return text
        assert basis is not None
        got, where = num(basis.value, unit), _where(basis, tr)
        centre = (interval[0] + interval[1]) / 2.0
        off = tr.percent(centre / basis.value - 1.0, signed=True) if basis.value else tr("n/a")
        span = (
            _range(decision.low, decision.high, unit, tr)
            if decision.low is not None and decision.high is not None
            else ""
        )
        spread = self._spread(
            counterparts, _SAME, basis.definition, unit
        )
        said = {"figure": quoted, "got": got, "where": where, "off": off, "span": span, "when": when,
                "spread": spread, "definition": definition_text(basis.definition, tr), "depiction": basis.depiction}
        if verdict == v.NOT_MEASURABLE:  # a count above every documented count
            return tr(
                "{figure}: the data documents {got} ({where}) {when}. It lists only sections named in its sources, "
                "so its count is a lower bound: it can neither confirm nor refute a larger count.", **said,
            )
        if verdict == v.WITHIN:
            precision = (
                self.dataset.depiction(basis.depiction).get("precision_m") if basis.depiction else None
            )
            tolerance = tr.percent(v.TOLERANCE, 0)
            if v.agrees(centre, basis):
                text = (tr("{figure} agrees with the {where} ({got}, {off}), within {tolerance}: {span} with the "
                           "depiction's {precision} m precision.", tolerance=tolerance, precision=precision, **said)
                        if precision else
                        tr("{figure} agrees with the {where} ({got}, {off}), within {tolerance}: {span}.",
                           tolerance=tolerance, **said))
            else:
                text = (tr("{figure} lies within the uncertainty of the {where} ({got}, {off}): {span} with the "
                           "depiction's {precision} m precision.", precision=precision, **said)
                        if precision else
                        tr("{figure} lies within the uncertainty of the {where} ({got}, {off}): {span}.", **said))
            if spread.count(",") >= 1:
                text += " " + tr("The depictions {when} give: {spread}.", **said)
            return text
        if verdict == v.WITHIN_SPREAD:
            current = (v.REFERENCE, v.GENERALISED)
            members = [c for c in counterparts if c.role in current and c.definition == basis.definition]
            if len(members) == 1:
                precision = self.dataset.depiction(basis.depiction).get("precision_m") if basis.depiction else None
                return tr(
                    "{figure} lies within {span}, the {where} ({got}, {off}) with its {precision} m precision; it is "
                    "the only depiction current on that date, and a generalised one.", precision=precision, **said,
                )
            return tr(
                "{figure} lies inside the spread of the {definition} across the depictions {when}, {span} with their "
                "precision ({spread}); the depictions disagree and no detailed one gives it within its precision "
                "(nearest: {depiction}, {got}, {off}).", **said,
            )
        if verdict == v.LINE_VINTAGE:
            change = (
                self.measurements.change_between(basis.depiction, self._days(figure)[-1][0])
                if basis.depiction
                else None
            )
            vintage = (
                self.dataset.depiction(basis.depiction).get("vintage") if basis.depiction else None
            )
            if change:
                return tr(
                    "{figure} lies within {span}, the {definition} across depictions of different vintages "
                    "({spread}); nearest: {depiction} of {vintage}, {got} ({off}), which shows the line before it "
                    "changed on {change} (status history): the figure and the depictions may describe different "
                    "vintages of the line.", vintage=vintage, change=tr.day(change), **said,
                )
            return tr(
                "{figure} lies within {span}, the {definition} across depictions of different vintages ({spread}); "
                "nearest: {depiction} of {vintage}, {got} ({off}): the figure and the depictions may describe "
                "different vintages of the line.", vintage=vintage, **said,
            )
        if verdict == v.DEFINITION:
            ref = self._spread(counterparts, _SAME, "main line", unit)
            own = next(
                (
                    c.definition
                    for c in counterparts
                    if c.role in _SAME
                ),
                None,
            )
            other = self._spread(counterparts, (v.OTHER_DEFINITION,), basis.definition, unit)
            if own and ref:
                return tr(
                    "{figure} lies within {span}, the {definition} {when} ({other}); nearest: {depiction}, {got} "
                    "({off}) — not the {own} ({ref}): the figure may count that way.", other=other,
                    own=definition_text(own, tr),
                    ref=ref, **said,
                )
            return tr(
                "{figure} lies within {span}, the {definition} {when} ({other}); nearest: {depiction}, {got} "
                "({off}): the figure may count that way.", other=other, **said,
            )
        if verdict == v.MAP_SCALE:
            analysis = self.measurements.scale(basis.depiction or self.dataset.default_depiction)
            note = target_ruler(analysis, centre, tr).note
            # The span may join several depictions' intervals: each is named, so that it does not read
            # as one line's (osm2022 962.6–1,091.5 km and osm2017 972.2–1,101.3 km give 962.6–1,101.3 km).
            ranges = ", ".join(tr("{depiction} {value}", depiction=c.depiction, value=_range(c.low, c.high, unit, tr))
                               for c in counterparts if c.role == v.SCALE)
            if "extrapolated" in basis.definition:
                return tr("{figure} lies within {span}, the scale effect (extrapolated; {ranges}): {note}.",
                          note=note, ranges=ranges, **said)
            return tr("{figure} lies within {span}, the scale effect ({ranges}): {note}.", note=note, ranges=ranges,
                      **said)
        # unexplained
        comparable = [c for c in counterparts if c.role != v.CONTEXT]
        below = [c for c in comparable if c.high < interval[0]]
        above = [c for c in comparable if c.low > interval[1]]
        if not above or not below:
            position = (tr("above every value the data gives {when}", when=when) if not above
                        else tr("below every value the data gives {when}", when=when))
        else:
            lo, hi = max(below, key=lambda c: c.high), min(above, key=lambda c: c.low)
            position = tr(
                "between the {low_where} ({low}) and the {high_where} ({high})", low_where=_where(lo, tr),
                low=num(lo.value, unit), high_where=_where(hi, tr), high=num(hi.value, unit),
            )
        edge = decision.low if interval[1] < (decision.low or 0.0) else decision.high
        miss = num(decision.miss, unit)
        if edge:
            return tr(
                "{figure} is {position}; no explanation reaches it (the depictions' precision and spread, another "
                "vintage, another definition, the scale effect). The nearest, the {where} ({span}), misses it by "
                "{miss} ({relative} of {edge}).", position=position, miss=miss,
                relative=tr.percent(decision.miss / abs(edge)), edge=num(edge, unit), **said,
            )
        return tr(
            "{figure} is {position}; no explanation reaches it (the depictions' precision and spread, another "
            "vintage, another definition, the scale effect). The nearest, the {where} ({span}), misses it by "
            "{miss}.", position=position, miss=miss, **said,
        )

    def _not_measurable(self, category: str, quoted: str, day: dt.date | None) -> str:
        tr = self.tr
        if category in ("delimited_length", "undelimited_length"):
            if day:
                return tr(
                    "{figure}: the data does not record which stretches of the line were delimited on {day} (the "
                    "line's status on that date is undetermined), so the delimited length cannot be measured from "
                    "it.", figure=quoted, day=tr.day(day),
                )
            return tr(
                "{figure}: the data does not record which stretches of the line were delimited (the line's status "
                "on that date is undetermined), so the delimited length cannot be measured from it.", figure=quoted,
            )
        if category in ("casualties", "evacuated"):
            return tr("{figure}: a count of people, not a quantity geometry can measure.", figure=quoted)
        if category == "area_claim":
            return tr(
                "{figure}: the data has no polygon of the claimed territory, so the claim cannot be measured; the "
                "figures under 'measured' show the areas the data can measure near the line.", figure=quoted,
            )
        if category == "swap_area":
            return tr(
                "{figure}: the data has no polygons of exchanged plots (areas of kind swap_area); the swap ledger's "
                "totals (each exchange once) are listed under 'measured' for comparison.", figure=quoted,
            )
        if category == "enclave_area":
            return tr(
                "{figure}: no enclave of the data could be identified in the figure (give it an enclave_key), or "
                "the data has no polygon of it on that date.", figure=quoted,
            )
        return tr("{figure}: the data holds nothing this figure can be compared with.", figure=quoted)


def check_figures(
    dataset: Dataset,
    ids: Iterable[str] = (),
    extra: Iterable[dict[str, Any]] = (),
    register: bool = True,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """Check the figures of a dataset's register (all, or those with the given ids) and extra ones.

    With ``register=False`` only the ``extra`` figures are checked. ``lang`` is the language of
    the explanations and of ``settle`` (:mod:`bordermap.i18n`); verdicts and every other field
    stay machine values.

    Examples
    --------
    >>> import bordermap
    >>> [r["verdict"] for r in check_figures(bordermap.load("tests/data/mini"))]
    ['unexplained', 'not_measurable']
    """
    wanted = list(ids)
    known = {str(f.get("id")) for f in dataset.figures}
    missing = [i for i in wanted if i not in known]
    if missing:
        raise UsageError(f"no figure {', '.join(map(repr, missing))} in figures.json")
    extra = list(extra)
    for figure in extra:
        if figure.get("id") == "claim":
            check_claim_feature(dataset, figure)
    chosen = [f for f in dataset.figures if not wanted or f.get("id") in wanted] if register else []
    checker = Checker(dataset, messages(lang))
    everything = [*dataset.figures, *extra]
    return [checker.check(f, everything) for f in chosen + extra]


def summary_table(records: list[dict[str, Any]], lang: str = "en") -> pd.DataFrame:
    """One row per check for tables and reports: figure, date, speaker, compared value, ratio, verdict.

    Examples
    --------
    >>> import bordermap
    >>> summary_table(check_figures(bordermap.load("tests/data/mini"))).columns.tolist()
    ['figure_id', 'category', 'figure', 'date', 'speaker', 'compared_with', 'ratio', 'verdict']
    """
    tr = messages(lang)
    rows = []
    for r in records:
        basis = r["compared_with"]
        quoted = quoted_figure(r, tr) if isinstance(r.get("value"), (int, float)) else ""
        compared = ""
        ratio = r.get("ratio")
        if basis is not None:
            unit = r["measured_unit"]
            where = _where(v.Counterpart(basis["depiction"], basis["definition"], 0.0, 0.0, 0.0, ""), tr)
            # An interval counterpart (the scale effect) is shown as its interval, not a midpoint: also as
            # the nearest miss of an unexplained figure (1,684 km beside "1,036.7 km", ratio 1.624, read as
            # a length the data gives).
            role = next((m.get("role") for m in r.get("measured") or []
                         if m.get("depiction") == basis["depiction"] and m.get("definition") == basis["definition"]),
                        None)
            scale = (r["verdict"] == v.MAP_SCALE or role == v.SCALE) and basis.get("low") is not None
            shown = (
                f"{_number(basis['low'], unit, tr)}–{_number(basis['high'], unit, tr)}"
                if scale
                else _number(basis["value"], unit, tr)
            )
            if scale:
                # A ratio to the interval's middle would read as "x % off"; the interval says it.
                ratio = None
            compared = f"{shown} ({where})"
            # No row explains the figure: the value shown is the nearest miss, and says so. Inside the
            # spread, no depiction alone gives the figure: the value shown is the nearest of several.
            if r["verdict"] in (v.UNEXPLAINED, v.NOT_MEASURABLE, v.WITHIN_SPREAD):
                compared = tr("nearest: {value}", value=compared)
        rows.append(
            {
                "figure_id": r["figure_id"],
                "category": r["category"],
                "figure": quoted,
                "date": r.get("date"),
                "speaker": r.get("speaker"),
                "compared_with": compared,
                "ratio": ratio,
                "verdict": r["verdict"],
            }
        )
    columns = [
        "figure_id",
        "category",
        "figure",
        "date",
        "speaker",
        "compared_with",
        "ratio",
        "verdict",
    ]
    return pd.DataFrame(rows, columns=columns)
