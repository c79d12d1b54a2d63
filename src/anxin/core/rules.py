"""Pure policy shared by every domain: no Django, no database, no clock."""

import unicodedata

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"\n", "\r", "\t"}


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if `text` holds a character a person cannot see; line breaks and tabs count unless `multiline`."""
    allowed = _LINE_BREAKS if multiline else set()
    return any(ch not in allowed and unicodedata.category(ch) in _INVISIBLE for ch in text)
