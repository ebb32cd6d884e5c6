"""Check the figures officials and media quote against what the data measures (issue #4).

- :func:`check_figures`: every figure of a register, with measured counterparts, difference,
  ratio, a verdict (:data:`VERDICTS`) and an explanation (rules in :mod:`.verdicts`, counterparts
  in :mod:`.measured`, records in :mod:`.figures`; the method in docs/checking-figures.md);
- :func:`parse_claim`: a figure given as ``CATEGORY=VALUE[UNIT]``;
- :func:`summary_table`: one row per check, for tables and reports;
- :func:`claim_band`: an area claim drawn as a band along the line, for maps.
"""

from __future__ import annotations

from bordermap.check.band import claim_band
from bordermap.check.figures import check_figures, parse_claim, summary_table
from bordermap.check.verdicts import VERDICTS

__all__ = ["VERDICTS", "check_figures", "claim_band", "parse_claim", "summary_table"]
