"""Interface language of the maps and reports: message catalogues, number and date formats, names.

Translations live in gettext catalogues, ``bordermap/locale/<lang>/LC_MESSAGES/bordermap.po``, read
with Babel (a dependency of bordermap) when a language other than English is asked for; English
needs nothing. :func:`messages` returns one :class:`Messages` per language, which translates an
interface string, formats numbers and dates the way the language writes them, and picks a
feature's name in that language with a fallback to English (never a guessed transliteration).

Examples
--------
>>> en = messages("en")
>>> en("Perspective"), en.number(1234.5, 1), en.date("2025-03-18")
('Perspective', '1,234.5', '2025-03-18')
>>> en.name({"en": "Vorukh", "ru": "Ворух"}), messages("ru").name({"en": "Sokh"})
('Vorukh', 'Sokh')
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from bordermap.errors import UsageError

#: Interface languages that have a catalogue (English is the source language).
LANGUAGES: tuple[str, ...] = ("en", "ru")
DOMAIN = "bordermap"


def N_(text: str) -> str:
    """Mark a string for the catalogue without translating it here (it is translated where it is shown).

    The catalogue-completeness test collects these as it collects the strings passed to a
    :class:`Messages` (``tr("...")``), so a table of labels kept in a constant is checked too.

    Examples
    --------
    >>> N_("Sources")
    'Sources'
    """
    return text


@dataclass(frozen=True)
class Messages:
    """Translations and formats of one interface language."""

    lang: str
    catalogue: Mapping[str, str] = field(default_factory=dict)
    #: A counted word's forms (``msgid_plural`` entries, keyed by their ``msgid``) and the rule choosing one.
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    plural_rule: Callable[[int], int] | None = None

    def __call__(self, text: str, /, **values: Any) -> str:
        """The translation of ``text`` (itself if the catalogue lacks it), with ``{name}`` values filled in."""
        out = self.catalogue.get(text) or text
        return out.format(**values) if values else out

    def number(self, value: float, digits: int = 1) -> str:
        """A number with ``digits`` decimals and the language's grouping and decimal signs."""
        if self.lang == "en":
            return f"{value:,.{digits}f}"
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.lang))

    def decimal(self, value: float, digits: int | None = None, group: bool = False) -> str:
        """A number as ``{:g}`` writes it (or with ``digits`` decimals), with the language's decimal sign.

        ``group`` separates thousands too, as the language does (for a figure as quoted: 1,684).

        Examples
        --------
        >>> messages("en").decimal(0.25), messages("en").decimal(3, 1), messages("en").decimal(1684, group=True)
        ('0.25', '3.0', '1,684')
        """
        text = f"{value:{',' if group else ''}g}" if digits is None else f"{value:{',' if group else ''}.{digits}f}"
        if self.lang == "en":
            return text
        from babel.numbers import get_decimal_symbol, get_group_symbol

        marks = {",": str(get_group_symbol(self.lang)), ".": str(get_decimal_symbol(self.lang))}
        return "".join(marks.get(c, c) for c in text)

    def percent(self, fraction: float, digits: int = 1, signed: bool = False) -> str:
        """A fraction as a percentage with the language's decimal sign (``signed``: always a sign).

        Examples
        --------
        >>> messages("en").percent(-0.0069, signed=True), messages("ru").percent(0.529)
        ('-0.7%', '52,9%')
        """
        return self.decimal(fraction * 100.0, digits).join(("+" if signed and fraction >= 0 else "", "%"))

    def unit(self, word: str, count: float | None = None) -> str:
        """A unit or counted word as the language writes it after ``count`` ("12 участков", "22 участка").

        Words with plural forms in the catalogue take the form the number asks for (a fraction
        takes the form of 2, as in Russian "1,5 шлюза"); any other word is translated as it is.

        Examples
        --------
        >>> ru = messages("ru")
        >>> [ru.unit("sections", n) for n in (1, 22, 35)], ru.unit("km", 3), messages("en").unit("sections", 1)
        (['участок', 'участка', 'участков'], 'км', 'sections')
        """
        forms = self.plurals.get(word)
        if not forms or self.plural_rule is None:
            return self(word)
        if count is None or not float(count).is_integer():
            count = 2
        index = self.plural_rule(abs(int(count)))
        return forms[min(index, len(forms) - 1)]

    def date(self, value: dt.date | str) -> str:
        """A date as the language writes it (English: ISO 8601, as the data and the CLI do)."""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        if self.lang == "en":
            return day.isoformat()
        from babel.dates import format_date

        return str(format_date(day, "d MMMM y", locale=self.lang))

    def day(self, value: Any) -> str:
        """A date from the data as the language writes it; a month, a year or an odd date as written.

        Empty when unset (None, NaN or an empty string).

        Examples
        --------
        >>> en = messages("en")
        >>> en.day("2025-03-13"), en.day("2021-04"), en.day(None), messages("ru").day("2025-03-31")
        ('2025-03-13', '2021-04', '', '31 марта 2025')
        """
        if isinstance(value, dt.date):
            return self.date(value)
        if value is None or value == "" or (isinstance(value, float) and value != value):
            return ""
        text = str(value)
        try:
            return self.date(dt.date.fromisoformat(text)) if len(text) == 10 else text
        except ValueError:
            return text

    def name(self, names: Any, fallback: str = "") -> str:
        """A feature's name in this language, else in English, else ``fallback``."""
        if isinstance(names, Mapping):
            for lang in (self.lang, "en"):
                if isinstance(names.get(lang), str) and names[lang].strip():
                    return str(names[lang])
        return fallback

    def country(self, code: str, english: str) -> str:
        """A country's name: the catalogue's, else the iso-codes translation shipped with pycountry."""
        if self.lang == "en" or english in self.catalogue:
            return self(english)
        try:
            import gettext

            import pycountry

            table = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[self.lang])
            return table.gettext(english)
        except (ImportError, OSError):
            return english


def names_in(template: str, **values: Any) -> dict[str, str]:
    """The names of a generated feature in every interface language, from one catalogue template.

    A value that is a mapping of names by language (a place's ``names``) is put in as the name in
    each language, else in English; a callable is called with each language's :class:`Messages`
    (``lambda tr: tr.decimal(x, 1)``: a number written the language's way). ``make data`` names
    the features it makes (line segments, enclave perimeters, divergence) this way, so that a
    Russian map can name them in Russian.

    Examples
    --------
    >>> names_in("{pair} boundary ({depiction}), km {km}", pair="KG–TJ", depiction="osm2022", km="0–50")["en"]
    'KG–TJ boundary (osm2022), km 0–50'
    """
    out = {}
    for lang in LANGUAGES:
        tr = messages(lang)
        filled = {k: tr.name(v, str(v.get("en", ""))) if isinstance(v, Mapping) else v(tr) if callable(v) else v
                  for k, v in values.items()}
        out[lang] = tr(template, **filled)
    return out


@functools.cache
def messages(lang: str = "en") -> Messages:
    """The :class:`Messages` of a language in :data:`LANGUAGES`.

    Raises
    ------
    UsageError
        For a language without a catalogue, or when Babel (needed to read one) is missing.
    """
    if lang not in LANGUAGES:
        raise UsageError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return Messages("en")
    try:
        from babel.messages.pofile import read_po
    except ImportError as exc:
        raise UsageError(
            f"--lang {lang} needs Babel to read its message catalogue (a dependency of bordermap: pip install babel)"
        ) from exc
    source = resources.files("bordermap") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=lang, domain=DOMAIN)
    table = {
        str(m.id): str(m.string) for m in catalogue if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }
    plurals = {
        str(m.id[0]): tuple(str(s) for s in m.string)
        for m in catalogue
        if m.pluralizable and m.id and isinstance(m.string, (tuple, list)) and all(m.string) and not m.fuzzy
    }
    import gettext

    return Messages(lang, table, plurals, gettext.c2py(catalogue.plural_expr) if plurals else None)
