import unicodedata

import pytest

from search.vietnamese import (
    fold,
    folded_text,
    has_diacritics,
    marked_text,
    marked_word,
    normalise,
    words,
)


@pytest.mark.parametrize(
    "text, folded",
    [
        ("trẻ em", "tre em"),
        ("Bắc Kạn", "bac kan"),
        ("đường", "duong"),
        ("ĐƯỜNG", "duong"),
        ("Nguyễn", "nguyen"),
        ("1566/UND-VXNV", "1566/und-vxnv"),
    ],
)
def test_fold_removes_every_vietnamese_mark(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("goá phụ", "góa phụ"),
        ("Goà", "Gòa"),
    ],
)
def test_normalise_unifies_tone_placement(old, new):
    assert normalise(old) == new
    assert normalise(new) == new
    assert normalise(unicodedata.normalize("NFD", old)) == new


@pytest.mark.parametrize(
    "word",
    # The last ones carry a dot below under a circumflex or breve: in NFD the dot comes first
    # ("luật" is u, a, dot below, circumflex), and they are no old-style "oa", "oe", "uy".
    ["quý", "quỳnh", "hoàn", "toàn", "khoản", "thuyền"]
    + ["luật", "thuật", "xuất", "nhuận", "hoặc", "Huệ", "trí tuệ", "LUẬT"],
)
def test_normalise_leaves_other_syllables_alone(word):
    assert normalise(word) == word
    assert normalise(unicodedata.normalize("NFD", word)) == word


def test_has_diacritics():
    assert has_diacritics("trẻ em")
    assert not has_diacritics("tre em")


def test_words_split_on_anything_but_letters_and_digits():
    assert words("Công văn số 1566/UND-VXNV, ngày 12.3") == [
        "Công", "văn", "số", "1566", "UND", "VXNV", "ngày", "12", "3"
    ]  # fmt: skip
    assert words(unicodedata.normalize("NFD", "Hoà Bình")) == ["Hòa", "Bình"]


def test_folded_text_is_what_the_shadow_fields_index():
    assert folded_text("Đường Bắc Kạn", None, "1566/UND-VXNV") == "duong bac kan 1566 und vxnv"
    assert folded_text(unicodedata.normalize("NFD", "Nguyễn")) == "nguyen"


@pytest.mark.parametrize(
    "word, marked",
    [
        ("bắc", "0ba81c"),
        ("bác", "0ba1c"),
        ("Bạc", "0ba5c"),
        ("đường", "0d9u7o72ng"),
        ("hoà", "0ho2a"),
        ("hòa", "0ho2a"),
        ("trẻ", "0tre3"),
        ("tre", None),
        ("1566", None),
    ],
)
def test_marked_word_keeps_every_diacritic(word, marked):
    assert marked_word(word) == marked
    assert marked_word(unicodedata.normalize("NFD", word)) == marked


def test_marked_text_keeps_only_words_with_diacritics():
    assert marked_text("Trẻ em Bắc Kạn", "tre") == "0tre3 0ba81c 0ka5n"
