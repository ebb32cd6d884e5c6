"""A progress bar on standard error for steps that can take more than a few seconds.

It is drawn only when standard error is a terminal and the log level is WARNING or more verbose
(``bordermap -q`` silences it), and only once a step has run for :data:`DELAY_S` seconds, so
quick steps never flicker. Labels are stripped of control characters before they reach the
terminal. Steps report how much is done by calling the function the context manager yields.

Examples
--------
>>> with progress_bar("counting", total=3) as done:
...     for i in range(3):
...         done(i + 1)
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator

#: Seconds a step runs before its bar appears; redraws at most every REDRAW_S seconds.
DELAY_S = 1.0
REDRAW_S = 0.2
WIDTH = 30

Update = Callable[[int], None]

#: Per thread: whether bars are silenced there (:func:`silenced`).
_THREAD = threading.local()


def enabled() -> bool:
    """Whether bars are drawn: standard error is a terminal and the log level is not quieter.

    Never in a thread inside :func:`silenced`.
    """
    if getattr(_THREAD, "silent", False):
        return False
    stream = sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and logging.getLogger().getEffectiveLevel() <= logging.WARNING


def safe_label(text: str) -> str:
    r"""A label without control or format characters (no escape sequence reaches the terminal).

    Examples
    --------
    >>> safe_label("reading a\x1b[31mb.geojson")
    'reading a?[31mb.geojson'
    """
    return "".join("?" if unicodedata.category(c)[0] == "C" else c for c in text)[:60]


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Draw no bar from the current thread meanwhile (work done in the background of another step).

    Examples
    --------
    >>> with silenced():
    ...     enabled()
    False
    """
    before = getattr(_THREAD, "silent", False)
    _THREAD.silent = True
    try:
        yield
    finally:
        _THREAD.silent = before


@contextlib.contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[Update]:
    """Yield ``update(done)``; draw ``label`` and how much of ``total`` is done (a count if None)."""
    if not enabled():
        yield lambda done: None
        return
    started = time.monotonic()
    last = [0.0]
    shown = [False]
    text = safe_label(label)

    def update(done: int) -> None:
        now = time.monotonic()
        if now - started < DELAY_S or now - last[0] < REDRAW_S:
            return
        last[0], shown[0] = now, True
        if total:
            share = min(max(done / total, 0.0), 1.0)
            filled = int(share * WIDTH)
            bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {100 * share:3.0f}%"
        else:
            bar = f"{done:,}"
        sys.stderr.write(f"\r{text} {bar} {now - started:5.1f} s")
        sys.stderr.flush()

    try:
        yield update
    finally:
        if shown[0]:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
