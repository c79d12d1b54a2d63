from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anxin.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        # Each domain app keeps its deadline handlers in jobs.py and its invariants in audit.py;
        # importing them registers them with the worker and with `anxin audit`.
        for config in apps.get_app_configs():
            if config.name.startswith("anxin."):
                for module in ("jobs", "audit"):
                    try:
                        import_module(f"{config.name}.{module}")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.{module}":
                            raise
