"""Ways of building the matcher compared, by cross-validation inside train (the model choice) and on valid.

One featurisation of the four train splits, then each way's out-of-fold F1 per dataset (5 folds, the training
seed) and its valid F1 per dataset at its own out-of-fold best cut, rules applied. Ways: one model for all four
datasets; one model per dataset; one model without the explicit comparisons among its features; the learned score
alone (rules not applied). Prints a markdown table to paste into bench/RESULTS.md.

    nice -n 15 .venv/bin/python bench/matcher_ways.py
"""

import sys
from pathlib import Path

import lightgbm
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from anxin.guarantee.matching import training  # noqa: E402
from anxin.guarantee.matching.evaluation import precision_recall_f1  # noqa: E402
from anxin.guarantee.matching.features import FEATURE_NAMES  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "entity-matching"
RULE_FEATURES = ["brand", "model", "quantities", "pack", "colour", "condition", "accessory"]


def fit(features: np.ndarray, labels: np.ndarray, rounds: int) -> lightgbm.Booster:
    """The training's own parameters, on any subset of the feature columns."""
    return lightgbm.train(training.PARAMS, lightgbm.Dataset(features, labels), num_boost_round=rounds)


def out_of_fold(features: np.ndarray, labels: np.ndarray, rounds: int) -> np.ndarray:
    folds = training.stratified_folds(labels, training.FOLDS, training.SEED)
    scores = np.empty(len(labels))
    for k in range(training.FOLDS):
        booster = fit(features[folds != k], labels[folds != k], rounds)
        scores[folds == k] = booster.predict(features[folds == k], num_threads=1)
    return scores


def f1_at(scores: np.ndarray, vetoed: np.ndarray, labels: np.ndarray, cut: float) -> float:
    return precision_recall_f1(list((scores >= cut) & ~vetoed), list(labels))[2]


def main() -> None:
    quiet = lambda message: None  # noqa: E731
    names = training.datasets(DATA)
    train = [training.load_split(DATA, name, "train", quiet) for name in names]
    valid = [training.load_split(DATA, name, "valid", quiet) for name in names]
    idf, unseen = training.word_weights(train)
    x_train, y_train = training.feature_matrix(train, idf, unseen, quiet), training.labels_of(train)
    x_valid, y_valid = training.feature_matrix(valid, idf, unseen, quiet), training.labels_of(valid)
    v_train, v_valid = training.vetoes(train), training.vetoes(valid)
    d_train = np.concatenate([[i] * len(s.pairs) for i, s in enumerate(train)])
    d_valid = np.concatenate([[i] * len(s.pairs) for i, s in enumerate(valid)])
    no_rules = [i for i, name in enumerate(FEATURE_NAMES) if name not in RULE_FEATURES]
    rounds = 270

    def pooled(columns: list[int]) -> tuple[np.ndarray, np.ndarray]:
        booster = fit(x_train[:, columns], y_train, rounds)
        return out_of_fold(x_train[:, columns], y_train, rounds), booster.predict(x_valid[:, columns])

    def per_dataset() -> tuple[np.ndarray, np.ndarray]:
        oof, val = np.empty(len(y_train)), np.empty(len(y_valid))
        for i in range(len(names)):
            rows, vrows = d_train == i, d_valid == i
            oof[rows] = out_of_fold(x_train[rows], y_train[rows], rounds)
            val[vrows] = fit(x_train[rows], y_train[rows], rounds).predict(x_valid[vrows])
        return oof, val

    all_columns = list(range(len(FEATURE_NAMES)))
    ways = {
        "one model, all features, rules applied": (*pooled(all_columns), True),
        "one model per dataset, rules applied": (*per_dataset(), True),
        "one model, no rule features, rules applied": (*pooled(no_rules), True),
    }
    ways["one model, learned score alone (rules not applied)"] = (
        *ways["one model, all features, rules applied"][:2],
        False,
    )
    print("| way | " + " | ".join(f"{n} CV F1 | {n} valid F1" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for way, (oof, val, apply_rules) in ways.items():
        vt = v_train if apply_rules else np.zeros_like(v_train)
        vv = v_valid if apply_rules else np.zeros_like(v_valid)
        cut = training.best_f1_threshold(np.where(vt, -1.0, oof), y_train)
        cells = []
        for i in range(len(names)):
            r, vr = d_train == i, d_valid == i
            cells += [
                f"{f1_at(oof[r], vt[r], y_train[r], cut) * 100:.1f}",
                f"{f1_at(val[vr], vv[vr], y_valid[vr], cut) * 100:.1f}",
            ]
        print(f"| {way} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
