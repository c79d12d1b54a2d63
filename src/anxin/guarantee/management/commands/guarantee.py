"""`anxin guarantee <subcommand>`: the price guarantee's operator commands.

`train-matcher` rebuilds the shipped product-matcher model from the benchmark's train and valid splits;
`eval-matcher PAIRS_FILE` scores any file in the pair format with the shipped model. A file that cannot be read as
pairs exits with code 2 and says which line broke it. `import-offers FILE` imports a price feed (CSV or JSON lines)
at once, printing its progress and a summary with the first bad lines; an unreadable file exits with code 2.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anxin.core.errors import translate
from anxin.guarantee.matching import evaluation, model, training
from anxin.guarantee.matching.pairs import PairFileError, read_pairs
from anxin.guarantee.matching.sides import prepare
from anxin.guarantee.models import FeedImport
from anxin.guarantee.queries import feed as feed_queries
from anxin.guarantee.services import feed

DEFAULT_DATA = Path("..") / "shared" / "data" / "entity-matching"
BAD_INPUT = 2
BAD_LINES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Price guarantee: train-matcher rebuilds the product matcher; eval-matcher PAIRS_FILE measures it; "
        "import-offers FILE imports the competitor price feed"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        trainer = subcommands.add_parser("train-matcher", help="rebuild the matcher model from train and valid splits")
        trainer.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the entity-matching folder")
        trainer.add_argument("--output", type=Path, default=model.MODEL_FILE, help="where to write the model")
        trainer.add_argument("--limit", type=int, default=None, help="use only the first N pairs of each split")
        evaluator = subcommands.add_parser("eval-matcher", help="score a pair file: precision, recall and F1")
        evaluator.add_argument("pairs_file", type=Path, metavar="PAIRS_FILE")
        importer = subcommands.add_parser("import-offers", help="import a price feed (CSV or JSON lines)")
        importer.add_argument("feed_file", type=Path, metavar="FILE")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "train-matcher":
            self._train(options["data"], options["output"], options["limit"])
        elif subcommand == "eval-matcher":
            self._evaluate(options["pairs_file"])
        elif subcommand == "import-offers":
            self._import(options["feed_file"])

    def _train(self, data: Path, output: Path, limit: int | None) -> None:
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder of entity-matching splits", returncode=BAD_INPUT)
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")

        try:
            trained = training.train_matcher(data, progress, limit=limit)
        except (PairFileError, FileNotFoundError) as exc:
            raise CommandError(f"the model is unchanged: {exc}", returncode=BAD_INPUT) from exc
        trained.save(output)
        self.stdout.write(self.style.SUCCESS(f"model written to {output}"))

    def _evaluate(self, path: Path) -> None:
        try:
            pairs = read_pairs(path)
        except PairFileError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        matcher = model.shipped_model()
        sides = [(prepare(pair.left), prepare(pair.right)) for pair in pairs]
        answers = evaluation.decisions(sides, matcher, evaluation.score(sides, matcher))
        result = evaluation.evaluate(answers, [pair.label for pair in pairs])
        self.stdout.write(
            f"{result.pairs} pairs, {result.matches} matches; auto-approved {result.approved} "
            f"(precision {result.approve_precision:.3f}, coverage {result.approve_coverage:.3f}), "
            f"needs a person {result.needs_person}, different {result.different}"
        )
        self.stdout.write(result.last_line())

    def _import(self, path: Path) -> None:
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=BAD_INPUT) from exc
        started = time.monotonic()

        def progress(done: FeedImport) -> None:
            self.stdout.write(
                f"[{time.monotonic() - started:6.1f}s] {done.rows_done:,} rows "
                f"({done.rows_good:,} good, {done.rows_bad:,} bad)"
            )

        with stream:
            result = feed.import_offers(stream, feed.new_import(path.name), progress)
        if result.state == FeedImport.State.FAILED:
            raise CommandError(f"{path}: {result.failure}", returncode=BAD_INPUT)
        for line, reason in feed_queries.bad_rows(result)[:BAD_LINES_SHOWN]:
            self.stdout.write(f"line {line}: {translate(reason)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"import {result.pk}: {result.rows_good:,} good rows, {result.rows_bad:,} bad rows skipped "
                f"in {time.monotonic() - started:.1f}s"
            )
        )
