"""The reader's words marked in result titles and snippets, with or without diacritics.

A reader who typed "tre em" should see "<mark>trẻ em</mark>" in the lead: words are compared
folded (search.vietnamese.fold), so diacritics, case, tone placement and NFD text don't matter.
The text is HTML-escaped piece by piece and only our own <mark> tags are left unescaped.
"""

import re
import unicodedata
from collections.abc import Collection

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .vietnamese import fold

SNIPPET_WORDS = 40
# Words kept before the first match when the snippet can't start at the beginning.
SNIPPET_CONTEXT = 8
ELLIPSIS = "…"

# The same word boundaries as search.vietnamese.words, on NFC text.
_WORD = re.compile(r"[^\W_]+")
# Matches separated only by spaces ("trẻ em") become one <mark>.
_BETWEEN_MARKS = re.compile(r"[^\S\n]+")


def _match_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        if fold(match.group()) not in terms:
            continue
        start, end = match.span()
        if spans and _BETWEEN_MARKS.fullmatch(text, spans[-1][1], start):
            start = spans.pop()[0]
        spans.append((start, end))
    return spans


def _marked(text: str, terms: Collection[str]) -> str:
    pieces, position = [], 0
    for start, end in _match_spans(text, terms):
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def highlight(text: str, terms: Collection[str]) -> SafeString:
    """`text` as safe HTML, each word whose folded form is in `terms` inside <mark>.

    `terms` are folded words, as search.vietnamese.folded_words gives them for the query.
    """
    return mark_safe(_marked(unicodedata.normalize("NFC", text or ""), terms))


def snippet(
    text: str,
    terms: Collection[str],
    max_words: int = SNIPPET_WORDS,
    context: int = SNIPPET_CONTEXT,
) -> SafeString:
    """At most `max_words` words of `text`, around the first match when it comes late, marked.

    Cut ends are shown with "…"; line breaks become spaces.
    """
    tokens = unicodedata.normalize("NFC", text or "").split()
    start = 0
    if len(tokens) > max_words:
        first = next(
            (
                index
                for index, token in enumerate(tokens)
                if any(fold(word) in terms for word in _WORD.findall(token))
            ),
            None,
        )
        if first is not None and first >= max_words - context:
            start = min(first - context, len(tokens) - max_words)
    window = tokens[start : start + max_words]
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if start + max_words < len(tokens) else ""
    return mark_safe(prefix + _marked(" ".join(window), terms) + suffix)
