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
        _ascii_translated_slugs()


def _ascii_translated_slugs() -> None:
    """wagtail-localize makes a translated page's slug with Django's slugify, which drops "đ"
    ("Đắk Lắk" → "ak-lak"); fold it as every other slug of the portal is folded."""
    import wagtail_localize.models

    from portal.slugs import ascii_slugify

    wagtail_localize.models.slugify = ascii_slugify
