"""The year/month archive filter of a category page, parsed from the query string."""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import QueryDict

from portal.cache_versions import CacheVersion

FIRST_YEAR = 1990
LAST_YEAR = 2100


def _parse_int(raw: str | None, lowest: int, highest: int) -> int | None:
    """None when absent; raises ValueError when present but not a number in range."""
    if raw in (None, ""):
        return None
    number = int(raw)
    if not lowest <= number <= highest:
        raise ValueError(raw)
    return number


@dataclass(frozen=True)
class ArchiveFilter:
    year: int | None = None
    month: int | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> "ArchiveFilter | None":
        """The filter asked for, or None when the query asks for an impossible one."""
        try:
            year = _parse_int(query.get("year"), FIRST_YEAR, LAST_YEAR)
            month = _parse_int(query.get("month"), 1, 12)
        except ValueError:
            return None
        if month is not None and year is None:
            return None
        return cls(year, month)

    @property
    def is_active(self) -> bool:
        return self.year is not None

    def apply(self, bulletins):
        # A date range rather than date__year/__month, so the index on `date` is used.
        if self.year is None:
            return bulletins
        if self.month is None:
            start, end = date(self.year, 1, 1), date(self.year + 1, 1, 1)
        else:
            start = date(self.year, self.month, 1)
            end = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return bulletins.filter(date__gte=start, date__lt=end)

    def query_string(self) -> str:
        """The filter as it must be carried over into pagination links."""
        parts = []
        if self.year is not None:
            parts.append(f"year={self.year}")
        if self.month is not None:
            parts.append(f"month={self.month}")
        return "&".join(parts)


ARCHIVE_CACHE_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class CategoryArchive:
    """How many live bulletins a category has, and in which months, newest first."""

    count: int
    months: tuple[date, ...]

    @property
    def years(self) -> list[int]:
        """The years with bulletins, newest first."""
        return sorted({month.year for month in self.months}, reverse=True)

    def months_of(self, year: int | None) -> list[date]:
        """The months with bulletins in `year` (the latest year when None), newest first.

        The page lists years, and the months of one year only: a decade of months would make
        the archive list, and the page, grow with the archive.
        """
        if year is None and self.months:
            year = self.months[0].year
        return [month for month in self.months if month.year == year]


def _archive_version(category_id: int) -> CacheVersion:
    """A version per category: forgetting one category's archive leaves the others cached, and
    a forgetting the cache did not take (Redis away) is retried (portal.cache_versions)."""
    return CacheVersion(f"category-archive:{category_id}")


def category_archive(category) -> CategoryArchive:
    """Cached: counting and truncating the dates of every bulletin grows with the archive, and
    the answer changes only when a bulletin is published, unpublished, moved or deleted (see
    bulletins.signals). A category not yet saved (previewed as it is created) is not cached."""
    key = _archive_version(category.pk).key() if category.pk else None
    archive = cache.get(key) if key else None
    if archive is None:
        bulletins = category.bulletins()
        archive = CategoryArchive(
            count=bulletins.count(),
            months=tuple(bulletins.dates("date", "month", order="DESC")),
        )
        if key:
            cache.set(key, archive, ARCHIVE_CACHE_TIMEOUT)
    return archive


def forget_category_archive(*category_ids: int | None) -> None:
    """Now, and again after the commit: a reader who counted in between (from the database as
    it was before the change) may have stored the old archive."""
    for category_id in {pk for pk in category_ids if pk}:
        _archive_version(category_id).bump()


class KnownCountPaginator(Paginator):
    """A paginator told its count, so that it does not count the rows again."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
