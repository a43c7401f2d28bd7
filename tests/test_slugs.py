import html
import json
import re

import pytest
from django.urls import reverse

from bulletins.models import BulletinPage
from portal.slugs import ascii_slugify
from tests.factories import BulletinPageFactory
from tests.test_admin import bulletin_form_data


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Thực hiện nâng cấp đường tỉnh 258", "thuc-hien-nang-cap-duong-tinh-258"),
        ("Đẩy mạnh chuyển đổi số năm 2024", "day-manh-chuyen-doi-so-nam-2024"),
        ("Bắc Kạn: Hội nghị “tổng kết” công tác", "bac-kan-hoi-nghi-tong-ket-cong-tac"),
        ("Nguyễn Thị Ánh Tuyết", "nguyen-thi-anh-tuyet"),
    ],
)
def test_vietnamese_titles_fold_to_ascii_slugs(title, slug):
    assert ascii_slugify(title) == slug


def test_decomposed_unicode_gives_the_same_slug():
    import unicodedata

    title = "Sửa chữa đường giao thông nông thôn"
    assert ascii_slugify(unicodedata.normalize("NFD", title)) == ascii_slugify(title)


def test_long_titles_are_cut_at_a_word_boundary():
    slug = ascii_slugify("Hội nghị tổng kết công tác " * 20)
    assert len(slug) <= 100
    assert not slug.endswith("-")
    assert slug.endswith(("hoi", "nghi", "tong", "ket", "cong", "tac"))


def test_a_page_without_slug_gets_an_ascii_slug_unique_among_siblings(category):
    first = BulletinPageFactory(parent=category, title="Khởi công đường liên xã", slug="")
    second = BulletinPageFactory(parent=category, title="Khởi công đường liên xã", slug="")
    assert first.slug == "khoi-cong-duong-lien-xa"
    assert second.slug == "khoi-cong-duong-lien-xa-2"
    assert second.slug.isascii()


def test_the_admin_slug_field_folds_vietnamese_letters_as_the_editor_types():
    """The browser runs these pairs before Wagtail's own transliteration, which has no
    Vietnamese map; here they run through Python's `re` with the same patterns."""
    import unicodedata

    from portal.slugs import LATIN_FOLDING_FORMATTERS

    def as_the_browser_would(title):
        for pattern, replacement in LATIN_FOLDING_FORMATTERS:
            title = re.sub(pattern, replacement, title)
        return re.sub(r"[-\s]+", "-", re.sub(r"[^-\w\s]", "", title.lower(), flags=re.ASCII))

    title = "Khánh thành Trường mầm non bản Pá Khoang, Điện Biên"
    expected = "khanh-thanh-truong-mam-non-ban-pa-khoang-dien-bien"
    assert as_the_browser_would(title) == expected
    assert as_the_browser_would(unicodedata.normalize("NFD", title)) == expected


def test_the_admin_slug_widget_carries_the_folding(category, admin_client):
    response = admin_client.get(f"/admin/pages/add/bulletins/bulletinpage/{category.pk}/")
    assert response.status_code == 200
    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', response.content.decode())[0]
    formatters = json.loads(html.unescape(re.search(r'formatters-value="([^"]*)"', slug_input)[1]))
    assert any("ờ" in pattern and replacement == "o" for (pattern, *_), replacement in formatters)


# -- every save path, and what the server takes from the form -------------------------------


def add_bulletin_url(category) -> str:
    return reverse("wagtailadmin_pages:add", args=["bulletins", "bulletinpage", category.pk])


@pytest.mark.parametrize("action", [{}, {"action-submit": "submit"}, {"action-publish": "1"}])
def test_a_bulletin_saved_as_draft_or_submitted_gets_the_ascii_slug(admin_client, category, action):
    """Editors of the editorial workflow can only save drafts and submit: Wagtail derives those
    pages' slugs in minimal_clean, not full_clean."""
    data = bulletin_form_data("Thực hiện nâng cấp đường tỉnh 258", "Sapo.", "<p>N.</p>", "An")
    response = admin_client.post(add_bulletin_url(category), {**data, **action})
    assert response.status_code == 302
    assert BulletinPage.objects.get().slug == "thuc-hien-nang-cap-duong-tinh-258"


def test_a_draft_page_saved_in_code_gets_the_ascii_slug(category):
    page = BulletinPage(title="Đường tỉnh 258", live=False)
    category.add_child(instance=page)
    assert page.slug == "duong-tinh-258"


@pytest.mark.parametrize("action", [{}, {"action-publish": "1"}])
def test_a_title_without_letters_asks_for_a_slug(admin_client, category, action):
    data = bulletin_form_data("!!! ???", "Sapo.", "<p>Nội dung.</p>", "An")
    response = admin_client.post(add_bulletin_url(category), {**data, **action})
    assert response.status_code == 200
    assert "hãy nhập đường dẫn (slug)" in response.content.decode()
    assert not BulletinPage.objects.exists()


def test_a_typed_vietnamese_slug_is_folded_to_ascii(admin_client, category):
    """Without the slug widget's script (or submitted before it ran), the form posts what the
    editor typed."""
    data = {**bulletin_form_data("Tin mới", "Sapo.", "<p>N.</p>", "An"), "slug": "tin-mới-đường"}
    response = admin_client.post(add_bulletin_url(category), {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert BulletinPage.objects.get().slug == "tin-moi-duong"


def test_a_typed_slug_that_folds_onto_a_siblings_is_refused(admin_client, category):
    BulletinPageFactory(parent=category, title="Tin mới", slug="tin-moi")
    data = {**bulletin_form_data("Tin mới", "Sapo.", "<p>N.</p>", "An"), "slug": "tin-mới"}
    response = admin_client.post(add_bulletin_url(category), {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "đã được sử dụng" in response.content.decode()
    assert BulletinPage.objects.count() == 1


def test_a_bulletin_titled_like_a_feed_of_its_category_gets_a_reachable_slug(
    admin_client, client, category
):
    """/tin-tuc/rss/ is the category's feed: a bulletin there could never be opened."""
    data = bulletin_form_data("RSS", "Sapo.", "<p>Nội dung.</p>", "An")
    response = admin_client.post(add_bulletin_url(category), {**data, "action-publish": "1"})
    assert response.status_code == 302
    bulletin = BulletinPage.objects.get()
    assert bulletin.slug == "rss-2"
    assert "Nội dung." in client.get(bulletin.url).content.decode()

    typed = {**bulletin_form_data("Nguồn tin", "Sapo.", "<p>N.</p>", "An"), "slug": "atom"}
    response = admin_client.post(add_bulletin_url(category), {**typed, "action-publish": "1"})
    assert response.status_code == 200
    assert "đã được sử dụng" in response.content.decode()
    assert BulletinPage.objects.count() == 1
