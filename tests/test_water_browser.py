"""The HTML map's "Rivers and lakes" layer in headless Chromium, offline: present, under the areas, toggles."""

import time

import pytest

import bordermap
from bordermap.maps.html import PANES, write_map
from bordermap.palette import WATER, WATER_LINE
from bordermap.testing import headless_chromium

pytestmark = pytest.mark.browser


def test_water_layer_is_drawn_offline_under_the_borders(tmp_path, need_tool):
    from selenium.webdriver.common.by import By

    page = write_map(bordermap.load(), tmp_path / "kg-tj.html")
    with headless_chromium(need_tool("chromium"), need_tool("chromedriver"), offline=True) as driver:
        driver.set_window_size(1400, 900)
        driver.get(page.as_uri())
        for _ in range(50):
            if driver.execute_script("return !!(window.bordermap && window.bordermap.ready)"):
                break
            time.sleep(0.1)
        labels = driver.find_elements(By.CSS_SELECTOR, ".bm-layers label")
        water_label = next(e for e in labels if e.text == "Rivers and lakes (GSHHG, background)")
        drawn = driver.execute_script("""
            var items = window.bordermap.items.filter(function (i) {
                return i.f.id.indexOf('context_water_') === 0;
            });
            return items.map(function (i) {
                var p = i.layer._path;
                return {id: i.f.id, on: window.bordermap.map.hasLayer(i.layer),
                        pane: p.closest('.leaflet-pane').className, fill: p.getAttribute('fill'),
                        stroke: p.getAttribute('stroke'), d: p.getAttribute('d').length};
            });
        """)
        assert sorted(d["id"] for d in drawn) == ["context_water_lakes", "context_water_rivers"]
        by_id = {d["id"]: d for d in drawn}
        assert all(d["on"] and "bm-water-pane" in d["pane"] and d["d"] > 10 for d in drawn), drawn
        # Lakes in the water blue with a shore, rivers in the darker line blue (visible over TJ's fill).
        assert by_id["context_water_lakes"]["fill"] == WATER and by_id["context_water_lakes"]["stroke"] == WATER_LINE
        assert by_id["context_water_rivers"]["stroke"] == WATER_LINE and by_id["context_water_rivers"]["fill"] == "none"
        # Over the country fills, under every area, line and label.
        z = driver.execute_script("""
            var m = window.bordermap.map;
            return ['bm-context', 'bm-water', 'bm-areas', 'bm-lines'].map(function (n) {
                return +m.getPane(n).style.zIndex;
            });
        """)
        assert z == sorted(z) and z[1] == PANES["bm-water"]
        assert "river / lake (GSHHG, background)" in driver.find_element(By.CSS_SELECTOR, ".bm-legend").text
        # The layer control switches it off.
        water_label.find_element(By.CSS_SELECTOR, "input").click()
        assert not driver.execute_script(
            "return window.bordermap.items.some(function (i) { return i.f.id.indexOf('context_water_') === 0 && "
            "window.bordermap.map.hasLayer(i.layer); });"
        )
