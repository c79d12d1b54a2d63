from importlib import import_module

from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "anxin.core"
    label = "core"
    verbose_name = "Anxin core"

    def ready(self) -> None:
        # Each domain app keeps its deadline handlers in jobs.py; importing registers them with the worker.
        for config in apps.get_app_configs():
            if config.name.startswith("anxin."):
                try:
                    import_module(f"{config.name}.jobs")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.jobs":
                        raise
