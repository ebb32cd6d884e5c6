"""Cartographic conventions shared by the HTML and static maps.

Following the UN and Natural Earth conventions: agreed, delimited, demarcated and settled lines are
solid; disputed and undetermined lines are dashed (undetermined with a finer dash). A line whose
status says it is fixed but whose course no source publishes (``course_history``; the bundled
depictions all predate the 2025 treaty) is never drawn solid: it is drawn dash-dot, as
"<status>, course not published" (:func:`drawn_status`), so that no depiction passes for the
agreed line. Countries take their colour from the one palette of :mod:`bordermap.palette`, the
same in every dataset; depictions of the line take distinct colours from a colour-blind-safe
palette (Okabe–Ito), in the order the dataset lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordermap.i18n import N_, Messages, messages
from bordermap.model import AGREED_STATUSES, STATUSES, Dataset
from bordermap.palette import country_fill

#: Okabe–Ito palette without yellow (poor on white) and black (kept for the default depiction).
DEPICTION_PALETTE: tuple[str, ...] = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
NEUTRAL_GREY = "#7f7f7f"

#: Suffix of the drawn status of a fixed line whose course is not published.
NOT_PUBLISHED = "course not published"

#: Every key a map draws a feature by: the statuses, then each fixed status without a known course.
DRAWN_STATUSES: tuple[str, ...] = (
    *STATUSES,
    *(f"{s}, {NOT_PUBLISHED}" for s in STATUSES if s in AGREED_STATUSES),
)

#: Dash-dot: a status that says the line is fixed, drawn where only a depiction puts it.
NOT_PUBLISHED_DASH: tuple[float, ...] = (5.0, 1.5, 1.0, 1.5)

#: Dash pattern per drawn status, in units of line width (None: solid).
STATUS_DASH: dict[str, tuple[float, ...] | None] = {
    "agreed": None,
    "delimited": None,
    "demarcated": None,
    "settled": None,
    "disputed": (4.0, 2.5),
    "undetermined": (1.5, 2.0),
    "abolished": (0.5, 2.5),
    **{f"{s}, {NOT_PUBLISHED}": NOT_PUBLISHED_DASH for s in STATUSES if s in AGREED_STATUSES},
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
STATUS_FILL |= {f"{s}, {NOT_PUBLISHED}": STATUS_FILL[s] for s in STATUSES if s in AGREED_STATUSES}


def drawn_status(status: str, course: str) -> str:
    """The key a map draws a feature by, from its status and what is known of its course.

    A fixed status (agreed … settled) is drawn as such only when the course is ``published``.

    Examples
    --------
    >>> drawn_status("settled", "not_published"), drawn_status("settled", "published")
    ('settled, course not published', 'settled')
    >>> drawn_status("disputed", "depicted")
    'disputed'
    """
    if status in AGREED_STATUSES and course != "published":
        return f"{status}, {NOT_PUBLISHED}"
    return status

#: Fill colour of a section or enclave in a country's view, by what that country's recorded
#: positions say of it (``stance`` enum of ``schema/defs.json``); the dash still follows the status.
STANCE_FILL: dict[str, str] = {
    "claims": "#6a3d9a",
    "claims_held_by_other": "#b15928",
    "concedes": "#1b9e77",
    "undetermined": "#fdbf6f",
    "shared": "#b2df8a",
}

#: Legend wording of each stance, after "<country> says:" (static maps) or under a heading.
STANCE_LEGEND: dict[str, str] = {
    "claims": N_("its own"),
    "claims_held_by_other": N_("its own, held by the other side"),
    "concedes": N_("the other side's"),
    "undetermined": N_("not yet determined"),
    "shared": N_("shared"),
}


@dataclass(frozen=True)
class LineStyle:
    """How to draw a line: colour, width in pixels/points, dash pattern in units of width."""

    color: str
    width: float
    dash: tuple[float, ...] | None

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
    """Style of a boundary line of a given drawn status (:func:`drawn_status`)."""
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
DEFAULT_DISCLAIMER = N_(
    "Boundaries, names and figures shown do not imply endorsement or acceptance by the "
    "authors. Lines are depictions from the sources named; none is an official delimitation."
)


def dataset_title(dataset: Dataset, tr: Messages | None = None) -> str:
    """The dataset's title: the catalogue's translation where it has one, else as written (else its id).

    Examples
    --------
    >>> import bordermap
    >>> dataset_title(bordermap.load()), dataset_title(bordermap.load(), messages("ru"))
    ('Kyrgyzstan–Tajikistan border', 'Кыргызско-таджикская граница')
    """
    text = str(dataset.meta.get("title") or dataset.meta.get("id") or "")
    return tr(text) if tr is not None and text else text


def disclaimer(dataset: Dataset, tr: Messages | None = None) -> str:
    """The dataset's disclaimer, or the project's neutral default, in the language of ``tr``.

    A catalogue translation of the dataset's own text if there is one; otherwise the project's
    translated default followed by the dataset's text as written (never a disclaimer left out).

    Examples
    --------
    >>> import bordermap
    >>> disclaimer(bordermap.load(), messages("ru")).startswith("Показанные границы")
    True
    """
    text = str(dataset.meta.get("disclaimer") or DEFAULT_DISCLAIMER)
    if tr is None or tr.lang == "en" or tr(text) != text:
        return tr(text) if tr is not None else text
    return f"{tr(DEFAULT_DISCLAIMER)} {text}"


def course_legend(dataset: Dataset, short: bool = False, tr: Messages | None = None) -> list[str]:
    """What the maps draw where a fixed status has no published course, one line per case.

    Read from the boundary layer's ``course_history``: the status, since when, on whose word,
    and which depictions draw the line instead (with their vintage). ``short`` names the
    depictions by id, for a printed legend. ``tr`` gives the language (English by default).

    Examples
    --------
    >>> import bordermap
    >>> line = course_legend(bordermap.load())[0]
    >>> line.startswith("settled from 2025-03-31 per "), "— course not published; drawn: OpenStreetMap" in line
    (True, True)
    """
    tr = tr or messages("en")
    frame = dataset.layer("boundary")
    if "course_history" not in frame.columns:
        return []
    cases: dict[tuple[str, str, str], list[str]] = {}
    for record in frame.drop(columns=frame.geometry.name).to_dict("records"):
        statuses = {(h.get("from"), h.get("to")): h.get("status") for h in _items(record.get("status_history"))}
        for entry in _items(record.get("course_history")):
            if entry.get("course") == "published":
                continue
            status = statuses.get((entry.get("from"), entry.get("to")))
            if status not in AGREED_STATUSES:
                continue
            key = (str(status), str(entry.get("from") or ""), ", ".join(entry.get("source_ids") or []))
            drawn = cases.setdefault(key, [])
            if record.get("depiction") and record["depiction"] not in drawn:
                drawn.append(str(record["depiction"]))
    lines = []
    for (status, start, ids), depictions in sorted(cases.items()):
        said = {"status": tr(status), "start": tr.date(start) if len(start) == 10 else start,
                "who": "; ".join(_cited(dataset, i, tr) for i in ids.split(", ")) if ids else ""}
        what = (tr("{status} from {start} per {who}", **said) if start and ids and not short
                else tr("{status} from {start}", **said) if start
                else tr("{status} per {who}", **said) if ids and not short else said["status"])
        names, older_all = [], True
        for dep in depictions:
            meta: dict[str, Any] = next(
                (d for d in dataset.meta.get("depictions", []) if d.get("id") == dep), {}
            )
            vintage = str(meta.get("vintage") or "")
            older = bool(vintage and start and vintage < start)
            older_all &= older
            drawing = {"depiction": dep if short else meta.get("title") or dep, "vintage": vintage or tr("undated")}
            names.append(tr("{depiction} ({vintage}, pre-dates it)", **drawing) if older and not short
                         else tr("{depiction} ({vintage})", **drawing))
        if short:  # a printed legend: the depictions are listed above it by colour
            many = {"n": len(names), "depiction": depictions[0]}
            drawn_by = (tr("{n} depictions, each pre-dating it", **many) if len(names) > 1 and older_all
                     else tr("{n} depictions", **many) if len(names) > 1
                     else tr("the depiction {depiction}, pre-dating it", **many) if older_all
                     else tr("the depiction {depiction}", **many))
        else:
            drawn_by = "; ".join(names)
        lines.append(tr("{what} — course not published; drawn: {drawn}", what=what, drawn=drawn_by))
    return lines


def _cited(dataset: Dataset, source_id: str, tr: Messages) -> str:
    """A source as ``publisher, date`` (its id when the registry lacks it)."""
    record = dataset.sources.get(source_id) or {}
    words = ", ".join(
        (tr.date(str(record[k])) if k == "date" and len(str(record[k])) == 10 else str(record[k]))
        for k in ("publisher", "date") if record.get(k)
    )
    return words or source_id


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, (list, tuple)) else []
