"""Known-item search on the database backend: a bulletin whose title holds every word of the
query comes before bulletins that only repeat the words in their text (docs/benchmarks.md,
"SQLite at 10,000": bm25 alone let such bodies outrank a long title)."""

import pytest
from wagtail.search.backends import get_search_backend

from bulletins.models import BulletinPage
from search.searching import vietnamese_search
from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db

LONG_TITLE = "Tổng kết công tác dân vận và phong trào thi đua yêu nước của huyện Nà Phặc năm 2024"
# Unrelated words that make the known item's text long: bm25 divides by the text's length.
UNRELATED = (
    "Mùa mưa bão sắp đến, người dân được hướng dẫn gia cố nhà cửa, dự trữ lương thực và "
    "nước sạch, theo dõi thông tin thời tiết trên loa truyền thanh của thôn bản. "
)


@pytest.fixture
def known_item_archive(category) -> tuple[BulletinPage, list[BulletinPage]]:
    titled = BulletinPageFactory(
        parent=category,
        title=LONG_TITLE,
        lead="Hội nghị diễn ra sáng nay.",
        paragraphs=[UNRELATED * 12],
        author="",
    )
    # Short bulletins whose titles share some of the words and whose texts repeat all of them.
    mentions = [
        BulletinPageFactory(
            parent=category,
            title=title,
            lead="",
            paragraphs=[f"{LONG_TITLE}. " * 3],
            author="",
        )
        for title in (
            "Dân vận khéo ở huyện Nà Phặc",
            "Phong trào thi đua yêu nước năm 2024",
            "Công tác dân vận của huyện",
            "Tổng kết phong trào thi đua",
            "Nà Phặc năm 2024",
        )
    ]
    # Bulletins without those words, so that they are rare in the archive, as in a real one.
    for number in range(12):
        BulletinPageFactory(
            parent=category,
            title=f"Tin vắn số {number}: chợ phiên vùng cao",
            lead="",
            paragraphs=[UNRELATED],
            author="",
        )
    get_search_backend().add_bulk(BulletinPage, BulletinPage.objects.all())
    return titled, mentions


@pytest.mark.parametrize(
    "query",
    [
        LONG_TITLE,
        "tong ket cong tac dan van va phong trao thi dua yeu nuoc cua huyen na phac nam 2024",
    ],
    ids=["as written", "without diacritics"],
)
def test_a_long_title_comes_before_texts_repeating_its_words(known_item_archive, query):
    titled, mentions = known_item_archive
    results = vietnamese_search(BulletinPage.objects.live(), query)
    assert results.count() == 1 + len(mentions)
    everything = list(results)
    assert everything[0] == titled
    assert set(everything[1:]) == set(mentions)
    # Pages agree with the whole list, across the boundary between the tiers too.
    for start, stop in [(0, 1), (0, 3), (1, 4), (2, 6)]:
        assert list(results[start:stop]) == everything[start:stop], (start, stop)
    scored = list(vietnamese_search(BulletinPage.objects.live(), query).annotate_score("score"))
    assert scored == everything
    assert all(page.score is not None for page in scored)
