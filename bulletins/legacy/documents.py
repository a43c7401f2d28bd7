"""Finding the official documents a bulletin cites ("Công văn số 1566/UND-VXNV"). Pure.

A citation is a document kind, optionally "số", then a number-and-symbol: digits, an optional
"/year", then "/" (or "-" for Party documents: "05-CT/TW") and a symbol in capitals made of
parts joined by "-" or "/" ("QĐ-UBND", "KH-SGDĐT", "NQ-HĐND", "NĐ-CP"). The kind may be written
in lower case in running text ("theo công văn số …"); it is stored in its canonical spelling.
The symbol is kept as written, typos included ("UND-VXNV"): it is what readers will search for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DOCUMENT_KINDS = (
    "Công văn",
    "Công điện",
    "Quyết định",
    "Kế hoạch",
    "Chỉ thị",
    "Nghị quyết",
    "Nghị định",
    "Thông báo",
    "Thông tư",
    "Tờ trình",
    "Hướng dẫn",
    "Báo cáo",
    "Kết luận",
)
_CANONICAL = {kind.lower(): kind for kind in DOCUMENT_KINDS}
_KIND = "|".join(re.escape(kind) for kind in DOCUMENT_KINDS)
# Symbol parts are capitals and digits, with the odd lower-case letter ("TTr" of Tờ trình).
_SYMBOL = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9]*)*"
_CITATION = re.compile(
    rf"(?<!\w)(?P<kind>(?i:{_KIND}))\s+(?:(?i:số)\s*:?\s*)?"
    rf"(?P<number>\d{{1,6}}(?:/\d{{4}})?[/-]{_SYMBOL})(?![\w/])"
)


@dataclass(frozen=True)
class CitedDocumentRef:
    kind: str  # "Công văn"
    number: str  # "1566/UND-VXNV"

    def __str__(self) -> str:
        return f"{self.kind} số {self.number}"


def cited_documents(texts: Iterable[str]) -> tuple[CitedDocumentRef, ...]:
    """Every distinct document cited in the texts, in order of first citation."""
    found: dict[CitedDocumentRef, None] = {}
    for text in texts:
        for match in _CITATION.finditer(text):
            kind = _CANONICAL[" ".join(match["kind"].lower().split())]
            found.setdefault(CitedDocumentRef(kind, match["number"]), None)
    return tuple(found)
