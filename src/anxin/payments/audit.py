"""Payment invariants: money the provider reported is in the ledger."""

from anxin.core.audit import check
from anxin.core.models import LedgerTransaction
from anxin.payments.models import Payment


@check("payments: every successful payment is in the ledger")
def payments_posted() -> list[str]:
    posted = set(LedgerTransaction.objects.filter(kind="payment_received").values_list("subject_id", flat=True))
    paid = Payment.objects.filter(state=Payment.State.SUCCEEDED).values_list("pk", flat=True)
    return [f"payment {pk} succeeded but was never posted" for pk in paid if pk not in posted]
