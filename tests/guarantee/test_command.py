"""`anxin guarantee eval-matcher PAIRS_FILE`: figures with an exact last line; bad input exits with code 2."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anxin.guarantee.models import Offer
from tests.guarantee.feed_support import feed_csv, feed_row

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


# --- import-offers FILE ----------------------------------------------------------------------------------------


def import_offers(path: Path) -> list[str]:
    out = StringIO()
    call_command("guarantee", "import-offers", str(path), stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_import_offers_prints_progress_the_bad_lines_and_a_summary(tmp_path):
    path = tmp_path / "offers.csv"
    path.write_bytes(feed_csv(feed_row(), feed_row(price="1.999")))
    lines = import_offers(path)
    assert lines[0].endswith("2 rows (1 good, 1 bad)")
    assert lines[1] == "line 3: “price” 最多两位小数。"
    assert "1 good rows, 1 bad rows skipped" in lines[-1]
    assert Offer.objects.count() == 1


@pytest.mark.django_db
def test_import_offers_of_an_unreadable_file_exits_with_code_2(tmp_path):
    path = tmp_path / "offers.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="文件是空的") as raised:
        import_offers(path)
    assert raised.value.returncode == 2
    assert not Offer.objects.exists()


def test_import_offers_of_a_missing_file_exits_with_code_2(tmp_path):
    with pytest.raises(CommandError, match="cannot read") as raised:
        import_offers(tmp_path / "absent.csv")
    assert raised.value.returncode == 2
