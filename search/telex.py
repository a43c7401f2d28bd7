"""Queries typed as raw Telex or VNI keys, turned back into Vietnamese.

A reader whose keyboard has no Vietnamese input method switched on types the keys themselves:
"trer em" or "tre3 em" for "trẻ em", "vieetj nam" for "việt nam". The search page tries this
conversion only when the query as typed finds nothing, and says what it searched for instead.

Each word is replayed key by key, as an input method would: tone keys (Telex s f r x j, VNI
1-5) set the syllable's tone once it has a vowel; vowel keys (Telex aa ee oo w dd, VNI 6 7 8 9)
mark the letter they belong to. A word is converted only if it used such a key and what comes
out is a well-formed Vietnamese syllable, so "covid", "UBND" or "1566" are left alone.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .vietnamese import normalise

_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_TONES.update({"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"})
_CIRCUMFLEX, _HORN, _BREVE = "\u0302", "\u031b", "\u0306"
_VOWELS = frozenset("aeiouy")
_ONSETS = frozenset(
    ["", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh"]
    + ["nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
)
# "k" ends syllables of Central Highlands names written in Vietnamese: Đắk Lắk, Đắk Nông.
_FINALS = frozenset(["", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"])
_SYLLABLE = re.compile(r"^([^aeiouy]*)([aeiouy]+)([^aeiouy]*)$")
# A word that may be raw keys: letters, and digits only after the first letter (VNI).
_KEYED_WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9]*\b")


@dataclass
class _Syllable:
    letters: list[str] = field(default_factory=list)  # ASCII base letters
    marks: dict[int, str] = field(default_factory=dict)  # index → circumflex, horn or breve
    tone: str = ""
    stroked_d: bool = False  # đ
    used_keys: bool = False

    def vowel_indexes(self) -> list[int]:
        return [i for i, letter in enumerate(self.letters) if letter in _VOWELS]

    def mark_last(self, candidates: str, mark: str) -> bool:
        for i in reversed(self.vowel_indexes()):
            if self.letters[i] in candidates and i not in self.marks:
                self.marks[i] = mark
                return True
        return False

    def horn(self) -> bool:
        """Telex w, VNI 7: "uo" takes two horns (ươ); otherwise the last o or u, or a's breve."""
        text = "".join(self.letters)
        if (i := text.rfind("oa")) >= 0 and i + 1 not in self.marks:
            return False  # "oa" + w is "oă" (hoặc, xoắn): the a's breve, never "ơa"
        if (i := text.rfind("uo")) >= 0 and i not in self.marks:
            self.marks[i] = self.marks[i + 1] = _HORN
            return True
        return self.mark_last("ou", _HORN)


def _replay(word: str) -> _Syllable:
    syllable = _Syllable()
    for key in word.lower():
        has_vowel = bool(syllable.vowel_indexes())
        consumed = False
        if key in _TONES and (has_vowel and not syllable.tone):
            syllable.tone, consumed = _TONES[key], True
        elif key in "aeo" and syllable.letters and key in syllable.letters[-3:]:
            consumed = syllable.mark_last(key, _CIRCUMFLEX)  # aa → â, ee → ê, oo → ô
        elif key == "6":
            consumed = syllable.mark_last("aeo", _CIRCUMFLEX)
        elif key in "w7":
            consumed = syllable.horn() or (key == "w" and syllable.mark_last("a", _BREVE))
            if not consumed and key == "w" and syllable.letters and not has_vowel:
                # Telex "w" after a consonant is "ư" on its own: "nhwngx" → "những", "tw" → "tư".
                syllable.marks[len(syllable.letters)] = _HORN
                syllable.letters.append("u")
                consumed = True
        elif key == "8":
            consumed = syllable.mark_last("a", _BREVE)
        elif key in "d9" and syllable.letters[:1] == ["d"] and not syllable.stroked_d:
            syllable.stroked_d = consumed = True  # dd → đ (no syllable ends in d), d9 → đ
        if consumed:
            syllable.used_keys = True
        elif key.isalpha():
            syllable.letters.append(key)
        else:
            return _Syllable()  # a digit that is no key here: not a typed syllable
    return syllable


def _tone_position(onset: str, vowels: str, final: str, start: int, marks: dict) -> int:
    """Where the tone goes, by the usual (new style) rules, as an index into the word."""
    marked = [i for i in range(start, start + len(vowels)) if i in marks]
    if marked:
        return marked[-1]  # ươ takes it on ơ, any other marked vowel on itself
    if final or len(vowels) == 1:
        return start + len(vowels) - 1
    return start + (1 if len(vowels) >= 3 else 0)


def convert_word(word: str) -> str:
    """The Vietnamese syllable typed as `word`, or `word` unchanged if it isn't one."""
    syllable = _replay(word)
    text = "".join(syllable.letters)
    match = _SYLLABLE.match(text)
    if not (syllable.used_keys and match):
        return word
    onset, vowels, final = match.groups()
    # In "qu" and "gi" (before another vowel) the u and i belong to the onset.
    if onset in ("q", "g") and len(vowels) > 1 and vowels[0] == ("u" if onset == "q" else "i"):
        onset, vowels = onset + vowels[0], vowels[1:]
    if onset not in _ONSETS or final not in _FINALS:
        return word
    chars = [[letter] for letter in syllable.letters]
    for index, mark in syllable.marks.items():
        chars[index].append(mark)
    if syllable.tone:
        chars[_tone_position(onset, vowels, final, len(onset), syllable.marks)].append(
            syllable.tone
        )
    if syllable.stroked_d:
        chars[0] = ["đ"]
    converted = normalise(unicodedata.normalize("NFC", "".join("".join(c) for c in chars)))
    if word.isupper() and len(word) > 1:
        return converted.upper()
    return converted.capitalize() if word[0].isupper() else converted


def convert_typing(query: str) -> str:
    """`query` with every word typed as Telex or VNI keys converted: "trer em" → "trẻ em"."""
    return _KEYED_WORD.sub(lambda match: convert_word(match.group()), query)
