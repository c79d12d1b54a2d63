"""Fulfilment rules as pure functions: what a carrier name and a tracking number may be.

One tracking-number rule for shipping a parcel, sending leg 2 and recording a scan, so a number the
merchant could enter is always one the carrier's scans can name."""

CARRIER_MAX = 40
TRACKING_MIN = 6
TRACKING_MAX = 40


def normalise_tracking(raw: object) -> str:
    """Tracking numbers are compared upper-case without surrounding spaces, as carriers print them."""
    return str(raw or "").strip().upper()


def tracking_ok(tracking: str) -> bool:
    """6–40 letters, digits or hyphens (after `normalise_tracking`)."""
    return TRACKING_MIN <= len(tracking) <= TRACKING_MAX and all(ch.isalnum() or ch == "-" for ch in tracking)


def carrier_ok(carrier: str) -> bool:
    return 1 <= len(carrier) <= CARRIER_MAX
