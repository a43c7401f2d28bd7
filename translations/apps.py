from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    """Content languages: the reader's language switcher, the translator role and the
    commands that add languages (wagtail-localize does the translating itself)."""

    name = "translations"
    verbose_name = "Bản dịch"

    def ready(self):
        from . import locales, signals

        locales.install()
        signals.connect()
