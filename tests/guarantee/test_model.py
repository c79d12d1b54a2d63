"""The shipped model: inside the package, small, loaded once, and refused when written for other features."""

import gzip
import json

import pytest

from anxin.guarantee.matching import model


def test_the_shipped_model_is_inside_the_package_and_at_most_30_mb():
    assert model.MODEL_FILE.stat().st_size <= 30 * 1024 * 1024


def test_the_shipped_model_is_loaded_once():
    assert model.shipped_model() is model.shipped_model()


def test_thresholds_order_different_below_match_below_same():
    thresholds = model.shipped_model().thresholds
    assert 0 <= thresholds.different <= thresholds.match <= thresholds.same <= 1


def test_a_model_written_for_other_features_is_refused(tmp_path):
    with gzip.open(model.MODEL_FILE, "rb") as handle:
        document = json.loads(handle.read())
    document["features"] = document["features"][:-1]
    path = tmp_path / "old.json.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(json.dumps(document).encode())
    with pytest.raises(model.ModelFileError, match="other features"):
        model.load(path)


def test_a_missing_model_file_is_refused(tmp_path):
    with pytest.raises(model.ModelFileError, match="cannot read"):
        model.load(tmp_path / "absent.json.gz")
