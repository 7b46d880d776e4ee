"""People who use the portal: citizens identified by IIN, and civil servants of one agency."""

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.iin import validate_iin


class Language(models.TextChoices):
    KAZAKH = "kk", "Қазақша"
    RUSSIAN = "ru", "Русский"
    ENGLISH = "en", "English"


class StaffRole(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")


class PortalUserManager(UserManager):
    """Users are found by IIN; there is no user name."""

    def _create_user(self, iin: str, email: str | None, password: str | None, **extra_fields: Any) -> "User":
        user = self.model(iin=iin, email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, iin: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(iin, email, password, **extra_fields)

    def create_superuser(
        self, iin: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(iin, email, password, **extra_fields)


class User(AbstractUser):
    """A person. Staff (`staff_role` set) belong to exactly one agency."""

    username = None
    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )
    agency = models.ForeignKey(
        "catalogue.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    staff_role = models.CharField(_("staff role"), max_length=10, choices=StaffRole.choices, blank=True)

    USERNAME_FIELD = "iin"
    REQUIRED_FIELDS = ["email"]

    objects = PortalUserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staff_role_with_agency",
                condition=(models.Q(staff_role="", agency__isnull=True))
                | (models.Q(staff_role__in=StaffRole.values, agency__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        name = self.get_full_name()
        return f"{name} ({self.iin})" if name else self.iin

    @property
    def is_agency_staff(self) -> bool:
        return bool(self.staff_role)


class SignupVerification(models.Model):
    """A sign-up waiting for the one-time code sent to the phone the population register holds.

    Only a hash of the code is kept, and the password only as Django's password hash. The row's
    id is the SMS idempotency key, so one verification never sends two different codes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, help_text="The population register's number the code went to.")
    code_hash = models.CharField(max_length=128)
    email = models.EmailField(_("email address"))
    password = models.CharField(_("password"), max_length=128, help_text="A password hash, never the password.")
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices)
    consent_version = models.CharField(max_length=20)
    consent_given_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"sign-up of {self.iin} ({self.created_at:%Y-%m-%d %H:%M})"


class PersonalDataConsent(models.Model):
    """A person's consent to the processing of personal data, with the version of the text they agreed to.

    Rows are only ever added: a new version of the text means a new row, never an edited one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    text_version = models.CharField(_("version of the text"), max_length=20)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "text_version"], name="one_consent_per_user_and_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} agreed to version {self.text_version}"
