"""Citizen accounts: sign-up that proves the person by a code sent to their registered phone, and the profile.

Refusals are `ValidationError`s whose keys are the names of the function's keyword arguments (or
`NON_FIELD_ERRORS`), so a form with fields of those names can show each message next to its field.
"""

import secrets
import uuid
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services.accounts.consent import CONSENT_VERSION
from services.accounts.iin import validate_iin
from services.accounts.models import Language, PersonalDataConsent, SignupVerification, User
from services.notifications.sms import SmsError, sms_send
from services.registries import population

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
_CODE_HASH_SALT = "services.accounts.signup-code"

ALREADY_REGISTERED = _("An account with this IIN already exists. Log in, or reset your password if you forgot it.")
NO_REGISTERED_PHONE = _(
    "The population register has no mobile phone number for this IIN, so we cannot send you a code. "
    "Register your number at a Public Service Centre, then try again."
)
SMS_FAILED = _("We could not send the code just now. Try again in a few minutes.")
CONSENT_OUTDATED = _("The consent text has changed. Read it again and confirm that you agree.")
START_AGAIN = _("This sign-up is no longer valid. Start again.")
CODE_EXPIRED = _("The code has expired. Ask for a new code.")
TOO_MANY_ATTEMPTS = _("You entered a wrong code too many times. Ask for a new code.")
UNKNOWN_LANGUAGE = _("Choose Kazakh, Russian or English.")


def phone_mask(phone: str) -> str:
    """The phone number with all but the operator code and the last two digits hidden: +7 701 *** ** 67."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 11 and digits[0] == "7":
        return f"+7 {digits[1:4]} *** ** {digits[-2:]}"
    return f"*** {digits[-2:]}" if len(digits) >= 4 else "***"


def _code_hash(*, verification_id: uuid.UUID, code: str) -> str:
    # Keyed with SECRET_KEY and the verification, so a copy of the table alone does not give the codes away.
    return salted_hmac(_CODE_HASH_SALT, f"{verification_id}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _registrable_phone(*, iin: str) -> str:
    """The mobile number the population register holds for a valid IIN that has no account yet."""
    try:
        validate_iin(iin)
    except ValidationError as error:
        raise ValidationError({"iin": error}) from None
    if User.objects.filter(iin=iin).exists():
        raise ValidationError({"iin": ValidationError(ALREADY_REGISTERED, code="already_registered")})
    person = population.person(iin)
    if person is None or not person.phone:
        raise ValidationError({"iin": ValidationError(NO_REGISTERED_PHONE, code="no_registered_phone")})
    return person.phone


def signup_password_validate(*, iin: str, email: str, password: str) -> None:
    """Run Django's password validators on a new account's password, with the person's own details for
    the similarity check; raises ValidationError({"password": [...]}) with every problem found.

    `signup_start` runs it; the sign-up page runs it too, so its other errors and these show at once.
    """
    person = population.person(iin)
    candidate = User(
        iin=iin,
        email=email,
        first_name=person.first_name if person else "",
        last_name=person.last_name if person else "",
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None


def _validate_consent(*, consent_version: str) -> None:
    if consent_version != CONSENT_VERSION:
        raise ValidationError({"consent_version": ValidationError(CONSENT_OUTDATED, code="consent_outdated")})


def _signup_problems(*, iin: str, email: str, password: str, consent_version: str) -> str:
    """The registered phone for the sign-up; every problem found at once (GOV.UK lists them all)."""
    errors: dict = {}
    phone = ""
    try:
        phone = _registrable_phone(iin=iin)
    except ValidationError as error:
        error.update_error_dict(errors)
    for check in (
        lambda: _validate_consent(consent_version=consent_version),
        lambda: signup_password_validate(iin=iin, email=email, password=password),
    ):
        try:
            check()
        except ValidationError as error:
            error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return phone


def _verification_create(**fields: object) -> tuple[SignupVerification, str]:
    """A new verification with a fresh code, valid for CODE_LIFETIME; returns it and the code (kept only hashed)."""
    now = timezone.now()
    verification = SignupVerification(created_at=now, expires_at=now + CODE_LIFETIME, **fields)
    code = _new_code()
    verification.code_hash = _code_hash(verification_id=verification.id, code=code)
    verification.save(force_insert=True)
    return verification, code


def _send_code(*, verification: SignupVerification, code: str) -> None:
    """Send the code by SMS in the person's language; a failed send ends the verification."""
    with translation.override(verification.preferred_language):
        text = gettext(
            "Your code for the public services portal: %(code)s. It is valid for %(minutes)d minutes. "
            "Do not tell it to anyone."
        ) % {"code": code, "minutes": CODE_LIFETIME.seconds // 60}
    try:
        sms_send(phone=verification.phone, text=text, idempotency_key=f"signup-{verification.id}")
    except SmsError:
        SignupVerification.objects.filter(pk=verification.pk).update(expires_at=timezone.now(), password="")
        raise ValidationError({NON_FIELD_ERRORS: ValidationError(SMS_FAILED, code="sms_failed")}) from None


def signup_start(
    *, iin: str, email: str, password: str, preferred_language: str, consent_version: str
) -> SignupVerification:
    """Begin a sign-up: check the IIN, the password and the consent, and send a code to the registered phone.

    The code goes to the phone the population register holds for the IIN, never to a number the
    person types, so only the owner of the IIN can finish the sign-up. `consent_version` is the
    version of the consent text the person was shown and agreed to.
    """
    phone = _signup_problems(iin=iin, email=email, password=password, consent_version=consent_version)
    verification, code = _verification_create(
        iin=iin,
        phone=phone,
        email=User.objects.normalize_email(email),
        password=make_password(password),
        preferred_language=preferred_language,
        consent_version=consent_version,
        consent_given_at=timezone.now(),
    )
    _send_code(verification=verification, code=code)
    return verification


def _pending(*, verification_id: uuid.UUID | str) -> QuerySet[SignupVerification]:
    try:
        pk = uuid.UUID(str(verification_id))
    except ValueError:
        return SignupVerification.objects.none()
    # A used or replaced verification has no password hash left.
    return SignupVerification.objects.filter(pk=pk, confirmed_at__isnull=True).exclude(password="")


def signup_pending(*, verification_id: uuid.UUID | str) -> SignupVerification | None:
    """The sign-up waiting for its code, or None when there is none (unknown, finished or replaced)."""
    return _pending(verification_id=verification_id).first()


def signup_resend(*, verification_id: uuid.UUID | str) -> SignupVerification:
    """Send a new code for a sign-up: a new verification with the same details; the old code stops working."""
    old = signup_pending(verification_id=verification_id)
    if old is None:
        raise ValidationError({"code": ValidationError(START_AGAIN, code="start_again")})
    phone = _registrable_phone(iin=old.iin)
    verification, code = _verification_create(
        iin=old.iin,
        phone=phone,
        email=old.email,
        password=old.password,
        preferred_language=old.preferred_language,
        consent_version=old.consent_version,
        consent_given_at=old.consent_given_at,
    )
    _send_code(verification=verification, code=code)  # on failure the old code keeps working
    SignupVerification.objects.filter(pk=old.pk).update(expires_at=timezone.now(), password="")
    return verification


def _code_refusal(*, verification: SignupVerification | None, now: datetime) -> ValidationError | None:
    if verification is None:
        return ValidationError(START_AGAIN, code="start_again")
    if verification.failed_attempts >= MAX_CODE_ATTEMPTS:
        return ValidationError(TOO_MANY_ATTEMPTS, code="too_many_attempts")
    if verification.expires_at <= now:
        return ValidationError(CODE_EXPIRED, code="expired")
    return None


def _wrong_code(*, verification: SignupVerification) -> ValidationError:
    """Count a wrong code and say how many attempts are left."""
    verification.failed_attempts += 1
    verification.save(update_fields=["failed_attempts"])
    left = MAX_CODE_ATTEMPTS - verification.failed_attempts
    if left <= 0:
        return ValidationError(TOO_MANY_ATTEMPTS, code="too_many_attempts")
    message = ngettext(
        "The code is wrong. You can try %(count)d more time.",
        "The code is wrong. You can try %(count)d more times.",
        left,
    )
    return ValidationError(message, code="wrong_code", params={"count": left})


def _user_create(*, verification: SignupVerification) -> User:
    """The account, named as in the population register, and the consent the person gave at sign-up."""
    person = population.person(verification.iin)
    try:
        with transaction.atomic():
            user = User.objects.create(
                iin=verification.iin,
                email=verification.email,
                password=verification.password,
                first_name=person.first_name if person else "",
                last_name=person.last_name if person else "",
                phone=verification.phone,
                preferred_language=verification.preferred_language,
            )
    except IntegrityError:
        raise ValidationError({"code": ValidationError(ALREADY_REGISTERED, code="already_registered")}) from None
    PersonalDataConsent.objects.create(
        user=user, text_version=verification.consent_version, given_at=verification.consent_given_at
    )
    return user


def signup_confirm(*, verification_id: uuid.UUID | str, code: str) -> User:
    """Finish a sign-up with the code from the SMS: create the account and record the consent.

    A code works for CODE_LIFETIME and for MAX_CODE_ATTEMPTS tries; a wrong try is counted even
    though the call is refused, so the count cannot be reset by guessing in parallel.
    """
    now = timezone.now()
    with transaction.atomic():
        verification = _pending(verification_id=verification_id).select_for_update().first()
        refusal = _code_refusal(verification=verification, now=now)
        if refusal is None:
            expected = _code_hash(verification_id=verification.id, code=code.strip())
            if constant_time_compare(expected, verification.code_hash):
                user = _user_create(verification=verification)
                verification.confirmed_at, verification.user, verification.password = now, user, ""
                verification.save(update_fields=["confirmed_at", "user", "password"])
                return user
            refusal = _wrong_code(verification=verification)
    raise ValidationError({"code": refusal})


def profile_update(*, user: User, preferred_language: str, email: str) -> User:
    """Change the language the portal speaks to the person in (pages, messages) and their email address."""
    errors: dict = {}
    if preferred_language not in Language.values:
        errors["preferred_language"] = [ValidationError(UNKNOWN_LANGUAGE, code="invalid_choice")]
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.error_list
    if errors:
        raise ValidationError(errors)
    user.preferred_language = preferred_language
    user.email = User.objects.normalize_email(email)
    user.save(update_fields=["preferred_language", "email"])
    return user


def user_for_password_reset(*, iin: str) -> User | None:
    """The active account with this IIN that a reset link can be emailed to, or None."""
    return User.objects.filter(iin=iin, is_active=True).exclude(email="").first()
