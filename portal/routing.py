"""Routing a request to a child page in one query.

Wagtail's `Page.route` finds a child in two queries: the base `Page` row, then its specific row.
Where a page's children are (nearly) always one known type — a home page's categories, a
category's bulletins — that type can be asked for directly, in one query. Where the
grandchildren are too, and point at their parent through a foreign key (a bulletin's
`category`), the grandchild and its parent come in one query together. Anything else (a
sub-category, an unknown slug) falls back to Wagtail's own routing, so behaviour is unchanged.
"""

from django.apps import apps
from django.http import Http404


class TypedChildRoutingMixin:
    """Put before RoutablePageMixin; set `routed_child_model` to the usual child type's label
    ("app_label.ModelName", so that a model defined later in the module can be named), and
    optionally `routed_grandchild_model` with `grandchild_parent_field`, the grandchild's
    foreign key to its parent page."""

    routed_child_model: str
    routed_grandchild_model: str | None = None
    grandchild_parent_field: str = ""

    def route(self, request, path_components):
        if path_components and not self._is_own_route(path_components):
            if len(path_components) == 2 and self.routed_grandchild_model:
                grandchild = self._grandchild(path_components)
                if grandchild is not None:
                    return grandchild.route(request, [])
            child = (
                apps.get_model(self.routed_child_model)
                .objects.child_of(self)
                .filter(slug=path_components[0])
                .first()
            )
            if child is not None:
                child._cached_parent_obj = self  # as Page.route does: no query for get_parent
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

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
        """The grandchild at child_slug/slug/ with its parent, or None to route step by step."""
        child_slug, slug = path_components
        field = self.grandchild_parent_field
        page = (
            apps.get_model(self.routed_grandchild_model)
            .objects.select_related(field)
            .filter(
                path__startswith=self.path,
                depth=self.depth + 2,
                slug=slug,
                **{f"{field}__slug": child_slug},
            )
            .first()
        )
        if page is None:
            return None
        parent = getattr(page, field)
        is_parent = parent.depth == self.depth + 1 and page.path.startswith(parent.path)
        if not is_parent or parent._is_own_route([slug]):
            return None
        parent._cached_parent_obj = self
        page._cached_parent_obj = parent
        return page


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
