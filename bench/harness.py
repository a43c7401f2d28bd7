"""What every benchmark shares: the machine line it prints and the production-like environment
its subprocesses run in. Imported by the scripts next to it (`python bench/<name>.py`)."""

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
