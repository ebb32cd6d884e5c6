"""``python -m bordermap.derive``: rebuild the bundled geodata from the upstream packages."""

from __future__ import annotations

import argparse
import datetime
import logging
import sys
from pathlib import Path

from bordermap.datasets import DEFAULT_DATASET
from bordermap.derive.pipeline import run
from bordermap.settings import SOURCE_UPSTREAM_CACHE
from bordermap.upstream import DEPICTIONS
from bordermap.upstream.fetch import cache_dir

_ROOT = Path(__file__).resolve().parents[3]


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the build."""
    parser = argparse.ArgumentParser(prog="python -m bordermap.derive", description=__doc__)
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(DEPICTIONS),
        metavar="DEPICTION",
        help=f"rebuild only this depiction (repeatable; one of {', '.join(DEPICTIONS)})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=_ROOT / "geodata" / DEFAULT_DATASET,
        help="dataset directory to write (default: geodata/kg-tj)",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="download cache (default: .cache/upstream)"
    )
    parser.add_argument(
        "--as-of",
        default=datetime.date.today().isoformat(),
        help="the dataset's as-of date (default: today)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    run(args.out, cache_dir(args.cache or SOURCE_UPSTREAM_CACHE), args.only, args.as_of)


if __name__ == "__main__":
    main()
