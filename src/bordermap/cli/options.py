"""Registry of options shared by bordermap commands.

=================  ===========================================================
``dataset_arg``    PATH of a dataset directory or GeoJSON file (default: bundled)
``perspective_opt``  ``--perspective neutral|de-facto|<ISO2>`` (checked against the dataset by
                   :func:`bordermap.perspective.require_view`: exit 2 listing the valid ones)
``as_of_opt``      ``--as-of DATE`` (YYYY, YYYY-MM or YYYY-MM-DD); ``as_of_option(help)`` says what it does
``format_opt``     ``--format table|csv|json`` (factory: ``format_opt(choices)``)
``output_opt``     ``-o/--output FILE`` (factory: ``output_opt(required, help)``)
``depiction_opt``  ``--depiction ID``
``page_opt``       ``--page A4|letter`` (static maps and the atlas)
``lang_opt``       ``--lang en|ru`` (interface language of maps, reports and figure checks)
``DISTANCE``       click type for distances: ``100m``, ``2.5km``, ``100`` (metres)
``POSITIVE``       click type for a finite number greater than zero
``bbox_opt``       ``--bbox W,S,E,N`` (degrees; pushed down to large-file readers)
``filter_opt``     ``--filter FIELD=V1[,V2…]`` (attribute match; pushed down likewise)
``upstream_cache_opt``  ``--cache DIR``: where ``init`` and ``world`` keep the upstream packages
=================  ===========================================================
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from bordermap.dates import parse_date
from bordermap.i18n import LANGUAGES

F = TypeVar("F", bound=Callable[..., Any])

_ISO2 = re.compile(r"^[A-Z]{2}$")


def _perspective(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Normalise a country code to upper case.

    Whether the dataset has the view is checked once it is loaded
    (:func:`bordermap.perspective.require_view`), the same way by every command.
    """
    if value in ("neutral", "de-facto"):
        return value
    return value.upper() if _ISO2.match(value.upper()) else value


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


dataset_arg = click.argument(
    "path", required=False, type=click.Path(exists=True, path_type=Path), metavar="[PATH]"
)
perspective_opt = click.option(
    "--perspective",
    default="neutral",
    show_default=True,
    callback=_perspective,
    help="Whose view: neutral, de-facto, or a country code (e.g. KG, TJ).",
)
def as_of_option(help: str = "Show the data as of a date (YYYY[-MM[-DD]]).") -> Callable[[F], F]:
    """``--as-of DATE``, with help saying what the date does in that command."""
    return click.option("--as-of", "as_of", callback=_as_of, metavar="DATE", help=help)


as_of_opt = as_of_option()
depiction_opt = click.option("--depiction", metavar="ID", help="Which depiction of the line (default: the dataset's).")


def format_opt(choices: Sequence[str] = ("table", "csv", "json")) -> Callable[[F], F]:
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True,
        help="Output format.",
    )


def output_opt(required: bool = True, help: str = "Output file.") -> Callable[[F], F]:
    """``-o/--output FILE``."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=required, help=help)


lang_opt = click.option(
    "--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
    help="Interface language: labels, legend, field names, explanations, dates, numbers and disclaimer; "
    "feature names in that language where the data has them, else English.",
)
page_opt = click.option("--page", type=click.Choice(["A4", "letter"]), default="A4", show_default=True,
                        help="Paper size; the orientation follows the map's shape.")


class Distance(click.ParamType):
    """A distance such as ``100m``, ``2.5 km`` or ``100`` (metres); converted to metres."""

    name = "distance"
    _UNITS = {"": 1.0, "m": 1.0, "km": 1000.0}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """Parse ``value`` (a number, or a string with an optional m or km unit) into metres."""
        if isinstance(value, (int, float)):
            return float(value)
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(m|km)?\s*", str(value))
        if not match:
            self.fail(f"{value!r} is not a distance such as 100m or 2.5km", param, ctx)
        metres = float(match[1]) * self._UNITS[match[2] or ""]
        if not metres <= EARTH_CIRCUMFERENCE_M:
            self.fail(f"{str(value)[:24]!r} is longer than the Earth's circumference", param, ctx)
        return metres


DISTANCE = Distance()
#: No distance on the ellipsoid is longer (the equator, about 40,075 km).
EARTH_CIRCUMFERENCE_M = 40_075_017.0


class PositiveNumber(click.types.FloatParamType):
    """A finite number greater than zero (``inf``, ``nan``, ``1e400`` and ``-5`` are refused)."""

    name = "positive number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """Parse ``value`` as a float and refuse it unless finite and positive."""
        number = super().convert(value, param, ctx)
        if not (math.isfinite(number) and number > 0):
            self.fail(f"{str(value)[:24]!r} is not a finite positive number", param, ctx)
        return number


POSITIVE = PositiveNumber()


def _bbox(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter("expected WEST,SOUTH,EAST,NORTH, e.g. 66,36,81,44") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise click.BadParameter("expected WEST < EAST within ±180 and SOUTH < NORTH within ±90")
    return west, south, east, north


def _match(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, tuple[str, ...]] | None:
    if value is None:
        return None
    field, sep, values = value.partition("=")
    if not sep or not field.strip() or not values.strip():
        raise click.BadParameter("expected FIELD=VALUE[,VALUE…], e.g. A3=KGZ,TJK")
    return field.strip(), tuple(v.strip() for v in values.split(","))


bbox_opt = click.option(
    "--bbox", callback=_bbox, metavar="W,S,E,N",
    help="Only features that meet this box (degrees); large files read only that part.",
)
filter_opt = click.option(
    "--filter", "match", callback=_match, metavar="FIELD=V1[,V2…]",
    help="Only features whose FIELD is one of the values (e.g. A3=KGZ,TJK).",
)


upstream_cache_opt = click.option(
    "--cache",
    "--from",
    "cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of the upstream packages, fetched there when missing "
    "(default: upstream/ in $BORDERMAP_CACHE_DIR or ~/.cache/bordermap).",
)
