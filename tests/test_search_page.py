import datetime

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Site

from tests.conftest import wagtail_root
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_bulletins_of_the_site(client, category):
    bulletin = BulletinPageFactory(parent=category, title="Khánh thành cầu treo bản Nà Làng")
    response = client.get("/tim-kiem/", {"q": "cầu treo"})
    assert response.status_code == 200
    assert list(response.context["search_results"]) == [bulletin]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


ODD_QUERIES = ["", " ", '"', "AND (", "*", "~", ":", "'; DROP TABLE wagtailcore_page; --", "\x00"]


def test_odd_queries_never_fail(client, category):
    BulletinPageFactory(parent=category)
    statuses = {
        query[:30]: client.get("/tim-kiem/", {"q": query, "page": "abc"}).status_code
        for query in [*ODD_QUERIES, "a" * 5000]
    }
    assert statuses == dict.fromkeys(statuses, 200)


def plain_bulletin(category, title: str):
    """A bulletin whose only searchable words are its title's (no generated text)."""
    return BulletinPageFactory(
        parent=category, title=title, lead="", paragraphs=["Nội dung chi tiết."], author=""
    )


def test_search_page_counts_sorts_and_pages(client, category, search_backend, monkeypatch):
    """On every backend: the count, both orders and the pages, for a query without diacritics."""
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 2)
    titles = ["Trẻ em vùng cao đón Tết", "Trao quà cho trẻ em nghèo", "Trẻ em được tiêm vắc xin"]
    pages = [plain_bulletin(category, title) for title in titles]
    plain_bulletin(category, "Hội nghị tổng kết năm")
    search_backend.index()

    response = client.get("/tim-kiem/", {"q": "tre em", "sort": "newest"})
    assert response.status_code == 200
    assert "Tìm thấy 3 kết quả cho “tre em”" in response.content.decode()
    first_page = list(response.context["search_results"])
    assert first_page == sorted(pages, key=lambda page: page.date, reverse=True)[:2]
    assert "sort=newest&amp;page=2" in response.content.decode()

    response = client.get("/tim-kiem/", {"q": "tre em", "sort": "newest", "page": "2"})
    assert len(response.context["search_results"]) == 1

    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert response.context["sort"] == "relevance"
    assert response.context["search_results"].paginator.count == 3


def test_no_results_say_what_to_try(client, category):
    plain_bulletin(category, "Hội nghị tổng kết năm")
    response = client.get("/tim-kiem/", {"q": "khinh khí cầu"})
    content = response.content.decode()
    assert "Tìm thấy 0 kết quả cho “khinh khí cầu”" in content
    assert "Không tìm thấy bản tin nào." in content
    assert "gõ không dấu" in content


@pytest.mark.parametrize("typed", ["trer em", "tre3 em"])
def test_telex_and_vni_keys_are_tried_when_nothing_matches(client, category, typed):
    bulletin = plain_bulletin(category, "Chăm lo cho trẻ em vùng cao")
    response = client.get("/tim-kiem/", {"q": typed})
    assert list(response.context["search_results"]) == [bulletin]
    assert "Đã tìm theo: <strong>“trẻ em”</strong>" in response.content.decode()


def test_telex_is_not_tried_when_the_query_finds_something(client, category):
    bulletin = plain_bulletin(category, "Ra mắt sách mới")
    response = client.get("/tim-kiem/", {"q": "sach"})
    assert list(response.context["search_results"]) == [bulletin]
    assert response.context["searched_for"] is None


def test_bad_page_numbers_and_sorts_never_fail(client, category):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    failed = []
    for page in ["abc", "0", "-1", "999999", "1e9", "2.5", "", "\x00"]:
        for sort in ["newest", "bogus", ""]:
            response = client.get("/tim-kiem/", {"q": "tre em", "page": page, "sort": sort})
            if (
                response.status_code != 200
                or response.context["search_results"].paginator.count != 1
            ):
                failed.append((page, sort, response.status_code))
    assert failed == []


def test_suggestions_ignore_diacritics(client, category):
    bulletin = plain_bulletin(category, "Bắc Kạn đón bằng công nhận")
    plain_bulletin(category, "Hội nghị tổng kết năm")
    for query in ["bac", "Bắc K", "BAC KAN"]:
        response = client.get("/tim-kiem/goi-y/", {"q": query})
        assert response.status_code == 200
        assert response.json()["suggestions"] == [
            {"title": bulletin.title, "url": bulletin.url, "date": bulletin.date.isoformat()}
        ], query
    assert "Bắc Kạn" in response.content.decode()  # UTF-8, not \\u escapes


@pytest.mark.parametrize("query", ["", "b", '"', "*", "\x00", "a" * 5000, "'; DROP"])
def test_odd_suggestion_queries_never_fail(client, category, query):
    plain_bulletin(category, "Bắc Kạn đón bằng công nhận")
    response = client.get("/tim-kiem/goi-y/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


# Filters, highlighting, promotions -------------------------------------------------------


def dated_bulletin(category, title: str, date: datetime.date, lead: str = ""):
    return BulletinPageFactory(
        parent=category, title=title, date=date, lead=lead, paragraphs=["Nội dung."], author=""
    )


@pytest.fixture
def filtered_archive(home, category):
    """Bulletins about "trẻ em" in two categories (one nested) and three months."""
    culture = BulletinIndexPageFactory(parent=home, title="Văn hóa - Xã hội", slug="van-hoa")
    schools = BulletinIndexPageFactory(parent=culture, title="Giáo dục", slug="giao-duc")
    return {
        "news_jan": dated_bulletin(category, "Trẻ em vùng cao đón Tết", datetime.date(2024, 1, 5)),
        "news_mar": dated_bulletin(category, "Tiêm vắc xin cho trẻ em", datetime.date(2024, 3, 9)),
        "culture_feb": dated_bulletin(
            culture, "Sân chơi cho trẻ em ở bản", datetime.date(2024, 2, 14)
        ),
        "school_mar": dated_bulletin(
            schools, "Trẻ em đến trường sau lũ", datetime.date(2024, 3, 20)
        ),
        "other": dated_bulletin(category, "Hội nghị tổng kết năm", datetime.date(2024, 2, 1)),
        "culture": culture,
        "schools": schools,
    }


def found_titles(response) -> set[str]:
    assert response.status_code == 200
    return {page.title for page in response.context["search_results"]}


def test_filters_by_category_dates_and_both(client, filtered_archive, search_backend):
    """On every backend: a category includes its sub-categories; dates are inclusive."""
    search_backend.index()
    culture = filtered_archive["culture"]
    by_category = client.get("/tim-kiem/", {"q": "tre em", "chuyen_muc": culture.pk})
    assert found_titles(by_category) == {"Sân chơi cho trẻ em ở bản", "Trẻ em đến trường sau lũ"}

    by_dates = client.get(
        "/tim-kiem/", {"q": "tre em", "tu_ngay": "14/02/2024", "den_ngay": "2024-03-09"}
    )
    assert found_titles(by_dates) == {"Sân chơi cho trẻ em ở bản", "Tiêm vắc xin cho trẻ em"}

    both = client.get(
        "/tim-kiem/", {"q": "tre em", "chuyen_muc": culture.pk, "tu_ngay": "01/03/2024"}
    )
    assert found_titles(both) == {"Trẻ em đến trường sau lũ"}
    assert "Tìm thấy 1 kết quả cho “tre em”" in both.content.decode()


def test_category_choices_are_the_sites_categories(client, filtered_archive):
    response = client.get("/tim-kiem/", {"q": "tre em"})
    choices = dict(response.context["form"].fields["chuyen_muc"].choices)
    assert list(choices.values()) == [
        "Tất cả chuyên mục",
        "Tin tức - Sự kiện",
        "Văn hóa - Xã hội",
        "— Giáo dục",
    ]
    assert 'name="chuyen_muc"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu_ngay": "31/02/2024"}, "Ngày không hợp lệ"),
        ({"tu_ngay": "hôm qua"}, "Ngày không hợp lệ"),
        ({"den_ngay": "2024-13-01"}, "Ngày không hợp lệ"),
        ({"den_ngay": "\x00"}, "Ngày không hợp lệ"),
        ({"tu_ngay": "01/01/2024'; DROP TABLE wagtailcore_page; --"}, "Ngày không hợp lệ"),
        ({"tu_ngay": "1" * 5000}, "Ngày không hợp lệ"),
        ({"tu_ngay": "10/03/2024", "den_ngay": "01/03/2024"}, "Ngày kết thúc phải sau"),
        ({"chuyen_muc": "abc"}, "Cổng không có chuyên mục này."),
        ({"chuyen_muc": "999999"}, "Cổng không có chuyên mục này."),
        ({"chuyen_muc": "\x00"}, "Cổng không có chuyên mục này."),
    ],
)
def test_bad_filters_say_what_is_wrong(client, filtered_archive, params, message):
    response = client.get("/tim-kiem/", {"q": "tre em", **params})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content
    assert response.context["search_results"] is None


def test_a_category_of_another_site_is_refused(client, filtered_archive):
    other_home = HomePageFactory(parent=wagtail_root(), title="Xã Nà Phặc", slug="na-phac")
    Site.objects.create(hostname="naphac.example", root_page=other_home, site_name="Nà Phặc")
    elsewhere = BulletinIndexPageFactory(parent=other_home, title="Tin xã", slug="tin-xa")
    response = client.get("/tim-kiem/", {"q": "tre em", "chuyen_muc": elsewhere.pk})
    assert "Cổng không có chuyên mục này." in response.content.decode()


def test_sort_links_and_pages_keep_the_filters(client, filtered_archive, monkeypatch):
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 1)
    culture = filtered_archive["culture"]
    params = {"q": "tre em", "chuyen_muc": culture.pk, "tu_ngay": "2024-02-01", "sort": "newest"}
    response = client.get("/tim-kiem/", params)
    content = response.content.decode()
    kept = f"q=tre+em&amp;sort=newest&amp;chuyen_muc={culture.pk}&amp;tu_ngay=01%2F02%2F2024"
    assert f'href="?{kept}&amp;page=2"' in content
    relevance = kept.replace("sort=newest", "sort=relevance")
    assert f'href="?{relevance}"' in content
    second = client.get("/tim-kiem/", {**params, "page": "2"})
    assert [page.title for page in second.context["search_results"]] == [
        "Sân chơi cho trẻ em ở bản"
    ]


def test_no_results_under_filters_suggest_removing_them(client, filtered_archive):
    response = client.get("/tim-kiem/", {"q": "tre em", "tu_ngay": "01/01/2030"})
    content = response.content.decode()
    assert "Không tìm thấy bản tin nào." in content
    assert "Bỏ bớt bộ lọc" in content
    assert 'href="?q=tre+em&amp;sort=relevance"' in content
    plain = client.get("/tim-kiem/", {"q": "khinh khi cau"}).content.decode()
    assert "Bỏ bớt bộ lọc" not in plain


def test_titles_and_leads_are_highlighted_and_escaped(client, category):
    BulletinPageFactory(
        parent=category,
        title="Trẻ em <vùng cao> đón Tết",
        lead="Quà Tết & sách vở đến với trẻ em các bản xa.",
        paragraphs=["Nội dung."],
        author="",
    )
    content = client.get("/tim-kiem/", {"q": "tre em"}).content.decode()
    assert "<mark>Trẻ em</mark> &lt;vùng cao&gt; đón Tết" in content
    assert "Quà Tết &amp; sách vở đến với <mark>trẻ em</mark> các bản xa." in content
    assert "<vùng cao>" not in content


def test_telex_retry_highlights_what_was_searched(client, category):
    plain_bulletin(category, "Chăm lo cho trẻ em vùng cao")
    content = client.get("/tim-kiem/", {"q": "trer em"}).content.decode()
    assert "Chăm lo cho <mark>trẻ em</mark> vùng cao" in content


def test_language_filter_shows_only_for_several_languages(client, category):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    response = client.get("/tim-kiem/", {"q": "tre em", "ngon_ngu": "en"})
    assert "ngon_ngu" not in response.context["form"].fields
    assert 'name="ngon_ngu"' not in response.content.decode()
    assert response.context["search_results"].paginator.count == 1  # a stray ?ngon_ngu= is ignored


def test_language_filter(client, home, category, search_backend):
    """On every backend: a site translated into English searches both, or one language."""
    english = Locale.objects.create(language_code="en")
    home_en = HomePageFactory(
        parent=wagtail_root(),
        title="Home",
        slug="home-en",
        locale=english,
        translation_key=home.translation_key,
    )
    news_en = BulletinIndexPageFactory(parent=home_en, title="News", slug="news")
    vietnamese = plain_bulletin(category, "Hội nghị xúc tiến du lịch Bắc Kạn")
    english_bulletin = plain_bulletin(news_en, "Bac Kan tourism promotion conference")
    search_backend.index()

    response = client.get("/tim-kiem/", {"q": "bac kan", "ngon_ngu": ""})
    assert 'name="ngon_ngu"' in response.content.decode()
    assert set(response.context["search_results"]) == {vietnamese, english_bulletin}
    # Without a choice, the reader's language: Vietnamese at the root, English under /en/.
    reader_vi = client.get("/tim-kiem/", {"q": "bac kan"})
    assert list(reader_vi.context["search_results"]) == [vietnamese]
    reader_en = client.get("/en/tim-kiem/", {"q": "bac kan"})
    assert list(reader_en.context["search_results"]) == [english_bulletin]
    only_en = client.get("/tim-kiem/", {"q": "bac kan", "ngon_ngu": "en"})
    assert list(only_en.context["search_results"]) == [english_bulletin]
    only_vi = client.get("/tim-kiem/", {"q": "bac kan", "ngon_ngu": "vi"})
    assert list(only_vi.context["search_results"]) == [vietnamese]
    bad = client.get("/tim-kiem/", {"q": "bac kan", "ngon_ngu": "fr"})
    assert "Cổng không có ngôn ngữ này." in bad.content.decode()


def test_queries_are_logged_for_promotions_once_per_search(client, category):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    client.get("/tim-kiem/", {"q": "Trẻ  em"})
    client.get("/tim-kiem/", {"q": "trẻ em", "page": "2"})  # reading on is the same search
    client.get("/tim-kiem/", {"q": "*"})  # nothing searched, nothing logged
    assert Query.get("trẻ em").hits == 1
    assert list(Query.objects.values_list("query_string", flat=True)) == ["trẻ em"]


def test_promoted_results_come_first(client, category):
    organic = plain_bulletin(category, "Thông báo học phí năm học mới")
    picked = plain_bulletin(category, "Quyết định miễn giảm cho học sinh vùng khó")
    draft = plain_bulletin(category, "Bản nháp chưa đăng")
    draft.unpublish()
    pick_query = Query.get("học phí")
    SearchPromotion.objects.create(
        query=pick_query, page=picked, sort_order=0, description="Mức miễn giảm mới."
    )
    SearchPromotion.objects.create(query=pick_query, page=draft, sort_order=1)
    SearchPromotion.objects.create(
        query=pick_query,
        external_link_url="https://example.org/hoc-phi",
        external_link_text="Tra cứu học phí",
        sort_order=2,
    )
    for typed in ["học phí", "hoc phi", "HỌC PHÍ"]:
        response = client.get("/tim-kiem/", {"q": typed})
        assert [pick.title for pick in response.context["promotions"]] == [
            picked.title,
            "Tra cứu học phí",
        ], typed
        assert list(response.context["search_results"]) == [organic]
        content = response.content.decode()
        assert content.index(picked.title) < content.index('class="search-results"')
        assert "Mức miễn giảm mới." in content
        assert draft.title not in content

    assert client.get("/tim-kiem/", {"q": "hoc"}).context["promotions"] == []
    filtered = client.get("/tim-kiem/", {"q": "hoc phi", "tu_ngay": "01/01/2000"})
    assert filtered.context["promotions"] == []


@pytest.mark.parametrize("query", ["", " ", "*", '"', "\x00", "~:"])
def test_blank_queries_ask_for_a_word(client, category, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert "Chưa có từ khóa để tìm" in response.content.decode()
    assert response.context["search_results"] is None


def test_overlong_queries_are_shortened_with_a_notice(client, category):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    response = client.get("/tim-kiem/", {"q": "tre em " + "a" * 5000})
    content = response.content.decode()
    assert "Từ khóa quá dài: chỉ 200 ký tự đầu được dùng để tìm." in content
    assert len(response.context["search_query"]) <= 200


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1e9", "2.5", "\x00", "9" * 50])
def test_bad_page_numbers_get_a_notice(client, category, page):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    response = client.get("/tim-kiem/", {"q": "tre em", "page": page})
    assert "Số trang không hợp lệ; đang hiện trang đầu." in response.content.decode()
    assert response.context["search_results"].number == 1


def test_pages_past_the_end_show_the_last(client, category):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    response = client.get("/tim-kiem/", {"q": "tre em", "page": "7"})
    assert "Không có trang này; đang hiện trang 1." in response.content.decode()


def test_results_past_the_cap_are_counted_as_the_cap(client, category, search_backend, monkeypatch):
    """On every backend: the count stops at MAX_RESULTS, as the pages do, so the page links
    never lead past the results shown (a common word matches most of a large archive)."""
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 2)
    monkeypatch.setattr("search.views.MAX_RESULTS", 3)
    for number in range(5):
        plain_bulletin(category, f"Trẻ em vùng cao đón Tết lần {number + 1}")
    search_backend.index()

    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert response.context["search_results"].paginator.count == 3
    assert "Hiện 3 kết quả đầu tiên cho “tre em”" in response.content.decode()

    response = client.get("/tim-kiem/", {"q": "tre em", "page": "3"})
    assert "Không có trang này; đang hiện trang 2." in response.content.decode()
    assert len(response.context["search_results"]) == 1
