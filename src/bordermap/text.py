"""Text helpers shared by every layer: ASCII identifiers from names, the digits a measured value is written to."""

from __future__ import annotations

import math
import re
import unicodedata


def slug(text: str) -> str:
    """Lower-case ASCII words joined by underscores.

    Examples
    --------
    >>> slug("Chorkŭh")
    'chorkuh'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def shown_digits(value: float, most: int = 3) -> int:
    """Decimals for a measured value in words: one from 10 up, else three significant figures (at most ``most``).

    A depiction's value is printed beside the range across depictions (one decimal): "33.2 km²",
    not "33.211 km²" — metres² of a line drawn to ±50 m; small values keep their figures (0.016 km²).

    Examples
    --------
    >>> [shown_digits(v) for v in (33.211, 6.0, 0.995, 0.0161)], shown_digits(0.0161, 2)
    ([1, 2, 3, 3], 2)
    """
    size = abs(value)
    return min(most, 1 if size >= 10 else 2 if size >= 1 else 3)


def digits_for(value: float, precision_m: float | None = None) -> int:
    """Decimals for a measured length (km) or area (km²) of a line drawn to ``precision_m``.

    :func:`shown_digits`, or more where the line is precise enough to give them: a ±50 m line's
    914.329 km is written 914.3, a ±1 m survey's keeps its metres (914.329).

    Examples
    --------
    >>> digits_for(914.329, 50), digits_for(914.329, 1000), digits_for(914.329, 1), digits_for(0.655, None)
    (1, 1, 3, 3)
    """
    return max(shown_digits(value), place_digits(precision_m))


def place_digits(precision_m: float | None) -> int:
    """Decimals of a kilometre a line drawn to ``precision_m`` gives (0 when unknown).

    Examples
    --------
    >>> [place_digits(p) for p in (1, 10, 50, 500, 1000, None)]
    [3, 2, 1, 0, 0, 0]
    """
    if precision_m is None or not precision_m > 0:
        return 0
    return max(0, min(6, math.floor(-math.log10(precision_m / 1000.0))))
