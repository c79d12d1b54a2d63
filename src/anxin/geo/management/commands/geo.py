"""`anxin geo <subcommand>`: the region table's operator commands.

One command module with subcommands, so the CLI reads `anxin geo import-divisions DIR` and further geo
commands can join without crowding the top-level command list.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from anxin.geo import services


class Command(BaseCommand):
    help = _("地区表的运维命令：import-divisions 导入全国省、市、区县代码；bundle-divisions 重写内置地区表")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        importer = subcommands.add_parser(
            "import-divisions",
            help=_("从目录导入 provinces.csv、cities.csv、areas.csv，以及可选的坐标文件"),
        )
        importer.add_argument("directory", type=Path, metavar="DIR")
        bundler = subcommands.add_parser(
            "bundle-divisions",
            help=_("用目录中的官方文件重写软件包内置的全国地区表（新版区划发布时使用）"),
        )
        bundler.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "import-divisions":
            self._import_divisions(options["directory"], options["verbosity"])
        elif subcommand == "bundle-divisions":
            self._bundle_divisions(options["directory"])

    @staticmethod
    def _require_directory(directory: Path) -> None:
        if not directory.is_dir():
            raise CommandError(_("%(dir)s 不是一个目录") % {"dir": directory})

    def _bundle_divisions(self, directory: Path) -> None:
        self._require_directory(directory)
        try:
            summary = services.bundle_divisions(directory)
        except services.DivisionFileError as exc:
            raise CommandError(_("内置地区表未改动。%(error)s") % {"error": exc}) from exc
        self.stdout.write(self.style.SUCCESS(_("内置地区表已重写：%(summary)s") % {"summary": summary}))

    def _import_divisions(self, directory: Path, verbosity: int) -> None:
        self._require_directory(directory)
        progress = self.stdout.write if verbosity >= 1 else None
        try:
            summary = services.import_divisions(directory, progress=progress)
        except services.DivisionFileError as exc:
            raise CommandError(_("导入失败，没有任何改动。%(error)s") % {"error": exc}) from exc
        self.stdout.write(self.style.SUCCESS(_("导入完成：%(summary)s") % {"summary": summary}))
