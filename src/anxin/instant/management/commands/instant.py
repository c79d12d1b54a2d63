"""`anxin instant <subcommand>`: the instant-delivery operator commands.

`anxin instant mdrp INSTANCE_DIR OUT_DIR` replays a Grubhub MDRP day through the dispatcher and writes the
evaluator's three solution files and the promises; bad input exits with code 2, an infeasible solution with 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from anxin.instant.dispatch.reader import InstanceError
from anxin.instant.dispatch.run import InfeasibleSolution, replay_to_files

BAD_INPUT = 2


class Command(BaseCommand):
    help = _("即时配送的运维命令：mdrp 用调度策略回放一个 MDRP 实例并写出解文件")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        mdrp = subcommands.add_parser("mdrp", help=_("逐分钟回放一个 MDRP 实例目录，把解文件写到输出目录"))
        mdrp.add_argument("instance_dir", type=Path, metavar="INSTANCE_DIR")
        mdrp.add_argument("out_dir", type=Path, metavar="OUT_DIR")
        mdrp.add_argument("--every", type=int, default=1, metavar="MINUTES", help=_("每隔几分钟做一轮调度决策"))

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "mdrp":
            self._mdrp(options["instance_dir"], options["out_dir"], options["every"])

    def _mdrp(self, instance_dir: Path, out_dir: Path, every: int) -> None:
        if every < 1:
            raise CommandError(_("--every 至少为 1 分钟"), returncode=BAD_INPUT)
        try:
            outcome = replay_to_files(instance_dir, out_dir, every)
        except InstanceError as exc:
            raise CommandError(_("实例无法读取：%(error)s") % {"error": exc}, returncode=BAD_INPUT) from exc
        except InfeasibleSolution as exc:
            raise CommandError(_("解不可行：%(error)s") % {"error": exc}) from exc
        m = outcome.metrics
        summary = _(
            "%(name)s：%(delivered)d/%(orders)d 单送达，点击到送达平均 %(c2d).2f 分钟（p90 %(p90).1f），"
            "承诺兑现 %(kept).1f%%（误差 %(mae).2f 分钟），每轮决策平均 %(round).1f ms，解文件在 %(out)s"
        ) % {
            "name": outcome.name,
            "delivered": m.delivered,
            "orders": m.orders,
            "c2d": m.click_to_door_mean,
            "p90": m.click_to_door_p90,
            "kept": 100 * m.promises_kept,
            "mae": m.promise_mae,
            "round": outcome.round_ms_mean,
            "out": out_dir,
        }
        self.stdout.write(self.style.SUCCESS(summary))
