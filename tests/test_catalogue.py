"""Every interface string the code shows has a Russian translation in the catalogue.

The strings are collected from the source the way an extractor would: the first argument of
every call of a :class:`bordermap.i18n.Messages` (``tr(...)``, ``view.tr(...)``, ``self.tr(...)``),
of the no-op marker ``N_(...)`` and the template of ``popups.fill(tr, ...)``; plus the statuses
and the page script's strings, which reach ``tr`` through a variable.
"""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import bordermap
from bordermap.maps.html import SCRIPT_MESSAGES
from bordermap.maps.style import DRAWN_STATUSES
from bordermap.model import STATUSES

SOURCE = Path(bordermap.__file__).parent
MARKERS = {"tr", "N_"}


def _literals(node: ast.AST) -> list[str] | None:
    """The string literal(s) a message argument can be; None for anything an extractor cannot read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, other = _literals(node.body), _literals(node.orelse)
        return None if body is None or other is None else body + other
    return None


def _calls(tree: ast.AST) -> list[tuple[int, ast.AST]]:
    """(line, message argument) of every translation call in a module."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in MARKERS:
            out.append((node.lineno, node.args[0]))
        elif name == "fill" and len(node.args) > 1:
            out.append((node.lineno, node.args[1]))
    return out


def extracted() -> tuple[dict[str, str], list[str]]:
    """Every msgid the code uses (with where), and the calls whose message is an f-string."""
    found: dict[str, str] = {}
    fstrings: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, arg in _calls(tree):
            where = f"{path.relative_to(SOURCE)}:{line}"
            if isinstance(arg, ast.JoinedStr):
                fstrings.append(where)
            for text in _literals(arg) or []:
                found.setdefault(text, where)
    for text in (*SCRIPT_MESSAGES, *STATUSES, *DRAWN_STATUSES):
        found.setdefault(text, "statuses and page script")
    return found, fstrings


def _catalogue(lang: str):
    path = resources.files("bordermap").joinpath("locale", lang, "LC_MESSAGES", "bordermap.po")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_extractor_finds_what_the_code_translates():
    # A guard for the test itself: it must see calls of every shape the code uses.
    found, _ = extracted()
    for text in ("{title} (continued)", "Disclaimer: {text}", "Key findings", "{n} killed",
                 "within uncertainty", "Perspective", "{party} — {who}: “{position}”", "settled, course not published"):
        assert text in found, text
    assert len(found) > 300


def test_no_message_is_an_f_string():
    # tr(f"...") would look a string up that no catalogue can hold.
    _, fstrings = extracted()
    assert not fstrings, fstrings


@pytest.mark.parametrize("lang", [x for x in bordermap.i18n.LANGUAGES if x != "en"])
def test_every_message_the_code_uses_is_translated(lang):
    catalogue = _catalogue(lang)
    table = {m.id: m for m in catalogue if m.id}
    found, _ = extracted()
    missing = {text: where for text, where in found.items() if text and not (text in table and table[text].string)}
    assert not missing, f"{len(missing)} untranslated: {missing}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, fuzzy
    for text in found:
        if text:  # the translation keeps every placeholder of the template, no more, no less
            assert sorted(re.findall(r"{\w*}", text)) == sorted(re.findall(r"{\w*}", table[text].string)), text


def test_word_tables_cover_the_schema_enums():
    # Each table of words for an enum has one entry per value of the schema (the one source of enums).
    from bordermap.check.verdicts import VERDICT_LABELS, VERDICT_MEANINGS, VERDICTS
    from bordermap.maps.facts import CASUALTY_WORDS, LOCATED_WORDS, OBJECT_WORDS
    from bordermap.maps.popups import PARTS, SOURCE_KINDS
    from bordermap.model import CASUALTY_COUNTS, schema_enum
    from bordermap.report import CATEGORY_NAMES

    assert set(LOCATED_WORDS) == set(schema_enum("sections.json", "properties", "location_precision"))
    assert set(OBJECT_WORDS) == set(schema_enum("sections.json", "properties", "disputed_objects", "items"))
    assert set(SOURCE_KINDS) == set(schema_enum("sources.json", "items", "properties", "kind"))
    assert set(PARTS) == set(schema_enum("boundary.json", "properties", "part"))
    assert set(CATEGORY_NAMES) == set(schema_enum("figures.json", "items", "properties", "category"))
    assert set(CASUALTY_WORDS) == set(CASUALTY_COUNTS)
    assert set(VERDICT_LABELS) == set(VERDICT_MEANINGS) == set(VERDICTS)
