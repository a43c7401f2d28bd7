"""Vietnamese text analysis shared by every search backend.

Readers type with or without diacritics, in composed or decomposed Unicode, with the old or
the new tone placement ("hoà"/"hòa"). Documents and queries both pass through `normalise`
(one canonical spelling) and, for diacritic-insensitive matching, `fold` (plain ASCII).
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Tone marks (as combining characters) and the vowels they may sit on.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Old-style placement puts the tone on the second vowel of "oa", "oe", "uy" when nothing
# follows ("hoà", "khoẻ", "thuỷ"); the new style puts it on the first ("hòa", "khỏe", "thủy").
# The tone must be the vowel's only mark and end the syllable: in NFD the dot below comes before
# a circumflex or breve ("luật" is u, a, dot below, circumflex), and those vowels are no
# old-style "oa", "oe", "uy". After "q" the u belongs to the onset ("quý", "quà") and the
# tone stays where it is; after "g" the o is a vowel like any other ("goá" is "góa").
_OLD_STYLE = re.compile(
    r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])"
)


def normalise(text: str) -> str:
    """NFC text with the tone of "oa", "oe", "uy" at a syllable's end on the first vowel."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(r"\1\3\2", decomposed))


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics: "Đường Bắc Kạn" → "duong bac kan"."""
    return anyascii(unicodedata.normalize("NFC", text)).lower()


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


# Words are runs of letters and digits; everything else (spaces, punctuation, "/" and "-" inside
# document numbers such as "1566/UBND-VXNV") separates them. Every backend tokenises the text we
# hand it the same way, so documents and queries always split alike.
_WORD = re.compile(r"[^\W_]+")

# Each Vietnamese mark as a digit, in the VNI keyboard's numbering (tones 1-5, vowel marks 6-8,
# đ 9), so that a word with diacritics can be indexed as one plain ASCII token.
_MARK_DIGITS = {
    "\u0301": "1",  # sắc
    "\u0300": "2",  # huyền
    "\u0309": "3",  # hỏi
    "\u0303": "4",  # ngã
    "\u0323": "5",  # nặng
    "\u0302": "6",  # â ê ô
    "\u031b": "7",  # ơ ư
    "\u0306": "8",  # ă
}


def words(text: str) -> list[str]:
    """The words of `text`, normalised (NFC, canonical tone placement), case kept."""
    return _WORD.findall(normalise(text))


# Indexing analyses every word of every bulletin, and Vietnamese has only a few thousand
# syllables: per-word caches make indexing an archive several times faster.
_WORD_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _folded_word(word: str) -> tuple[str, ...]:
    # Folding can itself produce punctuation ("½" → "1/2"), hence the split.
    return tuple(_WORD.findall(fold(word)))


def folded_words(text: str) -> list[str]:
    """The words of `text` folded to lower-case ASCII: "Đường 1566/UBND" → duong, 1566, ubnd."""
    return [folded for word in words(text) for folded in _folded_word(word)]


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def marked_word(word: str) -> str | None:
    """One ASCII token that keeps a word's diacritics: "bắc" → "0ba81c", "bác" → "0ba1c".

    FTS5's tokenizer strips a single diacritic but keeps a letter with two ("bác" → "bac",
    "bắc" → "bắc"), so the original text can't tell exact matches from folded ones on SQLite.
    These tokens can, on every backend. The leading 0 keeps them apart from anything a reader
    types ("A1", or VNI keys such as "tre3"). None for a word without diacritics.
    """
    encoded: list[str] = []
    has_marks = False
    for char in unicodedata.normalize("NFD", normalise(word).lower()):
        if char in _MARK_DIGITS:
            encoded.append(_MARK_DIGITS[char])
            has_marks = True
        elif char == "đ":
            encoded.append("d9")
            has_marks = True
        elif not unicodedata.combining(char):
            encoded.append(fold(char))
    token = "".join(part for part in encoded if part.isascii() and part.isalnum())
    return "0" + token if has_marks and token else None


def folded_text(*texts: str | None) -> str:
    """The folded words of all `texts`, space-separated: what the folded shadow fields index."""
    return " ".join(word for text in texts if text for word in folded_words(text))


def marked_text(*texts: str | None) -> str:
    """The marked tokens of every word with diacritics in `texts`, space-separated."""
    tokens = (marked_word(word) for text in texts if text for word in words(text))
    return " ".join(token for token in tokens if token)
