"""Sending over https: connected to the address checked, the name in SNI, Host and the certificate check."""

import datetime
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.consents.models import Purpose
from services.consents.service import consent_give
from services.webhooks.models import Delivery, DeliveryAttempt
from services.webhooks.service import delivery_send, subscription_create
from services.workflow.states import Action, Channel
from services.workflow.transitions import transition
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory
from tests.services.webhooks.receiver import receiving

pytestmark = pytest.mark.django_db
NAME = "hooks.bank.test"


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tls_for(tmp_path, monkeypatch):
    """A test CA the sender trusts (SSL_CERT_FILE), and a server context with a certificate for a name."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test CA", ca_key, "Test CA", ca_key, ca=True)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))

    def context(name: str) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        (tmp_path / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        certificate = _certificate(name, key, "Test CA", ca_key, ca=False)
        (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
        return server

    return context


@pytest.fixture
def lookups(monkeypatch, settings):
    """NAME resolves to 127.0.0.1 (trusted as an allowed host); every look-up of it is counted."""
    settings.WEBHOOK_ALLOWED_HOSTS = [NAME]
    resolve, names = socket.getaddrinfo, []

    def counted(host, port, *args, **kwargs):
        names.append(host)
        return resolve("127.0.0.1" if host == NAME else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counted)
    return names


def _deliver(receiver):
    bank = ThirdPartyClientFactory()
    request = ServiceRequestFactory(submitted=True)
    consent_give(citizen=request.citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    _subscription, receiver.secret = subscription_create(client=bank, url=receiver.url, states=[])
    transition(request=request, action=Action.START_CHECKS, user=None, channel=Channel.SYSTEM)
    return delivery_send(Delivery.objects.get().pk)


def test_https_names_the_host_in_sni_and_host_and_looks_it_up_once(tls_for, lookups):
    with receiving(tls=tls_for(NAME), host=NAME) as receiver:
        lookups.clear()
        outcome = _deliver(receiver)
    assert outcome == Delivery.State.DELIVERED
    assert receiver.server_names == [NAME]
    [received] = receiver.received
    assert received.verified
    assert received.headers["Host"] == f"{NAME}:{receiver.port}"
    assert lookups.count(NAME) == 2  # once when subscribing, once before the attempt: none by the connection


def test_a_certificate_for_another_name_is_refused(tls_for, lookups):
    with receiving(tls=tls_for("elsewhere.test"), host=NAME) as receiver:
        outcome = _deliver(receiver)
    assert outcome == Delivery.State.PENDING
    assert receiver.received == []
    error = DeliveryAttempt.objects.get().error
    assert error.startswith("SSLError") and "elsewhere.test" in error
