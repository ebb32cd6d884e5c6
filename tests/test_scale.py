"""The divider method and the Richardson fit, against analytic and GeographicLib references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from shapely import LineString

from bordermap.scale import Richardson, divider_length, divider_points, to_ecef

KOCH_D = math.log(4) / math.log(3)


def koch(iterations: int) -> np.ndarray:
    """Vertices of the Koch curve on the unit segment (planar, exact)."""
    pts = np.array([[0.0, 0.0], [1.0, 0.0]])
    rot = np.array([[0.5, -math.sqrt(3) / 2], [math.sqrt(3) / 2, 0.5]])  # +60°
    for _ in range(iterations):
        out = [pts[0]]
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            d = (b - a) / 3.0
            p1, p3 = a + d, a + 2 * d
            out += [p1, p1 + rot @ d, p3, b]
        pts = np.array(out)
    return pts


def walk_length(points: np.ndarray, line: np.ndarray) -> float:
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1).sum()
    return float(steps + np.linalg.norm(line[-1] - points[-1]))


@pytest.mark.parametrize("k", range(5))
def test_koch_divider_length_is_four_thirds_power(k: int) -> None:
    # On the iteration-5 curve a ruler of 3^-k steps exactly from vertex to vertex of iteration k:
    # 4^k steps, length (4/3)^k, nothing left over.
    line = koch(5)
    ruler = 3.0**-k
    points = divider_points(line, ruler)
    assert len(points) - 1 == 4**k
    assert walk_length(points, line) == pytest.approx((4 / 3) ** k, rel=1e-9)
    np.testing.assert_allclose(np.linalg.norm(np.diff(points, axis=0), axis=1), ruler, rtol=1e-9)


def test_richardson_fit_recovers_koch_dimension() -> None:
    line = koch(5)
    rulers = [3.0**-k for k in range(6)]
    lengths = [walk_length(divider_points(line, r), line) for r in rulers]
    fit = Richardson.fit(rulers, lengths)
    assert fit.D == pytest.approx(KOCH_D, abs=1e-9)
    assert fit.M == pytest.approx(1.0, rel=1e-9)  # L(1) = 1: the base segment
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.ruler_for((4 / 3) ** 3) == pytest.approx(3.0**-3, rel=1e-9)


def test_divider_never_exceeds_the_polyline() -> None:
    rng = np.random.default_rng(1)
    line = np.cumsum(rng.normal(size=(400, 2)), axis=0)
    polyline = float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())
    for ruler in (0.05, 0.3, 1.0, 4.0):
        assert walk_length(divider_points(line, ruler), line) <= polyline + 1e-9


def test_geodesic_steps_are_the_ruler_by_geographiclib() -> None:
    # A zigzag line near 40°N (the KG–TJ latitudes), 500 m ruler: every step between successive
    # divider points is 500 m on WGS84 as GeographicLib measures it.
    lon = np.linspace(70.0, 70.5, 41)
    lat = 40.0 + 0.01 * (np.arange(41) % 2)
    line = LineString(np.column_stack([lon, lat]))
    points = divider_points(to_ecef(line), 500.0)
    back = Transformer.from_crs("EPSG:4978", "EPSG:4326", always_xy=True)
    plon, plat, _ = back.transform(points[:, 0], points[:, 1], points[:, 2])
    steps = [
        Geodesic.WGS84.Inverse(plat[i], plon[i], plat[i + 1], plon[i + 1])["s12"]
        for i in range(len(plon) - 1)
    ]
    np.testing.assert_allclose(steps, 500.0, rtol=1e-6)
    rest = Geodesic.WGS84.Inverse(plat[-1], plon[-1], lat[-1], lon[-1])["s12"]
    result = divider_length(line, 500.0)
    assert result.steps == len(steps)
    assert result.length_m == pytest.approx(sum(steps) + rest, rel=1e-9)
    assert result.remainder_m == pytest.approx(rest, abs=1e-3)


def test_plot_labels_apart_and_far_targets_listed_not_drawn():
    import bordermap
    from bordermap.scale import analyse, plot_figure

    targets = (900.0, 940.0, 970.0, 970.8, 971.0, 976.0, 990.0, 1006.84, 1684.0)
    analysis = analyse(bordermap.load(), rulers_m=(10.0, 100.0, 1000.0, 10000.0), targets_km=targets)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plot_figure(analysis)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert high < 1684.0 and low <= 900.0  # the outlier does not stretch the axis
    notes = [t.get_text() for t in fig.texts]
    assert any("1,684 km" in n and "off the chart" in n for n in notes)
    labels = [a for a in ax.texts if a.get_text().endswith(("km", "figures)"))]
    assert labels and sum(1 if "figures" not in a.get_text() else int(a.get_text().split("(")[1].split()[0])
                          for a in labels) == len(targets) - 1
    renderer = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    # Lengths in plain kilometres, rulers in m and km.
    assert {t.get_text() for t in ax.get_yticklabels() if t.get_text()} & {"700", "800", "900", "1,000"}
    assert {"10 m", "1 km"} <= {t.get_text() for t in ax.get_xticklabels()}
