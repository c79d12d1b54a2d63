"""Scoring a set of pairs and measuring the answers: the figures `eval-matcher`, training and the benchmark print."""

from collections.abc import Sequence
from dataclasses import dataclass

from anxin.guarantee.matching.decision import Decision, Outcome, decide_prepared
from anxin.guarantee.matching.model import MatcherModel
from anxin.guarantee.matching.sides import Side


@dataclass(frozen=True)
class Evaluation:
    """Precision, recall and F1 of the yes/no answer; how the three-way outcome splits the pairs, and how
    precise auto-approval is and what share of the true matches it covers."""

    pairs: int
    matches: int
    precision: float
    recall: float
    f1: float
    approved: int
    approve_precision: float
    approve_coverage: float
    needs_person: int
    different: int

    def last_line(self) -> str:
        return f"precision={self.precision:.3f} recall={self.recall:.3f} f1={self.f1:.3f}"


def score(sides: Sequence[tuple[Side, Side]], model: MatcherModel) -> list[float]:
    """Probabilities for many prepared pairs in one model call."""
    return model.probabilities([model.features(ours, theirs) for ours, theirs in sides]) if sides else []


def decisions(sides: Sequence[tuple[Side, Side]], model: MatcherModel, scores: Sequence[float]) -> list[Decision]:
    return [decide_prepared(ours, theirs, p, model) for (ours, theirs), p in zip(sides, scores, strict=True)]


def precision_recall_f1(predicted: Sequence[bool], labels: Sequence[int]) -> tuple[float, float, float]:
    """The three figures of yes/no answers; 0 where undefined (nothing predicted, or no true match)."""
    true_positive = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y == 1)
    precision = true_positive / max(sum(predicted), 1)
    recall = true_positive / max(sum(labels), 1)
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def evaluate(answers: Sequence[Decision], labels: Sequence[int]) -> Evaluation:
    precision, recall, f1 = precision_recall_f1([d.is_match for d in answers], labels)
    approved = [d.outcome is Outcome.SAME for d in answers]
    approve_precision, approve_coverage, _ = precision_recall_f1(approved, labels)
    return Evaluation(
        pairs=len(answers),
        matches=sum(labels),
        precision=precision,
        recall=recall,
        f1=f1,
        approved=sum(approved),
        approve_precision=approve_precision,
        approve_coverage=approve_coverage,
        needs_person=sum(d.outcome is Outcome.NEEDS_PERSON for d in answers),
        different=sum(d.outcome is Outcome.DIFFERENT for d in answers),
    )
