import math
import subprocess
import xml.etree.ElementTree as ET

import matplotlib.image as mpimg
import pytest
from geographiclib.geodesic import Geodesic

from bordermap.cli.main import main

WGS84 = Geodesic.WGS84


def _render(runner, *args):
    return runner.invoke(main, ["render", *args])


def test_png_is_a_landscape_a4_page_with_content(runner, mini, tmp_path):
    out = tmp_path / "map.png"
    result = _render(runner, str(mini), "-o", str(out), "--dpi", "60")
    assert result.exit_code == 0, result.output
    image = mpimg.imread(out)
    # The mini line runs east-west, so the page is A4 landscape: 11.69 x 8.27 in at 60 dpi.
    assert image.shape[:2] == (round(8.27 * 60), round(11.69 * 60))
    assert image[..., :3].std() > 0.05  # not blank


def test_letter_page_and_dpi(runner, mini, tmp_path):
    out = tmp_path / "map.png"
    assert _render(runner, str(mini), "-o", str(out), "--page", "letter", "--dpi", "50").exit_code == 0
    assert mpimg.imread(out).shape[:2] == (round(8.5 * 50), round(11.0 * 50))


def test_svg_keeps_title_date_perspective_sources_and_disclaimer(runner, mini, tmp_path):
    out = tmp_path / "map.svg"
    result = _render(runner, str(mini), "-o", str(out), "--perspective", "KG", "--as-of", "2021-05-01")
    assert result.exit_code == 0, result.output
    text = " ".join(t for t in ET.parse(out).getroot().itertext())
    assert "Hand-made test dataset" in text
    assert "As of 2021-05-01" in text and "as seen by Kyrgyzstan (KG)" in text
    assert "bordermap tests (CC0-1.0)" in text  # the dataset source's attribution and licence
    assert "not a depiction of any real border" in text  # the dataset's disclaimer
    # KG's view holds KG's claim line, not TJ's (perspective rule).
    assert "Section one (KG claim)" in text and "Section one (TJ claim)" not in text


def test_section_map_and_escaping_in_svg(runner, mini_unlocated, tmp_path):
    out = tmp_path / "s.svg"
    result = _render(runner, str(mini_unlocated), "-o", str(out), "--section", "s-1-tj", "--as-of", "2021-05-01")
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()  # parses: every string was escaped
    assert "Section one (TJ claim) — Hand-made" in " ".join(root.itertext())


@pytest.mark.tools
def test_pdf_renders_with_poppler(runner, mini, tmp_path, need_tool):
    pdftoppm = need_tool("pdftoppm")
    out = tmp_path / "map.pdf"
    assert _render(runner, str(mini), "-o", str(out)).exit_code == 0
    subprocess.run([pdftoppm, "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert mpimg.imread(pages[0])[..., :3].std() > 0.05


def test_section_without_geometry_is_not_mapped(runner, mini_unlocated, tmp_path):
    out = tmp_path / "s.png"
    result = _render(runner, str(mini_unlocated), "-o", str(out), "--section", "s-3")
    assert result.exit_code == 1
    assert "s-3 /geometry: null" in result.output and not out.exists()


def test_unknown_section_and_format_are_usage_errors(runner, mini, tmp_path):
    result = _render(runner, str(mini), "-o", str(tmp_path / "m.png"), "--section", "nope")
    assert result.exit_code == 2 and "no section 'nope'" in result.output
    result = _render(runner, str(mini), "-o", str(tmp_path / "m.jpg"))
    assert result.exit_code == 2 and "unknown map format .jpg" in result.output
    assert list(tmp_path.iterdir()) == []


def test_never_writes_into_the_input(runner, mini_copy):
    before = {p.name: p.read_bytes() for p in mini_copy.iterdir()}
    result = _render(runner, str(mini_copy), "-o", str(mini_copy / "map.png"))
    assert result.exit_code == 2 and "overwrite the input" in result.output
    assert {p.name: p.read_bytes() for p in mini_copy.iterdir()} == before


def test_scale_bar_is_geodesically_right():
    """The bar's longitude span times the length of a degree of the parallel (hand formula on the
    ellipsoid) and GeographicLib's geodesic both give the labelled length."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from bordermap.maps.scalebar import draw_scale_bar

    fig, ax = plt.subplots()
    ax.set_xlim(69.0, 72.0)
    ax.set_ylim(39.0, 41.0)
    km = draw_scale_bar(ax)
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_edgecolor() == (0, 0, 0, 1)]
    span = sum(p.get_width() for p in bars)
    x0 = min(p.get_x() for p in bars)
    lat = 40.0
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    per_degree = math.pi / 180 * a * math.cos(math.radians(lat)) / math.sqrt(1 - e2 * math.sin(math.radians(lat)) ** 2)
    assert abs(span * per_degree / 1000 - km) < 1e-6 * km
    geodesic_km = WGS84.Inverse(lat, x0, lat, x0 + span)["s12"] / 1000
    assert abs(geodesic_km - km) < 1e-4 * km  # a 50 km chord and the parallel arc differ by < 5 m
    assert km == 50  # 22 % of 3° of longitude at 40°N is 56 km; the round length below that is 50
    plt.close(fig)


def test_web_size_title_subtitle_and_print_theme(runner, tmp_path):
    out = tmp_path / "web.png"
    result = _render(runner, "-o", str(out), "--size", "1200x675", "--title", "Where two states meet",
                     "--subtitle", "Four depictions", "--theme", "print")
    assert result.exit_code == 0, result.output
    image = mpimg.imread(out)
    assert image.shape[:2] == (675, 1200)
    rgb = image[..., :3]
    assert rgb.std() > 0.05  # drawn
    assert abs(rgb[..., 0] - rgb[..., 1]).max() < 0.01 and abs(rgb[..., 1] - rgb[..., 2]).max() < 0.01  # grey
    svg = tmp_path / "web.svg"
    assert _render(runner, "-o", str(svg), "--size", "1200x675", "--title", "Where two states meet",
                   "--subtitle", "Four depictions").exit_code == 0
    text = " ".join(t.text or "" for t in ET.parse(svg).iter() if t.tag.endswith("text"))
    assert "Where two states meet" in text and "Four depictions · As of" in text
    # Country fills are not all one grey in print: two countries keep apart.
    import bordermap
    from bordermap.maps.static import MapView, map_figure

    fig = map_figure(MapView.of(bordermap.load()), page=(12.0, 6.75), theme="print")
    greys = {
        round(float(p.get_facecolor()[0]), 3)
        for p in fig.findobj(lambda a: type(a).__name__ == "PathPatch")
    }
    assert len(greys) >= 3, greys


@pytest.mark.tools
def test_a4_pdf_and_extent(runner, tmp_path, need_tool):
    pdfinfo = need_tool("pdfinfo")
    out = tmp_path / "map.pdf"
    assert _render(runner, "-o", str(out), "--size", "A4", "--extent", "70.3,39.75,70.9,40.15").exit_code == 0
    info = subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split("x"))
    assert {round(width), round(height)} == {595, 842}  # A4 in points, either orientation

    import bordermap
    from bordermap.maps.static import MapView, map_figure

    fig = map_figure(MapView.of(bordermap.load()), extent=(70.3, 39.75, 70.9, 40.15))
    ax = max(fig.axes, key=lambda a: a.get_position().width * a.get_position().height)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 <= 70.3 and x1 >= 70.9 and y0 <= 39.75 and y1 >= 40.15
    assert x1 - x0 < 1.5 and y1 - y0 < 1.0  # the box asked for, widened only to the frame's shape


def test_bad_size_is_a_usage_error(runner, tmp_path):
    result = _render(runner, "-o", str(tmp_path / "m.png"), "--size", "12x4")
    assert result.exit_code == 2 and "--size" in result.output and not (tmp_path / "m.png").exists()


def test_render_in_russian(runner, tmp_path):
    svg = tmp_path / "ru.svg"
    result = _render(runner, "-o", str(svg), "--lang", "ru")
    assert result.exit_code == 0, result.output
    text = " ".join(t.text or "" for t in ET.parse(svg).iter() if t.tag.endswith("text"))
    import bordermap
    from bordermap.i18n import messages

    as_of = messages("ru").date(bordermap.load().meta["as_of"])
    for words in ("Легенда", "Расположение", f"На дату {as_of}", "Точка зрения", "верен на", "Ворух",
                  "Оговорка", "Кыргызстан"):
        assert words in text, words
    for english in ("Legend", "Location", "As of", "true at", "Disclaimer"):
        assert english not in text, english


@pytest.mark.parametrize("page", [(10.0, 5.6), (12.0, 6.75), "A4"])
def test_legend_and_footer_fit_the_page(page):
    import bordermap
    from bordermap.maps.static import MapView, map_figure

    fig = map_figure(MapView.of(bordermap.load()), page=page)
    renderer = fig.canvas.get_renderer()
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)
    footer = max(fig.texts, key=lambda t: len(t.get_text()))
    assert "Equirectangular projection" in footer.get_text()
    lbox, fbox = legend.get_window_extent(renderer), footer.get_window_extent(renderer)
    width, height = fig.get_size_inches() * fig.dpi
    assert fbox.y0 >= 0 and fbox.x1 <= width + 1 and lbox.y1 <= height
    assert lbox.y0 >= fbox.y1 - 1, (lbox, fbox)  # the legend ends above the footer
