"""The real settings, made hermetic and fast for the test suite.

Only what tests must not inherit from a developer's machine changes here; services
(PostgreSQL, Redis, S3) still come from the environment, which is how CI runs the same
suite on real engines.
"""

import os

os.environ["DJANGO_READ_DOT_ENV_FILE"] = "false"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_FORMAT", "console")

from config.settings import *  # noqa: F403

# Hashing with PBKDF2 costs ~0.3 s per password; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Every view is written at once, so a test reads what it just did (the tests of the
# buffering itself set it back).
VIEW_FLUSH_SECONDS = 0
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
