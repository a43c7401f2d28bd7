"""What a reader types, turned into a safe query: cleaning, words and phrases, query objects."""

import unicodedata

import pytest
from modelsearch.query import And, Or, Phrase, PlainText

from search.query import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    ParsedQuery,
    build_search_query,
    clean_query,
    parse_query,
)


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("  trẻ   em ", "trẻ em"),
        (unicodedata.normalize("NFD", "trẻ em"), "trẻ em"),
        ('"trẻ em" Bắc Kạn', '"trẻ em" Bắc Kạn'),
        ("“trẻ em”", '"trẻ em"'),
        ("«trẻ em»", '"trẻ em"'),
        ('"', ""),
        ('""', ""),
        ('" "', ""),
        ('a "b c', "a b c"),
        ('"a" "b', '"a" b'),
        ("1566/UND-VXNV", "1566/UND-VXNV"),
        ("AND (", "AND"),
        ("*~:^()[]{}", ""),
        ("'; DROP TABLE wagtailcore_page; --", "DROP TABLE wagtailcore page --"),
        ("tre\x00em\x1b", "treem"),
        ("tre\tem\n", "tre em"),
    ],
)
def test_clean_query(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_clean_query_bounds_the_length_and_keeps_quotes_balanced():
    assert len(clean_query("a" * 5000)) == MAX_QUERY_LENGTH
    cleaned = clean_query('"' + "trẻ em " * 100 + '"')
    assert cleaned.count('"') % 2 == 0
    assert len(cleaned) <= MAX_QUERY_LENGTH + 2


def test_parse_query_splits_words_and_phrases():
    parsed = parse_query(clean_query('Hoà Bình "trẻ em" 1566/UND-VXNV'))
    assert parsed.terms == ("Hòa", "Bình")
    assert parsed.phrases == (("trẻ", "em"), ("1566", "UND", "VXNV"))
    assert parsed.words == ["Hòa", "Bình", "trẻ", "em", "1566", "UND", "VXNV"]


def test_parse_query_caps_the_number_of_words():
    parsed = parse_query(clean_query("từ " * 100))
    assert len(parsed.words) == MAX_WORDS


def test_a_query_with_nothing_searchable_is_empty():
    assert not parse_query(clean_query("*** ~~~"))
    assert build_search_query(ParsedQuery()) is None


def test_unaccented_query_is_folded_only():
    query = build_search_query(parse_query("tre em"))
    assert isinstance(query, PlainText)
    assert (query.query_string, query.operator) == ("tre em", "and")


def test_accented_query_adds_an_exact_branch():
    query = build_search_query(parse_query('bắc "trẻ em"'))
    assert isinstance(query, Or)
    folded, with_exact = query.subqueries
    assert isinstance(folded, And)
    assert [type(part) for part in folded.subqueries] == [PlainText, Phrase]
    assert folded.subqueries[0].query_string == "bac"
    assert folded.subqueries[1].query_string == "tre em"
    assert isinstance(with_exact, And)
    assert with_exact.subqueries[0] is folded
    exact = with_exact.subqueries[1]
    assert (exact.query_string, exact.operator) == ("0ba81c 0tre3", "or")


def test_old_and_new_tone_placement_build_the_same_query():
    assert repr(build_search_query(parse_query("hoà"))) == repr(
        build_search_query(parse_query("hòa"))
    )
