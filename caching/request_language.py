"""The language Django's LocaleMiddleware will activate for a request, known before it runs.

The page cache answers from above LocaleMiddleware, yet its key needs the page's language. This
follows LocaleMiddleware.process_request step by step (Django 5.2): with i18n_patterns and
prefix_default_language=False (portal/urls.py), the language is the /en/ prefix's, or
LANGUAGE_CODE when the path has none, whatever the browser asks for; other URL
configurations fall back to Django's negotiation (cookie, Accept-Language).
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.utils import translation


def language_for(request) -> str:
    """What translation.get_language() will answer once LocaleMiddleware has run."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    from_path = translation.get_language_from_path(request.path_info)
    if i18n_patterns_used and from_path:
        language = from_path
    elif i18n_patterns_used and not prefixed_default_language:
        language = settings.LANGUAGE_CODE
    else:
        language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    # activate() then get_language() hands back the code in this form.
    return translation.to_language(language)
