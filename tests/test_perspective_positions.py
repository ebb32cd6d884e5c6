"""Perspectives that differ, from sourced positions (issue 12, part 5).

On 2021-04-28 the Kyrgyz and Tajik views of the bundled dataset differ in what `measure` lists,
in the HTML map's state table and in the static map's pixels. Every difference is traced here
back to a dated position in the curated YAML (read directly, not through the derived fields),
whose sources exist in the sources register.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import bordermap
from bordermap.cli.main import COMMANDS, main
from bordermap.dates import parse_date
from bordermap.derive.positions import position_problems, stance_history
from bordermap.errors import UsageError
from bordermap.maps.html import render_map
from bordermap.maps.static import MapView, map_figure
from bordermap.measure import measure
from bordermap.perspective import in_view, require_view, select

DAY = dt.date(2021, 4, 28)
CURATED = Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated"
SAYS = ("says_belongs_to", "says_held_by", "says_is_enclave")


@pytest.fixture(scope="module")
def dataset():
    return bordermap.load()


@pytest.fixture(scope="module")
def curated():
    sections = yaml.safe_load((CURATED / "sections.yaml").read_text(encoding="utf-8"))
    sources = {s["id"] for s in yaml.safe_load((CURATED / "sources.yaml").read_text(encoding="utf-8"))}
    return {s["id"]: s for s in sections}, sources


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _stated_by(section, party, day):
    """Structured positions of ``party`` on a curated section stated on or before ``day``."""
    return [
        p for p in section.get("positions") or []
        if p["party"] == party and p.get("date") and any(k in p for k in SAYS)
        and parse_date(_iso(p["date"])) <= day
    ]


def _section_of(row, sections):
    """The curated section a measured feature stands for: itself, or the enclave it draws."""
    if row["id"] in sections:
        return sections[row["id"]]
    key = row.get("enclave_key")
    if not isinstance(key, str):
        return None
    return next((s for s in sections.values() if s["location"].get("enclave") == key), None)


def _measured(dataset, view, day=DAY):
    table = measure(dataset, perspective=view, as_of=day, carry=["enclave_key", "enclave_id"])
    return {row["id"]: row for row in table.to_dict("records")}


def test_measure_differs_between_kg_and_tj_before_the_treaty(dataset):
    kg, tj = _measured(dataset, "KG"), _measured(dataset, "TJ")
    assert set(kg) != set(tj)
    def lines_km(rows):
        return sum(r["length_km"] for r in rows.values() if r["layer"] == "boundary")

    assert lines_km(kg) > lines_km(tj)
    assert any(kg[i]["stance"] != tj[i]["stance"] for i in set(kg) & set(tj))


def test_each_difference_traces_to_a_sourced_position(dataset, curated):
    sections, sources = curated
    kg, tj = _measured(dataset, "KG"), _measured(dataset, "TJ")
    areas = dataset.layer("areas").set_index("id")
    differences = 0
    for fid in sorted(set(kg) | set(tj)):
        a, b = kg.get(fid), tj.get(fid)
        if a is not None and b is not None and a["stance"] == b["stance"]:
            continue
        differences += 1
        row = a or b
        if a is None or b is None:  # shown in one view only: an enclave line its viewer disputes
            hidden_from = "TJ" if b is None else "KG"
            assert row["part"] == "enclave", fid
            key = areas.loc[row["enclave_id"], "enclave_key"]
            section = _section_of({"id": "", "enclave_key": key}, sections)
            said = [p for p in _stated_by(section, hidden_from, DAY) if "says_is_enclave" in p]
            assert said and said[-1]["says_is_enclave"] is False, fid
        else:
            section = _section_of(row, sections)
            assert section is not None, fid
            for view, record in (("KG", a), ("TJ", b)):
                said = _stated_by(section, view, DAY)
                assert bool(said) == (record["stance"] is not None), (fid, view)
                latest = max(said, key=lambda p: parse_date(_iso(p["date"]))) if said else None
                if latest:
                    assert latest["source_ids"] and set(latest["source_ids"]) <= sources, fid
                    belongs = latest.get("says_belongs_to")
                    expected = {view: "claims", "undetermined": "undetermined", "shared": "shared"}.get(
                        belongs, "concedes"
                    )
                    if expected == "claims" and latest.get("says_held_by") not in (None, view):
                        expected = "claims_held_by_other"
                    assert record["stance"] == expected, (fid, view)
    assert differences >= 5


def test_after_the_treaty_each_view_shows_what_its_side_says_changed(dataset, curated):
    sections, _ = curated
    day = parse_date(dataset.meta["as_of"])
    kg, tj = _measured(dataset, "KG", day), _measured(dataset, "TJ", day)
    for fid, row in kg.items():
        section = _section_of(row, sections)
        if section is None or row["layer"] != "sections":
            continue
        later = [p for p in _stated_by(section, "KG", day) if parse_date(_iso(p["date"])) >= dt.date(2024, 12, 4)]
        assert (row["stance"] is not None) == bool(later) or row["id"] == "sec_sary_mogol", fid
    assert kg["sec_dostuk_batken"]["stance"] == "concedes"  # KG: transferred to TJ with compensation
    assert tj["sec_dostuk_batken"]["stance"] is None  # no structured Tajik account recorded
    # Before the treaty the pre-treaty claims end with the dispute: nothing left over after it.
    assert kg["sec_tortkul_reservoir"]["stance"] is None


def test_neutral_view_shows_both_and_no_stance(dataset):
    neutral, kg, tj = (_measured(dataset, v) for v in ("neutral", "KG", "TJ"))
    assert set(kg) | set(tj) <= set(neutral)
    assert all(r["stance"] is None for r in neutral.values())


def _page_data(page):
    block = re.search(r'<script type="application/json" id="bm-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_html_map_state_table_differs_in_the_map(dataset):
    data = _page_data(render_map(dataset, perspective="KG", as_of=DAY))
    views = [v["id"] for v in data["views"]]
    days = [d["d"] for d in data["days"]]
    d = days.index(DAY.isoformat())

    def cell(feature, view):
        return data["rows"][feature["r"]][views.index(view) * len(days) + d]

    differing = [f for f in data["features"] if cell(f, "KG") != cell(f, "TJ")]
    ids = {f["id"] for f in differing}
    expected = {"osm2022_perimeter_vorukh", "osm2022_enclave_vorukh", "sec_vorukh_enclave", "sec_ak_sai_tamdyk_bypass"}
    assert expected <= ids
    hidden = {f["id"] for f in differing if cell(f, "TJ") == "-"}
    assert "osm2022_perimeter_vorukh" in hidden
    # A differing visible cell names the viewer's stance, attributed to it.
    vorukh = next(f for f in differing if f["id"] == "sec_vorukh_enclave")
    look = data["statuses"][data["codes"].index(cell(vorukh, "TJ"))]
    assert look["name"] == "disputed — TJ says: TJ territory; not an enclave" and look["stance"] == "claims"
    look = data["statuses"][data["codes"].index(cell(vorukh, "KG"))]
    assert look["name"] == "disputed — KG says: TJ territory; an enclave" and look["stance"] == "concedes"


def _map_pixels(dataset, view):
    fig = map_figure(MapView.of(dataset, view, DAY))
    fig.set_dpi(100)
    fig.canvas.draw()
    ax = max(fig.axes, key=lambda a: a.get_position().width * a.get_position().height)
    box = ax.get_window_extent()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    height = image.shape[0]
    x0, x1 = int(box.x0) + 2, int(box.x1) - 2
    y0, y1 = height - int(box.y1) + 2, height - int(box.y0) - 2
    import matplotlib.pyplot as plt

    plt.close(fig)
    return image[y0:y1, x0:x1]


def test_static_maps_differ_inside_the_map_frame(dataset):
    kg, tj, again = _map_pixels(dataset, "KG"), _map_pixels(dataset, "TJ"), _map_pixels(dataset, "KG")
    assert kg.shape == tj.shape == again.shape
    assert (np.abs(kg - again).sum(axis=2) > 30).sum() == 0  # the same view renders the same
    changed = (np.abs(kg - tj).sum(axis=2) > 30).sum()
    assert changed > 100, changed


def test_every_command_refuses_an_unknown_perspective_alike(runner, tmp_path):
    import importlib

    outputs = {"map": "x.html", "render": "x.png", "atlas": "x.pdf", "report": "rep"}
    messages = {}
    for name, module in COMMANDS.items():
        command = getattr(importlib.import_module(f"bordermap.cli.{module}"), module)
        if "perspective" not in {p.name for p in command.params}:
            continue
        for bad in ("XX", "nowhere"):
            args = [name, "--perspective", bad]
            if name in outputs:
                args += ["-o", str(tmp_path / outputs[name])]
            result = runner.invoke(main, args)
            assert result.exit_code == 2, (name, bad, result.output)
            messages[(name, bad)] = result.stderr.strip()
        if name in outputs:
            assert not (tmp_path / outputs[name]).exists(), name
    assert {"measure", "map", "render", "atlas", "report"} <= {n for n, _ in messages}
    for bad in ("XX", "nowhere"):
        said = {m for (n, b), m in messages.items() if b == bad}
        assert len(said) == 1, said
        assert "neutral, de-facto, KG, TJ" in said.pop()


def test_require_view_lists_the_views(dataset):
    assert require_view(dataset, "TJ") == "TJ"
    with pytest.raises(UsageError, match="choose one of neutral, de-facto, KG, TJ"):
        require_view(dataset, "UZX")


SECTION = {
    "status_history": [
        {"from": "2010", "to": "2024-12-04", "status": "disputed"},
        {"from": "2024-12-04", "to": None, "status": "settled"},
    ],
    "positions": [
        {"party": "KG", "date": "2012-05", "position": "a", "says_belongs_to": "KG", "source_ids": ["s1"]},
        {"party": "KG", "date": "2015-01-02", "position": "b", "says_belongs_to": "undetermined",
         "source_ids": ["s2"]},
        {"party": "TJ", "date": "2013", "position": "c", "says_belongs_to": "TJ", "says_held_by": "KG",
         "source_ids": ["s3"]},
        {"party": "TJ", "date": "2025-04-01", "position": "d", "says_belongs_to": "KG", "source_ids": ["s4"]},
        {"party": "TJ", "date": "2014", "position": "no structured reading", "source_ids": ["s5"]},
    ],
}


def test_stance_history_rule():
    got = [(s["party"], s["from"], s["to"], s["stance"], s["source_ids"]) for s in stance_history(SECTION)]
    assert got == [
        ("KG", "2012-05", "2015-01-02", "claims", ["s1"]),  # until the party's next position
        ("KG", "2015-01-02", "2024-12-04", "undetermined", ["s2"]),  # until the dispute ends
        ("TJ", "2013", "2024-12-04", "claims_held_by_other", ["s3"]),  # the unstructured one adds nothing
        ("TJ", "2025-04-01", None, "concedes", ["s4"]),  # an account of the settlement: open-ended
    ]


def test_a_stance_hides_nothing_but_an_enclave_line_disputed_by_its_viewer(dataset, curated):
    sections, _ = curated
    boundary = dataset.layer("boundary")
    areas = dataset.layer("areas").set_index("id")
    disputed = boundary[boundary["perspectives_history"].notna()]
    assert len(disputed) >= len(dataset.depictions)  # at least the Vorukh perimeter of each depiction
    for props in disputed.drop(columns="geometry").to_dict("records"):
        assert props["part"] == "enclave"
        key = areas.loc[props["enclave_id"], "enclave_key"]
        section = next(s for s in sections.values() if s["location"].get("enclave") == key)
        for entry in props["perspectives_history"]:
            (party,) = entry["countries"]
            said = [p for p in section["positions"] if p["party"] == party and p.get("says_is_enclave") is False]
            assert [_iso(p["date"]) for p in said] == [entry["from"]]
            assert entry["source_ids"] == said[0]["source_ids"]
    vorukh = disputed[disputed["enclave_id"].str.endswith("_enclave_vorukh")]
    assert len(vorukh) == len(dataset.depictions)
    for props in vorukh.drop(columns="geometry").to_dict("records"):
        assert in_view(props, "KG", DAY) and not in_view(props, "TJ", DAY)
        assert in_view(props, "de-facto", DAY)  # what a party says does not change control on the ground
        assert in_view(props, "TJ", dt.date(2021, 4, 21)) and in_view(props, "TJ", dt.date(2025, 1, 1))
    assert len(select(boundary, "TJ", DAY)) == len(select(boundary, "KG", DAY)) - len(vorukh)


def test_bad_structured_positions_are_named():
    problems = position_problems({"positions": [
        {"party": "KG", "date": "2021", "says_belongs_to": "Kyrgyzstan"},
        {"party": "TJ", "date": "2021", "says_held_by": "kg", "says_is_enclave": "no"},
    ]})
    assert len(problems) == 3 and all(p.startswith("position ") for p in problems)


def test_validate_checks_dated_perspectives_and_stances(mini_copy, runner):
    path = mini_copy / "boundary.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    props = collection["features"][0]["properties"]
    props["perspectives_history"] = [
        {"from": "2021-02-30", "to": None, "mode": "disputed_by", "countries": ["XX"], "source_ids": ["nope"]}
    ]
    props["stance_history"] = [{"party": "QQ", "from": "2020", "to": None, "stance": "claims", "source_ids": ["nope"]}]
    # A stance outside the schema's enum, on another feature (a property the schema refuses is
    # reported once, by the schema, and not checked again by the later rules).
    collection["features"][1]["properties"]["stance_history"] = [
        {"party": "KG", "from": "2020", "to": None, "stance": "owns", "source_ids": ["nope"]}
    ]
    path.write_text(json.dumps(collection), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(mini_copy), "--format", "json"])
    assert result.exit_code == 1
    found = {(p["code"], p["prop"]) for p in json.loads(result.stdout)}
    assert ("unknown-country", "/perspectives_history/0/countries/0") in found
    assert ("unknown-country", "/stance_history/0/party") in found
    assert any(code == "unknown-source" for code, _ in found)
    assert any(prop.startswith("/stance_history/0/stance") for _, prop in found)  # not in the schema's enum
    assert any(prop == "/perspectives_history/0/from" for _, prop in found)  # no 30 February


_days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def _sections(draw):
    cuts = sorted(set(draw(st.lists(_days, min_size=1, max_size=4))))
    statuses = draw(st.lists(st.sampled_from(["disputed", "undetermined", "agreed", "settled"]),
                             min_size=len(cuts), max_size=len(cuts)))
    history = [
        {"from": c.isoformat(), "to": cuts[i + 1].isoformat() if i + 1 < len(cuts) else None, "status": s}
        for i, (c, s) in enumerate(zip(cuts, statuses, strict=True))
    ]
    positions = [
        {"party": draw(st.sampled_from(["KG", "TJ"])), "date": draw(_days).isoformat(), "position": "p",
         "says_belongs_to": draw(st.sampled_from(["KG", "TJ", "undetermined", "shared"])),
         "source_ids": [f"s{i}"]}
        for i in range(draw(st.integers(0, 6)))
    ]
    return {"status_history": history, "positions": positions}


@settings(max_examples=150, deadline=None)
@given(_sections())
def test_stances_of_a_party_never_overlap_and_each_is_a_stated_position(section):
    stances = stance_history(section)
    by_source = {p["source_ids"][0]: p for p in section["positions"]}
    for party in ("KG", "TJ"):
        mine = [s for s in stances if s["party"] == party]
        for s in mine:
            (source,) = s["source_ids"]
            stated = by_source[source]
            assert (stated["party"], stated["date"]) == (party, s["from"])  # never a position not recorded
            assert s["to"] is None or parse_date(s["to"]) > parse_date(s["from"])
        for a, b in zip(mine, mine[1:], strict=False):
            assert a["to"] is not None and parse_date(a["to"]) <= parse_date(b["from"])


def test_curated_structured_positions_are_well_formed(curated):
    sections, sources = curated
    structured = 0
    for section in sections.values():
        assert position_problems(section) == [], section["id"]
        for pos in section.get("positions") or []:
            if any(k in pos for k in SAYS):
                structured += 1
                assert pos["source_ids"] and set(pos["source_ids"]) <= sources, section["id"]
    assert structured >= 10
