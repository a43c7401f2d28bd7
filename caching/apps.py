from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Bộ nhớ đệm trang"

    def ready(self):
        from . import signals

        signals.connect()
