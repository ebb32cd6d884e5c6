"""The HTML map checked as a string, as geopandas' test_explore does: layers, offline, escaping."""

import json
import re

import pytest
import shapely

import bordermap
from bordermap.errors import UsageError
from bordermap.maps.html import make_map, render_map, write_map
from bordermap.maps.style import disclaimer

URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(https?:|//)[^"'\s>]*""", re.I)


def _data(page):
    block = re.search(
        r'<script type="application/json" id="bm-data">(.*?)</script>', page, re.S
    ).group(1)
    return json.loads(block)


@pytest.fixture(scope="module")
def mini_page(mini):
    return render_map(bordermap.load(mini))


def test_every_layer_and_control_is_there(mini_page):
    data = _data(mini_page)
    labels = " ".join(g["label"] for g in data["groups"])
    for name in (
        "Countries (Alpha line)",
        "Line: Alpha line",
        "Line: Beta line",
        "Enclaves",
        "Disputed sections",
        "Incidents",
        "Places",
    ):
        assert name in labels
    assert [v["id"] for v in data["views"]] == ["neutral", "de-facto", "KG", "TJ"]
    # the scale bar: the page's own metric-only control (units from the catalogue), not Leaflet's km + miles
    assert "L.Control.Scale.extend" in mini_page and "imperial: false" in mini_page
    assert "L.control.scale()" not in mini_page and data["i18n"]["{n} km"] == "{n} km"
    assert "bordermapInit(" in mini_page


def test_nothing_external_is_loaded(mini_page):
    # Links a reader may follow (data sources, the Leaflet credit) are fine; nothing is fetched.
    assert (
        "cdn." not in mini_page
        and "jquery" not in mini_page.lower()
        and "bootstrap" not in mini_page.lower()
    )
    assert not re.search(
        r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", mini_page, re.I
    )
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", mini_page), "no CSS loads a remote resource"
    assert "@import" not in mini_page
    allowed = ("https://example.org/news/1", "https://leafletjs.com")
    assert {m.group(0).split("=", 1)[1].strip("\"' ") for m in URL_ATTR.finditer(mini_page)} <= set(
        allowed
    )


def test_legend_footer_and_disclaimer(mini):
    dataset = bordermap.load(mini)
    page = render_map(dataset, perspective="KG", as_of="2021-04-28")
    data = _data(page)
    assert disclaimer(dataset) in page
    assert (
        "bm-footer" in page and "CC0-1.0" in page and "bordermap tests" in page
    )  # dataset licence, attribution
    assert "Alpha line" in data["legend"] and "disputed" in data["legend"]
    assert data["views"][data["start"]["view"]]["id"] == "KG"
    assert data["days"][data["start"]["day"]]["d"] == "2021-04-28"


def test_hostile_strings_stay_text(hostile_mini, hostile):
    page = render_map(bordermap.load(hostile_mini))
    data = _data(page)
    # Nothing was evaluated: not by Jinja (folium renders templates), not by a template literal.
    assert "49zz" not in page
    assert "`" not in page.split("bordermap interactive map", 1)[1].split("</script>", 1)[0]
    # Outside the inert JSON block the raw markup never appears; inside it, every string that
    # becomes HTML (popups, tooltips, snippets, legend, layer names) holds only its escaped form.
    outside = re.sub(
        r'<script type="application/json" id="bm-data">.*?</script>', "", page, flags=re.S
    )
    assert hostile["html"] not in outside and "<img src=x" not in outside
    assert "document.title='pwned'" not in outside
    as_html = [f["pop"] or "" for f in data["features"]] + [
        f["tip"] or "" for f in data["features"]
    ]
    as_html += data["snippets"] + [data["legend"]] + [g["label"] for g in data["groups"]]
    assert not [
        t
        for t in as_html
        if "<img" in t or "<script" in t or "onerror=" in t.replace("onerror=alert(1)&gt;", "")
    ]
    popups = " ".join(f["pop"] or "" for f in data["features"]) + " ".join(data["snippets"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in popups
    assert "{{7*7}}zz" in popups
    assert "&lt;/script&gt;&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in popups
    assert "javascript:" not in page
    assert "evil.example" not in page  # a hostile country colour never reaches CSS or SVG
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title


def test_perspective_and_basemap_are_checked(mini):
    dataset = bordermap.load(mini)
    with pytest.raises(UsageError, match="UZ"):
        make_map(dataset, perspective="UZ")
    with pytest.raises(UsageError, match="basemap"):
        make_map(dataset, basemap="satellite")


def test_online_basemap_is_explicit_and_attributed(mini):
    page = render_map(bordermap.load(mini), basemap="osm")
    assert "tile.openstreetmap.org" in page and "OpenStreetMap" in page and "Basemap (osm)" in page


def test_bundled_map_fits_in_budget(tmp_path):
    out = write_map(bordermap.load(), tmp_path / "kg-tj.html")
    assert out.stat().st_size <= 1_500_000
    data = _data(out.read_text(encoding="utf-8"))
    dataset = bordermap.load()
    drawn = {f["id"] for f in data["features"]}
    for layer in ("boundary", "sections", "divergence", "incidents", "places"):
        frame = dataset.layer(layer)
        located = frame[~shapely.is_missing(frame.geometry.values) & ~frame.geometry.is_empty]
        assert set(located["id"]) <= drawn, layer
