"""Content-Security-Policy: strict for reader pages, laxer for the admin.

Reader pages load only the portal's own scripts, styles, fonts and images (and media from the
storage's own origin, when media live on object storage), so their policy names no third party.
Wagtail's admin and Django's admin use inline scripts and styles, so they get a policy of their
own instead of none. Both policies come from settings (CONTENT_SECURITY_POLICY and
CONTENT_SECURITY_POLICY_ADMIN: directive → list of sources); Django 5.2 has no CSP of its own.
"""

from django.conf import settings


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]).strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.reader_policy = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.admin_policy = policy_header(settings.CONTENT_SECURITY_POLICY_ADMIN)
        self.admin_prefixes = tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        # A view that set its own policy (none here yet) keeps it.
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith(self.admin_prefixes)
            response["Content-Security-Policy"] = (
                self.admin_policy if is_admin else self.reader_policy
            )
        return response
