"""Reader pages: home, category, bulletin, and what bad URLs get."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from bulletins.models import BulletinIndexPage, BulletinPage
from home.models import HomePage
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db


def test_page_type_rules():
    assert BulletinPage.allowed_parent_page_models() == [BulletinIndexPage]
    assert BulletinIndexPage in HomePage.allowed_subpage_models()
    assert BulletinPage not in HomePage.allowed_subpage_models()


def test_bulletin_page_renders_in_vietnamese(client, bulletin):
    response = client.get(bulletin.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert f'<h1 class="article__title">{bulletin.title}</h1>' in html
    assert bulletin.lead in html
    assert f'<p class="article__signature">{bulletin.author}</p>' in html
    assert bulletin.date.strftime("%d/%m/%Y") in html
    assert 'data-font-size="increase"' in html
    assert "js/portal.js" in html


def test_home_shows_featured_and_latest_bulletins_per_category(client, home):
    news = BulletinIndexPageFactory(parent=home, title="Tin tức", slug="tin-tuc")
    orders = BulletinIndexPageFactory(parent=home, title="Chỉ đạo", slug="chi-dao")
    featured = BulletinPageFactory(
        parent=news, title="Tin nổi bật", is_featured=True, date=datetime.date(2020, 1, 1)
    )
    latest = BulletinPageFactory(parent=news, title="Tin mới nhất", date=datetime.date(2024, 5, 1))
    order = BulletinPageFactory(parent=orders, title="Công văn chỉ đạo")
    response = client.get(home.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "bulletin-card--featured" in html
    sections = response.context["sections"]
    assert [section["category"] for section in sections] == [news, orders]
    assert sections[0]["featured"] == featured
    assert sections[0]["latest"] == [latest]
    assert sections[1]["latest"] == [order]


def test_home_sections_follow_the_editors_order_of_categories(client, home):
    first = BulletinIndexPageFactory(parent=home, title="Tin tức", slug="tin-tuc")
    second = BulletinIndexPageFactory(parent=home, title="Chỉ đạo", slug="chi-dao")
    second.move(first, pos="left")  # an editor drags "Chỉ đạo" above "Tin tức"
    sections = client.get(home.url).context["sections"]
    assert [section["category"].pk for section in sections] == [second.pk, first.pk]


def test_category_lists_bulletins_newest_first_and_paginates(client, category):
    for day in range(25):
        BulletinPageFactory(parent=category, date=datetime.date(2023, 1, 1 + day))
    response = client.get(category.url)
    listed = list(response.context["bulletins"])
    assert len(listed) == 20
    assert listed[0].date == datetime.date(2023, 1, 25)
    assert [b.date for b in listed] == sorted((b.date for b in listed), reverse=True)
    second = client.get(category.url, {"page": 2})
    assert len(second.context["bulletins"]) == 5


@pytest.mark.parametrize("page_number, expected", [("abc", 1), ("0", 2), ("999", 2), ("-1", 2)])
def test_bad_page_numbers_get_the_nearest_valid_page(client, category, page_number, expected):
    for day in range(21):
        BulletinPageFactory(parent=category, date=datetime.date(2023, 2, 1 + day))
    response = client.get(category.url, {"page": page_number})
    assert response.status_code == 200
    assert response.context["bulletins"].number == expected


def test_archive_filter_by_year_and_month(client, category):
    march = BulletinPageFactory(parent=category, date=datetime.date(2023, 3, 21))
    BulletinPageFactory(parent=category, date=datetime.date(2023, 4, 2))
    BulletinPageFactory(parent=category, date=datetime.date(2022, 3, 5))
    response = client.get(category.url, {"year": 2023, "month": 3})
    assert list(response.context["bulletins"]) == [march]
    assert len(client.get(category.url, {"year": 2023}).context["bulletins"]) == 2
    # Years, and the months of the year being looked at (the latest year by default).
    assert response.context["archive_years"] == [2023, 2022]
    months = [(d.year, d.month) for d in response.context["archive_months"]]
    assert months == [(2023, 4), (2023, 3)]
    assert "Tháng 3/2023" in response.content.decode()
    older = client.get(category.url, {"year": 2022})
    assert [(d.year, d.month) for d in older.context["archive_months"]] == [(2022, 3)]
    assert [(d.year, d.month) for d in client.get(category.url).context["archive_months"]] == [
        (2023, 4),
        (2023, 3),
    ]


@pytest.mark.parametrize(
    "query", [{"year": "99999"}, {"year": "abc"}, {"year": "2023", "month": "13"}, {"month": "3"}]
)
def test_impossible_archive_filters_get_a_vietnamese_404(client, category, query):
    response = client.get(category.url, query)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unknown_url_gets_a_vietnamese_404(client, home):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert '<html lang="vi">' in response.content.decode()
    assert "Không tìm thấy trang" in response.content.decode()


def test_menu_follows_the_request_site(client, home, category):
    response = client.get(home.url)
    assert f'href="{category.url}"' in response.content.decode()


def test_print_stylesheet_hides_navigation():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".site-footer", ".breadcrumbs", ".article-toolbar__actions"):
        assert selector in print_rules


def test_category_lists_only_its_own_bulletins(client, home, category):
    own = BulletinPageFactory(parent=category)
    sibling = BulletinIndexPageFactory(parent=home, slug="chi-dao")
    BulletinPageFactory(parent=sibling)
    sub_category = BulletinIndexPageFactory(parent=category, slug="chuyen-de")
    BulletinPageFactory(parent=sub_category)
    assert list(category.bulletins()) == [own]
    assert list(client.get(category.url).context["bulletins"]) == [own]


# -- a bulletin's category follows its place in the tree, whatever revision is published --


def test_publishing_a_draft_saved_before_a_move_keeps_the_new_category(client, home, category):
    other = BulletinIndexPageFactory(parent=home, title="Thông báo", slug="thong-bao")
    page = BulletinPageFactory(parent=category, title="Khởi công cầu")
    page.save_revision().publish()
    # An editor saves a draft (or submits it for approval) ...
    page = BulletinPage.objects.get(pk=page.pk)
    page.title = "Khởi công cầu Pá Khoang"
    draft = page.save_revision()
    # ... an administrator moves the bulletin to another category ...
    BulletinPage.objects.get(pk=page.pk).move(other, pos="last-child")
    assert BulletinPage.objects.get(pk=page.pk).category_id == other.pk
    # ... then the draft is approved and published.
    type(draft).objects.get(pk=draft.pk).publish()
    page = BulletinPage.objects.get(pk=page.pk)
    assert page.get_parent().pk == other.pk
    assert page.category_id == other.pk
    assert page in other.specific.bulletins()
    assert page not in category.bulletins()


def test_an_alias_in_another_category_stays_listed_there_after_the_original_is_published(
    home, category
):
    other = BulletinIndexPageFactory(parent=home, title="Thông báo", slug="thong-bao")
    page = BulletinPageFactory(parent=category, title="Khởi công cầu")
    page.save_revision().publish()
    alias = page.create_alias(parent=other, update_slug="khoi-cong-cau")
    assert BulletinPage.objects.get(pk=alias.pk).category_id == other.pk
    page = BulletinPage.objects.get(pk=page.pk)
    page.title = "Khởi công cầu Pá Khoang"
    page.save_revision().publish()  # Wagtail brings every alias up to date
    assert BulletinPage.objects.get(pk=alias.pk).category_id == other.pk


def test_a_bulletin_copied_to_another_category_is_listed_there_once_published(
    home, category, admin_client
):
    other = BulletinIndexPageFactory(parent=home, title="Thông báo", slug="thong-bao")
    page = BulletinPageFactory(parent=category, title="Khởi công cầu")
    page.save_revision().publish()
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Khởi công cầu", "new_slug": "khoi-cong-cau", "new_parent_page": other.pk},
    )
    assert response.status_code == 302
    copy = BulletinPage.objects.get(path__startswith=other.path, depth=other.depth + 1)
    assert copy.category_id == other.pk
    # The editor opens the copy and publishes it.
    copy.get_latest_revision().publish()
    copy = BulletinPage.objects.get(pk=copy.pk)
    assert copy.category_id == other.pk
    assert list(other.specific.bulletins()) == [copy]


def test_routing_reaches_sub_categories_feeds_and_unpublished_pages_as_wagtail_does(
    client, category
):
    """portal.routing looks bulletins up in one query; every other path routes as before."""
    sub = BulletinIndexPageFactory(parent=category, title="Tin huyện", slug="tin-huyen")
    nested = BulletinPageFactory(parent=sub, title="Bản tin của huyện")
    draft = BulletinPageFactory(parent=category, title="Bản nháp", live=False)
    # Slugged "rss" before new pages stopped taking their parent's route names (portal.slugs).
    rss_bulletin = BulletinPageFactory(parent=category, title="Rss")
    BulletinPage.objects.filter(pk=rss_bulletin.pk).update(
        slug="rss", url_path=f"{category.url_path}rss/"
    )
    rss_bulletin.refresh_from_db()

    assert client.get(sub.url).context["page"] == sub
    assert client.get(nested.url).context["page"] == nested
    assert client.get(draft.url).status_code == 404
    assert client.get(category.url + "khong-co/").status_code == 404
    # The category's own route wins over a bulletin slugged "rss", as with RoutablePageMixin.
    response = client.get(rss_bulletin.url)
    assert response["Content-Type"].startswith("application/rss+xml")
