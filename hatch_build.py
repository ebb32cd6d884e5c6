"""Compile bordermap's ring engine when the package is built (a hatchling build hook).

``src/bordermap/native/ringarea.c`` is plain C without the Python API (bordermap loads it with
ctypes; see ``bordermap/native/__init__.py``). It is compiled here with the system C compiler
(``$CC``, else ``cc``) into ``src/bordermap/native/_ringarea.so``, which an editable install uses
in place and a wheel carries. Without a compiler, or on a platform other than Linux, nothing is
compiled and the package stays pure Python: bordermap then measures with pyproj's Python
interface alone (the same numbers, about 1.5x slower on one core).

``python hatch_build.py`` compiles it in a source checkout (``make native``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "src" / "bordermap" / "native" / "ringarea.c"
LIBRARY = SOURCE.with_name("_ringarea.so")


def compile_library(target: Path = LIBRARY) -> Path | None:
    """Compile the ring engine (in place by default); its path, or None (with a message) when it cannot be."""
    if not sys.platform.startswith("linux"):
        print("bordermap: the compiled ring engine is built on Linux only; using pyproj alone", file=sys.stderr)
        return None
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        print("bordermap: no C compiler (cc); measuring will use pyproj alone", file=sys.stderr)
        return None
    partial = target.with_name(target.name + ".partial")
    command = [*shlex.split(compiler), "-O2", "-fPIC", "-shared", "-o", str(partial), str(SOURCE)]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        print(f"bordermap: could not compile {SOURCE.name} ({detail.strip()}); "
              "measuring will use pyproj alone", file=sys.stderr)
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, target)
    return target


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script, without hatchling
    BuildHookInterface = object  # type: ignore[assignment,misc]


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Compile the library for wheels (standard and editable) and mark the wheel as platform-specific."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile before the wheel is assembled (hatchling calls this)."""
        if self.target_name != "wheel":
            return
        library = compile_library()
        if library is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "standard":
            build_data["force_include"][str(library)] = "bordermap/native/_ringarea.so"


if __name__ == "__main__":
    sys.exit(0 if compile_library() else 1)
