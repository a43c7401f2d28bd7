"""Raw Telex and VNI keys typed without an input method, turned back into Vietnamese."""

import pytest

from search.telex import convert_typing


@pytest.mark.parametrize(
    "typed, vietnamese",
    [
        ("trer em", "trẻ em"),
        ("tre3 em", "trẻ em"),
        ("vieetj nam", "việt nam"),
        ("vie6t5 nam", "việt nam"),
        ("Vieetj Nam", "Việt Nam"),
        ("dduwowngf", "đường"),
        ("d9u7o7ng2", "đường"),
        ("nhwngx", "những"),
        ("tw vaasn", "tư vấn"),
        ("ddwowngf", "đường"),
        ("Nguyeenx", "Nguyễn"),
        ("bawcs kanj", "bắc kạn"),
        ("hoaf", "hòa"),
        ("quys", "quý"),
        ("giaf", "già"),
        ("nguwowif", "người"),
        ("ngoaif", "ngoài"),
        ("tieengs", "tiếng"),
        ("muwa", "mưa"),
        ("Ddawks Lawks", "Đắk Lắk"),
        ("Dda8k1 La8k1", "Đắk Lắk"),
        ('"trer em" 1566', '"trẻ em" 1566'),
    ],
)
def test_keys_become_vietnamese(typed, vietnamese):
    assert convert_typing(typed) == vietnamese


@pytest.mark.parametrize(
    "typed",
    ["tre em", "trẻ em", "bac kan", "covid", "UBND", "1566/UND-VXNV", "sao", "xa"]
    + ["wifi", "web", "www", "w"],
)
def test_words_that_are_not_keys_stay_as_typed(typed):
    assert convert_typing(typed) == typed


@pytest.mark.parametrize(
    "typed, vietnamese",
    [
        ("hoawcj", "hoặc"),
        ("hoawjc", "hoặc"),
        ("xoawns", "xoắn"),
        ("ngoawcj", "ngoặc"),
        ("khoawng", "khoăng"),
        ("luaajt ddaats ddai", "luật đất đai"),
        ("chij hueej", "chị huệ"),
    ],
)
def test_w_after_oa_is_the_as_breve_and_dot_below_words_stay_whole(typed, vietnamese):
    assert convert_typing(typed) == vietnamese
