"""Kazakhstan's individual identification number (IIN): 12 digits, YYMMDD + century/sex + serial + check digit."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Digit 7: the century of birth and the sex (odd: male, even: female).
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first eleven digits, or None where no digit can be valid."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def iin_birth_date(iin: str) -> date:
    """The birth date encoded in digits 1-6 and 7; raises ValueError where there is none."""
    century = _CENTURY.get(int(iin[6]))
    if century is None:
        raise ValueError("unknown century digit")
    return date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))


def iin_is_female(iin: str) -> bool:
    """Digit 7 is even for women."""
    return int(iin[6]) % 2 == 0


def is_valid_iin(value: str) -> bool:
    """True for 12 digits carrying a real birth date and the right check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    try:
        iin_birth_date(value)
    except ValueError:
        return False
    return iin_check_digit(value[:11]) == int(value[11])


def make_iin(birth: date, *, female: bool, serial: int) -> str:
    """A valid IIN for a birth date, a sex and a 4-digit serial; the next serial if one has no digit."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + int(female)
    while True:
        head = f"{birth:%y%m%d}{century_digit}{serial % 10000:04d}"
        check = iin_check_digit(head)
        if check is not None:
            return f"{head}{check}"
        serial += 1


def validate_iin(value: str) -> None:
    """Django validator: a clear message when the value is not a valid IIN."""
    if not is_valid_iin(value):
        raise ValidationError(_("Enter a valid IIN: 12 digits, as on your identity card."), code="invalid_iin")
