"""The (perspective, date) table the map applies agrees with bordermap.perspective.select."""

import datetime as dt

import pytest

import bordermap
from bordermap.maps.style import drawn_status
from bordermap.maps.views import (
    CODES,
    HIDDEN,
    STATUS_CODES,
    Looks,
    perspectives,
    records,
    state_rows,
    timeline,
)
from bordermap.perspective import select


@pytest.mark.parametrize("name", [None, "mini"])
def test_state_table_matches_select_in_every_state(name, mini):
    dataset = bordermap.load(mini if name else None)
    views = perspectives(dataset)
    days = [m.day for m in timeline(dataset)]
    if name is None:
        days = (
            days[::8] + days[-1:]
        )  # the bundled timeline is long: a spread of its dates is enough
    for layer in ("boundary", "areas", "sections", "divergence"):
        frame = dataset.layer(layer)
        looks = Looks()
        rows = state_rows(records(frame), views, days, looks)
        for v, view in enumerate(views):
            for d, day in enumerate(days):
                chosen = select(frame, view, day)
                expected = {
                    fid: (drawn_status(s, c), stance)
                    for fid, s, c, stance in zip(
                        chosen["id"], chosen["status"], chosen["course"], chosen["stance"], strict=True
                    )
                }
                got = {}
                for fid, row in zip(frame["id"], rows, strict=True):
                    code = row[v * len(days) + d]
                    if code != HIDDEN:
                        look = looks.entries[CODES.index(code)]
                        got[fid] = (look["status"], look["stance"])
                assert got == expected, (layer, view, day)


def test_timeline_has_the_day_before_and_the_day_of_each_change(mini):
    days = {m.day: m.why for m in timeline(bordermap.load(mini))}
    # s-1 sections and both lines change status on 2025-03-19; s-2 ends that day.
    assert dt.date(2025, 3, 18) in days and dt.date(2025, 3, 19) in days
    assert any("settled" in why for why in days[dt.date(2025, 3, 19)])
    assert "key date" in days[dt.date(2021, 4, 28)]  # dataset.json key_dates
    assert dt.date(2026, 1, 1) in days  # the dataset's as_of


def test_mini_perspectives_come_from_the_data(mini):
    assert perspectives(bordermap.load(mini)) == ["neutral", "de-facto", "KG", "TJ"]


def test_incidents_appear_once_they_have_begun(mini):
    frame = bordermap.load(mini).layer("incidents")
    days = [dt.date(2021, 4, 27), dt.date(2021, 4, 28)]
    assert state_rows(records(frame), ["neutral"], days) == [HIDDEN + STATUS_CODES["undetermined"]]
