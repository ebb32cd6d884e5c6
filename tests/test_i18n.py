"""Message catalogues: complete for the page, placeholders kept, Russian formats as Russian writes them."""

import datetime as dt
import json
import re
from importlib import resources

import pytest
from babel.messages.pofile import read_po

import bordermap
from bordermap.cli.main import main
from bordermap.errors import UsageError
from bordermap.i18n import LANGUAGES, messages
from bordermap.maps.html import SCRIPT_MESSAGES, render_map


def _catalogue(lang):
    path = resources.files("bordermap").joinpath("locale", lang, "LC_MESSAGES", "bordermap.po")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x != "en"])
def test_catalogue_is_complete_and_keeps_placeholders(lang):
    catalogue = _catalogue(lang)
    table = {m.id: m.string for m in catalogue if m.id}
    missing = [text for text in SCRIPT_MESSAGES if not table.get(text)]
    assert not missing, missing
    for msgid, msgstr in table.items():
        assert msgstr, msgid
        # a counted word (msgid_plural) has one form per plural form, each keeping the placeholders
        forms = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        for form in forms:
            assert form, msgid
            assert sorted(re.findall(r"{\w+}", source)) == sorted(re.findall(r"{\w+}", form)), msgid
    assert not [m.id for m in catalogue if m.fuzzy and m.id]


def test_russian_formats():
    ru = messages("ru")
    assert ru.number(1234.56, 1) == "1\xa0234,6"  # CLDR: no-break space groups, comma decimals
    assert ru.date(dt.date(2025, 3, 18)) == "18 марта 2025"
    assert ru("{n} of {total} sections", n=3, total=30) == "3 из 30 участков"
    assert ru.name({"en": "Vorukh", "ru": "Ворух"}) == "Ворух" and ru.name({"en": "Sokh"}) == "Sokh"
    assert ru.name({}, "sec_x") == "sec_x"


def _data(page):
    raw = re.search(r'<script type="application/json" id="bm-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def test_russian_page_has_no_english_interface_left():
    page = render_map(bordermap.load(), lang="ru")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"ru\">")
    data = _data(page)
    english = {k for k, v in data["i18n"].items() if k == v}
    assert not english, english
    for heading in ("Lines (depictions)", "Line status", "Countries", "Other"):
        assert f"<h4>{heading}</h4>" not in data["legend"]
    assert "Статус линии" in data["legend"] and "Кыргызстан" in data["legend"]
    assert [v["label"] for v in data["views"]][:2] == ["Нейтральная (все притязания)", "Де-факто"]
    as_of = bordermap.load().meta["as_of"]
    assert data["days"][-1]["t"] == messages("ru").date(as_of) and data["days"][-1]["d"] == as_of
    # Popups: field names and headings translated, values and sources untouched.
    popups = " ".join(f["pop"] or "" for f in data["features"]) + " ".join(data["snippets"])
    assert "<h4>Источники</h4>" in popups and "<h4>Sources</h4>" not in popups
    assert "<th>площадь</th>" in popups and "<th>area</th>" not in popups
    # Labels use the data's Russian names and fall back to English where there is none.
    texts = {label["t"] for label in data["labels"]}
    assert {"Ворух", "Кыргызстан"} <= texts and "Khujand" in texts


def test_unknown_language_is_a_usage_error(runner, tmp_path):
    with pytest.raises(UsageError):
        messages("xx")
    result = runner.invoke(main, ["map", "-o", str(tmp_path / "m.html"), "--lang", "xx"])
    assert result.exit_code == 2 and not (tmp_path / "m.html").exists()


def test_generated_features_are_named_in_every_language():
    # make data names the line segments, perimeters and divergence in each interface language.
    from bordermap.i18n import names_in

    dataset = bordermap.load()
    for layer in ("boundary", "divergence", "candidates"):
        names = dataset.layer(layer)["names"]
        assert len(names) and all(set(LANGUAGES) <= set(n) for n in names), layer
    segment = dataset.layer("boundary").iloc[0]
    assert segment["names"]["ru"].startswith("Граница KG–TJ (") and ", км 0–50" in segment["names"]["ru"]
    # numbers in a generated name are written the language's way
    names = names_in("{a}/{b} divergence, km {start}–{end} of {a}", a="x", b="y",
                     start=lambda tr: tr.decimal(902.9, 1), end=lambda tr: tr.decimal(914.25, 1))
    assert names == {"en": "x/y divergence, km 902.9–914.2 of x", "ru": "Расхождение x/y, км 902,9–914,2 по x"}
    # and the Russian map shows them: tooltips of line segments read in Russian
    data = _data(render_map(dataset, lang="ru"))
    tips = [f["tip"] for f in data["features"] if f["id"].endswith("_main_01")]
    assert tips and all(t.startswith("Граница KG–TJ") for t in tips), tips


def test_russian_map_fits_in_budget(tmp_path):
    from bordermap.maps.html import write_map

    out = write_map(bordermap.load(), tmp_path / "ru.html", lang="ru")
    assert out.stat().st_size <= 1_500_000
    # generated labels (segments, divergence) get no table of names: their title is in the page's language
    data = _data(out.read_text(encoding="utf-8"))
    segments = [f["pop"] for f in data["features"] if f["id"].endswith("_main_01")]
    assert segments and not any("bm-names" in p for p in segments)
