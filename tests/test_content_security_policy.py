"""The Content-Security-Policy middleware: the strict reader policy on reader pages, the
admin's own on Wagtail's admin, which still works under it."""

import pytest

from portal.settings.deployment import content_security_policies

READER, ADMIN, ADMIN_PATHS = content_security_policies("/media/")


@pytest.fixture
def csp(settings):
    settings.CONTENT_SECURITY_POLICY = READER
    settings.CONTENT_SECURITY_POLICY_ADMIN = ADMIN
    settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS = ADMIN_PATHS
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "portal.csp.ContentSecurityPolicyMiddleware",
        *settings.MIDDLEWARE[1:],
    ]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_reader_page_gets_the_strict_policy(csp, client, bulletin):
    response = client.get(bulletin.url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_reader_page_has_no_inline_script_or_style(csp, client, bulletin):
    # The strict policy would block them: reader templates load scripts and styles by URL.
    html = client.get(bulletin.url).content.decode()
    assert "<style" not in html
    assert ' style="' not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0] or 'type="application/json"' in tag.split(">")[0]


@pytest.mark.django_db
def test_search_and_home_get_the_strict_policy(csp, client, home):
    for url in ("/", "/tim-kiem/?q=tin"):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_admin_gets_its_own_policy_and_still_works(csp, admin_client, bulletin):
    dashboard = admin_client.get("/admin/")
    assert dashboard.status_code == 200
    assert "'unsafe-inline'" in directives(dashboard)["script-src"]
    edit = admin_client.get(f"/admin/pages/{bulletin.pk}/edit/")
    assert edit.status_code == 200
    assert directives(edit)["frame-ancestors"] == ["'self'"]
