"""bordermap.dates: full and partial ISO dates as half-open periods."""

import datetime as dt

import pytest

from bordermap.dates import parse_date


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2021-04-28", dt.date(2021, 4, 28), dt.date(2021, 4, 29)),
        ("2021-04", dt.date(2021, 4, 1), dt.date(2021, 5, 1)),
        ("2021-12", dt.date(2021, 12, 1), dt.date(2022, 1, 1)),
        ("2021", dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 3, 1)),
        ("2024-02-29", dt.date(2024, 2, 29), dt.date(2024, 3, 1)),  # leap year
        ("2025-12-31", dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
        (" 2025-03-19 ", dt.date(2025, 3, 19), dt.date(2025, 3, 20)),
    ],
)
def test_partial_dates_are_periods(text, start, end):
    assert parse_date(text) == start
    assert parse_date(text, end=True) == end


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-29",
        "2025-02-30",
        "2025-13",
        "2025-00-10",
        "2025-00",
        "2025-01-00",
        "2025-04-31",
        "21-04-28",
        "2021/04/28",
        "April 2021",
        "",
        "2021-4-28",
        "20210428",
    ],
)
def test_impossible_or_malformed_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_dates_and_datetimes_pass_through():
    assert parse_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert parse_date(dt.datetime(2020, 1, 2, 23, 59)) == dt.date(2020, 1, 2)
