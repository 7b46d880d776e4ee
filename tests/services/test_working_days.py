from datetime import UTC, date, datetime

from services.working_days import add_working_days, is_working_day, local_date, working_days_between


def test_weekends_do_not_count():
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert add_working_days(friday, 5) == date(2026, 11, 27)


def test_the_day_of_submission_does_not_count():
    monday = date(2026, 11, 23)
    assert add_working_days(monday, 1) == date(2026, 11, 24)
    assert add_working_days(monday, 0) == monday


def test_nauryz_is_skipped():
    # Nauryz 2026: 21-23 March, with 24 and 25 March off in lieu of the weekend days.
    assert not any(is_working_day(date(2026, 3, d)) for d in range(21, 26))
    friday = date(2026, 3, 20)
    assert add_working_days(friday, 1) == date(2026, 3, 26)
    assert add_working_days(friday, 3) == date(2026, 3, 30)


def test_independence_day_is_skipped():
    tuesday = date(2026, 12, 15)
    assert not is_working_day(date(2026, 12, 16))
    assert add_working_days(tuesday, 1) == date(2026, 12, 17)
    assert add_working_days(tuesday, 3) == date(2026, 12, 21)


def test_a_submission_at_half_past_midnight_in_almaty_belongs_to_that_almaty_day():
    # 00:30 on Tuesday in Almaty (UTC+5) is still Monday in UTC.
    moment = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)
    assert local_date(moment) == date(2026, 11, 24)
    assert add_working_days(local_date(moment), 1) == date(2026, 11, 25)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    friday = date(2026, 11, 20)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, date(2026, 11, 22)) == 0  # the weekend
    assert working_days_between(friday, date(2026, 11, 27)) == 5
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 27)) == 2  # across Nauryz
    assert working_days_between(friday, date(2026, 11, 1)) == 0


def test_a_weekend_day_declared_a_working_day_counts():
    # Sunday 5 January 2025 was worked in exchange for Friday 3 January, a day off.
    assert is_working_day(date(2025, 1, 5))
    assert not is_working_day(date(2025, 1, 3))
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 5)
