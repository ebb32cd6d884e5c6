"""Colours stay apart under the common colour-vision deficiencies, and a country keeps its colour.

The simulation is Machado, Oliveira & Fernandes (2009), severity 1.0, applied in linear sRGB (the
matrices Chromium and Firefox DevTools use); distances are CIE 1976 ΔE*ab in CIELAB (D65), written
out here from the published formulas rather than taken from the code under test. Fills are
composited over the map background at their opacity in sRGB, as a browser does.
"""

import itertools
import math

import pytest

import bordermap
from bordermap.init import countries_table
from bordermap.maps.html import DIVERGENCE_COLOR, render_map
from bordermap.maps.style import DEPICTION_PALETTE, STATUS_FILL, country_color
from bordermap.palette import COUNTRY_FILL_OPACITY, COUNTRY_FILLS, MAP_BACKGROUND

MACHADO = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


SECTION_STATUSES = ("agreed", "settled", "disputed", "undetermined", "abolished")


def _rgb(hex_color):
    h = hex_color.lstrip("#")
    return [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]


def _linear(v):
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _lab(linear_rgb):
    r, g, b = linear_rgb
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_color, kind, opacity=1.0):
    """CIELAB of a colour drawn at ``opacity`` over the map background, as seen with ``kind`` vision."""
    mixed = [opacity * a + (1 - opacity) * b for a, b in zip(_rgb(hex_color), _rgb(MAP_BACKGROUND), strict=True)]
    lin = [_linear(v) for v in mixed]
    m = MACHADO[kind]
    return _lab([min(1.0, max(0.0, sum(m[i][j] * lin[j] for j in range(3)))) for i in range(3)])


def closest_pair(colors, opacity=1.0):
    worst = (math.inf, None)
    for kind in MACHADO:
        for a, b in itertools.combinations(colors, 2):
            d = math.dist(seen(a, kind, opacity), seen(b, kind, opacity))
            worst = min(worst, (d, (kind, a, b)))
    return worst


def test_simulation_reproduces_known_confusions():
    # The textbook confusion: this red and this green nearly merge for a deuteranope, not for normal vision.
    red, green = "#c0392b", "#27ae60"
    assert math.dist(seen(red, "normal", 0.16), seen(green, "normal", 0.16)) > 8
    assert math.dist(seen(red, "deuteranopia", 0.16), seen(green, "deuteranopia", 0.16)) < 3
    # White is white whatever the vision.
    assert seen("#ffffff", "tritanopia") == pytest.approx((100, 0, 0), abs=0.05)


def test_country_fills_apart_under_cvd():
    distance, pair = closest_pair([*COUNTRY_FILLS, DIVERGENCE_COLOR], COUNTRY_FILL_OPACITY)
    assert distance >= 9.5, pair


@pytest.mark.parametrize(
    ("name", "colors", "minimum"),
    [
        ("depiction lines", DEPICTION_PALETTE, 15),
        ("section statuses", sorted({STATUS_FILL[s] for s in SECTION_STATUSES}), 12),
    ],
)
def test_line_palettes_apart_under_cvd(name, colors, minimum):
    distance, pair = closest_pair(colors)
    assert distance >= minimum, (name, pair)


def test_a_country_keeps_its_colour_in_every_dataset(tmp_path):
    kg_tj, mini = bordermap.load(), bordermap.load("tests/data/mini")
    for code in ("KG", "TJ", "UZ"):
        assert country_color(kg_tj, code) == country_color(mini, code)
    # A new KG–UZ dataset colours Tajikistan as the bundled one does, and not as the divergence layer.
    table = countries_table(("KG", "UZ"), ["TJ"])
    assert table["TJ"]["color"] == country_color(kg_tj, "TJ") != DIVERGENCE_COLOR
    assert table["UZ"]["color"] == country_color(kg_tj, "UZ")
    # The map draws what the palette says, at the tested opacity.
    page = render_map(kg_tj)
    assert f'"fillColor":"{country_color(kg_tj, "TJ")}","fillOpacity":{COUNTRY_FILL_OPACITY}' in page


@pytest.mark.parametrize(
    "name, fill_minimum, line_minimum",
    [
        # Lakes are drawn opaque over a country fill: they must read neither as a country nor as a border.
        ("WATER", 9.5, 9.5),
        # A river is a line of 0.6 pt (1 px on the web) over the country fills: it needs far more
        # contrast with a fill than a lake does (the lake blue is ΔE 17.5 from Tajikistan's fill,
        # and rivers drawn in it vanished there), and must still not read as a border.
        ("WATER_LINE", 40, 20),
    ],
)
def test_water_apart_from_country_fills_and_boundary_lines_under_cvd(name, fill_minimum, line_minimum):
    from bordermap import palette

    color = getattr(palette, name)
    fills = [*COUNTRY_FILLS, DIVERGENCE_COLOR]
    lines = [*DEPICTION_PALETTE, *sorted({STATUS_FILL[s] for s in SECTION_STATUSES})]
    worst_fill = min(
        (math.dist(seen(color, k), seen(c, k, COUNTRY_FILL_OPACITY)), k, c) for k in MACHADO for c in fills
    )
    worst_line = min((math.dist(seen(color, k), seen(c, k)), k, c) for k in MACHADO for c in lines)
    assert worst_fill[0] >= fill_minimum, worst_fill
    assert worst_line[0] >= line_minimum, worst_line
    # A blue: bluer than it is red or green under normal vision (b* well below zero).
    assert seen(color, "normal")[2] < -30


def test_lake_shores_visible_against_their_lake_under_cvd():
    from bordermap.palette import WATER, WATER_LINE

    assert min(math.dist(seen(WATER_LINE, k), seen(WATER, k)) for k in MACHADO) >= 20


def test_maps_draw_rivers_and_shores_in_the_line_colour():
    from bordermap.palette import WATER, WATER_LINE

    page = render_map(bordermap.load())
    assert f'"color":"{WATER_LINE}"' in page and f'"fillColor":"{WATER}"' in page
