"""Request references: a number from a database sequence plus a Damm check digit, e.g. 0000-0042-6.

The number comes from the database (a PostgreSQL sequence; on SQLite an AUTOINCREMENT key), never
from "the largest so far plus one", so requests created at the same moment never share one. On
PostgreSQL a new request's INSERT draws and formats the number itself (`workflow_reference`, the
SQL twin of `format_reference`) and returns the reference: no round trip of its own.
"""

from django.db import connection
from django.db.models import BigIntegerField, CharField, Func, Value

from services.workflow.models import ReferenceTicket

POSTGRES_SEQUENCE = "workflow_request_reference_seq"
POSTGRES_FUNCTION = "workflow_reference"

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


def new_reference() -> str | Func:
    """The reference of a request about to be inserted: on PostgreSQL, what its INSERT computes (and returns)."""
    if connection.vendor == "postgresql":
        number = Func(Value(POSTGRES_SEQUENCE), function="nextval", output_field=BigIntegerField())
        return Func(number, function=POSTGRES_FUNCTION, output_field=CharField())
    return next_reference()


def postgres_function_sql() -> str:
    """The SQL of `workflow_reference(number)`: `format_reference` in PL/pgSQL, with the same quasigroup."""
    table = ",".join("{" + ",".join(map(str, row)) + "}" for row in _DAMM)
    return f"""
CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}(number bigint) RETURNS text AS $$
DECLARE
    damm CONSTANT smallint[] := '{{{table}}}';
    digits CONSTANT text := CASE WHEN number < 100000000 THEN lpad(number::text, 8, '0') ELSE number::text END;
    head CONSTANT integer := CASE WHEN length(digits) % 4 = 0 THEN 4 ELSE length(digits) % 4 END;
    interim integer := 0;
    grouped text := substr(digits, 1, head);
BEGIN
    FOR position IN 1 .. length(digits) LOOP
        interim := damm[interim + 1][substr(digits, position, 1)::integer + 1];
    END LOOP;
    FOR position IN head + 1 .. length(digits) BY 4 LOOP
        grouped := grouped || '-' || substr(digits, position, 4);
    END LOOP;
    RETURN grouped || '-' || interim;
END;
$$ LANGUAGE plpgsql IMMUTABLE STRICT;
"""
