"""A CDN for renditions, offline: S3 and CloudFront settings with a throwaway key pair,
and a check of a CloudFront signed URL written from AWS's documentation of the
canned policy (not from the signer that made it)."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CDN_DOMAIN = "d111111abcdef8.cloudfront.net"
CDN = f"https://{CDN_DOMAIN}"
S3_ENDPOINT = "https://s3.example.com"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"
PERIOD = 3600

S3_OPTIONS = {
    "bucket_name": "proofsheet-media",
    "endpoint_url": S3_ENDPOINT,
    "region_name": "us-east-1",
    "access_key": "AKIDEXAMPLE",
    "secret_key": "not-a-real-secret",
    "addressing_style": "path",
    "signature_version": "s3v4",
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": PERIOD,
    "file_overwrite": False,
}


@pytest.fixture(scope="session")
def cloudfront_key():
    """A throwaway RSA key pair, as CloudFront's key group would hold its public half."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def cdn_storages(private_key, base: dict) -> dict:
    """STORAGES as config/settings.py makes them with AWS_S3_CUSTOM_DOMAIN set."""
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        **base,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS},
        "cdn": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_OPTIONS,
                "custom_domain": CDN_DOMAIN,
                "url_protocol": "https:",
                "cloudfront_key_id": KEY_PAIR_ID,
                "cloudfront_key": pem,
            },
        },
    }


def _cloudfront_b64decode(value: str) -> bytes:
    # CloudFront's URL-safe base64: "+" "=" "/" are written "-" "_" "~".
    return base64.b64decode(value.translate(str.maketrans("-_~", "+=/")))


def verify_cloudfront_url(url: str, public_key, now: float) -> int:
    """What CloudFront checks of a signed URL with a canned policy: the signature
    over the policy for this exact resource and expiry, the key pair, the expiry.
    Returns the expiry; raises InvalidSignature or AssertionError otherwise."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert sorted(query) == ["Expires", "Key-Pair-Id", "Signature"], url
    assert query["Key-Pair-Id"] == [KEY_PAIR_ID]
    expires = int(query["Expires"][0])
    resource = f"{parts.scheme}://{parts.netloc}{parts.path}"
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Resource": resource,
                    "Condition": {"DateLessThan": {"AWS:EpochTime": expires}},
                }
            ]
        },
        separators=(",", ":"),
    )
    public_key.verify(
        _cloudfront_b64decode(query["Signature"][0]),
        policy.encode(),
        padding.PKCS1v15(),
        hashes.SHA1(),
    )
    if expires <= now:
        raise InvalidSignature(f"expired at {expires}")
    return expires


@pytest.fixture
def cdn_on(settings, cloudfront_key):
    """S3 storage with the CDN in front for renditions, and no URL kept from before."""
    from django.core.cache import cache

    from galleries import signed_urls

    settings.USE_S3 = True
    settings.STORAGES = cdn_storages(cloudfront_key, settings.STORAGES)
    signed_urls._s3_urls.clear()
    cache.clear()
    yield
    signed_urls._s3_urls.clear()
