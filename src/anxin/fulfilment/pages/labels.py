"""Words for fulfilment's codes on the pages (the scan desk, the tracking section)."""

from django.utils.translation import gettext as _


def flag_label(flag: str) -> str:
    """A scan's flag in words (`unknown_tracking` -> 未知运单号)."""
    labels = {
        "unknown_tracking": _("未知运单号"),
        "out_of_order": _("顺序异常"),
        "after_delivery": _("签收后扫描"),
        "in_the_future": _("时间在未来"),
    }
    return labels.get(flag, flag)
