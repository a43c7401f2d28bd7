"""Legacy PublishingPortal dumps written from generated bulletins, for tests and benchmarks.

The layout is the one of the real archive (see bulletins.legacy.parser): toolbar marker, date,
the toolbar's buttons, title, lead; the view-data marker preceded by a NO-BREAK SPACE, the
paragraphs separated by blank lines, and the author's signature last.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.vietnamese_text import FakeBulletin, VietnameseTextGenerator

TOOLBAR = "PublishingPortal - Block_BanTin_Toolbar"
VIEWDATA = "\u00a0PublishingPortal - Block_BanTin_ViewData"
BUTTONS = "Tăng cỡ chữ Giảm cỡ chữ"


def render_dump(
    *,
    date: str,
    title: str,
    lead: str = "",
    paragraphs: tuple[str, ...] | list[str] = (),
    author: str = "",
) -> str:
    toolbar = [TOOLBAR, "", date, BUTTONS, title] + ([lead] if lead else [])
    view_data = [VIEWDATA, ""] + "\n\n".join(paragraphs).split("\n")
    if author:
        view_data += ["", author]
    return "\n".join(toolbar + [""] + view_data)


def render_fake(fake: FakeBulletin) -> str:
    return render_dump(
        date=fake.date.strftime("%d/%m/%Y"),
        title=fake.title,
        lead=fake.lead,
        paragraphs=fake.paragraphs,
        author=fake.author,
    )


def write_archive(
    folder: Path, count: int, *, seed: int = 2023, missing_author_rate: float = 0.0
) -> Iterator[tuple[Path, FakeBulletin]]:
    """Write `count` dumps under folder/<year>/, lazily; yields each path and its bulletin."""
    generator = VietnameseTextGenerator(seed=seed, missing_author_rate=missing_author_rate)
    for number, fake in enumerate(generator.bulletins(count)):
        path = folder / str(fake.date.year) / f"{number:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_fake(fake), encoding="utf-8")
        yield path, fake
