"""Money is an integer number of fen (分); this is the one place that turns it into text and back."""

import re

_YUAN = re.compile(r"^(?P<sign>-)?(?P<whole>\d{1,12})(?:\.(?P<frac>\d{1,2}))?$")


def format_fen(amount_fen: int) -> str:
    """`1230` -> `¥12.30`; a negative amount keeps its sign in front: `-¥0.05`."""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(int(amount_fen)), 100)
    return f"{sign}¥{yuan:,}.{fen:02d}"


def yuan_text(amount_fen: int) -> str:
    """`123456` -> `1234.56`: an amount in yuan as a spreadsheet reads a number (no sign of currency, no commas)."""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(int(amount_fen)), 100)
    return f"{sign}{yuan}.{fen:02d}"


def parse_yuan(text: str) -> int:
    """Parse a price a person typed in yuan (`12.3`, `¥12.30`, `1,299`) into fen; ValueError if it is not money."""
    cleaned = text.strip().replace("¥", "").replace("￥", "").replace(",", "")
    match = _YUAN.match(cleaned)
    if not match:
        raise ValueError(f"not an amount of money: {text!r}")
    fen = int(match["whole"]) * 100 + int((match["frac"] or "").ljust(2, "0"))
    return -fen if match["sign"] else fen
