"""What the data measures for a figure: counterparts per depiction, definition and date.

Everything is measured with :mod:`bordermap.measure` (exact geodesics) on the features that exist
on the figure's date (:mod:`bordermap.perspective`); lengths at official-map rulers come from
:mod:`bordermap.scale`. Only the pair's own lines count (``sides`` = the dataset's pair), and
features whose status on the date is ``abolished`` are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd

from bordermap.check.verdicts import (
    CONTEXT,
    GENERALISED,
    OTHER_DEFINITION,
    OTHER_VINTAGE,
    REFERENCE,
    SCALE,
    Counterpart,
)
from bordermap.dates import parse_date
from bordermap.i18n import N_, Messages, messages
from bordermap.measure import measure
from bordermap.model import DASHED_STATUSES, Dataset, is_set
from bordermap.perspective import exists_on, select, status_on
from bordermap.scale import ScaleAnalysis, analyse, scale_effect
from bordermap.swaps import totals as ledger_totals
from bordermap.timeline import covers

#: Depictions at least this precise (metres) count as detailed: 1 mm at 1:100,000, the scale of
#: official topographic maps. Only these can give a figure alone (role ``reference``; coarser ones
#: count in the spread) and get a scale-effect counterpart (their length at the rulers of official
#: maps); extrapolating a 1:10,000,000 line to 50 m rulers would mean nothing.
DETAILED_PRECISION_M = 100.0

#: Statuses under which a stretch of line counts as delimited.
DELIMITED = frozenset({"agreed", "delimited", "demarcated", "settled"})

#: What each counterpart measures (its ``definition``), as templates: the definitions are written
#: in English from these, and :func:`definition_text` writes one in another language.
DEFINITIONS: dict[str, str] = {
    "main": N_("main line"),
    "perimeters": N_("main line + enclave perimeters"),
    "rulers": N_("main line at rulers of {rulers} m (1:100k–1:200k maps)"),
    "rulers_extrapolated": N_("main line at rulers of {rulers} m (1:100k–1:200k maps), extrapolated"),
    "delimited": N_("main line {statuses}"),
    "undelimited": N_("main line not {statuses}"),
    "enclave": N_("area of {key}, drawn as an enclave"),
    "claims": N_("claim areas of {party}"),
    "swap_polygons": N_("swap area polygons"),
    "ledger": N_("swap ledger, each exchange once, to {party} (itemised by each side: {accounts})"),
    "itemised": N_("swaps itemised in sections, to {party}"),
    "sections": N_("sections documented, {party} view"),
    "disputed_sections": N_("sections disputed or undetermined, {party} view"),
    "sections_every_view": N_("sections documented, {parties} views alike"),
    "disputed_sections_every_view": N_("sections disputed or undetermined, {parties} views alike"),
    "enclaves_total": N_("the pair's enclaves, total area"),
    "divergence_total": N_("divergence between depictions, total area"),
}
_EN = messages("en")


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression that reads its values back (``{name}`` → a named group)."""
    parts = re.split(r"{(\w+)}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$")


def definition_text(definition: str, tr: Messages | None = None) -> str:
    """A counterpart's definition in the language of ``tr`` (as written when no template matches).

    Examples
    --------
    >>> definition_text("area of vorukh, drawn as an enclave", messages("ru"))
    'площадь vorukh, изображённого как анклав'
    >>> definition_text("something else", messages("ru"))
    'something else'
    """
    tr = tr or _EN
    if tr.lang == "en":
        return definition
    # the most specific template first: "…, extrapolated" before "…"
    for template in sorted(DEFINITIONS.values(), key=len, reverse=True):
        found = _pattern(template).match(definition)
        if found:
            values = found.groupdict()
            if "statuses" in values:  # "agreed/delimited/…": statuses are words of the interface
                values["statuses"] = "/".join(tr(status) for status in values["statuses"].split("/"))
            return tr(template, **values)
    return definition


#: Feature properties kept in measurement tables, and those the as-of rule reads.
_CARRY = ("sides", "enclave_key", "claimed_by", "administered_by", "surrounded_by")
_DATED = ("valid_from", "valid_to", "status_history")


def _pair_rows(table: pd.DataFrame, pair: tuple[str, str]) -> pd.DataFrame:
    if "sides" not in table.columns:
        return table
    keep = table["sides"].map(lambda s: isinstance(s, (list, tuple)) and set(s) == set(pair))
    return table[keep.astype(bool)]


@dataclass
class Measurements:
    """Counterparts of figures in one dataset, with the expensive parts computed once."""

    dataset: Dataset
    _scales: dict[str, ScaleAnalysis] = field(default_factory=dict)
    _tables: dict[tuple[str, dt.date | None], pd.DataFrame] = field(default_factory=dict)
    _periods: dict[tuple[tuple[str, ...], str], list[tuple[dt.date | None, str]]] = field(default_factory=dict)

    @cached_property
    def line_changes(self) -> list[dt.date]:
        """Dates the pair's line changed status (from the main lines' status histories)."""
        boundary = self.dataset.layer("boundary")
        if "status_history" not in boundary.columns:
            return []
        rows = _pair_rows(boundary.drop(columns="geometry"), self.dataset.pair)
        dates = {
            parse_date(entry["from"])
            for history in rows["status_history"]
            if isinstance(history, list)
            for entry in history
            if entry.get("from")
        }
        return sorted(dates)

    def vintage(self, depiction: str) -> dt.date | None:
        """The date a depiction shows (start of its vintage period)."""
        value = self.dataset.depiction(depiction).get("vintage")
        return parse_date(value) if value else None

    def change_between(self, depiction: str, day: dt.date | None) -> dt.date | None:
        """The first line change between a depiction's vintage and a day (either order)."""
        vintage = self.vintage(depiction)
        if day is None or vintage is None:
            return None
        lo, hi = sorted((vintage, day))
        return next((c for c in self.line_changes if lo < c <= hi), None)

    def detailed(self, depiction: str) -> bool:
        """Whether a depiction is precise enough to stand for an official survey line."""
        return (
            float(self.dataset.depiction(depiction).get("precision_m") or 0.0)
            <= DETAILED_PRECISION_M
        )

    def precision_km(self, depiction: str) -> float:
        """A depiction's stated horizontal precision in km."""
        return float(self.dataset.depiction(depiction).get("precision_m") or 0.0) / 1000.0

    def scale(self, depiction: str) -> ScaleAnalysis:
        """A depiction's length against ruler, exactly as ``bordermap scale`` computes it."""
        if depiction not in self._scales:
            self._scales[depiction] = analyse(self.dataset, depiction)
        return self._scales[depiction]

    def periods(
        self, layers: tuple[str, ...] = ("boundary", "areas"), tr: Messages | None = None
    ) -> list[tuple[dt.date | None, str]]:
        """One day in each period between the dates anything in some layers changes, with a label.

        An undated figure is compared with the data on each of these days (every date). The
        layers are those its counterparts are measured on (section counts: ``sections``). The
        labels are in the language of ``tr`` (English by default: "before 2025-03-31").
        """
        tr = tr or _EN
        if (layers, tr.lang) in self._periods:
            return self._periods[(layers, tr.lang)]
        dates: set[dt.date] = set()
        for layer in layers:
            frame = self.dataset.layer(layer)
            for column in ("valid_from", "valid_to"):
                if column in frame.columns:
                    dates |= {parse_date(d) for d in frame[column].dropna() if d}
            if "status_history" in frame.columns:
                for history in frame["status_history"]:
                    for entry in history if isinstance(history, list) else []:
                        dates |= {parse_date(entry[k]) for k in ("from", "to") if entry.get(k)}
        out: list[tuple[dt.date | None, str]] = [(None, tr("every date"))]
        if dates:
            bounds = sorted(dates)
            # A change on the first day of the calendar (0001-01-01) leaves no day before it.
            out = ([] if bounds[0] == dt.date.min
                   else [(bounds[0] - dt.timedelta(days=1), tr("before {date}", date=tr.date(bounds[0])))])
            for i, start in enumerate(bounds):
                out.append((start, tr("from {start} to {end}", start=tr.date(start),
                                      end=tr.date(bounds[i + 1] - dt.timedelta(days=1)))
                            if i + 1 < len(bounds) else tr("from {date}", date=tr.date(start))))
        self._periods[(layers, tr.lang)] = out
        return out

    def _table(self, layer: str, day: dt.date | None) -> pd.DataFrame:
        """A layer's measurements as of a day (cached), without what was abolished by then.

        The layer is measured once; the as-of rule (:mod:`bordermap.perspective`) then picks the
        features that exist on the day and their status. Undated figures are compared with every
        feature, abolished or not: their time is unknown.
        """
        key = (layer, day)
        if key in self._tables:
            return self._tables[key]
        if (layer, None) not in self._tables:
            carry = [c for c in (*_CARRY, *_DATED) if c in self.dataset.layer(layer).columns]
            self._tables[(layer, None)] = measure(self.dataset, [layer], carry=carry)
        table = self._tables[(layer, None)]
        if day is not None and len(table):
            records = table.to_dict("records")
            table = table.assign(status=[status_on(r, day) for r in records])
            exists = pd.Series([exists_on(r, day) for r in records], index=table.index, dtype=bool)
            table = table[exists & (table["status"] != "abolished")]
        self._tables[key] = table
        return table

    def _role(self, depiction: str, day: dt.date | None, same_definition: bool) -> str:
        """A depiction's value: another definition, another vintage, or current — detailed or not.

        A current detailed depiction is a ``reference`` (it alone can give a figure within its
        precision); a current generalised one counts in the spread of the depictions only.
        """
        if not same_definition:
            return OTHER_DEFINITION
        if self.change_between(depiction, day):
            return OTHER_VINTAGE
        return REFERENCE if self.detailed(depiction) else GENERALISED

    def lengths(self, day: dt.date | None) -> list[Counterpart]:
        """Border-length counterparts.

        Each depiction's main line, alone and with the pair's enclave perimeters, and its length at
        official-map rulers.
        """
        table = _pair_rows(self._table("boundary", day), self.dataset.pair)
        out: list[Counterpart] = []
        for depiction in self.dataset.depictions:
            rows = table[table["depiction"] == depiction]
            if rows.empty:
                continue
            parts = (
                rows["part"].fillna("main")
                if "part" in rows.columns
                else pd.Series("main", index=rows.index)
            )
            main = float(rows.loc[parts == "main", "length_km"].sum())
            enclaves = float(rows.loc[parts == "enclave", "length_km"].sum())
            tol = 2.0 * self.precision_km(depiction)  # the line's two ends are this uncertain
            out.append(
                Counterpart(
                    depiction,
                    _EN(DEFINITIONS["main"]),
                    main,
                    main - tol,
                    main + tol,
                    self._role(depiction, day, True),
                )
            )
            if enclaves > 0:
                total = main + enclaves
                out.append(
                    Counterpart(
                        depiction,
                        _EN(DEFINITIONS["perimeters"]),
                        total,
                        total - tol,
                        total + tol,
                        self._role(depiction, day, False),
                    )
                )
            if self.detailed(depiction):
                out.append(self._ruler_range(depiction))
        return out

    def _ruler_range(self, depiction: str) -> Counterpart:
        """The scale effect (:func:`bordermap.scale.scale_effect`) as a counterpart."""
        effect = scale_effect(self.scale(depiction))
        rulers = f"{effect.rulers_m[0]:,.0f}–{effect.rulers_m[1]:,.0f}"
        return Counterpart(
            depiction,
            _EN(DEFINITIONS["rulers_extrapolated" if effect.extrapolated else "rulers"], rulers=rulers),
            (effect.low_km + effect.high_km) / 2.0,
            effect.low_km,
            effect.high_km,
            SCALE,
            effect.describe(),
        )

    def delimited(self, day: dt.date | None, complement: bool = False) -> list[Counterpart]:
        """Delimited (or, with ``complement``, undelimited) length on a day, per depiction.

        Measurable only when every stretch of the main line has a known status on the day: a
        status of ``undetermined`` means the data does not know.
        """
        out = []
        table = _pair_rows(self._table("boundary", day), self.dataset.pair)
        if "part" in table.columns:
            table = table[table["part"] == "main"]
        for depiction in self.dataset.depictions:
            rows = table[table["depiction"] == depiction]
            if rows.empty or (rows["status"] == "undetermined").any():
                continue
            lengths = rows["length_km"]
            done = float(lengths[rows["status"].isin(DELIMITED)].sum())
            value = float(lengths.sum()) - done if complement else done
            tol = 2.0 * self.precision_km(depiction)
            out.append(
                Counterpart(
                    depiction,
                    _EN(DEFINITIONS["undelimited" if complement else "delimited"],
                        statuses="/".join(sorted(DELIMITED))),
                    value,
                    value - tol,
                    value + tol,
                    self._role(depiction, day, True),
                )
            )
        return out

    def enclave_areas(self, day: dt.date | None, key: str | None) -> list[Counterpart]:
        """Area of one enclave per depiction (uncertainty: perimeter × precision)."""
        table = self._table("areas", day)
        if table.empty or key is None or "enclave_key" not in table.columns:
            return []
        rows = table[(table["kind"] == "enclave") & (table["enclave_key"] == key)]
        out = []
        for _, row in rows.iterrows():
            tol = float(row["length_km"]) * self.precision_km(row["depiction"])
            area = float(row["area_km2"])
            out.append(
                Counterpart(
                    row["depiction"],
                    _EN(DEFINITIONS["enclave"], key=key),
                    area,
                    area - tol,
                    area + tol,
                    self._role(row["depiction"], day, True),
                )
            )
        return out

    def claim_areas(self, day: dt.date | None, party: str | None) -> list[Counterpart]:
        """Areas of ``claim_area`` polygons claimed by a party."""
        table = self._table("areas", day)
        if table.empty or "claimed_by" not in table.columns:
            return []
        claimed = table["claimed_by"].map(lambda c: isinstance(c, list) and party in c)
        rows = table[(table["kind"] == "claim_area") & claimed.astype(bool)]
        out = []
        for depiction, group in rows.groupby("depiction", dropna=False):
            area = float(group["area_km2"].sum())
            tol = float(group["length_km"].sum()) * self.precision_km(str(depiction))
            out.append(
                Counterpart(
                    str(depiction),
                    _EN(DEFINITIONS["claims"], party=party),
                    area,
                    area - tol,
                    area + tol,
                    REFERENCE,
                )
            )
        return out

    def swap_areas(self, day: dt.date | None) -> list[Counterpart]:
        """Exchanged areas: ``swap_area`` polygons.

        The hectares of the swap ledger (each exchange once, :func:`bordermap.swaps.totals`) are
        shown beside them, or, for a dataset without a ledger, those itemised in sections' swaps
        (totals per recipient, not comparable with one plot's figure).
        """
        out = []
        table = self._table("areas", day)
        if not table.empty:
            for depiction, group in table[table["kind"] == "swap_area"].groupby(
                "depiction", dropna=False
            ):
                area = float(group["area_km2"].sum())
                tol = float(group["length_km"].sum()) * self.precision_km(str(depiction))
                out.append(
                    Counterpart(
                        str(depiction),
                        _EN(DEFINITIONS["swap_polygons"]),
                        area,
                        area - tol,
                        area + tol,
                        REFERENCE,
                    )
                )
        sections = self.dataset.layer("sections")
        if self.dataset.swaps:
            summed = ledger_totals(self.dataset.swaps)
            accounts = summed.accounts_counts(self.dataset.meta.get("pair", []))
            for party, hectares in summed.received_ha.items():
                km2 = hectares / 100.0
                out.append(
                    Counterpart(
                        None, _EN(DEFINITIONS["ledger"], party=party, accounts=accounts), km2, km2, km2,
                        CONTEXT,
                    )
                )
        elif "swaps" in sections.columns:
            totals: defaultdict[str, float] = defaultdict(float)
            for swaps in sections["swaps"]:
                for swap in swaps if isinstance(swaps, list) else []:
                    totals[str(swap.get("to"))] += float(swap.get("hectares") or 0.0) / 100.0
            for party, km2 in sorted(totals.items()):
                out.append(
                    Counterpart(
                        None, _EN(DEFINITIONS["itemised"], party=party), km2, km2, km2, CONTEXT
                    )
                )
        return out

    def section_counts(self, day: dt.date | None) -> list[Counterpart]:
        """Sections documented on a day, counted in each party's view, all and disputed only.

        Counting in each party's view means that a section drawn differently by each claimant
        counts once. A section counts on a day its status history covers: one whose first
        recorded dispute comes later is not yet documented then (the data would call it
        "undetermined", which says only that it knows nothing of it).
        """
        counts: dict[str, tuple[int, int]] = {}
        for party in self.dataset.pair:
            view = select(self.dataset.layer("sections"), party, day)
            if day is not None and len(view) and "status_history" in view.columns:
                # Documented on the day: a section whose recorded history says nothing of that day (its
                # first dispute is reported later) is not counted, as "undetermined" would count it.
                known = [not is_set(h) or any(covers(e, day) for e in h) for h in view["status_history"]]
                view = view[pd.Series(known, index=view.index, dtype=bool)]
            counts[party] = (len(view), int(view["status"].isin(DASHED_STATUSES).sum()) if len(view) else 0)
        out = []
        for i, (key, role) in enumerate((("sections", REFERENCE), ("disputed_sections", OTHER_DEFINITION))):
            values = {party: pair[i] for party, pair in counts.items()}
            if len(values) > 1 and len(set(values.values())) == 1:
                # Both parties' views give the same count: say so, rather than name the first party's view alone.
                n = next(iter(values.values()))
                out.append(Counterpart(None, _EN(DEFINITIONS[f"{key}_every_view"], parties="/".join(values)),
                                       n, n, n, role))
                continue
            out += [Counterpart(None, _EN(DEFINITIONS[key], party=party), n, n, n, role) for party, n in values.items()]
        return out

    def area_context(self, day: dt.date | None) -> list[Counterpart]:
        """Areas the data can measure near the line, shown beside area claims.

        These are the enclaves and the divergence between depictions.
        """
        out: list[Counterpart] = []
        table = self._table("areas", day)
        if not table.empty:
            pair = set(self.dataset.pair)
            if not {"administered_by", "surrounded_by"} <= set(table.columns):
                return out
            mine = table["administered_by"].isin(pair) & table["surrounded_by"].isin(pair)
            for depiction, group in table[(table["kind"] == "enclave") & mine].groupby("depiction"):
                area = float(group["area_km2"].sum())
                out.append(
                    Counterpart(
                        str(depiction), _EN(DEFINITIONS["enclaves_total"]), area, area, area, CONTEXT
                    )
                )
        divergence = self.divergence_frame
        if len(divergence):
            for pair, group in divergence.groupby(
                divergence["depictions"].map(lambda d: "/".join(d))
            ):
                area = float(group["area_km2"].sum())
                out.append(
                    Counterpart(
                        pair, _EN(DEFINITIONS["divergence_total"]), area, area, area, CONTEXT
                    )
                )
        return out

    @cached_property
    def divergence_frame(self) -> gpd.GeoDataFrame:
        """The dataset's divergence layer, or divergence computed as ``make data`` does."""
        layer = self.dataset.layer("divergence")
        if len(layer):
            return layer
        from bordermap.diverge import divergence_layer

        return divergence_layer(self.dataset.layers, self.dataset.meta)

    def line_length_km(self, depiction: str | None = None) -> float:
        """Length of a depiction's main line (default depiction)."""
        name = depiction or self.dataset.default_depiction
        table = _pair_rows(self._table("boundary", None), self.dataset.pair)
        parts = table["part"] if "part" in table.columns else pd.Series("main", index=table.index)
        return float(table.loc[(table["depiction"] == name) & (parts == "main"), "length_km"].sum())
