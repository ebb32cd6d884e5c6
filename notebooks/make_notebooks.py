"""Write the example notebooks and run them so that their outputs are saved: ``python notebooks/make_notebooks.py``.

Each notebook asks a question, lets the data answer it (tables, charts, maps inline) and says what
the data cannot tell. The notebooks are generated so that they stay short and reviewable, then
executed with the current kernel so that their outputs show on the repository page;
``tests/test_notebooks.py`` runs every one of them again so that they cannot rot.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport pandas as pd\nimport bordermap\n\nds = bordermap.load()"

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01-quickstart.ipynb": [
        ("md", "# How long is the Kyrgyzstan–Tajikistan border?\n\n"
               "**Question.** Officials quote 970–1,007 km. What do the open maps of the line measure?\n\n"
               "The bundled dataset keeps four independent depictions of the line apart. We measure each "
               "on the WGS84 ellipsoid (geodesic, exact) and draw them."),
        ("code", SETUP + "\nfrom bordermap.inventory import inventory\n\n"
                 "info = inventory(ds)\ninfo['title'], info['as_of'], ds.depictions"),
        ("md", "## The data's answer\n\nThe main line, tripoint to tripoint, per depiction:"),
        ("code", "from bordermap.measure import measure, summarize\n\n"
                 "table = measure(ds, layers=['boundary'], carry=['part'])\n"
                 "main = summarize(table[table['part'] == 'main'], ['depiction'])[['depiction', 'length_km']]\n"
                 "main.round(1)"),
        ("code", "fig, ax = plt.subplots(figsize=(6, 2.4))\n"
                 "ax.barh(main['depiction'], main['length_km'], color='#0072B2')\n"
                 "ax.axvspan(970.8, 1006.84, color='#009E73', alpha=0.2, label='quoted by officials (970.8–1,006.84 km)')\n"
                 "ax.set_xlabel('main line, km (geodesic, WGS84)'); ax.set_xlim(0, 1100); ax.legend(loc='lower right', fontsize=8)\n"
                 "plt.show()"),
        ("md", "The depictions disagree by more than 100 km, and none reaches the quoted figures. "
               "Here is the line on a map page (the same as `bordermap render`):"),
        ("code", "import tempfile, pathlib\nfrom IPython.display import Image\nfrom bordermap.maps.static import render\n\n"
                 "png = render(ds, pathlib.Path(tempfile.mkdtemp()) / 'kg-tj.png', page=(12.0, 6.75), dpi=80)\n"
                 "Image(filename=str(png))"),
        ("md", "## What the data cannot say\n\n"
               "- Which length is *right*: no depiction is an official delimitation, and the line agreed in the "
               "March 2025 treaty has not been published.\n"
               "- Lengths depend on the ruler: a generalised line is shorter (see notebook 02 and `bordermap scale`).\n"
               "- The as-of date of each depiction differs (2022, 2017, 2022 edition of Natural Earth, 1992 for DCW)."),
    ],
    "02-checking-figures.ipynb": [
        ("md", "# Why do the published lengths disagree with the maps?\n\n"
               "**Question.** Officials and the press quote the border's length as anything from 900 km to well "
               "over 1,000 km. Can the data explain each figure, and how?\n\n"
               "`bordermap check` compares every figure of the register with what the data measures and gives a "
               "verdict with its reason (docs/checking-figures.md)."),
        ("code", SETUP + "\nfrom bordermap.check import check_figures, summary_table\n\n"
                 "checks = summary_table(check_figures(ds))\n"
                 "lengths = checks[checks['category'] == 'border_length']\n"
                 "lengths[['figure', 'date', 'speaker', 'verdict']].head(12)"),
        ("md", "## The data's answer\n\nVerdicts for the quoted total lengths:"),
        ("code", "lengths['verdict'].value_counts().rename('figures').to_frame()"),
        ("md", "Most are *map scale*: measured with the rulers of the 1:100,000–1:200,000 maps officials use, "
               "the line is that long. The Richardson plot shows how the measured length grows as the ruler "
               "shrinks, and where the quoted figures sit:"),
        ("code", "from bordermap.scale import analyse, plot_figure\nfrom IPython.display import display\n\n"
                 "targets = tuple(float(f['value']) for f in ds.figures if f.get('category') == 'border_length' and f.get('unit') == 'km')\n"
                 "analysis = analyse(ds, targets_km=targets)\n"
                 "display(plot_figure(analysis))"),
        ("md", "## What the data cannot say\n\n"
               "- A *map scale* verdict says a figure is consistent with measuring at that scale, not that the "
               "speaker did so.\n"
               "- *Unexplained* figures may use a line no open dataset shows; the data cannot tell which.\n"
               "- No ruler makes a depiction longer than its own vertices: figures above that need a more detailed "
               "line, which is not public."),
        ("md", "## The same check for a Russian-reading audience\n\n"
               "`check_figures(..., lang='ru')` words each explanation in Russian and `bordermap.report.shown` "
               "the table (on the command line: `bordermap check --lang ru`); verdict codes stay codes in the "
               "records, for scripts."),
        ("code", "from bordermap.i18n import messages\nfrom bordermap.report import shown\n\n"
                 "ru = check_figures(ds, ['fig_len_971_zokirov_2014', 'fig_len_1006_84_2025'], lang='ru')\n"
                 "print(ru[0]['explanation'])\n"
                 "shown(summary_table(ru, 'ru'), messages('ru'))[['id', 'цифра', 'кто заявил', 'вердикт']]"),
    ],
    "03-perspectives-and-time.ipynb": [
        ("md", "# What did each side say, and what changed with the 2025 treaty?\n\n"
               "**Question.** On the eve of the April 2021 clashes, how did Kyrgyzstan's and Tajikistan's views "
               "of the border differ, and how did the status of the documented sections change with the treaty?\n\n"
               "A country's view hides what that country disputes (Overture's `accepted_by`/`disputed_by` rule, "
               "here dated) and shows, per feature, what its recorded positions say (its *stance*). Every stance "
               "comes from a dated, sourced position in the curated data; `select` applies a view and a date."),
        ("code", SETUP + "\nfrom bordermap.measure import measure\nfrom bordermap.perspective import select\n\n"
                 "day = '2021-04-28'  # the Golovnoy clashes began the next day\n"
                 "pd.DataFrame({view: measure(ds, ['boundary'], view, day).groupby('depiction')['length_km'].sum()\n"
                 "              for view in ['neutral', 'de-facto', *ds.pair]}).round(1)"),
        ("md", "## The data's answer\n\nTajikistan said in April 2021 that Vorukh was never an enclave, so in its "
               "view the Vorukh perimeter lines are disputed and not drawn (no Tajik line is published to draw "
               "instead): the line lengths above differ by that perimeter. What each side's positions say of each "
               "section on that day:"),
        ("code", "sections = ds.layer('sections')\n"
                 "pd.DataFrame({v: select(sections, v, day).set_index('id')['stance'] for v in ds.pair})"
                 ".dropna(how='all')"),
        ("md", "Each stance names the position it comes from:"),
        ("code", "from bordermap.dates import parse_date\nfrom bordermap.perspective import stance_on, stance_words\n\n"
                 "vorukh = sections.set_index('id').loc['sec_vorukh_enclave'].to_dict()\n"
                 "for view in ds.pair:\n"
                 "    s = stance_on(vorukh, view, parse_date(day))\n"
                 "    print(stance_words(s), '—', s['stated_by'], s['stated_on'], s['source_ids'])"),
        ("md", "The documented sections by status, from before the clashes to the treaty's entry into force "
               "(2025-03-31, the exchange of instruments) and the dataset's date:"),
        ("code", "days = ['2021-04-28', '2022-09-14', '2025-03-30', '2025-03-31', ds.meta['as_of']]\n"
                 "status = pd.DataFrame({d: select(sections, 'neutral', d)['status'].value_counts() for d in days})"
                 ".fillna(0).astype(int)\n"
                 "status"),
        ("code", "ax = status.T.plot.bar(stacked=True, figsize=(6.5, 3), rot=0,\n"
                 "                        color={'settled': '#377eb8', 'agreed': '#4daf4a', 'disputed': '#e41a1c',\n"
                 "                               'undetermined': '#ff7f00', 'abolished': '#999999'})\n"
                 "ax.set_ylabel('sections'); ax.set_title('Documented sections by status (neutral view)', fontsize=10)\n"
                 "plt.show()"),
        ("md", "After the treaty each view shows what that side says changed (so far only Kyrgyz accounts are "
               "structured):"),
        ("code", "after = ds.meta['as_of']\n"
                 "pd.DataFrame({v: select(sections, v, after).set_index('id')['stance'] for v in ds.pair})"
                 ".dropna(how='all')"),
        ("md", "## What the data cannot say\n\n"
               "- Where the settled line runs: the treaty's line has not been published, so the maps draw the "
               "pre-treaty depictions, dash-dot, as *settled, course not published*.\n"
               "- A view shows only what that side's recorded positions say; where none is recorded (most Tajik "
               "post-treaty accounts), the view says nothing rather than guess.\n"
               "- Sections known only by their districts have no geometry; they are counted but not drawn.\n"
               "- The register lists the sections named in its sources: a lower bound, not an official list."),
    ],
    "04-your-own-data.ipynb": [
        ("md", "# Your own data\n\n**Question.** How far apart are two depictions of *your* line?\n\n"
               "A single GeoJSON file whose features follow the data model is a dataset. Here we make one with two "
               "depictions of an invented line (not real geography), measure it and export it."),
        ("code", "import json, pathlib, tempfile\nimport bordermap\n\n"
                 "work = pathlib.Path(tempfile.mkdtemp())\n"
                 "features = [\n"
                 "    {'type': 'Feature', 'geometry': {'type': 'LineString', 'coordinates': [[10.0, 45.0], [10.5, 45.1], [11.0, 45.0]]},\n"
                 "     'properties': {'id': 'survey', 'kind': 'boundary', 'depiction': 'survey', 'part': 'main', 'sides': ['AA', 'BB'], 'status': 'agreed'}},\n"
                 "    {'type': 'Feature', 'geometry': {'type': 'LineString', 'coordinates': [[10.0, 45.0], [10.5, 44.9], [11.0, 45.0]]},\n"
                 "     'properties': {'id': 'old-map', 'kind': 'boundary', 'depiction': 'old-map', 'part': 'main', 'sides': ['AA', 'BB'], 'status': 'disputed'}},\n"
                 "]\n"
                 "path = work / 'my-border.geojson'\n"
                 "path.write_text(json.dumps({'type': 'FeatureCollection', 'features': features}))\n"
                 "ds = bordermap.load(path)\nds.pair, ds.depictions"),
        ("md", "## The data's answer"),
        ("code", "from bordermap.measure import measure\n\nmeasure(ds)[['id', 'status', 'length_km']].round(2)"),
        ("md", "Export for QGIS and spreadsheets:"),
        ("code", "from bordermap.export import export\n\n"
                 "[export(ds, work / name).name for name in ('my-border.gpkg', 'my-border.csv')]"),
        ("md", "## What the data cannot say\n\nTwo invented lines measure what they measure; which one is the "
               "border is a question for the parties, not for the geometry."),
    ],
}


def build(folder: Path = HERE, execute: bool = True) -> list[Path]:
    """Write every notebook into ``folder`` (run, with outputs saved, unless ``execute`` is False)."""
    written = []
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        if execute:
            from nbclient import NotebookClient

            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute()
        nbformat.write(nb, folder / name)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in build(execute="--no-run" not in sys.argv[1:]):
        print(path)
