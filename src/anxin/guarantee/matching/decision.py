"""The matcher's answer for a claim: a probability, the reasons, and one of same / different / needs a person.

RULES §6 auto-approves only when the matcher is sure (precision >= 0.99 on the valid splits) and auto-rejects only
when it is sure of the opposite; everything between goes to ops with these reasons side by side.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from anxin.guarantee.matching.listing import Product
from anxin.guarantee.matching.model import MatcherModel, shipped_model
from anxin.guarantee.matching.rules import Reason, Verdict, explicit_reasons
from anxin.guarantee.matching.sides import Side, prepare


class Outcome(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    NEEDS_PERSON = "needs_person"


@dataclass(frozen=True)
class Decision:
    """`is_match` is the balanced yes/no answer measured as F1 on the benchmarks; `outcome` is what a claim acts on.
    In both a decisive reason overrides the learned score."""

    probability: float
    outcome: Outcome
    is_match: bool
    reasons: tuple[Reason, ...]

    def describe(self) -> list[str]:
        return [reason.describe() for reason in self.reasons]

    def reasons_data(self) -> list[dict[str, str]]:
        return [reason.as_data() for reason in self.reasons]


def _title_reason(sku: Side, listing: Side, probability: float) -> Reason:
    verdict = Verdict.SAME if probability >= 0.5 else Verdict.DIFFERENT
    return Reason("标题相似度", verdict, sku.product.title, listing.product.title)  # the probability is beside it


def outcome_for(probability: float, reasons: Sequence[Reason], model: MatcherModel) -> Outcome:
    """A decisive reason makes it different; otherwise the thresholds split sure-same, sure-different and between."""
    if any(reason.decisive for reason in reasons):
        return Outcome.DIFFERENT
    if probability >= model.thresholds.same:
        return Outcome.SAME
    if probability < model.thresholds.different:
        return Outcome.DIFFERENT
    return Outcome.NEEDS_PERSON


def decide_prepared(sku: Side, listing: Side, probability: float, model: MatcherModel) -> Decision:
    """The decision for sides already prepared and scored (the benchmark scores many rows in one call)."""
    reasons = [*explicit_reasons(sku, listing), _title_reason(sku, listing, probability)]
    return Decision(
        probability=probability,
        outcome=outcome_for(probability, reasons, model),
        is_match=not any(reason.decisive for reason in reasons) and probability >= model.thresholds.match,
        reasons=tuple(reasons),
    )


def decide(sku: Product, listing: Product, model: MatcherModel | None = None) -> Decision:
    """Is the competitor's listing the same product as our SKU? With the shipped model unless one is given."""
    model = model or shipped_model()
    ours, theirs = prepare(sku), prepare(listing)
    (probability,) = model.probabilities([model.features(ours, theirs)])
    return decide_prepared(ours, theirs, probability, model)
