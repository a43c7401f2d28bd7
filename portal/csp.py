"""Content-Security-Policy: strict for reader pages, laxer for the admin.

Reader pages load only the portal's own scripts, styles, fonts and images (and media from the
storage's own origin, when media live on object storage), so their policy names no third party.
Wagtail's admin and Django's admin use inline scripts and styles, so they get a policy of their
own instead of none. Both policies come from settings (CONTENT_SECURITY_POLICY and
CONTENT_SECURITY_POLICY_ADMIN: directive → list of sources); Django 5.2 has no CSP of its own.
A reader page that embeds a player (a bulletin's video) sets its own policy with
`allow_frames`: the reader policy plus the player's origin, for that page only.
"""

from django.conf import settings


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]).strip() for name, sources in directives.items())


def reader_policy_applies(request) -> bool:
    """Whether this request's response gets the reader policy: not in dev (no policy), nor
    for an admin preview, which keeps the admin's."""
    has_policy = bool(getattr(settings, "CONTENT_SECURITY_POLICY", None))
    return has_policy and not getattr(request, "is_preview", False)


def allow_frames(response, origins) -> None:
    """Let this reader page frame `origins` as well as what every reader page may: the page's
    own header, which the middleware keeps and the page cache stores with the page."""
    reader_policy = settings.CONTENT_SECURITY_POLICY
    allowed = reader_policy.get("frame-src", ["'self'"])
    added = [origin for origin in sorted(origins) if origin not in allowed]
    response["Content-Security-Policy"] = policy_header(
        {**reader_policy, "frame-src": [*allowed, *added]}
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.reader_policy = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.admin_policy = policy_header(settings.CONTENT_SECURITY_POLICY_ADMIN)
        self.admin_prefixes = tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        # A view that set its own policy (a page with an embed: allow_frames) keeps it.
        if "Content-Security-Policy" not in response:
            # An editor's preview runs this chain again on a request made for the page's own
            # address; the editor's side panel frames it, so it gets the admin's policy.
            is_admin = request.path.startswith(self.admin_prefixes) or getattr(
                request, "is_preview", False
            )
            response["Content-Security-Policy"] = (
                self.admin_policy if is_admin else self.reader_policy
            )
        return response
