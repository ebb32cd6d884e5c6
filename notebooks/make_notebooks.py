"""Write the example notebooks (outputs cleared): ``python notebooks/make_notebooks.py``.

The notebooks are generated so that they stay short and reviewable; ``tests/test_notebooks.py``
runs every one of them so that they cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01-quickstart.ipynb": [
        ("md", "# Quickstart\n\nLoad the bundled Kyrgyzstan–Tajikistan dataset, see what it holds, "
               "measure the line and draw a map."),
        ("code", "import bordermap\nfrom bordermap.inventory import inventory\n\n"
                 "ds = bordermap.load()\ninfo = inventory(ds)\ninfo['title'], info['as_of'], info['layers']"),
        ("md", "Every depiction of the line is kept apart. Their geodesic lengths (WGS84, exact):"),
        ("code", "from bordermap.measure import measure, summarize\n\n"
                 "table = measure(ds, layers=['boundary'], carry=['part'])\n"
                 "summarize(table[table['part'] == 'main'], ['depiction']).round(1)"),
        ("md", "A print-quality map page (PNG, SVG or PDF) — the same as `bordermap render -o map.png`:"),
        ("code", "import tempfile, pathlib\nfrom bordermap.maps.static import render\n\n"
                 "out = render(ds, pathlib.Path(tempfile.mkdtemp()) / 'kg-tj.png', dpi=80)\nout.stat().st_size > 0"),
    ],
    "02-checking-figures.ipynb": [
        ("md", "# Checking published figures\n\nThe figures register keeps every number quoted about the "
               "border with who said it and when. Here we compare the quoted border lengths with the "
               "measured length of each depiction."),
        ("code", "import pandas as pd\nimport bordermap\nfrom bordermap.measure import measure, summarize\n\n"
                 "ds = bordermap.load()\nfigures = pd.DataFrame(ds.figures)\n"
                 "lengths = figures[figures['category'] == 'border_length']\n"
                 "lengths[['value', 'unit', 'speaker_party', 'date']].head(10)"),
        ("code", "measured = measure(ds, layers=['boundary'], carry=['part'])\n"
                 "main = summarize(measured[measured['part'] == 'main'], ['depiction'])\n"
                 "main[['depiction', 'length_km']].round(1)"),
        ("md", "How far is each quoted length from the default depiction's measured length? "
               "(A quoted length may count a different line, e.g. with enclave perimeters; read `measures`.)"),
        ("code", "reference = float(main.set_index('depiction').loc[ds.default_depiction, 'length_km'])\n"
                 "km = lengths[lengths['unit'] == 'km'].copy()\n"
                 "km['difference_km'] = km['value'].astype(float) - reference\n"
                 "km[['value', 'difference_km', 'measures']].round(1).head(10)"),
    ],
    "03-perspectives-and-time.ipynb": [
        ("md", "# Perspectives and time\n\nThe same dataset seen by each party and on different dates. "
               "A country's view hides what that country disputes (Overture's `accepted_by`/`disputed_by` "
               "rule, here dated) and shows, per feature, what its recorded positions say (its *stance*). "
               "Every stance comes from a dated, sourced position in the curated data."),
        ("code", "import bordermap\nfrom bordermap.measure import measure\n\n"
                 "ds = bordermap.load()\nday = '2021-04-28'  # the Golovnoy clashes began the next day\n"
                 "for view in ['neutral', 'de-facto', *ds.pair]:\n"
                 "    t = measure(ds, ['boundary'], view, day)\n"
                 "    print(f'{view:>9}: {len(t):3d} line features, {t.length_km.sum():8.1f} km in view')"),
        ("md", "Tajikistan said in April 2021 that Vorukh was never an enclave, so in its view the Vorukh "
               "perimeter lines are disputed and not drawn (no Tajik line is published to draw instead). "
               "What each side's positions say of each section on that day:"),
        ("code", "import pandas as pd\nfrom bordermap.perspective import select\n\n"
                 "sections = ds.layer('sections')\n"
                 "views = {v: select(sections, v, day).set_index('id')['stance'] for v in ds.pair}\n"
                 "table = pd.DataFrame(views).dropna(how='all')\ntable"),
        ("md", "Each stance names the position it comes from:"),
        ("code", "from bordermap.perspective import stance_on, stance_words\nfrom bordermap.dates import parse_date\n\n"
                 "vorukh = sections.set_index('id').loc['sec_vorukh_enclave'].to_dict()\n"
                 "for view in ds.pair:\n"
                 "    s = stance_on(vorukh, view, parse_date(day))\n"
                 "    print(stance_words(s), '—', s['stated_by'], s['stated_on'], s['source_ids'])"),
        ("md", "After the treaty each view shows what that side says changed (here: Kyrgyz accounts of "
               "early 2025):"),
        ("code", "after = ds.meta['as_of']\n"
                 "pd.DataFrame({v: select(sections, v, after).set_index('id')['stance'] for v in ds.pair})"
                 ".dropna(how='all')"),
        ("code", "days = ['2021-04-28', '2022-09-14', ds.meta['as_of']]\n"
                 "pd.DataFrame({d: select(sections, 'neutral', d)['status'].value_counts() for d in days})"
                 ".fillna(0).astype(int)"),
        ("md", "Draw the map as Kyrgyzstan and as Tajikistan saw it at the April 2021 clashes:"),
        ("code", "import tempfile, pathlib\nfrom bordermap.maps.static import render\n\n"
                 "out = pathlib.Path(tempfile.mkdtemp())\n"
                 "[render(ds, out / f'april-2021-{v}.svg', v, as_of=day).name for v in ds.pair]"),
    ],
    "04-your-own-data.ipynb": [
        ("md", "# Your own data\n\nA single GeoJSON file whose features follow the data model is a dataset. "
               "Here we make one with two depictions of an invented line, measure it and export it."),
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
        ("code", "from bordermap.measure import measure\n\nmeasure(ds)[['id', 'status', 'length_km']].round(2)"),
        ("md", "Export for QGIS and spreadsheets:"),
        ("code", "from bordermap.export import export\n\n"
                 "[export(ds, work / name).name for name in ('my-border.gpkg', 'my-border.csv')]"),
    ],
}


def build(folder: Path = HERE) -> list[Path]:
    """Write every notebook into ``folder`` and return their paths."""
    written = []
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / name)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
