"""Navigation that follows the request's site: every site of the install has its own menu."""

from django import template
from wagtail.models import Page, Site

from home.menus import site_menu as cached_site_menu
from portal.routing import routed_subpath

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


@register.simple_tag(takes_context=True)
def site_home_url(context) -> str:
    """The site's home page in the reader's language ("/", "/en/"): the header's title, the
    footer's sitemap and the site feeds hang from it."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return cached_site_menu(site).home.url if site else "/"


@register.simple_tag(takes_context=True)
def site_sitemap_url(context) -> str:
    """The site's human sitemap (a home page's "so-do-trang/" route), or "" on a site whose
    root is a category (a department's portal), which has no such route."""
    from home.models import HomePage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None or not issubclass(site.root_page.specific_class or Page, HomePage):
        return ""
    return cached_site_menu(site).home.url + "so-do-trang/"


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's full address, with the route that served the request when there is one
    (a home page's sitemap or topic listing is not the home page). Empty for a page outside
    every site (an editor's preview of a new unit's home page before its site is set up)."""
    page, request = context.get("page"), context.get("request")
    url = page.get_full_url(request)
    return url + routed_subpath(request, page) if url else ""


def _site_ancestors(page: Page, site: Site | None) -> list[Page]:
    """The page's live ancestors from its site's root down.

    Pages above the site's root belong to another site (a department's portal under the
    province's) and are left out. Walking up with get_parent() costs no query on a page that
    was routed to: routing (portal.routing) has already fetched and cached each parent.
    """
    root_depth = site.root_page.depth if site else 2
    chain = []
    node = page
    while node.depth > root_depth:
        node = node.get_parent()
        chain.append(node)
    return [ancestor for ancestor in reversed(chain) if ancestor.live]


@register.inclusion_tag("home/tags/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    site = Site.find_for_request(context["request"])
    ancestors = _site_ancestors(page, site) if page else []
    return {"request": context["request"], "ancestors": ancestors, "page": page}
