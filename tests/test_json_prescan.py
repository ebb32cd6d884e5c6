"""The vectorised pre-scan for out-of-range JSON numbers finds what its regular expression finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.io.geojson import may_hold_big_number, parse_json

#: The definition the pre-scan implements (bordermap 0.1.0 searched the text with it).
ORACLE = re.compile(r"[eE][+-]?[0-9]{3}|[0-9]{16}")

_PIECES = st.sampled_from(["0", "1", "9", "12345678", "e", "E", "+", "-", ".", ",", "[", "]", '"', " ", "é", "x", "٣"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_prescan_agrees_with_its_regular_expression(text: str) -> None:
    assert may_hold_big_number(text) == (ORACLE.search(text) is not None)


def test_prescan_gates_the_checking_parse() -> None:
    """Numbers the pre-scan flags are checked; a 16-digit run at the very end is seen too."""
    assert may_hold_big_number("[1, 9007199254740993]")
    assert not may_hold_big_number("[1, 900719925474099]")
    for text in ("[1e400]", "[-1E+400]", "[9007199254740993]"):
        try:
            parse_json(text)
        except ValueError as exc:
            assert "beyond" in str(exc)
        else:  # pragma: no cover - the assertion is the point
            raise AssertionError(f"{text} was accepted")
    assert parse_json("[1e300, 9007199254740991]") == [1e300, 9007199254740991]
