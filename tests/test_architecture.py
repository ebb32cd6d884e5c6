"""The library's layers go one way (docs/architecture.md): a module imports only its own layer or lower ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bordermap"

#: Bottom first. The name of a subpackage or top-level module of ``bordermap`` → its layer.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"errors", "dates", "datasets", "settings", "text", "countries", "palette", "i18n", "progress",
                        "rings", "native", "geodesic", "measure_ahead", "topology"})),
    ("model", frozenset({"model", "timeline"})),
    ("io", frozenset({"io", "upstream"})),
    ("validate", frozenset({"validate"})),
    ("analysis", frozenset({"perspective", "measure", "chainage", "check", "scale", "diverge", "inventory",
                            "candidates", "swaps", "spread", "world", "partitioned"})),
    ("output", frozenset({"maps", "report", "export"})),
    ("build", frozenset({"derive", "init"})),
    ("cli", frozenset({"cli", "testing"})),
)
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}


def _unit(module: str) -> str | None:
    """``bordermap.io.geojson`` → ``io``; the package root → None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bordermap" else None


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of a bordermap module in a file, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bordermap" or node.module.startswith("bordermap."):
                found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("bordermap.")]
    return found


def _module_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC)


def test_every_module_has_a_layer() -> None:
    units = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in _module_files()}
    units.discard("__main__")
    assert sorted(units - set(RANK)) == []


@pytest.mark.parametrize("path", _module_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_down(path: Path) -> None:
    here = path.relative_to(SRC).parts[0].removesuffix(".py")
    wrong = []
    for line, module, names in _imports(path):
        if module == "bordermap":
            # ``from bordermap import settings`` imports a module; the root's own load() is the API's,
            # and only its version string may be imported from inside the library.
            targets = [n for n in names if n != "__version__"]
            wrong += [f"line {line}: from bordermap import {n}" for n in targets if n not in RANK]
            targets = [n for n in targets if n in RANK]
        else:
            targets = [_unit(module) or ""]
        for there in targets:
            if there != here and RANK[there] > RANK[here]:
                wrong.append(f"line {line}: {module} {there} ({LAYERS[RANK[there]][0]}) from {here} "
                             f"({LAYERS[RANK[here]][0]})")
    assert wrong == []


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The check itself can fail: an io module importing maps is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from bordermap.maps.style import STATUS_FILL\n", encoding="utf-8")
    (line, module, _names), = _imports(bad)
    assert RANK[_unit(module)] > RANK["io"]
