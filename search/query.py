"""Turning what a reader typed into a query the search backends accept.

`clean_query` makes the text safe to show and to search (no control characters, no backend
syntax, double quotes only in balanced pairs); `parse_query` splits it into words and quoted
phrases; `build_search_query` turns those into modelsearch query objects that every backend
(SQLite FTS5, PostgreSQL, Elasticsearch, OpenSearch) compiles the same way.
"""

import unicodedata
from dataclasses import dataclass

from modelsearch.query import And, Or, Phrase, PlainText, SearchQuery

from .vietnamese import folded_words, marked_word, words

MAX_QUERY_LENGTH = 200
# Every word is required, so a pasted paragraph would find nothing and cost a lot; a long
# title's worth of words is plenty to find any bulletin.
MAX_WORDS = 32

# Word processors and phones type typographic quotes; readers mean a phrase with any of them.
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»＂", '"'))
# Letters, digits, the joiners of document numbers and names ("1566/UBND-VXNV", "TP.HCM") and
# the phrase quote survive; every other character (FTS5 and tsquery operators, "*", "~", ":",
# apostrophes, brackets) becomes a space.
_KEPT_PUNCTUATION = frozenset('/-."')


def clean_query(raw: str) -> str:
    """NFC text without control characters or backend syntax, at most MAX_QUERY_LENGTH long.

    Double quotes are kept in balanced pairs around a phrase (`"trẻ em" Bắc Kạn`); a quote left
    open, or a pair with nothing inside, is dropped.
    """
    text = unicodedata.normalize("NFC", raw).translate(_QUOTES)
    # Tabs and line breaks separate words; other control and format characters (NUL, escape,
    # zero-width joiners) are dropped where they stand.
    kept = (
        char if char.isalnum() or char in _KEPT_PUNCTUATION else " "
        for char in text
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    segments = " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].split('"')
    if len(segments) % 2 == 0:  # an odd number of quotes: the last one opens nothing
        segments[-2:] = [" ".join(" ".join(segments[-2:]).split())]
    parts = (
        f'"{segment.strip()}"' if index % 2 else segment.strip()
        for index, segment in enumerate(segments)
    )
    return " ".join(part for part in parts if part.strip('" '))


@dataclass(frozen=True)
class ParsedQuery:
    """Normalised words to find anywhere, and phrases whose words must be adjacent."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def words(self) -> list[str]:
        return [*self.terms, *(word for phrase in self.phrases for word in phrase)]


def parse_query(cleaned: str) -> ParsedQuery:
    """The words and phrases of a `clean_query` result.

    A token made of several words ("1566/UBND-VXNV", "Rịa-Vũng") is a phrase too, so a document
    number finds the texts that cite it, not every text that has its parts somewhere.
    """
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    budget = MAX_WORDS
    for index, segment in enumerate(cleaned.split('"')):
        quoted = index % 2 == 1
        for group in [words(segment)] if quoted else [words(token) for token in segment.split()]:
            group = group[: max(budget, 0)]
            budget -= len(group)
            if len(group) == 1:
                terms.append(group[0])
            elif group:
                phrases.append(tuple(group))
    return ParsedQuery(tuple(terms), tuple(phrases))


def _folded(words_: tuple[str, ...]) -> str:
    return " ".join(folded for word in words_ for folded in folded_words(word))


def build_search_query(parsed: ParsedQuery) -> SearchQuery | None:
    """The query for the indexed text: folded words must match, exact diacritics rank higher.

    Documents index folded shadow fields ("duong bac kan") and marked tokens ("0d9u7o72ng"), see
    search.vietnamese. Matching is on the folded words (every term, every phrase), so "tre em",
    "trẻ em" and a decomposed "trẻ em" find the same bulletins. When the reader typed diacritics,
    a second branch also asks for their marked tokens: bulletins spelled as typed match both
    branches and outrank those that only match folded, on every backend.
    """
    parts: list[SearchQuery] = []
    if parsed.terms and (folded_terms := _folded(parsed.terms)):
        parts.append(PlainText(folded_terms, operator="and"))
    parts.extend(Phrase(folded) for phrase in parsed.phrases if (folded := _folded(phrase)))
    if not parts:
        return None
    folded_query = parts[0] if len(parts) == 1 else And(parts)
    marked = dict.fromkeys(token for word in parsed.words if (token := marked_word(word)))
    if not marked:
        return folded_query
    exact = PlainText(" ".join(marked), operator="or")
    return Or([folded_query, And([folded_query, exact])])
