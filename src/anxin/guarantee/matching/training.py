"""Rebuilding the shipped model from the benchmark's train and valid splits, with a fixed seed.

Model choices (the number of trees, the yes/no point) come from cross-validation inside train; the valid splits
are used only for the two thresholds RULES §6 needs and for reporting. Test splits are never read.
"""

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import lightgbm
import numpy as np

from anxin.guarantee.matching.evaluation import decisions, evaluate
from anxin.guarantee.matching.features import FEATURE_NAMES, pair_features
from anxin.guarantee.matching.model import MatcherModel, Thresholds
from anxin.guarantee.matching.pairs import Pair, read_pairs
from anxin.guarantee.matching.rules import explicit_reasons
from anxin.guarantee.matching.sides import Side, prepare

SEED = 20261203
FOLDS = 5
MAX_ROUNDS = 1500
TARGET_PRECISION = 0.99
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
    "seed": SEED,
}
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Split:
    dataset: str
    pairs: list[Pair]
    sides: list[tuple[Side, Side]]


def datasets(data_dir: Path) -> list[str]:
    """The benchmark folders that hold both a train and a valid split."""
    found = sorted(d.name for d in data_dir.iterdir() if (d / "train.txt").is_file() and (d / "valid.txt").is_file())
    if not found:
        raise FileNotFoundError(f"{data_dir}: no folder with train.txt and valid.txt")
    return found


def load_split(data_dir: Path, dataset: str, split: str, progress: Progress, limit: int | None = None) -> Split:
    pairs = read_pairs(data_dir / dataset / f"{split}.txt")[:limit]
    sides = [(prepare(p.left), prepare(p.right)) for p in pairs]
    progress(f"read {dataset}/{split}: {len(pairs)} pairs, {sum(p.label for p in pairs)} matches")
    return Split(dataset, pairs, sides)


def word_weights(splits: Sequence[Split]) -> tuple[dict[str, float], float]:
    """IDF over the distinct listings of train; a word seen once weighs as an unseen one, keeping the file small."""
    documents = {side.text: side.text_words for split in splits for pair in split.sides for side in pair}
    counts = Counter(word for words in documents.values() for word in words)
    total = len(documents)
    unseen = math.log((total + 1) / 2) + 1
    return {word: math.log((total + 1) / (n + 1)) + 1 for word, n in counts.items() if n >= 2}, unseen


def feature_matrix(splits: Sequence[Split], idf: dict[str, float], unseen: float, progress: Progress) -> np.ndarray:
    rows: list[list[float]] = []
    for split in splits:
        rows.extend(pair_features(a, b, idf, unseen) for a, b in split.sides)
        progress(f"features of {split.dataset}: {len(split.sides)} pairs")
    return np.asarray(rows, dtype=np.float64)


def stratified_folds(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number per row, matches and non-matches dealt out evenly, reproducible from the seed."""
    rng = np.random.default_rng(seed)
    assignment = np.empty(len(labels), dtype=np.int64)
    for value in (0, 1):
        rows = np.flatnonzero(labels == value)
        rng.shuffle(rows)
        assignment[rows] = np.arange(len(rows)) % folds
    return assignment


def _train(features: np.ndarray, labels: np.ndarray, rounds: int) -> lightgbm.Booster:
    data = lightgbm.Dataset(features, labels, feature_name=list(FEATURE_NAMES), free_raw_data=False)
    return lightgbm.train(PARAMS, data, num_boost_round=rounds)


def cross_validate(features: np.ndarray, labels: np.ndarray, progress: Progress) -> tuple[int, np.ndarray]:
    """The number of trees (best mean log-loss over folds) and each train row's out-of-fold probability."""
    folds = stratified_folds(labels, FOLDS, SEED)
    data = lightgbm.Dataset(features, labels, feature_name=list(FEATURE_NAMES), free_raw_data=False)
    splits = [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in range(FOLDS)]
    history = lightgbm.cv(
        PARAMS,
        data,
        num_boost_round=MAX_ROUNDS,
        folds=splits,
        callbacks=[lightgbm.early_stopping(50, verbose=False)],
    )
    losses = cast(list[float], history["valid binary_logloss-mean"])
    rounds = len(losses)
    progress(f"cross-validation: {rounds} trees, log-loss {losses[-1]:.4f}")
    out_of_fold = np.empty(len(labels))
    for k, (fit_rows, held_rows) in enumerate(splits):
        booster = _train(features[fit_rows], labels[fit_rows], rounds)
        out_of_fold[held_rows] = booster.predict(features[held_rows], num_threads=1)
        progress(f"out-of-fold scores: fold {k + 1}/{FOLDS}")
    return rounds, out_of_fold


def best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The score cut with the best F1: pairs in falling score order, F1 = 2 TP / (answered yes + true matches).
    Vetoed pairs come in with score -1, so they are never answered yes."""
    order = np.argsort(-scores, kind="stable")
    true_positives = np.cumsum(labels[order])
    answered = np.arange(1, len(scores) + 1)
    best = int(np.argmax(2 * true_positives / (answered + labels.sum())))
    return float(scores[order][best])


def same_threshold(scores: np.ndarray, vetoed: np.ndarray, labels: np.ndarray) -> float:
    """The lowest score at which the pairs approved (score at or above it, no decisive reason) are 99% matches."""
    for threshold in np.unique(np.round(scores, 4)):
        approved = (scores >= threshold) & ~vetoed
        if approved.any() and labels[approved].mean() >= TARGET_PRECISION:
            return float(threshold)
    return 1.0


def different_threshold(scores: np.ndarray, vetoed: np.ndarray, labels: np.ndarray) -> float:
    """The highest score below which the pairs called different (with the vetoed ones) are 99% non-matches."""
    best = 0.0
    for threshold in np.unique(np.round(scores, 4)):
        rejected = (scores < threshold) | vetoed
        if rejected.any() and 1 - labels[rejected].mean() >= TARGET_PRECISION:
            best = float(threshold)
    return best


def vetoes(splits: Sequence[Split]) -> np.ndarray:
    return np.asarray([any(r.decisive for r in explicit_reasons(a, b)) for s in splits for a, b in s.sides])


def labels_of(splits: Sequence[Split]) -> np.ndarray:
    return np.asarray([p.label for s in splits for p in s.pairs], dtype=np.int64)


def report(model: MatcherModel, splits: Sequence[Split], scores: np.ndarray) -> dict[str, dict[str, float]]:
    """Per valid split: precision, recall, F1 of the yes/no answer; precision and coverage of auto-approval."""
    figures: dict[str, dict[str, float]] = {}
    start = 0
    for split in splits:
        split_scores = [float(p) for p in scores[start : start + len(split.sides)]]
        start += len(split.sides)
        result = evaluate(decisions(split.sides, model, split_scores), [p.label for p in split.pairs])
        figures[split.dataset] = {
            "precision": round(result.precision, 4),
            "recall": round(result.recall, 4),
            "f1": round(result.f1, 4),
            "approve_precision": round(result.approve_precision, 4),
            "approve_coverage": round(result.approve_coverage, 4),
            "needs_person": round(result.needs_person / result.pairs, 4),
        }
    return figures


def train_matcher(data_dir: Path, progress: Progress, limit: int | None = None) -> MatcherModel:
    """The whole rebuild: read, weigh words, featurise, cross-validate, fit, pick thresholds on valid, report.

    `limit` keeps the first pairs of each split only, for a quick reproducibility check.
    """
    names = datasets(data_dir)
    train = [load_split(data_dir, name, "train", progress, limit) for name in names]
    valid = [load_split(data_dir, name, "valid", progress, limit) for name in names]
    idf, unseen = word_weights(train)
    progress(f"word weights: {len(idf)} words")
    features, labels = feature_matrix(train, idf, unseen, progress), labels_of(train)
    rounds, out_of_fold = cross_validate(features, labels, progress)
    match = best_f1_threshold(np.where(vetoes(train), -1.0, out_of_fold), labels)
    booster = _train(features, labels, rounds)
    progress(f"fitted {rounds} trees on {len(labels)} train pairs")
    valid_scores = np.asarray(booster.predict(feature_matrix(valid, idf, unseen, progress), num_threads=1))
    valid_labels, valid_vetoes = labels_of(valid), vetoes(valid)
    thresholds = Thresholds(
        match=match,
        same=max(same_threshold(valid_scores, valid_vetoes, valid_labels), match),
        different=min(different_threshold(valid_scores, valid_vetoes, valid_labels), match),
    )
    progress(f"thresholds: match {thresholds.match}, same {thresholds.same}, different {thresholds.different}")
    model = MatcherModel(booster, idf, unseen, thresholds, {"trees": rounds, "seed": SEED, "datasets": names})
    figures = report(model, valid, valid_scores)
    for name, row in figures.items():
        progress(f"valid {name}: " + ", ".join(f"{key} {value}" for key, value in row.items()))
    return MatcherModel(booster, idf, unseen, thresholds, {**model.summary, "valid": figures})
