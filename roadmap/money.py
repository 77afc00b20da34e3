"""Money: exact decimals in one currency per plan, never float.

Plans store amounts as quoted strings ("65541.70"); a bare YAML number is accepted only
when it cannot have lost a cent on the way (an integer, or at most two decimals).
The currency's own precision (Babel's `get_currency_precision`: 2 for USD, 0 for JPY)
limits the decimals an amount may have.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


class MoneyError(ValueError):
    """An amount that is not an exact decimal number."""


def parse_amount(value: Any) -> Decimal:
    """An amount as the plan or the user writes it: "65541.70", "1 001 851.70", 434, 12.5."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "inf" in text or "nan" in text or len(text.partition(".")[2]) > 2:
            raise MoneyError(
                f"{text} is an unquoted number with more than 2 decimals, which YAML reads inexactly; "
                'write the amount in quotes, e.g. "65541.70"'
            )
        return Decimal(text)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace(" ", "").replace("\u00a0", "").replace("_", "")
        if not _AMOUNT.match(text):
            raise MoneyError(f'"{value}" is not an amount; write digits with a decimal point, e.g. 65541.70')
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern rules it out
            raise MoneyError(f'"{value}" is not an amount') from None
    raise MoneyError(f"{value!r} is not an amount")


def decimals(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def precision(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


def is_currency(code: str) -> bool:
    from babel.numbers import list_currencies

    return code in list_currencies()


def too_precise(amount: Decimal, currency: str) -> str | None:
    """Why the amount cannot be in this currency, or None."""
    allowed = precision(currency)
    if decimals(amount.normalize() if decimals(amount) > allowed else amount) > allowed:
        return f"{amount} has more decimals than {currency} allows ({allowed})"
    return None


def plain(amount: Decimal, currency: str) -> str:
    """The amount with the currency's decimals, as --json and the plan file write it: 1001851.70."""
    places = precision(currency)
    return f"{amount.quantize(Decimal(1).scaleb(-places)):f}"


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))
