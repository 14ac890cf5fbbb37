"""Production configuration: what an operator meets when starting the site."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "photos.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://photos.example.com",
    "DATABASE_URL": "postgres://proofsheet:secret@db.internal:5432/proofsheet",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "proofsheet-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.com:587",
    "TRUSTED_PROXY_COUNT": "1",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean
        | {
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["SECRET_KEY"]

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_uses_s3_redis_and_hashed_static_files():
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.STORAGES['staticfiles']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.CELERY_BROKER_URL);"
        "print(s.DATABASES['default']['ENGINE'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)

    assert result.stdout.split() == [
        "galleries.filestore.S3Storage",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "config.cache.FailSoftRedisCache",
        "redis://cache.internal:6379/0",
        "django.db.backends.postgresql",
    ], result.stderr


def test_the_embedded_default_needs_no_services():
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.CELERY_BROKER_URL);"
        "print(s.DATABASES['default']['ENGINE'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="true")

    assert result.stdout.split() == [
        "django.core.files.storage.FileSystemStorage",
        "filesystem://",
        "django.db.backends.sqlite3",
    ], result.stderr


def _site_url(**env: str) -> str:
    code = "from django.conf import settings as s; print(s.SITE_URL)"
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="true", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_emails_point_to_the_port_the_site_serves_on():
    # `PORT=8013 bin/serve`: bin/serve exports HOST and PORT to everything it runs.
    assert _site_url(PORT="8013") == "http://127.0.0.1:8013"
    assert _site_url(HOST="192.168.1.20", PORT="8013") == "http://192.168.1.20:8013"
    assert _site_url() == "http://127.0.0.1:8000"


def test_a_site_serving_every_interface_links_to_loopback_and_site_url_wins():
    assert _site_url(HOST="0.0.0.0", PORT="9000") == "http://127.0.0.1:9000"
    assert _site_url(HOST="::1", PORT="9000") == "http://[::1]:9000"
    assert (
        _site_url(PORT="8013", SITE_URL="https://photos.example.com/")
        == "https://photos.example.com"
    )


def _cdn_env() -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return PRODUCTION_ENV | {
        "AWS_S3_CUSTOM_DOMAIN": "d111111abcdef8.cloudfront.net",
        "AWS_CLOUDFRONT_KEY_ID": "K2JCJMDEHXQW5F",
        # A PEM on one line of an env file: its line breaks written as \n.
        "AWS_CLOUDFRONT_KEY": pem.replace("\n", "\\n"),
    }


def test_a_cdn_for_renditions_is_set_from_the_environment_and_signs_with_its_key():
    code = (
        "from datetime import datetime, UTC;"
        "from django.conf import settings as s;"
        "from django.core.files.storage import storages;"
        "print(s.STORAGES['cdn']['OPTIONS']['custom_domain']);"
        "print(s.STORAGES['default']['OPTIONS'].get('custom_domain'));"
        "print(storages['cdn'].cloudfront_signer.generate_presigned_url("
        "'https://cdn/x', date_less_than=datetime(2030, 1, 1, tzinfo=UTC)))"
    )
    result = _manage("shell", "--no-imports", "-c", code, **_cdn_env())

    domain, default_domain, url = result.stdout.split()
    assert (domain, default_domain) == ("d111111abcdef8.cloudfront.net", "None")
    assert url.startswith("https://cdn/x?Expires=1893456000&Signature=")
    assert url.endswith("&Key-Pair-Id=K2JCJMDEHXQW5F")


def test_a_cdn_domain_without_cloudfronts_key_pair_refuses_to_start():
    env = _cdn_env()
    del env["AWS_CLOUDFRONT_KEY"]

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "unsigned CDN URLs are refused" in result.stderr
