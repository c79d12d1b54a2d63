"""The shipped model: gradient-boosted trees over the pair features, the word weights, and the three thresholds.

One gzipped JSON file inside the package (LightGBM's own text format for the trees, so it loads with any LightGBM
4.x and never unpickles code). It is read once, on first use, so importing the matcher costs nothing.
"""

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np

from anxin.guarantee.matching.features import FEATURE_NAMES, pair_features
from anxin.guarantee.matching.sides import Side

MODEL_FILE = Path(__file__).resolve().parent / "matcher.json.gz"
FORMAT_VERSION = 1


class ModelFileError(RuntimeError):
    """The model file is missing or was written for other features: rebuild it with `anxin guarantee train-matcher`."""


@dataclass(frozen=True)
class Thresholds:
    """`match`: the balanced yes/no point (best F1 out of fold on train). `same`: auto-approve, chosen on the valid
    splits for precision >= 0.99. `different`: below it a pair is confidently another product (on valid, at least
    99% of the pairs called different are)."""

    match: float
    same: float
    different: float


@dataclass(frozen=True)
class MatcherModel:
    booster: lightgbm.Booster
    idf: Mapping[str, float]
    unseen: float
    thresholds: Thresholds
    summary: Mapping[str, Any]

    def features(self, sku: Side, listing: Side) -> list[float]:
        return pair_features(sku, listing, self.idf, self.unseen)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """P(same product) for feature rows; one call for many rows is far faster than one call each."""
        scores = self.booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)
        return [float(s) for s in np.asarray(scores)]

    def save(self, path: Path = MODEL_FILE) -> None:
        document = {
            "format": FORMAT_VERSION,
            "features": list(FEATURE_NAMES),
            "idf": dict(sorted(self.idf.items())),
            "unseen": self.unseen,
            "thresholds": vars(self.thresholds),
            "summary": self.summary,
            "booster": self.booster.model_to_string(),
        }
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as handle:
            handle.write(json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def load(path: Path = MODEL_FILE) -> MatcherModel:
    """Read a model file, refusing one written for a different feature list."""
    try:
        with gzip.open(path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read the matcher model ({exc})") from exc
    if document.get("format") != FORMAT_VERSION or tuple(document.get("features", ())) != FEATURE_NAMES:
        raise ModelFileError(f"{path}: written for other features; rebuild it with `anxin guarantee train-matcher`")
    return MatcherModel(
        booster=lightgbm.Booster(model_str=document["booster"]),
        idf=document["idf"],
        unseen=float(document["unseen"]),
        thresholds=Thresholds(**document["thresholds"]),
        summary=document["summary"],
    )


@lru_cache(maxsize=1)
def shipped_model() -> MatcherModel:
    """The model inside the package, loaded once per process on first use."""
    return load(MODEL_FILE)
