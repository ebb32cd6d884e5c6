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

Speed: the parts of the atlas (overview, table, each section) are drawn and saved in forked
processes, one per CPU, each with a fixed share, and the part PDFs are merged with pypdf (see
:func:`write_atlas`; docs/performance.md). Figures are plain matplotlib ``Figure`` objects (no
pyplot bookkeeping), polygons are clipped to the map before drawing, and text is wrapped before
it reaches matplotlib.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import logging
import pickle
import tempfile
import textwrap
import warnings
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, cast

from bordermap import __version__
from bordermap.errors import DataError
from bordermap.geodesic import default_workers
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


def atlas_pages(view: MapView, page: str = "A4", only: Collection[int] | None = None,
                context: SpreadContext | None = None) -> Iterator[tuple[Any, str | None]]:
    """Every figure of the atlas, in order, each with its bookmark title (None: no bookmark).

    The atlas is made of parts: 0 the overview map, 1 the table of sections, then one part per
    section (``2 + i`` for the i-th). ``only`` draws those parts alone; the first page of every
    part has a bookmark, so the titles tell where each part starts.
    """
    wanted = (lambda part: True) if only is None else set(only).__contains__
    tr = view.tr
    name = dataset_title(view.dataset, tr)
    if wanted(0):
        yield map_figure(view, page=page, title=tr("{title} — atlas", title=name)), tr("Overview map")
    pages: list[Any] = []
    if wanted(1):
        _sections_pages(view, page, pages)
    for i, fig in enumerate(pages):
        yield fig, tr("Disputed sections (table)") if i == 0 else None
    sections = view.layers["sections"]
    if context is None and any(wanted(2 + n) for n in range(len(sections))):
        context = SpreadContext.of(view.dataset)
    for n, (index, row) in enumerate(sections.iterrows()):
        if not wanted(2 + n):
            continue
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


def _pypdf() -> Any:
    """The pypdf module (PDF merging and bookmarks), or None, with a note, when it is missing."""
    try:
        import pypdf
    except ImportError:
        log.warning("atlas: no PDF bookmarks (pypdf, a dependency of bordermap, is missing: pip install pypdf)")
        return None
    return pypdf


def _assemble(pypdf: Any, parts: list[Path], order: list[tuple[int, int]], marks: list[tuple[int, str]],
              output: Path, lang: str = "en") -> None:
    """Write the pages of part PDFs, in ``order`` ((part, page) pairs), as one PDF with bookmarks.

    Pages keep their links and fonts; the document information (title, creator, date) is the
    first part's, and the catalogue's ``/Lang`` says the document's language. Without ``pypdf``
    (None) there is only one part, copied as it is.
    """
    if pypdf is None:
        output.write_bytes(parts[0].read_bytes())
        return
    readers = [pypdf.PdfReader(str(part)) for part in parts]
    writer = pypdf.PdfWriter()
    for part, number in order:
        writer.add_page(readers[part].pages[number])
    info = readers[0].metadata or {}
    writer.add_metadata({key: str(value) for key, value in info.items()})
    writer._root_object[pypdf.generic.NameObject("/Lang")] = pypdf.generic.TextStringObject(lang)
    for number, title in marks:
        writer.add_outline_item(title=title, page_number=number)
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    output.write_bytes(buffer.getvalue())


class _Part:
    """Some parts of the atlas (see :func:`atlas_pages`), drawn and then saved as one PDF.

    Drawing comes first and tells how many pages each part has; the footers ("3 / 63") need
    every part's count, so saving waits for :meth:`save` to be told where each part starts.
    """

    def __init__(self, view: MapView, page: str, parts: list[int], context: SpreadContext | None) -> None:
        self.view, self.page, self.parts, self.context = view, page, sorted(parts), context
        self.figures: dict[int, list[Any]] = {}
        self.marks: dict[int, str] = {}

    def draw(self, drawn: Callable[[int], None]) -> dict[int, int]:
        """Draw every page (``drawn(part)`` after each part); return each part's page count."""
        queue = iter(self.parts)
        current = -1
        with text_as_written():  # names come from data: "$5 to $6" is not math
            for fig, mark in atlas_pages(self.view, self.page, only=self.parts, context=self.context):
                if mark is not None:  # the first page of the next part, whose pages are all drawn
                    current = next(queue)
                    self.marks[current], self.figures[current] = mark, []
                    drawn(current)
                self.figures[current].append(fig)
        return {part: len(figs) for part, figs in self.figures.items()}

    def save(self, path: Path, first: dict[int, int], total: int, metadata: dict[str, str],
             wrote: Callable[[], None]) -> None:
        """Add the footers (part ``p`` starts on page ``first[p]`` of ``total``) and save the pages."""
        from matplotlib import rc_context
        from matplotlib.backends.backend_pdf import PdfPages

        tr = self.view.tr
        note = tr("Disclaimer: {text}", text=disclaimer(self.view.dataset, tr))
        plt = pyplot()
        try:
            with text_as_written():
                for part in self.parts:
                    for i, fig in enumerate(self.figures[part]):
                        if first[part] + i > 1:
                            _footer(fig, first[part] + i, total, note)
            with rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata=metadata) as pdf:
                for part in self.parts:
                    for fig in self.figures[part]:
                        pdf.savefig(plain_text(fig))
                        wrote()
        finally:
            for figs in self.figures.values():
                for fig in figs:
                    plt.close(fig)


#: The overview map costs about as much as this many sections with a map (measured; for balancing).
_OVERVIEW_COST = 2.0
#: Fewest parts split across processes by default (a smaller atlas gains less than a second process costs:
#: its fonts embedded again, the merge).
PARALLEL_MIN_PARTS = 8


def _plan(view: MapView, workers: int) -> list[list[int]]:
    """The parts each of ``workers`` processes draws, the estimated costs balanced.

    The split is fixed, so the same input gives the same file. Estimates: the overview map, the
    table by its rows, a section by whether it has a map; the largest go first, each to the
    process with the least so far.
    """
    sections = view.layers["sections"]
    mapped = [g is not None and not g.is_empty for g in sections.geometry]
    costs = [_OVERVIEW_COST, 0.3 + len(sections) / 100] + [1.0 if m else 0.35 for m in mapped]
    workers = max(1, min(workers, len(costs)))
    loads = [0.0] * workers
    plan: list[list[int]] = [[] for _ in range(workers)]
    for part in sorted(range(len(costs)), key=lambda p: (-costs[p], p)):
        worker = loads.index(min(loads))
        loads[worker] += costs[part]
        plan[worker].append(part)
    return [sorted(parts) for parts in plan]


def _numbering(found: dict[int, tuple[int, str]]) -> tuple[dict[int, int], int]:
    """Each part's first page number (from 1) and the page total, from each part's (pages, title)."""
    first, number = {}, 1
    for part in sorted(found):
        first[part] = number
        number += found[part][0]
    return first, number - 1


def _work(part: _Part, path: Path, metadata: dict[str, str], conn: Any) -> None:
    """A drawing process: draw, send the page counts, receive the numbering, save.

    Everything goes back to the parent over ``conn``: progress, warnings (re-issued there, so a
    warning is not lost with the process) and an exception, if any.
    """
    # Drawing makes many short-lived objects and few cycles: collect less often (this process
    # ends when its part is saved).
    gc.set_threshold(20_000, 50, 100)
    try:
        with warnings.catch_warnings(record=True) as caught:
            counts = part.draw(lambda done: conn.send(("drawn", done)))
            conn.send(("counts", {p: (n, part.marks[p]) for p, n in counts.items()}))
            first, total = conn.recv()
            part.save(path, first, total, metadata, lambda: conn.send(("wrote",)))
        for w in caught:
            conn.send(("warning", str(w.message), w.category, w.filename, w.lineno))
        conn.send(("done",))
    except KeyboardInterrupt:  # Ctrl-C reaches the parent too, which cleans up
        pass
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that does not survive pickling
            exc = RuntimeError(f"atlas: {type(exc).__name__}: {exc}")
        with contextlib.suppress(OSError):  # the parent may be gone already
            conn.send(("error", exc))
    finally:
        conn.close()


def _can_fork() -> bool:
    """Whether drawing processes can be forked: the system forks and this process has one thread.

    A fork copies only the calling thread, and with it any lock another thread holds. Threads
    writing the read cache (:mod:`bordermap.io.readers`) are waited for; any other thread means
    drawing here, with a note.
    """
    import multiprocessing
    import threading

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    for thread in threading.enumerate():
        if thread.name == "bordermap-cache":
            thread.join()
    if threading.active_count() > 1:
        log.info("atlas: drawing in this process (other threads are running)")
        return False
    return True


def _run_forked(parts: list[_Part], paths: list[Path], metadata: dict[str, str],
                drawn: Callable[[int], None], wrote: Callable[[int], None],
                numbered: Callable[[int], None]) -> dict[int, tuple[int, str]]:
    """Draw and save each part in its own forked process; return every part's (pages, title)."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    fork = multiprocessing.get_context("fork")
    conns: list[Any] = []
    procs: list[Any] = []
    found: dict[int, tuple[int, str]] = {}
    counted = 0
    try:
        # What the processes inherit is left out of their garbage collections: the collector
        # would otherwise walk (and so copy) every inherited object again and again.
        gc.freeze()
        try:
            for part, path in zip(parts, paths, strict=True):
                mine, theirs = fork.Pipe()
                proc = fork.Process(target=_work, args=(part, path, metadata, theirs), daemon=True)
                proc.start()
                theirs.close()
                conns.append(mine)
                procs.append(proc)
        finally:
            gc.unfreeze()
        busy = list(conns)
        while busy:
            for ready in wait(busy):
                conn = cast(Connection, ready)  # wait() gives back the connections it was given
                try:
                    message: tuple[Any, ...] = conn.recv()
                except EOFError:
                    raise DataError(
                        "atlas: a drawing process ended without finishing its pages (killed, or out of "
                        "memory?); nothing was written. Try again with --jobs 1."
                    ) from None
                kind = message[0]
                if kind == "drawn":
                    drawn(message[1])
                elif kind == "wrote":
                    wrote(1)
                elif kind == "counts":
                    found.update(message[1])
                    counted += 1
                    if counted == len(conns):
                        numbering = _numbering(found)
                        numbered(numbering[1])
                        for each in conns:
                            each.send(numbering)
                elif kind == "warning":
                    warnings.warn_explicit(message[1], message[2], message[3], message[4])
                elif kind == "error":
                    raise message[1]
                else:  # done
                    busy.remove(conn)
        for proc in procs:
            proc.join()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for conn in conns:
            conn.close()
    return found


def write_atlas(dataset: Dataset, output: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
                page: str = "A4", progress: Progress | None = None, workers: int | None = None,
                lang: str = "en") -> Path:
    """Write the section atlas as one PDF, atomically, in the interface language ``lang``.

    ``progress(stage, done, total)`` is called after each section is drawn (stage ``"draw"``,
    total the number of sections) and each page written (``"write"``, total the number of pages).

    The pages are drawn in ``workers`` processes (default: one per CPU this process may use; 1
    draws here) when the atlas is large enough to gain from it (:data:`PARALLEL_MIN_PARTS`
    parts) and the system can fork. The split is fixed, so the same input gives the same file.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> out = write_atlas(bordermap.load("tests/data/mini"), pathlib.Path(tempfile.mkdtemp()) / "atlas.pdf")
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    view = MapView.of(dataset, perspective, as_of, lang=lang)
    tr = view.tr
    total_sections = len(view.layers["sections"])
    if workers is None:
        workers = default_workers() if total_sections + 2 >= PARALLEL_MIN_PARTS else 1
    pypdf = _pypdf()
    if workers > 1 and (pypdf is None or not _can_fork()):
        workers = 1
    plan = _plan(view, workers)
    context = SpreadContext.of(dataset) if total_sections else None
    parts = [_Part(view, page, chosen, context) for chosen in plan]
    metadata = {"Title": tr("{title} — atlas", title=dataset_title(dataset, tr)),
                "Subject": subtitle(view), "Creator": f"bordermap {__version__}"}
    state = {"drawn": 0, "written": 0, "total": 0}

    def drawn(part: int) -> None:
        if part >= 2 and progress is not None:
            state["drawn"] += 1
            progress("draw", state["drawn"], total_sections)

    def numbered(total: int) -> None:
        state["total"] = total

    def wrote(pages: int) -> None:
        state["written"] += pages
        if progress is not None:
            progress("write", state["written"], state["total"])

    with tempfile.TemporaryDirectory(prefix="bordermap-atlas-") as scratch:
        paths = [Path(scratch) / f"part-{k}.pdf" for k in range(len(parts))]
        if len(parts) == 1:
            counts = parts[0].draw(drawn)
            found = {p: (n, parts[0].marks[p]) for p, n in counts.items()}
            first, total = _numbering(found)
            numbered(total)
            parts[0].save(paths[0], first, total, metadata, lambda: wrote(1))
        else:
            found = _run_forked(parts, paths, metadata, drawn, wrote, numbered)
        first, total = _numbering(found)
        owner = {p: k for k, part in enumerate(parts) for p in part.parts}
        offset: dict[int, int] = {}
        order = []
        for p in sorted(found):
            k = owner[p]
            start = offset.get(k, 0)
            order += [(k, start + i) for i in range(found[p][0])]
            offset[k] = start + found[p][0]
        marks = [(first[p] - 1, found[p][1]) for p in sorted(found)]
        with atomic_path(output, (dataset.path,) if dataset.path else ()) as tmp:
            _assemble(pypdf, paths, order, marks, Path(tmp), tr.lang)
    return Path(output)
