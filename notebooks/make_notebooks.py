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
        ("md", "# Perspectives and time\n\nThe same dataset seen by each party and on different dates: "
               "which disputed sections exist, and with what status."),
        ("code", "import bordermap\nfrom bordermap.perspective import select\n\n"
                 "ds = bordermap.load()\nsections = ds.layer('sections')\n"
                 "for view in ['neutral', 'de-facto', *ds.pair]:\n"
                 "    print(f'{view:>9}: {len(select(sections, view)):3d} sections in view')"),
        ("code", "import pandas as pd\n\n"
                 "days = ['2021-04-28', '2022-09-14', ds.meta['as_of']]\n"
                 "pd.DataFrame({d: select(sections, 'neutral', d)['status'].value_counts() for d in days}).fillna(0).astype(int)"),
        ("md", "Draw the map as it stood at the April 2021 clashes:"),
        ("code", "import tempfile, pathlib\nfrom bordermap.maps.static import render\n\n"
                 "render(ds, pathlib.Path(tempfile.mkdtemp()) / 'april-2021.svg', as_of='2021-04-28').name"),
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
