"""Text from data made safe for where it lands: a terminal, XML (KML, SVG), matplotlib labels.

Reading keeps strings exactly as written (escaping is each output's job); these functions are
the one place each output escapes them. CSV has its own module, :mod:`bordermap.io.csvsafe`.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters except newline and tab, DEL, and the bidirectional overrides
#: that can make a terminal line read differently from what it holds.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]")
#: Characters XML 1.0 does not allow (§2.2), including lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]")


def terminal_safe(text: str, json: bool = False) -> str:
    r"""Show control characters and escape sequences as visible escapes, not as commands.

    With ``json=True`` the escapes are JSON's (``\u001b``), so JSON text stays valid JSON.

    Examples
    --------
    >>> terminal_safe("Title\x1b[2J\x07 ok\n")
    'Title\\x1b[2J\\x07 ok\n'
    >>> terminal_safe('{"t": "\x9b2J"}', json=True)
    '{"t": "\\u009b2J"}'
    """
    if json:
        return _TERMINAL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return _TERMINAL.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def xml_safe(text: str) -> str:
    r"""Replace characters XML 1.0 cannot hold (controls, lone surrogates) by U+FFFD.

    Markup characters are left to the XML writer, which escapes them.

    Examples
    --------
    >>> xml_safe("a\x01b\ud800c") == "a\ufffdb\ufffdc"
    True
    """
    return _NOT_XML.sub("\ufffd", text)


def mathtext_safe(text: str) -> str:
    r"""Text matplotlib draws as written: ``$`` escaped, so ``$5 to $6`` is not typeset as math.

    Also drops what no font draws (controls, lone surrogates).

    Examples
    --------
    >>> mathtext_safe(r"$\foo{x}$ costs $5")
    '\\$\\foo{x}\\$ costs \\$5'
    """
    return xml_safe(text).replace("$", r"\$")
