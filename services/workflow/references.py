"""Request references: a number from a database sequence plus a Damm check digit, e.g. 0000-0042-6.

The number comes from the database (a PostgreSQL sequence; on SQLite an AUTOINCREMENT key), never
from "the largest so far plus one", so requests created at the same moment never share one.
"""

from django.db import connection

from services.workflow.models import ReferenceTicket

POSTGRES_SEQUENCE = "workflow_request_reference_seq"

# The Damm algorithm's quasigroup: catches every single-digit error and adjacent transposition.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> int:
    """The Damm check digit of a string of decimal digits."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def format_reference(number: int) -> str:
    """`42` -> `0000-0042-6`: eight or more digits in groups of four, then the check digit."""
    digits = f"{number:08d}"
    first = len(digits) % 4 or 4
    groups = [digits[:first]] + [digits[i : i + 4] for i in range(first, len(digits), 4)]
    return f"{'-'.join(groups)}-{damm_digit(digits)}"


def is_valid_reference(reference: str) -> bool:
    """True when the check digit matches (catches typos before a database look-up)."""
    digits = reference.replace("-", "")
    return digits.isdigit() and len(digits) >= 9 and damm_digit(digits) == 0


def next_reference() -> str:
    """A new, unique reference from the database's sequence."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [POSTGRES_SEQUENCE])
            number = cursor.fetchone()[0]
    else:
        ticket = ReferenceTicket.objects.create()
        ReferenceTicket.objects.filter(pk=ticket.pk).delete()
        number = ticket.pk
    return format_reference(number)
