"""Fill the database named by DATABASE_URL with a synthetic archive of N bulletins.

Usage: DATABASE_URL=... python bench/build_archive.py N [--categories 5]
Deterministic: the same N gives the same archive.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bulletins", type=int)
    parser.add_argument("--categories", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page, Site

    from bulletins.body import bulletin_body
    from bulletins.models import BulletinIndexPage, BulletinPage
    from home.models import HomePage
    from portal.planner_statistics import refresh_planner_statistics
    from tests.vietnamese_text import VietnameseTextGenerator

    # Building the archive is not what is measured: skip per-page search indexing.
    settings.WAGTAILSEARCH_BACKENDS = {}

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home}
    )
    categories = [
        home.add_child(
            instance=BulletinIndexPage(
                title=f"Chuyên mục {n + 1}", slug=f"chuyen-muc-{n + 1}", show_in_menus=True
            )
        )
        for n in range(args.categories)
    ]
    text = VietnameseTextGenerator(seed=42)
    started = time.perf_counter()
    for number, fake in enumerate(text.bulletins(args.bulletins)):
        category = categories[number % len(categories)]
        published = timezone.make_aware(datetime.datetime.combine(fake.date, datetime.time(8)))
        with transaction.atomic():
            category.add_child(
                instance=BulletinPage(
                    title=fake.title,
                    first_published_at=published,
                    last_published_at=published,
                    body=bulletin_body(
                        date=fake.date,
                        lead=fake.lead,
                        paragraphs=fake.paragraphs,
                        author=fake.author,
                    ),
                )
            )
        if (number + 1) % 1000 == 0:
            rate = (number + 1) / (time.perf_counter() - started)
            print(f"  {number + 1} bulletins ({rate:.0f}/s)", flush=True)
    # As the legacy importer does after its bulk writes: without it, SQLite plans the archive's
    # queries from the statistics of the empty database that migrate left.
    refresh_planner_statistics()
    print(f"{BulletinPage.objects.count()} bulletins in {len(categories)} categories", flush=True)


if __name__ == "__main__":
    main()
