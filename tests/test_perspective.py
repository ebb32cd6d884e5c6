"""bordermap.perspective: the Overture perspective rule and the as-of rule, by hand."""

import datetime as dt

import pytest

import bordermap
from bordermap.perspective import exists_on, in_view, select, status_on

ACCEPTED_KG = {"perspectives": {"mode": "accepted_by", "countries": ["KG"]}}
DISPUTED_BY_TJ = {"perspectives": {"mode": "disputed_by", "countries": ["TJ"]}}
CONTROLLED = {**DISPUTED_BY_TJ, "controlled_by": ["KG"]}
PLAIN: dict = {}

# (feature, view) → in view? Worked out from the three clauses of the rule in docs/data-model.md.
TABLE = [
    (PLAIN, "KG", True),
    (PLAIN, "TJ", True),
    (PLAIN, "de-facto", True),
    (PLAIN, "neutral", True),
    (ACCEPTED_KG, "KG", True),
    (ACCEPTED_KG, "TJ", False),
    (ACCEPTED_KG, "UZ", False),
    (ACCEPTED_KG, "de-facto", False),
    (ACCEPTED_KG, "neutral", True),
    (DISPUTED_BY_TJ, "KG", True),
    (DISPUTED_BY_TJ, "TJ", False),
    (DISPUTED_BY_TJ, "UZ", True),
    (DISPUTED_BY_TJ, "de-facto", False),
    (CONTROLLED, "de-facto", True),
    (CONTROLLED, "TJ", False),
]


@pytest.mark.parametrize("props, view, expected", TABLE)
def test_perspective_rule(props, view, expected):
    assert in_view(props, view) is expected


def test_null_or_nan_perspectives_count_as_absent():
    assert in_view({"perspectives": None}, "TJ") and in_view({"perspectives": float("nan")}, "TJ")


def test_validity_interval_is_half_open():
    props = {"valid_from": "2021-04", "valid_to": "2025-03-19"}
    assert not exists_on(props, dt.date(2021, 3, 31))
    assert exists_on(props, dt.date(2021, 4, 1))
    assert exists_on(props, dt.date(2025, 3, 18))
    assert not exists_on(props, dt.date(2025, 3, 19))


def test_status_history_and_gaps():
    props = {
        "status": "settled",
        "status_history": [
            {"from": None, "to": "2021", "status": "delimited"},
            {"from": "2022", "to": "2025-03-19", "status": "disputed"},
            {"from": "2025-03-19", "to": None, "status": "settled"},
        ],
    }
    assert status_on(props, dt.date(1990, 6, 1)) == "delimited"
    assert status_on(props, dt.date(2021, 6, 1)) == "undetermined"  # the gap: no entry covers 2021
    assert status_on(props, dt.date(2025, 3, 18)) == "disputed"
    assert status_on(props, dt.date(2025, 3, 19)) == "settled"
    assert status_on({}, None) == "undetermined"


def test_a_point_on_a_claim_line_belongs_to_one_view_only(mini):
    # Both claim lines of section one run through (1.0, -0.05) resp. (1.0, 0.05): the KG claim
    # is in KG's view and not in TJ's, the TJ claim the other way round; neutral has both.
    sections = bordermap.load(mini).layer("sections")
    seen = {
        view: set(select(sections, view, "2021-04-28")["id"])
        for view in ("KG", "TJ", "neutral", "de-facto")
    }
    assert "s-1-kg" in seen["KG"] and "s-1-kg" not in seen["TJ"]
    assert "s-1-tj" in seen["TJ"] and "s-1-tj" not in seen["KG"]
    assert {"s-1-kg", "s-1-tj", "s-2"} == seen["neutral"]
    assert seen["de-facto"] == {"s-1-tj", "s-2"}  # only the TJ claim has controlled_by


def test_select_resolves_status_and_dashes(mini):
    boundary = bordermap.load(mini).layer("boundary")
    before = select(boundary, "neutral", "2021-04-28").set_index("id")
    after = select(boundary, "neutral", "2026-01-01").set_index("id")
    assert before.loc["b-alpha-0", "status"] == "disputed" and bool(
        before.loc["b-alpha-0", "dashed"]
    )
    assert after.loc["b-alpha-0", "status"] == "settled" and not bool(
        after.loc["b-alpha-0", "dashed"]
    )
    # The enclave perimeter has no history: status undetermined on any date, drawn dashed.
    assert after.loc["b-alpha-e1", "status"] == "undetermined" and bool(
        after.loc["b-alpha-e1", "dashed"]
    )
