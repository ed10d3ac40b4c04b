"""The address of the person behind a request, for rate limits and sign-in lockouts.

A reverse proxy (our nginx) names the client in ``X-Real-IP`` and ``X-Forwarded-For``;
anybody else can write the same headers. So they are believed only when the request comes
straight from a trusted proxy (``KHOI_FORWARDED_ALLOW_IPS``: addresses or networks, ``*`` =
any); otherwise the direct peer (``REMOTE_ADDR``) is the client. In ``X-Forwarded-For`` the
right-most address that is not itself a trusted proxy is the client (the entries to its
left were written by the client and prove nothing; with ``*``, the right-most one).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(allowed: Iterable[str]) -> list[Network] | None:
    """The trusted proxies as networks; None means every address (``*``)."""
    result: list[Network] = []
    for item in allowed:
        item = item.strip()
        if item == "*":
            return None
        if item:
            result.append(ipaddress.ip_network(item, strict=False))
    return result


def _trusted(address: str, trusted: list[Network] | None) -> bool:
    if trusted is None:
        return True
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in trusted)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(meta: Mapping[str, Any], allowed: Iterable[str]) -> str:
    """The client's address from a request's ``META`` and the trusted proxies."""
    peer = str(meta.get("REMOTE_ADDR", "") or "").strip()
    trusted = networks(allowed)
    if not peer or not _trusted(peer, trusted):
        return peer
    real = str(meta.get("HTTP_X_REAL_IP", "") or "").strip()
    if real and _valid(real):
        return real
    hops = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _valid(hop):
            break
        if trusted is None or not _trusted(hop, trusted):
            return hop
    return peer
