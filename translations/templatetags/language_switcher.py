"""The reader's language switcher and the `lang`/hreflang values of a page."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from portal.routing import routed_subpath
from translations.locales import language_code_of
from translations.switcher import page_languages as find_page_languages

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The languages `page` exists in (translations.switcher.PageLanguages)."""
    request = context.get("request")
    page = context.get("page") if request else None
    languages = find_page_languages(page, request)
    # A route of the page (/so-do-trang/) links to the same route in each language.
    return languages.at_subpath(routed_subpath(request, page) if request else "")


@register.simple_tag
def page_language_code(languages=None):
    """The `lang` of the page shown: its own locale, else the language the URL asked for."""
    if languages is not None and languages.current is not None:
        return languages.current.code
    return get_language()


@register.filter
def content_language(page) -> str:
    """A listed page's language, for `lang` where pages of several languages are listed
    (search across languages); "" when it is not a content language."""
    return language_code_of(getattr(page, "locale_id", None)) or ""


@register.inclusion_tag("translations/tags/language_switcher.html")
def language_switcher(languages):
    return {"languages": languages}


@register.inclusion_tag("translations/tags/hreflang_links.html", takes_context=True)
def hreflang_links(context, languages):
    """`<link rel="alternate" hreflang>` for each language the page exists in, absolute, and
    `x-default` (for readers of any other language) naming the portal's default language's."""
    request = context.get("request")
    if request is None:
        return {"links": []}
    links = [
        (language.code, request.build_absolute_uri(language.url)) for language in languages.all
    ]
    if len(links) < 2:
        return {"links": []}
    default = next((url for code, url in links if code == settings.LANGUAGE_CODE), None)
    return {"links": links + [("x-default", default)] if default else links}
