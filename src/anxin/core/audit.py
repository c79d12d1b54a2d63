"""`anxin audit`: every invariant the platform promises, checked against the data as it is.

Each domain registers its checks in its own `audit.py`; a check returns a list of breaches, one line each,
naming the object, so an operator can go straight to it.
"""

from collections.abc import Callable

from anxin.core import ledger

Check = Callable[[], list[str]]
_checks: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        _checks[name] = fn
        return fn

    return register


def run_all() -> dict[str, list[str]]:
    """Check name -> breaches found (an empty list when the check passes)."""
    return {name: fn() for name, fn in sorted(_checks.items())}


@check("ledger: every transaction balances")
def ledger_balances() -> list[str]:
    return [f"transaction {key} sums to {total} fen, not 0" for key, total in ledger.unbalanced_transactions()]
