"""People who use the portal: citizens identified by IIN, and civil servants of one agency."""

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
