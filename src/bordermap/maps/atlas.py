"""The section atlas: a PDF with an overview map, a table of sections, and a page per section.

Each section page shows a map of the section's surroundings (the section highlighted), its
attributes, the parties' positions attributed to whoever stated them, its status history, its
geodesic length or area and its sources (linked to their web addresses). A section without
geometry gets a page that says where it is known to be (its districts) and no map: a location
that the sources do not give is not drawn. Text that does not fit continues on the next page,
titled "(continued)". Every page carries the dataset's whole disclaimer; the PDF has a bookmark
per part and per section (with pypdf, the ``pdf`` extra).

Every interface string (titles, "(continued)", table heads, headings, the disclaimer, page
furniture, bookmarks and the PDF's metadata) comes from the catalogue of the page's language
(``lang``, :mod:`bordermap.i18n`), with feature names in that language where the data has them.

Speed: figures are plain matplotlib ``Figure`` objects (no pyplot bookkeeping), polygons are
clipped to the map before drawing, and text is wrapped before it reaches matplotlib.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bordermap import __version__
from bordermap.i18n import Messages, messages
from bordermap.io.atomic import atomic_path
from bordermap.maps.facts import (
    SpreadContext,
    districts,
    feature_name,
    feature_source_ids,
    items,
    located,
    section_details,
    sections_table,
)
from bordermap.maps.popups import safe_url
from bordermap.maps.static import (
    MARGIN,
    MapView,
    Page,
    draw_inset,
    draw_legend,
    map_bounds,
    map_figure,
    map_panel,
    page_size,
    plain_text,
    pyplot,
    shown_box,
    subtitle,
    text_as_written,
    text_em,
)
from bordermap.maps.style import dataset_title, disclaimer
from bordermap.measure import measure_frame
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL

log = logging.getLogger(__name__)
#: ``progress(done, total)``: called as pages are drawn, then as they are written.
Progress = Callable[[str, int, int], None]
BODY_PT = 8.0
LINE_IN = BODY_PT * 1.4 / 72
BOTTOM_IN = 0.8


class Flow:
    """Text set line by line down portrait pages, opening a continuation page when one is full."""

    def __init__(self, page_name: str, title: str, sub: str, pages: list[Any], tr: Messages | None = None) -> None:
        self.page_name, self.title, self.sub, self.pages = page_name, title, sub, pages
        self.tr = tr or messages("en")
        self.page: Page | None = None
        self.y = 0.0

    def open(self, continued: bool = False) -> Page:
        """Start a page (a continuation page repeats the title with "continued")."""
        self.page = Page(*page_size(self.page_name, landscape=False))
        self.page.heading(self.tr("{title} (continued)", title=self.title) if continued else self.title, self.sub)
        self.pages.append(self.page.fig)
        self.y = 1.05
        return self.page

    def _room(self, lines: int = 1) -> Page:
        if self.page is None or self.y + lines * LINE_IN > self.page.height - BOTTOM_IN:
            self.open(continued=self.page is not None)
        assert self.page is not None
        return self.page

    def write(self, text: str, indent: float = 0.0, url: str | None = None, **style: Any) -> None:
        """Write a paragraph, wrapped to the page width; with ``url``, every line links to it."""
        size = style.pop("fontsize", BODY_PT)
        em = text_em(text, bold=bool(style.get("fontweight")))
        width = (self._room().width - 2 * MARGIN - indent) * 72 / (size * em)
        if url:
            style = {**style, "url": url, "color": "#0b57a4"}
        for line in textwrap.wrap(text, max(30, int(width))) or [""]:
            self._room().text(MARGIN + indent, self.y, line, fontsize=size, **style)
            self.y += LINE_IN

    def block(self, title: str, lines: list[str], urls: list[str | None] | None = None) -> None:
        """A bold heading and bulleted lines (each linked to its URL in ``urls``, if any)."""
        self._room(3)
        self.y += 0.4 * LINE_IN
        self.write(title, fontweight="bold", fontsize=BODY_PT + 1)
        for i, line in enumerate(lines):
            self.write(f"• {line}", indent=0.12, url=urls[i] if urls and i < len(urls) else None)

    def row(self, cells: list[str], columns: list[float], **style: Any) -> None:
        """One table row; each cell clipped to its column (column starts in inches)."""
        page = self._room()
        edges = [*columns, page.width - 2 * MARGIN]
        for cell, left, right in zip(cells, edges[:-1], edges[1:], strict=False):
            em = text_em(cell or "x", bool(style.get("fontweight")))
            chars = max(3, int((right - left - 0.08) * 72 / (7.0 * em)))
            page.text(MARGIN + left, self.y, _clip(cell, chars) if cell else "", fontsize=7.0, **style)
        self.y += 7.0 * 1.45 / 72


def _clip(text: str, chars: int) -> str:
    """A table cell cut to ``chars`` characters: at a word if one ends near there, else inside one, with "…".

    Examples
    --------
    >>> _clip("Batken district; Isfara district", 20), _clip("урегулирована", 10), _clip("disputed", 10)
    ('Batken district…', 'урегулиро…', 'disputed')
    """
    if len(text) <= chars:
        return text
    cut = text[: chars - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > chars // 2 else cut).rstrip(" ,;") + "…"


def _sections_pages(view: MapView, page: str, pages: list[Any]) -> None:
    tr = view.tr
    table = sections_table(view.dataset, view.day, tr)
    table = table[table["id"].isin(set(view.layers["sections"]["id"]))]
    flow = Flow(page, tr("Disputed sections"), tr("Sections: {n} · {subtitle}", n=len(table), subtitle=subtitle(view)),
                pages, tr)
    columns = [0.0, 0.35, 2.2, 3.15, 4.05, 5.4]  # status and location wide enough for Russian words
    flow.row(["#", tr("Section (id)"), tr("Status"), tr("Located to"), tr("Districts"), tr("Measured")], columns,
             fontweight="bold")
    for number, row in enumerate(table.itertuples(), start=1):
        flow.row([str(number), f"{row.name} ({row.id})", row.status, row.located, row.districts, row.measured],
                 columns)


def _section_pages(view: MapView, props: dict[str, Any], geom: Any, page: str, pages: list[Any],
                   context: SpreadContext | None = None) -> None:
    ds, tr = view.dataset, view.tr
    status = tr(str(props.get("status", "")))
    flow = Flow(page, feature_name(props, tr),
                tr("{id} · status {status} · {subtitle}", id=props.get("id"), status=status, subtitle=subtitle(view)),
                pages, tr)
    sheet = flow.open()
    if geom is not None and not geom.is_empty:
        map_h = 4.4
        ax, handles = map_panel(sheet, (MARGIN + 0.1, sheet.height - 1.0 - map_h, 5.3, map_h), view,
                                map_bounds(view, {**props, "geometry": geom}), highlight=str(props.get("id")))
        side = MARGIN + 5.6
        draw_inset(sheet.axes(side, sheet.height - 2.7, sheet.width - side - MARGIN, 1.7), ds, shown_box(ax),
                   title=tr("Location"))
        draw_legend(sheet.axes(side, sheet.height - 1.0 - map_h, sheet.width - side - MARGIN, map_h - 1.9),
                    handles, fontsize=5.5, title=tr("Legend"))
        flow.y = 1.0 + map_h + 0.45
    else:
        where = districts(props) or tr("no district recorded")
        precision = located(props.get("location_precision"), tr) or tr("an unknown place")
        flow.write(tr("Where: {districts}", districts=where), fontweight="bold")
        flow.write(tr("Not drawn: the sources locate this section only to {precision}; no geometry is invented "
                      "for it.", precision=precision), color="#7b0000")
        places = [str(p) for p in items(props.get("place_ids"))]
        if places:
            flow.write(tr("Places named in the sources: {places}", places=", ".join(places)))
    measured = None
    if geom is not None:
        measured = measure_frame(view.layers["sections"].loc[[props["_index"]]]).iloc[0].to_dict()
    urls = [safe_url(ds.sources.get(sid, {}).get("url")) for sid in feature_source_ids(props)]
    for title, lines in section_details(ds, props, view.day, measured, context, tr):
        flow.block(title, lines, urls if title == tr("Sources") else None)


def atlas_pages(view: MapView, page: str = "A4") -> Iterator[tuple[Any, str | None]]:
    """Every figure of the atlas, in order, each with its bookmark title (None: no bookmark)."""
    tr = view.tr
    name = dataset_title(view.dataset, tr)
    yield map_figure(view, page=page, title=tr("{title} — atlas", title=name)), tr("Overview map")
    pages: list[Any] = []
    _sections_pages(view, page, pages)
    for i, fig in enumerate(pages):
        yield fig, tr("Disputed sections (table)") if i == 0 else None
    sections = view.layers["sections"]
    context = SpreadContext.of(view.dataset)
    for index, row in sections.iterrows():
        props = row.drop(labels=sections.geometry.name).to_dict()
        props["_index"] = index
        pages = []
        _section_pages(view, props, row[sections.geometry.name], page, pages, context)
        for i, fig in enumerate(pages):
            yield fig, feature_name(props, tr) if i == 0 else None


def _footer(fig: Any, number: int, total: int, text: str) -> None:
    fig.text(0.5, 0.22 / fig.get_figheight(), f"{number} / {total}", ha="center", fontsize=7, color="#555555")
    chars = int((fig.get_figwidth() - 2 * MARGIN) * 72 / (5.5 * text_em(text)))
    fig.text(MARGIN / fig.get_figwidth(), 0.36 / fig.get_figheight(), textwrap.fill(text, chars), fontsize=5.5,
             color="#555555", va="bottom", linespacing=1.2)


def _bookmark(path: Path, marks: list[tuple[int, str]], lang: str = "en") -> None:
    """Add an outline (bookmarks) and the document's language to a PDF in place; skipped, with a note, without pypdf."""
    try:
        from pypdf import PdfWriter
        from pypdf.generic import NameObject, TextStringObject
    except ImportError:
        log.warning("atlas: no PDF bookmarks (pypdf, a dependency of bordermap, is missing: pip install pypdf)")
        return
    writer = PdfWriter(clone_from=str(path))
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    for number, title in marks:
        writer.add_outline_item(title=title, page_number=number)
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


def _save(figures: list[Any], path: Path, metadata: dict[str, str], progress: Progress | None = None,
          first: int = 1, total: int | None = None) -> None:
    """Save figures as the pages of one PDF (TrueType fonts embedded)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages

    with rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata=metadata) as pdf:
        for number, fig in enumerate(figures, start=first):
            pdf.savefig(fig)
            if progress is not None:
                progress("write", number, total or len(figures))


def write_atlas(dataset: Dataset, output: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
                page: str = "A4", progress: Progress | None = None, lang: str = "en") -> Path:
    """Write the section atlas as one PDF, atomically, in the interface language ``lang``.

    ``progress(stage, done, total)`` is called after each page is drawn (stage ``"draw"``, total
    the number of sections) and written (``"write"``, total the number of pages).

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = write_atlas(bordermap.load("tests/data/mini"), pathlib.Path(tempfile.mkdtemp()) / "atlas.pdf")
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    plt = pyplot()
    view = MapView.of(dataset, perspective, as_of, lang=lang)
    tr = view.tr
    figures: list[Any] = []
    marks: list[tuple[int, str]] = []
    total_sections = len(view.layers["sections"])
    with text_as_written():  # names come from data: "$5 to $6" is not math
        for fig, mark in atlas_pages(view, page):
            if mark is not None:
                marks.append((len(figures), mark))
            figures.append(fig)
            if progress is not None and mark is not None and len(marks) > 2:
                progress("draw", len(marks) - 2, total_sections)
        note = tr("Disclaimer: {text}", text=disclaimer(dataset, tr))
        for number, fig in enumerate(figures, start=1):
            if number > 1:
                _footer(fig, number, len(figures), note)
    metadata = {"Title": tr("{title} — atlas", title=dataset_title(dataset, tr)),
                "Subject": subtitle(view), "Creator": f"bordermap {__version__}"}
    try:
        with atomic_path(output, (dataset.path,) if dataset.path else ()) as tmp:
            _save([plain_text(fig) for fig in figures], Path(tmp), metadata, progress)
            _bookmark(Path(tmp), marks, tr.lang)
    finally:
        for fig in figures:
            plt.close(fig)
    return Path(output)
