"""What every benchmark shares: the machine line it prints, the production-like environment
its subprocesses run in, and the one-category site it starts from. Imported by the scripts next
to it (`python bench/<name>.py`)."""

import os
import platform
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.platform()}, Python {platform.python_version()}"
    )


def production_env(database_url: str, workdir: Path, **extra: str) -> dict:
    """portal.settings.production with benchmark-only secrets, plain HTTP on localhost."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        **extra,
    }


# A home page as the default site with one category, for the benchmarks that import or publish
# into an empty database (`manage.py shell -c SETUP_SCRIPT`).
CATEGORY_SLUG = "luu-tru"

SETUP_SCRIPT = f"""
from wagtail.models import Page, Site
from bulletins.models import BulletinIndexPage
from home.models import HomePage
home = Page.get_first_root_node().add_child(instance=HomePage(title="Trang chủ", slug="trang-chu"))
Site.objects.update_or_create(
    is_default_site=True, defaults={{"hostname": "127.0.0.1", "port": 80, "root_page": home}}
)
home.add_child(instance=BulletinIndexPage(title="Lưu trữ", slug="{CATEGORY_SLUG}"))
"""
