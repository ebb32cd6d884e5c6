"""The HTML map in headless Chromium, opened from disk with the network off.

Checks what a reader gets: no request leaves the file, no console error, the layers and the
perspective and date controls work, a click on a section opens its popup with sources, and
hostile strings in the data show as text and run nothing. Screenshots go to tests/artifacts/.
"""

import json
import re
import time
from pathlib import Path

import pytest

import bordermap
from bordermap.i18n import messages
from bordermap.maps.html import write_map
from bordermap.testing import headless_chromium

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def browser(request):
    need = request.getfixturevalue("need_tool")
    with headless_chromium(need("chromium"), need("chromedriver"), offline=True, logs=True) as driver:
        # Any alert() would set this flag instead of blocking the page.
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": "window.__alerts = 0; window.alert = function () { window.__alerts += 1; };"},
        )
        yield driver


def _open(driver, path, fragment=""):
    driver.get("about:blank")
    driver.get_log("performance")  # drop what the browser did before our page
    driver.get_log("browser")
    driver.get(path.as_uri() + fragment)
    for _ in range(50):
        if driver.execute_script("return !!(window.bordermap && window.bordermap.ready)"):
            break
        time.sleep(0.1)
    assert driver.execute_script("return !!(window.bordermap && window.bordermap.ready)"), "the map did not start"
    events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    requested = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    failed = [e["params"] for e in events if e["method"] == "Network.loadingFailed"]
    assert not [u for u in requested if not u.startswith(("file://", "data:"))], requested
    assert not failed, failed
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def _section_popup(driver, fid):
    """Centre the map on a vertex of a section, click there, and return the popup's element."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    point = driver.execute_script(
        """
        var id = arguments[0];
        var item = window.bordermap.items.filter(function (i) { return i.f.id === id; })[0];
        var ll = item.layer.getLatLngs(); while (Array.isArray(ll[0])) ll = ll[0];
        var target = ll[Math.floor(ll.length / 2)];
        window.bordermap.map.setView(target, 12, {animate: false});
        var p = window.bordermap.map.latLngToContainerPoint(target);
        var size = window.bordermap.map.getSize();
        return [p.x - size.x / 2, p.y - size.y / 2];
    """,
        fid,
    )
    container = driver.find_element(By.CSS_SELECTOR, ".folium-map")
    ActionChains(driver).move_to_element_with_offset(
        container, int(point[0]), int(point[1])
    ).click().perform()
    time.sleep(0.3)
    return driver.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")


def _shot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def test_bundled_map_offline_with_working_controls(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = write_map(bordermap.load(), tmp_path / "kg-tj.html")
    _open(browser, page)
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".bm-layers label")]
    assert any("Line: OpenStreetMap" in t for t in labels) and "Disputed sections" in labels
    radios = browser.find_elements(By.CSS_SELECTOR, "input[name=bm-view]")
    assert [r.get_attribute("value") for r in radios] == ["neutral", "de-facto", "KG", "TJ"]
    scales = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-scale-line")]
    assert len(scales) == 1 and re.fullmatch(r"\d+(\.\d+)? k?m", scales[0]), scales  # metric only: no miles
    legend = browser.find_element(By.CSS_SELECTOR, ".bm-legend").text
    assert "Line status" in legend and "disputed" in legend
    footer = browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    assert "Perspective: Neutral" in footer and "do not imply endorsement" in footer
    browser.find_element(By.CSS_SELECTOR, ".bm-about summary").click()
    assert "ODbL" in browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    _shot(browser, "map-kg-tj.png")

    # Before the 2025 treaty the line's status was undetermined: every main segment is dashed then.
    browser.execute_script("""
        var s = document.querySelector('input.bm-day');
        var days = JSON.parse(document.getElementById('bm-data').textContent).days.map(function (d) { return d.d; });
        s.value = days.indexOf('2025-03-30'); s.dispatchEvent(new Event('input'));
    """)
    dashes = browser.execute_script("""
        return window.bordermap.items.filter(function (i) { return /_main_/.test(i.f.id); })
            .map(function (i) { return i.layer._path.getAttribute('stroke-dasharray'); });
    """)
    assert dashes and all(dashes)
    assert "2025-03-30" in browser.find_element(By.CSS_SELECTOR, ".bm-footer").text

    sections = browser.execute_script("""
        var data = JSON.parse(document.getElementById('bm-data').textContent);
        return data.features.map(function (f, i) { return [f.id, data.topo.geoms[i].t]; })
            .filter(function (p) { return p[0].indexOf('sec_') === 0 && p[1] === 'L'; })
            .map(function (p) { return p[0]; });
    """)
    popup = _section_popup(browser, sections[0])
    assert "Sources" in popup.text and "Status history" in popup.text
    assert popup.find_elements(By.CSS_SELECTOR, "ul.bm-sources a[href^='http']")
    assert "Status on 2025-03-30" in popup.text
    _shot(browser, "map-kg-tj-popup.png")


def test_hostile_strings_show_as_text_and_run_nothing(browser, tmp_path, hostile_mini, hostile):
    from selenium.webdriver.common.by import By

    page = write_map(bordermap.load(hostile_mini), tmp_path / "hostile.html")
    _open(browser, page)
    assert browser.title == hostile["script"] + " — bordermap map"
    assert browser.execute_script("return window.__alerts") == 0
    footer = browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    assert hostile["template_literal"] in footer  # the disclaimer, printed literally

    popup = _section_popup(browser, "s-1-kg")
    assert hostile["html"] in popup.text and hostile["jinja"] in popup.text
    assert not popup.find_elements(By.TAG_NAME, "img")
    assert not popup.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    _shot(browser, "map-hostile-popup.png")

    # The KG view hides the line TJ claims; 2021 shows section one as disputed (dashed, red).
    browser.find_element(By.CSS_SELECTOR, "input[name=bm-view][value=KG]").click()
    state = browser.execute_script("""
        var b = window.bordermap;
        function item(id) { return b.items.filter(function (i) { return i.f.id === id; })[0]; }
        var s = document.querySelector('input.bm-day');
        var days = JSON.parse(document.getElementById('bm-data').textContent).days.map(function (d) { return d.d; });
        s.value = days.indexOf('2021-04-28'); s.dispatchEvent(new Event('input'));
        var kg = item('s-1-kg'), tj = item('s-1-tj');
        return [tj.group.hasLayer(tj.layer), kg.group.hasLayer(kg.layer), kg.status,
                kg.layer._path.getAttribute('stroke-dasharray'), kg.layer._path.getAttribute('stroke')];
    """)
    assert state == [False, True, "disputed", "20,12.5", "#e41a1c"]
    assert browser.execute_script("return window.__alerts") == 0
    assert browser.title == hostile["script"] + " — bordermap map"
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    _shot(browser, "map-hostile.png")


def test_kg_and_tj_views_differ_on_the_map_itself(browser, tmp_path):
    """On 2021-04-28 the TJ view drops the Vorukh perimeter and colours sections by TJ's stance."""
    page = write_map(bordermap.load(), tmp_path / "kg-tj.html", perspective="KG", as_of="2021-04-28")
    _open(browser, page)

    from selenium.webdriver.common.by import By

    def shown(view):
        browser.find_element(By.CSS_SELECTOR, f"input[name=bm-view][value={view}]").click()
        return browser.execute_script(
            """
            var out = {};
            window.bordermap.items.forEach(function (i) {
                if (i.group.hasLayer(i.layer)) out[i.f.id] = [i.status, i.layer.options.fillColor || null];
            });
            return out;
            """
        )

    kg, tj = shown("KG"), shown("TJ")
    assert "osm2022_perimeter_vorukh" in kg and "osm2022_perimeter_vorukh" not in tj
    assert kg["sec_vorukh_enclave"] != tj["sec_vorukh_enclave"]
    assert tj["sec_vorukh_enclave"][0] == "disputed — TJ says: TJ territory; not an enclave"
    assert kg["sec_vorukh_enclave"][0] == "disputed — KG says: TJ territory; an enclave"
    neutral = shown("neutral")
    assert neutral["sec_vorukh_enclave"][0] == "disputed"  # no stance in the neutral view
    assert set(kg) | set(tj) <= set(neutral)
    tj = shown("TJ")
    assert "Perspective: Tajikistan view" in browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    _shot(browser, "map-kg-tj-tj-view-2021.png")
# ---- the page on any screen, labels, the URL fragment, embed mode, Russian, the focus outline

SIZES = [(390, 844), (1400, 900), (1920, 1080)]
COVERING = ".leaflet-control, .bm-side, .bm-footer, .bm-credit"


@pytest.fixture(scope="module")
def kg_tj_page(tmp_path_factory):
    return write_map(bordermap.load(), tmp_path_factory.mktemp("map") / "kg-tj.html")


def _viewport(driver, width, height):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700},
    )


def _line_points(driver, every=25):
    """Page coordinates of every n-th vertex of the default depiction's main line, and the map's box."""
    return driver.execute_script(
        """
        var b = window.bordermap, data = JSON.parse(document.getElementById('bm-data').textContent);
        var key = data.groups.filter(function (g) { return g.key.indexOf('line-') === 0; })[0].key;
        var box = b.map.getContainer().getBoundingClientRect();
        var pts = [];
        b.items.forEach(function (it) {
            if (data.groups[it.f.g].key !== key || !/_main/.test(it.f.id)) return;
            var ll = it.layer.getLatLngs();
            if (!Array.isArray(ll[0])) ll = [ll];
            ll.forEach(function (part) {
                part.forEach(function (p) {
                    var c = b.map.latLngToContainerPoint(p);
                    pts.push([box.left + c.x, box.top + c.y]);
                });
            });
        });
        return {pts: pts.filter(function (p, i) { return i % EVERY === 0; }),
                box: [box.left, box.top, box.right, box.bottom]};
        """.replace("EVERY", str(every))
    )


def _apart(a, b):
    """Two (left, top, right, bottom) boxes do not overlap."""
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def _covered(driver, x, y):
    return driver.execute_script(
        "var e = document.elementFromPoint(arguments[0], arguments[1]);"
        "return e ? (e.closest(arguments[2]) ? e.className || e.tagName : '') : 'nothing';",
        x, y, COVERING,
    )


def _visible_labels(driver):
    return driver.execute_script("""
        return window.bordermap.labels.filter(function (l) { return l.on; }).map(function (l) {
            var r = l.span.getBoundingClientRect();
            return {t: l.span.textContent, k: l.l.k, r: [r.left, r.top, r.right, r.bottom]};
        });
    """)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_page_fits_each_screen(browser, kg_tj_page, size):
    from selenium.webdriver.common.by import By

    width, height = size
    _viewport(browser, width, height)
    try:
        _open(browser, kg_tj_page)
        box = browser.execute_script(
            "var r = window.bordermap.map.getContainer().getBoundingClientRect(); return [r.width, r.height];"
        )
        # The map fills most of the screen: all of it on a phone bar the footer's lines, beside the panel elsewhere.
        assert box[0] * box[1] >= (0.8 if width < 700 else 0.6) * width * height, box
        assert browser.execute_script("return document.documentElement.lang") == "en"
        assert browser.find_element(By.CSS_SELECTOR, "meta[name=viewport]")

        # The whole line is in view and no panel or control covers any sampled point of it.
        found = _line_points(browser)
        left, top, right, bottom = found["box"]
        assert len(found["pts"]) > 20
        for x, y in found["pts"]:
            assert left <= x <= right and top <= y <= bottom, (x, y, found["box"])
            assert _covered(browser, x, y) == "", (x, y, _covered(browser, x, y))

        # Labels are drawn, inside the map, none overlapping another.
        labels = _visible_labels(browser)
        kinds = {label["k"] for label in labels}
        assert len(labels) >= (4 if width < 700 else 10) and "country" in kinds, labels
        for i, a in enumerate(labels):
            assert left <= a["r"][0] and a["r"][2] <= right and top <= a["r"][1] and a["r"][3] <= bottom, a
            for b in labels[i + 1:]:
                assert _apart(a["r"], b["r"]), (a, b)
        _shot(browser, f"map-{width}x{height}.png")

        # Every control can be reached: those on the map, then (panel open, its parts unfolded) the panel's.
        assert not _unreachable(browser, ".leaflet-control button, .leaflet-control a, .bm-footer summary")
        toggle = browser.find_element(By.CSS_SELECTOR, ".bm-toggle")
        if browser.execute_script("return document.body.classList.contains('bm-side-hidden')"):
            toggle.click()
        browser.execute_script(
            "document.querySelectorAll('.bm-side details').forEach(function (d) { d.open = true; });"
        )
        assert not _unreachable(
            browser, ".bm-side input, .bm-side select, .bm-side button:not([disabled]), .bm-side summary, .bm-toggle"
        )
        _shot(browser, f"map-{width}x{height}-panel.png")
        # Zoomed in, labels are placed again without overlap.
        browser.execute_script("window.bordermap.map.setView([39.95, 70.6], 11, {animate: false});")
        labels = _visible_labels(browser)
        assert labels
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert _apart(a["r"], b["r"]), (a, b)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _unreachable(driver, selector):
    """The controls matching ``selector`` that a pointer cannot hit once scrolled into view."""
    return driver.execute_script(
        """
        var out = [];
        document.querySelectorAll(arguments[0]).forEach(function (e) {
                e.scrollIntoView({block: 'center'});
                var r = e.getBoundingClientRect();
                if (r.width === 0) { out.push(e.outerHTML.slice(0, 80)); return; }
                var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                var label = e.closest('label');
                var ok = hit && (hit === e || e.contains(hit) || (label && label.contains(hit)));
                if (!ok) out.push(e.outerHTML.slice(0, 80));
            });
        return out;
        """,
        selector,
    )


def test_url_fragment_round_trips(browser, kg_tj_page):
    from selenium.webdriver.common.by import By

    _viewport(browser, 1400, 900)
    try:
        _open(browser, kg_tj_page)
        browser.find_element(By.CSS_SELECTOR, "input[name=bm-view][value=TJ]").click()
        browser.execute_script("""
            var s = document.querySelector('input.bm-day');
            var data = JSON.parse(document.getElementById('bm-data').textContent);
            s.value = data.days.map(function (d) { return d.d; }).indexOf('2025-03-30');
            s.dispatchEvent(new Event('input'));
        """)
        browser.find_element(By.CSS_SELECTOR, ".bm-layers input[value=places]").click()
        browser.find_element(By.CSS_SELECTOR, ".bm-sections summary").click()
        section = browser.find_element(By.CSS_SELECTOR, ".bm-section-list button:not([disabled])")
        section.click()
        time.sleep(0.3)
        before = browser.execute_script("""
            var b = window.bordermap, c = b.map.getCenter();
            return {view: b.state.view, day: b.state.day, sel: b.state.sel, z: b.map.getZoom(), c: [c.lat, c.lng],
                    on: b.groups.map(function (g) { return b.map.hasLayer(g); }), hash: location.hash};
        """)
        assert before["sel"] and "view=TJ" in before["hash"] and "day=2025-03-30" in before["hash"]
        assert "places" not in before["hash"].split("layers=")[1].split("&")[0].split(",")

        _open(browser, kg_tj_page, before["hash"])
        after = browser.execute_script("""
            var b = window.bordermap, c = b.map.getCenter();
            return {view: b.state.view, day: b.state.day, sel: b.state.sel, z: b.map.getZoom(), c: [c.lat, c.lng],
                    on: b.groups.map(function (g) { return b.map.hasLayer(g); }), hash: location.hash};
        """)
        assert {k: after[k] for k in ("view", "day", "sel", "z", "on")} == {
            k: before[k] for k in ("view", "day", "sel", "z", "on")
        }
        assert after["c"] == pytest.approx(before["c"], abs=1e-4)
        _shot(browser, "map-restored-from-fragment.png")
        popup = browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
        assert before["sel"] in popup.get_attribute("textContent")
        assert browser.find_element(By.CSS_SELECTOR, "input[name=bm-view][value=TJ]").is_selected()
        assert not browser.find_element(By.CSS_SELECTOR, ".bm-layers input[value=places]").is_selected()
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("how", ["fragment", "option"])
def test_embed_mode_has_one_line_credit(browser, kg_tj_page, tmp_path, how):
    from selenium.webdriver.common.by import By

    if how == "fragment":
        _open(browser, kg_tj_page, "#embed")
    else:
        _open(browser, write_map(bordermap.load(), tmp_path / "embed.html", embed=True))
    assert not browser.find_element(By.CSS_SELECTOR, ".bm-footer").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".bm-side").is_displayed()
    credit = browser.find_element(By.CSS_SELECTOR, ".bm-credit")
    assert credit.is_displayed() and credit.size["height"] < 22  # one line
    text = browser.execute_script("return arguments[0].textContent", credit)
    assert "OpenStreetMap" in text and "none an official delimitation" in text
    assert "embed" in browser.execute_script("return location.hash")
    # No national symbol in the credits (Leaflet 1.9's default prefix carries a flag).
    credits = browser.execute_script(
        "return document.querySelector('.leaflet-control-attribution').innerHTML")
    assert "Leaflet" in credits and "<svg" not in credits
    _shot(browser, f"map-embed-{how}.png")


def test_russian_interface(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = write_map(bordermap.load(), tmp_path / "ru.html", lang="ru")
    _open(browser, page)
    assert browser.execute_script("return document.documentElement.lang") == "ru"
    side = browser.find_element(By.CSS_SELECTOR, ".bm-side").text
    assert "Точка зрения" in side and "Слои" in side and "Спорные участки" in side
    assert "Perspective" not in side and "Layers" not in side
    footer = browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    as_of = messages("ru").date(bordermap.load().meta["as_of"])  # e.g. "3 декабря 2026"
    assert as_of in footer and "не означают" in footer
    labels = [label["t"] for label in _visible_labels(browser)]
    assert "КЫРГЫЗСТАН" in [t.upper() for t in labels] and "Ворух" in labels
    _shot(browser, "map-ru.png")
    # The scale bar: one metric bar, its unit in Russian, at every zoom tried.
    for zoom in (6, 9, 12, 15):
        browser.execute_script("window.bordermap.map.setZoom(arguments[0], {animate: false})", zoom)
        scales = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-scale-line")]
        assert len(scales) == 1 and re.fullmatch(r"\d+([,.]\d+)? к?м", scales[0]), (zoom, scales)
    browser.execute_script("window.bordermap.fit()")
    popup = _section_popup(browser, "sec_vorukh_enclave")
    assert "Источники" in popup.text and "История статуса" in popup.text
    # Every field name and heading of the popup is Russian (the data's own words stay as written).
    fields = [e.text for e in popup.find_elements(By.CSS_SELECTOR, ".bm-facts th, h4")]
    assert "площадь" in fields and "точность" in fields, fields
    assert not [f for f in fields if re.search(r"[A-Za-z]{3,}", f)], fields
    spread = popup.find_element(By.CSS_SELECTOR, ".bm-spread").text
    assert "по изображениям" in spread and "across" not in spread and "default depiction" not in spread, spread
    _shot(browser, "map-ru-popup.png")


def test_click_leaves_no_focus_outline(browser, kg_tj_page):
    _open(browser, kg_tj_page)
    _section_popup(browser, "sec_vorukh_enclave")
    focused = browser.execute_script("""
        var e = document.activeElement, s = getComputedStyle(e);
        return [e.tagName.toLowerCase(), (e.getAttribute('class') || ''), s.outlineStyle, s.outlineWidth];
    """)
    # Leaflet focuses the clicked path (it has a tooltip); it must draw no outline for a mouse click.
    assert focused[0] == "path" and "leaflet-interactive" in focused[1], focused
    assert focused[2] == "none" or focused[3] == "0px", focused
    _shot(browser, "map-click-no-outline.png")


def test_play_search_and_compare(browser, kg_tj_page):
    from selenium.webdriver.common.by import By

    _open(browser, kg_tj_page)
    browser.execute_script("window.bordermap.state.day = 0; window.bordermap.apply();")
    browser.find_element(By.CSS_SELECTOR, ".bm-play").click()
    for _ in range(40):
        if browser.execute_script("return window.bordermap.state.day") >= 2:
            break
        time.sleep(0.1)
    assert browser.execute_script("return window.bordermap.state.day") >= 2
    browser.find_element(By.CSS_SELECTOR, ".bm-play").click()  # pause

    browser.find_element(By.CSS_SELECTOR, ".bm-sections summary").click()
    search = browser.find_element(By.CSS_SELECTOR, ".bm-search")
    search.send_keys("vorukh")
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".bm-section-list li") if e.is_displayed()]
    assert shown and all("vorukh" in t.lower() or "ворух" in t.lower() for t in shown), shown
    # Sections known only by their district are listed with it, not drawn.
    search.clear()
    search.send_keys(" ")
    unlocated = browser.find_elements(By.CSS_SELECTOR, ".bm-section-list .bm-nogeom")
    assert unlocated

    browser.find_element(By.CSS_SELECTOR, ".bm-compare summary").click()
    browser.find_element(By.CSS_SELECTOR, ".bm-cmp-on").click()
    clip = browser.execute_script("""
        var m = window.bordermap.map;
        return [m.getPane('bm-cmp-a').style.clip, m.getPane('bm-cmp-b').style.clip,
                m.getPane('bm-cmp-a').querySelectorAll('path').length,
                m.getPane('bm-cmp-b').querySelectorAll('path').length,
                getComputedStyle(document.querySelector('.bm-divider')).display];
    """)
    assert clip[0].startswith("rect(") and clip[1].startswith("rect(") and clip[2] and clip[3] and clip[4] == "block"
    assert "cmp=" in browser.execute_script("return location.hash")
    _shot(browser, "map-compare.png")
