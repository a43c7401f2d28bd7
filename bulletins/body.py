"""Building a bulletin body from plain text, for code that creates bulletins (demo content,
the legacy importer, factories). Every block gets a UUID so wagtail-localize can translate
segment by segment."""

import datetime
import uuid
from collections.abc import Iterable

from django.utils.html import escape


def stream_block(block_type: str, value) -> dict:
    """One block of a StreamField's raw data."""
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def paragraph_html(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def bulletin_body(
    *,
    date: datetime.date | None,
    lead: str = "",
    paragraphs: Iterable[str] = (),
    content: Iterable[dict] = (),
    author: str = "",
) -> list[dict]:
    """The raw StreamField data of a bulletin: one toolbar block and one view-data block whose
    content is `paragraphs`, then any other `content` blocks (`stream_block`)."""
    toolbar = {
        "date": date.isoformat() if date else None,
        "show_font_size": True,
        "show_print": True,
        "show_share": True,
        "show_listen": True,
    }
    view_data = {
        "lead": lead,
        "content": [stream_block("paragraph", paragraph_html(text)) for text in paragraphs]
        + list(content),
        "author": author,
    }
    return [stream_block("toolbar", toolbar), stream_block("view_data", view_data)]
