"""Text helpers shared by every layer: ASCII identifiers from names."""

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
