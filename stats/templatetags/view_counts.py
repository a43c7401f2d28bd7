from django import template

from stats.counter import stored_count

register = template.Library()


@register.simple_tag
def stored_view_count(page) -> int:
    """The page's flushed count: what readers without JavaScript see (the beacon's answer
    replaces it with the live one)."""
    return stored_count(page.pk) if page.pk else 0
