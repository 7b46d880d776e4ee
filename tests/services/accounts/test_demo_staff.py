"""Demo staff get an authenticator with a fixed secret; the current code is printed only in development."""

import pytest
from django.core.management import CommandError, call_command

from services.accounts.demo import DEMO_ACCOUNTS
from services.accounts.models import User
from services.accounts.totp import totp_code_now, totp_demo_key, totp_device_of
from services.catalogue.loading import catalogue_load_file
from services.registries.population import person

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_staff_one_fixed_authenticator_and_prints_how_to_log_in(settings, capsys):
    settings.DEBUG = True
    catalogue_load_file()
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: still one device each, with the same secret
    out = capsys.readouterr().out
    clerk = User.objects.get(iin=DEMO_ACCOUNTS[1].iin)
    device = totp_device_of(clerk)
    assert device.key == totp_demo_key(clerk.iin)
    assert clerk.totpdevice_set.count() == 1
    assert device.config_url in out and "totp_code --iin" in out
    assert totp_device_of(User.objects.get(iin=DEMO_ACCOUNTS[0].iin)) is None  # citizens keep their login
    call_command("totp_code", iin=clerk.iin)
    assert capsys.readouterr().out.strip() == totp_code_now(device)


def test_codes_are_not_printed_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("totp_code", iin="850312401007")


def test_demo_accounts_have_the_phone_the_population_register_holds(settings):
    settings.DEBUG = True
    catalogue_load_file()
    call_command("seed_demo")
    citizen = User.objects.get(iin=DEMO_ACCOUNTS[0].iin)
    assert citizen.phone == person(citizen.iin).phone != ""
