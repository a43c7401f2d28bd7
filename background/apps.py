import logging

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Việc nền"

    def ready(self) -> None:
        from .index_catch_up import MissedUpdateRecorder

        # modelsearch only logs an engine's indexing errors; keep what they missed.
        search_log = logging.getLogger("modelsearch.index")
        if not any(isinstance(h, MissedUpdateRecorder) for h in search_log.handlers):
            search_log.addHandler(MissedUpdateRecorder(level=logging.ERROR))
