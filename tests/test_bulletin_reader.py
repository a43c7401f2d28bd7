"""What a reader gets around a bulletin: the toolbar, attachments, topics, related bulletins
and "Tin khác"."""

import datetime
import html as html_lib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from bulletins.blocks import ToolbarBlock
from bulletins.models import BulletinPage, Topic
from bulletins.related import OTHER_COUNT, RELATED_COUNT
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory

pytestmark = pytest.mark.django_db

LEGACY_GOOD = Path(__file__).resolve().parent / "fixtures" / "legacy" / "good"


def with_topics(page: BulletinPage, *names: str) -> BulletinPage:
    page.topics.add(*names)
    page.save()
    return page


def dated(parent, day: int, **kwargs) -> BulletinPage:
    return BulletinPageFactory(parent=parent, date=datetime.date(2024, 5, day), **kwargs)


# -- the toolbar ------------------------------------------------------------------------------


def test_bulletin_toolbar_offers_print_share_copy_mail_and_a_hidden_listen_button(client, bulletin):
    html = client.get(bulletin.url).content.decode()
    page_url = bulletin.full_url
    assert 'data-action="print"' in html
    assert 'href="https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F' in html
    assert 'href="https://sp.zalo.me/share?url=http%3A%2F%2F' in html
    assert 'href="mailto:?subject=' in html
    assert f'data-action="copy-link" data-url="{page_url}"' in html
    assert 'data-copied="Đã sao chép liên kết bài viết."' in html
    assert 'role="status" aria-live="polite" data-toolbar-status' in html
    # The listen button waits for article-tools.js to find a Vietnamese voice.
    assert 'data-action="listen" data-label-stop="Dừng nghe" aria-pressed="false" hidden>Nghe<' in (
        html
    )
    assert "/static/js/article-tools.js" in html
    assert "(mở cửa sổ mới)" in html


def test_share_links_carry_the_page_address_and_title():
    block = ToolbarBlock()
    value = block.to_python({"show_share": True})
    links = {link.kind: link for link in value.share_links("https://hoason.gov.vn/a/", "Tin A")}
    assert links["facebook"].href.endswith("?u=https%3A%2F%2Fhoason.gov.vn%2Fa%2F")
    assert links["zalo"].href.endswith("?url=https%3A%2F%2Fhoason.gov.vn%2Fa%2F")
    assert (
        links["email"].href == "mailto:?subject=Tin%20A&body=Tin%20A%0Ahttps%3A//hoason.gov.vn/a/"
    )
    assert links["facebook"].opens_new_window and not links["email"].opens_new_window


def test_toolbar_options_hide_sharing_and_listening():
    block = ToolbarBlock()
    value = block.to_python({"show_share": False, "show_listen": False, "show_print": True})
    assert value.share_links("https://hoason.gov.vn/a/", "Tin A") == []
    html = block.render(value, context={"page": None})
    assert "copy-link" not in html and "listen" not in html and "data-toolbar-status" not in html


def test_toolbar_without_a_date_shows_the_page_date(bulletin):
    block = ToolbarBlock()
    value = block.to_python({"date": None})
    assert value.display_date(bulletin) == bulletin.date


# -- topics -----------------------------------------------------------------------------------


def test_topic_slugs_are_ascii():
    topic = Topic.objects.create(name="Phòng, chống thiên tai - Đê điều")
    assert topic.slug == "phong-chong-thien-tai-de-dieu"


def test_topics_made_in_the_admin_get_ascii_slugs_and_vietnamese_labels(
    admin_client, client, bulletin
):
    # A slug typed with its accents passed the form and broke the site's topic index (the
    # address takes ASCII only): it is folded; left empty, it comes from the name.
    add_url = reverse("wagtailsnippets_bulletins_topic:add")
    form = admin_client.get(add_url).content.decode()
    assert "Tên chủ đề" in form and "Đường dẫn (slug)" in form
    assert ">Name<" not in form and ">Slug<" not in form
    response = admin_client.post(add_url, {"name": "Chuyển đổi số", "slug": "chuyển-đổi-số"})
    assert response.status_code == 302
    response = admin_client.post(add_url, {"name": "Đường tỉnh 258", "slug": ""})
    assert response.status_code == 302
    assert list(Topic.objects.values_list("slug", flat=True)) == [
        "chuyen-doi-so",
        "duong-tinh-258",
    ]
    topic = Topic.objects.get(slug="duong-tinh-258")
    edit_url = reverse("wagtailsnippets_bulletins_topic:edit", args=[topic.pk])
    response = admin_client.post(edit_url, {"name": "Đường tỉnh 259", "slug": ""})
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).slug == "duong-tinh-259"
    bulletin.topics.add(*Topic.objects.all())
    bulletin.save_revision().publish()
    index = client.get("/chu-de/")
    assert index.status_code == 200
    assert 'href="/chu-de/chuyen-doi-so/"' in index.content.decode()
    assert client.get("/chu-de/chuyen-doi-so/").status_code == 200


def test_bulletin_shows_its_topics_linking_to_their_listing(client, bulletin):
    with_topics(bulletin, "Chuyển đổi số", "Giao thông")
    bulletin.save_revision().publish()
    html = client.get(bulletin.url).content.decode()
    assert '<nav class="article-topics" aria-label="Chủ đề của bài viết">' in html
    assert '<a href="/chu-de/chuyen-doi-so/" rel="tag">Chuyển đổi số</a>' in html
    assert '<meta property="article:tag" content="Giao thông">' in html
    assert '<meta name="DC.subject" content="Chuyển đổi số; Giao thông">' in html


def test_topic_listing_shows_the_sites_tagged_bulletins_newest_first(client, home, category):
    older = with_topics(dated(category, 1, title="Số hóa hồ sơ"), "Chuyển đổi số")
    newer = with_topics(dated(category, 9, title="Ký số văn bản"), "Chuyển đổi số")
    dated(category, 5, title="Tin không gắn chủ đề")
    other_home = HomePageFactory(parent=home.get_parent(), slug="so-gtvt", title="Sở GTVT")
    Site.objects.create(hostname="sogtvt.example", root_page=other_home)
    other_category = BulletinIndexPageFactory(parent=other_home, slug="tin")
    with_topics(dated(other_category, 7, title="Tin của trang khác"), "Chuyển đổi số")

    response = client.get("/chu-de/chuyen-doi-so/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Chủ đề: Chuyển đổi số</h1>" in html
    assert html.index(newer.title) < html.index(older.title)
    assert "Tin không gắn chủ đề" not in html and "Tin của trang khác" not in html

    index = client.get("/chu-de/").content.decode()
    assert '<a href="/chu-de/chuyen-doi-so/">Chuyển đổi số</a>' in index
    assert "(2 bản tin)" in index


def test_unknown_topic_is_a_vietnamese_404(client, home):
    response = client.get("/chu-de/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_legacy_import_leaves_topics_empty(category):
    call_command(
        "import_publishingportal",
        str(LEGACY_GOOD / "01_chuan.txt"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    page = BulletinPage.objects.get(legacy_id="01_chuan.txt")
    assert list(page.topics.all()) == []


# -- related bulletins and "Tin khác" ---------------------------------------------------------


def test_related_bulletins_come_from_the_category_first_then_shared_topics(client, home, category):
    other_category = BulletinIndexPageFactory(parent=home, slug="chi-dao", title="Chỉ đạo")
    current = with_topics(dated(category, 10, title="Bài đang đọc"), "Giao thông")
    same_category_and_topic = with_topics(
        dated(category, 2, title="Cùng mục, cùng chủ đề"), "Giao thông"
    )
    same_category = dated(category, 8, title="Cùng chuyên mục")
    shared_topic = with_topics(
        dated(other_category, 9, title="Khác mục, cùng chủ đề"), "Giao thông"
    )
    unrelated = dated(other_category, 12, title="Tin mới khác")

    context = client.get(current.url).context
    assert [page.pk for page in context["suggestions"].related] == [
        same_category_and_topic.pk,
        same_category.pk,
        shared_topic.pk,
    ]
    assert [page.pk for page in context["suggestions"].others] == [unrelated.pk]
    html = client.get(current.url).content.decode()
    assert '<h2 id="tin-lien-quan">Tin liên quan</h2>' in html
    assert '<h2 id="tin-khac">Tin khác</h2>' in html


def test_tin_khac_is_the_newest_news_not_already_suggested(client, home, category):
    other_category = BulletinIndexPageFactory(parent=home, slug="kinh-te", title="Kinh tế")
    current = dated(category, 1, title="Bài đang đọc")
    in_category = [dated(category, day) for day in range(2, 2 + RELATED_COUNT + 3)]
    elsewhere = [dated(other_category, day) for day in range(10, 10 + OTHER_COUNT + 3)]
    unpublished = dated(other_category, 28)
    unpublished.unpublish()

    context = client.get(current.url).context
    related = context["suggestions"].related
    others = context["suggestions"].others
    assert [page.pk for page in related] == [
        page.pk for page in sorted(in_category, key=lambda p: p.date, reverse=True)
    ][:RELATED_COUNT]
    newest_rest = sorted(elsewhere, key=lambda p: p.date, reverse=True)[:OTHER_COUNT]
    assert [page.pk for page in others] == [page.pk for page in newest_rest]
    suggested = {page.pk for page in related} | {page.pk for page in others}
    assert current.pk not in suggested and unpublished.pk not in suggested


def test_suggestions_stay_on_the_requests_site(client, home, category):
    current = dated(category, 1)
    other_home = HomePageFactory(parent=home.get_parent(), slug="xa-a", title="Xã A")
    Site.objects.create(hostname="xa-a.example", root_page=other_home)
    foreign = dated(BulletinIndexPageFactory(parent=other_home, slug="tin"), 20)
    context = client.get(current.url).context
    suggested = context["suggestions"].related + context["suggestions"].others
    assert foreign.pk not in {page.pk for page in suggested}


def test_suggestions_follow_each_publish_and_unpublish(client, category):
    # The lists are cached under the site's generation token: publishing renews it.
    current = dated(category, 1, title="Bài đang đọc")
    client.get(current.url)
    newer = dated(category, 20, title="Tin vừa đăng", live=False)
    assert "Tin vừa đăng" not in client.get(current.url).content.decode()

    newer.save_revision().publish()
    assert [page.pk for page in client.get(current.url).context["suggestions"].related] == [
        newer.pk
    ]

    newer.refresh_from_db()  # publish() went through the revision, not this instance
    newer.unpublish()
    assert "Tin vừa đăng" not in client.get(current.url).content.decode()


def test_a_title_changed_and_published_shows_in_the_suggestions(client, category):
    current = dated(category, 1)
    neighbour = dated(category, 2, title="Tiêu đề cũ")
    client.get(current.url)
    neighbour.title = "Tiêu đề mới"
    neighbour.save_revision().publish()
    html = client.get(current.url).content.decode()
    assert "Tiêu đề mới" in html and "Tiêu đề cũ" not in html


def test_bulletins_sharing_a_topic_are_suggested_from_another_category(client, home, category):
    other_category = BulletinIndexPageFactory(parent=home, slug="van-hoa", title="Văn hoá")
    current = with_topics(dated(category, 1), "Lễ hội", "Du lịch")
    sharing = with_topics(dated(other_category, 3, title="Mùa lễ hội"), "Du lịch")
    with_topics(dated(other_category, 4, title="Chủ đề khác"), "Thể thao")
    for _ in range(2):  # from the database, then from the cached lists
        related = client.get(current.url).context["suggestions"].related
        assert [page.pk for page in related] == [sharing.pk]


def test_a_lone_bulletin_shows_no_empty_suggestion_lists(client, bulletin):
    html = client.get(bulletin.url).content.decode()
    assert "reading-suggestions" not in html
    assert html_lib.escape(bulletin.title) in html or bulletin.title in html


def test_editors_manage_topics_in_the_admin(admin_client, bulletin):
    with_topics(bulletin, "Phòng, chống thiên tai")
    response = admin_client.get("/admin/snippets/bulletins/topic/")
    assert response.status_code == 200
    assert "Phòng, chống thiên tai" in response.content.decode()
    assert "phong-chong-thien-tai" in response.content.decode()
