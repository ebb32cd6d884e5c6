"""Remember which datasets passed validation, so the main job does not re-check unchanged files.

A pass is recorded under a key that hashes the dataset's files *and* the validator (the package
version, the rule modules and the JSON Schemas): change either and every rule runs again. The
warnings of that pass are stored with it and logged again on every later hit. Records live in
``validated/`` under the cache directory of :mod:`bordermap.settings`; a cache that cannot be
written only costs time.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

from bordermap import __version__
from bordermap.io.atomic import write_text
from bordermap.settings import validated_dir

log = logging.getLogger(__name__)

_DATA_SUFFIXES = (".json", ".geojson", ".parquet", ".fgb", ".gpkg")


def _validator_files() -> list[Path]:
    package = resources.files("bordermap")
    found = [Path(str(p)) for p in package.joinpath("validate").iterdir() if p.name.endswith(".py")]
    found += [Path(str(p)) for p in package.joinpath("schema").iterdir() if p.name.endswith(".json")]
    return sorted(found)


def _data_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in _DATA_SUFFIXES)


def key(path: Path) -> str:
    """Digest of a dataset's files and of the validator that checks them."""
    digest = hashlib.sha256(__version__.encode())
    for file in [*_validator_files(), *_data_files(path)]:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _record(path: Path) -> Path:
    return validated_dir() / key(path)


def recall(path: Path) -> list[str] | None:
    """The warnings of an earlier pass of exactly these files, or None if there was none."""
    record = _record(path)
    if not record.is_file():
        return None
    text = record.read_text(encoding="utf-8")
    return text.splitlines() if text else []


def remember(path: Path, warnings: list[str]) -> None:
    """Record that these files passed, with their warnings."""
    record = _record(path)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        write_text(record, "\n".join(warnings))
    except OSError as exc:
        log.debug("validation pass not remembered (%s)", exc)
