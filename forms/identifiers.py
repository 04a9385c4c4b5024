"""NHS and CHI numbers: both ten digits with a modulus 11 check digit."""

from __future__ import annotations

import re
from datetime import date

# ASCII digits only: str.isdigit() also accepts full-width and superscript digits.
TEN_DIGITS = re.compile(r"[0-9]{10}")


def mod11_valid(number: str) -> bool:
    """True when the tenth digit is the modulus 11 check digit of the first nine."""
    if not TEN_DIGITS.fullmatch(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(number[9])


def normalise_number(raw: str) -> str:
    """Strip the spaces and hyphens people type inside NHS and CHI numbers."""
    return raw.replace(" ", "").replace("-", "")


def check_nhs_number(raw: str) -> str:
    number = normalise_number(raw)
    if not TEN_DIGITS.fullmatch(number):
        raise ValueError("an NHS number has 10 digits")
    if not mod11_valid(number):
        raise ValueError("this is not a valid NHS number (the check digit does not match)")
    return number


def check_chi_number(raw: str, date_of_birth: date | None) -> str:
    """A CHI number starts with the date of birth as DDMMYY and ends in a check digit."""
    number = normalise_number(raw)
    if not TEN_DIGITS.fullmatch(number):
        raise ValueError("a CHI number has 10 digits")
    if not mod11_valid(number):
        raise ValueError("this is not a valid CHI number (the check digit does not match)")
    if date_of_birth is not None and number[:6] != date_of_birth.strftime("%d%m%y"):
        raise ValueError("the CHI number does not begin with the date of birth (DDMMYY)")
    return number
