"""The HTML map in headless Chromium, opened from disk with the network off.

Checks what a reader gets: no request leaves the file, no console error, the layers and the
perspective and date controls work, a click on a section opens its popup with sources, and
hostile strings in the data show as text and run nothing. Screenshots go to tests/artifacts/.
"""

import json
import time
from pathlib import Path

import pytest

import bordermap
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


def _open(driver, path):
    driver.get("about:blank")
    driver.get_log("performance")  # drop what the browser did before our page
    driver.get_log("browser")
    driver.get(path.as_uri())
    for _ in range(50):
        if driver.execute_script("return !!window.bordermap"):
            break
        time.sleep(0.1)
    assert driver.execute_script("return !!window.bordermap"), "the map did not start"
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
        var ll = item.layer.getLatLngs(); ll = Array.isArray(ll[0]) ? ll[0] : ll;
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
    labels = [
        e.text
        for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays label")
    ]
    assert any("Line: OpenStreetMap" in t for t in labels) and "Disputed sections" in labels
    radios = browser.find_elements(By.CSS_SELECTOR, "input[name=bm-view]")
    assert [r.get_attribute("value") for r in radios] == ["neutral", "de-facto", "KG", "TJ"]
    assert browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-scale")
    legend = browser.find_element(By.CSS_SELECTOR, ".bm-legend").text
    assert "Line status" in legend and "disputed" in legend
    footer = browser.find_element(By.CSS_SELECTOR, ".bm-footer").text
    assert (
        "Perspective: Neutral" in footer
        and "ODbL" in footer
        and "do not imply endorsement" in footer
    )
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
