"""One palette of country colours for every dataset, map and chart.

A country has the same fill wherever bordermap draws it (Tajikistan is never purple in one map and
green in another), and the fills stay distinguishable under the common colour-vision deficiencies:
drawn at :data:`COUNTRY_FILL_OPACITY` over the map background, every pair of
:data:`COUNTRY_FILLS` and the divergence purple differs by ΔE*ab ≥ 9.5 under normal vision and under
simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009; checked in
``tests/test_palette.py``). Countries of Central Asia have fixed places; any other country takes
one of the same colours by a stable hash of its code, so two neighbours elsewhere may share one.

Examples
--------
>>> country_fill("KG"), country_fill("kg") == country_fill("KG")
('#cc4400', True)
>>> country_fill("FR") in COUNTRY_FILLS
True
"""

from __future__ import annotations

import zlib

#: Fill colours, in the order they are handed out; drawn at :data:`COUNTRY_FILL_OPACITY`.
COUNTRY_FILLS: tuple[str, ...] = ("#cc4400", "#0066ff", "#88ee88", "#ffccff", "#668888", "#eeaa22", "#882222")
#: Opacity of country fills over the map background (the tested distances assume it).
COUNTRY_FILL_OPACITY = 0.35
#: Background of the interactive and static maps.
MAP_BACKGROUND = "#f4f1ea"
#: Lakes (filled, opaque) and rivers (thin lines) of the background context. Apart by ΔE*ab ≥ 9.5
#: from every country fill and from every boundary line colour under normal vision and the three
#: simulated deficiencies (``tests/test_palette.py``), so water reads neither as a country nor as
#: a border.
WATER = "#7094f0"
#: Rivers and the shores of lakes: a darker blue, so that a thin river stays visible over
#: Tajikistan's blue fill (:data:`WATER` is only ΔE*ab 17.5 from it, too little for a line of
#: 0.6 pt). Apart by ΔE*ab ≥ 40 from every country fill and ≥ 20 from every boundary line colour
#: under normal vision and the three simulated deficiencies (``tests/test_palette.py``).
WATER_LINE = "#0830c8"
#: Fixed colours for the countries of the region; others are hashed into :data:`COUNTRY_FILLS`.
FIXED: dict[str, str] = {
    "KG": COUNTRY_FILLS[0],
    "TJ": COUNTRY_FILLS[1],
    "UZ": COUNTRY_FILLS[2],
    "KZ": COUNTRY_FILLS[3],
    "AF": COUNTRY_FILLS[4],
    "CN": COUNTRY_FILLS[5],
    "TM": COUNTRY_FILLS[6],
}


def country_fill(code: str) -> str:
    """The fill colour of a country (ISO 3166-1 alpha-2 code), the same in every dataset."""
    code = str(code).upper()
    return FIXED.get(code) or COUNTRY_FILLS[zlib.crc32(code.encode("ascii", "replace")) % len(COUNTRY_FILLS)]
