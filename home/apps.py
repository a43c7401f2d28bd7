from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Trang chủ"

    def ready(self):
        from . import signals

        signals.connect()
