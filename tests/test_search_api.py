"""Wagtail API v2 at /api/v2/: `?search=` is the Vietnamese search, scoped to the site."""

import datetime

import pytest
from django.utils import translation
from wagtail.models import Site

from search.api import LARGEST_OFFSET
from search.api_messages import in_readers_language
from tests.conftest import wagtail_root
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
BULLETINS = "bulletins.BulletinPage"


def api_bulletin(category, title: str, lead: str, date: datetime.date):
    return BulletinPageFactory(
        parent=category, title=title, lead=lead, date=date, paragraphs=[lead], author=""
    )


@pytest.fixture
def api_archive(category, search_backend):
    pages = {
        "children": api_bulletin(
            category,
            "Chăm lo Tết cho trẻ em vùng cao",
            "Quà Tết đến với trẻ em các bản xa.",
            datetime.date(2024, 1, 20),
        ),
        "bac_kan": api_bulletin(
            category,
            "Bắc Kạn đón bằng công nhận",
            "Tỉnh nhận bằng công nhận của Trung ương.",
            datetime.date(2024, 2, 2),
        ),
        "road": api_bulletin(
            category,
            "Nâng cấp đường tỉnh 258",
            "Tuyến đường dài 12 km được trải nhựa cho trẻ em đi học.",
            datetime.date(2024, 3, 3),
        ),
    }
    search_backend.index()
    return pages


def test_search_is_vietnamese_aware_and_shows_bulletin_fields(client, api_archive):
    """On every backend: unaccented queries find bulletins, with title, date, lead and url."""
    response = client.get(PAGES, {"type": BULLETINS, "search": "bac kan"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meta"]["total_count"] == 1
    [item] = body["items"]
    bulletin = api_archive["bac_kan"]
    assert item["id"] == bulletin.pk
    assert item["title"] == "Bắc Kạn đón bằng công nhận"
    assert item["date"] == "2024-02-02"
    assert item["lead"] == "Tỉnh nhận bằng công nhận của Trung ương."
    assert item["url"] == bulletin.url
    assert item["meta"]["html_url"].endswith(bulletin.url)

    for query in ["duong", "ĐƯỜNG", "đường tỉnh 258", '"duong tinh"']:
        found = client.get(PAGES, {"type": BULLETINS, "search": query}).json()["items"]
        assert [item["id"] for item in found] == [api_archive["road"].pk], query


def test_search_without_a_type_finds_bulletins_among_pages(client, api_archive):
    response = client.get(PAGES, {"search": "tre em"})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {api_archive["children"].pk, api_archive["road"].pk}


def test_search_can_be_ordered_newest_first(client, api_archive):
    response = client.get(PAGES, {"type": BULLETINS, "search": "tre em", "order": "-date"})
    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == [api_archive["road"].pk, api_archive["children"].pk]


@pytest.mark.parametrize("typed", ["tre3 em", "trer em"])
def test_telex_and_vni_keys_are_tried_when_nothing_matches(client, api_archive, typed):
    """On every backend, as on the reader search page: the conversion is searched, and said."""
    response = client.get(PAGES, {"type": BULLETINS, "search": typed})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meta"]["search_retried_as"] == "trẻ em"
    assert body["meta"]["total_count"] == 2
    ids = {item["id"] for item in body["items"]}
    assert ids == {api_archive["children"].pk, api_archive["road"].pk}


def test_telex_is_not_tried_when_the_query_finds_something(client, api_archive):
    body = client.get(PAGES, {"type": BULLETINS, "search": "duong"}).json()
    assert [item["id"] for item in body["items"]] == [api_archive["road"].pk]
    assert "search_retried_as" not in body["meta"]


def test_telex_retry_keeps_the_requested_order(client, api_archive):
    params = {"type": BULLETINS, "search": "tre3 em", "order": "-date"}
    body = client.get(PAGES, params).json()
    assert body["meta"]["search_retried_as"] == "trẻ em"
    assert [item["id"] for item in body["items"]] == [
        api_archive["road"].pk,
        api_archive["children"].pk,
    ]


def test_nothing_found_even_converted_says_nothing_was_retried(client, api_archive):
    body = client.get(PAGES, {"type": BULLETINS, "search": "khinh khis caauf"}).json()
    assert body["meta"]["total_count"] == 0
    assert body["items"] == []
    assert "search_retried_as" not in body["meta"]


def test_search_is_scoped_to_the_requests_site(client, api_archive, search_backend):
    other_home = HomePageFactory(parent=wagtail_root(), title="Xã Nà Phặc", slug="na-phac")
    Site.objects.create(hostname="naphac.example", root_page=other_home, site_name="Nà Phặc")
    news = BulletinIndexPageFactory(parent=other_home, title="Tin xã", slug="tin-xa")
    theirs = api_bulletin(
        news, "Xã Nà Phặc tặng quà trẻ em", "Quà cho trẻ em.", datetime.date(2024, 4, 1)
    )
    search_backend.index()
    ours = {api_archive["children"].pk, api_archive["road"].pk}
    params = {"type": BULLETINS, "search": "tre em"}
    here = client.get(PAGES, params).json()["items"]
    assert {item["id"] for item in here} == ours
    there = client.get(PAGES, params, HTTP_HOST="naphac.example").json()["items"]
    assert [item["id"] for item in there] == [theirs.pk]


@pytest.mark.parametrize("query", ["", " ", '"', "*", "~", ":", "\x00", "\x1b", "()"])
def test_nothing_to_search_is_a_400_in_vietnamese(client, category, query):
    response = client.get(PAGES, {"type": BULLETINS, "search": query})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Từ khóa tìm kiếm không có chữ hoặc số nào; hãy nhập từ cần tìm."
    )


@pytest.mark.parametrize(
    "params",
    [
        {"locale": "\x00"},
        {"site": "\x00"},
        {"search": "tre em", "locale": "vi\x00"},
        {"type": BULLETINS, "search": "tre em", "site": "\x00"},
    ],
)
def test_a_nul_character_in_a_filter_is_a_400(client, category, params):
    """PostgreSQL compares no text with a NUL in it: the filter failed there, a 500."""
    response = client.get(PAGES, params)
    assert response.status_code == 400
    assert response.json()["message"] == "Tham số không được chứa ký tự NUL."


@pytest.mark.parametrize(
    "params, vietnamese",
    [
        ({"locale": "xx"}, "Không có ngôn ngữ này (tham số locale)."),
        ({"child_of": "abc"}, "child_of phải là một số nguyên dương."),
        ({"child_of": "999999"}, "Không có trang cha này (tham số child_of)."),
        ({"type": "bulletins.NoSuchPage"}, "Không có loại trang này (tham số type)."),
        ({"limit": "1000"}, "limit không được lớn hơn 20."),
        ({"order": "nope"}, "Không thể sắp xếp theo “nope”: không có trường này."),
        ({"colour": "red"}, "Tham số không được hỗ trợ: colour."),
    ],
)
def test_wagtails_own_api_errors_are_in_the_readers_language(client, category, params, vietnamese):
    response = client.get(PAGES, params)
    assert response.status_code in (400, 404)
    assert response.json()["message"] == vietnamese


@pytest.mark.parametrize("site", ["localhost:abc", "localhost:", ":"])
def test_a_site_filter_whose_port_is_no_number_is_a_vietnamese_400(client, category, site):
    response = client.get(PAGES, {"site": site})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Số cổng trong tham số site phải là một số nguyên, ví dụ localhost:80."
    )


def test_a_site_filter_that_several_sites_match_is_a_vietnamese_400(client, home):
    Site.objects.create(hostname="localhost", port=8000, root_page=home)
    response = client.get(PAGES, {"site": "localhost"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Có nhiều trang web cùng tên máy này")


def test_wagtails_api_errors_stay_as_written_in_another_language():
    with translation.override("en"):
        assert in_readers_language("limit cannot be higher than 20") == (
            "limit cannot be higher than 20"
        )
    assert in_readers_language("something Wagtail may add later") == (
        "something Wagtail may add later"
    )


def test_an_unknown_page_id_is_a_vietnamese_404(client, category):
    response = client.get(f"{PAGES}999999/")
    assert response.status_code == 404
    assert response.json()["message"] == "Không tìm thấy trang."


def test_a_page_of_another_type_than_asked_is_a_vietnamese_404(client, bulletin):
    response = client.get(f"{PAGES}{bulletin.pk}/", {"type": "bulletins.BulletinIndexPage"})
    assert response.status_code == 404
    assert response.json()["message"] == "Không tìm thấy trang."


@pytest.mark.parametrize("offset", [str(LARGEST_OFFSET + 1), str(2**63), "9" * 23])
def test_an_offset_no_database_can_take_is_a_400(client, category, offset):
    for query in ({"offset": offset}, {"type": BULLETINS, "search": "tre em", "offset": offset}):
        response = client.get(PAGES, query)
        assert response.status_code == 400
        assert response.json()["message"] == f"offset quá lớn: tối đa {LARGEST_OFFSET}."
    assert client.get(PAGES, {"offset": str(LARGEST_OFFSET)}).json()["items"] == []


@pytest.mark.parametrize("order", [None, "-date", "title", "-id"])
def test_a_deep_offset_lists_what_a_shallow_one_would(client, category, monkeypatch, order):
    """Past SKIP_BY_ID_FROM the database skips ids, then the page's rows are read by id: the
    same items, in the same order, with the same fields."""
    # No two alike in any order asked for: rows that tie come back in either order.
    for day in (3, 1, 4, 7, 5, 9, 2):
        BulletinPageFactory(
            parent=category, title=f"Bản tin ngày {day:02d}", date=datetime.date(2024, 5, day)
        )
    query = {"type": BULLETINS, "fields": "date,lead", "offset": "2", "limit": "4"}
    if order:
        query["order"] = order
    shallow = client.get(PAGES, query).json()
    monkeypatch.setattr("search.api.SKIP_BY_ID_FROM", 1)
    deep = client.get(PAGES, query).json()
    assert deep == shallow
    assert len(deep["items"]) == 4 and deep["meta"]["total_count"] == 7


@pytest.mark.parametrize("params", [{"search": "tre em"}, {"format": "xml"}])
def test_a_404_without_a_message_of_its_own_says_the_page_was_not_found(client, bulletin, params):
    response = client.get(f"{PAGES}{bulletin.pk}/", params)
    assert response.status_code == 404
    assert response.json()["message"] == "Không tìm thấy trang."


@pytest.mark.parametrize("page_id", ["abc", "1.5", "' OR 1=1--"])
def test_finding_a_page_by_an_id_that_is_no_number_is_a_400(client, category, page_id):
    response = client.get(PAGES + "find/", {"id": page_id})
    assert response.status_code == 400
    assert response.json()["message"] == "id phải là một số nguyên."


def test_finding_a_page_by_its_id_redirects_to_it(client, category):
    response = client.get(PAGES + "find/", {"id": category.pk})
    assert response.status_code == 302
    assert f"/api/v2/pages/{category.pk}/" in response["Location"]


@pytest.mark.parametrize("date", ["abc", "2024-13-45", "2024-02-30"])
def test_a_date_filter_that_is_no_date_is_a_400(client, category, date):
    response = client.get(PAGES, {"type": BULLETINS, "date": date})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Giá trị lọc không hợp lệ: ")


@pytest.mark.parametrize("date", ["abc", "2024-13-45", "2024-02-30", "0000-01-01"])
def test_a_date_filter_that_is_no_date_is_explained_in_vietnamese(client, category, date):
    response = client.get(PAGES, {"type": BULLETINS, "date": date})
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Giá trị lọc không hợp lệ: “{date}” không phải là ngày (date); "
        "hãy viết năm-tháng-ngày, ví dụ 2024-05-01."
    )


def test_a_date_filter_finds_the_bulletins_of_that_day(client, category):
    bulletin = BulletinPageFactory(parent=category)
    query = {"type": BULLETINS, "date": bulletin.date.isoformat()}
    assert [item["id"] for item in client.get(PAGES, query).json()["items"]] == [bulletin.pk]


@pytest.mark.parametrize("order", ["slug", "random"])
def test_ordering_by_a_field_the_index_cannot_sort_is_a_400(client, category, order):
    response = client.get(PAGES, {"type": BULLETINS, "search": "tre em", "order": order})
    assert response.status_code == 400
    assert "Không thể sắp xếp theo" in response.json()["message"]


def test_random_order_refused_in_a_search_is_named_as_the_reader_wrote_it(client, category):
    response = client.get(PAGES, {"type": BULLETINS, "search": "tre em", "order": "random"})
    assert response.status_code == 400
    assert response.json()["message"] == "Không thể sắp xếp theo “random” khi tìm kiếm."


def test_search_answers_its_first_results_only(client, api_archive, monkeypatch):
    """On every backend: as on the reader page, the first MAX_RESULTS results, counted up to
    there (a common word would otherwise be counted over most of the archive)."""
    query = {"type": BULLETINS, "search": "tre em"}
    assert client.get(PAGES, query).json()["meta"]["total_count"] == 2
    monkeypatch.setattr("search.api.MAX_RESULTS", 1)
    body = client.get(PAGES, query).json()
    assert body["meta"]["total_count"] == 1 and len(body["items"]) == 1
    assert client.get(PAGES, {**query, "offset": "1"}).json()["items"] == []


@pytest.mark.parametrize("order", ["-date", "date,title"])
def test_paging_by_offset_lists_each_bulletin_once_when_their_dates_tie(client, category, order):
    """Imported bulletins often share a date. The database may order rows that tie
    differently from one query to the next, so offset pages could repeat some and skip
    others: the page's id breaks the tie."""
    days = [datetime.date(2024, 3, day) for day in (1, 1, 1, 2, 2, 2, 2, 3)]
    created = {
        BulletinPageFactory(parent=category, title="Bản tin", date=day).pk for day in days * 3
    }
    listed = []
    for offset in range(0, len(created), 5):
        query = {"type": BULLETINS, "order": order, "offset": offset, "limit": 5}
        listed += [item["id"] for item in client.get(PAGES, query).json()["items"]]
    assert sorted(listed) == sorted(created)


def test_paging_search_results_by_offset_lists_each_once_when_their_dates_tie(
    client, category, search_backend
):
    """`?search=…&order=-date`: the backends order results that tie by id too."""
    days = [datetime.date(2024, 3, day) for day in (1, 1, 1, 2, 2, 2, 2, 3)]
    created = {
        api_bulletin(category, f"Cầu treo số {n}", "Cầu treo cho trẻ em đi học.", day).pk
        for n, day in enumerate(days * 3)
    }
    search_backend.index()
    listed = []
    for offset in range(0, len(created), 5):
        query = {"search": "cau treo", "order": "-date", "offset": offset, "limit": 5}
        response = client.get(PAGES, {"type": BULLETINS, **query})
        assert response.status_code == 200, response.content
        listed += [item["id"] for item in response.json()["items"]]
    assert sorted(listed) == sorted(created)
