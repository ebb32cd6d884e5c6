"""The background context: real Natural Earth polygons around the line, attributed, and drawn."""

import shapely

import bordermap
from bordermap.derive.context import CONTEXT_BOX, CONTEXT_COUNTRIES
from bordermap.maps.context import context_layer
from bordermap.maps.html import make_map
from bordermap.maps.static import MapView, map_figure


def test_context_is_attributed_clipped_and_outside_the_windows():
    dataset = bordermap.load()
    context = context_layer(dataset)
    assert set(context["country"]) <= set(CONTEXT_COUNTRIES) and {"KZ", "CN", "AF"} <= set(context["country"])
    west, south, east, north = context.total_bounds
    assert west >= CONTEXT_BOX[0] and south >= CONTEXT_BOX[1] and east <= CONTEXT_BOX[2] and north <= CONTEXT_BOX[3]
    for row in context.itertuples():
        assert row.precision_m == 1000 and "Natural Earth" in row.geometry_method
        assert [s["source_id"] for s in row.sources] == ["ds_ne10"] and "ds_ne10" in dataset.sources
    areas = dataset.layer("areas")
    regions = areas[areas["kind"] == "country_region"]
    windows = shapely.union_all(regions.envelope.values)
    own = context[context["country"].isin(set(regions["country"]))]
    overlap = shapely.intersection(shapely.union_all(own.geometry.values), windows).area
    assert overlap < 1e-6 * windows.area  # the depictions' own polygons of KG, TJ, UZ fill the windows
    # Any other country (China) fills the window up to the depictions' polygons, not to the
    # window's straight edges, which a reader would take for a border.
    others = shapely.union_all(context[~context["country"].isin(set(regions["country"]))].geometry.values)
    edges = shapely.union_all([shapely.envelope(shapely.union_all(g.geometry.values)).exterior
                               for _, g in regions.groupby("depiction")])
    # (Cut along the window, China had 1.5° of straight edge; what is left is where Natural Earth
    # and a depiction disagree at the window's edge, a few km.)
    assert shapely.intersection(others.boundary, edges.buffer(1e-6)).length < 0.05  # degrees
    assert others.intersects(windows)
    drawn = shapely.union_all(regions.geometry.values)
    assert shapely.intersection(others, drawn).area < 0.01 * others.intersection(windows).area


def test_maps_draw_the_context():
    dataset = bordermap.load()
    page = make_map(dataset).get_root().render()
    assert '"key":"context"' in page
    fig = map_figure(MapView.of(dataset))
    inset = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Location")
    (x0, x1), (y0, y1) = inset.get_xlim(), inset.get_ylim()
    assert x1 - x0 > 20 and y1 - y0 > 8  # Central Asia, not just the window around the line
    codes = {t.get_text() for t in inset.texts}
    assert {"KZ", "CN", "KG", "TJ"} <= codes
