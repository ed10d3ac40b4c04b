"""Whose address counts: headers only from a trusted proxy (issue #14, finding 16)."""

from __future__ import annotations

import pytest

from khoi.lib.clientaddr import client_address

NGINX = ["127.0.0.1"]


def meta(peer: str, real: str = "", forwarded: str = "") -> dict[str, str]:
    result = {"REMOTE_ADDR": peer}
    if real:
        result["HTTP_X_REAL_IP"] = real
    if forwarded:
        result["HTTP_X_FORWARDED_FOR"] = forwarded
    return result


def test_behind_the_trusted_proxy_the_header_names_the_client() -> None:
    assert client_address(meta("127.0.0.1", real="203.0.113.7"), NGINX) == "203.0.113.7"
    assert client_address(meta("127.0.0.1", forwarded="203.0.113.7"), NGINX) == "203.0.113.7"


@pytest.mark.parametrize(
    "headers",
    [
        {"real": "1.1.1.1"},
        {"forwarded": "1.1.1.1"},
        {"real": "127.0.0.1", "forwarded": "127.0.0.1"},
    ],
)
def test_a_caller_on_the_network_cannot_choose_its_address(headers: dict[str, str]) -> None:
    assert client_address(meta("10.0.0.5", **headers), NGINX) == "10.0.0.5"


def test_the_client_cannot_prepend_addresses_to_x_forwarded_for() -> None:
    # the client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the real peer
    spoofed = meta("127.0.0.1", forwarded="1.1.1.1, 198.51.100.4")
    assert client_address(spoofed, NGINX) == "198.51.100.4"
    # a chain of trusted proxies is skipped from the right
    chain = meta("10.0.0.2", forwarded="1.1.1.1, 198.51.100.4, 10.0.0.3")
    assert client_address(chain, ["127.0.0.1", "10.0.0.0/24"]) == "198.51.100.4"


def test_junk_in_the_headers_is_ignored() -> None:
    assert client_address(meta("127.0.0.1", real="<script>"), NGINX) == "127.0.0.1"
    assert client_address(meta("127.0.0.1", forwarded="nonsense"), NGINX) == "127.0.0.1"


def test_networks_and_any() -> None:
    assert client_address(meta("10.1.2.3", real="1.2.3.4"), ["10.0.0.0/8"]) == "1.2.3.4"
    assert client_address(meta("10.1.2.3", real="1.2.3.4"), []) == "10.1.2.3"
    assert client_address(meta("10.1.2.3", forwarded="9.9.9.9, 1.2.3.4"), ["*"]) == "1.2.3.4"
    assert client_address(meta("::1", real="2001:db8::1"), ["::1"]) == "2001:db8::1"
