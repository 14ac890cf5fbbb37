"""Where a request comes from, for rate limits and visitor counts.

Behind N trusted proxies (`TRUSTED_PROXY_COUNT`) the client is the Nth address from the
right in X-Forwarded-For: the ones further left are whatever the client claimed. With
none, it is the socket's address. Limits are kept per address group: an IPv4 address,
or an IPv6 /64 (one home or phone network holds a whole /64).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def address_group(address: str) -> str | None:
    """The address, its IPv4 form if it is IPv4-mapped, or its IPv6 /64's network
    address; None if it is not an address at all."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
