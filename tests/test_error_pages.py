"""Vietnamese error pages: a 404 inside the site's layout, a 500 that needs nothing (no
database, no context) to render."""

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


def test_500_template_renders_without_a_request_or_context():
    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html and '<a href="/">trang chủ</a>' in html
