"""Marking the reader's words in result titles and snippets (search.highlight)."""

import unicodedata

import pytest

from search.highlight import highlight, snippet
from search.vietnamese import folded_words


def terms(query: str) -> frozenset[str]:
    return frozenset(folded_words(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tre em", "Chăm lo Tết cho <mark>trẻ em</mark> vùng cao"),
        ("TRẺ", "Chăm lo Tết cho <mark>trẻ</mark> em vùng cao"),
        ("tet", "Chăm lo <mark>Tết</mark> cho trẻ em vùng cao"),
        ("vung tre", "Chăm lo Tết cho <mark>trẻ</mark> em <mark>vùng</mark> cao"),
        ("khinh khí cầu", "Chăm lo Tết cho trẻ em vùng cao"),
    ],
)
def test_words_are_marked_whatever_the_diacritics(query, expected):
    assert highlight("Chăm lo Tết cho trẻ em vùng cao", terms(query)) == expected


def test_decomposed_text_and_old_tone_placement_are_marked():
    text = unicodedata.normalize("NFD", "Khu du lịch Hoà Phú")
    assert highlight(text, terms("hòa")) == "Khu du lịch <mark>Hoà</mark> Phú"
    assert highlight("Đường tỉnh 258", terms("duong 258")) == (
        "<mark>Đường</mark> tỉnh <mark>258</mark>"
    )


def test_only_whole_words_are_marked():
    assert highlight("Bản Nà Làng và làng nghề", terms("lang")) == (
        "Bản Nà <mark>Làng</mark> và <mark>làng</mark> nghề"
    )
    assert highlight("Khánh thành cầu treo", terms("cau tre")) == (
        "Khánh thành <mark>cầu</mark> treo"
    )


def test_document_numbers_are_marked_part_by_part():
    assert highlight("Công văn số 1566/UBND-VXNV", terms("1566/UBND-VXNV")) == (
        "Công văn số <mark>1566</mark>/<mark>UBND</mark>-<mark>VXNV</mark>"
    )


def test_html_is_escaped_and_only_marks_are_markup():
    text = 'Tiêu đề <script>alert("x")</script> & trẻ em <b>'
    marked = highlight(text, terms("tre em script"))
    assert marked == (
        "Tiêu đề &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;"
        " &amp; <mark>trẻ em</mark> &lt;b&gt;"
    )
    assert "<script" not in marked and "<b>" not in marked


def test_nothing_to_mark_is_still_escaped():
    assert highlight("a < b", frozenset()) == "a &lt; b"
    assert highlight("", terms("tre em")) == ""


def test_short_snippets_are_whole():
    lead = "Quà Tết đến với trẻ em các bản xa."
    assert snippet(lead, terms("tre em")) == "Quà Tết đến với <mark>trẻ em</mark> các bản xa."


def test_long_snippets_are_cut_at_the_end():
    lead = " ".join(["trẻ em", *(f"từ{n}" for n in range(60))])
    cut = snippet(lead, terms("tre em"), max_words=10)
    assert cut.startswith("<mark>trẻ em</mark> từ0")
    assert cut.endswith(" …")
    assert len(cut.replace("<mark>", "").replace("</mark>", "").split()) == 11  # 10 + "…"


def test_long_snippets_start_near_a_late_match():
    words = [f"từ{n}" for n in range(50)]
    words[30] = "Bắc"
    words[31] = "Kạn"
    cut = snippet("\n".join(words), terms("bac kan"), max_words=10, context=3)
    assert cut == "… từ27 từ28 từ29 <mark>Bắc Kạn</mark> từ32 từ33 từ34 từ35 từ36 …"


def test_a_match_near_the_end_keeps_a_full_window():
    words = [f"từ{n}" for n in range(20)]
    words[19] = "đường"
    cut = snippet(" ".join(words), terms("duong"), max_words=5, context=3)
    assert cut == "… từ15 từ16 từ17 từ18 <mark>đường</mark>"


def test_snippets_escape_html():
    lead = "<i>Trẻ em</i> " + " ".join(["x"] * 50)
    cut = snippet(lead, terms("tre"))
    assert cut.startswith("&lt;i&gt;<mark>Trẻ</mark> em&lt;/i&gt; x")
