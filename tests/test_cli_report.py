import re
from html.parser import HTMLParser

import matplotlib.image as mpimg

from bordermap.cli.main import main


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def test_report_markdown_and_html(runner, mini_unlocated, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(main, ["report", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01"])
    assert result.exit_code == 0, result.output
    markdown = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")

    # Data strings are escaped for each medium: the Markdown shows them literally, HTML as text.
    assert "Section \\<three\\> & \\| \\*x\\*" in markdown
    assert "the pasture is \\<b\\>ours\\</b\\>" in markdown
    parser = _Collect()
    parser.feed(page)
    text = "".join(parser.text)
    assert "Section <three> & | *x*" in text and "the pasture is <b>ours</b>" in text
    assert parser.tags.count("b") == 0  # the data's <b> did not become markup

    # Tables of sections and incidents, the figures register while checks are pending.
    assert "| s-1-kg | Section one (KG claim) | disputed |" in markdown
    assert "KG: 3 killed (KG ministry, 2021-05-02); KG: 5 killed (TJ media, 2021-05-03)" in text
    # the figure checks (bordermap.check) and the register they come from
    # (column names, verdicts and categories as a reader reads them; figures.csv keeps the codes)
    assert "| id | figure | verdict | category | date | speaker | compared with | ratio |" in markdown
    assert "| fig-len | 250 km | unexplained | border length | 2020-01-01 | Test official |" in markdown
    # No needless escapes: an underscore inside a word, a dot after digits stay as written.
    assert not re.search(r"\w\\_\w", markdown) and not re.search(r"\d\\\.", markdown)
    # each verdict's reason, after the table
    assert "fig-len (unexplained): 250 km is between the main line of alpha (" in text

    # Maps: the overview and one per section with geometry, referenced by both files.
    images = sorted(p.name for p in (out / "img").iterdir())
    assert images == ["overview.png", "section-s-1-kg.png", "section-s-1-tj.png", "section-s-2.png"]
    assert sorted(parser.images) == sorted(f"img/{name}" for name in images)
    for name in images:
        assert f"](img/{name})" in markdown
        assert mpimg.imread(out / "img" / name)[..., :3].std() > 0.05


def test_report_without_maps_and_bad_output(runner, mini, tmp_path):
    out = tmp_path / "r"
    assert runner.invoke(main, ["report", str(mini), "-o", str(out), "--no-maps"]).exit_code == 0
    assert not any((out / "img").iterdir()) and "img/" not in (out / "report.md").read_text()
    (tmp_path / "file").write_text("x")
    result = runner.invoke(main, ["report", str(mini), "-o", str(tmp_path / "file")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["report", str(mini), "-o", str(tmp_path / "missing" / "r")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_report_opens_with_key_findings_computed_from_the_data(tmp_path):
    import bordermap
    from bordermap.measure import measure
    from bordermap.report import write_report

    dataset = bordermap.load()
    paths = write_report(dataset, tmp_path / "r", maps=False)
    text = paths["markdown"].read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Key findings"
    findings = text.split("## Key findings")[1].split("\n## ")[0]
    table = measure(dataset, ["boundary"])
    lengths = table[table["part"] == "main"].groupby("depiction")["length_km"].sum()
    assert f"{lengths.min():,.1f} km ({lengths.idxmin()})" in findings.replace("\\", "")
    assert f"{lengths.max():,.1f} km ({lengths.idxmax()})" in findings.replace("\\", "")
    quoted = [f for f in dataset.figures if f.get("category") == "border_length"]
    assert f"{len(quoted)} published figures give the border's total length" in findings
    # the figures as quoted, without digits nobody gave ("900.00")
    km = [float(f["value"]) for f in quoted if f.get("unit") == "km"]
    assert f"from {min(km):,g} to {max(km):,g} km" in findings
    assert "matches" not in findings and "not a measurement of the figure" in findings
    assert f"{len(dataset.layer('sections'))} documented sections" in findings
    assert f"{len(dataset.layer('incidents'))} incidents" in findings


def test_figures_csv_with_verdicts_and_verdict_column_early(tmp_path):
    import csv

    import bordermap
    from bordermap.check import check_figures
    from bordermap.report import write_report

    dataset = bordermap.load()
    paths = write_report(dataset, tmp_path / "r", maps=False)
    with open(paths["figures"], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    verdicts = {r["figure_id"]: r["verdict"] for r in check_figures(dataset)}
    assert len(rows) == len(dataset.figures)
    assert all(row["verdict"] == verdicts[row["id"]] for row in rows)
    page = paths["html"].read_text(encoding="utf-8")
    checks_head = page.split("Figure checks")[1].split("</tr>")[0]
    # Column names as a reader reads them; the CSV above keeps the machine names and verdict codes.
    assert [h.split("</th>")[0] for h in checks_head.split("<th>")[1:4]] == ["id", "figure", "verdict"]


def test_report_in_russian(runner, mini_unlocated, tmp_path):
    import csv

    out = tmp_path / "report"
    result = runner.invoke(main, ["report", str(mini_unlocated), "-o", str(out), "--as-of", "2021-05-01",
                                  "--no-maps", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">')
    parser = _Collect()
    parser.feed(page)
    text = "".join(parser.text)
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["Основные выводы", "Обзорная карта"], headings
    assert "Проверка цифр" in headings and "Источники" in headings
    assert any(h.startswith("Спорные участки") for h in headings) and any(h.startswith("Инциденты") for h in headings)
    assert "По состоянию на 1 мая 2021." in text and "Оговорка: Показанные границы" in text
    # Column names and values a reader reads are Russian; casualty figures keep who said them.
    assert "<th>название</th>" in page and "<th>статус</th>" in page
    assert "KG: погибших: 3 (KG ministry, 2 мая 2021); KG: погибших: 5 (TJ media, 3 мая 2021)" in text
    assert "Статус на 1 мая 2021: спорная" in text
    # Data strings stay as written (and escaped).
    assert "Section <three> & | *x*" in text
    for english in ("Key findings", "Overview map", "Disputed sections", "Incidents", "Sources", "Disclaimer",
                    "As of", "Perspective", "Status history", "Positions of the parties", "killed", "(none)"):
        assert english not in text, english
    # Machine output stays as it was: the CSV's header and verdict codes are English.
    with open(out / "figures.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert "verdict" in header and "id" in header
