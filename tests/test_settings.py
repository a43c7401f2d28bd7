import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_portal_speaks_vietnamese_in_vietnam_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False


def _import_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.DATABASES; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://u:p@db/portal"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = _import_settings("portal.settings.production", **env)
    assert result.returncode != 0
    assert f"Thiếu biến môi trường bắt buộc {missing}" in result.stderr


def test_production_starts_with_its_secrets():
    result = _import_settings(
        "portal.settings.production",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://portal:secret@db:5432/portal",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_dev_defaults_to_the_embedded_sqlite_database():
    result = _import_settings("portal.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "portal.sqlite_backend"


def test_search_backend_is_chosen_by_environment():
    script = (
        "from django.conf import settings; b = settings.WAGTAILSEARCH_BACKENDS['default'];"
        "print(b['BACKEND'], b.get('URLS'))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "SEARCH_BACKEND": "opensearch3",
            "SEARCH_URL": "http://search:9200",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "search.backends.opensearch3",
        "['http://search:9200']",
    ], result.stderr


@pytest.mark.django_db
def test_the_sqlite_pass_keeps_each_workers_database_in_memory():
    """On the portal's SQLite backend too (portal/settings/test.py says why it must be said)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL pass")
    assert connection.is_in_memory_db(), connection.settings_dict["NAME"]
