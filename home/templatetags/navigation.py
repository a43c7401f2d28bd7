"""Navigation that follows the request's site: every site of the install has its own menu."""

from django import template
from wagtail.models import Site

from home.menus import site_menu as cached_site_menu

register = template.Library()


@register.inclusion_tag("home/tags/site_menu.html", takes_context=True)
def site_menu(context):
    site = Site.find_for_request(context["request"])
    page = context.get("page")
    if site is None:
        return {"home": None, "items": []}
    menu = cached_site_menu(site)
    return {
        "home": menu.home,
        "is_home": bool(page and page.path == menu.home.path),
        "items": [(item, item.contains(page)) for item in menu.items],
    }


@register.inclusion_tag("home/tags/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    ancestors = page.get_ancestors().filter(depth__gt=1).live() if page else []
    return {"request": context["request"], "ancestors": ancestors, "page": page}
