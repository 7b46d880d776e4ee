from datetime import date

import pytest
from django.core.exceptions import ValidationError

from services.accounts.iin import iin_birth_date, iin_check_digit, iin_is_female, is_valid_iin, make_iin, validate_iin


@pytest.mark.parametrize(
    "iin",
    [
        "900101300007",  # 1990-01-01, man born in the 1900s
        "850512400006",  # 1985-05-12, woman born in the 1900s
        "010203500008",  # 2001-02-03, man born in the 2000s
    ],
)
def test_valid_iins_pass(iin):
    assert iin_check_digit(iin[:11]) == int(iin[11])
    assert is_valid_iin(iin)
    validate_iin(iin)


def test_second_weights_decide_when_the_first_sum_leaves_ten():
    # With weights 1..11 the sum of 90010130081 is 10 mod 11, so weights 3,4,..,11,1,2 give the digit.
    head = "90010130081"
    assert sum(int(d) * w for d, w in zip(head, range(1, 12), strict=True)) % 11 == 10
    assert iin_check_digit(head) == 1
    assert is_valid_iin(head + "1")
    assert not is_valid_iin(head + "0")


def test_eleven_digits_with_no_possible_check_digit_are_never_valid():
    head = "90010130080"  # both weightings leave 10
    assert iin_check_digit(head) is None
    assert not any(is_valid_iin(head + str(d)) for d in range(10))


@pytest.mark.parametrize(
    "value",
    [
        "900101300008",  # wrong check digit
        "90010130000",  # 11 digits
        "9001013000070",  # 13 digits
        "90010130000a",  # a letter
        "901301300007",  # month 13
        "900101700007",  # century digit 7 does not exist
        "９００１０１３０００７",  # full-width digits are not ASCII digits
        "",
    ],
)
def test_invalid_iins_are_refused_with_a_message(value):
    assert not is_valid_iin(value)
    with pytest.raises(ValidationError) as raised:
        validate_iin(value)
    assert raised.value.code == "invalid_iin"


def test_birth_date_and_sex_come_from_the_digits():
    iin = make_iin(date(2003, 7, 15), female=True, serial=42)
    assert is_valid_iin(iin)
    assert iin_birth_date(iin) == date(2003, 7, 15)
    assert iin_is_female(iin)
    assert not iin_is_female(make_iin(date(1961, 12, 31), female=False, serial=7))
