"""`seed_demo` adds a demo bank (development only), idempotently."""

import pytest
from django.core.management import call_command

from services.catalogue.loading import catalogue_load_file
from services.consents.demo import DEMO_BANK_BIN
from services.consents.models import Purpose, ThirdPartyClient
from services.consents.selectors import client_of

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_demo_bank_that_may_ask_to_read_requests(settings, capsys):
    settings.DEBUG = True
    catalogue_load_file()
    call_command("seed_demo")
    call_command("seed_demo")
    bank = ThirdPartyClient.objects.get()
    assert (bank.bin, bank.purposes) == (DEMO_BANK_BIN, [Purpose.READ_REQUESTS])
    assert client_of(bank.user) == bank
    assert f"BIN {DEMO_BANK_BIN}" in capsys.readouterr().out
