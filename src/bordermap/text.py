"""Text helpers shared by every layer: ASCII identifiers from names, the digits a measured value is written to."""

from __future__ import annotations

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
