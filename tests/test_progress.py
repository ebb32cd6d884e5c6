"""Progress bars: drawn on a terminal only, silent with -q, labels never carry escape sequences."""

import io
import logging
import sys

import pytest

from bordermap import progress
from bordermap.cli.main import main


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def terminal(monkeypatch):
    # sys.stderr is replaced in the test body (pytest's capture resets it between phases).
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    monkeypatch.setattr(progress, "REDRAW_S", 0.0)
    return Terminal()


def test_bar_drawn_on_a_terminal_and_cleared(terminal, monkeypatch):
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress.progress_bar("reading w\x1b]0;owned\x07.geojson", total=4) as done:
        for k in range(1, 5):
            done(k)
    text = terminal.getvalue()
    assert "100%" in text and " 50%" in text and "reading w?]0;owned?.geojson" in text
    assert "\x1b]" not in text and "\x07" not in text
    assert text.endswith("\r\x1b[K")  # the line is cleared when the step ends


def test_bar_silent_when_quiet(terminal, monkeypatch):
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(logging.getLogger(), "level", logging.ERROR)  # what -q sets
    with progress.progress_bar("reading", total=2) as done:
        done(1)
    assert terminal.getvalue() == ""


def test_bar_silent_when_not_a_terminal(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    with progress.progress_bar("reading", total=2) as done:
        done(1)
    assert screen.getvalue() == ""


def test_measure_output_has_no_bar_off_a_terminal(runner, tmp_path, monkeypatch):
    from bordermap.io import readers

    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    result = runner.invoke(main, ["measure", "tests/data/mini/areas.geojson", "--format", "csv"])
    assert result.exit_code == 0 and "\r" not in result.output and "%" not in result.output


def test_bar_silent_in_a_silenced_thread_only(terminal, monkeypatch):
    # Work done in the background of another step (bordermap.measure_ahead) draws no bar; the
    # step's own thread still does.
    import threading

    monkeypatch.setattr(sys, "stderr", terminal)

    def background():
        with progress.silenced(), progress.progress_bar("measuring ahead", total=2) as done:
            done(1)

    worker = threading.Thread(target=background)
    worker.start()
    worker.join()
    assert terminal.getvalue() == ""
    with progress.progress_bar("parsing", total=2) as done:
        done(1)
    assert " 50%" in terminal.getvalue() and "measuring ahead" not in terminal.getvalue()
