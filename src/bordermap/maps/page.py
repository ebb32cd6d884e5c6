"""The HTML page of the interactive map, assembled from finished parts without folium.

:mod:`bordermap.maps.html` computes everything the page holds (Leaflet and the map's own script and
style, the data as one JSON element, the footer); this module only puts those parts into the
page's skeleton: the document, the Leaflet map container and the script that creates the map and
hands it to ``bordermapInit``. The skeleton is the one folium 0.x wrote for
``folium.Map(location, zoom_start=2, control_scale=False, font_size="13px")`` (bordermap.js draws a
metric scale bar in the page's language) with folium's own
CDN assets removed, reproduced character for character (``tests/test_map_page.py`` renders both
and compares them), so that the map command need not import folium, branca and Jinja and compile
about fifty templates on every run. Unlike folium's random element names, the names here are
digests of the page's content: the same data make the same file.

Every part passed in is finished, escaped HTML; nothing here is a template that could evaluate
text from the data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


def _escaped_json(value: Any) -> str:
    r"""JSON with ``<``, ``>``, ``&`` and ``'`` as ``\u`` escapes: safe inside ``<script>``.

    Examples
    --------
    >>> print(_escaped_json("<a href='x'>&</a>"))
    "\u003ca href=\u0027x\u0027\u003e\u0026\u003c/a\u003e"
    """
    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


def _js_object(options: dict[str, Any]) -> str:
    """A JavaScript object literal, one member per line (the layout the page has always had)."""
    return "{\n" + "".join(f'  "{key}": {_escaped_json(value)},\n' for key, value in options.items()) + "}"


def _name(kind: str, *parts: str) -> str:
    """An element name from a digest of what it holds (32 hex digits, as folium's were)."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}_{digest[:32]}"


@dataclass(frozen=True)
class TileLayer:
    """An online basemap: its URL template and Leaflet options (``attribution`` is HTML)."""

    url: str
    options: dict[str, Any]

    @property
    def attribution(self) -> str:
        """The provider's credit, as HTML."""
        return str(self.options["attribution"])

    @classmethod
    def of(cls, provider_name: str) -> TileLayer:
        """The tile layer of an ``xyzservices`` provider (for example ``OpenStreetMap.Mapnik``).

        Zoom limits and subdomains are the provider's; the defaults are Leaflet's usual ones
        (zoom 0–18, subdomains ``abc``).
        """
        import xyzservices.providers as providers

        provider = providers.query_name(provider_name)
        max_zoom = provider.get("max_zoom") or 18
        options = {
            "minZoom": provider.get("min_zoom") or 0,
            "maxZoom": max_zoom,
            "maxNativeZoom": max_zoom,
            "noWrap": False,
            "attribution": provider.html_attribution,
            "subdomains": provider.get("subdomains", "abc"),
            "detectRetina": False,
            "tms": False,
            "opacity": 1,
        }
        return cls(provider.build_url(fill_subdomain=False, scale_factor="{r}"), options)


@dataclass(frozen=True)
class MapPage:
    """The map's page: finished parts, and :meth:`render` to put them together.

    Parameters
    ----------
    title
        The page title (escaped HTML).
    lang
        The page's language code (``<html lang>``).
    center
        (latitude, longitude) of the first view, before the page fits the data.
    head
        Inlined styles and scripts, placed at the end of ``<head>``.
    body
        The data element and footer, placed after the map container.
    init
        Name of the page script's entry point, called with the Leaflet map and ``data_id``.
    data_id
        The id of the JSON data element.
    tiles
        An online basemap, or None (offline).

    Examples
    --------
    >>> page = MapPage("T", "en", (1.0, 2.0), "<style></style>", "<p>b</p>", "init", "d").render()
    >>> page.startswith('<!DOCTYPE html>'), '<html lang="en">' in page, "center: [1.0, 2.0]," in page
    (True, True, True)
    >>> page == MapPage("T", "en", (1.0, 2.0), "<style></style>", "<p>b</p>", "init", "d").render()
    True
    """

    title: str
    lang: str
    center: tuple[float, float]
    head: str
    body: str
    init: str
    data_id: str
    tiles: TileLayer | None = None

    def get_root(self) -> MapPage:
        """The page itself (what ``folium.Map.get_root()`` gave, so ``m.get_root().render()`` works)."""
        return self

    def render(self) -> str:
        """The whole HTML page."""
        center = _escaped_json([float(self.center[0]), float(self.center[1])])
        map_id = _name("map", self.title, center, self.head, self.body)
        tiles = ""
        if self.tiles is not None:
            layer = _name("tile_layer", map_id, self.tiles.url)
            tiles = (
                f"\n            var {layer} = L.tileLayer(\n"
                f"                {_escaped_json(self.tiles.url)},\n"
                f"                {_js_object(self.tiles.options)}\n\n            );\n        \n    \n"
                f"            {layer}.addTo({map_id});\n        \n    "
            )
        options = _js_object({"zoom": 2, "zoomControl": True, "preferCanvas": False})
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n'
            f"<title>{self.title}</title>    \n"
            '    <meta http-equiv="content-type" content="text/html; charset=UTF-8" />\n    \n'
            '            <meta name="viewport" content="width=device-width,\n'
            '                initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />\n'
            "            <style>\n"
            f"                #{map_id} {{\n"
            "                    position: relative;\n"
            "                    width: 100.0%;\n"
            "                    height: 100.0%;\n"
            "                    left: 0.0%;\n"
            "                    top: 0.0%;\n"
            "                }\n"
            "                .leaflet-container { font-size: 13px; }\n"
            "            </style>\n\n"
            "            <style>html, body {\n"
            "                width: 100%;\n"
            "                height: 100%;\n"
            "                margin: 0;\n"
            "                padding: 0;\n"
            "            }\n"
            "            </style>\n\n"
            "            <style>#map {\n"
            "                position:absolute;\n"
            "                top:0;\n"
            "                bottom:0;\n"
            "                right:0;\n"
            "                left:0;\n"
            "                }\n"
            "            </style>\n\n"
            "            <script>\n"
            "                L_NO_TOUCH = false;\n"
            "                L_DISABLE_3D = false;\n"
            "            </script>\n\n        \n"
            f"    {self.head}\n</head>\n<body>\n    \n    \n"
            f'            <div class="folium-map" id="{map_id}" ></div>\n        \n'
            f"    {self.body}\n</body>\n<script>\n    \n    \n"
            f"            var {map_id} = L.map(\n"
            f'                "{map_id}",\n'
            "                {\n"
            f"                    center: {center},\n"
            "                    crs: L.CRS.EPSG3857,\n"
            f"                    ...{options}\n\n"
            "                }\n"
            "            );\n"
            "\n            \n\n        \n    "
            f"{tiles}{self.init}({map_id}, {json.dumps(self.data_id)});\n</script>\n</html>"
        )
