from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "Bản tin"

    def ready(self):
        from . import signals

        signals.connect()
