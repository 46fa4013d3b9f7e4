"""Period as a value: codes, labels, comparisons, combined releases and what is refused."""
import pytest

from tradelib.errors import DataError
from tradelib.period import Period


@pytest.mark.parametrize("code, label, kind, earlier", [
    ("2025", "2025", "year", "2024"),
    ("2025-11", "November 2025", "month", "November 2024"),
    ("2025-01..11", "January\u2013November 2025", "year to date", "January\u2013November 2024"),
    ("2025-01..2025-02", "January\u2013February 2025", "year to date", "January\u2013February 2024"),
    ("2019-04..06", "April\u2013June 2019", "months", "April\u2013June 2018"),
    ("2019-01..12", "2019", "year", "2018"),
])
def test_codes_labels_and_comparisons(code, label, kind, earlier):
    p = Period.parse(code)
    assert (p.label, p.kind, p.year_earlier().label) == (label, kind, earlier)
    assert Period.parse(p.code) == p
    assert p.against() == f"on {earlier}"


def test_months_covered_and_the_end_of_a_period():
    assert list(Period.parse("2024-01..06").months) == [1, 2, 3, 4, 5, 6]
    assert Period.parse("2024-02").end.isoformat() == "2024-02-29"
    assert Period.parse("2023").end.isoformat() == "2023-12-31"
    assert Period.parse("2025-11").month == 11 and Period.parse("2025").month == 0


def test_the_month_before_steps_over_a_combined_release():
    chn = ((1, 2),)
    assert Period.parse("2025-03").previous(chn) == Period(2025, 1, 2)
    assert Period(2025, 1, 2).previous(chn) == Period(2024, 12)
    assert Period.parse("2025-11").previous(chn) == Period(2025, 10)
    assert Period.parse("2025-01").previous() == Period(2024, 12)
    assert Period.parse("2025").previous() == Period(2024)
    assert Period.parse("2025-01..06").previous() is None     # a year to date is compared a year earlier only


def test_a_month_released_only_with_another_is_refused():
    with pytest.raises(DataError, match="January\u2013February is published as one period; write 2025-01..02"):
        Period.parse("2025-02").check_release(((1, 2),))
    Period.parse("2025-03").check_release(((1, 2),))


@pytest.mark.parametrize("text, why", [
    ("2025-13", "months run from 01 to 12"),
    ("25", "write a year"),
    ("2025-06..03", "the first not after the last"),
    ("2024-11..2025-02", "within one year"),
    ("2025-06..06", "the month itself"),
    ("June 2025", "write a year"),
])
def test_what_is_not_a_period(text, why):
    with pytest.raises(DataError, match=why):
        Period.parse(text)


def test_a_period_is_a_value_whatever_its_class():
    """The monthly release's own period class and the general one name the same months: equal, with one hash,
    and ordered together (a year before its months, months in order)."""
    from tradelib import monthly

    nov = monthly.Period.parse("2025-11")
    assert nov == Period(2025, 11) and hash(nov) == hash(Period(2025, 11)) and nov in {Period(2025, 11)}
    assert Period(2025, 1, 2) == monthly.Period.parse("2025-01..02") != Period(2025, 1)
    assert sorted([nov, Period(2025), monthly.Period.parse("2025-01..02"), Period(2024, 12)]) == \
        [Period(2024, 12), Period(2025), Period(2025, 1, 2), Period(2025, 11)]
    assert Period(2025) != "2025" and Period(2025) != 2025
