"""Shared-line extraction, orientation from the tripoint, chainage and sides (no downloads)."""

from __future__ import annotations

import itertools

import pytest
from shapely.geometry import LineString, Point, box

from bordermap.derive.shared_line import (
    chain_from,
    chainage_m,
    nearest_end,
    shared_boundary,
    split_at_chainage,
)
from bordermap.topology import sides

# KG to the south, TJ to the north, UZ touching both at the west end (x = 0).
KG = box(0.0, 0.0, 1.0, 1.0)
TJ = box(0.0, 1.0, 1.0, 2.0)
UZ = box(-1.0, 0.0, 0.0, 2.0)


def test_shared_boundary_of_exact_neighbours() -> None:
    (line,) = shared_boundary(KG, TJ)
    assert sorted(line.coords) == [(0.0, 1.0), (1.0, 1.0)]


def test_shared_boundary_with_snapping_tolerance() -> None:
    nudged = box(0.0, 1.00005, 1.0, 2.0)  # about 5.5 m gap, like DCW's per-country quantisation
    assert shared_boundary(KG, nudged) == []
    (line,) = shared_boundary(KG, nudged, snap_m=30)
    assert line.length == pytest.approx(1.0, abs=1e-3)


def test_main_line_starts_where_the_third_country_touches() -> None:
    parts = shared_boundary(KG, TJ)
    origin, gap_m = nearest_end(parts, UZ)
    assert (origin.x, origin.y, gap_m) == (0.0, 1.0, 0.0)
    (line,) = chain_from(parts, origin)
    assert line.coords[0] == (0.0, 1.0)


def test_chain_orders_and_reverses_pieces() -> None:
    pieces = [LineString([(3, 0), (2, 0)]), LineString([(0, 0), (1, 0)])]
    chain = chain_from(pieces, Point(0, 0))
    assert [list(p.coords) for p in chain] == [[(0, 0), (1, 0)], [(2, 0), (3, 0)]]


def test_sides_point_test() -> None:
    line = LineString([(0.0, 1.0), (0.5, 1.0), (1.0, 1.0)])  # eastward: TJ (north) is left
    vote = sides(line, {"KG": KG, "TJ": TJ}, offset_m=100)
    assert (vote.left, vote.right, vote.agreement) == ("TJ", "KG", 1.0)
    reverse = sides(LineString(line.coords[::-1]), {"KG": KG, "TJ": TJ}, offset_m=100)
    assert (reverse.left, reverse.right) == ("KG", "TJ")


def test_split_at_chainage_cuts_at_multiples_and_keeps_length() -> None:
    line = LineString([(70.0, 40.0), (70.5, 40.0), (71.0, 40.0)])  # about 85 km along a parallel
    total = chainage_m(line)[-1]
    pieces = split_at_chainage(line, 20_000)
    assert [round(a) for a, _, _ in pieces] == [0, 20_000, 40_000, 60_000, 80_000]
    assert pieces[-1][1] == pytest.approx(total)
    assert sum(chainage_m(p)[-1] for _, _, p in pieces) == pytest.approx(total, abs=1.0)
    assert all(a.coords[-1] == b.coords[0] for (_, _, a), (_, _, b) in itertools.pairwise(pieces))


def test_split_with_offset_continues_the_count() -> None:
    line = LineString([(70.0, 40.0), (70.1, 40.0)])
    pieces = split_at_chainage(line, 5_000, offset_m=48_000)
    assert pieces[0][:2] == (48_000, 50_000)
