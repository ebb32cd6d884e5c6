"""The map page without folium is the page folium wrote, and the map command does not import folium.

``bordermap.maps.page`` reproduces the page skeleton folium 0.x rendered for the map; these tests
render the same finished parts through folium, as ``make_map`` did before, and compare the two
pages character for character. The only difference allowed is the element names (folium's are
random, ours digests of the content), which are no content.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bordermap
from bordermap.maps.html import BASEMAPS, make_map, render_map
from bordermap.maps.page import MapPage

ROOT = Path(__file__).resolve().parents[1]
_NAMES = re.compile(r"\b(map|tile_layer)_[0-9a-f]{32}\b")


def _folium_page(page: MapPage, basemap: str) -> str:
    """The page as the folium-based ``make_map`` built it (bordermap 0.1.0, before this module)."""
    folium = pytest.importorskip("folium")
    from branca.element import Element, Figure, MacroElement

    tiles = None
    if BASEMAPS[basemap] is not None:
        import xyzservices.providers as providers

        tiles = folium.TileLayer(tiles=providers.query_name(BASEMAPS[basemap]), name=basemap, control=False)
    fmap = folium.Map(location=[0, 0], zoom_start=2, tiles=tiles, control_scale=False, font_size="13px")
    fmap.default_js = []
    fmap.default_css = []
    if page.center != (0.0, 0.0):
        fmap.location = list(page.center)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.title = page.title

    class Verbatim(Element):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    class Page(MacroElement):
        def render(self, **kwargs: Any) -> None:  # type: ignore[override]
            root, parent = self.get_root(), self._parent
            root.header.add_child(Verbatim(page.head), name="bordermap_head")
            root.html.add_child(Verbatim(page.body), name="bordermap_body")
            start = f"{page.init}({parent.get_name()}, {json.dumps(page.data_id)});"
            root.script.add_child(Verbatim(start), name="bordermap_start")

    fmap.add_child(Page())
    return str(figure.render()).replace("<html>", f'<html lang="{page.lang}">', 1)


def _unnamed(html: str) -> tuple[str, int]:
    return _NAMES.subn(lambda m: f"{m.group(1)}_NAME", html)


@pytest.mark.parametrize(
    ("options", "dataset"),
    [
        ({}, None),
        ({"basemap": "osm"}, "mini"),
        ({"basemap": "topo", "lang": "ru"}, "mini"),
        ({"basemap": "imagery", "embed": True}, "mini"),
    ],
    ids=["kg-tj", "osm", "topo-ru", "imagery-embed"],
)
def test_page_is_the_one_folium_wrote(options: dict[str, Any], dataset: str | None, mini: Path) -> None:
    page = make_map(bordermap.load(mini if dataset else None), **options)
    ours, named = _unnamed(page.render())
    theirs, named_there = _unnamed(_folium_page(page, options.get("basemap", "none")))
    assert (named, ours) == (named_there, theirs)
    assert named >= 5  # container, its style, the map, the scale control, the init call


def test_element_names_follow_the_content(mini: Path) -> None:
    """The same data give the same file; other data give other names."""
    one, two = render_map(bordermap.load(mini)), render_map(bordermap.load(mini))
    assert one == two
    other = render_map(bordermap.load(mini), lang="ru")
    assert set(_NAMES.findall(one)) and re.findall(r"map_[0-9a-f]{32}", one)[0] not in other


#: Modules the map command's warm path must not import (docs/performance.md, "The main job").
NOT_ON_THE_MAP_PATH = (
    "folium", "branca", "jinja2", "requests", "matplotlib", "jsonschema", "babel", "xyzservices",
    "bordermap.validate.rules", "bordermap.validate.geometry", "bordermap.validate.inputs",
)


def _heavy_imports(tmp_path: Path, argv: list[str], before: str = "") -> list[str]:
    """Run ``bordermap ARGV`` in a fresh interpreter; the modules of NOT_ON_THE_MAP_PATH it imported."""
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    script = (
        f"import sys\n{before}\n"
        "from bordermap.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"heavy = {NOT_ON_THE_MAP_PATH!r}\n"
        "print('MODULES', *sorted(h for h in heavy if any(m == h or m.startswith(h + '.') for m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *argv], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return next(x for x in done.stdout.splitlines() if x.startswith("MODULES")).split()[1:]


def test_the_warm_map_command_imports_none_of_the_heavy_modules(tmp_path: Path) -> None:
    """The main job, run twice in fresh interpreters: the second (warm) run imports none of them."""
    argv = ["map", "--summary", "-o", str(tmp_path / "kg-tj.html")]
    cold = _heavy_imports(tmp_path, argv)
    assert "bordermap.validate.rules" in cold and "folium" not in cold, cold  # the first run validates
    assert _heavy_imports(tmp_path, argv) == []
    assert (tmp_path / "kg-tj.html").stat().st_size > 100_000


def test_the_import_check_can_fail(tmp_path: Path) -> None:
    """The same check lists a heavy module the run did import."""
    argv = ["map", "-o", str(tmp_path / "kg-tj.html")]
    _heavy_imports(tmp_path, argv)  # validated: the next run is warm
    assert _heavy_imports(tmp_path, argv, before="import jinja2") == ["jinja2"]


def test_safe_url_white_space_is_str_isspace() -> None:
    """The map's link check refuses exactly the characters Python calls white space."""
    from bordermap.maps.popups import safe_url

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert len(spaces) > 20
    assert all(safe_url(f"https://a.example/{c}b") is None for c in spaces)
    assert all(safe_url(f"https://a.example/{c}b") for c in ("x", "\u200b", "é", "%20") if not c.isspace())
