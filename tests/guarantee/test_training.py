"""`train-matcher` rebuilds the same model from the same files: the seed is fixed and training single-threaded."""

import gzip
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anxin.guarantee.matching import model

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "entity-matching"


@pytest.fixture
def data() -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is absent in this clone")
    return DATA


def test_training_on_a_small_slice_is_reproducible_across_processes(data, tmp_path):
    """Two processes with different hash seeds (so sets iterate in other orders) write the same model."""
    written = []
    for hash_seed in ("1", "2"):
        output = tmp_path / f"matcher-{hash_seed}.json.gz"
        command = [sys.executable, "-m", "anxin", "guarantee", "train-matcher", "--data", str(data), "--limit", "120"]
        subprocess.run(
            [*command, "--output", str(output)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            check=True,
        )
        written.append(gzip.decompress(output.read_bytes()))
    assert written[0] == written[1]


def test_the_command_shows_progress_and_writes_the_model(data, tmp_path):
    out = StringIO()
    output = tmp_path / "matcher.json.gz"
    arguments = ["--data", str(data), "--limit", "120", "--output", str(output)]
    call_command("guarantee", "train-matcher", *arguments, stdout=out)
    assert "cross-validation" in out.getvalue()
    assert "valid structured-amazon-google" in out.getvalue()
    assert model.load(output).summary["datasets"] == sorted(p.name for p in data.iterdir() if p.is_dir())


def test_a_missing_data_folder_exits_with_code_2_and_leaves_the_model(tmp_path):
    before = model.MODEL_FILE.read_bytes()
    with pytest.raises(CommandError) as raised:
        call_command("guarantee", "train-matcher", "--data", str(tmp_path / "absent"), stdout=StringIO())
    assert raised.value.returncode == 2
    assert model.MODEL_FILE.read_bytes() == before
