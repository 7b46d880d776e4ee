import pytest
from django.core.exceptions import ValidationError

from services.accounts.service import profile_update, user_for_password_reset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_language_and_the_email_can_be_changed():
    user = UserFactory(preferred_language="kk", email="old@example.kz")
    profile_update(user=user, preferred_language="ru", email="new@EXAMPLE.kz")
    user.refresh_from_db()
    assert (user.preferred_language, user.email) == ("ru", "new@example.kz")


def test_an_unknown_language_or_a_malformed_email_is_refused():
    user = UserFactory(preferred_language="kk")
    with pytest.raises(ValidationError) as refused:
        profile_update(user=user, preferred_language="de", email="not-an-address")
    assert set(refused.value.error_dict) == {"preferred_language", "email"}
    user.refresh_from_db()
    assert user.preferred_language == "kk"


def test_a_reset_link_goes_only_to_an_active_account_with_an_email_address():
    user = UserFactory(email="a@example.kz")
    UserFactory(iin="900101300007", email="")
    assert user_for_password_reset(iin=user.iin) == user
    assert user_for_password_reset(iin="900101300007") is None
    assert user_for_password_reset(iin="850714300117") is None
