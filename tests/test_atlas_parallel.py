"""The atlas drawn in several processes (issue #14): the same pages as drawn in one, the same bytes
every time, errors and warnings brought back to the caller, progress counted across processes."""

import multiprocessing
import subprocess
import threading

import matplotlib.image as mpimg
import numpy as np
import pypdf
import pytest

import bordermap
from bordermap.cli.main import main
from bordermap.errors import UsageError
from bordermap.maps.atlas import _plan, write_atlas
from bordermap.maps.static import MapView


def _atlas(runner, path, out, *options, quiet=False):
    result = runner.invoke(main, [*(["-q"] if quiet else []), "atlas", str(path), "-o", str(out),
                                  "--as-of", "2021-05-01", *options])
    assert result.exit_code == 0, result.output
    return result


def _contents(pdf):
    """Each page's words and link targets, the bookmarks, the title and how the PDF opens."""
    reader = pypdf.PdfReader(pdf)
    pages = [(" ".join(page.extract_text().split()),
              sorted(a.get_object()["/A"]["/URI"] for a in page.get("/Annots") or []))
             for page in reader.pages]
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    return pages, marks, reader.metadata.title, reader.page_mode


def test_processes_draw_the_same_atlas_as_one(runner, mini_unlocated, tmp_path, recwarn):
    assert threading.active_count() == 1  # else the atlas is drawn here (see _can_fork), not compared
    one, three = tmp_path / "one.pdf", tmp_path / "three.pdf"
    _atlas(runner, mini_unlocated, one, "--jobs", "1")
    result = _atlas(runner, mini_unlocated, three, "--jobs", "3")
    # progress counted over the processes: every section drawn, every page written, once
    assert result.output.count("atlas: drew sections 4/4") == 1 and result.output.count("wrote pages 6/6") == 1
    assert not [w for w in recwarn if "matplotlib" in str(w.filename) or "figure" in str(w.message).lower()]
    pages, marks, title, mode = _contents(one)
    assert _contents(three) == (pages, marks, title, mode)
    # the footers number the pages across the processes' parts
    assert len(pages) == 6 and all(f"{n} / 6" in text for n, (text, _) in enumerate(pages, start=1) if n > 1)
    assert [n for _, n in marks] == [0, 1, 2, 3, 4, 5] and marks[0] == ("Overview map", 0)
    assert mode == "/UseOutlines" and title.endswith("— atlas")
    assert any(uris for _, uris in pages)


@pytest.mark.tools
def test_processes_draw_the_same_page_images(runner, mini_unlocated, tmp_path, need_tool):
    pdftoppm = need_tool("pdftoppm")
    images = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"atlas-{jobs}.pdf"
        _atlas(runner, mini_unlocated, out, "--jobs", jobs, quiet=True)
        subprocess.run([pdftoppm, "-r", "40", "-png", str(out), str(tmp_path / f"p{jobs}")], check=True)
        images[jobs] = [mpimg.imread(p) for p in sorted(tmp_path.glob(f"p{jobs}-*.png"))]
    assert len(images["1"]) == len(images["2"]) == 6
    for serial, forked in zip(images["1"], images["2"], strict=True):
        assert serial.shape == forked.shape and np.array_equal(serial, forked)


def test_same_input_same_bytes(runner, mini_unlocated, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # the creation date is the only clock in the file
    for jobs in ("1", "2"):
        first, second = tmp_path / f"a-{jobs}.pdf", tmp_path / f"b-{jobs}.pdf"
        _atlas(runner, mini_unlocated, first, "--jobs", jobs, quiet=True)
        _atlas(runner, mini_unlocated, second, "--jobs", jobs, quiet=True)
        assert first.read_bytes() == second.read_bytes()


def test_quiet_means_no_progress(runner, mini_unlocated, tmp_path):
    result = _atlas(runner, mini_unlocated, tmp_path / "atlas.pdf", "--jobs", "2", quiet=True)
    assert "atlas:" not in result.output


def test_an_error_in_a_drawing_process_reaches_the_caller(mini, tmp_path):
    out = tmp_path / "atlas.pdf"
    with pytest.raises(UsageError, match="unknown page size 'B5'"):
        write_atlas(bordermap.load(mini), out, page="B5", workers=2)
    assert not out.exists() and not list(tmp_path.iterdir())
    assert not multiprocessing.active_children()


def test_a_drawing_process_killed_outright_is_a_clear_error(runner, mini, tmp_path, monkeypatch):
    """A process that dies without a word (SIGKILL, out of memory): exit 1, a message, no file."""
    import os

    from bordermap.maps import atlas as atlas_module

    def die(self, drawn):
        os._exit(9)

    monkeypatch.setattr(atlas_module._Part, "draw", die)
    out = tmp_path / "atlas.pdf"
    result = runner.invoke(main, ["atlas", str(mini), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "drawing process ended" in result.output and "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.iterdir())
    assert not multiprocessing.active_children()


def test_jobs_must_be_positive(runner, mini, tmp_path):
    result = runner.invoke(main, ["atlas", str(mini), "-o", str(tmp_path / "a.pdf"), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output and not (tmp_path / "a.pdf").exists()


def test_the_split_draws_every_part_once_and_balances_the_work():
    view = MapView.of(bordermap.load())
    parts = 2 + len(view.layers["sections"])
    for workers in (2, 3):
        plan = _plan(view, workers)
        assert len(plan) == workers and sorted(p for chosen in plan for p in chosen) == list(range(parts))
        sizes = [len(chosen) for chosen in plan]
        # the overview counts for several sections, so its process gets fewer parts, but none idles
        assert min(sizes) >= parts // workers - 3 and _plan(view, workers) == plan
