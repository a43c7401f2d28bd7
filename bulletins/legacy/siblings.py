"""Places in the page tree for a batch of new bulletins under one category: tree paths and
unique slugs, worked out with a few queries per batch instead of several per page.

What `parent.add_child(instance=page)` does for each page — lock the parent row, read its last
child, take the next path, add one to `numchild`, then look each slug candidate up among the
siblings — is done here once per batch, inside the batch's transaction:

- `SiblingSlots.claim(parent)` locks the parent row (SELECT ... FOR UPDATE on PostgreSQL, as
  treebeard does; SQLite locks the whole database on the first write anyway) and reads the path
  of its last child, once;
- `reserve_slugs(titles)` loads, in one query, which of the likely slug candidates of the batch
  (`slug`, `slug-2` … `slug-5`, as Wagtail would try them) are already taken by siblings;
- each page then gets the next path and the first free candidate, in memory. A slot is only
  used up by `confirm()`, after the page's savepoint succeeded, so a bulletin that fails gives
  its path and slug back to the next one;
- `release()` adds the number of confirmed pages to the parent's `numchild` in one UPDATE.

The parent stays locked until the batch commits, so an editor adding a page to the same
category meanwhile waits, exactly as with add_child, and the tree stays consistent
(`Page.find_problems()` is checked by the importer's tests). The writer claims it as late as it
can, with every page of the batch already built (bulletins.legacy.writer), so that another
writer into the same category waits only for inserts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils.text import slugify
from wagtail.models import Page

from portal.slugs import ascii_slugify, route_slugs

# Wagtail tries slug, slug-2, slug-3 … until one is free; the batch query covers the first few,
# and a title used more often than that among siblings costs one more query per extra round.
SLUG_CANDIDATES_PER_QUERY = 5


def base_slug(title: str) -> str:
    """The slug a new page would derive from its title (portal.slugs.AsciiSlugPage, then
    Wagtail's own Unicode slugify when the ASCII folding leaves nothing)."""
    return ascii_slugify(title) or slugify(title, allow_unicode=True)


def _candidates(base: str, first: int, count: int) -> list[str]:
    return [base if n == 1 else f"{base}-{n}" for n in range(first, first + count)]


class SiblingSlots:
    """Hands out tree paths and free slugs to new children of one parent, for one batch."""

    def __init__(self, parent: Page, last_child_path: str | None, numchild: int) -> None:
        self.parent = parent
        self.numchild = numchild  # the parent's, as read under the lock
        self.depth = parent.depth + 1
        self.last_position = (
            Page._str2int(last_child_path[-Page.steplen :]) if last_child_path else 0
        )
        # Sibling slugs known to be taken (queried or confirmed), and the parent's own routes.
        self.taken: set[str] = route_slugs(parent)
        self.queried: dict[str, int] = {}  # base slug → candidates already looked up
        self.confirmed = 0

    @classmethod
    def claim(cls, parent: Page) -> SiblingSlots:
        """Lock the parent for the rest of the transaction and read where its children end."""
        locked = (
            Page.objects.select_for_update().only("path", "depth", "numchild").get(pk=parent.pk)
        )
        last_child_path = (
            Page.objects.filter(path__startswith=locked.path, depth=locked.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return cls(parent, last_child_path, locked.numchild)

    # -- slugs ------------------------------------------------------------------------------

    def reserve_slugs(self, titles: Iterable[str]) -> None:
        """Look up, in one query, which first candidates of these titles' slugs are taken."""
        wanted = []
        for title in titles:
            base = base_slug(title)
            if base and base not in self.queried:
                wanted += _candidates(base, 1, SLUG_CANDIDATES_PER_QUERY)
                self.queried[base] = SLUG_CANDIDATES_PER_QUERY
        self._load_taken(wanted)

    def _load_taken(self, candidates: list[str]) -> None:
        if candidates:
            self.taken.update(
                Page.objects.child_of(self.parent)
                .filter(slug__in=candidates)
                .values_list("slug", flat=True)
            )

    def free_slug(self, title: str) -> str:
        """The slug Wagtail would give a new child with this title ("" if the title has none)."""
        base = base_slug(title)
        if not base:
            return ""
        n = 1
        while True:
            looked_up = self.queried.get(base, 0)
            if n > looked_up:  # past what was queried: look the next candidates up
                self._load_taken(_candidates(base, looked_up + 1, SLUG_CANDIDATES_PER_QUERY))
                self.queried[base] = looked_up + SLUG_CANDIDATES_PER_QUERY
            candidate = _candidates(base, n, 1)[0]
            if candidate not in self.taken:
                return candidate
            n += 1

    # -- paths ------------------------------------------------------------------------------

    def next_path(self) -> str:
        """The path of the next child; raises treebeard's PathOverflow past the last one."""
        position = self.last_position + 1
        if len(Page._int2str(position)) > Page.steplen:
            from treebeard.exceptions import PathOverflow

            raise PathOverflow(f"Chuyên mục {self.parent.path} đã hết chỗ cho trang con.")
        return Page._get_path(self.parent.path, self.depth, position)

    def confirm(self, slug: str) -> None:
        """The page at next_path() with this slug is written: its slot is used up."""
        self.last_position += 1
        self.taken.add(slug)
        self.confirmed += 1

    def release(self) -> None:
        """Count the confirmed children on the parent, in the database and in memory."""
        if self.confirmed:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + self.confirmed)
        self.parent.numchild = self.numchild + self.confirmed
