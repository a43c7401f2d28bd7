"""portal.settings.production under a realistic environment: `check --deploy` is clean, and
the hardening, media storage, logging and Sentry follow the environment. Each case imports the
settings in a fresh process, as a deployment would."""

import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Variables of this machine that would change what production settings read.
READ_BY_SETTINGS = {
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "SEARCH_BACKEND",
    "SEARCH_URL",
    "SENTRY_DSN",
    "SECURE_SSL_REDIRECT",
    "CSP_FRAME_SRC",
    "LOG_LEVEL",
}


def production_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production server's.
        if key not in READ_BY_SETTINGS
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.startswith("AWS_")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        # What an operator would generate: 50+ random characters.
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "postgres://portal:mat-khau@db.internal:5432/portal",
        "ALLOWED_HOSTS": "congthongtin.example.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://congthongtin.example.gov.vn",
        "REDIS_URL": "redis://redis.internal:6379/0",
        **extra,
    }


def run_python(code: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


SETTINGS_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
    "MIDDLEWARE",
    "STORAGES",
    "MEDIA_URL",
    "CONTENT_SECURITY_POLICY",
    "SENTRY_ENABLED",
    "DATABASES",
    "DATABASE_ROUTERS",
]


@functools.cache
def _settings_in(environment: tuple) -> dict:
    # After django.setup(), so that the storages are built too; plus a media URL and whether
    # Sentry's client is live.
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import default_storage; import sentry_sdk; "
        f"values = {{n: getattr(settings, n, None) for n in {SETTINGS_NAMES!r}}}; "
        "values['media_url_of_a_file'] = default_storage.url('images/anh.jpg'); "
        "values['sentry_active'] = sentry_sdk.get_client().is_active(); "
        "print(json.dumps(values, default=str))"
    )
    result = run_python(code, **dict(environment))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_settings(**extra: str) -> dict:
    """The production settings' values in a process with this environment (cached)."""
    return _settings_in(tuple(sorted(extra.items())))


def test_check_deploy_passes_with_a_realistic_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_https_hsts_cookies_and_framing():
    values = production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DEBUG"] is False
    middleware = values["MIDDLEWARE"]
    assert middleware[0] == "django.middleware.security.SecurityMiddleware"
    assert "portal.csp.ContentSecurityPolicyMiddleware" in middleware
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in middleware


def test_static_files_have_hashed_names_through_whitenoise():
    values = production_settings()
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]


def test_media_on_local_disk_by_default():
    values = production_settings()
    assert values["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert values["MEDIA_URL"] == "/media/"
    assert values["media_url_of_a_file"] == "/media/images/anh.jpg"


def test_media_on_s3_compatible_storage_when_a_bucket_is_given():
    values = production_settings(
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_CUSTOM_DOMAIN="media.example.gov.vn",
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "portal-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    assert default["OPTIONS"]["querystring_auth"] is False
    assert values["MEDIA_URL"] == "https://media.example.gov.vn/"
    # django-storages built the storage: files are served from the CDN's host, unsigned.
    assert values["media_url_of_a_file"] == "https://media.example.gov.vn/images/anh.jpg"
    # Images from the media CDN are allowed on reader pages, and nothing else from outside.
    assert values["CONTENT_SECURITY_POLICY"]["img-src"] == [
        "'self'",
        "data:",
        "https://media.example.gov.vn",
    ]
    assert values["CONTENT_SECURITY_POLICY"]["script-src"] == ["'self'"]


def test_media_url_from_the_endpoint_without_a_cdn():
    values = production_settings(
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://minio.internal:9000/",
    )
    assert values["MEDIA_URL"] == "https://minio.internal:9000/portal-media/"


def test_reader_policy_names_no_third_party():
    policy = production_settings()["CONTENT_SECURITY_POLICY"]
    for directive, sources in policy.items():
        for source in sources:
            assert source.startswith("'") or source == "data:", (directive, source)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_logs_are_json_lines_on_stdout():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('portal.thu').warning('Đã xuất bản %s', 'bản tin', extra={'page': 7})"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "portal.thu"
    assert entry["message"] == "Đã xuất bản bản tin"
    assert entry["page"] == 7


def test_sentry_is_off_without_a_dsn():
    values = production_settings()
    assert values["SENTRY_ENABLED"] is False
    assert values["sentry_active"] is False


def test_sentry_reports_when_a_dsn_is_given():
    # No event is sent: initialising the client makes no request.
    values = production_settings(SENTRY_DSN="https://khoa@sentry.example.gov.vn/3")
    assert values["SENTRY_ENABLED"] is True
    assert values["sentry_active"] is True


def test_no_replica_without_its_url():
    values = production_settings()
    assert set(values["DATABASES"]) == {"default"}
    assert values["DATABASE_ROUTERS"] == []


def test_reader_traffic_goes_to_the_replica_when_one_is_given():
    values = production_settings(
        DATABASE_REPLICA_URL="postgres://portal:mat-khau@db-replica.internal:5432/portal"
    )
    assert values["DATABASES"]["replica"]["HOST"] == "db-replica.internal"
    assert values["DATABASES"]["default"]["HOST"] == "db.internal"
    assert values["DATABASE_ROUTERS"] == ["portal.db_router.ReaderReplicaRouter"]
    assert "portal.db_router.ReaderTrafficMiddleware" in values["MIDDLEWARE"]
