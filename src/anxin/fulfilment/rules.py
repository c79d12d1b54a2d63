"""Fulfilment rules as pure functions: what a carrier name and a tracking number may be, and which carrier
company a name typed by a merchant means.

One tracking-number rule for shipping a parcel, sending leg 2 and recording a scan, so a number the
merchant could enter is always one the carrier's scans can name."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

CARRIER_MAX = 40
TRACKING_MIN = 6
TRACKING_MAX = 40
LOCATION_MAX = 80
RESOLUTION_MAX = 200  # what someone found when they looked into a flagged scan

# Legs 1 and 2 are the outbound ones (merchant -> buyer or hub, hub -> buyer); a return or a replacement leg
# takes the next number from 3 on, so "leg 2" always means the hub's subsidised one.
FIRST_AFTER_SALES_LEG = 3
AFTER_SALES_PURPOSES = ("return", "replacement")

# A scan's time is what the carrier says happened. Their clocks drift a little; a time further ahead, or from
# before any parcel could still be travelling, is a mistake (9999-12-31 was once accepted) and is refused.
SCAN_FUTURE_TOLERANCE = timedelta(hours=1)
SCAN_MAX_AGE = timedelta(days=90)

# The carrier companies a fresh database knows (code, name, other names merchants type); the data migration
# seeds them and ops may add more.
CARRIER_COMPANIES: tuple[tuple[str, str, str], ...] = (
    ("SF", "顺丰速运", "顺丰 顺丰快递"),
    ("ZTO", "中通快递", "中通"),
    ("YTO", "圆通速递", "圆通"),
    ("YD", "韵达快递", "韵达"),
    ("STO", "申通快递", "申通"),
    ("JD", "京东物流", "京东 京东快递"),
    ("EMS", "中国邮政", "邮政 邮政EMS 中国邮政EMS 邮政快递包裹"),
    ("JT", "极兔速递", "极兔"),
)


@dataclass(frozen=True)
class TrackingPattern:
    """What a company's waybill numbers look like, and one example to show a merchant who typed another."""

    regex: str
    example: str

    def matches(self, tracking: str) -> bool:
        return re.fullmatch(self.regex, tracking) is not None


# The waybill formats of the built-in companies, as their own tracking pages accept them. A company ops add
# without an entry here accepts any number `tracking_ok` allows.
TRACKING_PATTERNS: dict[str, TrackingPattern] = {
    "SF": TrackingPattern(r"SF\d{12,15}", "SF1234567890123"),
    "ZTO": TrackingPattern(r"\d{12,15}", "78123456789012"),
    "YTO": TrackingPattern(r"YT\d{13}", "YT1234567890123"),
    "YD": TrackingPattern(r"\d{13,15}", "431234567890123"),
    "STO": TrackingPattern(r"\d{12,15}", "771234567890123"),
    "JD": TrackingPattern(r"JD[A-Z0-9]{13,15}", "JDVA12345678901"),
    "EMS": TrackingPattern(r"\d{13}|[A-Z]{2}\d{9}[A-Z]{2}", "1123456789012"),
    "JT": TrackingPattern(r"JT\d{13}", "JT1234567890123"),
}


def tracking_pattern_example(company_code: str, tracking: str) -> str | None:
    """None when `tracking` (normalised) is a number `company_code` could print; else an example of one."""
    pattern = TRACKING_PATTERNS.get(company_code)
    if pattern is None or pattern.matches(tracking):
        return None
    return pattern.example


def next_after_sales_leg_number(numbers: Iterable[int]) -> int:
    """The number of a new return or replacement leg on a shipment whose legs have `numbers`."""
    return max([FIRST_AFTER_SALES_LEG - 1, *numbers]) + 1


def correction_refusal(*, already_corrected: bool, scanned: bool) -> str | None:
    """A typo in a tracking number may be fixed once, while no carrier has scanned the parcel: after a scan
    the number is what the carrier knows the parcel by, and a second change would make it a moving target."""
    if scanned:
        return "already_scanned"
    if already_corrected:
        return "already_corrected"
    return None


def normalise_tracking(raw: object) -> str:
    """Tracking numbers are compared upper-case without surrounding spaces, as carriers print them."""
    return str(raw or "").strip().upper()


def tracking_ok(tracking: str) -> bool:
    """6–40 letters, digits or hyphens (after `normalise_tracking`)."""
    return TRACKING_MIN <= len(tracking) <= TRACKING_MAX and all(ch.isalnum() or ch == "-" for ch in tracking)


def scan_time_problem(at: datetime, now: datetime) -> str | None:
    """`"in_the_future"` or `"too_old"` when a scan's (aware) time cannot be true, else None."""
    if at > now + SCAN_FUTURE_TOLERANCE:
        return "in_the_future"
    if at < now - SCAN_MAX_AGE:
        return "too_old"
    return None


def control_characters(text: str, limit: int = 3) -> list[tuple[int, int, str]]:
    """Where a text (a CSV file) holds control characters other than tab and line breaks: up to `limit`
    (line, column, name) triples, counted from 1, the name as a person can look it up (`NUL`, `U+001B`)."""
    found = []
    for line_number, line in enumerate(text.split("\n"), start=1):  # not splitlines: it splits at some controls
        for column, ch in enumerate(line, start=1):
            if (ord(ch) < 32 and ch not in "\t\r") or 127 <= ord(ch) < 160:
                found.append((line_number, column, "NUL" if ch == "\0" else f"U+{ord(ch):04X}"))
                if len(found) == limit:
                    return found
    return found


def carrier_key(name: str) -> str:
    """Merchants write "顺丰", "SF" or "顺丰速运" for one company: compare without case or spaces."""
    return "".join(str(name or "").split()).casefold()


def company_keys(code: str, name: str, aliases: str) -> set[str]:
    """Every spelling that names a company: its code, its name and each of its other names."""
    return {carrier_key(spelling) for spelling in (code, name, *aliases.split())} - {""}


def match_company(typed: str, companies: Iterable[tuple[str, str, str]]) -> str | None:
    """The code of the one company `typed` names (code, name, aliases), or None."""
    key = carrier_key(typed)
    found = {code for code, name, aliases in companies if key in company_keys(code, name, aliases)}
    return found.pop() if len(found) == 1 else None


# Which shipment states agree with each order state (None: no shipment). A completed order may have
# completed on its own before its parcel's last scan, so its shipment may be in any state.
_ON_THE_WAY = frozenset({"in_transit", "at_hub", "from_hub"})
_SHIPMENT_STATES_FOR_ORDER: dict[str, frozenset[str | None]] = {
    "pending_payment": frozenset({None}),
    "paid": frozenset({None}),
    "cancelled": frozenset({None}),
    "shipped": _ON_THE_WAY,
    "delivered": frozenset({"delivered"}),
    "completed": _ON_THE_WAY | {"delivered"},
}


def states_agree(order_state: str, shipment_state: str | None) -> bool:
    """An order and its shipment tell one story: shipped ↔ on the way, delivered ↔ delivered, not shipped
    ↔ no shipment."""
    return shipment_state in _SHIPMENT_STATES_FOR_ORDER.get(order_state, frozenset())
