"""Check each figure of a register: counterparts, difference, ratio, verdict and explanation.

The record of one check (the JSON output of ``bordermap check``) has the fields:

``figure_id``, ``category``, ``measures``, ``statement``, ``value``, ``value_max``, ``unit`` (as
quoted), ``speaker``, ``speaker_party``, ``date``, ``sources`` (``[{id, title, publisher, date,
url}]``), ``measured_unit``, ``measured`` (``[{depiction, definition, value, low, high, role}]``),
``compared_with`` (the counterpart the verdict rests on, or null), ``difference`` (figure minus
that value, in ``measured_unit``), ``ratio`` (figure / value), ``verdict``, ``explanation`` and
``settle`` (what data would settle the question, or null when the data already does).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from bordermap.check import verdicts as v
from bordermap.check.measured import Measurements
from bordermap.dates import parse_date
from bordermap.errors import DataError, UsageError
from bordermap.model import FIGURE_CATEGORIES, Dataset
from bordermap.scale import target_ruler

#: Quoted unit → (unit compared in, factor).
UNITS: dict[str, tuple[str, float]] = {
    "km": ("km", 1.0),
    "m": ("km", 0.001),
    "km2": ("km²", 1.0),
    "km²": ("km²", 1.0),
    "sq km": ("km²", 1.0),
    "ha": ("km²", 0.01),
    "hectares": ("km²", 0.01),
}

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
    r"^\s*(?P<cat>[a-z_]+)\s*=\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>[^\s0-9].*)?$"
)

SETTLE = {
    "border_length": (
        "the official line itself: the turning-point coordinates of the delimitation description "
        "(the 2025 treaty's annexes), with the method and map scale the length was measured at"
    ),
    "delimited_length": (
        "the commissions' protocols listing the stretches agreed by each date (turning points or "
        "chainage), so that each stretch's status can be recorded on the line"
    ),
    "section_count": "a dated list of the sections the commissions count, with their locations",
    "area_claim": (
        "a map of the claimed territory — the line the claim rests on (e.g. the 1924–1927 "
        "delimitation documents) — digitised as polygons (areas of kind claim_area)"
    ),
    "enclave_area": "a survey of the enclave's boundary, or the area stated with its definition",
    "swap_area": "the treaty's maps of the exchanged plots, digitised as areas of kind swap_area",
    "people": (
        "attributed reports (incidents.geojson keeps each figure with who reported it); geometry cannot count people"
    ),
    "other": "a definition of the quantity that can be measured on the line or the areas",
}
SETTLE["undelimited_length"] = SETTLE["delimited_length"]


def parse_claim(text: str, date: dt.date | str | None = None) -> dict[str, Any]:
    """Turn ``CATEGORY=VALUE[UNIT]`` (e.g. ``border_length=971km``) into a figure record.

    Examples
    --------
    >>> f = parse_claim("area_claim=2,110 km2", "2022-09-24")
    >>> f["category"], f["value"], f["unit"], f["date"]
    ('area_claim', 2110.0, 'km2', '2022-09-24')
    """
    match = _CLAIM.match(text)
    if not match:
        raise UsageError(
            f"--claim {text!r}: expected CATEGORY=VALUE[UNIT], e.g. border_length=971km"
        )
    category = match["cat"]
    if category not in FIGURE_CATEGORIES:
        raise UsageError(
            f"--claim {text!r}: unknown category {category!r}; one of {', '.join(FIGURE_CATEGORIES)}"
        )
    value = float(match["num"].replace(",", ""))
    if not math.isfinite(value) or value > 1e12:
        shown = match["num"] if len(match["num"]) <= 24 else f"{match['num'][:12]}… ({len(match['num'])} digits)"
        raise UsageError(f"--claim: the value {shown} is not a length or area of this world")
    return {
        "id": "claim",
        "category": category,
        "value": value,
        "value_max": None,
        "unit": (match["unit"] or "").strip(),
        "measures": "figure given on the command line",
        "statement": text.strip(),
        "speaker": "command line",
        "speaker_party": None,
        "date": None if date is None else str(date),
        "source_ids": [],
    }


def _number(value: float, unit: str) -> str:
    if unit in ("km", "km²"):
        return f"{value:,.1f} {unit}" if abs(value) < 100_000 else f"{value:,.0f} {unit}"
    return f"{value:,.0f} {unit}".strip()


def _where(c: v.Counterpart) -> str:
    return c.definition + (f" of {c.depiction}" if c.depiction else "")


def _quoted(figure: dict[str, Any]) -> str:
    top = f"–{figure['value_max']:,g}" if figure.get("value_max") is not None else ""
    return f"{figure['value']:,g}{top} {figure.get('unit') or ''}".strip()


class Checker:
    """Checks figures against one dataset (measurements are shared between figures)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.measurements = Measurements(dataset)

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
            return self._record(
                figure,
                category,
                [],
                None,
                v.NOT_MEASURABLE,
                f"{figure.get('statement') or fid}: the figure has no number to compare.",
                None,
            )
        try:
            value = float(figure["value"])
            value_max = None if figure.get("value_max") is None else float(figure["value_max"])
            day = parse_date(figure["date"]) if figure.get("date") else None
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"figures.json:{fid} /value or /date: cannot be read ({exc})") from exc
        quoted_unit = str(figure.get("unit") or "")
        unit, factor = UNITS.get(quoted_unit.lower(), (quoted_unit, 1.0))
        low, high = v.figure_interval(value, value_max)
        interval = (low * factor, high * factor)
        if category in MEASURED_UNIT and unit != MEASURED_UNIT[category]:
            text = (
                f"{_quoted(figure)}: quoted in {quoted_unit or 'no unit'}; the data measures this category "
                f"in {MEASURED_UNIT[category]}."
            )
            return self._record(
                figure, category, [], None, v.NOT_MEASURABLE, text, value * factor, unit
            )
        handler = self._handlers().get(category, self._unmeasurable)
        counterparts, line_changed = handler(figure, day)
        verdict, basis = v.decide(interval, counterparts, line_changed)
        verdict, explanation = self._explain(
            figure, category, verdict, basis, counterparts, interval, unit, day, line_changed
        )
        others = self._same_size(figure, register)
        if others:
            explanation += " " + others
        return self._record(
            figure, category, counterparts, basis, verdict, explanation, value * factor, unit
        )

    def _record(
        self,
        figure: dict[str, Any],
        category: str,
        counterparts: list[v.Counterpart],
        basis: v.Counterpart | None,
        verdict: str,
        explanation: str,
        scaled: float | None,
        unit: str | None = None,
    ) -> dict[str, Any]:
        fid = figure.get("id", "?")
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
            "sources": self._sources(figure),
            "measured_unit": unit,
            "measured": [c.record() for c in counterparts],
            "compared_with": None
            if basis is None
            else {
                "depiction": basis.depiction,
                "definition": basis.definition,
                "value": basis.value,
            },
            "difference": None if basis is None or scaled is None else scaled - basis.value,
            "ratio": None
            if basis is None or scaled is None or basis.value == 0
            else scaled / basis.value,
            "verdict": verdict,
            "explanation": explanation,
            "settle": None if verdict == v.WITHIN else SETTLE.get(self._settle_key(category)),
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
    def _same_size(figure: dict[str, Any], register: Iterable[dict[str, Any]]) -> str:
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
            notes.append(
                f"{other['id']} ({other['category']}: {other.get('measures') or 'another quantity'})"
            )
        if not notes:
            return ""
        return "Same size but a different quantity, not to be merged: " + "; ".join(notes) + "."

    def _explain(
        self,
        figure: dict[str, Any],
        category: str,
        verdict: str,
        basis: v.Counterpart | None,
        counterparts: list[v.Counterpart],
        interval: tuple[float, float],
        unit: str,
        day: dt.date | None,
        line_changed: str | None,
    ) -> tuple[str, str]:
        quoted = _quoted(figure)
        when = f" on {day}" if day else ""
        if verdict == v.NOT_MEASURABLE:
            text = self._not_measurable(category, quoted, day)
            if category == "area_claim":
                length = self.measurements.line_length_km()
                text += (
                    f" As a band along the whole {self.dataset.default_depiction} line ({length:,.1f} km) it "
                    f"would be {interval[0] / length:,.2f}–{interval[1] / length:,.2f} km deep on average "
                    "(bordermap.check.claim_band draws it)."
                )
            return verdict, text
        assert basis is not None
        got = _number(basis.value, unit)
        where = _where(basis)
        if verdict == v.WITHIN:
            text = (
                f"{quoted} agrees with the {where} ({got}; {_number(basis.low, unit)}–"
                f"{_number(basis.high, unit)} with the depiction's precision) within the figure's rounding."
            )
        elif verdict == v.LINE_VINTAGE and v.overlaps(interval, basis):
            vintage = (
                self.dataset.depiction(basis.depiction).get("vintage") if basis.depiction else None
            )
            text = (
                f"{quoted} matches the {where} ({got}), which shows the line of {vintage}; the line changed "
                f"on {self.measurements.change_between(basis.depiction, day) if basis.depiction else '?'} "
                "(status history), so the figure and the current depictions describe different vintages."
            )
        elif verdict == v.LINE_VINTAGE:
            text = (
                f"{quoted} dates from after the line changed on {line_changed}; every depiction in the data "
                f"is older, so the figure may describe the new line, which the data does not show "
                f"(nearest: {got}, {where})."
            )
        elif verdict == v.DEFINITION:
            ref = [
                c for c in counterparts if c.role == v.REFERENCE and c.depiction == basis.depiction
            ]
            alone = (
                f", not the {ref[0].definition} alone ({_number(ref[0].value, unit)})"
                if ref
                else ""
            )
            text = (
                f"{quoted} matches the {where} ({got}){alone}: the figure likely counts that way."
            )
        elif verdict == v.MAP_SCALE and "rulers" in basis.definition:
            analysis = self.measurements.scale(basis.depiction or self.dataset.default_depiction)
            main = next(
                (
                    c.value
                    for c in counterparts
                    if c.depiction == basis.depiction and c.definition == "main line"
                ),
                None,
            )
            text = (
                f"{quoted} lies within {_number(basis.low, unit)}–{_number(basis.high, unit)}, the length of "
                f"the {basis.depiction} line measured with rulers of 50–200 m as on 1:100,000–1:200,000 "
                f"maps ({basis.note}). The line as stored (median vertex spacing "
                f"{analysis.median_vertex_spacing_m:,.0f} m) measures {_number(main or 0, unit)}: "
                "the difference is the scale the line is drawn and measured at."
            )
        elif verdict == v.MAP_SCALE:
            precision = (
                self.dataset.depiction(basis.depiction).get("precision_m")
                if basis.depiction
                else None
            )
            text = (
                f"{quoted} matches the {where} ({got}), a generalised depiction (precision {precision} m): "
                "the figure may come from a small-scale map."
            )
        elif category == "section_count" and interval[0] > max(c.high for c in counterparts):
            verdict = v.NOT_MEASURABLE
            text = (
                f"{quoted}: the data documents {got} ({where}){when}. It lists only sections named in "
                "its sources, so its count is a lower bound: it can neither confirm nor refute a larger "
                "count."
            )
        else:
            centre = (interval[0] + interval[1]) / 2.0
            comparable = [c for c in counterparts if c.role != v.CONTEXT]
            below = [c for c in comparable if c.high < centre]
            above = [c for c in comparable if c.low > centre]
            if not above or not below:
                extreme = (
                    max(below, key=lambda c: c.high)
                    if not above
                    else min(above, key=lambda c: c.low)
                )
                position = (
                    f"{'above' if not above else 'below'} every value the data gives{when} "
                    f"({'largest' if not above else 'smallest'}: {_number(extreme.value, unit)}, "
                    f"{_where(extreme)})"
                )
            else:
                lo, hi = max(below, key=lambda c: c.high), min(above, key=lambda c: c.low)
                position = (
                    f"between the {_where(lo)} ({_number(lo.value, unit)}) and the "
                    f"{_where(hi)} ({_number(hi.value, unit)}) but matches neither"
                )
            text = (
                f"{quoted} is {position}; neither the depictions' spread, another line vintage, another "
                "definition nor map scale accounts for it."
            )
            if category == "border_length":
                text += self._ruler_hint(centre)
        if line_changed and verdict != v.LINE_VINTAGE:
            text += f" Note: the line changed on {line_changed}, after every depiction's vintage."
        return verdict, text

    def _ruler_hint(self, length_km: float) -> str:
        hints = []
        for depiction in filter(self.measurements.detailed, self.dataset.depictions):
            target = target_ruler(self.measurements.scale(depiction), length_km)
            if target.ruler_m is not None:
                hints.append(
                    f"{depiction} measures that much with a ruler of about {target.ruler_m:,.0f} m"
                )
        return (" For scale: " + "; ".join(hints) + ".") if hints else ""

    def _not_measurable(self, category: str, quoted: str, day: dt.date | None) -> str:
        if category in ("delimited_length", "undelimited_length"):
            return (
                f"{quoted}: the data does not record which stretches of the line were delimited"
                f"{f' on {day}' if day else ''} (the line's status on that date is undetermined), "
                "so the delimited length cannot be measured from it."
            )
        if category in ("casualties", "evacuated"):
            return f"{quoted}: a count of people, not a quantity geometry can measure."
        if category == "area_claim":
            return (
                f"{quoted}: the data has no polygon of the claimed territory, so the claim cannot be "
                "measured; the figures under 'measured' show the areas the data can measure near the line."
            )
        if category == "swap_area":
            return (
                f"{quoted}: the data has no polygons of exchanged plots (areas of kind swap_area); the "
                "swaps itemised in sections are listed under 'measured' for comparison."
            )
        if category == "enclave_area":
            return (
                f"{quoted}: no enclave of the data could be identified in the figure (give it an "
                "enclave_key), or the data has no polygon of it on that date."
            )
        return f"{quoted}: the data holds nothing this figure can be compared with."


def check_figures(
    dataset: Dataset,
    ids: Iterable[str] = (),
    extra: Iterable[dict[str, Any]] = (),
    register: bool = True,
) -> list[dict[str, Any]]:
    """Check the figures of a dataset's register (all, or those with the given ids) and extra ones.

    With ``register=False`` only the ``extra`` figures are checked.

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
    chosen = [f for f in dataset.figures if not wanted or f.get("id") in wanted] if register else []
    checker = Checker(dataset)
    everything = [*dataset.figures, *extra]
    return [checker.check(f, everything) for f in chosen + extra]


def summary_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per check for tables and reports: figure, date, speaker, compared value, ratio, verdict.

    Examples
    --------
    >>> import bordermap
    >>> summary_table(check_figures(bordermap.load("tests/data/mini"))).columns.tolist()
    ['figure_id', 'category', 'figure', 'date', 'speaker', 'compared_with', 'ratio', 'verdict']
    """
    rows = []
    for r in records:
        basis = r["compared_with"]
        quoted = _quoted(r) if isinstance(r.get("value"), (int, float)) else ""
        compared = (
            ""
            if basis is None
            else f"{_number(basis['value'], r['measured_unit'])} "
            f"({_where(v.Counterpart(**basis, low=0.0, high=0.0, role=''))})"
        )
        rows.append(
            {
                "figure_id": r["figure_id"],
                "category": r["category"],
                "figure": quoted,
                "date": r.get("date"),
                "speaker": r.get("speaker"),
                "compared_with": compared,
                "ratio": r.get("ratio"),
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
