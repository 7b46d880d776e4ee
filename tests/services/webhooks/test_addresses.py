"""Where webhooks may go: https to public addresses only, checked again at send time."""

import socket

import pytest

from services.webhooks.addresses import UnsafeURL, target_resolve


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://172.16.0.1/",
        "https://192.168.1.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://240.0.0.1/",
        "https://[::1]/hooks",
        "https://[::]/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://[::ffff:10.0.0.1]/",
        "https://localhost/hooks",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(UnsafeURL, match="private or reserved"):
        target_resolve(url)


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        assert host == "hooks.bank.example"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(UnsafeURL, match="private or reserved"):
        target_resolve("https://hooks.bank.example/in")


def test_a_public_address_is_the_one_connected_to_with_the_name_kept(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))],
    )
    target = target_resolve("https://Hooks.Bank.example:8443/in?x=1")
    assert (target.address, target.host, target.port, target.path) == (
        "93.184.215.14",
        "hooks.bank.example",
        8443,
        "/in?x=1",
    )
    assert target.host_header == "hooks.bank.example:8443"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://1.1.1.1/hooks", "https"),
        ("ftp://1.1.1.1/", "https"),
        ("https://user:pass@1.1.1.1/", "user name or password"),
        ("https:///nohost", "no host"),
        ("https://1.1.1.1:99999/", "port"),
        ("https://no-such-host.invalid/", "could not be found"),
    ],
)
def test_other_refusals(url, message):
    with pytest.raises(UnsafeURL, match=message):
        target_resolve(url)


def test_hosts_allowed_by_the_settings_may_use_http_and_any_address(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    target = target_resolve("http://127.0.0.1:8765/hooks")
    assert (target.scheme, target.address, target.host_header) == ("http", "127.0.0.1", "127.0.0.1:8765")
    with pytest.raises(UnsafeURL):
        target_resolve("http://10.0.0.1/hooks")
