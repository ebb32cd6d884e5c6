"""Remember which datasets passed validation, so commands do not re-check unchanged files.

A pass is recorded under a key that hashes the content of exactly the files
:func:`bordermap.load` read (the digests it took while reading them, so nothing is read twice
and no other file is read) *and* the validator (the package version, the rule modules and the
JSON Schemas): change either and every rule runs again. The warnings of that pass are stored with
it and logged again on every later hit.

Records live in ``validated/`` under the cache directory of :mod:`bordermap.settings`. Each is
signed with a random key kept in that directory (readable by its owner only), so a record
planted by someone else, or a damaged one, is a miss and the rules run: a record can make a
command faster, never make it accept data. A cache that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from bordermap import __version__
from bordermap.errors import BordermapError
from bordermap.io import signed
from bordermap.io.atomic import write_text
from bordermap.settings import validated_dir

log = logging.getLogger(__name__)

#: Records larger than this are not read (a record holds a key and a few warnings).
MAX_RECORD_BYTES = 1 << 20


def _validator_files() -> list[Path]:
    """Every module of the package and every JSON Schema.

    The rules live in ``validate/`` but also call the model, the as-of rules, the side test and
    the geodesic engine, so a change anywhere in the code runs every rule again.
    """
    root = Path(str(resources.files("bordermap")))
    found = [p for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    found += sorted((root / "schema").glob("*.json"))
    return sorted(found)


def key(digests: Mapping[str, str]) -> str:
    """Digest of the validator and of the files read (file name → SHA-256 of their bytes).

    Examples
    --------
    >>> key({"a.geojson": "00"}) == key({"a.geojson": "00"}) != key({"a.geojson": "01"})
    True
    """
    digest = hashlib.sha256(__version__.encode())
    for file in _validator_files():
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    for name in sorted(digests):
        digest.update(f"{name}\0{digests[name]}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _folder() -> Path:
    return validated_dir()


def _secret(create: bool) -> bytes | None:
    """The signing key of this cache (:func:`bordermap.io.signed.secret`)."""
    return signed.secret(create)


def _signature(secret: bytes, record_key: str, warnings: list[str]) -> str:
    body = json.dumps([record_key, warnings], ensure_ascii=True).encode()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def recall(digests: Mapping[str, str]) -> list[str] | None:
    """The warnings of an earlier pass of exactly these files, or None if there was none.

    A record that is not a regular file, too large, not the JSON this module writes, or not
    signed with this cache's key counts as no record.
    """
    if not digests:
        return None
    record_key = key(digests)
    path = _folder() / record_key
    secret = _secret(create=False)
    try:
        if secret is None or not path.is_file() or path.stat().st_size > MAX_RECORD_BYTES:
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        warnings = record["warnings"]
        if (
            record.get("key") != record_key
            or not isinstance(warnings, list)
            or not all(isinstance(w, str) for w in warnings)
            or not isinstance(record.get("mac"), str)
            or not hmac.compare_digest(record["mac"], _signature(secret, record_key, warnings))
        ):
            raise ValueError("not a record of this cache")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.debug("%s: validation record ignored (%s)", path, exc)
        return None
    return warnings


def remember(digests: Mapping[str, str], warnings: list[str]) -> None:
    """Record that these files passed, with their warnings."""
    if not digests:
        return
    secret = _secret(create=True)
    if secret is None:
        return
    record_key = key(digests)
    record = {"key": record_key, "warnings": warnings, "mac": _signature(secret, record_key, warnings)}
    try:
        write_text(_folder() / record_key, json.dumps(record, ensure_ascii=True))
    except (OSError, ValueError, BordermapError) as exc:
        log.debug("validation pass not remembered (%s)", exc)
