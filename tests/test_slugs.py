import pytest

from portal.slugs import ascii_slugify
from tests.factories import BulletinPageFactory


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
