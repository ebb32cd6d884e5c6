"""Shared fixtures: a click runner and the hand-made mini dataset."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture(scope="session")
def mini() -> Path:
    """The hand-made mini dataset directory (read-only: copy it before changing anything)."""
    return DATA / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path, mini: Path) -> Path:
    """A writable copy of the mini dataset."""
    return Path(shutil.copytree(mini, tmp_path / "mini"))


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required on CI (.ci/system-deps.sh installs it)")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="session")
def need_tool():
    """``need_tool("ogrinfo")`` → the tool's path; fails on CI when missing, skips elsewhere."""
    return _require_tool


@pytest.fixture
def mini_unlocated(mini_copy: Path) -> Path:
    """The mini dataset plus a section with no geometry (known only to its districts) and a name
    full of Markdown/HTML/XML metacharacters, for the atlas, report and export tests."""
    import json

    path = mini_copy / "sections.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"].append({
        "type": "Feature", "id": "s-3", "geometry": None,
        "properties": {
            "id": "s-3", "kind": "disputed_section", "names": {"en": "Section <three> & | *x*"},
            "status": "disputed", "location_precision": "district",
            "districts": {"KG": "North district", "TJ": "South district"},
            "sources": [{"property": "", "source_id": "src_news"}],
            "geometry_method": "none: located only to its districts", "precision_m": None,
            "positions": [{"party": "TJ", "stated_by": "TJ official", "date": "2021-05-02",
                           "position": "the pasture is <b>ours</b>", "source_ids": ["src_news"]}],
        },
    })
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return mini_copy


#: Strings that would run as HTML, JavaScript template literals or Jinja if anything evaluated them.
HOSTILE = {
    "html": "<img src=x onerror=alert(1)>",
    "template_literal": "${document.title='x'}",
    "jinja": "{{7*7}}zz",
    "script": "</script><script>document.title='pwned'</script>",
}


@pytest.fixture(scope="session")
def hostile() -> dict[str, str]:
    """The hostile strings that :func:`hostile_mini` puts into the data."""
    return dict(HOSTILE)


@pytest.fixture
def hostile_mini(mini_copy: Path) -> Path:
    """A copy of the mini dataset whose names, titles and links are hostile strings."""
    import json

    def edit(name: str, change) -> None:
        path = mini_copy / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def features(data):
        return {f["id"]: f["properties"] for f in data["features"]}

    edit("sections.geojson", lambda d: features(d)["s-1-kg"]["names"].update(en=HOSTILE["html"], ru=HOSTILE["jinja"]))
    edit("places.geojson", lambda d: features(d)["p-1"]["names"].update(en=HOSTILE["template_literal"]))
    edit("incidents.geojson", lambda d: features(d)["i-1"].update(summary=HOSTILE["script"]))
    edit(
        "sources.json",
        lambda d: d[1].update(title=HOSTILE["html"], url="javascript:alert(1)", publisher=HOSTILE["jinja"]),
    )
    def meta(d):
        d.update(title=HOSTILE["script"], disclaimer=HOSTILE["template_literal"])
        d["countries"]["KG"]["color"] = "red;background:url(http://evil.example/x.png)"

    edit("dataset.json", meta)
    return mini_copy


def _start_slow_writer(target: Path):
    """A process that has begun writing ``target`` through ``atomic_path`` and is still at it.

    Returns the ``subprocess.Popen`` once the temporary file holds data; the caller signals it.
    """
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from bordermap.io.atomic import atomic_path
        with atomic_path(Path({str(target)!r})) as tmp:
            with open(tmp, "w") as handle:
                handle.write("partial" * 1000)
                handle.flush()
                print("writing", flush=True)
                time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    return proc


@pytest.fixture
def slow_writer():
    """``slow_writer(target)``: a process caught writing ``target`` atomically (see above)."""
    return _start_slow_writer


@pytest.fixture(params=["native", "pyproj"])
def each_engine(request, monkeypatch):
    """Run a test with the compiled ring engine and again with pyproj's Python interface alone."""
    from bordermap.native import ring_engine

    monkeypatch.setenv("BORDERMAP_NATIVE", "1" if request.param == "native" else "0")
    ring_engine.cache_clear()
    if request.param == "native" and ring_engine() is None:
        pytest.fail("the compiled ring engine is not available (make native needs a C compiler)")
    yield request.param
    ring_engine.cache_clear()
