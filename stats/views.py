from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.models import Site

from search.searching import SiteScope

from . import counter

# Larger ids cannot be a page (PostgreSQL's integer) and would make the query fail.
LARGEST_PAGE_ID = 2**31 - 1


def _client_address(request) -> str:
    """The reader's address. Behind proxies REMOTE_ADDR is the nearest proxy's; each proxy
    appends the address it was sent the request from to X-Forwarded-For, so the reader's is
    TRUSTED_PROXY_COUNT entries from the end. Entries before it are the client's own words: a
    reader who wrote a new address there each time would count each time."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if proxies and len(forwarded) >= proxies and (address := forwarded[-proxies].strip()):
        return address
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt  # an anonymous beacon from cached pages, which carry no CSRF token; it changes
# nothing but a counter
@require_POST
@never_cache
def record_view(request, page_id: int):
    """The beacon a bulletin page sends once it is shown: counts the view, answers the count."""
    if page_id > LARGEST_PAGE_ID:
        return _not_a_bulletin(page_id)
    # A bulletin of the site the beacon was sent to: another site's pages are not counted here.
    row = (
        SiteScope.for_site(Site.find_for_request(request))
        .bulletins()
        .filter(pk=page_id)
        .values_list("pk", "view_count__count")
        .first()
    )
    if row is None:
        return _not_a_bulletin(page_id)
    reader = counter.reader_fingerprint(
        _client_address(request), request.META.get("HTTP_USER_AGENT", "")
    )
    counted, views = counter.record_view(page_id, reader, row[1] or 0)
    return JsonResponse({"trang": page_id, "luot_xem": views, "da_dem": counted})


def _not_a_bulletin(page_id: int) -> JsonResponse:
    return JsonResponse(
        {"trang": page_id, "loi": "Không có bản tin đang xuất bản với mã này."}, status=404
    )
