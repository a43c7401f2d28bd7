"""Vietnamese error pages: a 404 inside the site's layout, a 500 that needs nothing (no
database, no context) to render; and odd input on reader addresses never reaches it."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path

from portal import urls as portal_urls


def broken_view(request):
    raise RuntimeError("lỗi thử nghiệm")


# This module is the URLconf of the tests marked below: the portal's URLs and one that fails.
urlpatterns = [path("loi-thu/", broken_view), *portal_urls.urlpatterns]


@pytest.mark.django_db
def test_unknown_page_is_a_vietnamese_404_in_the_sites_layout(client, home):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert 'class="skip-link"' in html and 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_server_error_is_a_vietnamese_500(settings, home):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Hệ thống đang gặp sự cố" in html
    assert "lỗi thử nghiệm" not in html  # nothing of the error reaches the reader


@pytest.mark.django_db
def test_a_host_the_portal_does_not_serve_is_a_vietnamese_400(settings, home):
    """Django's own 400 page is English; it renders without a request or context, as 500.html."""
    settings.ALLOWED_HOSTS = ["localhost"]
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="khong-phai-cong.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Yêu cầu không hợp lệ" in html and "Bad Request" not in html


def test_a_form_sent_without_its_csrf_cookie_is_a_vietnamese_403(home):
    """Django's own CSRF failure page is English; 403_csrf.html renders without a request."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post("/", {"q": "tin"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không gửi được biểu mẫu" in html and "CSRF verification failed" not in html


def test_500_template_renders_without_a_request_or_context():
    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html and '<a href="/">trang chủ</a>' in html


ODD_VALUES = ["abc", "-1", "99999999999999999999999", "\x00", "' OR 1=1--"]
ODD_PARAMETERS = [
    "page", "year", "month", "q", "sort", "category", "from", "to", "lang",
    "offset", "limit", "order", "fields", "type", "search", "date", "child_of", "id",
]  # fmt: skip


@pytest.mark.django_db
def test_odd_parameters_on_every_reader_address_never_give_a_500(home, category, bulletin):
    """Every reader address, the API's and the feeds', with each parameter set to values no
    form would send: a page, a 404 or a 400, never a server error."""
    bulletin.topics.add("Giao thông")
    bulletin.save()
    client = Client(raise_request_exception=False)
    bulletins = {"type": "bulletins.BulletinPage"}  # the API then filters on its fields too
    addresses = [
        ("/", {}), (category.url, {}), (bulletin.url, {}), ("/tim-kiem/", {"q": "tin"}),
        ("/tim-kiem/goi-y/", {}), ("/rss/", {}), ("/atom/", {}), (category.url + "rss/", {}),
        ("/sitemap.xml", {}), ("/sitemap-trang.xml", {}), ("/so-do-trang/", {}), ("/chu-de/", {}),
        ("/chu-de/giao-thong/", {}), ("/api/v2/pages/", {}), ("/api/v2/pages/", bulletins),
        (f"/api/v2/pages/{bulletin.pk}/", {}), ("/api/v2/pages/find/", {}),
    ]  # fmt: skip
    errors = []
    for address, base in addresses:
        for parameter in ODD_PARAMETERS:
            for value in ODD_VALUES:
                response = client.get(address, {**base, parameter: value})
                if response.status_code >= 500:
                    errors.append((address, parameter, value[:20], response.status_code))
    assert not errors
