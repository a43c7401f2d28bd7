"""Forget cached things once per batch of changes instead of once per page.

Each published page renews its site's generation token (when saved, at the commit and when
published), bumps the menu and page-language versions, and queues a purge of its URLs from the
CDN: several cache writes and one background job per page (counted in docs/caching.md). An import
publishes a hundred pages a batch. Within `forgetting_once()` these requests are collected
and carried out once, when the block ends: each site's token renewed once, each version bumped
once, one purge job for all the URLs. Readers see nothing different: an import's pages become
visible at its commit, and the block ends after it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class PendingForgetting:
    site_ids: set[int] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    versions: dict[str, object] = field(default_factory=dict)  # CacheVersion by family


_pending: ContextVar[PendingForgetting | None] = ContextVar("caching_batch", default=None)


def pending_forgetting() -> PendingForgetting | None:
    """The batch collecting what to forget, inside forgetting_once(); else None."""
    return _pending.get()


@contextmanager
def forgetting_once() -> Iterator[None]:
    """Collect what the enclosed changes forget, and forget it once at the end (also when the
    block fails: whatever it committed before failing must not stay cached)."""
    if _pending.get() is not None:  # nested: the outermost block forgets
        yield
        return
    batch = PendingForgetting()
    token = _pending.set(batch)
    try:
        yield
    finally:
        _pending.reset(token)
        _forget(batch)


def _forget(batch: PendingForgetting) -> None:
    # Imported here: generations and purge import this module to find the pending batch.
    from .generations import forget_pages_of_sites
    from .purge import purge_after_commit

    forget_pages_of_sites(batch.site_ids)
    purge_after_commit(batch.urls)
    for version in batch.versions.values():
        version.bump()
