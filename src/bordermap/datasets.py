"""Where the bundled datasets are.

The datasets under ``geodata/`` are copied into the wheel as ``bordermap/geodata``; in a source
checkout (editable install) they are read from the repository's ``geodata/`` directory.
"""

from __future__ import annotations

from pathlib import Path

from bordermap.errors import UsageError

DEFAULT_DATASET = "kg-tj"


def _geodata_root() -> Path:
    installed = Path(__file__).with_name("geodata")
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "geodata"


def bundled_path(name: str = DEFAULT_DATASET) -> Path:
    """Return the directory of a bundled dataset.

    Parameters
    ----------
    name
        Dataset id, e.g. ``"kg-tj"``.

    Returns
    -------
    Path
        The dataset directory.

    Examples
    --------
    >>> bundled_path().name
    'kg-tj'
    """
    path = _geodata_root() / name
    if not (path / "dataset.json").is_file():
        known = sorted(p.parent.name for p in _geodata_root().glob("*/dataset.json"))
        raise UsageError(f"no bundled dataset {name!r}; bundled: {', '.join(known) or 'none'}")
    return path
