"""Offline assets of the HTML map: Leaflet and the map's own script and style, inlined.

Leaflet's JavaScript and CSS come from the installed ``xstatic-leaflet`` package (no copy in this
repository) and the map's own code from ``bordermap/maps/webmap``; the CSS's images become
``data:`` URIs. Everything is put inline into the page so that opening it from disk makes no
request of any kind.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from pathlib import Path

_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as leaflet
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError(
            "the HTML map needs the xstatic-leaflet package: pip install xstatic-leaflet"
        ) from exc
    return Path(leaflet.BASE_DIR)


def leaflet_version() -> str:
    """Version of the Leaflet build that is inlined."""
    import xstatic.pkg.leaflet as leaflet

    return str(leaflet.VERSION)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@functools.cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as ``data:`` URIs."""
    root = _leaflet_dir()
    css = (root / "leaflet.css").read_text(encoding="utf-8")
    return _CSS_URL.sub(lambda m: f"url({_data_uri(root / m.group(2))})", css)


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified script, without its source-map comment (which would name a file)."""
    js = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)


@functools.cache
def own(name: str) -> str:
    """One of the map's own static files (``bordermap.js``, ``bordermap.css``)."""
    return (resources.files("bordermap.maps") / "webmap" / name).read_text(encoding="utf-8")


def script_tag(code: str, kind: str | None = None, element_id: str | None = None) -> str:
    r"""A ``<script>`` element whose content cannot end it early.

    ``</`` is written ``<\/`` and ``<!--`` as ``<\!--``: the same text to a JavaScript or JSON
    parser, but never the end of the element to the HTML parser.

    Examples
    --------
    >>> script_tag('var s = "</script><b>";')
    '<script>var s = "<\\/script><b>";</script>'
    """
    attrs = (f' type="{kind}"' if kind else "") + (f' id="{element_id}"' if element_id else "")
    body = code.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f"<script{attrs}>{body}</script>"


def style_tag(css: str) -> str:
    """A ``<style>`` element (``</`` escaped as in :func:`script_tag`)."""
    return "<style>" + css.replace("</", "<\\/") + "</style>"
