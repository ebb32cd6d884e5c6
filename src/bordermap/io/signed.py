"""Signatures for the records bordermap keeps in its cache directory.

A record in the cache can make a command faster, never make it accept other data or draw other
lines: the validation passes (:mod:`bordermap.validate.memo`), the parsed layers
(:mod:`bordermap.io.layercache`) and the map's encoded geometry (:mod:`bordermap.maps.topocache`)
are each signed (HMAC-SHA-256) with a random key kept in the cache (``validated/.key``, readable by
its owner only). A record someone else planted, or a damaged one, fails :func:`signed` and counts
as no record.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets

from bordermap.settings import validated_dir

log = logging.getLogger(__name__)


def secret(create: bool) -> bytes | None:
    """The signing key of this cache (created on first use, mode 0600), or None."""
    path = validated_dir() / ".key"
    try:
        if create and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        if not path.is_file() or path.stat().st_size != 32:
            return None
        return path.read_bytes()
    except FileExistsError:  # created by a concurrent run a moment ago
        return secret(create=False)
    except OSError as exc:
        log.debug("cache signing key unavailable (%s)", exc)
        return None


def sign(body: bytes) -> str | None:
    """The signature of ``body`` with this cache's key (created on first use), or None without a key."""
    key = secret(create=True)
    return None if key is None else hmac.new(key, body, hashlib.sha256).hexdigest()


def signed(body: bytes, signature: str) -> bool:
    """Whether ``signature`` is this cache's signature of ``body`` (see :func:`sign`).

    Examples
    --------
    >>> import os, tempfile
    >>> before = os.environ.get("BORDERMAP_CACHE_DIR")
    >>> os.environ["BORDERMAP_CACHE_DIR"] = tempfile.mkdtemp()
    >>> mac = sign(b"record")
    >>> signed(b"record", mac), signed(b"recorD", mac), signed(b"record", "0" * 64)
    (True, False, False)
    >>> os.environ["BORDERMAP_CACHE_DIR"] = tempfile.mkdtemp()  # another cache: another key
    >>> signed(b"record", mac)
    False
    >>> if before is None: del os.environ["BORDERMAP_CACHE_DIR"]
    ... else: os.environ["BORDERMAP_CACHE_DIR"] = before
    """
    key = secret(create=False)
    if key is None:
        return False
    return hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), signature)
