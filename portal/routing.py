"""Routing a request to a child page in one query.

Wagtail's `Page.route` finds a child in two queries: the base `Page` row, then its specific row.
Where a page's children are (nearly) always one known type — a home page's categories, a
category's bulletins — that type can be asked for directly, in one query. Where the
grandchildren are too, and point at their parent through a foreign key (a bulletin's
`category`), the grandchild and its parent come in one query together. Anything else (a
sub-category, an unknown slug) falls back to Wagtail's own routing, so behaviour is unchanged.

Within a site, what a path routes to changes only when one of its pages is published,
unpublished, moved, deleted or saved live, the events that renew the site's generation token
(caching.generations): the pages routed to are kept in the cache under that token, so a warm
address costs no query at all. Rights (view restrictions) are still checked on every request,
by Wagtail's serve hooks; editors are always routed from the database (caching.audience).
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.http import Http404
from wagtail.models import Site

from caching.audience import gets_cached_parts
from caching.generations import cached_for_site


class TypedChildRoutingMixin:
    """Put before RoutablePageMixin; set `routed_child_model` to the usual child type's label
    ("app_label.ModelName", so that a model defined later in the module can be named), and
    optionally `routed_grandchild_model` with `grandchild_parent_field`, the grandchild's
    foreign key to its parent page."""

    routed_child_model: str
    routed_grandchild_model: str | None = None
    grandchild_parent_field: str = ""
    # What the grandchild's page always reads (its topics, say), fetched and cached with it.
    grandchild_prefetch: tuple[str, ...] = ()

    def route(self, request, path_components):
        if path_components and not self._is_own_route(path_components):
            if len(path_components) == 2 and self.routed_grandchild_model:
                grandchild = self._cached(request, "grandchild", path_components, self._grandchild)
                if grandchild is not None and self._is_grandchild(grandchild):
                    return grandchild.route(request, [])
            child = self._cached(request, "child", path_components[:1], self._child)
            if child is not None:
                child._cached_parent_obj = self  # as Page.route does: no query for get_parent
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _cached(self, request, kind: str, path_components, read):
        """`read(path_components)`, from the cache under the request's site token."""
        site = Site.find_for_request(request) if gets_cached_parts(request) else None
        if site is None:
            return read(path_components)
        path = "/".join(path_components)
        digest = hashlib.blake2b(path.encode(), digest_size=12).hexdigest()
        key = f"portal:route:{site.pk}:{self.pk}:{kind}:{digest}"
        read_now = {key: lambda: read(path_components)}
        return cached_for_site(site.pk, read_now, settings.FRAGMENT_CACHE_SECONDS, request)[key]

    def _child(self, path_components):
        model = apps.get_model(self.routed_child_model)
        return _any(model.objects.child_of(self).filter(slug=path_components[0]))

    def _is_own_route(self, path_components) -> bool:
        """Whether a RoutablePageMixin route of this page (a feed, say) takes the path first."""
        if not self.live or not hasattr(self, "resolve_subpage"):
            return False
        try:
            self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            return False
        return True

    def _grandchild(self, path_components):
        """The page at child_slug/slug/ whose `grandchild_parent_field` names child_slug."""
        child_slug, slug = path_components
        field = self.grandchild_parent_field
        # Should two pages match (a parent field naming a namesake elsewhere), the one taken
        # fails _is_grandchild and routing goes step by step, as Wagtail's does.
        return _any(
            apps.get_model(self.routed_grandchild_model)
            .objects.select_related(field)
            .prefetch_related(*self.grandchild_prefetch)
            .filter(
                path__startswith=self.path,
                depth=self.depth + 2,
                slug=slug,
                **{f"{field}__slug": child_slug},
            )
        )

    def _is_grandchild(self, page) -> bool:
        """Whether `page` is this page's grandchild through its parent field (else: route step
        by step); if so, each parent is set, so that no query walks back up the tree."""
        parent = getattr(page, self.grandchild_parent_field)
        is_parent = parent.depth == self.depth + 1 and page.path.startswith(parent.path)
        if not is_parent or parent._is_own_route([page.slug]):
            return False
        parent._cached_parent_obj = self
        page._cached_parent_obj = parent
        return True


def _any(queryset):
    """A row of `queryset`, or None. Unlike `.first()`, nothing is ordered: a slug is unique
    among siblings, and compiling the ORDER BY is a measurable part of routing to a bulletin
    that no cache holds (docs/benchmarks.md)."""
    return next(iter(queryset.order_by()[:1]), None)


def routed_subpath(request, page) -> str:
    """What follows `page`'s own address when one of its RoutablePageMixin routes served the
    request ("so-do-trang/", "chu-de/giao-thong/"); "" for the page itself. Canonical and
    language links of such a page keep it, so they name that route, not the page."""
    if page is None or getattr(request, "routable_resolver_match", None) is None:
        return ""
    own_url = page.get_url(request)
    if own_url and request.path.startswith(own_url):
        return request.path[len(own_url) :]
    return ""
