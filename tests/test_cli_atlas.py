import re
import subprocess

import matplotlib.image as mpimg
import pytest
from geographiclib.geodesic import Geodesic

from bordermap.cli.main import main

WGS84 = Geodesic.WGS84


def _pages(pdf):
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def test_atlas_has_overview_table_and_a_page_per_section(runner, mini_unlocated, tmp_path):
    out = tmp_path / "atlas.pdf"
    result = runner.invoke(main, ["atlas", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01"])
    assert result.exit_code == 0, result.output
    # overview map + sections table + 4 sections (s-2 still exists on 2021-05-01), none overflowing
    assert _pages(out) == 6


def test_atlas_follows_the_date(runner, mini_unlocated, tmp_path):
    out = tmp_path / "atlas.pdf"
    # s-2 ends on 2025-03-19 (valid_to), so on the dataset's as-of date only three sections remain.
    assert runner.invoke(main, ["atlas", str(mini_unlocated), "-o", str(out)]).exit_code == 0
    assert _pages(out) == 5


@pytest.mark.tools
def test_every_page_renders_and_says_what_it_should(runner, mini_unlocated, tmp_path, need_tool):
    pdftoppm, pdftotext = need_tool("pdftoppm"), need_tool("pdftotext")
    out = tmp_path / "atlas.pdf"
    assert runner.invoke(main, ["atlas", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01",
                                "--page", "letter"]).exit_code == 0
    subprocess.run([pdftoppm, "-r", "30", "-png", str(out), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 6
    for png in pngs:
        assert mpimg.imread(png)[..., :3].std() > 0.02, png.name
    text = subprocess.run([pdftotext, "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    kg = next(p for p in pages if "Section one (KG claim)" in p and "Positions of the parties" in p)
    assert "KG (KG official, 2021-05-01): “the line runs south”. Basis: 1958–59 maps." in kg
    assert "… to 2025-03-19: disputed" in kg and "2025-03-19 to now: settled" in kg
    line = [(0.8, 0.0), (1.0, -0.05), (1.2, -0.04)]
    km = sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in zip(line, line[1:], strict=False)) / 1000
    assert f"Length (geodesic, WGS84): {km:,.1f} km" in kg  # one decimal from 10 up (facts.shown_digits)
    assert "A test news item — Test Wire, 2021-05-02" in kg
    unlocated = next(p for p in pages if "Section <three>" in p and "Not drawn" in p)
    assert "Where: KG: North district; TJ: South district" in unlocated
    # no map: no inset titled "Location", no scale bar ("true at …")
    assert not re.search(r"^\s*Location\s*$", unlocated, re.M) and "true at" not in unlocated
    assert re.search(r"^\s*Location\s*$", kg, re.M) and "true at" in kg


def test_atlas_must_be_pdf(runner, mini, tmp_path):
    result = runner.invoke(main, ["atlas", str(mini), "-o", str(tmp_path / "a.png")])
    assert result.exit_code == 2 and "atlas is a PDF" in result.output


def test_atlas_has_bookmarks_links_full_disclaimer_and_no_warnings(runner, mini_unlocated, tmp_path, recwarn):
    import pypdf

    import bordermap
    from bordermap.maps.style import disclaimer

    out = tmp_path / "atlas.pdf"
    result = runner.invoke(main, ["atlas", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01"])
    assert result.exit_code == 0, result.output
    assert "wrote pages 6/6" in result.output  # the progress line (stderr is not a terminal here)
    assert not [w for w in recwarn if "matplotlib" in str(w.filename) or "figure" in str(w.message).lower()]
    reader = pypdf.PdfReader(out)
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    assert marks[:2] == [("Overview map", 0), ("Disputed sections (table)", 1)]
    assert [m[0] for m in marks[2:]] == sorted({m[0] for m in marks[2:]}, key=[m[0] for m in marks[2:]].index)
    assert len(marks) == 2 + 4 and [n for _, n in marks] == sorted(n for _, n in marks)
    uris = {a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots") or []}
    registry = bordermap.load(mini_unlocated).sources
    assert uris and uris <= {str(r.get("url")) for r in registry.values()}
    # The whole disclaimer, not a shortened one, on every page after the first.
    words = " ".join(disclaimer(bordermap.load(mini_unlocated)).split())
    for page in reader.pages[1:]:
        assert words in " ".join(page.extract_text().split())


@pytest.mark.tools
def test_atlas_in_russian(runner, mini_unlocated, tmp_path, need_tool):
    import pypdf

    pdftotext = need_tool("pdftotext")
    out = tmp_path / "atlas-ru.pdf"
    result = runner.invoke(main, ["atlas", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01",
                                  "--lang", "ru"])
    assert result.exit_code == 0, result.output
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())  # lines joined: the footer wraps the disclaimer
    pages = text.split("\f")
    # The project's disclaimer in Russian, then the dataset's own (English) text as written, on every page.
    assert flat.count("Оговорка: Показанные границы, названия и цифры не означают их одобрения или признания "
                      "авторами.") >= len([p for p in pages if p.strip()]) - 1
    for heading in ("Спорные участки", "Характеристики", "Позиции сторон (как заявлено)", "История статуса",
                    "Источники", "Легенда", "Расположение", "Участок (id)"):
        assert heading in text, heading
    assert "На дату 1 мая 2021" in flat and "с 19 марта 2025 по настоящее время: урегулирована" in flat
    assert "Где: KG: North district; TJ: South district" in flat and "Не нанесён на карту" in flat
    assert re.search(r"\d+,\d+ км", flat)  # decimal comma, Russian unit
    for english in ("Disputed sections", "Attributes", "Positions of the parties", "Status history", "Sources",
                    "Measured", "Disclaimer", "Where:", "Not drawn", "Length (geodesic", "Legend", "Location",
                    "true at", "As of", "Perspective", "continued", " to now", "°N", "°E", " km"):
        assert english not in text, english
    reader = pypdf.PdfReader(out)
    marks = [o.title for o in reader.outline]
    assert marks[:2] == ["Обзорная карта", "Спорные участки (таблица)"]
    assert "атлас" in reader.metadata.title and reader.trailer["/Root"]["/Lang"] == "ru"
