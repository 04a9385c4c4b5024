"""NHS and CHI numbers: the modulus 11 check digit, normalisation and the CHI's date of birth.

Worked by hand, weights 10..2 over the first nine digits, check = 11 - (sum mod 11), 11 -> 0:
  9434765919: 90+36+24+28+42+30+20+27+2 = 299, 299 mod 11 = 2, check 9.
  4010232137: 40+0+8+0+12+15+8+3+6 = 92, 92 mod 11 = 4, check 7.
  9434765900: 90+36+24+28+42+30+20+27+0 = 297, 297 mod 11 = 0, check 11 -> 0.
  943476596?: 297+12 = 309, 309 mod 11 = 1, check 10: no tenth digit can be right.
  0101951248 (born 01/01/95): 0+9+0+7+54+25+4+6+8 = 113, 113 mod 11 = 3, check 8.
  3112880579 (born 31/12/88): 30+9+8+14+48+40+0+15+14 = 178, 178 mod 11 = 2, check 9.
  010195123?: 0+9+0+7+54+25+4+6+6 = 111, 111 mod 11 = 1, check 10.
"""

from __future__ import annotations

from datetime import date

import pytest

from forms.identifiers import check_chi_number, check_nhs_number, mod11_valid, normalise_number

CHECK_DIGIT_TEN_NHS_PREFIX = "943476596"
CHECK_DIGIT_TEN_CHI_PREFIX = "010195123"


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9434765900"])
def test_valid_nhs_numbers_are_accepted_unchanged(number: str) -> None:
    assert mod11_valid(number)
    assert check_nhs_number(number) == number


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # check digit should be 9
        "4010232138",  # check digit should be 7
        "9434765909",  # check digit should be 0 (the 11 -> 0 case)
        "4934765919",  # first two digits swapped: the weights catch transpositions
    ],
)
def test_a_wrong_check_digit_is_refused(number: str) -> None:
    assert not mod11_valid(number)
    with pytest.raises(ValueError, match="check digit does not match"):
        check_nhs_number(number)


@pytest.mark.parametrize("last", list("0123456789"))
def test_a_prefix_whose_check_digit_would_be_ten_is_never_valid(last: str) -> None:
    number = CHECK_DIGIT_TEN_NHS_PREFIX + last
    assert not mod11_valid(number)
    with pytest.raises(ValueError, match="not a valid NHS number"):
        check_nhs_number(number)


@pytest.mark.parametrize(
    "typed",
    ["943 476 5919", "943-476-5919", " 9434765919 ", "943 - 476 - 5919", "9434-765919"],
)
def test_spaces_and_hyphens_are_accepted_and_removed(typed: str) -> None:
    assert normalise_number(typed) == "9434765919"
    assert check_nhs_number(typed) == "9434765919"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "94347659A9",
        "9434765919.",
        "943.476.5919",
        "+9434765919",
    ],
)
def test_wrong_length_or_non_digits_are_refused_as_not_ten_digits(typed: str) -> None:
    assert not mod11_valid(typed)
    with pytest.raises(ValueError, match="an NHS number has 10 digits"):
        check_nhs_number(typed)


@pytest.mark.parametrize("typed", ["９４３４７６５９１９", "943476591²"])
def test_non_ascii_digits_are_refused_as_not_ten_digits(typed: str) -> None:
    with pytest.raises(ValueError, match="an NHS number has 10 digits"):
        check_nhs_number(typed)


@pytest.mark.parametrize(
    ("typed", "born", "expected"),
    [
        ("0101951248", date(1995, 1, 1), "0101951248"),
        ("010195 1248", date(1995, 1, 1), "0101951248"),
        ("010195-1248", date(1995, 1, 1), "0101951248"),
        ("3112880579", date(1988, 12, 31), "3112880579"),
    ],
)
def test_a_chi_number_with_a_valid_check_digit_and_matching_birth_date_is_accepted(
    typed: str, born: date, expected: str
) -> None:
    assert check_chi_number(typed, born) == expected


def test_a_chi_number_without_a_birth_date_is_checked_by_its_check_digit_alone() -> None:
    assert check_chi_number("0101951248", None) == "0101951248"
    with pytest.raises(ValueError, match="check digit does not match"):
        check_chi_number("0101951249", None)


@pytest.mark.parametrize(
    ("typed", "born"),
    [
        ("0101951248", date(1995, 1, 2)),  # another day
        ("0101951248", date(1995, 2, 1)),  # another month
        ("0101951248", date(1996, 1, 1)),  # another year
        ("3112880579", date(1988, 12, 30)),
    ],
)
def test_a_chi_number_that_does_not_begin_with_her_birth_date_is_refused(
    typed: str, born: date
) -> None:
    with pytest.raises(ValueError, match=r"does not begin with the date of birth \(DDMMYY\)"):
        check_chi_number(typed, born)


@pytest.mark.parametrize("number", ["0101951249", "0101951240", "3112880578"])
def test_a_chi_number_with_a_wrong_check_digit_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="not a valid CHI number"):
        check_chi_number(number, None)


@pytest.mark.parametrize("last", list("0123456789"))
def test_a_chi_prefix_whose_check_digit_would_be_ten_is_never_valid(last: str) -> None:
    with pytest.raises(ValueError, match="not a valid CHI number"):
        check_chi_number(CHECK_DIGIT_TEN_CHI_PREFIX + last, date(1995, 1, 1))


@pytest.mark.parametrize("typed", ["", "010195124", "01019512480", "0101951x48"])
def test_a_chi_number_of_the_wrong_length_or_with_non_digits_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="a CHI number has 10 digits"):
        check_chi_number(typed, date(1995, 1, 1))
