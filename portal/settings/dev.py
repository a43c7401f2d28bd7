"""The embedded default: SQLite, database search, in-process tasks, local-memory cache."""

from .base import *  # noqa: F403
from .environment import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
