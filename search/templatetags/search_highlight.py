"""Template filters for search results: `{{ page.title|highlight:terms }}`, `|snippet:terms`."""

from django import template

from search import highlight as highlighting

register = template.Library()


@register.filter
def highlight(text, terms):
    return highlighting.highlight(str(text or ""), terms or ())


@register.filter
def snippet(text, terms):
    return highlighting.snippet(str(text or ""), terms or ())
