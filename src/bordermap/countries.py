"""Country names from ISO 3166-1 codes (pycountry), for datasets that do not name their countries."""

from __future__ import annotations


def country_name(code: str) -> str:
    """Return the English short name of an ISO 3166-1 alpha-2 code (pycountry), or the code.

    Examples
    --------
    >>> country_name("KG"), country_name("BO"), country_name("XK")
    ('Kyrgyzstan', 'Bolivia', 'Kosovo')
    """
    import pycountry

    if code == "XK":  # user-assigned code, widely used for Kosovo; not in ISO 3166-1
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
