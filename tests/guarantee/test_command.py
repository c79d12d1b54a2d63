"""`anxin guarantee eval-matcher PAIRS_FILE`: figures with an exact last line; bad input exits with code 2."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SAMPLE = Path(__file__).resolve().parent / "data" / "pairs-sample.txt"


def evaluate(path: Path) -> list[str]:
    out = StringIO()
    call_command("guarantee", "eval-matcher", str(path), stdout=out)
    return out.getvalue().splitlines()


def test_eval_prints_precision_recall_f1_as_its_exact_last_line():
    lines = evaluate(SAMPLE)
    assert lines[-1] == "precision=1.000 recall=0.800 f1=0.889"
    assert lines[0].startswith("9 pairs, 5 matches;")


@pytest.mark.parametrize(
    ("content", "message"),
    [("COL title VAL a\tCOL title VAL b\n", "line 1: expected 3 tab-separated fields"), ("", "no pairs")],
)
def test_bad_files_are_refused_with_code_2(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as raised:
        evaluate(path)
    assert raised.value.returncode == 2


def test_a_missing_file_exits_with_code_2_and_says_why(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "anxin", "guarantee", "eval-matcher", str(tmp_path / "absent.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot be read" in result.stderr
    assert result.stdout == ""
